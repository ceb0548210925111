// The resolved model: labels and protocols after names and units are resolved.
// Every number here is already in the unit its fact (or the label dose) is
// measured in, so the evaluator compares plain numbers and never converts.
import type * as ast from '../syntax/ast.js';
import type { Unit } from '../units/index.js';

export type FactKind = 'quantity' | 'boolean' | 'enum';

export interface FactInfo {
  name: string;
  title: string;
  kind: FactKind;
  /** For quantities: the unit every value of this fact is converted to. */
  unit?: Unit;
  /** For quantities: the neutral value used when a state does not give one. */
  normal?: number;
  /** For enums: the values it can take. */
  values?: string[];
  /** Where it is declared; built-in facts (day, previous_dose) have none. */
  decl?: ast.FactDecl;
  file?: string;
}

/** A condition with names resolved and thresholds converted to the fact's unit. */
export type Condition =
  | { kind: 'bool'; fact: string; span: ast.Span }
  | { kind: 'compare'; fact: string; op: ast.CompareOp; value: number; unit: Unit; span: ast.Span; valueSpan: ast.Span }
  | { kind: 'enum'; fact: string; values: string[]; negated: boolean; span: ast.Span }
  | { kind: 'not'; operand: Condition; span: ast.Span }
  | { kind: 'and' | 'or'; operands: Condition[]; span: ast.Span }
  /** Stands for a part that did not resolve; it never matches. */
  | { kind: 'invalid'; span: ast.Span };

/** An amount of drug in the dose unit; relative amounts subtract from previous_dose. */
export type Amount = { kind: 'absolute'; value: number } | { kind: 'relative'; minus: number };

export interface DosingSchedule {
  /** Dosing days within the cycle, as written ranges. */
  days?: ast.DayRange[];
  /** Cycle length in days. */
  cycleDays?: number;
  route?: string;
  frequency?: string;
}

export interface LabelDoseInfo {
  amount: number;
  schedule: DosingSchedule;
  node: ast.LabelDose;
}

export interface RequirementInfo {
  drug: string;
  /** Amount in the requirement's own unit, as written. */
  amount?: { value: number; unit: Unit; text: string };
  condition?: Condition;
  node: ast.Requires;
}

export type ConstraintInfo =
  | { kind: 'hold' | 'discontinue'; condition: Condition; node: ast.StopConstraint }
  | { kind: 'cap'; amount: Amount; condition: Condition; node: ast.DoseCap }
  | { kind: 'take'; timing: string; condition: Condition; node: ast.TimingConstraint };

export interface IndicationInfo {
  name: string;
  title: string;
  dose?: LabelDoseInfo;
  requires: RequirementInfo[];
  constraints: ConstraintInfo[];
  node: ast.IndicationDecl;
}

export interface ResolvedLabel {
  name: string;
  title: string;
  aliases: string[];
  /** Source files by name, with the title a `document` line gives them. */
  documents: Map<string, string>;
  file: string;
  text: string;
  facts: Map<string, FactInfo>;
  indications: Map<string, IndicationInfo>;
  /** The unit every dose of this drug is expressed in (the first label dose's unit). */
  doseUnit?: Unit;
  /** Number of error findings in the label itself; > 0 withholds checks against it. */
  errorCount: number;
  /** The first of those errors, quoted where checks are withheld, so the reader knows what to fix. */
  firstError?: { span: ast.Span; message: string };
  node: ast.LabelBlock;
}

export type RuleAction =
  | { kind: 'hold' }
  | { kind: 'discontinue' }
  | { kind: 'no dose' }
  | { kind: 'dose'; amount: Amount; timing?: string };

export interface RuleInfo {
  name: string;
  condition: Condition;
  action: RuleAction;
  node: ast.Rule;
}

export interface StartInfo {
  amount: number;
  schedule: DosingSchedule;
  node: ast.Start;
}

/** A patient state: facts by name. `day` and `previous_dose` are built in. */
export type FactValue = number | boolean | string;
export type PatientState = ReadonlyMap<string, FactValue>;

export interface TestInfo {
  title: string;
  state: Map<string, FactValue>;
  /** False when a `given` did not resolve: the test is not run on a partial state. */
  complete: boolean;
  expected?: Decision;
  node: ast.TestCase;
}

export interface ResolvedProtocol {
  title: string;
  file: string;
  label: ResolvedLabel;
  /** The label's facts, with `previous_dose` defaulting to this protocol's start dose. */
  facts: ReadonlyMap<string, FactInfo>;
  indication: IndicationInfo;
  start?: StartInfo;
  rules: RuleInfo[];
  tests: TestInfo[];
  deviations: Map<string, ast.Deviation>;
  node: ast.ProtocolBlock;
}

export type Decision =
  | { kind: 'dose'; amount: number; unit: string; timing: string[] }
  | { kind: 'no dose' }
  | { kind: 'hold' }
  | { kind: 'discontinue' };

export const BUILTIN_DAY = 'day';
export const BUILTIN_PREVIOUS_DOSE = 'previous_dose';
