// The leaves of a condition: the only places a fact's value is read. Two values
// of a fact that make every leaf on it come out the same are interchangeable
// for every condition built from those leaves (see partitions.ts).
import type { Condition } from '../semantics/model.js';

import { atomsOf, type Atom } from '../semantics/conditions.js';

export { atomsOf, type Atom };

/** Atoms of all the conditions, grouped by the fact they read. */
export function atomsByFact(conditions: Iterable<Condition>): Map<string, Atom[]> {
  const byFact = new Map<string, Atom[]>();
  for (const condition of conditions) {
    for (const atom of atomsOf(condition)) {
      const list = byFact.get(atom.fact);
      if (list) list.push(atom);
      else byFact.set(atom.fact, [atom]);
    }
  }
  return byFact;
}

/** The numbers compared with a fact, in the fact's unit. */
export function thresholdsOf(atoms: readonly Atom[]): number[] {
  const values: number[] = [];
  for (const atom of atoms) if (atom.kind === 'compare') values.push(atom.value);
  return values;
}
