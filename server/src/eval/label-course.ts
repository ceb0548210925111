// The label's machine, beside the protocol's (course.ts): run over the same
// timeline, it says on each day what the label REQUIRES (discontinue, hold,
// no dose) and ALLOWS (at most this dose, these timings, these companion
// doses), given the history: what the patient received on the days before.
//
// In a label line, `previous` and `same dose` mean the dose the patient last
// received before the hold began. A `resume at most` sets the most the label
// allows for the rest of the course. A dose the label would allow below its
// `lowest dose` is no dose at all: the label then requires discontinue, for
// good. A hold with `until` lasts from the day its `when` holds until its
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
import { companionDoses, isScheduledDay, type Calendar } from './calendar.js';
import { formatCondition, holds } from './condition.js';
import { dayFacts, resumeDose } from './course.js';
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
}

export type Requirement = 'discontinue' | 'hold' | 'no dose';

/** What the label requires and allows on one day. */
export interface LabelVerdict {
  /** The strongest requirement of the day, if any, with the line behind it. */
  requires?: { kind: Requirement; because: string; constraint?: ConstraintInfo; gate?: GateInfo };
  /** The most the label allows that day, when it limits the dose. */
  atMost?: { amount: number; because: string; constraint?: ConstraintInfo };
  /** Timings the label requires for that day's dose (`after dialysis`). */
  timings: { timing: string; constraint: ConstraintInfo }[];
  /** Companion doses the label requires that day (`requires dexamethasone 40 mg ... when age <= 75 a`). */
  companions: { drug: string; amount?: { value: number; unit: string }; requirement: RequirementInfo }[];
}

export function labelMachine(label: ResolvedLabel, indication: IndicationInfo, facts: ResolvedProtocol['facts'] = label.facts, cycleDays?: number): LabelMachine {
  const untilHolds = indication.constraints.filter((c): c is HoldConstraint => c.kind === 'hold' && c.until !== undefined);
  const machine: LabelMachine = { label, indication, untilHolds, facts };
  if (cycleDays !== undefined) machine.cycleDays = cycleDays;
  return machine;
}

/** The label's morning of day 1: the patient has received `dose` (the start dose) so far, nothing held. */
export function initialLabelState(machine: LabelMachine, dose: number): LabelState {
  const none = machine.untilHolds.map(() => false);
  return { holding: none, episodes: machine.untilHolds.map(() => 0), before: machine.untilHolds.map(() => dose), lastDose: dose, ceiling: Infinity, ceilingBy: -1, discontinued: false };
}

export function labelKey(state: LabelState): string {
  return `${state.holding.map((on) => (on ? '1' : '0')).join('')}|${state.episodes.join('')}|${state.before.join(',')}|${state.lastDose}|${state.ceiling}/${state.ceilingBy}|${state.discontinued ? 'x' : ''}`;
}

/** Line texts by label text and span, built once: the verifier steps the label hundreds of thousands of times. */
const lineTexts = new WeakMap<object, Map<string, string>>();

