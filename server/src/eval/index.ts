// The one evaluator: the meaning of a protocol, used by `posology test`, the
// checker, the verifier and hover. Nothing else decides what a protocol does.
//
// A protocol maps a patient state to a decision for one day:
//   1. any matching `discontinue` rule wins;
//   2. then any matching `hold` rule;
//   3. then a rest day (a day of the cycle outside the start's dosing days, or a
//      matching `no dose` rule) gives `no dose`;
//   4. otherwise the dose is the smallest of the start dose and every matching
//      `dose` rule; a relative dose (`previous - 1 mg`) subtracts from the
//      `previous_dose` fact (default: the start dose). The timings of all
//      matching dose rules (`after dialysis`) go with the dose.
// Facts a state does not give take a neutral default: booleans false,
// quantities their declared `normal` value (or unknown), enums unknown, day 1.
// A comparison with an unknown value is false.
import type {
  Amount,
  Condition,
  Decision,
  FactInfo,
  FactValue,
  PatientState,
  ResolvedProtocol,
  RuleAction,
  RuleInfo,
} from '../semantics/model.js';
import { BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';

export interface Outcome {
  decision: Decision;
  /** The rule that decided; undefined when the start dose or the schedule did. */
  decidedBy?: RuleInfo;
  /** Why, in words: "rule neutropenia (hold)", "rest day 24 of 28", "start dose". */
  reason: string;
}

export function valueOf(fact: string, state: PatientState, facts: ReadonlyMap<string, FactInfo>): FactValue | undefined {
  const given = state.get(fact);
  if (given !== undefined) return given;
  const info = facts.get(fact);
  if (!info) return undefined;
  if (info.kind === 'boolean') return false;
  if (info.kind === 'quantity') return info.normal;
  return undefined;
}

function compare(left: number, op: string, right: number): boolean {
  switch (op) {
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
    case '=': return left === right;
    case '!=': return left !== right;
    default: return false;
  }
}

export function holds(condition: Condition, state: PatientState, facts: ReadonlyMap<string, FactInfo>): boolean {
  switch (condition.kind) {
    case 'bool':
      return valueOf(condition.fact, state, facts) === true;
    case 'compare': {
      const value = valueOf(condition.fact, state, facts);
      return typeof value === 'number' && compare(value, condition.op, condition.value);
    }
    case 'enum': {
      const value = valueOf(condition.fact, state, facts);
      if (typeof value !== 'string') return false;
      return condition.values.includes(value) !== condition.negated;
    }
    case 'not':
      return !holds(condition.operand, state, facts);
    case 'and':
      return condition.operands.every((operand) => holds(operand, state, facts));
    case 'or':
      return condition.operands.some((operand) => holds(operand, state, facts));
    case 'invalid':
      return false;
  }
}

/** The day of the cycle (1-based) for a state; days past the cycle wrap into the next. */
export function cycleDay(protocol: ResolvedProtocol, state: PatientState): number {
  const day = state.get(BUILTIN_DAY);
  const value = typeof day === 'number' ? day : 1;
  const cycle = protocol.start?.schedule.cycleDays;
  if (!cycle || cycle <= 0 || value < 1) return value;
  return ((Math.floor(value) - 1) % cycle) + 1;
}

export function isDosingDay(protocol: ResolvedProtocol, day: number): boolean {
  const days = protocol.start?.schedule.days;
  if (!days || days.length === 0) return true;
  return days.some((range) => day >= range.from && day <= range.to);
}

export function amountIn(amount: Amount, state: PatientState, protocol: ResolvedProtocol): number {
  if (amount.kind === 'absolute') return amount.value;
  const previous = valueOf(BUILTIN_PREVIOUS_DOSE, state, protocol.facts);
  const base = typeof previous === 'number' ? previous : 0;
  return roundSignificant(Math.max(0, base - amount.minus));
}

// Each kind of rule is looked at only when the kinds before it have not decided,
// so no rule is evaluated that cannot change the outcome (conditions have no
// side effects; the order of evaluation changes nothing else).
function firstMatching(protocol: ResolvedProtocol, state: PatientState, kind: RuleAction['kind']): RuleInfo | undefined {
  for (const rule of protocol.rules) {
    if (rule.action.kind === kind && holds(rule.condition, state, protocol.facts)) return rule;
  }
  return undefined;
}

export function decide(protocol: ResolvedProtocol, state: PatientState): Outcome {
  const stop = firstMatching(protocol, state, 'discontinue') ?? firstMatching(protocol, state, 'hold');
  if (stop) {
    const kind = stop.action.kind as 'discontinue' | 'hold';
    return { decision: { kind }, decidedBy: stop, reason: `rule ${stop.name} (${kind})` };
  }
  const day = cycleDay(protocol, state);
  if (!isDosingDay(protocol, day)) {
    const cycle = protocol.start?.schedule.cycleDays;
    return { decision: { kind: 'no dose' }, reason: `rest day ${day}${cycle ? ` of ${cycle}` : ''}` };
  }
  const rest = firstMatching(protocol, state, 'no dose');
  if (rest) return { decision: { kind: 'no dose' }, decidedBy: rest, reason: `rule ${rest.name} (no dose)` };
  return smallestDose(protocol, state);
}

function smallestDose(protocol: ResolvedProtocol, state: PatientState): Outcome {
  const unit = protocol.label.doseUnit?.ucum ?? '';
  let amount = protocol.start?.amount ?? 0;
  let decidedBy: RuleInfo | undefined;
  const timing: string[] = [];
  for (const rule of protocol.rules) {
    if (rule.action.kind !== 'dose' || !holds(rule.condition, state, protocol.facts)) continue;
    if (rule.action.timing && !timing.includes(rule.action.timing)) timing.push(rule.action.timing);
    const candidate = amountIn(rule.action.amount, state, protocol);
    if (candidate < amount) {
      amount = candidate;
      decidedBy = rule;
    }
  }
  const reason = decidedBy ? `rule ${decidedBy.name} (dose)` : 'start dose';
  return { decision: { kind: 'dose', amount, unit, timing }, decidedBy, reason };
}

export function formatDecision(decision: Decision): string {
  if (decision.kind !== 'dose') return decision.kind;
  const timing = decision.timing.length > 0 ? ` ${decision.timing.join(', ')}` : '';
  return `dose ${decision.amount} ${decision.unit}${timing}`;
}

export function sameDecision(expected: Decision, actual: Decision): boolean {
  if (expected.kind !== actual.kind) return false;
  if (expected.kind !== 'dose' || actual.kind !== 'dose') return true;
  if (expected.amount !== actual.amount) return false;
  if (expected.timing.length !== actual.timing.length) return false;
  if (expected.timing.length === 0) return true;
  const a = [...expected.timing].sort();
  const b = [...actual.timing].sort();
  return a.every((item, i) => item === b[i]);
}
