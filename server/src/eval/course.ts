// The protocol's course evaluator: a state machine over the days of a course
// (SPEC-v2 "Meaning: one evaluator over a course", docs/semantics.md).
//
// `step(machine, state, observations)` decides one day and returns the state
// of the next morning. The state is small and plain: the calendar, the current
// dose, which holds with `until` are in force, how many episodes each has had
// (0, 1, or 2 meaning "two or more": only "is this a recurrence" matters), the
// dose last received and, per hold, the dose last received before it began, and
// whether the course is discontinued. In `resume at previous - 1 level`,
// `previous - N mg` and `same dose`, `previous` is the dose the patient last
// received before the hold began, as in a label line: lower than the current
// dose when a `dose` rule (a CYP1A2 inhibitor, Child-Pugh) reduced it, and
// `previous - 1 level` is the next level below that received dose. `key(state)` is its identity, for the
// verifier's visited set. Precedence: `step` walks the one table of
// precedence.ts (discontinue, hold including a delayed cycle, rest day,
// smallest dose) and `decideAt` says what each row decides.
import type {
  Amount,
  Decision,
  FactValue,
  GateInfo,
  PatientState,
  ResolvedProtocol,
  ResumeInfo,
  RuleInfo,
} from '../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';
import { FIRST_DAY, isScheduledDay, nextDay, type Calendar } from './calendar.js';
import { companionDecisions, type CompanionOutcome } from './companions.js';
import { holds } from './condition.js';
import { PRECEDENCE, type PrecedenceStep } from './precedence.js';
import type { Why } from './why.js';

/** A protocol prepared for stepping: what `step` reads on every day, computed once. */
export interface CourseMachine {
  protocol: ResolvedProtocol;
  /** The names the protocol's drug answers to in `then hold DRUG, ...`. */
  drugNames: ReadonlySet<string>;
  /**
   * Every `hold ... until` rule, whichever drugs it names; index i is
   * `holding[i]` and `episodes[i]` of a state.
   */
  untilRules: readonly RuleInfo[];
  /** Per `untilRules`: whether that rule acts on the protocol's drug (holds it and resumes its dose). */
  primary: readonly boolean[];
  /** The `with` drugs, in the order of their first line. */
  companionDrugs: readonly string[];
  /** Whether a rule discontinues a `with` drug (then `state.stopped` is tracked even when companions are not reported). */
  stopsCompanions: boolean;
  /** The cycle length in days, if the start gives one. */
  cycleDays?: number;
  /** A current dose below this is no dose at all: discontinue (the last level, or the label's lowest dose). */
  floor: number;
  gates: readonly GateInfo[];
}

export interface CourseState {
  readonly calendar: Calendar;
  /** The current dose of the protocol's drug, in the label's dose unit. */
  readonly dose: number;
  /** Per `machine.untilRules`: whether that hold is in force this morning. */
  readonly holding: readonly boolean[];
  /** Per `machine.untilRules`: episodes started so far, 0, 1 or 2 (two or more). */
  readonly episodes: readonly number[];
  /** The dose the patient last received (the start dose before any dose). */
  readonly received: number;
  /** Per `machine.untilRules`: the dose last received before that hold began: its `previous` and `same dose`. */
  readonly before: readonly number[];
  readonly discontinued: boolean;
  /** The `with` drugs a rule naming them has discontinued (for good), sorted; the regimen goes on. */
  readonly stopped: readonly string[];
}

/** One day's decision for the protocol's drug, with why, and the state it leaves. */
export interface DayOutcome {
  calendar: Calendar;
  decision: Decision;
  /** The rule that decided, if one did. */
  decidedBy?: RuleInfo;
  /** The gate that delayed the cycle, if that decided. */
  delayedBy?: GateInfo;
  /** Why, as data (eval/why.ts; `whyPhrase` says it: "rule neutropenia (hold until ANC >= 500 /uL)", "rest day 24 of 28"). */
  reason: Why;
  /** The current dose after this day (what the next dosing day starts from). */
  dose: number;
  /** The names of the rules whose hold is in force after this day. */
  holding: string[];
  /** The cycle waited for its gate today. */
  delayed: boolean;
  /** Each `with` drug's decision for the day. */
  companions: CompanionOutcome[];
}

