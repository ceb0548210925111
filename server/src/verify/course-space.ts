// The space a course is explored in (docs/verification.md, "What is explored"):
//   - which facts VARY from day to day and which are FIXED for a whole course;
//   - the partition of each (candidates.ts, partitions.ts: every threshold's
//     boundary, booleans, enumerations, values no condition tells apart merged);
//   - the day's inputs (every combination of the varying facts' classes) and the
//     courses' roots (every combination of the fixed facts' classes), fewest
//     facts away from their defaults first, so the first course found is small;
//   - how a state is normalised, so the calendar does not make the space infinite.
//
// The rule for fixed facts: a fact varies when a condition that changes the
// machines' state reads it (the `when` or the `until` of a hold with `until`, a
// `before each cycle require`, in the label or the protocol). Every other fact is
// read only by conditions that decide one day (discontinue, hold without
// `until`, dose rules, caps, timings, companions), and is fixed for the course.
import { holds, isScheduledDay } from '../eval/index.js';
import type { Amount, Condition, DosingSchedule, FactInfo, FactValue, ResolvedProtocol } from '../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { factsOf } from '../semantics/conditions.js';
import { atomsByFact, thresholdsOf } from './atoms.js';
import { partitionFor, type Partition } from './partitions.js';

const BUILTIN = new Set([BUILTIN_DAY, BUILTIN_CYCLE, BUILTIN_PREVIOUS_DOSE]);

export interface CourseSpace {
  /** Facts read by a condition that changes state: chosen anew every day. */
  varying: Partition[];
  /** Facts fixed for a whole course. */
  fixed: Partition[];
  /** Every combination of the varying facts' classes (defaults left out), fewest non-defaults first. */
  inputs: Map<string, FactValue>[];
  /** The combinations of the fixed facts' classes that act differently, fewest non-defaults first: one course each. */
  roots: Map<string, FactValue>[];
  /**
   * Facts read only by the conditions of checked `with` lines and `requires` that read
   * no varying fact (age, for the dexamethasone bands). They decide companion doses
   * and what the label requires of them, never a machine's next state: each course is
   * searched once for every combination of them (`variants`), its days compared once
   * per variant.
   */
  companionFixed: Partition[];
  /** Every combination of `companionFixed` classes (the first: all at their defaults). */
  variants: Map<string, FactValue>[];
  /** Combinations of the fixed facts' classes (variants included) before those that act alike were merged. */
  combinations: number;
  /** Facts the label or protocol declares that no condition reads: left at their defaults. */
  defaulted: string[];
  /** Cycle numbers from this one on behave alike (no condition or schedule tells them apart). */
  cycleCap: number;
  /** From `cycleCap` on, cycle numbers repeat with this period (weekly schedules whose period does not divide the cycle); absent: 1. */
  cyclePeriod?: number;
  /**
   * Without a cycle length the day of the cycle never wraps: from this day on no
   * schedule or condition tells days apart, so they are one (else the search would
   * not end).
   */
  dayCap?: number;
  /** The cycle's day segments, for the search over segments (undefined: that search does not apply). */
  segments?: DaySegments;
  /** How days of treatment are told apart: all alike, or up to `limit` and then by `period` (weekly schedules). */
  weeks?: { limit: number; period: number };
  /** Whether the label's conditions name `day` or `cycle` (else the label reads the calendar only through its schedules). */
  labelReads: { day: boolean; cycle: boolean };
  /**
   * The `with` drugs whose decisions a check compares with the label (cone of
   * influence): a `requires` of the indication names them and the protocol does not
   * document `deviation with`. No other companion decision can break a line.
   */
  checked: ReadonlySet<string>;
}

