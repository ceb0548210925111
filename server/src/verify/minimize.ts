// Shrinking a violating state to the facts that matter: each fact in turn goes
// back to its default (is left out of the state) when the same label line is
// still broken without it. The deciding rule may change on the way (a missed
// hold is the start dose's fault once the dose rules' facts are gone).
import { cycleDay, decide, isDosingDay, type Outcome } from '../eval/index.js';
import type { FactValue, ResolvedProtocol } from '../semantics/model.js';
import { BUILTIN_DAY } from '../semantics/model.js';
import { findViolations, labelDosingDay, type LabelCheck, type LabelSpec, type Violation } from './label-checks.js';
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

/** Whether `state` falls on a day both the protocol's and the label's schedules dose. */
export function onDosingDay(protocol: ResolvedProtocol, spec: LabelSpec, state: Map<string, FactValue>): boolean {
  return isDosingDay(protocol, cycleDay(protocol, state)) && labelDosingDay(spec, protocol, state);
}

/**
 * The state to show for a violation found on a rest day: the same facts on the
 * first day (day 1, the default, then 2, 3, ...) that both schedules dose and on
 * which the same label line still breaks, so "ANC = 400 /uL: gives dose 4 mg; the
 * label requires hold" is shown rather than "ANC = 400 /uL, day 22: gives no
 * dose". Day 1 may not break it where day 2 does: a cycle's gate holds day 1.
 * The state as found when it already is on a dosing day or no dosing day breaks
 * the line (a dose on the label's rest day breaks it only there).
 */
export function preferDosingDay(protocol: ResolvedProtocol, spec: LabelSpec, space: Space, state: Map<string, FactValue>, check: LabelCheck): Map<string, FactValue> {
  if (!space.position.has(BUILTIN_DAY) || onDosingDay(protocol, spec, state)) return state;
  const days = space.partitions[space.position.get(BUILTIN_DAY)!].values.filter((value): value is number => typeof value === 'number');
  const last = Math.max(1, ...days);
  const moved = new Map(state);
  for (let day = 1; day <= last; day++) {
    if (day === 1) moved.delete(BUILTIN_DAY);
    else moved.set(BUILTIN_DAY, day);
    if (onDosingDay(protocol, spec, moved) && recheck(protocol, spec, moved, check)) return moved;
  }
  return state;
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
