// The label as a set of checks on one patient state and the protocol's decision
// for it. Conditions are evaluated with the one evaluator (`holds`, `amountIn`,
// `cycleDay`, `isDosingDay`); only what the label requires is decided here:
//   - a label `discontinue` that holds requires discontinue;
//   - a label `hold` that holds requires hold (or discontinue);
//   - otherwise a dose is checked against: the label's rest days (unless the
//     protocol documents a `cycle` or `days` deviation), the smallest of the
//     label dose and every cap in force, and every timing (`take after ...`) in force.
import type * as ast from '../syntax/ast.js';
import { amountIn, cycleDay, formatDecision, holds, isDosingDay } from '../eval/index.js';
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
  discontinues: { check: LabelCheck; constraint: Stop }[];
  holds: { check: LabelCheck; constraint: Stop }[];
  caps: { check: LabelCheck; constraint: Cap }[];
  takes: { check: LabelCheck; constraint: Take }[];
  labelDose?: { check: LabelCheck; amount: number };
  /** The label's schedule as a protocol, so `cycleDay`/`isDosingDay` read it; undefined: no rest-day check. */
  restDays?: { check: LabelCheck; schedule: ResolvedProtocol };
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
  const spec: LabelSpec = { checks: [], discontinues: [], holds: [], caps: [], takes: [], conditions: [] };
  const add = (line: LabelLine, text: string, constraint?: ConstraintInfo): LabelCheck => {
    const check = { id: spec.checks.length, constraint, line, text };
    spec.checks.push(check);
    return check;
  };
  for (const constraint of protocol.indication.constraints) {
    const check = add(constraint.node, constraintLine(protocol, constraint), constraint);
    spec.conditions.push(constraint.condition);
    if (constraint.kind === 'discontinue') spec.discontinues.push({ check, constraint });
    else if (constraint.kind === 'hold') spec.holds.push({ check, constraint });
    else if (constraint.kind === 'cap') spec.caps.push({ check, constraint });
    else if (constraint.kind === 'take') spec.takes.push({ check, constraint });
  }
  const dose = protocol.indication.dose;
  if (dose) {
    const text = doseLine(protocol, dose.node);
    spec.labelDose = { check: add(dose.node, text), amount: dose.amount };
    if (dose.schedule.days?.length && !scheduleDeviates(protocol)) {
      const node = protocol.node.start ?? ({ kind: 'start', schedule: {}, span: dose.node.span } as ast.Start);
      spec.restDays = { check: add(dose.node, text), schedule: { ...protocol, start: { amount: dose.amount, schedule: dose.schedule, node } } };
    }
  }
  return spec;
}

/** Whether the label doses on this state's day (true when the label gives no schedule). */
export function labelDosingDay(spec: LabelSpec, state: PatientState): boolean {
  if (!spec.restDays) return true;
  const schedule = spec.restDays.schedule;
  return isDosingDay(schedule, cycleDay(schedule, state));
}

/**
 * Appends to `out` what the label finds wrong with `decision` in `state`; returns
 * how many it appended. Allocates only when something is wrong.
 */
export function findViolations(spec: LabelSpec, protocol: ResolvedProtocol, state: PatientState, decision: Decision, out: Violation[]): number {
  const facts = protocol.facts;
  for (const { check, constraint } of spec.discontinues) {
    if (!holds(constraint.condition, state, facts)) continue;
    if (decision.kind === 'discontinue') return 0;
    out.push({ check, required: 'discontinue', expected: { kind: 'discontinue' } });
    return 1;
  }
  for (const { check, constraint } of spec.holds) {
    if (!holds(constraint.condition, state, facts)) continue;
    if (decision.kind === 'hold' || decision.kind === 'discontinue') return 0;
    out.push({ check, required: 'hold', expected: { kind: 'hold' } });
    return 1;
  }
  if (decision.kind !== 'dose') return 0;
  if (spec.restDays && !labelDosingDay(spec, state)) {
    out.push({ check: spec.restDays.check, required: 'no dose', expected: { kind: 'no dose' } });
    return 1;
  }
  return checkDose(spec, protocol, state, decision, out);
}

function checkDose(spec: LabelSpec, protocol: ResolvedProtocol, state: PatientState, decision: Extract<Decision, { kind: 'dose' }>, out: Violation[]): number {
  const facts = protocol.facts;
  let allowed = spec.labelDose?.amount ?? Infinity;
  let blamed = spec.labelDose?.check;
  for (const { check, constraint } of spec.caps) {
    if (!holds(constraint.condition, state, facts)) continue;
    const cap = amountIn(constraint.amount, state, protocol);
    if (cap < allowed || (cap === allowed && blamed === spec.labelDose?.check)) {
      allowed = cap;
      blamed = check;
    }
  }
  let missing: LabelCheck[] | undefined;
  for (const { check, constraint } of spec.takes) {
    if (holds(constraint.condition, state, facts) && !decision.timing.includes(constraint.timing)) (missing ??= []).push(check);
  }
  const tooMuch = decision.amount > allowed && blamed !== undefined;
  if (!tooMuch && !missing) return 0;
  const expected = requiredDose(spec, protocol, state, decision, allowed);
  if (tooMuch && blamed) out.push({ check: blamed, required: `at most ${allowed} ${decision.unit}`, expected });
  for (const check of missing ?? []) out.push({ check, required: formatDecision(expected), expected });
  return (tooMuch ? 1 : 0) + (missing?.length ?? 0);
}

/** The protocol's dose brought within the label: no more than allowed, with every timing in force. */
function requiredDose(spec: LabelSpec, protocol: ResolvedProtocol, state: PatientState, decision: Extract<Decision, { kind: 'dose' }>, allowed: number): Decision {
  const timing = [...decision.timing];
  for (const { constraint } of spec.takes) {
    if (holds(constraint.condition, state, protocol.facts) && !timing.includes(constraint.timing)) timing.push(constraint.timing);
  }
  return { kind: 'dose', amount: Math.min(decision.amount, allowed), unit: decision.unit, timing };
}
