// Scenarios and one-day tests as courses. A scenario walks its steps in order:
// the days between steps are evaluated too, with the observations carried
// forward; each step's observations start on its day. `cycle C day D` is the
// calendar as planned, valid only while no cycle has been delayed; `day N` is
// the Nth day of treatment.
import { phrase } from '../diagnostics/finding.js';
import type { Phrase } from '../diagnostics/messages.js';
import type { CompanionExpectation, Decision, FactValue, PatientState, ResolvedProtocol, ScenarioInfo, StepInfo } from '../semantics/model.js';
import { convert, parseUnit, roundSignificant, type Unit } from '../units/index.js';
import { plannedCalendar, type Calendar } from './calendar.js';
import { formatCompanion, type CompanionOutcome } from './companions.js';
import { initialState, step, type DayOutcome } from './course.js';
import { machineOf } from './day.js';
import { formatDecision, sameDecision } from './decision.js';
import type { Why } from './why.js';

export interface StepResult {
  step: StepInfo;
  /** The day the step fell on, once run; absent when the scenario stopped before it. */
  outcome?: DayOutcome;
  passed: boolean;
  expected: string;
  actual: string;
  /** What differs (decision, companion, calendar position), when it failed: phrases of the message table. */
  problems: Phrase[];
  /** Set when the step could not be placed on the calendar (after a delay, or not after the step before), or was not run after one that could not. */
  error?: Phrase;
  /** The observations in force on the step's day (its own and those carried forward), once run. */
  observations?: PatientState;
}

export interface ScenarioRun {
  steps: StepResult[];
  /** Every day evaluated, day 1 first. */
  days: DayOutcome[];
}

/** The day of treatment a step names, given the cycle length; undefined for `cycle C day D` when the cycle has no length. */
function treatmentDayOf(step: StepInfo, cycleDays: number | undefined): number | undefined {
  if (step.at.kind === 'day') return step.at.day;
  if (!cycleDays && step.at.cycle !== 1) return undefined;
  return plannedCalendar(step.at.cycle, step.at.day, cycleDays).treatmentDay;
}

export function describeStepDay(step: StepInfo): string {
  return step.at.kind === 'day' ? `day ${step.at.day}` : `cycle ${step.at.cycle} day ${step.at.day}`;
}

export function runScenario(protocol: ResolvedProtocol, scenario: ScenarioInfo): ScenarioRun {
  const machine = machineOf(protocol);
  let state = initialState(machine);
  let observations = new Map<string, FactValue>();
  let delayed = false;
  let day = 0;
  const days: DayOutcome[] = [];
  const results: StepResult[] = [];
  let stopped: Phrase | undefined;
  /** One day of the course with the observations in force. */
  const advance = (): DayOutcome => {
    const result = step(machine, state, observations);
    days.push(result.outcome);
    delayed ||= result.outcome.delayed;
    state = result.next;
    day++;
    return result.outcome;
  };
  for (const item of scenario.steps) {
    const expected = item.expected ? formatExpected(item.expected, item.companions) : '(no expectation)';
    if (stopped) {
      results.push({ step: item, passed: false, expected, actual: '?', problems: [], error: stopped });
      continue;
    }
    const target = treatmentDayOf(item, machine.cycleDays);
    let error: Phrase | undefined;
    if (target === undefined) error = phrase('StepNeedsCycleLength', describeStepDay(item));
    else if (target <= day) error = phrase('StepNotAfterPrevious', describeStepDay(item), target, day);
    while (!error && target !== undefined && day < target - 1) advance();
    if (!error && item.at.kind === 'cycle' && delayed) {
      error = phrase('StepPlannedAfterDelay', describeStepDay(item), state.calendar.treatmentDay);
    }
    if (error) {
      stopped = phrase('StepAfterUnplaced', error);
      results.push({ step: item, passed: false, expected, actual: '?', problems: [], error });
      continue;
    }
    observations = new Map([...observations, ...item.observations]);
    const judged = judge(item, advance(), expected);
    judged.observations = observations;
    results.push(judged);
  }
  return { steps: results, days };
}

/** The state of a course on a scenario step's day, in the evaluator's words: what hover shows. */
export interface StepState {
  result: StepResult;
  /** The step's index among the scenario's steps and how many there are. */
  index: number;
  count: number;
  calendar?: Calendar;
  /** The decision for the protocol's drug and why (data: `whyPhrase` says it, "rule neutropenia (hold until ...)"). */
  decision?: string;
  reason?: Why;
  /** The current dose after the day, with its unit ("3 mg"). */
  dose?: string;
  /** The holds in force that day: `hold ... until` rules not yet recovered, and a hold rule that decided. */
  holds: string[];
  /** When the cycle waited that day: "cycle 2 is delayed: its start requires platelets >= 50000 /uL" (data: `whyPhrase` says it). */
  delayed?: Why;
  /** How many days the calendar runs behind the plan because cycles were delayed. */
  daysBehind: number;
  /** Each companion's decision that day ("dexamethasone 40 mg", "no dexamethasone"). */
  companions: string[];
}

