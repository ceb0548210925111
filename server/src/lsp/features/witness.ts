// A readable patient state in which a condition holds ("ANC = 499 /uL"), for
// hover ("with ANC = 499 /uL this protocol gives hold") and for the tests a
// protocol skeleton writes (print/dose-text.ts writes it as text). Friendly round values first; when they do not
// satisfy the condition, the checker's own satisfying states are used.
import { holds } from '../../eval/index.js';
import { satisfyingStates } from '../../checks/satisfying-states.js';
import type { Condition, FactInfo, FactValue } from '../../semantics/model.js';
import { roundSignificant } from '../../units/index.js';

function justAcross(op: string, value: number): number {
  const step = Math.abs(value) >= 2 && Number.isInteger(value) ? 1 : Math.max(Math.abs(value) / 10, 0.1);
  switch (op) {
    case '<':
      return roundSignificant(value - step);
    case '>':
    case '!=':
      return roundSignificant(value + step);
    default:
      return value;
  }
}

function build(condition: Condition, facts: ReadonlyMap<string, FactInfo>, state: Map<string, FactValue>): void {
  switch (condition.kind) {
    case 'bool':
      state.set(condition.fact, true);
      return;
    case 'compare':
      state.set(condition.fact, justAcross(condition.op, condition.value));
      return;
    case 'enum': {
      const all = facts.get(condition.fact)?.values ?? condition.values;
      const value = condition.negated ? all.find((item) => !condition.values.includes(item)) : condition.values[0];
      if (value !== undefined) state.set(condition.fact, value);
      return;
    }
    case 'and':
      for (const operand of condition.operands) build(operand, facts, state);
      return;
    case 'or':
      if (condition.operands[0]) build(condition.operands[0], facts, state);
      return;
    case 'not':
    case 'invalid':
      return;
  }
}

/** A state where `condition` holds, or undefined when none is found. */
export function witnessState(condition: Condition, facts: ReadonlyMap<string, FactInfo>): Map<string, FactValue> | undefined {
  const state = new Map<string, FactValue>();
  build(condition, facts, state);
  if (holds(condition, state, facts)) return state;
  return satisfyingStates(condition, facts)[0];
}
