// The label as checks on one patient state and the protocol's decision for it.
// What the label requires and allows on that day comes from the one evaluator
// (`labelDay`: the label's machine, eval/label-course.ts, stepped for a course
// of one day); this file only compares the decision with that verdict and says
// which label line it breaks, so counterexamples are grouped and reported on it:
//   - a requirement (a label discontinue or hold, a rest day of the label's
//     schedule) the decision is weaker than, by the precedence table; a rest day
//     is not required when the protocol documents a `cycle` or `days` deviation,
//     and a cycle gate (`before each cycle require`) is left to the course search;
//   - a dose above the smallest of the label dose and what the verdict allows
//     (every cap in force), or missing a timing the verdict requires.
import type * as ast from '../syntax/ast.js';
import { actsOn, formatDecision, isScheduledDay, labelCalendar, labelDay, machineOf, rankOf, type LabelVerdict } from '../eval/index.js';
import type { Condition, ConstraintInfo, Decision, PatientState, ResolvedProtocol } from '../semantics/model.js';
import { labelText } from '../print/label-lines.js';

type Cap = Extract<ConstraintInfo, { kind: 'cap' }>;
type Take = Extract<ConstraintInfo, { kind: 'take' }>;
type Stop = Extract<ConstraintInfo, { kind: 'hold' | 'discontinue' }>;

export interface LabelLine {
  span: ast.Span;
  source?: ast.SourceClause;
}

export interface LabelCheck {
  /** Index into LabelSpec.checks; part of the grouping key. */
  id: number;
  constraint?: ConstraintInfo;
  /** The label node, for related information. */
  line: LabelLine;
  /** The label line as written, on one line: "hold when ANC < 500 /uL". */
  text: string;
}

export interface Violation {
  check: LabelCheck;
  required: string;
  /** The decision the label requires, for the test a quick fix adds. */
  expected: Decision;
}

export interface LabelSpec {
  checks: LabelCheck[];
  /** The check of each label line the verdict can name. */
  byConstraint: Map<ConstraintInfo, LabelCheck>;
  labelDose?: { check: LabelCheck; amount: number };
  /** The label's rest days, checked unless the protocol documents its own schedule. */
  restDays?: LabelCheck;
  /** Every condition a check reads. */
  conditions: Condition[];
}

function constraintLine(protocol: ResolvedProtocol, constraint: ConstraintInfo): string {
  const node = constraint.node;
  const end = constraint.condition.kind === 'invalid' ? node.span.end : constraint.condition.span.end;
  return labelText(protocol.label, { start: node.span.start, end: Math.max(end, node.span.start) });
}

function doseLine(protocol: ResolvedProtocol, node: ast.LabelDose): string {
  const schedule = node.schedule;
  const parts = [node.amount?.span, schedule.route?.span, schedule.frequency?.span, schedule.daysSpan, schedule.cycle?.span];
  const end = Math.max(node.span.start, ...parts.map((span) => span?.end ?? 0));
  return labelText(protocol.label, { start: node.span.start, end });
}

/** The protocol documents that its own schedule replaces the label's. */
export function scheduleDeviates(protocol: ResolvedProtocol): boolean {
  return protocol.deviations.has('cycle') || protocol.deviations.has('days');
}

export function labelSpec(protocol: ResolvedProtocol): LabelSpec {
  const spec: LabelSpec = { checks: [], byConstraint: new Map(), conditions: [] };
  const add = (line: LabelLine, text: string, constraint?: ConstraintInfo): LabelCheck => {
    const check = { id: spec.checks.length, constraint, line, text };
    spec.checks.push(check);
    return check;
  };
  for (const constraint of protocol.indication.constraints) {
    spec.byConstraint.set(constraint, add(constraint.node, constraintLine(protocol, constraint), constraint));
    spec.conditions.push(constraint.condition);
  }
  const dose = protocol.indication.dose;
  if (dose) {
    const text = doseLine(protocol, dose.node);
    spec.labelDose = { check: add(dose.node, text), amount: dose.amount };
    if (dose.schedule.days?.length && !scheduleDeviates(protocol)) spec.restDays = add(dose.node, text);
  }
  return spec;
}

/**
 * Whether the label doses on this state's day: its schedule read on the label's
 * calendar, as `labelDay` reads it (true when the label gives no schedule, or
 * the protocol documents its own).
 */
