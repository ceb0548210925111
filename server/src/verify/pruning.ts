// Settling a whole subtree of states at once. It rests on two facts:
//   - the evaluator's precedence (eval/index.ts, step 1 and 2): a matching
//     `discontinue` rule decides discontinue, and otherwise a matching `hold` rule
//     decides hold, whatever else the state says;
//   - the label checks (label-checks.ts): discontinue breaks no label line, and
//     hold breaks only a label `discontinue` that holds.
// So once the facts a rule reads are all fixed (the exploration fixes facts in
// order, space.ts), a matching protocol discontinue rule settles every state
// below; so does a matching hold rule once every label discontinue condition is
// fixed and none holds. Those states count as explored without being evaluated.
import { holds } from '../eval/index.js';
import type { Condition, PatientState, ResolvedProtocol } from '../semantics/model.js';
import { factsOf } from '../semantics/conditions.js';
import type { Space } from './space.js';

interface Item {
  condition: Condition;
  /** The depth from which every fact it reads is fixed (-1: it reads none). */
  at: number;
}

export interface Pruner {
  /** Depths worth checking, ascending. */
  depths: number[];
  /** True when every state extending the current choice of facts 0..depth is safe. */
  settled(depth: number, state: PatientState): boolean;
}

function completeAt(condition: Condition, space: Space): number {
  let at = -1;
  for (const fact of factsOf(condition)) at = Math.max(at, space.position.get(fact) ?? Infinity);
  return at;
}

function items(conditions: Condition[], space: Space): Item[] {
  return conditions.map((condition) => ({ condition, at: completeAt(condition, space) }));
}

export function buildPruner(protocol: ResolvedProtocol, space: Space): Pruner {
  const facts = protocol.facts;
  const rulesOf = (kind: string) => items(protocol.rules.filter((rule) => rule.action.kind === kind).map((rule) => rule.condition), space);
  const discontinueRules = rulesOf('discontinue');
  const holdRules = rulesOf('hold');
  const labelDiscontinues = items(protocol.indication.constraints.filter((item) => item.kind === 'discontinue').map((item) => item.condition), space);
  const labelFixedAt = Math.max(-1, ...labelDiscontinues.map((item) => item.at));

  const candidates = [...discontinueRules.map((item) => item.at), ...holdRules.map((item) => Math.max(item.at, labelFixedAt))];
  const depths = [...new Set(candidates.map((at) => Math.max(0, at)))]
    .filter((depth) => depth < space.partitions.length && space.subtree[depth] > 1)
    .sort((a, b) => a - b);

  const matches = (list: Item[], depth: number, state: PatientState) => list.some((item) => item.at <= depth && holds(item.condition, state, facts));
  const settled = (depth: number, state: PatientState): boolean => {
    if (matches(discontinueRules, depth, state)) return true;
    if (labelFixedAt > depth || matches(labelDiscontinues, depth, state)) return false;
    return matches(holdRules, depth, state);
  };
  return { depths, settled };
}
