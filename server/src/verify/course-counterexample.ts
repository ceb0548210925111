// From a broken label line found by the search to a counterexample a pharmacist
// reads and pastes: the course is replayed concretely (no normalisation) through
// both machines, shrunk (each fixed fact back to its default, each day's change
// undone, while the same label line still breaks), cut at the first day that
// breaks it, and written as a timeline and as a `scenario` block whose last step
// expects what the label requires. A course whose last morning is the first
// morning's (no hold, no episode, the start dose, nothing received differently),
// apart from the calendar, is a one-day counterexample: a `test` block, as in v1.
import { formatDecision, initialLabelState, initialState, type DayOutcome } from '../eval/index.js';
import type { FactValue, ResolvedProtocol } from '../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY } from '../semantics/model.js';
import { expectText, scenarioBlock, stateItems, testBlock, type ScenarioStep } from '../print/dose-text.js';
import type { CheckContext, DayViolation } from './course-checks.js';
import { day, type Machines } from './course-explore.js';
import { NO_FACTS } from './counterexample.js';

/** A course: the fixed facts, and each day's varying facts (in force that day). */
export interface CoursePath {
  fixed: Map<string, FactValue>;
  days: Map<string, FactValue>[];
}

export interface ReplayedDay {
  outcome: DayOutcome;
  /** Facts in force that day (fixed and varying, defaults left out). */
  facts: Map<string, FactValue>;
  /** Facts whose value differs from the day before (day 1: from the defaults). */
  changed: Map<string, FactValue | undefined>;
  violations: DayViolation[];
  /** The morning was the course's first morning, apart from the calendar. */
  fresh: boolean;
}

export interface Replay {
  days: ReplayedDay[];
  /** Index of the first day that breaks the line, or -1. */
  at: number;
  violation?: DayViolation;
}

export function replay(protocol: ResolvedProtocol, machines: Machines, context: CheckContext, path: CoursePath, lineId: string): Replay {
  const start = protocol.start?.amount ?? 0;
  let p = initialState(machines.protocol);
  let l = initialLabelState(machines.label, start);
  const days: ReplayedDay[] = [];
  let previous = new Map<string, FactValue>();
  for (const input of path.days) {
    const facts = new Map([...path.fixed, ...input]);
    const changed = new Map<string, FactValue | undefined>();
    for (const [name, value] of facts) if (previous.get(name) !== value) changed.set(name, value);
    for (const name of previous.keys()) if (!facts.has(name)) changed.set(name, undefined);
    const fresh = !p.discontinued && !p.calendar.waiting && p.dose === start && p.holding.every((on) => !on) && p.episodes.every((count) => count === 0)
      && !l.discontinued && l.lastDose === start && l.ceiling === Infinity && l.holding.every((on) => !on) && l.episodes.every((count) => count === 0);
    const result = day(machines, context, p, l, facts);
    days.push({ outcome: result.outcome, facts, changed, violations: result.violations, fresh });
    const violation = result.violations.find((item) => item.line.id === lineId);
    if (violation) return { days, at: days.length - 1, violation };
    p = result.p;
    l = result.l;
    previous = facts;
  }
  return { days, at: -1 };
}

/** Shrinks a course while it still breaks the line; returns the shortest prefix that does. */
export function shrink(protocol: ResolvedProtocol, machines: Machines, context: CheckContext, path: CoursePath, lineId: string, smaller = true): { path: CoursePath; replay: Replay } {
  let current: CoursePath = { fixed: new Map(path.fixed), days: path.days.map((input) => new Map(input)) };
  let best = replay(protocol, machines, context, current, lineId);
  if (!smaller) return { path: current, replay: best };
  const attempt = (candidate: CoursePath) => {
    const tried = replay(protocol, machines, context, candidate, lineId);
    if (tried.at < 0) return false;
    current = { fixed: candidate.fixed, days: candidate.days.slice(0, tried.at + 1) };
    best = tried;
    return true;
  };
  if (best.at >= 0) current = { fixed: current.fixed, days: current.days.slice(0, best.at + 1) };
  for (const name of [...current.fixed.keys()]) {
    const fixed = new Map(current.fixed);
    fixed.delete(name);
    attempt({ fixed, days: current.days });
  }
  for (let index = 0; index < current.days.length; index++) {
    for (const name of new Set([...current.days[index].keys(), ...(index > 0 ? current.days[index - 1].keys() : [])])) {
      if (index >= current.days.length) break;
      const before = index > 0 ? current.days[index - 1].get(name) : undefined;
      if (current.days[index].get(name) === before) continue;
      const days = current.days.map((input) => new Map(input));
      if (before === undefined) days[index].delete(name);
      else days[index].set(name, before);
      attempt({ fixed: current.fixed, days });
    }
  }
  return { path: current, replay: best };
}