function lineText(machine: LabelMachine, constraint: { node: { span: { start: number; end: number } } }): string {
  const { start, end } = constraint.node.span;
  let texts = lineTexts.get(machine.label);
  if (!texts) lineTexts.set(machine.label, (texts = new Map()));
  const at = `${start}:${end}`;
  let text = texts.get(at);
  if (text === undefined) texts.set(at, (text = machine.label.text.slice(start, end).replace(/\s+/g, ' ')));
  return text;
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
  const { indication } = machine;
  const facts = dayFacts(observations, calendar, state.lastDose);
  const holding = state.holding.slice();
  const episodes = state.episodes.slice();
  const before = state.before.slice();
  let ceiling = state.ceiling;
  let ceilingIndex = state.ceilingBy;
  let discontinued = state.discontinued;
  const verdict: LabelVerdict = { timings: [], companions: [] };
  const require = (kind: Requirement, because: string, constraint?: ConstraintInfo, gate?: GateInfo) => {
    if (verdict.requires && rankOf(verdict.requires.kind === 'no dose' ? 'no dose' : verdict.requires.kind) <= rankOf(kind)) return;
    verdict.requires = { kind, because };
    if (constraint) verdict.requires.constraint = constraint;
    if (gate) verdict.requires.gate = gate;
  };
  if (discontinued) require('discontinue', 'the label required discontinuing on an earlier day');
  // Holds with `until`: end those in force whose `until` holds and whose `when` no longer
  // does (as the protocol's, eval/course.ts); start the others whose `when` holds.
  const ended: number[] = [];
  machine.untilHolds.forEach((hold, i) => {
    if (holding[i] && hold.until && holds(hold.until.condition, facts, machine.facts) && !holds(hold.condition, facts, machine.facts)) {
      holding[i] = false;
      ended.push(i);
    }
  });
  machine.untilHolds.forEach((hold, i) => {
    if (holding[i] || ended.includes(i) || !holds(hold.condition, facts, machine.facts)) return;
    holding[i] = true;
    episodes[i] = Math.min(2, episodes[i] + 1);
    before[i] = state.lastDose;
  });
  for (const i of ended) {
    const until = machine.untilHolds[i].until;
    const resume = until && (episodes[i] >= 2 && until.recurrence ? until.recurrence : until.resume);
    if (!resume) continue;
    const most = resumeDose(resume, before[i], []);
    if (most < ceiling) {
      ceiling = most;
      ceilingIndex = i;
    }
  }
  for (const constraint of indication.constraints) {
    if (!holds(constraint.condition, facts, machine.facts)) continue;
    if (constraint.kind === 'discontinue') require('discontinue', lineText(machine, constraint), constraint);
    else if (constraint.kind === 'hold' && !constraint.until) require('hold', lineText(machine, constraint), constraint);
    else if (constraint.kind === 'take') verdict.timings.push({ timing: constraint.timing, constraint });
  }
  machine.untilHolds.forEach((hold, i) => {
    if (holding[i]) require('hold', lineText(machine, hold), hold);
  });
  if (calendar.cycleDay === 1) {
    const gate = indication.gates.find((g) => !holds(g.condition, facts, machine.facts));
    if (gate) require('hold', `before each cycle require ${formatCondition(gate.condition)}`, undefined, gate);
  }
  if (!isScheduledDay(indication.dose?.schedule, calendar.cycleDay)) require('no dose', `rest day ${calendar.cycleDay} of the label's schedule`);
  // The most the label allows: the ceiling left by resumes, and every matching cap.
  const ceilingBy: ConstraintInfo | undefined = machine.untilHolds[ceilingIndex];
  let most = ceiling;
  let mostBy: ConstraintInfo | undefined = ceilingBy;
  let because = ceilingBy ? lineText(machine, ceilingBy) : '';
  for (const constraint of indication.constraints) {
    if (constraint.kind !== 'cap' || !holds(constraint.condition, facts, machine.facts)) continue;
    const amount = constraint.amount.kind === 'absolute' ? constraint.amount.value : roundSignificant(Math.max(0, state.lastDose - constraint.amount.minus));
    if (amount < most) {
      most = amount;
      mostBy = constraint;
      because = lineText(machine, constraint);
    }
  }
  if (most !== Infinity) {
    verdict.atMost = { amount: most, because };
    if (mostBy) verdict.atMost.constraint = mostBy;
    const lowest = indication.lowestDose ?? 0;
    if (most <= 0 || most < lowest) {
      require('discontinue', `${because}: at most ${most}, below the label's lowest dose ${lowest}`, mostBy);
      discontinued = true;
    }
  }
  if (verdict.requires?.kind === 'discontinue') discontinued = true;
  verdict.companions = labelCompanions(machine, facts, calendar);
  const lastDose = received.kind === 'dose' ? received.amount : state.lastDose;
  return { next: { holding, episodes, before, lastDose, ceiling, ceilingBy: ceilingIndex, discontinued }, verdict };
}

/** The companion doses the label requires on a day (its `requires` whose condition holds and whose schedule doses that day). */
export function labelCompanions(machine: LabelMachine, facts: PatientState, calendar: Calendar): LabelVerdict['companions'] {
  const companions: LabelVerdict['companions'] = [];
  for (const requirement of machine.indication.requires) {
    if (requirement.condition && !holds(requirement.condition, facts, machine.facts)) continue;
    if (!companionDoses(requirement.schedule, calendar, machine.cycleDays)) continue;
    const entry: LabelVerdict['companions'][number] = { drug: requirement.drug, requirement };
    if (requirement.amount) entry.amount = { value: requirement.amount.value, unit: requirement.amount.unit.ucum };
    companions.push(entry);
  }
  return companions;
}

/** Whether a protocol's decision for the day keeps to the label's verdict; the broken part, in words, when not. */
export function breaks(decision: Decision, verdict: LabelVerdict): string | undefined {
  const required = verdict.requires;
  if (required && required.kind !== 'no dose' && rankOf(decision.kind) > rankOf(required.kind)) return `the label requires ${required.kind} (${required.because})`;
  if (required?.kind === 'no dose' && decision.kind === 'dose') return `the label requires no dose (${required.because})`;
  if (decision.kind !== 'dose') return undefined;
  if (verdict.atMost && decision.amount > verdict.atMost.amount) return `the label allows at most ${verdict.atMost.amount} ${decision.unit} (${verdict.atMost.because})`;
  const missing = verdict.timings.find((timing) => !decision.timing.includes(timing.timing));
  if (missing) return `the label requires the dose ${missing.timing}`;
  return undefined;
}
