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
  Condition,
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
import { companionDecisions, companionPlan, type CompanionOutcome, type CompanionPlan } from './companions.js';
import { compileCondition, type CompiledCondition } from './condition.js';
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
  /** The rules, gates and reasons of `step`, compiled once (coursePlan). */
  plan: CoursePlan;
  /** The same for the `with` drugs (companions.ts). */
  companionPlan: CompanionPlan;
}

/** A decision with its rule and reason, built once per rule: most days are decided by one of a few. */
interface Decided {
  readonly decision: Decision;
  readonly decidedBy?: RuleInfo;
  readonly reason: Why;
}

interface PlannedRule {
  readonly rule: RuleInfo;
  readonly when: CompiledCondition;
  readonly decided: Decided;
}

interface PlannedDose {
  readonly rule: RuleInfo;
  readonly when: CompiledCondition;
  readonly amount: Amount;
  /** The rule's bit among the dose rules with a timing, 0 for none: the key of the day's timings. */
  readonly timingBit: number;
  readonly reason: Why;
}

interface PlannedHold {
  readonly rule: RuleInfo;
  readonly when: CompiledCondition;
  readonly until: CompiledCondition;
  readonly resume?: ResumeInfo;
  readonly recurrence?: ResumeInfo;
  /** The day it starts reads as in v1; on the days after, the reason says what ends it. */
  readonly starting: Decided;
  readonly continuing: Decided;
  /** A resume below the lowest level. */
  readonly belowFloor: Decided;
  /** Why a resume at dose D decided (`rule X (resumed at D mg)`), by D. */
  readonly resumedAt: Map<number, Why>;
}

/** What `step` reads of a protocol, compiled once per machine: the rules by kind, in their order, with their conditions and reasons. */
interface CoursePlan {
  readonly discontinue: readonly PlannedRule[];
  readonly hold: readonly PlannedRule[];
  readonly noDose: readonly PlannedRule[];
  readonly dose: readonly PlannedDose[];
  readonly until: readonly PlannedHold[];
  readonly gates: readonly { readonly gate: GateInfo; readonly holds: CompiledCondition; readonly delayed: Map<number, Decided> }[];
  /** Per day of the cycle: whether it is a dosing day, and its rest-day decision. */
  readonly rest: (Decided | null)[];
  /** Dose decisions by the day's timing bits, then by amount; shared (frozen) from day to day. */
  readonly doses: Map<number, Map<number, Decision>>;
  /** The names of the holds in force, by their bits (when there are at most 30 holds). */
  readonly holdingNames: Map<number, readonly string[]>;
  readonly unit: string;
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
  const cycleDays = protocol.start?.schedule.cycleDays;
  return {
    protocol,
    drugNames,
    untilRules,
    primary,
    companionDrugs,
    stopsCompanions,
    cycleDays,
    floor,
    gates: protocol.gates,
    plan: coursePlan(protocol, drugNames, untilRules, floor),
    companionPlan: companionPlan(protocol, companionDrugs, untilRules),
  };
}

const DISCONTINUE: Decision = Object.freeze({ kind: 'discontinue' });
const HOLD: Decision = Object.freeze({ kind: 'hold' });
const NO_DOSE: Decision = Object.freeze({ kind: 'no dose' });
const START_DOSE: Why = Object.freeze({ kind: 'start dose' });
const CURRENT_DOSE: Why = Object.freeze({ kind: 'current dose' });
const EARLIER: Decided = Object.freeze({ decision: DISCONTINUE, reason: Object.freeze({ kind: 'discontinued' }) });

function decided(decision: Decision, reason: Why, decidedBy?: RuleInfo): Decided {
  return Object.freeze(decidedBy ? { decision, decidedBy, reason } : { decision, reason });
}

