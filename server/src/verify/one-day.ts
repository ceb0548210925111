// Verification of single days (docs/verification.md, "Phase 1: every day from a
// fresh course"): explore every partition of the patient states that matter (the
// calendar and previous_dose included), run each through the one evaluator as a
// course of one day, check the decision against the label, and report each
// broken label line as a minimal counterexample (a `test`), or say plainly where
// the exploration stopped. The course search (courses.ts) covers what only a
// history shows.
import type { FactValue, ResolvedProtocol } from '../semantics/model.js';
import type { Budget } from './budget.js';
import { makeCounterexample } from './counterexample.js';
import { explore, type Exploration } from './explore.js';
import { labelSpec, type LabelCheck, type LabelSpec } from './label-checks.js';
import { minimize, preferDosingDay, recheck } from './minimize.js';
import { buildPruner } from './pruning.js';
import { buildSpace, type Space } from './space.js';
import type { Counterexample, StopReason } from './types.js';

export interface Reported {
  example: Counterexample;
  check: LabelCheck;
}

/**
 * Minimizes each group's state and merges groups that shrink to the same (deciding
 * rule, label line). Once the budget runs out, the remaining groups are reported
 * with their states as found (still real counterexamples) and the run counts as stopped.
 */
function counterexamples(protocol: ResolvedProtocol, spec: LabelSpec, space: Space, run: Exploration, budget: Budget, indent: string): Reported[] {
  const merged = new Map<string, Reported>();
  for (const group of run.groups) {
    const check = group.violation.check;
    const interrupted = run.stopped ? undefined : budget.interrupted();
    if (interrupted) run.stopped = { ...interrupted, during: 'minimizing' };
    const state: Map<string, FactValue> = run.stopped ? group.state : minimize(protocol, spec, space, preferDosingDay(protocol, spec, space, group.state, check), check);
    const decided = recheck(protocol, spec, state, check);
    if (!decided) continue; // cannot happen: minimizing keeps the violation
    const rule = decided.outcome.decidedBy ? protocol.rules.indexOf(decided.outcome.decidedBy) : -1;
    const key = `${rule}:${check.id}`;
    const known = merged.get(key);
    if (known) known.example.count += group.count;
    else merged.set(key, { example: makeCounterexample(protocol, state, decided, group.count, indent), check });
  }
  return [...merged.values()].sort((a, b) => a.example.span.start - b.example.span.start || a.check.id - b.check.id);
}

export interface DaysResult {
  /** Set when the walk stopped before the end. */
  stopped?: StopReason;
  statesExplored: number;
  statesTotal: number;
  statesEvaluated: number;
  reported: Reported[];
  exploredFacts: string[];
  defaultedFacts: string[];
}

/** Every single day from a fresh course, every fact's partition: the v1 exploration. */
export function verifyDays(protocol: ResolvedProtocol, budget: Budget, indent: string): DaysResult {
  const spec = labelSpec(protocol);
  const space = buildSpace(protocol, spec);
  const run = explore(protocol, spec, space, buildPruner(protocol, space), budget);
  const reported = counterexamples(protocol, spec, space, run, budget, indent);
  let stopped = run.stopped;
  if (!stopped && run.explored !== space.total) stopped = { kind: 'walk unfinished' };
  const result: DaysResult = {
    statesExplored: run.explored,
    statesTotal: space.total,
    statesEvaluated: run.evaluated,
    reported,
    exploredFacts: space.partitions.map((partition) => partition.fact.name),
    defaultedFacts: space.defaulted,
  };
  if (stopped) result.stopped = stopped;
  return result;
}
