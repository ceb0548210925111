// Walking a resolved condition: its leaves (the only places a fact's value is
// read) and the facts it mentions. Checks, the verifier and the editor share these.
import type { Condition } from './model.js';

export type Atom = Extract<Condition, { kind: 'bool' | 'compare' | 'enum' }>;

export function atomsOf(condition: Condition, into: Atom[] = []): Atom[] {
  switch (condition.kind) {
    case 'bool':
    case 'compare':
    case 'enum':
      into.push(condition);
      return into;
    case 'not':
      return atomsOf(condition.operand, into);
    case 'and':
    case 'or':
      for (const operand of condition.operands) atomsOf(operand, into);
      return into;
    case 'invalid':
      return into;
  }
}

// Resolved conditions never change, and checks ask again for every rule and
// label line (coverage alone asked 54,000 times for a 150-protocol file).
const factsCache = new WeakMap<Condition, readonly string[]>();

/** Facts a condition mentions, in order of first mention; shared, so read-only. */
export function factsOf(condition: Condition): readonly string[] {
  let facts = factsCache.get(condition);
  if (!facts) factsCache.set(condition, (facts = Object.freeze([...new Set(atomsOf(condition).map((atom) => atom.fact))])));
  return facts;
}
