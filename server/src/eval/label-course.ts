// The label's machine, beside the protocol's (course.ts): run over the same
// timeline, it says on each day what the label REQUIRES (discontinue, hold,
// no dose) and ALLOWS (at most this dose, these timings, these companion
// doses), given the history: what the patient received on the days before.
//
// In a label line, `previous` and `same dose` mean the dose the patient last
// received before the hold began. A `resume at most` sets the most the label
// allows for the rest of the course. A dose the label would allow below its
// `lowest dose` is no dose at all: the label then requires discontinue, for
// good. While the patient has received no dose since, every later day requires
// it by the line that discontinued (a dose then breaks that line); once a dose
// was given on or after that day (a broken line already), by no line. A hold with `until` lasts from the day its `when` holds until its
// `until` holds on a later day on which its `when` no longer does. A cycle's day 1 (on the protocol's calendar)
// requires every `before each cycle require` line to hold.
import type {
  ConstraintInfo,
  Decision,
  GateInfo,
  IndicationInfo,
  PatientState,
  RequirementInfo,
  ResolvedLabel,
  ResolvedProtocol,
} from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';
import { labelText } from '../semantics/label-text.js';
import { phrase } from '../diagnostics/finding.js';
import type { Phrase } from '../diagnostics/messages.js';
import { companionDoses, isScheduledDay, type Calendar } from './calendar.js';
import { compileCondition, formatCondition, type CompiledCondition } from './condition.js';
import { dayFacts, holdsOfDay, resumeDose } from './course.js';
import { rankOf } from './precedence.js';

type HoldConstraint = Extract<ConstraintInfo, { kind: 'hold' }>;

export interface LabelMachine {
  label: ResolvedLabel;
  indication: IndicationInfo;
  /** The indication's `hold ... until` lines; index i is `holding[i]` etc. of a state. */
  untilHolds: readonly HoldConstraint[];
  /** Facts for defaults: the protocol's (which include the label's) or the label's. */
  facts: ResolvedProtocol['facts'];
  /** The cycle length of the calendar the label is run on (the protocol's): weeks of a `requires` are counted on it. */
  cycleDays?: number;
  /** The lines of `labelStep`, compiled once (labelPlan). */
  plan: LabelPlan;
}

type Required = NonNullable<LabelVerdict['requires']>;

/**
 * What `labelStep` reads of an indication, compiled once per machine: each
 * line's condition, and what it requires in words (the verdict's parts are
 * shared, frozen, from day to day).
 */
export interface LabelPlan {
  /** Per `untilHolds`. */
  readonly until: readonly { readonly when: CompiledCondition; readonly until: CompiledCondition; readonly required: Required; readonly because: Because }[];
  /** Per `indication.constraints`, in order. */
  readonly constraints: readonly {
    readonly constraint: ConstraintInfo;
    readonly when: CompiledCondition;
    readonly because: Because;
    /** What it requires when it holds (a discontinue, a hold without `until`), or its timing (a `take`). */
    readonly required?: Required;
    readonly timing?: LabelVerdict['timings'][number];
  }[];
  readonly gates: readonly { readonly holds: CompiledCondition; readonly required: Required }[];
  /** Per `indication.requires`: the day's entry when it applies. */
  readonly requires: readonly { readonly requirement: RequirementInfo; readonly when?: CompiledCondition; readonly entry: LabelVerdict['companions'][number] }[];
  /** The discontinuations a state can carry (`LabelState.stop`), one per line that required it, built as met. */
  readonly stops: Required[];
  readonly stopOf: Map<ConstraintInfo | undefined, number>;
  /** Rest days of the label's schedule, by day of the cycle (null: a dosing day). */
  readonly rest: Map<number, Required | null>;
  /** The companion entries of a day by which `requires` apply (bit i: the i-th), built once each, frozen. */
  readonly companionSets: Map<number, LabelVerdict['companions']>;
}

