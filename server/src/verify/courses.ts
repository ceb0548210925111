// Verification over courses (SPEC-v2 "Verification over courses",
// docs/verification.md, "Phase 2"): a breadth-first search over the product of
// the protocol's and the label's state machines, each day under every input (a
// class of every fact that varies), each course under one combination of the
// facts fixed for it; visited states remembered, so the search of a course ends
// when no new state is reachable and covers courses of any length. Each broken
// label line is reported once per deciding rule, with the shortest course found
// that breaks it, shrunk, as a timeline and a `scenario` (or, for a course whose
// history does not matter, a `test`).
import { formatDecision } from '../eval/index.js';
import type { ResolvedProtocol } from '../semantics/model.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import type { Span } from '../syntax/ast.js';
import type { Budget } from './budget.js';
import { checkContext, type BrokenLine, type CheckContext, type DayViolation } from './course-checks.js';
import { shrink, write, type CoursePath, type ReplayedDay } from './course-counterexample.js';
import { exploreCourses, machinesOf, pathTo, type CourseExploration, type Machines } from './course-explore.js';
import { buildCourseSpace, statefulConditions, type CourseSpace } from './course-space.js';
import type { Counterexample, CourseSearch } from './types.js';

export interface CourseReported {
  example: Counterexample;
  line: BrokenLine;
}

/** Where a counterexample is reported: a companion's `with` line, the deciding rule, the start line, the header. */
function spanFor(protocol: ResolvedProtocol, violation: DayViolation, day: ReplayedDay): Span {
  if (violation.companion) {
    const line = protocol.companions.find((item) => item.drug === violation.companion?.drug);
    if (line) return line.node.span;
  }
  return day.outcome.decidedBy?.node.span ?? protocol.start?.node.span ?? headerSpan(protocol.node);
}

function counterexampleOf(protocol: ResolvedProtocol, written: ReturnType<typeof write>, violation: DayViolation, day: ReplayedDay, days: number, count: number): Counterexample {
  const example: Counterexample = {
    kind: written.oneDay ? 'test' : 'scenario',
    days,
    state: written.state,
    stateText: written.stateText,
    timeline: written.timeline,
    given: violation.companion ? violation.companion.given : formatDecision(day.outcome.decision),
    required: violation.required,
    constraintText: violation.line.text,
    span: spanFor(protocol, violation, day),
    testText: written.block,
    count,
  };
  if (violation.line.constraint) example.constraint = violation.line.constraint;
  if (violation.line.gate) example.gate = violation.line.gate;
  if (violation.line.requirement) example.requirement = violation.line.requirement;
  if (day.outcome.decidedBy) example.decidedBy = day.outcome.decidedBy;
  return example;
}

/**
 * Shrinks each group's course and merges groups that shrink to the same (deciding
 * rule, label line). Once the budget runs out, the remaining groups are reported
 * with their courses as found (still real counterexamples) and the run counts as stopped.
 */
function counterexamples(protocol: ResolvedProtocol, machines: Machines, context: CheckContext, space: CourseSpace, run: CourseExploration, budget: Budget, indent: string): CourseReported[] {
  const merged = new Map<string, CourseReported>();
  for (const group of run.groups) {
    const interrupted = run.stopped ? undefined : budget.interrupted();
    if (interrupted) run.stopped = { ...interrupted, during: 'shrinking' };
    const node = run.nodes[group.node];
    const path: CoursePath = { fixed: new Map([...space.roots[node.root], ...space.variants[group.variant]]), days: [...pathTo(run.nodes, group.node), group.input].map((input) => space.inputs[input]) };
    const lineId = group.violation.line.id;
    const { replay } = shrink(protocol, machines, context, path, lineId, !run.stopped);
    if (replay.at < 0 || !replay.violation) continue; // cannot happen: the search saw this course break the line
    const day = replay.days[replay.at];
    const rule = day.outcome.decidedBy ? protocol.rules.indexOf(day.outcome.decidedBy) : -1;
    const key = `${rule}:${lineId}`;
    const known = merged.get(key);
    if (known) {
      known.example.count += group.count;
      continue;
    }
    const written = write(protocol, replay, replay.violation.line.text, indent);
    merged.set(key, { example: counterexampleOf(protocol, written, replay.violation, day, replay.at + 1, group.count), line: replay.violation.line });
  }
  return [...merged.values()];
}

/** Whether the label or the protocol has a line that carries state from day to day: a hold with `until`, or a cycle gate. */
export function hasHistory(protocol: ResolvedProtocol): boolean {
  return statefulConditions(protocol).length > 0;
}

/**
 * The search over day segments first (it over-approximates the courses: no line broken
 * there, none broken by any real course); where it finds a broken line, or stops, the
 * exact search decides, on the roots it did not clear, with what is left of the budget.
 * Its counterexamples are then exactly those of the exact search over every root: a
 * root the segments cleared has no broken line in any real course.
 */
export function verifyCourses(protocol: ResolvedProtocol, budget: Budget, indent: string): { search: CourseSearch; reported: CourseReported[] } {
  const machines = machinesOf(protocol);
  const context = checkContext(protocol);
  const space = buildCourseSpace(protocol);
  const all = space.roots.map((_, index) => index);
  const segmented = space.segments ? exploreCourses(protocol, machines, context, space, budget, { mergeInputs: true, segments: true }) : undefined;
  let run: CourseExploration;
  let cleared = 0;
  if (segmented && !segmented.stopped && segmented.unsafeRoots.length === 0) run = segmented;
  else {
    // Roots are searched in order: those the segment search completed without a broken line are cleared.
    const completed = segmented?.completed ?? 0;
    const unsafe = new Set(segmented?.unsafeRoots ?? []);
    const roots = all.filter((root) => root >= completed || unsafe.has(root));
    cleared = all.length - roots.length;
    run = exploreCourses(protocol, machines, context, space, budget, { mergeInputs: true, roots, spent: segmented?.expanded ?? 0 });
  }
  const reported = counterexamples(protocol, machines, context, space, run, budget, indent);
  const before = run === segmented ? undefined : segmented;
  const search: CourseSearch = {
    complete: !run.stopped && cleared + run.completed === space.roots.length,
    decidedBy: run === segmented ? 'day segments' : 'exact',
    statesExplored: run.expanded + (before?.expanded ?? 0),
    statesReached: run.nodes.length + (before?.nodes.length ?? 0),
    transitions: run.transitions + (before?.transitions ?? 0),
    courses: space.roots.length,
    combinations: space.combinations,
    coursesCompleted: cleared + run.completed,
    inputsPerDay: space.inputs.length,
    depth: run.depth,
    varyingFacts: space.varying.map((partition) => partition.fact.name),
    fixedFacts: [...space.fixed, ...space.companionFixed].map((partition) => partition.fact.name),
  };
  if (before) search.segmentStates = before.expanded;
  if (run.stopped) search.stopped = run.stopped;
  return { search, reported };
}