export function courseMachine(protocol: ResolvedProtocol): CourseMachine {
  const drugNames = new Set<string>([protocol.label.name, ...protocol.label.aliases]);
  if (protocol.node.drug) drugNames.add(protocol.node.drug.text);
  const untilRules = protocol.rules.filter((rule) => rule.action.kind === 'hold' && rule.action.until);
  const primary = untilRules.map((rule) => actsOn(rule, drugNames));
  const companionDrugs = [...new Set(protocol.companions.map((line) => line.drug))];
  const lastLevel = protocol.levels.length > 0 ? protocol.levels[protocol.levels.length - 1] : 0;
  const floor = Math.max(lastLevel, protocol.indication.lowestDose ?? 0);
  const stopsCompanions = protocol.rules.some((rule) => rule.action.kind === 'discontinue' && rule.action.drugs?.some((drug) => companionDrugs.includes(drug)));
  return { protocol, drugNames, untilRules, primary, companionDrugs, stopsCompanions, cycleDays: protocol.start?.schedule.cycleDays, floor, gates: protocol.gates };
}

/** Whether a rule acts on the protocol's drug: it names no drug, or names it. */
export function actsOn(rule: RuleInfo, drugNames: ReadonlySet<string>): boolean {
  const drugs = rule.action.kind === 'dose' ? undefined : rule.action.drugs;
  return !drugs || drugs.some((drug) => drugNames.has(drug));
}

/** The morning of day 1: the start dose (or `dose`), no hold, nothing counted. */
const NONE: readonly never[] = Object.freeze([]);

export function initialState(machine: CourseMachine, dose = machine.protocol.start?.amount ?? 0, calendar: Calendar = FIRST_DAY): CourseState {
  // A protocol without `until` holds (every v1 protocol) shares one empty list: the verifier makes a state per patient state.
  if (machine.untilRules.length === 0) return { calendar, dose, holding: NONE, episodes: NONE, received: dose, before: NONE, discontinued: false, stopped: NONE };
  return { calendar, dose, holding: machine.untilRules.map(() => false), episodes: machine.untilRules.map(() => 0), received: dose, before: machine.untilRules.map(() => dose), discontinued: false, stopped: NONE };
}

/** A state's identity: equal keys, equal futures under equal observations. */
export function key(state: CourseState): string {
  const c = state.calendar;
  const holding = state.holding.map((on) => (on ? '1' : '0')).join('');
  return `${c.treatmentDay}/${c.cycle}/${c.cycleDay}/${c.waiting ? 'w' : ''}|${state.dose}|${holding}|${state.episodes.join('')}|${state.received}|${state.before.join(',')}|${state.discontinued ? 'x' : ''}|${state.stopped.join(',')}`;
}

/**
 * The facts of a day: the observations in force, the calendar and the current
 * dose (`previous_dose`). A view, not a copy: the verifier decides hundreds of
 * thousands of days over states of dozens of facts.
 */
export function dayFacts(observations: PatientState, calendar: Calendar, dose: number): PatientState {
  return new DayFacts(observations, calendar.cycleDay, calendar.cycle, dose);
}

class DayFacts implements ReadonlyMap<string, FactValue> {
  constructor(
    private readonly observations: PatientState,
    private readonly day: number,
    private readonly cycle: number,
    private readonly dose: number,
  ) {}

  get(key: string): FactValue | undefined {
    if (key === BUILTIN_DAY) return this.day;
    if (key === BUILTIN_CYCLE) return this.cycle;
    if (key === BUILTIN_PREVIOUS_DOSE) return this.dose;
    return this.observations.get(key);
  }

  has(key: string): boolean {
    return key === BUILTIN_DAY || key === BUILTIN_CYCLE || key === BUILTIN_PREVIOUS_DOSE || this.observations.has(key);
  }

  private all(): Map<string, FactValue> {
    return new Map<string, FactValue>([...this.observations, [BUILTIN_DAY, this.day], [BUILTIN_CYCLE, this.cycle], [BUILTIN_PREVIOUS_DOSE, this.dose]]);
  }