export interface LabelState {
  /** Per `untilHolds`: in force this morning. */
  readonly holding: readonly boolean[];
  /** Per `untilHolds`: episodes so far, 0, 1 or 2 (two or more). */
  readonly episodes: readonly number[];
  /** Per `untilHolds`: the dose last received before that hold began (its `previous`). */
  readonly before: readonly number[];
  /** The dose the patient last received. */
  readonly lastDose: number;
  /** The most the label allows from now on, after `resume at most` lines (Infinity at first). */
  readonly ceiling: number;
  /** The index in `untilHolds` of the line that set the ceiling, -1 for none. */
  readonly ceilingBy: number;
  readonly discontinued: boolean;
  /**
   * Discontinued, and no dose received since (the protocol held or stopped): the
   * discontinuation each later day requires, an index in `LabelPlan.stops`; -1 otherwise.
   */
  readonly stop: number;
}

export type Requirement = 'discontinue' | 'hold' | 'no dose';

/**
 * The line behind a requirement or a limit: the label's own words (a quote of the
 * line), or, where no one line says it, a phrase of the message table (a rest day,
 * a discontinuation on an earlier day, a limit below the lowest dose). Never English.
 */
export type Because = { readonly quote: string } | Phrase;

/** What the label requires and allows on one day. */
export interface LabelVerdict {
  /** The strongest requirement of the day, if any, with the line behind it. */
  requires?: { kind: Requirement; because: Because; constraint?: ConstraintInfo; gate?: GateInfo };
  /** The most the label allows that day, when it limits the dose. */
  atMost?: { amount: number; because: Because; constraint?: ConstraintInfo };
  /** Timings the label requires for that day's dose (`after dialysis`). */
  timings: { timing: string; constraint: ConstraintInfo }[];
  /** Companion doses the label requires that day (`requires dexamethasone 40 mg ... when age <= 75 a`). */
  companions: { drug: string; amount?: { value: number; unit: string }; requirement: RequirementInfo }[];
}

export function labelMachine(label: ResolvedLabel, indication: IndicationInfo, facts: ResolvedProtocol['facts'] = label.facts, cycleDays?: number): LabelMachine {
  const untilHolds = indication.constraints.filter((c): c is HoldConstraint => c.kind === 'hold' && c.until !== undefined);
  const machine: LabelMachine = { label, indication, untilHolds, facts, plan: undefined as unknown as LabelPlan };
  if (cycleDays !== undefined) machine.cycleDays = cycleDays;
  machine.plan = labelPlan(machine);
  return machine;
}

function required(kind: Requirement, because: Because, constraint?: ConstraintInfo, gate?: GateInfo): Required {
  const item: Required = { kind, because };
  if (constraint) item.constraint = constraint;
  if (gate) item.gate = gate;
  return Object.freeze(item);
}

const EARLIER: Required = required('discontinue', phrase('LabelDiscontinuedEarlier'));

/** Whether a day's requirement is the label's discontinuation on an earlier day after which a dose was given (that day broke a line already). */
export function brokenEarlier(requirement: LabelVerdict['requires']): boolean {
  return requirement === EARLIER;
}

/** The discontinuation later days require after `because` required it today (by its line, interned per line). */
function stopIndex(plan: LabelPlan, because: Required): number {
  let index = plan.stopOf.get(because.constraint);
  if (index === undefined) {
    plan.stopOf.set(because.constraint, (index = plan.stops.length));
    plan.stops.push(required('discontinue', phrase('LabelDiscontinuedEarlier'), because.constraint));
  }
  return index;
}

