// Small sets of patient states in which a condition holds, built from the
// values the condition itself mentions. Line-by-line checks use them to ask
// "when this rule fires, does that label line apply too?" through the one
// evaluator; the verifier explores combinations exhaustively.
import { holds } from '../eval/index.js';
import type { Condition, FactInfo, FactValue } from '../semantics/model.js';
import { atomsOf, factsOfAtoms, type Atom } from '../semantics/conditions.js';

const MAX_STATES = 512;

const TRUTH_VALUES: readonly FactValue[] = [true, false];
const enumChoices = new WeakMap<FactInfo, readonly (FactValue | undefined)[]>();

/**
 * The values worth trying for `fact`: both truth values, every enum value and none, each threshold and either side of it.
 * Read only: the truth values and each enum fact's list are shared.
 */
function candidates(fact: FactInfo, atoms: readonly Atom[]): readonly (FactValue | undefined)[] {
  if (fact.kind === 'boolean') return TRUTH_VALUES;
  if (fact.kind === 'enum') {
    let values = enumChoices.get(fact);
    if (!values) enumChoices.set(fact, (values = [...(fact.values ?? []), undefined]));
    return values;
  }
  // A short list beats a Set: a fact has a threshold or two in one condition.
  const values: number[] = [];
  const add = (value: number) => {
    if (!values.includes(value)) values.push(value);
  };
  for (const atom of atoms) {
    if (atom.kind !== 'compare' || atom.fact !== fact.name) continue;
    const threshold = atom.value;
    add(threshold);
    add(threshold - Math.max(Math.abs(threshold) * 1e-6, 1e-6));
    add(threshold + Math.max(Math.abs(threshold) * 1e-6, 1e-6));
  }
  return values;
}

export function satisfyingStates(condition: Condition, facts: ReadonlyMap<string, FactInfo>): Map<string, FactValue>[] {
  let states: Map<string, FactValue>[] = [new Map()];
  const atoms = atomsOf(condition);
  for (const name of factsOfAtoms(atoms)) {
    const fact = facts.get(name);
    if (!fact) continue;
    const next: Map<string, FactValue>[] = [];
    const values = candidates(fact, atoms);
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


/**
 * The first state of `satisfyingStates(condition, facts)` (in its order) that
 * `accept` also takes, without building the others: one map is extended and
 * shrunk as the values are tried, and only a state returned is copied. When
 * the values multiply to MAX_STATES or more, `satisfyingStates` cuts its list
 * short, so its own list is searched instead (the same answer either way).
 */
export function firstSatisfyingState(
  condition: Condition,
  facts: ReadonlyMap<string, FactInfo>,
  accept?: (state: Map<string, FactValue>) => boolean,
): Map<string, FactValue> | undefined {
  return firstStateOf(atomsOf(condition), condition, undefined, facts, accept);
}

const pairAtoms: Atom[] = [];

/**
 * `firstSatisfyingState(a and b, facts)` for a caller that asks it of many
 * pairs and has each side's atoms (`atomsOf(a)`, `atomsOf(b)`): the same
 * answer, without building the conjunction or walking it again.
 */
export function firstStateOfBoth(a: Condition, atomsA: readonly Atom[], b: Condition, atomsB: readonly Atom[], facts: ReadonlyMap<string, FactInfo>): Map<string, FactValue> | undefined {
  // `atomsOf(a and b)` is a's atoms then b's: one list reused (the search below reads it before any other call can).
  pairAtoms.length = 0;
  for (let i = 0; i < atomsA.length; i++) pairAtoms.push(atomsA[i]);
  for (let i = 0; i < atomsB.length; i++) pairAtoms.push(atomsB[i]);
  return firstStateOf(pairAtoms, a, b, facts);
}

/** The search of `firstSatisfyingState` over the atoms of `a`, or of `a and b` when `b` is given. */
function firstStateOf(
  atoms: readonly Atom[],
  a: Condition,
  b: Condition | undefined,
  facts: ReadonlyMap<string, FactInfo>,
  accept?: (state: Map<string, FactValue>) => boolean,
): Map<string, FactValue> | undefined {
  const names: string[] = [];
  const choices: (readonly (FactValue | undefined)[])[] = [];
  let product = 1;
  for (const name of factsOfAtoms(atoms)) {
    const fact = facts.get(name);
    if (!fact) continue;
    const values = candidates(fact, atoms);
    names.push(name);
    choices.push(values);
    product *= values.length;
  }
  if (product >= MAX_STATES) {
    const condition: Condition = b ? { kind: 'and', operands: [a, b], span: a.span } : a;
    return satisfyingStates(condition, facts).find((state) => !accept || accept(state));
  }
  const state = new Map<string, FactValue>();
  const search = (level: number): Map<string, FactValue> | undefined => {
    if (level === names.length) {
      if (!holds(a, state, facts) || (b && !holds(b, state, facts))) return undefined;
      const copy = new Map(state);
      return !accept || accept(copy) ? copy : undefined;
    }
    const name = names[level];
    // A value replaces the one before it in place (the entry keeps its place, the last one, as
    // the deeper levels' entries are gone by then); the entry is removed only for "no value" and
    // after the last value: deleting and adding again left holes that made the map reallocate.
    for (const value of choices[level]) {
      if (value !== undefined) state.set(name, value);
      else state.delete(name);
      const found = search(level + 1);
      if (found) {
        state.delete(name);
        return found;
      }
    }
    state.delete(name);
    return undefined;
  };
  return search(0);
}
