// The one evaluator: the meaning of a protocol, used by `posology test`, the
// checker, the verifier and hover. Nothing else decides what a protocol does.
//
// The meaning is a course evaluator (course.ts: `step`, `runCourse`), with the
// label's machine beside it (label-course.ts), scenarios run step by step
// (scenario.ts), companions (companions.ts), conditions (condition.ts) and the
// precedence of a day's decision written once as data (precedence.ts). This
// file is the facade, and keeps `decide`: a v1 `test` is a course of one day
// (the day given, default 1; `previous_dose`, where given, is the current dose
// before that day).
import type { Amount, Decision, PatientState, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';
import { valueOf } from './condition.js';
import { courseMachine, initialState, step, type CourseMachine, type DayOutcome, type StepOptions } from './course.js';

export { formatCondition, holds, valueOf } from './condition.js';
export { PRECEDENCE, atLeastAsStrong, rankOf, type PrecedenceRow, type PrecedenceStep } from './precedence.js';
export { FIRST_DAY, companionDoses, courseDay, courseWeek, isScheduledDay, nextDay, plannedCalendar, type Calendar } from './calendar.js';
export {
  actsOn,
  amountOf,
  courseMachine,
  dayFacts,
  initialState,
  key,
  resumeDose,
  runCourse,
  step,
  type CourseMachine,
  type CourseState,
  type DayOutcome,
  type StepOptions,
  type TimelineEntry,
} from './course.js';
export { companionDecisions, formatCompanion, type BodySizeDose, type CompanionOutcome } from './companions.js';
export { breaks, initialLabelState, labelCompanions, labelKey, labelMachine, labelStep, type LabelMachine, type LabelState, type LabelVerdict, type Requirement } from './label-course.js';
export { companionProblems, describeStepDay, formatActual, formatExpected, runScenario, stepState, type ScenarioRun, type StepResult, type StepState } from './scenario.js';

export interface Outcome {
  decision: Decision;
  /** The rule that decided; undefined when the start dose, the schedule or the calendar did. */
  decidedBy?: RuleInfo;
  /** Why, in words: "rule neutropenia (hold)", "rest day 24 of 28", "start dose". */
  reason: string;
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

const ONLY_THE_DRUG: StepOptions = { companions: false };

const machines = new WeakMap<ResolvedProtocol, CourseMachine>();

/** The protocol's machine, prepared once per resolved protocol. */
export function machineOf(protocol: ResolvedProtocol): CourseMachine {
  let machine = machines.get(protocol);
  if (!machine) machines.set(protocol, (machine = courseMachine(protocol)));
  return machine;
}

/**
 * One day with no history: the day given (default 1, wrapped into the cycle),
 * the cycle given (or the one that day falls in) and `previous_dose` (default
 * the start dose) as the current dose.
 */
export function decide(protocol: ResolvedProtocol, state: PatientState): Outcome {
  const outcome = decideDay(protocol, state, ONLY_THE_DRUG);
  return outcome.decidedBy ? { decision: outcome.decision, decidedBy: outcome.decidedBy, reason: outcome.reason } : { decision: outcome.decision, reason: outcome.reason };
}

/** `decide`, with everything the day's outcome says: companions, calendar, holds in force. */
export function decideDay(protocol: ResolvedProtocol, state: PatientState, options?: StepOptions): DayOutcome {
  const machine = machineOf(protocol);
  const given = state.get(BUILTIN_DAY);
  const treatmentDay = typeof given === 'number' ? given : 1;
  const length = machine.cycleDays;
  const givenCycle = state.get(BUILTIN_CYCLE);
  const cycle = typeof givenCycle === 'number' ? givenCycle : length && length > 0 && treatmentDay >= 1 ? Math.floor((treatmentDay - 1) / length) + 1 : 1;
  const calendar = { treatmentDay, cycle, cycleDay: cycleDay(protocol, state), waiting: false };
  const previous = valueOf(BUILTIN_PREVIOUS_DOSE, state, protocol.facts);
  const dose = typeof previous === 'number' ? previous : protocol.start?.amount ?? 0;
  return step(machine, initialState(machine, dose, calendar), state, options).outcome;
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