function coursePlan(protocol: ResolvedProtocol, drugNames: ReadonlySet<string>, untilRules: readonly RuleInfo[], floor: number): CoursePlan {
  const facts = protocol.facts;
  const unit = unitOf(protocol);
  const planned = (kind: 'discontinue' | 'hold' | 'no dose', decision: Decision): PlannedRule[] =>
    protocol.rules
      .filter((rule) => rule.action.kind === kind && !(rule.action.kind === 'hold' && rule.action.until) && actsOn(rule, drugNames))
      .map((rule) => ({ rule, when: compileCondition(rule.condition, facts), decided: decided(decision, { kind: 'rule', rule, action: kind }, rule) }));
  let timed = 0;
  const dose: PlannedDose[] = [];
  for (const rule of protocol.rules) {
    if (rule.action.kind !== 'dose') continue;
    const timingBit = rule.action.timing && timed < 30 ? 1 << timed++ : 0;
    dose.push({ rule, when: compileCondition(rule.condition, facts), amount: rule.action.amount, timingBit, reason: { kind: 'rule', rule, action: 'dose' } });
  }
  const until = untilRules.map((rule): PlannedHold => {
    const info = untilOf(rule);
    const hold: PlannedHold = {
      rule,
      when: compileCondition(rule.condition, facts),
      until: compileCondition(info.condition, facts),
      starting: decided(HOLD, { kind: 'rule', rule, action: 'hold' }, rule),
      continuing: decided(HOLD, { kind: 'holding', rule }, rule),
      belowFloor: decided(DISCONTINUE, { kind: 'below floor', rule, floor, unit }, rule),
      resumedAt: new Map(),
    };
    if (info.resume) Object.assign(hold, { resume: info.resume });
    if (info.recurrence) Object.assign(hold, { recurrence: info.recurrence });
    return hold;
  });
  return {
    discontinue: planned('discontinue', DISCONTINUE),
    hold: planned('hold', HOLD),
    noDose: planned('no dose', NO_DOSE),
    dose,
    until,
    gates: protocol.gates.map((gate) => ({ gate, holds: compileCondition(gate.condition, facts), delayed: new Map() })),
    rest: [],
    doses: new Map(),
    holdingNames: new Map(),
    unit,
  };
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
      let left = target.count;
      for (const level of levels) if (level < previous && --left === 0) return level;
      return 0;
    }
  }
}

export function amountOf(amount: Amount, current: number): number {
  return amount.kind === 'absolute' ? amount.value : roundSignificant(Math.max(0, current - amount.minus));
}

/** The first of the rules (one kind, in the protocol's order) whose condition holds. */
function firstMatching(rules: readonly PlannedRule[], facts: PatientState): Decided | undefined {
  for (let i = 0; i < rules.length; i++) if (rules[i].when(facts)) return rules[i].decided;
  return undefined;
}

/** The per-hold lists of a day: the morning's (never written to: the verifier keeps states) unless the day changed them. */
export interface HoldLists {
  holding: boolean[];
  episodes: number[];
  before: number[];
  /** Whether a hold started or ended today (the lists are then the day's own copies). */
  copied: boolean;
}

type MorningHolds = { readonly holding: readonly boolean[]; readonly episodes: readonly number[]; readonly before: readonly number[] };

function own(lists: HoldLists): void {
  if (lists.copied) return;
  lists.holding = lists.holding.slice();
  lists.episodes = lists.episodes.slice();
  lists.before = lists.before.slice();
  lists.copied = true;
}

function unchanged(state: MorningHolds): HoldLists {
  return { holding: state.holding as boolean[], episodes: state.episodes as number[], before: state.before as number[], copied: false };
}

/**
 * The day a hold with `until` ends, as a condition: its `until` holds and its `when`
 * no longer does. `holdsOfDay` asks the same of its compiled conditions; the
 * verifier's input classes read this one. (The check of a hold that ends before
 * recovery, POS3024, compares the `until` as written, as SPEC-v2 asks: `until ANC >=
 * 300 /uL` under `when ANC < 500 /uL` is an author's mistake even though `when` keeps
 * that hold in force up to 500.)
 */
export function holdEnd(when: Condition, until: Condition): Condition {
  return { kind: 'and', operands: [until, { kind: 'not', operand: when, span: when.span }], span: until.span };
}

