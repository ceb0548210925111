// The exhaustive walk over the product of the partitions: a mixed-radix counter
// (one digit per fact, the first fact most significant), so the walk is
// iterative, lazy and can stop between any two states. One Map holds the current
// state; each step rewrites only the facts whose digit changed. Each state goes
// through the one evaluator (`decide`) and the label checks; violations are
// grouped by (deciding rule or start, label line).
import { decide } from '../eval/index.js';
import type { FactValue, PatientState, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { POLL_EVERY, stateBudgetReason, type Budget } from './budget.js';
import type { StopReason } from './types.js';
import { findViolations, type LabelSpec, type Violation } from './label-checks.js';
import type { Pruner } from './pruning.js';
import type { Space } from './space.js';

export interface Group {
  decidedBy?: RuleInfo;
  violation: Violation;
  /** The first state that showed it (a copy). */
  state: Map<string, FactValue>;
  count: number;
}

export interface Exploration {
  explored: number;
  evaluated: number;
  groups: Group[];
  /** Set when the walk stopped before the end. */
  stopped?: StopReason;
}

function assign(space: Space, digits: Int32Array, from: number, state: Map<string, FactValue>): void {
  for (let depth = from; depth < digits.length; depth++) {
    const partition = space.partitions[depth];
    const value = partition.values[digits[depth]];
    if (value === undefined) state.delete(partition.fact.name);
    else state.set(partition.fact.name, value);
  }
}

function firstSettled(pruner: Pruner, from: number, state: PatientState): number {
  for (const depth of pruner.depths) {
    if (depth >= from && pruner.settled(depth, state)) return depth;
  }
  return -1;
}

/** Advances the counter at `depth` (carrying left); returns the leftmost digit changed, or -1 at the end. */
function advance(space: Space, digits: Int32Array, depth: number): number {
  let position = depth;
  while (position >= 0 && ++digits[position] === space.partitions[position].values.length) {
    digits[position] = 0;
    position--;
  }
  return position;
}

class Recorder {
  readonly groups = new Map<number, Group>();
  private readonly found: Violation[] = [];
  private readonly ruleIndex: Map<RuleInfo, number>;

  constructor(private readonly protocol: ResolvedProtocol, private readonly spec: LabelSpec) {
    this.ruleIndex = new Map(protocol.rules.map((rule, index) => [rule, index]));
  }

  evaluate(state: Map<string, FactValue>): void {
    const outcome = decide(this.protocol, state);
    this.found.length = 0;
    if (findViolations(this.spec, this.protocol, state, outcome.decision, this.found) === 0) return;
    const rule = outcome.decidedBy ? (this.ruleIndex.get(outcome.decidedBy) ?? -1) : -1;
    for (const violation of this.found) {
      const key = (rule + 1) * this.spec.checks.length + violation.check.id;
      const group = this.groups.get(key);
      if (group) group.count++;
      else this.groups.set(key, { decidedBy: outcome.decidedBy, violation, state: new Map(state), count: 1 });
    }
  }
}

export function explore(protocol: ResolvedProtocol, spec: LabelSpec, space: Space, pruner: Pruner, budget: Budget): Exploration {
  const digits = new Int32Array(space.partitions.length);
  const state = new Map<string, FactValue>();
  const recorder = new Recorder(protocol, spec);
  let explored = 0;
  let evaluated = 0;
  let from = 0;
  const result = (stopped?: StopReason): Exploration => ({ explored, evaluated, groups: [...recorder.groups.values()], stopped });
  for (let step = 0; ; step++) {
    if (step % POLL_EVERY === 0) {
      const reason = budget.interrupted();
      if (reason) return result(reason);
    }
    assign(space, digits, from, state);
    let depth = firstSettled(pruner, from, state);
    if (depth >= 0) {
      explored += space.subtree[depth];
    } else {
      if (evaluated >= budget.maxStates) return result(stateBudgetReason(budget, 'evaluated'));
      recorder.evaluate(state);
      evaluated++;
      explored++;
      depth = digits.length - 1;
    }
    from = advance(space, digits, depth);
    if (from < 0) return result();
  }
}
