// Shrinking a violating state to the facts that matter: each fact in turn goes
// back to its default (is left out of the state) when the same label line is
// still broken without it. The deciding rule may change on the way (a missed
// hold is the start dose's fault once the dose rules' facts are gone).
import { decide, type Outcome } from '../eval/index.js';
import type { FactValue, ResolvedProtocol } from '../semantics/model.js';
import { findViolations, type LabelCheck, type LabelSpec, type Violation } from './label-checks.js';
import type { Space } from './space.js';

export function minimize(protocol: ResolvedProtocol, spec: LabelSpec, space: Space, state: Map<string, FactValue>, check: LabelCheck): Map<string, FactValue> {
  const minimal = new Map(state);
  for (const { fact } of space.partitions) {
    const value = minimal.get(fact.name);
    if (value === undefined) continue;
    minimal.delete(fact.name);
    if (!recheck(protocol, spec, minimal, check)) minimal.set(fact.name, value);
  }
  return new Map(space.partitions.filter(({ fact }) => minimal.has(fact.name)).map(({ fact }) => [fact.name, minimal.get(fact.name)!]));
}

export interface Recheck {
  violation: Violation;
  outcome: Outcome;
}

/** How `state` breaks `check`, or undefined when it does not. */
export function recheck(protocol: ResolvedProtocol, spec: LabelSpec, state: Map<string, FactValue>, check: LabelCheck): Recheck | undefined {
  const outcome = decide(protocol, state);
  const found: Violation[] = [];
  findViolations(spec, protocol, state, outcome.decision, found);
  const violation = found.find((item) => item.check === check);
  return violation ? { violation, outcome } : undefined;
}
