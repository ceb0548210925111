// Breadth-first search over courses: the product of the protocol's machine
// (eval/course.ts) and the label's (eval/label-course.ts). A node is the pair of
// their states on a morning, with the course's fixed facts; an edge is one day
// under one input (a class of every varying fact), decided by `step` and
// `labelStep` and compared by `dayViolations`. States are normalised before they
// are remembered (what no condition or schedule tells apart is forgotten: cycle
// numbers past the last one named, days of treatment when nothing is weekly, an
// episode count nothing reads, the dose a hold not in force began from), so the
// visited set is finite and the search ends when no new state is reachable.
// A discontinued protocol can break no label line again: that node is not expanded.
// With `segments` the day of the cycle is kept only as its class of alike days, a day
// leading to each class that may follow (an over-approximation: courses.ts runs the
// exact search where it finds a broken line).
import {
  courseMachine,
  holds,
  initialLabelState,
  initialState,
  labelMachine,
  labelStep,
  companionDecisions,
  companionDoses,
  dayFacts,
  isScheduledDay,
  key,
  labelCompanions,
  labelKey,
  type CompanionOutcome,
  step,
  type StepOptions,
  type CourseMachine,
  type CourseState,
  type DayOutcome,
  type LabelMachine,
  type LabelState,
  type LabelVerdict,
} from '../eval/index.js';
import type { FactValue, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { POLL_EVERY, stateBudgetReason, type Budget } from './budget.js';
import type { StopReason } from './types.js';
import { dayViolations, type CheckContext, type DayViolation } from './course-checks.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { factsOf } from '../semantics/conditions.js';
import { labelConditions, normalCycle, normalCycleDay, normalTreatmentDay, type CourseSpace, type DaySegments } from './course-space.js';
import { InputClasses } from './input-classes.js';
import { PairMap, TupleIds } from './tuple-ids.js';

export interface Machines {
  protocol: CourseMachine;
  label: LabelMachine;
}

export function machinesOf(protocol: ResolvedProtocol): Machines {
  const machine = courseMachine(protocol);
  return { protocol: machine, label: labelMachine(protocol.label, protocol.indication, protocol.facts, machine.cycleDays) };
}

export interface Node {
  /** The protocol's and the label's states, interned. */
  pid: number;
  lid: number;
  root: number;
  /** The node this one was first reached from (-1 for a course's first morning), and the input of that day. */
  parent: number;
  input: number;
  depth: number;
}

export interface CourseGroup {
  decidedBy?: RuleInfo;
  violation: DayViolation;
  /** The node whose day broke the line, the input of that day, and the variant (CourseSpace.variants) it broke under. */
  node: number;
  input: number;
  variant: number;
  count: number;
}

export interface CourseExploration {
  nodes: Node[];
  /** States expanded (every input tried from them). */
  expanded: number;
  transitions: number;
  groups: CourseGroup[];
  /** The longest course the search had to walk (in days) before no new state was reachable. */
  depth: number;
  /** Course roots searched to the end (the first `completed` of those searched, in order). */
  completed: number;
  /** The roots in which some day broke a line, ascending. */
  unsafeRoots: number[];
  stopped?: StopReason;
}

/** One day of both machines from a pair of morning states. */
export function day(machines: Machines, context: CheckContext, p: CourseState, l: LabelState, observations: ReadonlyMap<string, FactValue>): {
  p: CourseState;
  l: LabelState;
  outcome: DayOutcome;
  verdict: LabelVerdict;
  violations: DayViolation[];
} {
  const protocolDay = step(machines.protocol, p, observations);
  const labelDay = labelStep(machines.label, l, observations, protocolDay.outcome.calendar, protocolDay.outcome.decision);
  return { p: protocolDay.next, l: labelDay.next, outcome: protocolDay.outcome, verdict: labelDay.verdict, violations: dayViolations(context, protocolDay.outcome, labelDay.verdict) };
}

function normalProtocol(machines: Machines, space: CourseSpace, state: CourseState, segments?: DaySegments): CourseState {
  const c = state.calendar;
  const cycle = normalCycle(space, c.cycle);
  const treatmentDay = normalTreatmentDay(space, c.treatmentDay);
  const episodes = state.episodes.map((count, i) => {
    const action = machines.protocol.untilRules[i].action;
    return action.kind === 'hold' && action.until?.recurrence ? count : 0;
  });
  // The dose a hold began from is read only when it ends: forgotten while it is not in force.
  const before = state.before.map((dose, i) => (state.holding[i] ? dose : 0));
  return { ...state, calendar: { treatmentDay, cycle, cycleDay: normalCycleDay(space, c.cycleDay, segments), waiting: c.waiting }, episodes, before };
}

function normalLabel(machines: Machines, state: LabelState): LabelState {
  const episodes = state.episodes.map((count, i) => (machines.label.untilHolds[i].until?.recurrence ? count : 0));
  const before = state.before.map((dose, i) => (state.holding[i] ? dose : 0));
  return { ...state, episodes, before };
}

function decisionKey(outcome: DayOutcome): string {
  const d = outcome.decision;
  return d.kind === 'dose' ? `${d.amount}${d.timing.join(',')}` : d.kind;
}

/** Each (root, input)'s class for the label (`of[root][input]`), of `count` classes. */
interface LabelInputs {
  of: number[][];
  count: number;
  /** Classes may span roots: label states are then not kept by root. */
  shared: boolean;
}

/** Beyond this many (root, input, variant) triples the label's days are not shared (the classes are computed up front). */
const SHARE_LIMIT = 200_000;
/** Shared only while the classes are at most this many times the inputs (`labelInputs`). */
const SHARE_ROW = 4;

/**
 * The label's day depends on its state, the calendar, the protocol's decision, and
 * of the observations only on the truth of its conditions (`labelConditions`). So
 * (root, input) pairs on which, under every variant, each condition that reads no
 * built-in fact has the same truth, and each fact of the others the same value,
 * step the label alike: they are one class, and share its days across roots and
 * inputs. `share` false (or too many triples, or too many classes): not shared.
 */
function labelInputs(protocol: ResolvedProtocol, space: CourseSpace, observations: readonly (readonly ReadonlyMap<string, FactValue>[])[], share: boolean): LabelInputs {
  const inputs = space.inputs.length;
  // Not shared: label states kept by root, their days by input (each lid is of one root).
  const apart: LabelInputs = { of: space.roots.map(() => space.inputs.map((_, input) => input)), count: inputs, shared: false };
  if (!share || space.roots.length * inputs * space.variants.length > SHARE_LIMIT) return apart;
  const builtins = new Set([BUILTIN_DAY, BUILTIN_CYCLE, BUILTIN_PREVIOUS_DOSE]);
  const conditions = labelConditions(protocol).map((condition) => {
    const facts = factsOf(condition);
    return { condition, read: facts.some((fact) => builtins.has(fact)) ? facts.filter((fact) => !builtins.has(fact)) : undefined };
  });
  const classes = new Map<string, number>();
  const of = observations.map((byInput) =>
    byInput.map((facts) => {
      let key = '';
      for (const variant of space.variants) {
        const state = variant.size === 0 ? facts : new Map([...facts, ...variant]);
        for (const { condition, read } of conditions) {
          if (!read) key += holds(condition, state, protocol.facts) ? '1' : '0';
          // Typed: the string "1" and the number 1 stay apart, and so do an absent fact and a given one.
          else for (const fact of read) key += `(${state.has(fact) ? `${typeof state.get(fact)}:${String(state.get(fact))}` : ''})`;
        }
        key += '|';
      }
      let id = classes.get(key);
      if (id === undefined) classes.set(key, (id = classes.size));
      return id;
    }),
  );
  // The label's day table has a row of `count` per label state: past a few times the inputs it could outgrow the unshared one.
  return classes.size <= SHARE_ROW * inputs ? { of, count: classes.size, shared: true } : apart;
}

/** Interns strings as small numbers. */
class Ids {
  private readonly ids = new Map<string, number>();
  get size(): number {
    return this.ids.size;
  }
  of(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }
}

interface ProtocolDay {
  next: number;
  /** Over day segments: the next mornings on the other classes of days the day may lead to. */
  others: readonly number[];
  discontinued: boolean;
  outcome: DayOutcome;
  /** Interned: what the protocol gave its drug, and its checked companions (per slot, `Memo.slots`: slot 0's in `outcome`). */
  decision: number;
  companions: number[];
  /** The largest of `decision` and `companions` (keys must stay below WIDE). */
  widest: number;
  /** Interned: the number of slots and each slot's `companions` (a label day's comparisons are kept by it). */
  vector: number;
  /** Per slot from 1 on: the companions' decisions (slot 0's are `outcome.companions`). */
  variantCompanions?: CompanionOutcome[][];
}

interface LabelDay {
  next: number;
  verdict: LabelVerdict;
  /** Per slot from 1 on: what the label requires of the companions (slot 0's are in `verdict`). */
  variantCompanions?: LabelVerdict['companions'][];
  /** What the comparison found in each slot, by the protocol's companion decisions of every slot (`ProtocolDay.vector`): the first alone (most label days see one), the others in `more`. */
  vector: number;
  found: readonly (readonly DayViolation[])[];
  more?: Map<number, readonly (readonly DayViolation[])[]>;
}

const NO_VIOLATIONS: readonly DayViolation[] = Object.freeze([]);
/** Per number of slots: nothing broken in any (shared, frozen). */
const CLEAN: (readonly (readonly DayViolation[])[])[] = [];
function clean(slots: number): readonly (readonly DayViolation[])[] {
  return CLEAN[slots] ?? (CLEAN[slots] = Object.freeze(new Array<readonly DayViolation[]>(slots).fill(NO_VIOLATIONS)));
}

/** One day of the search from a product state: the next ids, what the protocol decided, what broke in each slot. */
interface SearchDay {
  p: number;
  others: readonly number[];
  l: number;
  discontinued: boolean;
  outcome: DayOutcome;
  violations: readonly (readonly DayViolation[])[];
}
const NO_IDS: readonly number[] = Object.freeze([]);
const NO_SUCCESSORS: readonly { cycleDay: number; wrap: boolean }[] = Object.freeze([]);
const NO_FOUND: readonly (readonly DayViolation[])[] = Object.freeze([]);
/** Room for calendar classes and decisions in one small-integer key. */
const WIDE = 4096;
/** Label states times input classes: the rows of the label's day table (an Int32Array's numbers). */
const ROWS = 0x7fffffff;

/** The space outgrew the numbers its keys are made of. */
class TooLarge extends Error {}

/**
 * Interned states and memoised days: a product state is a pair of ids. The
 * protocol's day depends only on its own state and the input; the label's on its
 * own state, the input, what of the calendar the label reads (day and cycle, its
 * companions' schedules) and what the protocol gave; the comparison on the
 * label's day and the protocol's decisions. Many product edges share those, so
 * each machine steps far fewer times than the product has edges.
 */
class Memo {
  readonly pStates: CourseState[] = [];
  readonly lStates: LabelState[] = [];
  /** Only the checked companions are decided (the cone of influence: no next state and no check reads the others). */
  private readonly stepOptions: StepOptions;
  /** Per protocol state: its root, and the class of its calendar for the label. */
  private readonly pRoot: number[] = [];
  private readonly pCalendar: number[] = [];
  /** Per protocol state: the slots of its day (`slots`). */
  private readonly pSlots: number[] = [];
  private readonly pIds = new TupleIds();
  private readonly lIds = new TupleIds();
  private readonly calendars = new Ids();
  private readonly decisions = new Ids();
  private readonly companionSets = new TupleIds();
  private readonly vectors = new TupleIds();
  /** Decision kinds and units, as numbers for the keys. */
  private readonly words = new Ids();
  /**
   * By pid * inputs + input: one dense array (grown by `reserve`: a sparse one falls into a slow dictionary
   * mode), not one per state: large, it is never copied by the young generation's collector.
   */
  private readonly pDays: (ProtocolDay | undefined)[] = [];
  /**
   * The label's days (`lDayList`), by (lid * lStride + the input's class, calendar class * WIDE + decision), in typed
   * arrays: no Map or entry the collector would copy.
   */
  private readonly lDays = new PairMap();
  private readonly lDayList: LabelDay[] = [];
  /** The inputs of a day (the same for every root). */
  private readonly stride: number;

  /**
   * `segments`: the search over day segments (a state's day of the cycle is the first
   * day of its segment); `checkSegments`: also step each such day on its segment's
   * last day and throw if anything differs (for the tests).
   */
  constructor(
    private readonly machines: Machines,
    private readonly context: CheckContext,
    private readonly space: CourseSpace,
    private readonly observations: ReadonlyMap<string, FactValue>[][],
    labelInputs: LabelInputs,
    private readonly segments?: DaySegments,
    private readonly checkSegments = false,
    private readonly checkShared = false,
  ) {
    this.lInput = labelInputs.of;
    this.lStride = labelInputs.count;
    this.lShared = labelInputs.shared;
    this.pRecurrence = machines.protocol.untilRules.map((rule) => rule.action.kind === 'hold' && rule.action.until?.recurrence !== undefined);
    this.lRecurrence = machines.label.untilHolds.map((hold) => hold.until?.recurrence !== undefined);
    this.stride = space.inputs.length;
    this.stepOptions = { companions: true, drugs: space.checked };
  }

  /** Grows a table by pid or lid to hold `id`'s row. */
  private reserve(table: unknown[], id: number): void {
    for (let end = (id + 1) * this.stride; table.length < end; ) table.push(undefined);
  }

  get protocolStates(): number {
    return this.pStates.length;
  }

  get labelStates(): number {
    return this.lStates.length;
  }

  /** By root and input: its class for the label (`labelInputs`), the label's days kept by lid * lStride + class. */
  private readonly lInput: number[][];
  private readonly lStride: number;
  private readonly lShared: boolean;

  /** Per hold with `until`, protocol's and label's: whether its episodes are read (it has `on recurrence`). */
  private readonly pRecurrence: boolean[];
  private readonly lRecurrence: boolean[];

  /** The key of a protocol state's normal form (normalProtocol), built without building the normal form: most days reach a known state. */
  private normalProtocolKey(root: number, p: CourseState, treatmentDay: number, cycle: number, cycleDay: number, waiting: boolean): number {
    const key = this.key;
    key[0] = root;
    key[1] = normalTreatmentDay(this.space, treatmentDay);
    key[2] = normalCycle(this.space, cycle);
    key[3] = normalCycleDay(this.space, cycleDay, this.segments);
    key[4] = waiting ? 1 : 0;
    key[5] = p.dose;
    key[6] = p.received;
    let length = 7;
    for (let i = 0; i < p.holding.length; i++) {
      key[length++] = p.holding[i] ? 1 : 0;
      key[length++] = p.holding[i] ? p.before[i] : 0;
      key[length++] = this.pRecurrence[i] ? p.episodes[i] : 0;
    }
    // The checked companions a rule has discontinued: they decide those drugs' days from now on.
    for (let i = 0; i < p.stopped.length; i++) if (this.space.checked.has(p.stopped[i])) key[length++] = this.drugs.of(p.stopped[i]);
    return length;
  }

  /** The numbers of a state's key (normalProtocolKey, normalLabelKey), reused. */
  private readonly key: number[] = [];
  private readonly drugs = new Ids();

  /** The same for a label state (normalLabel). */
  private normalLabelKey(root: number, l: LabelState): number {
    const key = this.key;
    // With shared label days the root is not part of the key (the label reads it only through `lInput`).
    key[0] = this.lShared ? 0 : root;
    key[1] = l.lastDose;
    key[2] = l.ceiling;
    key[3] = l.ceilingBy;
    // Discontinued: by which line later days require it (`stop`), or by none (a dose was given since).
    key[4] = l.discontinued ? 2 + l.stop : 0;
    let length = 5;
    for (let i = 0; i < l.holding.length; i++) {
      key[length++] = l.holding[i] ? 1 : 0;
      key[length++] = l.holding[i] ? l.before[i] : 0;
      key[length++] = this.lRecurrence[i] ? l.episodes[i] : 0;
    }
    return length;
  }

  protocolId(root: number, state: CourseState): number {
    const c = state.calendar;
    return this.protocolIdOn(root, state, c.treatmentDay, c.cycle, c.cycleDay, c.waiting);
  }

  /** The id of `state` on another calendar (a next morning over day segments), the state built only when new. */
  private protocolIdOn(root: number, state: CourseState, treatmentDay: number, cycle: number, cycleDay: number, waiting: boolean): number {
    const id = this.pIds.of(this.key, this.normalProtocolKey(root, state, treatmentDay, cycle, cycleDay, waiting));
    if (id === this.pStates.length) {
      const c = state.calendar;
      const on = c.treatmentDay === treatmentDay && c.cycle === cycle && c.cycleDay === cycleDay && c.waiting === waiting ? state : { ...state, calendar: { treatmentDay, cycle, cycleDay, waiting } };
      const normal = normalProtocol(this.machines, this.space, on, this.segments);
      this.pStates.push(normal);
      this.pRoot.push(root);
      this.pCalendar.push(this.calendars.of(this.labelCalendar(normal.calendar)));
      this.pSlots.push(this.slots(normal.calendar.cycleDay));
    }
    return id;
  }

  /** What of the calendar the label reads: a cycle's first day, its own dosing days, its companions' schedules, `day` and `cycle` where its conditions name them. */
  private labelCalendar(c: CourseState['calendar']): string {
    const label = this.machines.label.indication;
    const schedulesOn = (calendar: CourseState['calendar']) => label.requires.map((requirement) => (this.space.checked.has(requirement.drug) && companionDoses(requirement.schedule, calendar, this.machines.label.cycleDays) ? 1 : 0)).join('');
    let schedules = schedulesOn(c);
    for (const cycleDay of this.companionDays(c.cycleDay)) schedules += `,${schedulesOn({ ...c, cycleDay })}`;
    const day = this.space.labelReads.day ? c.cycleDay : c.cycleDay === 1 ? 1 : 0;
    const cycle = this.space.labelReads.cycle ? c.cycle : 0;
    return `${day}/${cycle}/${isScheduledDay(label.dose?.schedule, c.cycleDay) ? 1 : 0}/${schedules}`;
  }

  labelId(root: number, state: LabelState): number {
    const id = this.lIds.of(this.key, this.normalLabelKey(root, state));
    if (id === this.lStates.length) this.lStates.push(normalLabel(this.machines, state));
    return id;
  }

  /** The checked companions' decisions, interned: per drug its name, the decision's kind and, for a dose, amount and unit. */
  private companionsKey(outcomes: readonly CompanionOutcome[]): number {
    const key = this.key;
    let length = 0;
    for (let i = 0; i < outcomes.length; i++) {
      const item = outcomes[i];
      if (!this.space.checked.has(item.drug)) continue;
      const decision = item.decision;
      key[length++] = this.drugs.of(item.drug);
      key[length++] = this.words.of(decision.kind);
      key[length++] = decision.kind === 'dose' ? decision.amount : 0;
      key[length++] = decision.kind === 'dose' ? this.words.of(decision.unit) : -1;
    }
    return this.companionSets.of(key, length);
  }

  /** By root, variant and input, built once each. */
  private readonly variantInputs: (ReadonlyMap<string, FactValue> | undefined)[][][] = [];

  private variantObservations(root: number, input: number, variant: number): ReadonlyMap<string, FactValue> {
    const byVariant = this.variantInputs[root] ?? (this.variantInputs[root] = []);
    const byInput = byVariant[variant] ?? (byVariant[variant] = []);
    return byInput[input] ?? (byInput[input] = new Map([...this.observations[root][input], ...this.space.variants[variant]]));
  }

  /**
   * Over day segments: the other days of a class its companions are checked on
   * (`DaySegments.companionDays`). A day is compared once per slot: slot = d * variants
   * + v for the class's first day (d = 0) or its d-th companion day, under variant v.
   */
  private companionDays(cycleDay: number): readonly number[] {
    return this.segments?.companionDays.get(cycleDay) ?? NO_IDS;
  }

  private slots(cycleDay: number): number {
    return this.space.variants.length * (1 + this.companionDays(cycleDay).length);
  }

  /** The calendar and observations of a slot of a day. */
  private slotDay(root: number, input: number, calendar: CourseState['calendar'], slot: number): { calendar: CourseState['calendar']; observations: ReadonlyMap<string, FactValue> } {
    const variants = this.space.variants.length;
    const d = Math.floor(slot / variants);
    const v = slot % variants;
    return {
      calendar: d === 0 ? calendar : { ...calendar, cycleDay: this.companionDays(calendar.cycleDay)[d - 1] },
      observations: v === 0 ? this.observations[root][input] : this.variantObservations(root, input, v),
    };
  }

  private protocolDay(pid: number, input: number): ProtocolDay {
    const root = this.pRoot[pid];
    const inputs = this.observations[root];
    const at = pid * this.stride + input;
    if (at >= this.pDays.length) this.reserve(this.pDays, pid);
    let known = this.pDays[at];
    if (known) return known;
    const state = this.pStates[pid];
    const result = step(this.machines.protocol, state, inputs[input], this.stepOptions);
    known = {
      next: -1,
      others: NO_IDS,
      discontinued: result.next.discontinued,
      outcome: result.outcome,
      decision: this.decisions.of(decisionKey(result.outcome)),
      companions: [this.companionsKey(result.outcome.companions)],
      widest: 0,
      vector: -1,
    };
    const slots = this.pSlots[pid];
    if (slots > 1 && result.outcome.companions.length > 0) {
      // The variant facts and the companion days decide only the companions: the rest of the day is slot 0's.
      const regimen = { discontinued: result.next.discontinued, delayed: result.outcome.delayed, holding: result.next.holding, stopped: state.stopped };
      known.variantCompanions = [];
      for (let slot = 1; slot < slots; slot++) {
        const { calendar, observations } = this.slotDay(root, input, state.calendar, slot);
        const outcomes = companionDecisions(this.machines.protocol, dayFacts(observations, calendar, state.dose), calendar, regimen, this.space.checked).outcomes;
        known.variantCompanions.push(outcomes);
        known.companions.push(this.companionsKey(outcomes));
      }
    }
    if (!result.next.discontinued) {
      const ids = this.successors(root, state, result.next, inputs[input], result.outcome);
      known.next = ids[0];
      if (ids.length > 1) known.others = ids.slice(1);
    }
    let widest = known.decision;
    for (let i = 0; i < known.companions.length; i++) if (known.companions[i] > widest) widest = known.companions[i];
    known.widest = widest;
    const vector = this.key;
    vector[0] = slots;
    for (let slot = 0; slot < slots; slot++) vector[slot + 1] = known.companions[slot] ?? known.companions[0];
    known.vector = this.vectors.of(vector, slots + 1);
    this.share(known);
    this.pDays[at] = known;
    return known;
  }

  /** One outcome (and per-slot companion decisions) per (decision, companions of every slot, deciding rule, delay), by their ids. */
  private readonly outcomes = new TupleIds();
  private readonly sharedOutcomes: { outcome: DayOutcome; variantCompanions?: CompanionOutcome[][] }[] = [];
  private readonly causes = new Map<object, number>();

  /**
   * The memo lives to the end of the search, so every scavenge copies what it keeps: a
   * protocol day keeps the first outcome equal to its own in all the search reads of it
   * (the decision, the checked companions' decisions in every slot, the rule or gate that
   * decided, a delayed cycle), not its own (which differs only in its calendar, reason,
   * dose and hold names, none read from the memo).
   */
  private share(day: ProtocolDay): void {
    const outcome = day.outcome;
    const key = this.key;
    key[0] = day.decision;
    key[1] = day.vector;
    key[2] = this.causeOf(outcome.decidedBy);
    key[3] = this.causeOf(outcome.delayedBy);
    key[4] = outcome.delayed ? 1 : 0;
    const id = this.outcomes.of(key, 5);
    const known = this.sharedOutcomes[id];
    if (known === undefined) {
      this.sharedOutcomes.push(day.variantCompanions ? { outcome, variantCompanions: day.variantCompanions } : { outcome });
      return;
    }
    day.outcome = known.outcome;
    if (known.variantCompanions) day.variantCompanions = known.variantCompanions;
  }

  private causeOf(cause: object | undefined): number {
    if (cause === undefined) return -1;
    let id = this.causes.get(cause);
    if (id === undefined) this.causes.set(cause, (id = this.causes.size));
    return id;
  }

  /**
   * The next mornings of a day: over day segments, one on each class of days the
   * day's class leads to (its own, when a segment of it lasts two days or more; the
   * next segment's; day 1 of the next cycle), a cycle waiting for its gate staying on
   * day 1. Every day of a class decides alike (nothing reads which day of it it is), so
   * the day stepped on the class's first day stands for each.
   */
  private successors(root: number, state: CourseState, next: CourseState, observations: ReadonlyMap<string, FactValue>, outcome: DayOutcome): number[] {
    const segments = this.segments;
    if (!segments || next.calendar.waiting) return [this.protocolId(root, next)];
    const c = state.calendar;
    if (this.checkSegments) this.sameEveryDay(state, next, observations, outcome);
    const ids: number[] = [];
    const following = segments.successors.get(c.cycleDay) ?? NO_SUCCESSORS;
    for (let i = 0; i < following.length; i++) {
      const { cycleDay, wrap } = following[i];
      const id = this.protocolIdOn(root, next, c.treatmentDay + 1, wrap ? c.cycle + 1 : c.cycle, cycleDay, false);
      if (!ids.includes(id)) ids.push(id);
    }
    if (ids.length === 0) throw new Error(`day segments: no successor of cycle day ${c.cycleDay}`);
    return ids;
  }

  /** The days of the cycle in the class `cycleDay` stands for (up to the last day the index names, without a cycle length). */
  private classDays(cycleDay: number): number[] {
    const index = this.segments?.index ?? new Int32Array();
    const days: number[] = [];
    for (let day = 1; day < index.length; day++) if (index[day] === cycleDay && day !== cycleDay) days.push(day);
    return days;
  }

  private companionDayOf(cycleDay: number): number {
    const of = this.segments?.companionDayOf ?? new Int32Array();
    return of[Math.min(cycleDay, of.length - 1)];
  }

  /** For the tests: the protocol's day on every day of the class is the day on its first (but for the calendar), its companions as on its companion day. */
  private sameEveryDay(state: CourseState, next: CourseState, observations: ReadonlyMap<string, FactValue>, outcome: DayOutcome): void {
    const alike = (a: CourseState, b: CourseState) => key({ ...a, calendar: state.calendar }) === key({ ...b, calendar: state.calendar });
    const on = (cycleDay: number) => step(this.machines.protocol, { ...state, calendar: { ...state.calendar, cycleDay } }, observations);
    for (const day of this.classDays(state.calendar.cycleDay)) {
      const other = on(day);
      // The companions as on the class's day with the same companion schedules (the search checks them there).
      const companionDay = this.companionDayOf(day);
      const companions = companionDay === state.calendar.cycleDay ? outcome.companions : on(companionDay).outcome.companions;
      if (!alike(other.next, next) || decisionKey(other.outcome) !== decisionKey(outcome) || this.companionsKey(other.outcome.companions) !== this.companionsKey(companions) || other.outcome.delayed !== outcome.delayed) {
        throw new Error(`day segments: cycle day ${day} decides otherwise than day ${state.calendar.cycleDay}`);
      }
    }
  }

  /** For the tests: the label's day and the comparison on every day of the class are those on its first. */
  private labelSameEveryDay(pid: number, lState: LabelState, observations: ReadonlyMap<string, FactValue>, pDay: ProtocolDay): void {
    const c = this.pStates[pid].calendar;
    const words = (verdict: LabelVerdict, calendar: CourseState['calendar']) =>
      dayViolations(this.context, { ...pDay.outcome, calendar }, verdict).map((item) => `${item.line.id}:${item.required}`).join(';') +
      `|${verdict.requires?.kind ?? ''}|${verdict.atMost?.amount ?? ''}|${verdict.timings.map((item) => item.timing).join(',')}|${verdict.companions.filter((item) => this.space.checked.has(item.drug)).map((item) => `${item.drug}${item.amount?.value ?? ''}`).join(',')}`;
    const on = (calendar: CourseState['calendar']) => labelStep(this.machines.label, lState, observations, calendar, pDay.outcome.decision);
    const first = on(c);
    for (const day of this.classDays(c.cycleDay)) {
      const last = { ...c, cycleDay: day };
      const other = on(last);
      // What the label requires of the companions as on the class's day with the same companion schedules; the rest as on its first.
      const companionDay = { ...c, cycleDay: this.companionDayOf(day) };
      const same = { ...first.verdict, companions: on(companionDay).verdict.companions };
      if (labelKey(other.next) !== labelKey(first.next) || words(other.verdict, last) !== words(same, c)) {
        throw new Error(`day segments: the label's cycle day ${day} differs from day ${c.cycleDay}`);
      }
    }
  }

  /**
   * The day of both machines from (pid, lid) under `input`: the next ids, what the
   * protocol decided, and what broke in each slot (`violations[slot]`: the variant is
   * slot % variants; reused from call to call: read it before the next call).
   */
  day(pid: number, lid: number, input: number): SearchDay {
    const root = this.pRoot[pid];
    const inputs = this.observations[root];
    const pDay = this.protocolDay(pid, input);
    if (this.pCalendar[pid] >= WIDE || pDay.widest >= WIDE) throw new TooLarge();
    const at = lid * this.lStride + this.lInput[root][input];
    if (at >= ROWS) throw new TooLarge();
    // Below 2^24: a small integer.
    const dayKey = this.pCalendar[pid] * WIDE + pDay.decision;
    const known = this.lDays.get(at, dayKey);
    let lDay: LabelDay | undefined = known >= 0 ? this.lDayList[known] : undefined;
    const calendar = this.pStates[pid].calendar;
    const reused = lDay !== undefined;
    if (!lDay) {
      const lState = this.lStates[lid];
      const result = labelStep(this.machines.label, lState, inputs[input], calendar, pDay.outcome.decision);
      lDay = { next: this.labelId(root, result.next), verdict: result.verdict, vector: -1, found: NO_FOUND };
      if (this.checkSegments) this.labelSameEveryDay(pid, lState, inputs[input], pDay);
      const slots = this.pSlots[pid];
      if (slots > 1 && this.machines.label.indication.requires.length > 0) {
        lDay.variantCompanions = [];
        for (let slot = 1; slot < slots; slot++) {
          const day = this.slotDay(root, input, calendar, slot);
          lDay.variantCompanions.push(labelCompanions(this.machines.label, dayFacts(day.observations, day.calendar, lState.lastDose), day.calendar));
        }
      }
      this.lDays.set(at, dayKey, this.lDayList.length);
      this.lDayList.push(lDay);
    }
    const found = lDay.vector === pDay.vector ? lDay.found : this.comparisons(lDay, pDay, this.pSlots[pid]);
    if (this.checkShared && reused) this.sameLabelDay(pid, lid, input, pDay, lDay, found);
    const day = this.result;
    day.violations = found;
    day.p = pDay.next;
    day.others = pDay.others;
    day.l = lDay.next;
    day.discontinued = pDay.discontinued;
    day.outcome = pDay.outcome;
    return day;
  }

  /** For the tests: a label day found in the memo is the day stepped anew in this root and input, and so is what each slot's comparison finds. */
  private sameLabelDay(pid: number, lid: number, input: number, pDay: ProtocolDay, lDay: LabelDay, found: readonly (readonly DayViolation[])[]): void {
    const root = this.pRoot[pid];
    const calendar = this.pStates[pid].calendar;
    const lState = this.lStates[lid];
    const result = labelStep(this.machines.label, lState, this.observations[root][input], calendar, pDay.outcome.decision);
    const words = (found: readonly DayViolation[]) => found.map((item) => `${item.line.id}:${item.required}:${JSON.stringify(item.expected)}:${item.companion?.given ?? ''}`).join(';');
    const differs = (what: string) => new Error(`shared label days: ${what} differs in root ${root}, input ${input}`);
    if (this.labelId(root, result.next) !== lDay.next) throw differs('the next label state');
    const verdict = (item: LabelVerdict) => `${item.requires?.kind ?? ''}|${item.atMost?.amount ?? ''}|${item.timings.map((timing) => timing.timing).join(',')}`;
    if (verdict(result.verdict) !== verdict(lDay.verdict)) throw differs('the verdict');
    for (let slot = 0; slot < found.length; slot++) {
      const day = this.slotDay(root, input, calendar, slot);
      const required = slot === 0 ? result.verdict.companions : labelCompanions(this.machines.label, dayFacts(day.observations, day.calendar, lState.lastDose), day.calendar);
      const companions = slot > 0 && pDay.variantCompanions ? pDay.variantCompanions[slot - 1] : pDay.outcome.companions;
      const fresh = dayViolations(this.context, pDay.outcome, result.verdict, companions, required);
      if (words(fresh) !== words(found[slot])) throw differs(`slot ${slot}'s comparison (${words(fresh)} / ${words(found[slot])})`);
    }
  }

  /** What `day` returns, reused from call to call (the search reads it before the next). */
  private readonly result: SearchDay = { p: -1, others: NO_IDS, l: -1, discontinued: false, outcome: undefined as unknown as DayOutcome, violations: NO_FOUND };

  /** What the comparison of each slot of the day finds, kept in the label day by the protocol day's `vector` (its companion decisions per slot). */
  private comparisons(lDay: LabelDay, pDay: ProtocolDay, slots: number): readonly (readonly DayViolation[])[] {
    const known = lDay.more?.get(pDay.vector);
    if (known) return known;
    let found: (readonly DayViolation[])[] | undefined;
    for (let slot = 0; slot < slots; slot++) {
      const companions = slot > 0 && pDay.variantCompanions ? pDay.variantCompanions[slot - 1] : pDay.outcome.companions;
      const required = slot > 0 && lDay.variantCompanions ? lDay.variantCompanions[slot - 1] : lDay.verdict.companions;
      const violations = dayViolations(this.context, pDay.outcome, lDay.verdict, companions, required);
      if (violations.length === 0) continue;
      found ??= clean(slots).slice();
      found[slot] = violations;
    }
    const result = found ?? clean(slots);
    if (lDay.vector === -1) {
      lDay.vector = pDay.vector;
      lDay.found = result;
    } else (lDay.more ?? (lDay.more = new Map())).set(pDay.vector, result);
    return result;
  }
}

export interface ExploreOptions {
  /** False: step every input from every state (for the test that merging is exact). */
  mergeInputs: boolean;
  /**
   * Search over the space's day segments (docs/verification.md, "Speed"): a state's day
   * of the cycle is its segment, and a day in a segment of n >= 2 days leads both to the
   * same segment and to the next. Every real course is a course of that search, not the
   * other way round: no broken line there is none in any real course; a broken line
   * there may be a course no calendar has (the exact search then decides).
   */
  segments?: boolean;
  /** With `segments`: step each day on its segment's last day too, and throw if it decides otherwise (for the tests). */
  checkSegments?: boolean;
  /** The roots to search (indices into `space.roots`, ascending); all when absent. */
  roots?: readonly number[];
  /** Course states an earlier search of the same verification explored: they count against the budget. */
  spent?: number;
  /** False: the label's states kept per root, its days stepped per root and input (for the test that sharing them is exact). */
  shareLabel?: boolean;
  /** Step each label day reused from another root or input anew, and throw if anything differs (for the tests). */
  checkShared?: boolean;
  /** Told of every day that breaks a line: the length of the course it ends (for the tests that the reductions are exact). */
  observe?: (days: number, violation: DayViolation, fixed: ReadonlyMap<string, FactValue>) => void;
}

export function exploreCourses(protocol: ResolvedProtocol, machines: Machines, context: CheckContext, space: CourseSpace, budget: Budget, options: ExploreOptions = { mergeInputs: true }): CourseExploration {
  const nodes: Node[] = [];
  /** Visited product states: by protocol state, the label states seen with it. */
  const visited: (Set<number> | undefined)[] = [];
  const visit = (p: number, l: number): boolean => {
    const seen = visited[p] ?? (visited[p] = new Set());
    if (seen.has(l)) return false;
    seen.add(l);
    return true;
  };
  const groups = new Map<string, CourseGroup>();
  const ruleIndex = new Map(protocol.rules.map((rule, index) => [rule, index]));
  const start = protocol.start?.amount ?? 0;
  const observations = space.roots.map((root) => space.inputs.map((input) => new Map([...root, ...input])));
  const segments = options.segments ? space.segments : undefined;
  if (options.segments && !segments) throw new Error('no day segments in this space');
  const memo = new Memo(machines, context, space, observations, labelInputs(protocol, space, observations, options.shareLabel ?? true), segments, options.checkSegments, options.checkShared);
  const classes = new InputClasses(protocol, machines, space, observations);
  const everyInput = space.inputs.map((_, index) => index);
  let expanded = 0;
  let transitions = 0;
  let depth = 0;
  let completed = 0;
  const spent = options.spent ?? 0;
  const unsafe = new Set<number>();
  const poll = Math.max(1, Math.floor(POLL_EVERY / Math.max(1, space.inputs.length)));
  const result = (stopped?: StopReason): CourseExploration => ({ nodes, expanded, transitions, groups: [...groups.values()], depth, completed, unsafeRoots: [...unsafe].sort((a, b) => a - b), stopped });
  const roots = options.roots ?? space.roots.map((_, index) => index);
  // One course root (a combination of the fixed facts) at a time, each searched to the end.
  for (const root of roots) {
    const pid = memo.protocolId(root, initialState(machines.protocol));
    const lid = memo.labelId(root, initialLabelState(machines.label, start));
    visit(pid, lid);
    nodes.push({ pid, lid, root, parent: -1, input: -1, depth: 0 });
    for (let index = nodes.length - 1; index < nodes.length; index++) {
      if (expanded % poll === 0) {
        const reason = budget.interrupted();
        if (reason) return result(reason);
      }
      if (expanded + spent >= budget.maxStates) return result(stateBudgetReason(budget, 'course'));
      const node = nodes[index];
      expanded++;
      depth = Math.max(depth, node.depth + 1);
      const inputs = options.mergeInputs ? classes.representatives(root, memo.pStates[node.pid], memo.lStates[node.lid]) : everyInput;
      // Indexed loops: this body runs once per day evaluated.
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i];
        transitions++;
        let next: SearchDay;
        try {
          next = memo.day(node.pid, node.lid, input);
        } catch (error) {
          if (error instanceof TooLarge) return result({ kind: 'numbering' });
          throw error;
        }
        for (let slot = 0; slot < next.violations.length; slot++) {
          const variant = slot % space.variants.length;
          const violations = next.violations[slot];
          if (violations.length === 0) continue;
          unsafe.add(root);
          for (const violation of violations) {
            options.observe?.(node.depth + 1, violation, new Map([...space.roots[root], ...space.variants[variant]]));
            const rule = next.outcome.decidedBy ? (ruleIndex.get(next.outcome.decidedBy) ?? -1) : -1;
            const groupKey = `${rule}:${violation.line.id}`;
            const known = groups.get(groupKey);
            if (known) known.count++;
            else groups.set(groupKey, { decidedBy: next.outcome.decidedBy, violation, node: index, input, variant, count: 1 });
          }
        }
        if (next.discontinued) continue;
        if (visit(next.p, next.l)) nodes.push({ pid: next.p, lid: next.l, root, parent: index, input, depth: node.depth + 1 });
        for (let o = 0; o < next.others.length; o++) if (visit(next.others[o], next.l)) nodes.push({ pid: next.others[o], lid: next.l, root, parent: index, input, depth: node.depth + 1 });
      }
    }
    completed++;
  }
  return result();
}

/** The inputs of each day from a course's first morning to `node` (not including the day after it). */
export function pathTo(nodes: readonly Node[], node: number): number[] {
  const inputs: number[] = [];
  for (let at = node; nodes[at].parent >= 0; at = nodes[at].parent) inputs.push(nodes[at].input);
  return inputs.reverse();
}