/** Runs of days of the cycle that nothing tells apart, and classes of alike runs (`segmentsOf`). */
export interface DaySegments {
  /** The first day of each segment, ascending, from day 1. */
  starts: readonly number[];
  /** The last day of each: the cycle's last day for the last segment, Infinity without a cycle length. */
  ends: readonly number[];
  /** How many classes the segments fall in. */
  classes: number;
  /** By day of the cycle up to the last start (and the cycle's length): its class, as the class's first day (the day it is stepped on). */
  index: Int32Array;
  /** By class: the days of the cycle (classes) the next morning may be on, and whether that is the next cycle's. */
  successors: ReadonlyMap<number, readonly { cycleDay: number; wrap: boolean }[]>;
  /**
   * By class: the other days of the class on which the checked companions' schedules
   * (`with` lines, `requires`) dose otherwise than on its first day, one per pattern
   * (Pd: class 2 stands for days 2-21, day 8 for the dexamethasone days among them).
   * Nothing but a companion check reads those schedules, so the days of a class share
   * the protocol's day and the label's, and only the companions are decided again on
   * each of these days. Empty for every class when `companionDays` is off.
   */
  companionDays: ReadonlyMap<number, readonly number[]>;
  /** By day of the cycle (as `index`): the day whose companion schedules it shares, its class's first day or one of `companionDays`. */
  companionDayOf: Int32Array;
}

/**
 * The exact reductions of the search, each on by default (docs/verification.md,
 * "Speed"); a test turns each off and compares the searches.
 */
export interface Reductions {
  /** Keep apart only what a check or a machine reads of the companions (their schedules, cycle numbers, weeks). */
  cone: boolean;
  /** One course per class of combinations of the fixed facts that act alike. */
  mergeRoots: boolean;
  /** Facts only companion lines read are compared per variant in one search, not searched as courses of their own. */
  variants: boolean;
  /**
   * Over day segments only (an over-approximation in any case): days that differ only in
   * the checked companions' schedules are one class, their companions checked per day
   * (`DaySegments.companionDays`). Absent: on.
   */
  companionDays?: boolean;
}

export const ALL_REDUCTIONS: Readonly<Reductions> = Object.freeze({ cone: true, mergeRoots: true, variants: true });

/** Fixed facts that only conditions of checked `with` lines and `requires` read, none of which reads a varying fact. */
function companionOnlyFacts(protocol: ResolvedProtocol, fixed: ReadonlySet<string>, checked: ReadonlySet<string>): Set<string> {
  const companionConditions = [
    ...protocol.companions.filter((line) => checked.has(line.drug)).map((line) => line.condition),
    ...protocol.indication.requires.filter((requirement) => checked.has(requirement.drug)).map((requirement) => requirement.condition),
  ].filter((condition): condition is Condition => condition !== undefined);
  const candidates = new Set<string>();
  for (const condition of companionConditions) {
    const read = factsOf(condition);
    if (read.every((fact) => fixed.has(fact))) for (const fact of read) candidates.add(fact);
  }
  const others = allConditions(protocol, checked).filter((condition) => !companionConditions.includes(condition));
  for (const condition of [...others, ...companionConditions]) {
    const read = factsOf(condition);
    if (others.includes(condition) || !read.every((fact) => fixed.has(fact))) for (const fact of read) candidates.delete(fact);
  }
  return candidates;
}

/** See CourseSpace.checked; without the cone reduction, every `with` drug. */
export function checkedCompanions(protocol: ResolvedProtocol, cone = true): Set<string> {
  const drugs = new Set(protocol.companions.map((line) => line.drug));
  if (!cone) return drugs;
  if (protocol.deviations.has('with')) return new Set();
  const required = new Set(protocol.indication.requires.map((requirement) => requirement.drug));
  return new Set([...drugs].filter((drug) => required.has(drug)));
}

/** Whether a rule acts on the protocol's drug or on a checked companion (else it decides only for drugs no check reads). */
function ruleMatters(protocol: ResolvedProtocol, rule: ResolvedProtocol['rules'][number], checked: ReadonlySet<string>): boolean {
  if (rule.action.kind === 'dose' || !rule.action.drugs) return true;
  const names = drugNames(protocol);
  return rule.action.drugs.some((drug) => names.has(drug) || checked.has(drug));
}

