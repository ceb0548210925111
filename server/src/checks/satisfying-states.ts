// Small sets of patient states in which a condition holds, built from the
// values the condition itself mentions. Line-by-line checks use them to ask
// "when this rule fires, does that label line apply too?" through the one
// evaluator; the verifier explores combinations exhaustively.
import { holds } from '../eval/index.js';
import type { Condition, FactInfo, FactValue } from '../semantics/model.js';
import { atomsOf, factsOf } from '../semantics/conditions.js';

const MAX_STATES = 512;

/** The numbers `condition` compares `fact` with. */
function thresholdsOf(condition: Condition, fact: string): number[] {
  return atomsOf(condition).flatMap((atom) => (atom.kind === 'compare' && atom.fact === fact ? [atom.value] : []));
}

function candidates(fact: FactInfo, condition: Condition): (FactValue | undefined)[] {
  if (fact.kind === 'boolean') return [true, false];
  if (fact.kind === 'enum') return [...(fact.values ?? []), undefined];
  const values = new Set<number>();
  for (const threshold of thresholdsOf(condition, fact.name)) {
    values.add(threshold);
    values.add(threshold - Math.max(Math.abs(threshold) * 1e-6, 1e-6));
    values.add(threshold + Math.max(Math.abs(threshold) * 1e-6, 1e-6));
  }
  return [...values];
}

export function satisfyingStates(condition: Condition, facts: ReadonlyMap<string, FactInfo>): Map<string, FactValue>[] {
  let states: Map<string, FactValue>[] = [new Map()];
  for (const name of factsOf(condition)) {
    const fact = facts.get(name);
    if (!fact) continue;
    const next: Map<string, FactValue>[] = [];
    const values = candidates(fact, condition);
    for (const state of states) {
      for (const value of values) {
        const extended = new Map(state);
        if (value !== undefined) extended.set(name, value);
        next.push(extended);
        if (next.length >= MAX_STATES) break;
      }
    }
    states = next;
  }
  return states.filter((state) => holds(condition, state, facts));
}