/**
 * Holds with `until`, the protocol's and the label's alike: those in force end
 * when `until` holds and `when` no longer does (they started on an earlier day,
 * by construction; a patient still febrile on the day ANC recovers stays held);
 * the others start when `when` holds, counting an episode and keeping the dose
 * last received (`received`). A hold in force this morning does not start again today.
 */
export function holdsOfDay(state: MorningHolds, holds: readonly { readonly when: CompiledCondition; readonly until: CompiledCondition }[], facts: PatientState, received: number): HoldLists {
  const lists = unchanged(state);
  for (let i = 0; i < holds.length; i++) {
    if (!state.holding[i] || !holds[i].until(facts) || holds[i].when(facts)) continue;
    own(lists);
    lists.holding[i] = false;
  }
  for (let i = 0; i < holds.length; i++) {
    if (state.holding[i] || !holds[i].when(facts)) continue;
    own(lists);
    lists.holding[i] = true;
    lists.episodes[i] = Math.min(2, lists.episodes[i] + 1);
    lists.before[i] = received;
  }
  return lists;
}

export interface StepOptions {
  /** Whether to decide the `with` drugs too (the one-day verifier, which reads only the protocol's drug, skips them). */
  companions: boolean;
  /** Decide only these `with` drugs (the course search compares only the companions a label line asks about); `outcome.companions` then holds theirs alone. */
  drugs?: ReadonlySet<string>;
}

const DEFAULT_STEP: StepOptions = { companions: true };

/** Decides one day from the morning's state and the observations in force that day. */
export function step(
  machine: CourseMachine,
  state: CourseState,
  observations: PatientState,
  options: StepOptions = DEFAULT_STEP,
): { next: CourseState; outcome: DayOutcome } {
  const outcome = stepOutcome(machine, state, observations, options);
  const left = leaves;
  const received = outcome.decision.kind === 'dose' ? outcome.decision.amount : state.received;
  const next: CourseState = {
    calendar: nextDay(state.calendar, machine.cycleDays, !outcome.delayed),
    dose: outcome.dose,
    holding: left.holding,
    episodes: left.episodes,
    received,
    before: left.before,
    discontinued: left.discontinued,
    stopped: left.stopped,
  };
  return { next, outcome };
}


/**
 * What a day leaves for the next morning besides its outcome, written by `stepOutcome`
 * and read by `step` right after: one object reused, not one per day.
 */
const leaves: { holding: boolean[]; episodes: number[]; before: number[]; discontinued: boolean; stopped: readonly string[] } = {
  holding: [],
  episodes: [],
  before: [],
  discontinued: false,
  stopped: [],
};

/**
 * The day's outcome alone, for a question about one day (a v1 `test`): `step`
 * without the next morning, which such a question never reads.
 */