export function labelDosingDay(spec: LabelSpec, protocol: ResolvedProtocol, state: PatientState): boolean {
  return !spec.restDays || isScheduledDay(protocol.indication.dose?.schedule, labelCalendar(protocol, state).cycleDay);
}

function isRestDay(required: NonNullable<LabelVerdict['requires']>): boolean {
  return required.kind === 'no dose' && !required.constraint && !required.gate;
}

/**
 * The conditions of the label lines that can require `kind` on a single day, as
 * the label's machine (eval/label-course.ts) does: its `discontinue` and `hold`
 * lines, and, for discontinue, a cap that can fall below the lowest dose.
 */
export function labelLinesRequiring(protocol: ResolvedProtocol, kind: Decision['kind']): Condition[] {
  const lowest = protocol.indication.lowestDose ?? 0;
  const belowLowest = (constraint: Extract<ConstraintInfo, { kind: 'cap' }>) =>
    constraint.amount.kind === 'relative' || constraint.amount.value <= 0 || constraint.amount.value < lowest;
  const requires = (constraint: ConstraintInfo): boolean =>
    constraint.kind === kind || (kind === 'discontinue' && constraint.kind === 'cap' && belowLowest(constraint));
  return protocol.indication.constraints.filter(requires).map((constraint) => constraint.condition);
}

/** The rules of the protocol whose matching decides `kind` on a single day (rules naming only a `with` drug do not). */
export function rulesDeciding(protocol: ResolvedProtocol, kind: Decision['kind']): Condition[] {
  const drugs = machineOf(protocol).drugNames;
  return protocol.rules.filter((rule) => rule.action.kind === kind && actsOn(rule, drugs)).map((rule) => rule.condition);
}

/** The check of the line behind the verdict's requirement; undefined for what single days do not check. */
function requirementCheck(spec: LabelSpec, required: NonNullable<LabelVerdict['requires']>): LabelCheck | undefined {
  if (required.gate) return undefined;
  if (isRestDay(required)) return spec.restDays;
  return required.constraint && spec.byConstraint.get(required.constraint);
}

/**
 * Appends to `out` what the label finds wrong with `decision` in `state`; returns
 * how many it appended.
 */
export function findViolations(spec: LabelSpec, protocol: ResolvedProtocol, state: PatientState, decision: Decision, out: Violation[]): number {
  const verdict = labelDay(protocol, state);
  const required = verdict.requires;
  if (required && rankOf(decision.kind) > rankOf(required.kind)) {
    const check = requirementCheck(spec, required);
    if (check) {
      out.push({ check, required: required.kind, expected: { kind: required.kind } });
      return 1;
    }
  }
  if (decision.kind !== 'dose') return 0;
  return checkDose(spec, verdict, decision, out);
}

function checkDose(spec: LabelSpec, verdict: LabelVerdict, decision: Extract<Decision, { kind: 'dose' }>, out: Violation[]): number {
  let allowed = spec.labelDose?.amount ?? Infinity;
  let blamed = spec.labelDose?.check;
  // The label dose is the most on any day; a cap in force at or below it is the line to blame.
  const most = verdict.atMost;
  const capped = most && (most.constraint ? spec.byConstraint.get(most.constraint) : undefined);
  if (most && capped && most.amount <= allowed) {
    allowed = most.amount;
    blamed = capped;
  }
  let missing: LabelCheck[] | undefined;
  for (const { timing, constraint } of verdict.timings) {
    const check = spec.byConstraint.get(constraint);
    if (check && !decision.timing.includes(timing)) (missing ??= []).push(check);
  }
  const tooMuch = decision.amount > allowed && blamed !== undefined;
  if (!tooMuch && !missing) return 0;
  const expected = requiredDose(verdict, decision, allowed);
  if (tooMuch && blamed) out.push({ check: blamed, required: `at most ${allowed} ${decision.unit}`, expected });
  for (const check of missing ?? []) out.push({ check, required: formatDecision(expected), expected });
  return (tooMuch ? 1 : 0) + (missing?.length ?? 0);
}

/** The protocol's dose brought within the label: no more than allowed, with every timing in force. */
function requiredDose(verdict: LabelVerdict, decision: Extract<Decision, { kind: 'dose' }>, allowed: number): Decision {
  const timing = [...decision.timing];
  for (const item of verdict.timings) if (!timing.includes(item.timing)) timing.push(item.timing);
  return { kind: 'dose', amount: Math.min(decision.amount, allowed), unit: decision.unit, timing };
}
