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

/** What a frequency counts (`resolve/frequency.ts`); its meaning on the calendar is `eval/frequency.ts`'s. */
export type Frequency =
  /** `once daily`, `twice daily`, `every 12 h`, `every 1 d`: doses on each dosing day. */
  | { kind: 'daily'; perDay: number }
  /** `once weekly`, `twice weekly`, `every 2 weeks`: doses in a week, every Nth week. */
  | { kind: 'weekly'; perWeek: number; everyWeeks: number }
  /** Written but without a meaning the evaluator can honour. */
  | { kind: 'refused'; reason: 'not a time' | 'zero' | 'period' };

export interface DosingSchedule {
  /** Dosing days within the cycle, as written ranges. */
  days?: ast.DayRange[];
  /** Cycle length in days. */
  cycleDays?: number;
  route?: string;
  frequency?: string;
  /** What `frequency` counts; absent when none is written (once on a dosing day). */
  counts?: Frequency;
  /** `cycles 1-8` / `from cycle 9` (no `to`): the cycles this line applies to; all when absent. */
  cycles?: { from: number; to?: number };
  /** `weeks 1-8`: the weeks of treatment (day 1-7 is week 1) this line applies to; all when absent. */
  weeks?: ast.DayRange[];
  /** `every 2 weeks`: dosed in every Nth week of the weeks it applies to (from the first). */
  everyWeeks?: number;
}

/**
 * Where a `resume at` goes, in the dose unit: an amount, `previous - N`
 * (minus), `previous - N level` (down N steps of the protocol's `levels`), or
 * `same dose`.
 */
export type ResumeTarget =
  | { kind: 'amount'; value: number }
  | { kind: 'minus'; minus: number }
  | { kind: 'levels'; count: number }
  | { kind: 'same' };

export interface ResumeInfo {
  target: ResumeTarget;
  /** `resume at most` (label): an upper bound, not a prescription. */
  atMost: boolean;
  node: ast.Resume;
}

/** How a hold ends: `until` holds on a later day on which its `when` no longer does, then the dose becomes `resume` (`recurrence` from the 2nd episode). */
export interface UntilInfo {
  condition: Condition;
  /** Absent when the resume did not resolve: the hold ends at the current dose. */
  resume?: ResumeInfo;
  recurrence?: ResumeInfo;
  node: ast.Until;
}

/** `before each cycle require`: a cycle starts only on a day this holds. */
export interface GateInfo {
  condition: Condition;
  node: ast.CycleGate;
}

/** A companion amount as written, with its body-size basis for `mg/m2` (bsa) and `mg/kg` (weight). */
export interface CompanionAmount {
  value: number;
  /** The unit written, e.g. mg/m2. */
  unit: Unit;
  text: string;
  /** The fact the amount is multiplied by, when the unit is per body size. */
  per?: 'bsa' | 'weight';
  /** The drug unit once multiplied (mg for mg/m2), or the written unit. */
  doseUnit: string;
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
  /** The companion's route and days, where the label gives them. */
  schedule: DosingSchedule;
  condition?: Condition;
  node: ast.Requires;
}

export type ConstraintInfo =
  | { kind: 'hold'; condition: Condition; until?: UntilInfo; node: ast.StopConstraint }
  | { kind: 'discontinue'; condition: Condition; node: ast.StopConstraint }
  | { kind: 'cap'; amount: Amount; condition: Condition; node: ast.DoseCap }
  | { kind: 'take'; timing: string; condition: Condition; node: ast.TimingConstraint };

export interface IndicationInfo {
  name: string;
  title: string;
  dose?: LabelDoseInfo;
  requires: RequirementInfo[];
  constraints: ConstraintInfo[];
  /** `before each cycle require` lines: every one must hold for a cycle to start. */
  gates: GateInfo[];
  /** `lowest dose`, in the dose unit: a dose the label would allow below it means discontinue. */
  lowestDose?: number;
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

/**
 * `drugs`: the drugs a hold, discontinue or no dose acts on, when the rule
 * names them; absent means the protocol's drug alone.
 */
export type RuleAction =
  | { kind: 'hold'; drugs?: string[]; until?: UntilInfo }
  | { kind: 'discontinue'; drugs?: string[] }
  | { kind: 'no dose'; drugs?: string[] }
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

/** `dexamethasone 20 mg` or `no dexamethasone` in an expectation. */
export interface CompanionExpectation {
  drug: string;
  /** Absent for `no DRUG`: no dose of it that day. */
  amount?: { value: number; unit: Unit };
  node: ast.CompanionExpect;
}

export interface TestInfo {
  title: string;
  state: Map<string, FactValue>;
  /** False when a `given` did not resolve: the test is not run on a partial state. */
  complete: boolean;
  expected?: Decision;
  companions: CompanionExpectation[];
  node: ast.TestCase;
}

/** A `with` line: a companion drug on its own schedule, when its condition holds. */
export interface CompanionInfo {
  drug: string;
  amount?: CompanionAmount;
  schedule: DosingSchedule;
  condition?: Condition;
  node: ast.Combination;
}

export type StepDay = { kind: 'cycle'; cycle: number; day: number } | { kind: 'day'; day: number };

export interface StepInfo {
  at: StepDay;
  /** The observations of the step's day, each converted to its fact's unit. */
  observations: Map<string, FactValue>;
  expected?: Decision;
  companions: CompanionExpectation[];
  /** `(cycle 2 day 1)`: where the calendar must be that day. */
  position?: { cycle: number; day: number };
  node: ast.ScenarioStep;
}

export interface ScenarioInfo {
  title: string;
  steps: StepInfo[];
  /** False when a step's day or an observation did not resolve: the scenario is not run. */
  complete: boolean;
  node: ast.Scenario;
}

export interface ResolvedProtocol {
  title: string;
  file: string;
  label: ResolvedLabel;
  /**
   * The label's facts, with `previous_dose` defaulting to this protocol's
   * start dose, and the protocol's own facts (the label's keep their meaning).
   */
  facts: ReadonlyMap<string, FactInfo>;
  indication: IndicationInfo;
  start?: StartInfo;
  /** `levels`, in the dose unit, highest first; empty when the protocol has none. */
  levels: number[];
  /** The protocol's own `before each cycle require` lines. */
  gates: GateInfo[];
  companions: CompanionInfo[];
  rules: RuleInfo[];
  tests: TestInfo[];
  scenarios: ScenarioInfo[];
  deviations: Map<string, ast.Deviation>;
  node: ast.ProtocolBlock;
}

export type Decision =
  | { kind: 'dose'; amount: number; unit: string; timing: string[] }
  | { kind: 'no dose' }
  | { kind: 'hold' }
  | { kind: 'discontinue' };

export const BUILTIN_DAY = 'day';
/** The cycle number (1 for the first cycle), a built-in fact like `day`. */
export const BUILTIN_CYCLE = 'cycle';
export const BUILTIN_PREVIOUS_DOSE = 'previous_dose';