function labelPlan(machine: LabelMachine): LabelPlan {
  const { indication, facts } = machine;
  return {
    until: machine.untilHolds.map((hold) => {
      const because = lineText(machine, hold);
      // An `until` hold always has its `until` (untilHolds keeps only those).
      return { when: compileCondition(hold.condition, facts), until: hold.until ? compileCondition(hold.until.condition, facts) : () => false, required: required('hold', because, hold), because };
    }),
    constraints: indication.constraints.map((constraint) => {
      const because = lineText(machine, constraint);
      const when = compileCondition(constraint.condition, facts);
      if (constraint.kind === 'discontinue') return { constraint, when, because, required: required('discontinue', because, constraint) };
      if (constraint.kind === 'hold' && !constraint.until) return { constraint, when, because, required: required('hold', because, constraint) };
      if (constraint.kind === 'take') return { constraint, when, because, timing: Object.freeze({ timing: constraint.timing, constraint }) };
      return { constraint, when, because };
    }),
    gates: indication.gates.map((gate) => ({ holds: compileCondition(gate.condition, facts), required: required('hold', phrase('LabelGate', formatCondition(gate.condition)), undefined, gate) })),
    requires: indication.requires.map((requirement) => {
      const entry: LabelVerdict['companions'][number] = { drug: requirement.drug, requirement };
      if (requirement.amount) entry.amount = Object.freeze({ value: requirement.amount.value, unit: requirement.amount.unit.ucum });
      Object.freeze(entry);
      return requirement.condition ? { requirement, when: compileCondition(requirement.condition, facts), entry } : { requirement, entry };
    }),
    stops: [],
    stopOf: new Map(),
    rest: new Map(),
    companionSets: new Map(),
  };
}

/** The stronger of the day's requirement so far and `next` (the first of equal ones stays). */
function stronger(current: Required | undefined, next: Required): Required {
  return current && rankOf(current.kind) <= rankOf(next.kind) ? current : next;
}

function restDay(machine: LabelMachine, cycleDay: number): Required | undefined {
  let known = machine.plan.rest.get(cycleDay);
  if (known === undefined) {
    known = isScheduledDay(machine.indication.dose?.schedule, cycleDay) ? null : required('no dose', phrase('LabelRestDay', cycleDay));
    machine.plan.rest.set(cycleDay, known);
  }
  return known ?? undefined;
}

const NOTHING: never[] = Object.freeze([]) as unknown as never[];

/** The label's morning of day 1: the patient has received `dose` (the start dose) so far, nothing held. */
export function initialLabelState(machine: LabelMachine, dose: number): LabelState {
  const none = machine.untilHolds.map(() => false);
  return { holding: none, episodes: machine.untilHolds.map(() => 0), before: machine.untilHolds.map(() => dose), lastDose: dose, ceiling: Infinity, ceilingBy: -1, discontinued: false, stop: -1 };
}

export function labelKey(state: LabelState): string {
  return `${state.holding.map((on) => (on ? '1' : '0')).join('')}|${state.episodes.join('')}|${state.before.join(',')}|${state.lastDose}|${state.ceiling}/${state.ceilingBy}|${state.discontinued ? `x${state.stop}` : ''}`;
}

function lineText(machine: LabelMachine, constraint: { node: { span: { start: number; end: number } } }): Because {
  return Object.freeze({ quote: labelText(machine.label, constraint.node.span) });
}

const NO_LINE: Because = Object.freeze({ quote: '' });

/** A reason as a phrase of the table: a quote is said as written (`LabelLine`). */
export function becausePhrase(because: Because): Phrase {
  return 'quote' in because ? phrase('LabelLine', because.quote) : because;
}

/**
 * One day for the label: its verdict from the morning's state, the observations
 * in force and the protocol's calendar; then the state after the patient
 * received `received` that day.
 */
