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

const lineAtoms = new WeakMap<Condition, readonly Atom[]>();
const lineFacts = new WeakMap<Condition, readonly string[]>();

/**
 * `atomsOf` for a condition that is asked about again and again, such as a
 * label line's, which every protocol of a file is checked against: walked
 * once. Not for a condition built for one question (`both(a, b)`).
 */
export function atomsOfLine(condition: Condition): readonly Atom[] {
  let atoms = lineAtoms.get(condition);
  if (!atoms) lineAtoms.set(condition, (atoms = atomsOf(condition)));
  return atoms;
}

/** `factsOf`, walked once per condition as `atomsOfLine` is. */
export function factsOfLine(condition: Condition): readonly string[] {
  let facts = lineFacts.get(condition);
  if (!facts) lineFacts.set(condition, (facts = factsOfAtoms(atomsOfLine(condition))));
  return facts;
}

/** Facts a condition mentions, in order of first mention. */
export function factsOf(condition: Condition): string[] {
  return factsOfAtoms(atomsOf(condition));
}

/** `factsOf`, for a caller that has the condition's atoms already. */
export function factsOfAtoms(atoms: readonly Atom[]): string[] {
  // A short list beats a Set here: conditions name a handful of facts, and
  // checks ask this thousands of times per file.
  const facts: string[] = [];
  for (const atom of atoms) if (!facts.includes(atom.fact)) facts.push(atom.fact);
  return facts;
}

/** Whether the condition reads `fact` anywhere; allocates nothing, unlike `factsOf`. */
export function mentions(condition: Condition, fact: string): boolean {
  switch (condition.kind) {
    case 'bool':
    case 'compare':
    case 'enum':
      return condition.fact === fact;
    case 'not':
      return mentions(condition.operand, fact);
    case 'and':
    case 'or':
      for (const operand of condition.operands) if (mentions(operand, fact)) return true;
      return false;
    case 'invalid':
      return false;
  }
}

/** Whether the condition reads any of `facts`; allocates nothing. */
export function mentionsAny(condition: Condition, facts: readonly string[]): boolean {
  for (const fact of facts) if (mentions(condition, fact)) return true;
  return false;
}