function expectation(violation: DayViolation, outcome: DayOutcome): string {
  const companion = violation.companion;
  if (!companion) return expectText(violation.expected);
  const required = companion.required ? `${companion.drug} ${companion.required.value} ${companion.required.unit}` : `no ${companion.drug}`;
  return `${expectText(outcome.decision)}, ${required}`;
}

function calendarText(day: ReplayedDay, delayedBefore: boolean): string {
  const c = day.outcome.calendar;
  return delayedBefore ? `day ${c.treatmentDay} (cycle ${c.cycle} day ${c.cycleDay})` : `cycle ${c.cycle} day ${c.cycleDay}`;
}

function decisionText(outcome: DayOutcome): string {
  const decision = formatDecision(outcome.decision);
  return outcome.delayed ? `${decision} (cycle ${outcome.calendar.cycle} delayed)` : decision;
}

export interface Written {
  /** One day, history-free: a `test` block reproduces it. */
  oneDay: boolean;
  /** The facts in force on the day that breaks the line (with `day` when it is not day 1, for a one-day counterexample). */
  state: Map<string, FactValue>;
  /** "ANC = 400 /uL" (one day), or the timeline "cycle 1 day 1: ANC = 499 /uL -> hold; cycle 1 day 2: ANC = 500 /uL". */
  stateText: string;
  /** Every day shown, for the CLI and hover: "cycle 1 day 2: ANC = 500 /uL -> dose 4 mg". */
  timeline: string[];
  /** The `test` or `scenario` block. */
  block: string;
}

export function write(protocol: ResolvedProtocol, run: Replay, lineText: string, indent = '  '): Written {
  const facts = protocol.facts;
  const last = run.days[run.at];
  const violation = run.violation!;
  const oneDay = last.fresh && !run.days.slice(0, run.at).some((item) => item.outcome.delayed);
  const title = (what: string) => `counterexample: ${what} (label: ${lineText})`;
  if (oneDay) {
    const state = new Map(last.facts);
    // A test's `day` is the day of the cycle, and `cycle` its number: `given cycle 5, day 1`, not the day of treatment.
    const { cycle, cycleDay } = last.outcome.calendar;
    const calendar: [string, FactValue][] = [...(cycle !== 1 ? [[BUILTIN_CYCLE, cycle] as [string, FactValue]] : []), ...(cycleDay !== 1 || cycle !== 1 ? [[BUILTIN_DAY, cycleDay] as [string, FactValue]] : [])];
    const given = calendar.length > 0 ? new Map<string, FactValue>([...calendar, ...state]) : state;
    const items = stateItems(given, facts);
    const stateText = items.length > 0 ? items.join(', ') : NO_FACTS;
    const block = testBlock({ title: title(stateText), given: items, expect: expectation(violation, last.outcome) }, indent);
    return { oneDay, state: given, stateText, timeline: [`${stateText} -> ${decisionText(last.outcome)}`], block };
  }
  const timeline: string[] = [];
  const steps: ScenarioStep[] = [];
  const shown: string[] = [];
  let delayed = false;
  run.days.slice(0, run.at + 1).forEach((item, index) => {
    const isLast = index === run.at;
    const changes = stateItems(item.changed, facts);
    if (changes.length > 0 || isLast) {
      const when = calendarText(item, delayed);
      const stepWhen = delayed ? `day ${item.outcome.calendar.treatmentDay}` : `cycle ${item.outcome.calendar.cycle} day ${item.outcome.calendar.cycleDay}`;
      const observed = changes.length > 0 ? ` ${changes.join(', ')}` : '';
      timeline.push(`${when}:${observed} -> ${decisionText(item.outcome)}`);
      shown.push(isLast ? `${when}:${observed}` : `${when}:${observed} -> ${decisionText(item.outcome)}`);
      steps.push({ when: stepWhen, observed: changes, expect: isLast ? expectation(violation, item.outcome) : expectText(item.outcome.decision) });
    }
    delayed ||= item.outcome.delayed;
  });
  const stateText = shown.join('; ');
  const block = scenarioBlock(title(`${run.at + 1} days`), steps, indent);
  return { oneDay, state: new Map(last.facts), stateText, timeline, block };
}
