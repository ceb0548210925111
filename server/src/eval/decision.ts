// A decision in words, and whether two decisions are the same (a test's
// `expect` against the protocol's decision: timings in any order).
import type { Decision } from '../semantics/model.js';

export function formatDecision(decision: Decision): string {
  if (decision.kind !== 'dose') return decision.kind;
  const timing = decision.timing.length > 0 ? ` ${decision.timing.join(', ')}` : '';
  return `dose ${decision.amount} ${decision.unit}${timing}`;
}

export function sameDecision(expected: Decision, actual: Decision): boolean {
  if (expected.kind !== actual.kind) return false;
  if (expected.kind !== 'dose' || actual.kind !== 'dose') return true;
  if (expected.amount !== actual.amount) return false;
  if (expected.timing.length !== actual.timing.length) return false;
  if (expected.timing.length === 0) return true;
  const a = [...expected.timing].sort();
  const b = [...actual.timing].sort();
  return a.every((item, i) => item === b[i]);
}