/** Conditions that start or end a hold with `until`, or gate a cycle: their facts vary. */
export function statefulConditions(protocol: ResolvedProtocol): Condition[] {
  const conditions: Condition[] = [];
  for (const constraint of protocol.indication.constraints) {
    if (constraint.kind === 'hold' && constraint.until) conditions.push(constraint.condition, constraint.until.condition);
  }
  for (const gate of protocol.indication.gates) conditions.push(gate.condition);
  for (const rule of protocol.rules) {
    if (rule.action.kind === 'hold' && rule.action.until) conditions.push(rule.condition, rule.action.until.condition);
  }
  for (const gate of protocol.gates) conditions.push(gate.condition);
  return conditions;
}

/** Every condition the label's machine reads. */
export function labelConditions(protocol: ResolvedProtocol): Condition[] {
  const indication = protocol.indication;
  return [
    ...indication.constraints.flatMap((constraint) => (constraint.kind === 'hold' && constraint.until ? [constraint.condition, constraint.until.condition] : [constraint.condition])),
    ...indication.gates.map((gate) => gate.condition),
    ...indication.requires.flatMap((requirement) => (requirement.condition ? [requirement.condition] : [])),
  ];
}

/**
 * Every condition either machine reads; given the checked companions (cone of
 * influence), only those whose truth can change a check: not the `when` of a `with`
 * line or a `requires` of an unchecked drug, nor a rule without `until` that acts
 * only on unchecked drugs.
 */
export function allConditions(protocol: ResolvedProtocol, checked?: ReadonlySet<string>): Condition[] {
  const conditions: Condition[] = [...statefulConditions(protocol)];
  for (const constraint of protocol.indication.constraints) conditions.push(constraint.condition);
  for (const requirement of protocol.indication.requires) if (requirement.condition && (!checked || checked.has(requirement.drug))) conditions.push(requirement.condition);
  for (const rule of protocol.rules) if (!checked || ruleMatters(protocol, rule, checked) || (rule.action.kind === 'hold' && rule.action.until)) conditions.push(rule.condition);
  for (const line of protocol.companions) if (line.condition && (!checked || checked.has(line.drug))) conditions.push(line.condition);
  return conditions;
}

function orderedFacts(conditions: readonly Condition[]): string[] {
  const order: string[] = [];
  for (const condition of conditions) for (const fact of factsOf(condition)) if (!BUILTIN.has(fact) && !order.includes(fact)) order.push(fact);
  return order;
}

