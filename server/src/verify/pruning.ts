// Settling a whole subtree of states at once. It rests on two facts:
//   - the evaluator's precedence (eval/precedence.ts): the stops, discontinue then
//     hold, come first, so a matching protocol rule of a stop decides it unless a
//     stronger one matches, whatever else the state says;
//   - a decision breaks only a label requirement stronger than it (`rankOf`, as
//     eval's `breaks` compares).
// So once the facts a stop rule reads are all fixed (the exploration fixes facts
// in order, space.ts) and it matches, every state below is safe when every label
// line that can require something stronger is fixed and does not hold: at once
// for discontinue, once the label's discontinue conditions are fixed for hold.
// Those states count as explored without being evaluated.
import { STOPS, holds, rankOf } from '../eval/index.js';
import type { Condition, PatientState, ResolvedProtocol } from '../semantics/model.js';
import { factsOf } from '../semantics/conditions.js';
import { labelLinesRequiring, rulesDeciding } from './label-checks.js';
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

interface Level {
  /** Protocol rules that decide this stop. */
  rules: Item[];
  /** Label lines that can require a stronger decision. */
  stronger: Item[];
  /** The depth from which every one of `stronger` is fixed. */
  fixedAt: number;
}

export function buildPruner(protocol: ResolvedProtocol, space: Space): Pruner {
  const facts = protocol.facts;
  const levels: Level[] = STOPS.map((kind) => {
    const stronger = items(STOPS.filter((other) => rankOf(other) < rankOf(kind)).flatMap((other) => labelLinesRequiring(protocol, other)), space);
    return { rules: items(rulesDeciding(protocol, kind), space), stronger, fixedAt: Math.max(-1, ...stronger.map((item) => item.at)) };
  });

  const candidates = levels.flatMap((level) => level.rules.map((item) => Math.max(item.at, level.fixedAt)));
  const depths = [...new Set(candidates.map((at) => Math.max(0, at)))]
    .filter((depth) => depth < space.partitions.length && space.subtree[depth] > 1)
    .sort((a, b) => a - b);

  const matches = (list: Item[], depth: number, state: PatientState) => list.some((item) => item.at <= depth && holds(item.condition, state, facts));
  const settled = (depth: number, state: PatientState): boolean => {
    for (const level of levels) {
      if (!matches(level.rules, depth, state)) continue;
      return level.fixedAt <= depth && !matches(level.stronger, depth, state);
    }
    return false;
  };
  return { depths, settled };
}