export function stepOutcome(machine: CourseMachine, state: CourseState, observations: PatientState, options: StepOptions = DEFAULT_STEP): DayOutcome {
  const { protocol, plan } = machine;
  const calendar = state.calendar;
  const facts = dayFacts(observations, calendar, state.dose);
  // The morning's lists are the state's (never written to: the verifier keeps states); copied on the first change.
  let dose = state.dose;
  let discontinued = state.discontinued;
  let decision: Decided | undefined = discontinued ? EARLIER : undefined;
  const until = plan.until;
  const lists = discontinued ? unchanged(state) : holdsOfDay(state, until, facts, state.received);
  const { holding, episodes, before, copied } = lists;
  let resumedBy: PlannedHold | undefined;
  for (let i = 0; i < until.length && copied; i++) {
    if (!state.holding[i] || holding[i] || !machine.primary[i]) continue;
    const hold = until[i];
    const resume = episodes[i] >= 2 && hold.recurrence ? hold.recurrence : hold.resume;
    if (!resume) continue;
    // `previous` and `same dose`: the dose last received before the hold began (as in a label line).
    // A resume never raises the current dose: another hold's resume may have lowered it since.
    const resumed = Math.min(state.dose, resumeDose(resume, before[i], protocol.levels));
    if (resumed < dose || !resumedBy) {
      dose = resumed;
      resumedBy = hold;
    }
  }
  // A cycle starts on its day 1 only when every gate holds; otherwise it waits.
  let delayedBy: CoursePlan['gates'][number] | undefined;
  if (!discontinued && calendar.cycleDay === 1) {
    for (let i = 0; i < plan.gates.length; i++) {
      if (plan.gates[i].holds(facts)) continue;
      delayedBy = plan.gates[i];
      break;
    }
  }
  if (!decision) {
    const day: Day = { machine, state, facts, holding, dose, resumedBy, delayedBy };
    // The precedence table, strongest first: the first step that decides wins.
    // Indexed: `for...of` here took an iterator result per row and day (about 0.7 MB a check of the bench file's 6,150 tests).
    for (let i = 0; i < PRECEDENCE.length; i++) {
      decision = decideAt(PRECEDENCE[i].step, day);
      if (decision) break;
    }
    if (!decision) throw new Error('the dose step always decides');
    if (decision.decision.kind === 'discontinue') discontinued = true;
  }
  const started = !delayedBy;
  let stopped = state.stopped;
  let companions: CompanionOutcome[] = NO_COMPANIONS;
  if (machine.companionDrugs.length > 0 && (options.companions || machine.stopsCompanions)) {
    const day = companionDecisions(machine, facts, calendar, { discontinued, delayed: !started, holding, stopped }, options.drugs);
    stopped = day.stopped;
    if (options.companions) companions = day.outcomes;
  }
  leaves.holding = holding;
  leaves.episodes = episodes;
  leaves.before = before;
  leaves.discontinued = discontinued;
  leaves.stopped = stopped;
  const outcome: DayOutcome = {
    calendar,
    decision: decision.decision,
    reason: decision.reason,
    dose,
    holding: holdingNames(plan, holding),
    delayed: !started,
    companions,
  };
  if (decision.decidedBy) outcome.decidedBy = decision.decidedBy;
  if (delayedBy) outcome.delayedBy = delayedBy.gate;
  return outcome;
}

const NO_COMPANIONS: CompanionOutcome[] = Object.freeze([]) as unknown as CompanionOutcome[];
const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

/** The names of the rules whose hold is in force, shared from day to day. */
function holdingNames(plan: CoursePlan, holding: readonly boolean[]): string[] {
  const names = () => plan.until.filter((_, i) => holding[i]).map((hold) => hold.rule.name);
  if (holding.length > 30) return names();
  let bits = 0;
  for (let i = 0; i < holding.length; i++) if (holding[i]) bits |= 1 << i;
  if (bits === 0) return NO_NAMES;
  let known = plan.holdingNames.get(bits);
  if (!known) plan.holdingNames.set(bits, (known = Object.freeze(names())));
  return known as string[];
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
  /** The hold whose `until` held today and set `dose`. */
  resumedBy?: PlannedHold;
  /** The gate that keeps today's cycle from starting. */
  delayedBy?: CoursePlan['gates'][number];
}

/** One step of PRECEDENCE: its decision for the day, or undefined to leave it to the next step. */
function decideAt(step: PrecedenceStep, day: Day): Decided | undefined {
  const { machine, facts } = day;
  const plan = machine.plan;
  switch (step) {
    case 'discontinue': {
      const stop = firstMatching(plan.discontinue, facts);
      if (stop) return stop;
      if (day.resumedBy && (day.dose <= 0 || day.dose < machine.floor)) return day.resumedBy.belowFloor;
      return undefined;
    }
    case 'hold': {
      for (let i = 0; i < day.holding.length; i++) {
        if (day.holding[i] && machine.primary[i]) return day.state.holding[i] ? plan.until[i].continuing : plan.until[i].starting;
      }
      const hold = firstMatching(plan.hold, facts);
      if (hold) return hold;
      if (day.delayedBy) return delayed(day.delayedBy, day.state.calendar.cycle);
      return undefined;
    }
    case 'rest': {
      const rest = restDay(machine, day.state.calendar.cycleDay);
      if (rest) return rest;
      return firstMatching(plan.noDose, facts);
    }
    case 'dose':
      return smallestDose(machine, facts, day.dose, day.resumedBy);
  }
}