  get size(): number {
    return this.all().size;
  }

  forEach(callback: (value: FactValue, key: string, map: ReadonlyMap<string, FactValue>) => void): void {
    this.all().forEach((value, key) => callback(value, key, this));
  }

  entries(): MapIterator<[string, FactValue]> {
    return this.all().entries();
  }

  keys(): MapIterator<string> {
    return this.all().keys();
  }

  values(): MapIterator<FactValue> {
    return this.all().values();
  }

  [Symbol.iterator](): MapIterator<[string, FactValue]> {
    return this.all()[Symbol.iterator]();
  }
}

/** `previous - 1 level`, `previous - 1 mg`, `same dose`, an amount: the dose a resume leads to, from `previous`. */
export function resumeDose(resume: ResumeInfo, previous: number, levels: readonly number[]): number {
  const target = resume.target;
  switch (target.kind) {
    case 'same':
      return previous;
    case 'amount':
      return target.value;
    case 'minus':
      return roundSignificant(previous - target.minus);
    case 'levels': {
      // The next lower level(s) below `previous`; none left: below every level (0).
      const lower = levels.filter((level) => level < previous);
      return lower.length >= target.count ? lower[target.count - 1] : 0;
    }
  }
}

export function amountOf(amount: Amount, current: number): number {
  return amount.kind === 'absolute' ? amount.value : roundSignificant(Math.max(0, current - amount.minus));
}

function firstMatching(machine: CourseMachine, facts: PatientState, kind: 'discontinue' | 'hold' | 'no dose'): RuleInfo | undefined {
  for (const rule of machine.protocol.rules) {
    if (rule.action.kind !== kind || (kind === 'hold' && rule.action.kind === 'hold' && rule.action.until)) continue;
    if (actsOn(rule, machine.drugNames) && holds(rule.condition, facts, machine.protocol.facts)) return rule;
  }
  return undefined;
}

export interface StepOptions {
  /** Whether to decide the `with` drugs too (the one-day verifier, which reads only the protocol's drug, skips them). */
  companions: boolean;
}

const DEFAULT_STEP: StepOptions = { companions: true };

