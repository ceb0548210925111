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
import { holds } from '../eval/index.js';
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
  /** Combinations of the fixed facts' classes before those that act alike were merged. */
  combinations: number;
  /** Facts the label or protocol declares that no condition reads: left at their defaults. */
  defaulted: string[];
  /** Cycle numbers from this one on behave alike (no condition or schedule tells them apart). */
  cycleCap: number;
  /** How days of treatment are told apart: all alike, or up to `limit` and then by `period` (weekly schedules). */
  weeks?: { limit: number; period: number };
  /** Whether the label's conditions name `day` or `cycle` (else the label reads the calendar only through its schedules). */
  labelReads: { day: boolean; cycle: boolean };
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
function labelConditions(protocol: ResolvedProtocol): Condition[] {
  const indication = protocol.indication;
  return [
    ...indication.constraints.flatMap((constraint) => (constraint.kind === 'hold' && constraint.until ? [constraint.condition, constraint.until.condition] : [constraint.condition])),
    ...indication.gates.map((gate) => gate.condition),
    ...indication.requires.flatMap((requirement) => (requirement.condition ? [requirement.condition] : [])),
  ];
}

/** Every condition either machine reads. */
export function allConditions(protocol: ResolvedProtocol): Condition[] {
  const conditions: Condition[] = [...statefulConditions(protocol)];
  for (const constraint of protocol.indication.constraints) conditions.push(constraint.condition);
  for (const requirement of protocol.indication.requires) if (requirement.condition) conditions.push(requirement.condition);
  for (const rule of protocol.rules) conditions.push(rule.condition);
  for (const line of protocol.companions) if (line.condition) conditions.push(line.condition);
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

function schedulesOf(protocol: ResolvedProtocol): DosingSchedule[] {
  return [...protocol.companions.map((line) => line.schedule), ...protocol.indication.requires.map((requirement) => requirement.schedule)];
}

/** Cycle numbers that any condition on `cycle` or any `cycles`/`from cycle` schedule tells apart. */
function cycleCapOf(protocol: ResolvedProtocol, conditions: readonly Condition[]): number {
  let cap = 1;
  const thresholds = thresholdsOf(atomsByFact(conditions).get(BUILTIN_CYCLE) ?? []);
  for (const value of thresholds) cap = Math.max(cap, Math.floor(value) + 2);
  for (const schedule of schedulesOf(protocol)) {
    if (!schedule.cycles) continue;
    cap = Math.max(cap, schedule.cycles.from, (schedule.cycles.to ?? 0) + 1);
  }
  return cap;
}

/** Weekly schedules read the day of treatment: up to their last week, then its residue in their period. */
function weeksOf(protocol: ResolvedProtocol): CourseSpace['weeks'] {
  let limit = 0;
  let period = 1;
  let weekly = false;
  for (const schedule of schedulesOf(protocol)) {
    const byWeek = /weekly/.test(schedule.frequency ?? '') || schedule.everyWeeks !== undefined;
    if (!byWeek && !(schedule.weeks && schedule.weeks.length > 0)) continue;
    weekly = true;
    for (const range of schedule.weeks ?? []) limit = Math.max(limit, range.to);
    if (schedule.everyWeeks) period = (period / gcd(period, schedule.everyWeeks)) * schedule.everyWeeks;
  }
  return weekly ? { limit: limit * 7, period: period * 7 } : undefined;
}

export function buildCourseSpace(protocol: ResolvedProtocol): CourseSpace {
  const conditions = allConditions(protocol);
  const atoms = atomsByFact(conditions);
  const context = { protocol, atoms, mentioned: atoms };
  const stateful = new Set(orderedFacts(statefulConditions(protocol)));
  const infos = orderedFacts(conditions)
    .map((name) => protocol.facts.get(name))
    .filter((info): info is FactInfo => info !== undefined);
  const partitions = infos.map((info) => partitionFor(info, context));
  const varying = partitions.filter((partition) => stateful.has(partition.fact.name));
  const fixed = partitions.filter((partition) => !stateful.has(partition.fact.name));
  const named = new Set(partitions.map((partition) => partition.fact.name));
  const defaulted = [...protocol.facts.values()].filter((info) => info.decl && !named.has(info.name) && !BUILTIN.has(info.name)).map((info) => info.name);
  const labelFacts = new Set(labelConditions(protocol).flatMap((condition) => factsOf(condition)));
  const all = combinations(fixed);
  const roots = mergeAlike(protocol, all, new Set(fixed.map((partition) => partition.fact.name)));
  const space: CourseSpace = { labelReads: { day: labelFacts.has(BUILTIN_DAY), cycle: labelFacts.has(BUILTIN_CYCLE) }, varying, fixed, inputs: combinations(varying), roots, combinations: all.length, defaulted, cycleCap: cycleCapOf(protocol, conditions) };
  const weeks = weeksOf(protocol);
  if (weeks) space.weeks = weeks;
  return space;
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
 */
function mergeAlike(protocol: ResolvedProtocol, roots: Map<string, FactValue>[], fixed: ReadonlySet<string>): Map<string, FactValue>[] {
  const facts = protocol.facts;
  const onlyFixed = (condition: Condition) => factsOf(condition).every((fact) => fixed.has(fact));
  const mixed = new Set<string>();
  for (const condition of allConditions(protocol)) {
    const read = factsOf(condition);
    if (read.some((fact) => fixed.has(fact)) && !read.every((fact) => fixed.has(fact))) for (const fact of read) if (fixed.has(fact)) mixed.add(fact);
  }
  const seen = new Set<string>();
  const kept: Map<string, FactValue>[] = [];
  // A protocol that discontinues on day 1 whatever else happens breaks no line (discontinue is the strongest decision): one such root stands for all.
  const stops = protocol.rules.filter((rule) => rule.action.kind === 'discontinue' && !rule.action.drugs && onlyFixed(rule.condition));
  for (const root of roots) {
    if (stops.some((rule) => holds(rule.condition, root, facts))) {
      if (!seen.has('discontinued')) {
        seen.add('discontinued');
        kept.push(root);
      }
      continue;
    }
    const parts: string[] = [];
    const caps: string[] = [];
    const doses: string[] = [];
    protocol.indication.constraints.forEach((constraint, i) => {
      if (!onlyFixed(constraint.condition) || !holds(constraint.condition, root, facts)) return;
      if (constraint.kind === 'cap') caps.push(amountKey(constraint.amount));
      else if (constraint.kind === 'take') caps.push(`@${constraint.timing}`);
      else parts.push(`c${i}`);
    });
    protocol.indication.requires.forEach((requirement, i) => {
      if (requirement.condition && onlyFixed(requirement.condition) && holds(requirement.condition, root, facts)) parts.push(`q${i}`);
    });
    protocol.rules.forEach((rule, i) => {
      if (!onlyFixed(rule.condition) || !holds(rule.condition, root, facts)) return;
      if (rule.action.kind === 'dose') doses.push(`${amountKey(rule.action.amount)}@${rule.action.timing ?? ''}`);
      else parts.push(`r${i}`);
    });
    protocol.companions.forEach((line, i) => {
      if (line.condition && onlyFixed(line.condition) && holds(line.condition, root, facts)) parts.push(`w${i}`);
    });
    const absolute = (list: string[]) => {
      const values = list.filter((item) => item.startsWith('=')).map((item) => Number.parseFloat(item.slice(1)));
      return values.length > 0 ? `=${Math.min(...values)}` : '';
    };
    const timings = (list: string[]) => [...new Set(list.map((item) => item.slice(item.indexOf('@') + 1)).filter((timing) => timing !== ''))].sort().join(',');
    const relatives = (list: string[]) => [...new Set(list.filter((item) => item.startsWith('-')).map((item) => item.split('@')[0]))].sort().join(',');
    const doseAmounts = doses.map((item) => item.split('@')[0]);
    const key = [
      parts.join(','),
      `cap${absolute(caps)}|${relatives(caps)}|${timings(caps.filter((item) => item.startsWith('@')))}`,
      `dose${absolute(doseAmounts)}|${relatives(doseAmounts)}|${timings(doses)}`,
      [...mixed].map((fact) => `${fact}=${String(root.get(fact))}`).join(','),
    ].join(';');
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(root);
  }
  return kept;
}