function delayed(gate: CoursePlan['gates'][number], cycle: number): Decided {
  let known = gate.delayed.get(cycle);
  if (!known) gate.delayed.set(cycle, (known = decided(HOLD, { kind: 'delayed', cycle, gate: gate.gate })));
  return known;
}

/** The rest-day decision of a day of the cycle outside the dosing days, kept per day; undefined on a dosing day. */
function restDay(machine: CourseMachine, cycleDay: number): Decided | undefined {
  const rest = machine.plan.rest;
  const small = Number.isInteger(cycleDay) && cycleDay >= 0 && cycleDay < 1024;
  let known = small ? rest[cycleDay] : undefined;
  if (known === undefined) {
    known = isScheduledDay(machine.protocol.start?.schedule, cycleDay) ? null : decided(NO_DOSE, machine.cycleDays ? { kind: 'rest day', day: cycleDay, of: machine.cycleDays } : { kind: 'rest day', day: cycleDay });
    if (small) rest[cycleDay] = known;
  }
  return known ?? undefined;
}

function untilOf(rule: RuleInfo) {
  if (rule.action.kind !== 'hold' || !rule.action.until) throw new Error(`rule ${rule.name} has no until`);
  return rule.action.until;
}

function unitOf(protocol: ResolvedProtocol): string {
  return protocol.label.doseUnit?.ucum ?? '';
}

/** The smallest of the current dose and every matching dose rule, with their timings (in the order of the rules). */
function smallestDose(machine: CourseMachine, facts: PatientState, current: number, resumedBy: PlannedHold | undefined): Decided {
  const plan = machine.plan;
  let amount = current;
  let decidedBy: PlannedDose | undefined;
  let timingBits = 0;
  let timing: string[] | undefined;
  for (const rule of plan.dose) {
    if (!rule.when(facts)) continue;
    const ruleTiming = rule.rule.action.kind === 'dose' ? rule.rule.action.timing : undefined;
    if (ruleTiming) {
      timingBits |= rule.timingBit;
      // Past 30 timed rules the bits do not say the timings: listed as they come.
      if (rule.timingBit === 0) timing = [];
    }
    const candidate = amountOf(rule.amount, current);
    if (candidate < amount) {
      amount = candidate;
      decidedBy = rule;
    }
  }
  const decision = timing ? doseDecision(plan, facts, amount) : sharedDose(plan, timingBits, amount, facts);
  if (decidedBy) return { decision, decidedBy: decidedBy.rule, reason: decidedBy.reason };
  if (resumedBy) return { decision, decidedBy: resumedBy.rule, reason: resumedReason(plan, resumedBy, current) };
  return { decision, reason: current === machine.protocol.start?.amount ? START_DOSE : CURRENT_DOSE };
}

function resumedReason(plan: CoursePlan, hold: PlannedHold, dose: number): Why {
  let reason = hold.resumedAt.get(dose);
  if (reason === undefined) hold.resumedAt.set(dose, (reason = Object.freeze({ kind: 'resumed', rule: hold.rule, dose, unit: plan.unit })));
  return reason;
}

/** The dose decision with the timings of the matching dose rules, in their order. */
function doseDecision(plan: CoursePlan, facts: PatientState, amount: number): Extract<Decision, { kind: 'dose' }> {
  const timing: string[] = [];
  for (const rule of plan.dose) {
    const ruleTiming = rule.rule.action.kind === 'dose' ? rule.rule.action.timing : undefined;
    if (ruleTiming && !timing.includes(ruleTiming) && rule.when(facts)) timing.push(ruleTiming);
  }
  return { kind: 'dose', amount, unit: plan.unit, timing };
}

/** `doseDecision`, kept by timing bits and amount: the same few doses come back day after day. */
function sharedDose(plan: CoursePlan, bits: number, amount: number, facts: PatientState): Decision {
  let byAmount = plan.doses.get(bits);
  if (!byAmount) plan.doses.set(bits, (byAmount = new Map()));
  let known = byAmount.get(amount);
  if (!known) {
    const fresh = doseDecision(plan, facts, amount);
    Object.freeze(fresh.timing);
    byAmount.set(amount, (known = Object.freeze(fresh)));
  }
  return known;
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