/** Decides one day from the morning's state and the observations in force that day. */
export function step(
  machine: CourseMachine,
  state: CourseState,
  observations: PatientState,
  options: StepOptions = DEFAULT_STEP,
): { next: CourseState; outcome: DayOutcome } {
  const { protocol } = machine;
  const calendar = state.calendar;
  const facts = dayFacts(observations, calendar, state.dose);
  const counted = machine.untilRules.length > 0;
  const holding = counted ? state.holding.slice() : (state.holding as boolean[]);
  const episodes = counted ? state.episodes.slice() : (state.episodes as number[]);
  const before = counted ? state.before.slice() : (state.before as number[]);
  let dose = state.dose;
  let discontinued = state.discontinued;
  let decision: Decision | undefined;
  let decidedBy: RuleInfo | undefined;
  let reason: Why = CURRENT_DOSE;
  if (discontinued) {
    decision = { kind: 'discontinue' };
    reason = DISCONTINUED;
  }
  // Holds with `until`: those in force end when `until` holds and `when` no longer does
  // (they started on an earlier day, by construction; a patient still febrile on the day
  // ANC recovers stays held); the others start when `when` holds.
  const ended: number[] = counted ? [] : (NONE as unknown as number[]);
  for (let i = 0; i < machine.untilRules.length && !discontinued; i++) {
    const rule = machine.untilRules[i];
    if (holding[i] && holds(untilOf(rule).condition, facts, protocol.facts) && !holds(rule.condition, facts, protocol.facts)) {
      holding[i] = false;
      ended.push(i);
    }
  }
  for (let i = 0; i < machine.untilRules.length && !discontinued; i++) {
    if (holding[i] || ended.includes(i)) continue;
    if (holds(machine.untilRules[i].condition, facts, protocol.facts)) {
      holding[i] = true;
      episodes[i] = Math.min(2, episodes[i] + 1);
      before[i] = state.received;
    }
  }
  let resumedBy: RuleInfo | undefined;
  for (const i of ended) {
    if (!machine.primary[i]) continue;
    const until = untilOf(machine.untilRules[i]);
    const resume = episodes[i] >= 2 && until.recurrence ? until.recurrence : until.resume;
    if (!resume) continue;
    // `previous` and `same dose`: the dose last received before the hold began (as in a label line).
    // A resume never raises the current dose: another hold's resume may have lowered it since.
    const resumed = Math.min(state.dose, resumeDose(resume, before[i], protocol.levels));
    if (resumed < dose || !resumedBy) {
      dose = resumed;
      resumedBy = machine.untilRules[i];
    }
  }
  // A cycle starts on its day 1 only when every gate holds; otherwise it waits.
  const delayedBy = !discontinued && calendar.cycleDay === 1 ? machine.gates.find((gate) => !holds(gate.condition, facts, protocol.facts)) : undefined;
  if (!decision) {
    const day: Day = { machine, state, facts, holding, dose, resumedBy, delayedBy };
    // The precedence table, strongest first: the first step that decides wins.
    for (const row of PRECEDENCE) {
      const decided = decideAt(row.step, day);
      if (!decided) continue;
      decision = decided.decision;
      decidedBy = decided.decidedBy;
      reason = decided.reason;
      break;
    }
    if (!decision) throw new Error('the dose step always decides');
    if (decision.kind === 'discontinue') discontinued = true;
  }
  const started = !delayedBy;
  let stopped = state.stopped;
  let companions: CompanionOutcome[] = [];
  if (machine.companionDrugs.length > 0 && (options.companions || machine.stopsCompanions)) {
    const day = companionDecisions(machine, facts, calendar, { discontinued, delayed: !started, holding, stopped });
    stopped = day.stopped;
    if (options.companions) companions = day.outcomes;
  }
  const received = decision.kind === 'dose' ? decision.amount : state.received;
  const next: CourseState = { calendar: nextDay(calendar, machine.cycleDays, started), dose, holding, episodes, received, before, discontinued, stopped };
  const outcome: DayOutcome = {
    calendar,
    decision,
    reason,
    dose,
    holding: counted ? machine.untilRules.filter((_, i) => holding[i]).map((rule) => rule.name) : [],
    delayed: !started,
    companions,
  };
  if (decidedBy) outcome.decidedBy = decidedBy;
  if (delayedBy) outcome.delayedBy = delayedBy;
  return { next, outcome };
}

/** What one day's precedence steps read. */
interface Day {
  machine: CourseMachine;
  /** The morning's state. */
  state: CourseState;
  facts: PatientState;
  /** The holds with `until` in force after today's starts and ends. */
  holding: readonly boolean[];
  /** The current dose after today's resumes. */
  dose: number;
  /** The rule whose hold ended today and set `dose`. */
  resumedBy?: RuleInfo;
  /** The gate that keeps today's cycle from starting. */
  delayedBy?: GateInfo;
}

interface Decided {
  decision: Decision;
  decidedBy?: RuleInfo;
  reason: Why;
}

const DISCONTINUED: Why = { kind: 'discontinued' };
const START_DOSE: Why = { kind: 'start dose' };
const CURRENT_DOSE: Why = { kind: 'current dose' };

