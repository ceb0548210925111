// One day with no history: the question a v1 `test` and the single-day
// verifier ask. A one-day question is a course of one day: the machines of
// course.ts and label-course.ts stepped once from a morning built from the
// state (the day given, default 1, wrapped into the cycle; the cycle given or
// the one that day falls in; `previous_dose`, default the start dose, as the
// dose so far).
import type { Amount, Decision, PatientState, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';
import { valueOf } from './condition.js';
import type { Calendar } from './calendar.js';
import { courseMachine, initialState, stepOutcome, type CourseMachine, type DayOutcome, type StepOptions } from './course.js';
import { initialLabelState, labelMachine, labelStep, type LabelMachine, type LabelVerdict } from './label-course.js';
import type { Why } from './why.js';

export interface Outcome {
  decision: Decision;
  /** The rule that decided; undefined when the start dose, the schedule or the calendar did. */
  decidedBy?: RuleInfo;
  /** Why, as data (eval/why.ts: "rule neutropenia (hold)", "rest day 24 of 28", "start dose"). */
  reason: Why;
}

/** The day of the cycle (1-based) for a state; days past the cycle wrap into the next. */
export function cycleDay(protocol: ResolvedProtocol, state: PatientState): number {
  return dayOfCycle(state, protocol.start?.schedule.cycleDays);
}

function dayOfCycle(state: PatientState, cycle: number | undefined): number {
  const day = state.get(BUILTIN_DAY);
  const value = typeof day === 'number' ? day : 1;
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
  return stepOutcome(machine, initialState(machine, doseSoFar(protocol, state), calendarOf(state, machine.cycleDays)), state, options);
}

/** The calendar a one-day question starts from: the state's day on a cycle of `cycleDays`. */
function calendarOf(state: PatientState, cycleDays: number | undefined): Calendar {
  const given = state.get(BUILTIN_DAY);
  const treatmentDay = typeof given === 'number' ? given : 1;
  const givenCycle = state.get(BUILTIN_CYCLE);
  const cycle = typeof givenCycle === 'number' ? givenCycle : cycleDays && cycleDays > 0 && treatmentDay >= 1 ? Math.floor((treatmentDay - 1) / cycleDays) + 1 : 1;
  return { treatmentDay, cycle, cycleDay: dayOfCycle(state, cycleDays), waiting: false };
}

/** The dose so far on the morning of a one-day question: `previous_dose`, default the start dose. */
function doseSoFar(protocol: ResolvedProtocol, state: PatientState): number {
  const previous = valueOf(BUILTIN_PREVIOUS_DOSE, state, protocol.facts);
  return typeof previous === 'number' ? previous : protocol.start?.amount ?? 0;
}

/** The label's calendar on the state's day: a day of treatment falls on a day of the label's own cycle. */
export function labelCalendar(protocol: ResolvedProtocol, state: PatientState): Calendar {
  return calendarOf(state, protocol.indication.dose?.schedule.cycleDays);
}

const labelMachines = new WeakMap<ResolvedProtocol, LabelMachine>();

/** The label's machine for the protocol's indication, prepared once per resolved protocol. */
export function labelMachineOf(protocol: ResolvedProtocol): LabelMachine {
  let machine = labelMachines.get(protocol);
  if (!machine) labelMachines.set(protocol, (machine = labelMachine(protocol.label, protocol.indication, protocol.facts)));
  return machine;
}

/** What the label requires on a day is decided before the day's dose is known; only the next morning depends on it. */
const NOT_YET_RECEIVED: Decision = Object.freeze({ kind: 'no dose' });

/**
 * What the label requires and allows on one day with no history: the label's
 * machine stepped once from the morning of that day, on the label's own cycle
 * (day 22 of treatment is a rest day of a 21-of-28-days label whatever the
 * protocol's cycle), with `previous_dose` as the dose received so far.
 */
export function labelDay(protocol: ResolvedProtocol, state: PatientState): LabelVerdict {
  const machine = labelMachineOf(protocol);
  return labelStep(machine, initialLabelState(machine, doseSoFar(protocol, state)), state, calendarOf(state, protocol.indication.dose?.schedule.cycleDays), NOT_YET_RECEIVED).verdict;
}