/** Runs the scenario up to and including step `index` and says where the course stands that day. */
export function stepState(protocol: ResolvedProtocol, scenario: ScenarioInfo, index: number): StepState | undefined {
  const run = runScenario(protocol, scenario);
  const result = run.steps[index];
  if (!result) return undefined;
  const state: StepState = { result, index, count: scenario.steps.length, holds: [], daysBehind: 0, companions: [] };
  const outcome = result.outcome;
  if (!outcome) return state;
  const unit = protocol.label.doseUnit?.ucum ?? '';
  const cycleDays = protocol.start?.schedule.cycleDays;
  state.calendar = outcome.calendar;
  state.decision = formatDecision(outcome.decision);
  state.reason = outcome.reason;
  state.dose = `${outcome.dose} ${unit}`.trim();
  state.holds = [...outcome.holding];
  if (outcome.decision.kind === 'hold' && outcome.decidedBy && !state.holds.includes(outcome.decidedBy.name)) state.holds.push(outcome.decidedBy.name);
  if (outcome.delayed) {
    state.delayed = outcome.delayedBy ? { kind: 'delayed', cycle: outcome.calendar.cycle, gate: outcome.delayedBy } : { kind: 'delayed', cycle: outcome.calendar.cycle };
  }
  if (cycleDays) state.daysBehind = outcome.calendar.treatmentDay - plannedCalendar(outcome.calendar.cycle, outcome.calendar.cycleDay, cycleDays).treatmentDay;
  state.companions = outcome.companions.map((item) => (item.decision.kind === 'dose' ? `${item.drug} ${item.decision.amount} ${item.decision.unit}` : `${item.drug}: ${formatDecision(item.decision)}`));
  return state;
}

function judge(item: StepInfo, outcome: DayOutcome, expected: string): StepResult {
  const problems: Phrase[] = [];
  if (item.expected && !sameDecision(item.expected, outcome.decision)) problems.push(phrase('ExpectedGot', formatDecision(item.expected), formatDecision(outcome.decision)));
  problems.push(...companionProblems(item.companions, outcome.companions));
  if (item.position && (item.position.cycle !== outcome.calendar.cycle || item.position.day !== outcome.calendar.cycleDay)) {
    problems.push(phrase('ExpectedPosition', item.position.cycle, item.position.day, outcome.calendar.cycle, outcome.calendar.cycleDay));
  }
  const actual = formatActual(outcome.decision, outcome.companions, item.companions);
  return { step: item, outcome, passed: problems.length === 0, expected, actual, problems };
}

/**
 * Differences between expected and actual companion decisions, as phrases. An
 * expected amount is compared in the actual dose's unit (`dexamethasone 20 mg`,
 * `bortezomib 2.34 mg` once bsa is given) or, for a dose per m2 or kg, per body
 * size as written (`bortezomib 1.3 mg/m2`), whether or not the size is given.
 */
export function companionProblems(expected: readonly CompanionExpectation[], actual: readonly CompanionOutcome[]): Phrase[] {
  const problems: Phrase[] = [];
  for (const item of expected) {
    const got = actual.find((outcome) => outcome.drug === item.drug);
    const given = got?.decision.kind === 'dose' ? got.decision : undefined;
    if (!item.amount) {
      if (given) problems.push(phrase('ExpectedNoCompanion', item.drug, formatCompanion(got)));
      continue;
    }
    const wanted = `${item.drug} ${item.amount.value} ${item.amount.unit.written}`;
    if (!given || !got) {
      problems.push(phrase('ExpectedGot', wanted, formatCompanion(got, item.drug)));
      continue;
    }
    if (!sameAmount(item.amount.value, item.amount.unit, got)) problems.push(phrase('ExpectedGot', wanted, formatCompanion(got)));
  }
  return problems;
}

/** Whether an expected amount is the companion's dose: in the dose's unit, or per body size. */
function sameAmount(value: number, unit: Unit, got: CompanionOutcome): boolean {
  if (got.decision.kind !== 'dose') return false;
  const doseUnit = parseUnit(got.decision.unit);
  if (doseUnit.ok) {
    const converted = convert(value, unit, doseUnit.unit);
    if (converted !== undefined) return roundSignificant(converted) === got.decision.amount;
  }
  const parts = got.perSize ?? [];
  if (parts.length === 0) return false;
  const perUnit = parseUnit(parts[0].unit);
  if (!perUnit.ok || parts.some((part) => part.unit !== parts[0].unit)) return false;
  const converted = convert(value, unit, perUnit.unit);
  return converted !== undefined && roundSignificant(converted) === roundSignificant(parts.reduce((sum, part) => sum + part.amount, 0));
}

export function formatExpected(decision: Decision, companions: readonly CompanionExpectation[]): string {
  const parts = [formatDecision(decision)];
  for (const item of companions) parts.push(item.amount ? `${item.drug} ${item.amount.value} ${item.amount.unit.written}` : `no ${item.drug}`);
  return parts.join(', ');
}

/** The actual decision, with the companions the expectation names ("bortezomib 2.34 mg (1.3 mg/m2 x bsa 1.8 m2)"). */
export function formatActual(decision: Decision, companions: readonly CompanionOutcome[], asked: readonly CompanionExpectation[]): string {
  const parts = [formatDecision(decision)];
  for (const item of asked) parts.push(formatCompanion(companions.find((outcome) => outcome.drug === item.drug), item.drug));
  return parts.join(', ');
}