/** Every combination of the partitions' classes, the ones with fewest facts off their defaults first. */
export function combinations(partitions: readonly Partition[]): Map<string, FactValue>[] {
  let all: { values: Map<string, FactValue>; off: number }[] = [{ values: new Map(), off: 0 }];
  for (const partition of partitions) {
    const next: typeof all = [];
    for (const item of all) {
      partition.values.forEach((value, index) => {
        if (index === 0 || value === undefined) next.push(item);
        else next.push({ values: new Map([...item.values, [partition.fact.name, value]]), off: item.off + 1 });
      });
    }
    all = next;
  }
  return all.map((item, index) => ({ ...item, index })).sort((a, b) => a.off - b.off || a.index - b.index).map((item) => item.values);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The schedules of the checked companions' `with` lines and of their `requires`: the only calendars a check reads besides the drug's own. */
function schedulesOf(protocol: ResolvedProtocol, checked: ReadonlySet<string>): DosingSchedule[] {
  return [
    ...protocol.companions.filter((line) => checked.has(line.drug)).map((line) => line.schedule),
    ...protocol.indication.requires.filter((requirement) => checked.has(requirement.drug)).map((requirement) => requirement.schedule),
  ];
}

/** Cycle numbers that any condition on `cycle` or any checked `cycles`/`from cycle` schedule tells apart. */
function cycleCapOf(protocol: ResolvedProtocol, conditions: readonly Condition[], checked: ReadonlySet<string>): number {
  let cap = 1;
  const thresholds = thresholdsOf(atomsByFact(conditions).get(BUILTIN_CYCLE) ?? []);
  for (const value of thresholds) cap = Math.max(cap, Math.floor(value) + 2);
  const length = protocol.start?.schedule.cycleDays;
  for (const schedule of schedulesOf(protocol, checked)) {
    if (schedule.cycles) cap = Math.max(cap, schedule.cycles.from, (schedule.cycles.to ?? 0) + 1);
    // With a cycle length, weeks are counted on the cycle calendar (`courseWeek`: from the cycle
    // number and the day of the cycle, not the day of treatment): the cycles up to the last week
    // named are told apart (`weeks 1-4` of 28-day cycles: cycle 1 and the rest).
    if (length && schedule.weeks) for (const range of schedule.weeks) cap = Math.max(cap, Math.floor((7 * Math.max(range.from, range.to)) / length) + 1);
  }
  return cap;
}

/**
 * With a cycle length, past `cycleCap` a weekly schedule's days of the cycle still depend on the
 * cycle number when its period (7 days times its `every N weeks`) does not divide the cycle's
 * length (once weekly in 21-day cycles does; in 24-day cycles it does not): they repeat every
 * this many cycles. 1 when they do not depend on it.
 */
function cyclePeriodOf(protocol: ResolvedProtocol, checked: ReadonlySet<string>): number {
  const length = protocol.start?.schedule.cycleDays;
  if (!length) return 1;
  let period = 1;
  for (const schedule of schedulesOf(protocol, checked)) {
    const byWeek = /weekly/.test(schedule.frequency ?? '') || schedule.everyWeeks !== undefined;
    if (!byWeek) continue;
    const days = 7 * (schedule.everyWeeks ?? 1);
    const cycles = days / gcd(days, length);
    period = (period / gcd(period, cycles)) * cycles;
  }
  return period;
}

/** The cycle number, reduced to what conditions and schedules tell apart (`cycleCap`, `cyclePeriod`). */
export function normalCycle(space: CourseSpace, cycle: number): number {
  if (cycle < space.cycleCap) return cycle;
  const period = space.cyclePeriod ?? 1;
  return period === 1 ? space.cycleCap : space.cycleCap + ((cycle - space.cycleCap) % period);
}

/**
 * The days of the cycle on which what a schedule or a condition reads of the day can
 * change, ascending: day 1 (gates) and 2, each `day` threshold's whole part and the day
 * after it (`day < 8`, `day <= 8`, `day = 8`, `day < 8.5` all change there), each
 * schedule range's first day and the day after its last (the drug's, the label's and
 * the checked companions' `with` lines and `requires`). Between two of them, days are alike
 * but for their place in the cycle.
 */
export function dayChangesOf(protocol: ResolvedProtocol, conditions: readonly Condition[], checked: ReadonlySet<string>): number[] {
  const days = new Set<number>([1, 2]);
  for (const value of thresholdsOf(atomsByFact(conditions).get(BUILTIN_DAY) ?? [])) {
    days.add(Math.floor(value));
    days.add(Math.floor(value) + 1);
  }
  const schedules = [protocol.start?.schedule, protocol.indication.dose?.schedule, ...schedulesOf(protocol, checked)];
  for (const schedule of schedules) {
    for (const range of schedule?.days ?? []) {
      days.add(range.from);
      days.add(range.to + 1);
    }
  }
  return [...days].filter((day) => day >= 1).sort((a, b) => a - b);
}

/** Without a cycle length: the first day from which days of the cycle are alike (the last day a schedule or condition changes anything). */
function dayCapOf(protocol: ResolvedProtocol, changes: readonly number[]): number | undefined {
  if (protocol.start?.schedule.cycleDays) return undefined;
  return changes[changes.length - 1];
}

/**
 * The day classes of the search over day segments (docs/verification.md, "Speed"): the
 * cycle cut at every day `dayChangesOf` finds, each run of days between two cuts a
 * segment (without a cycle length the last runs on for ever), and segments on whose first
 * day every such read comes out the same (day 1 or not, each `day` comparison, each
 * schedule) one class. Undefined when days of treatment are told apart (weekly schedules)
 * or when that would merge no two days.
 */
function segmentsOf(protocol: ResolvedProtocol, conditions: readonly Condition[], checked: ReadonlySet<string>, changes: readonly number[], weekly: boolean, mergeCompanionDays: boolean): DaySegments | undefined {
  if (weekly) return undefined;
  const length = protocol.start?.schedule.cycleDays;
  const starts = length ? changes.filter((day) => day <= length) : [...changes];
  const ends = starts.map((start, i) => (i + 1 < starts.length ? starts[i + 1] - 1 : (length ?? Infinity)));
  const atoms = atomsByFact(conditions).get(BUILTIN_DAY) ?? [];
  const drugSchedules = [protocol.start?.schedule, protocol.indication.dose?.schedule];
  const companionSchedules = schedulesOf(protocol, checked);
  const scheduled = (schedules: readonly (DosingSchedule | undefined)[], day: number) => schedules.map((schedule) => (isScheduledDay(schedule, day) ? 1 : 0)).join('');
  const signature = (day: number) => {
    const facts = new Map<string, FactValue>([[BUILTIN_DAY, day]]);
    const core = `${day === 1 ? 1 : 0}|${atoms.map((atom) => (holds(atom, facts, protocol.facts) ? 1 : 0)).join('')}|${scheduled(drugSchedules, day)}`;
    return mergeCompanionDays ? core : `${core}|${scheduled(companionSchedules, day)}`;
  };
  // Each segment's class: the first day of the first segment with its signature.
  const bySignature = new Map<string, number>();
  const classOf = starts.map((start) => {
    const key = signature(start);
    const known = bySignature.get(key);
    if (known !== undefined) return known;
    bySignature.set(key, start);
    return start;
  });
  // Within a class, one day per pattern of the companions' schedules (the first segment's start with it).
  const companionDays = new Map<number, number[]>();
  const patternDay = new Map<string, number>();
  const companionDayOfSegment = starts.map((start, i) => {
    const key = `${classOf[i]}|${scheduled(companionSchedules, start)}`;
    const known = patternDay.get(key);
    if (known !== undefined) return known;
    patternDay.set(key, start);
    if (start !== classOf[i]) {
      const list = companionDays.get(classOf[i]) ?? [];
      list.push(start);
      companionDays.set(classOf[i], list);
    }
    return start;
  });
  const last = starts[starts.length - 1];
  const index = new Int32Array(Math.max(last, length ?? 0) + 1);
  const companionDayOf = new Int32Array(index.length);
  for (let i = 0; i < starts.length; i++) {
    for (let day = starts[i]; day <= Math.min(ends[i], index.length - 1); day++) {
      index[day] = classOf[i];
      companionDayOf[day] = companionDayOfSegment[i];
    }
  }
  // Where a day of each class may lead: its own class (a segment of 2 days or more, or the last without a cycle length), the class of the next segment, day 1 of the next cycle after the last.
  const successors = new Map<number, { cycleDay: number; wrap: boolean }[]>();
  const add = (from: number, cycleDay: number, wrap: boolean) => {
    const list = successors.get(from) ?? [];
    if (!list.some((item) => item.cycleDay === cycleDay && item.wrap === wrap)) list.push({ cycleDay, wrap });
    successors.set(from, list);
  };
  for (let i = 0; i < starts.length; i++) {
    if (ends[i] > starts[i]) add(classOf[i], classOf[i], false);
    if (i + 1 < starts.length) add(classOf[i], classOf[i + 1], false);
    else if (length) add(classOf[i], 1, true);
  }
  if (bySignature.size === starts.length && !ends.some((end, i) => end > starts[i] && end !== Infinity)) return undefined;
  return { starts, ends, classes: bySignature.size, index, successors, companionDays, companionDayOf };
}

/** Whether a checked companion's schedule is by weeks (`once weekly`, `every N weeks`, `weeks 1-8`). */
function hasWeekly(protocol: ResolvedProtocol, checked: ReadonlySet<string>): boolean {
  return schedulesOf(protocol, checked).some((schedule) => /weekly/.test(schedule.frequency ?? '') || schedule.everyWeeks !== undefined || (schedule.weeks !== undefined && schedule.weeks.length > 0));
}

/**
 * Weekly schedules read the day of treatment, without a cycle length: up to their last week,
 * then its residue in their period. With one, both machines count weeks on the cycle calendar
 * (`courseDay`, the label's machine on the protocol's cycle length), which `cycleCapOf` and
 * `cyclePeriodOf` keep apart: the day of treatment is read by nothing.
 */
function weeksOf(protocol: ResolvedProtocol, checked: ReadonlySet<string>): CourseSpace['weeks'] {
  if (protocol.start?.schedule.cycleDays) return undefined;
  let limit = 0;
  let period = 1;
  let weekly = false;
  for (const schedule of schedulesOf(protocol, checked)) {
    const byWeek = /weekly/.test(schedule.frequency ?? '') || schedule.everyWeeks !== undefined;
    if (!byWeek && !(schedule.weeks && schedule.weeks.length > 0)) continue;
    weekly = true;
    for (const range of schedule.weeks ?? []) limit = Math.max(limit, range.to);
    if (schedule.everyWeeks) period = (period / gcd(period, schedule.everyWeeks)) * schedule.everyWeeks;
  }
  return weekly ? { limit: limit * 7, period: period * 7 } : undefined;
}

export function buildCourseSpace(protocol: ResolvedProtocol, reductions: Reductions = ALL_REDUCTIONS): CourseSpace {
  const checked = checkedCompanions(protocol, reductions.cone);
  const conditions = allConditions(protocol, checked);
  const atoms = atomsByFact(conditions);
  const context = { protocol, atoms, mentioned: atoms };
  const stateful = new Set(orderedFacts(statefulConditions(protocol)));
  const infos = orderedFacts(conditions)
    .map((name) => protocol.facts.get(name))
    .filter((info): info is FactInfo => info !== undefined);
  const partitions = infos.map((info) => partitionFor(info, context));
  const varying = partitions.filter((partition) => stateful.has(partition.fact.name));
  const allFixed = partitions.filter((partition) => !stateful.has(partition.fact.name));
  const companionOnly = reductions.variants ? companionOnlyFacts(protocol, new Set(allFixed.map((partition) => partition.fact.name)), checked) : new Set<string>();
  const fixed = allFixed.filter((partition) => !companionOnly.has(partition.fact.name));
  const companionFixed = allFixed.filter((partition) => companionOnly.has(partition.fact.name));
  const named = new Set(partitions.map((partition) => partition.fact.name));
  const defaulted = [...protocol.facts.values()].filter((info) => info.decl && !named.has(info.name) && !BUILTIN.has(info.name)).map((info) => info.name);
  const labelFacts = new Set(labelConditions(protocol).flatMap((condition) => factsOf(condition)));
  const all = combinations(fixed);
  const variants = combinations(companionFixed);
  const roots = reductions.mergeRoots ? mergeAlike(protocol, all, new Set(fixed.map((partition) => partition.fact.name)), checked, companionOnly) : all;
  const space: CourseSpace = {
    labelReads: { day: labelFacts.has(BUILTIN_DAY), cycle: labelFacts.has(BUILTIN_CYCLE) },
    varying,
    fixed,
    inputs: combinations(varying),
    roots,
    companionFixed,
    variants,
    combinations: all.length * variants.length,
    defaulted,
    cycleCap: cycleCapOf(protocol, conditions, checked),
    checked,
  };
  const cyclePeriod = cyclePeriodOf(protocol, checked);
  if (cyclePeriod > 1) space.cyclePeriod = cyclePeriod;
  const changes = dayChangesOf(protocol, conditions, checked);
  const dayCap = dayCapOf(protocol, changes);
  if (dayCap !== undefined) space.dayCap = dayCap;
  const weeks = weeksOf(protocol, checked);
  if (weeks) space.weeks = weeks;
  // The segments read the companions' schedules by their days alone (`isScheduledDay`): not by weeks.
  const segments = segmentsOf(protocol, conditions, checked, changes, hasWeekly(protocol, checked), reductions.companionDays !== false);
  if (segments) space.segments = segments;
  return space;
}

/** The day of the cycle, reduced to what schedules and conditions tell apart: without a cycle length, or over day segments (`segments`). */
export function normalCycleDay(space: CourseSpace, cycleDay: number, segments?: DaySegments): number {
  if (segments) return segmentCycleDay(segments, cycleDay);
  return space.dayCap !== undefined ? Math.min(cycleDay, space.dayCap) : cycleDay;
}

/** The day of the cycle in the search over day segments: the first day of its class. */
export function segmentCycleDay(segments: DaySegments, cycleDay: number): number {
  return segments.index[Math.min(cycleDay, segments.index.length - 1)];
}

/** The day of treatment, reduced to what weekly schedules tell apart. */
export function normalTreatmentDay(space: CourseSpace, treatmentDay: number): number {
  if (!space.weeks) return 1;
  const { limit, period } = space.weeks;
  if (treatmentDay <= limit) return treatmentDay;
  return limit + ((treatmentDay - limit - 1) % period) + 1;
}

function amountKey(amount: Amount): string {
  return amount.kind === 'absolute' ? `=${amount.value}` : `-${amount.minus}`;
}

/**
 * Keeps one root per effect on the two machines (the first, with the fewest facts
 * off their defaults). A condition that reads only fixed facts is constant for a
 * course, so all that a root changes is which of those conditions hold: which
 * label discontinue and hold lines and `requires`, which protocol discontinue,
 * hold and no-dose rules and `with` lines (each by identity), and, for caps and
 * dose rules, only the amounts and timings in force (the machines take the
 * smallest amount and every timing). A condition that mixes fixed and varying
 * facts keeps the fixed facts' values themselves. Two roots with the same effect
 * have the same courses, decisions and broken lines, up to which cap line or dose
 * rule is named: the first root's is reported. Roots where a protocol discontinue
 * rule holds from day 1 all act alike: nothing can be broken after a discontinue.
 *
 * Roots where a protocol `hold` rule without `until` on the drug holds from day 1
 * ("held" roots): the drug's decision is hold, or discontinue, every day. Such a
 * decision keeps every requirement but discontinue, and is compared with no amount,
 * timing or rest day; the current dose moves only by resumes, which count from the
 * dose last received, the start dose; the label's dose last received stays the start
 * dose. So what tells held roots apart is only: the label's discontinue lines and
 * `requires`, the rules that name drugs (they decide the companions), the `with`
 * lines, the mixed facts, and whether a cap in force is below the lowest dose (then
 * the label requires discontinue; the cap's amounts then count). Dose rules, no-dose
 * and hold rules on the drug alone, the label's hold lines without `until` and its
 * timings do not. A rule or line about an unchecked companion (cone of influence)
 * tells no roots apart.
 */
function mergeAlike(protocol: ResolvedProtocol, roots: Map<string, FactValue>[], fixed: ReadonlySet<string>, checked: ReadonlySet<string>, companionOnly: ReadonlySet<string>): Map<string, FactValue>[] {
  const facts = protocol.facts;
  const onlyFixed = (condition: Condition) => factsOf(condition).every((fact) => fixed.has(fact));
  // A companion condition on a variant fact is decided per variant, not per root.
  const perRoot = (condition: Condition) => onlyFixed(condition) && !factsOf(condition).some((fact) => companionOnly.has(fact));
  const mixed = new Set<string>();
  for (const condition of allConditions(protocol, checked)) {
    const read = factsOf(condition);
    if (read.some((fact) => fixed.has(fact)) && !read.every((fact) => fixed.has(fact))) for (const fact of read) if (fixed.has(fact)) mixed.add(fact);
    // A root fact beside a variant fact in one condition: its value itself tells roots apart.
    if (read.some((fact) => companionOnly.has(fact))) for (const fact of read) if (fixed.has(fact)) mixed.add(fact);
  }
  const start = protocol.start?.amount ?? 0;
  const lowest = protocol.indication.lowestDose ?? 0;
  const seen = new Set<string>();
  const kept: Map<string, FactValue>[] = [];
  // A protocol that discontinues on day 1 whatever else happens breaks no line (discontinue is the strongest decision): one such root stands for all.
  const stops = protocol.rules.filter((rule) => rule.action.kind === 'discontinue' && !rule.action.drugs && onlyFixed(rule.condition));
  const drugHolds = protocol.rules.filter((rule) => rule.action.kind === 'hold' && !rule.action.until && ruleActsOnDrug(protocol, rule) && onlyFixed(rule.condition));
  for (const root of roots) {
    if (stops.some((rule) => holds(rule.condition, root, facts))) {
      if (!seen.has('discontinued')) {
        seen.add('discontinued');
        kept.push(root);
      }
      continue;
    }
    const held = drugHolds.some((rule) => holds(rule.condition, root, facts));
    const parts: string[] = [];
    const caps: string[] = [];
    const doses: string[] = [];
    let capBelowLowest = false;
    protocol.indication.constraints.forEach((constraint, i) => {
      if (!onlyFixed(constraint.condition) || !holds(constraint.condition, root, facts)) return;
      if (constraint.kind === 'cap') {
        caps.push(amountKey(constraint.amount));
        const amount = constraint.amount.kind === 'absolute' ? constraint.amount.value : start - constraint.amount.minus;
        if (amount <= 0 || amount < lowest) capBelowLowest = true;
      } else if (constraint.kind === 'take') caps.push(`@${constraint.timing}`);
      else if (!held || constraint.kind === 'discontinue') parts.push(`c${i}`);
    });
    protocol.indication.requires.forEach((requirement, i) => {
      if (!checked.has(requirement.drug)) return;
      if (requirement.condition && perRoot(requirement.condition) && holds(requirement.condition, root, facts)) parts.push(`q${i}`);
    });
    protocol.rules.forEach((rule, i) => {
      if (!ruleMatters(protocol, rule, checked) || !onlyFixed(rule.condition) || !holds(rule.condition, root, facts)) return;
      if (held && (rule.action.kind === 'dose' || !rule.action.drugs)) return;
      if (rule.action.kind === 'dose') doses.push(`${amountKey(rule.action.amount)}@${rule.action.timing ?? ''}`);
      else parts.push(`r${i}`);
    });
    protocol.companions.forEach((line, i) => {
      if (!checked.has(line.drug)) return;
      if (line.condition && perRoot(line.condition) && holds(line.condition, root, facts)) parts.push(`w${i}`);
    });
    const absolute = (list: string[]) => {
      const values = list.filter((item) => item.startsWith('=')).map((item) => Number.parseFloat(item.slice(1)));
      return values.length > 0 ? `=${Math.min(...values)}` : '';
    };
    const timings = (list: string[]) => [...new Set(list.map((item) => item.slice(item.indexOf('@') + 1)).filter((timing) => timing !== ''))].sort().join(',');
    const relatives = (list: string[]) => [...new Set(list.filter((item) => item.startsWith('-')).map((item) => item.split('@')[0]))].sort().join(',');
    const doseAmounts = doses.map((item) => item.split('@')[0]);
    const capKey = held
      ? capBelowLowest
        ? `cap${absolute(caps)}|${relatives(caps)}`
        : 'cap'
      : `cap${absolute(caps)}|${relatives(caps)}|${timings(caps.filter((item) => item.startsWith('@')))}`;
    const key = [
      held ? 'held' : '',
      parts.join(','),
      capKey,
      `dose${absolute(doseAmounts)}|${relatives(doseAmounts)}|${timings(doses)}`,
      [...mixed].map((fact) => `${fact}=${String(root.get(fact))}`).join(','),
    ].join(';');
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(root);
  }
  return kept;
}

/** Whether a rule acts on the protocol's drug (it names no drug, or names it). */
function ruleActsOnDrug(protocol: ResolvedProtocol, rule: ResolvedProtocol['rules'][number]): boolean {
  if (rule.action.kind === 'dose' || !rule.action.drugs) return true;
  const names = drugNames(protocol);
  return rule.action.drugs.some((drug) => names.has(drug));
}

function drugNames(protocol: ResolvedProtocol): Set<string> {
  return new Set<string>([protocol.label.name, ...protocol.label.aliases, ...(protocol.node.drug ? [protocol.node.drug.text] : [])]);
}