export function labelStep(
  machine: LabelMachine,
  state: LabelState,
  observations: PatientState,
  calendar: Calendar,
  received: Decision,
): { next: LabelState; verdict: LabelVerdict } {
  const { indication, plan } = machine;
  const facts = dayFacts(observations, calendar, state.lastDose);
  let ceiling = state.ceiling;
  let ceilingIndex = state.ceilingBy;
  let discontinued = state.discontinued;
  let requires: Required | undefined = discontinued ? (state.stop >= 0 ? plan.stops[state.stop] : EARLIER) : undefined;
  const until = plan.until;
  const { holding, episodes, before, copied } = holdsOfDay(state, until, facts, state.lastDose);
  for (let i = 0; i < until.length && copied; i++) {
    if (!state.holding[i] || holding[i]) continue;
    const resumes = machine.untilHolds[i].until;
    const resume = resumes && (episodes[i] >= 2 && resumes.recurrence ? resumes.recurrence : resumes.resume);
    if (!resume) continue;
    const most = resumeDose(resume, before[i], []);
    if (most < ceiling) {
      ceiling = most;
      ceilingIndex = i;
    }
  }
  let timings: LabelVerdict['timings'] = NOTHING;
  const constraints = plan.constraints;
  // Indexed loops: the search steps the label tens of thousands of times.
  for (let c = 0; c < constraints.length; c++) {
    const line = constraints[c];
    if ((!line.required && !line.timing) || !line.when(facts)) continue;
    if (line.required) requires = stronger(requires, line.required);
    else if (line.timing) {
      if (timings === NOTHING) timings = [];
      timings.push(line.timing);
    }
  }
  for (let i = 0; i < until.length; i++) if (holding[i]) requires = stronger(requires, until[i].required);
  if (calendar.cycleDay === 1) {
    for (let g = 0; g < plan.gates.length; g++) {
      const gate = plan.gates[g];
      if (gate.holds(facts)) continue;
      requires = stronger(requires, gate.required);
      break;
    }
  }
  const rest = restDay(machine, calendar.cycleDay);
  if (rest) requires = stronger(requires, rest);
  // The most the label allows: the ceiling left by resumes, and every matching cap.
  const ceilingBy: ConstraintInfo | undefined = machine.untilHolds[ceilingIndex];
  let most = ceiling;
  let mostBy: ConstraintInfo | undefined = ceilingBy;
  let because: Because = ceilingBy ? until[ceilingIndex].because : NO_LINE;
  for (let c = 0; c < constraints.length; c++) {
    const line = constraints[c];
    const constraint = line.constraint;
    if (constraint.kind !== 'cap' || !line.when(facts)) continue;
    const amount = constraint.amount.kind === 'absolute' ? constraint.amount.value : roundSignificant(Math.max(0, state.lastDose - constraint.amount.minus));
    if (amount < most) {
      most = amount;
      mostBy = constraint;
      because = line.because;
    }
  }
  let atMost: LabelVerdict['atMost'];
  if (most !== Infinity) {
    atMost = { amount: most, because };
    if (mostBy) atMost.constraint = mostBy;
    const lowest = indication.lowestDose ?? 0;
    if (most <= 0 || most < lowest) {
      requires = stronger(requires, required('discontinue', phrase('LabelBelowLowest', becausePhrase(because), most, lowest), mostBy));
      discontinued = true;
    }
  }
  const verdict: LabelVerdict = { timings, companions: labelCompanions(machine, facts, calendar) };
  if (requires) verdict.requires = requires;
  if (atMost) verdict.atMost = atMost;
  if (requires?.kind === 'discontinue') discontinued = true;
  const dosed = received.kind === 'dose';
  const lastDose = dosed ? received.amount : state.lastDose;
  const stop = !discontinued || dosed ? -1 : state.discontinued ? state.stop : stopIndex(plan, requires as Required);
  return { next: { holding, episodes, before, lastDose, ceiling, ceilingBy: ceilingIndex, discontinued, stop }, verdict };
}

/** The companion doses the label requires on a day (its `requires` whose condition holds and whose schedule doses that day). */
export function labelCompanions(machine: LabelMachine, facts: PatientState, calendar: Calendar): LabelVerdict['companions'] {
  const requires = machine.plan.requires;
  // The entries that apply, as bits (most labels have a handful of `requires`): one shared list per set.
  const bitwise = requires.length <= 30;
  let set = 0;
  let companions: LabelVerdict['companions'] = NOTHING;
  for (let r = 0; r < requires.length; r++) {
    const { requirement, when, entry } = requires[r];
    if (when && !when(facts)) continue;
    if (!companionDoses(requirement.schedule, calendar, machine.cycleDays)) continue;
    if (bitwise) set |= 1 << r;
    else {
      if (companions === NOTHING) companions = [];
      companions.push(entry);
    }
  }
  if (!bitwise || set === 0) return companions;
  const sets = machine.plan.companionSets;
  let shared = sets.get(set);
  if (!shared) {
    shared = Object.freeze(requires.filter((_, r) => (set & (1 << r)) !== 0).map((item) => item.entry)) as LabelVerdict['companions'];
    sets.set(set, shared);
  }
  return shared;
}