/** One step of PRECEDENCE: its decision for the day, or undefined to leave it to the next step. */
function decideAt(step: PrecedenceStep, day: Day): Decided | undefined {
  const { machine, facts } = day;
  switch (step) {
    case 'discontinue': {
      const stop = firstMatching(machine, facts, 'discontinue');
      if (stop) return { decision: { kind: 'discontinue' }, decidedBy: stop, reason: { kind: 'rule', rule: stop, action: 'discontinue' } };
      if (day.resumedBy && (day.dose <= 0 || day.dose < machine.floor)) {
        return { decision: { kind: 'discontinue' }, decidedBy: day.resumedBy, reason: { kind: 'below floor', rule: day.resumedBy, floor: machine.floor, unit: unitOf(machine.protocol) } };
      }
      return undefined;
    }
    case 'hold': {
      const inForce = day.holding.findIndex((on, i) => on && machine.primary[i]);
      const hold = inForce >= 0 ? machine.untilRules[inForce] : firstMatching(machine, facts, 'hold');
      if (hold) {
        // The day a hold starts reads as in v1; on the days after, the reason says what ends it.
        const since = inForce >= 0 && day.state.holding[inForce];
        return { decision: { kind: 'hold' }, decidedBy: hold, reason: since ? { kind: 'holding', rule: hold } : { kind: 'rule', rule: hold, action: 'hold' } };
      }
      if (day.delayedBy) return { decision: { kind: 'hold' }, reason: { kind: 'delayed', cycle: day.state.calendar.cycle, gate: day.delayedBy } };
      return undefined;
    }
    case 'rest': {
      const cycleDay = day.state.calendar.cycleDay;
      if (!isScheduledDay(machine.protocol.start?.schedule, cycleDay)) {
        return { decision: { kind: 'no dose' }, reason: machine.cycleDays ? { kind: 'rest day', day: cycleDay, of: machine.cycleDays } : { kind: 'rest day', day: cycleDay } };
      }
      const rest = firstMatching(machine, facts, 'no dose');
      return rest ? { decision: { kind: 'no dose' }, decidedBy: rest, reason: { kind: 'rule', rule: rest, action: 'no dose' } } : undefined;
    }
    case 'dose': {
      const smallest = smallestDose(machine, facts, day.dose);
      const { resumedBy } = day;
      if (smallest.decidedBy) return { decision: smallest.decision, decidedBy: smallest.decidedBy, reason: { kind: 'rule', rule: smallest.decidedBy, action: 'dose' } };
      if (resumedBy) return { decision: smallest.decision, decidedBy: resumedBy, reason: { kind: 'resumed', rule: resumedBy, dose: day.dose, unit: unitOf(machine.protocol) } };
      return { decision: smallest.decision, reason: day.dose === machine.protocol.start?.amount ? START_DOSE : CURRENT_DOSE };
    }
  }
}

function untilOf(rule: RuleInfo) {
  if (rule.action.kind !== 'hold' || !rule.action.until) throw new Error(`rule ${rule.name} has no until`);
  return rule.action.until;
}

function unitOf(protocol: ResolvedProtocol): string {
  return protocol.label.doseUnit?.ucum ?? '';
}

function smallestDose(machine: CourseMachine, facts: PatientState, current: number): { decision: Decision; decidedBy?: RuleInfo } {
  let amount = current;
  let decidedBy: RuleInfo | undefined;
  const timing: string[] = [];
  for (const rule of machine.protocol.rules) {
    if (rule.action.kind !== 'dose' || !holds(rule.condition, facts, machine.protocol.facts)) continue;
    if (rule.action.timing && !timing.includes(rule.action.timing)) timing.push(rule.action.timing);
    const candidate = amountOf(rule.action.amount, current);
    if (candidate < amount) {
      amount = candidate;
      decidedBy = rule;
    }
  }
  const decision: Decision = { kind: 'dose', amount, unit: unitOf(machine.protocol), timing };
  return decidedBy ? { decision, decidedBy } : { decision };
}

/** One day of observations on a day of treatment; values stay in force on later days until changed. */
export interface TimelineEntry {
  day: number;
  observations: PatientState;
}

/**
 * Runs a protocol over a course: from day 1 to the last day of `timeline`
 * (or `days`, if longer), the observations of each entry carried forward.
 */
export function runCourse(protocol: ResolvedProtocol | CourseMachine, timeline: readonly TimelineEntry[], days = 0): DayOutcome[] {
  const machine = 'untilRules' in protocol ? protocol : courseMachine(protocol);
  const sorted = [...timeline].sort((a, b) => a.day - b.day);
  const last = Math.max(days, sorted.length > 0 ? sorted[sorted.length - 1].day : 1);
  const outcomes: DayOutcome[] = [];
  let state = initialState(machine);
  let observations = new Map<string, FactValue>();
  let next = 0;
  for (let day = 1; day <= last; day++) {
    while (next < sorted.length && sorted[next].day <= day) {
      observations = new Map([...observations, ...sorted[next].observations]);
      next++;
    }
    const result = step(machine, state, observations);
    outcomes.push(result.outcome);
    state = result.next;
  }
  return outcomes;
}
