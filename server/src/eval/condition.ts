// Conditions over the facts of one day. Facts a day does not give take a
// neutral default: booleans false, quantities their declared `normal` value
// (or unknown), enums unknown. A comparison with an unknown value is false.
import type { Condition, FactInfo, FactValue, PatientState } from '../semantics/model.js';

export function valueOf(fact: string, state: PatientState, facts: ReadonlyMap<string, FactInfo>): FactValue | undefined {
  const given = state.get(fact);
  if (given !== undefined) return given;
  const info = facts.get(fact);
  if (!info) return undefined;
  if (info.kind === 'boolean') return false;
  if (info.kind === 'quantity') return info.normal;
  return undefined;
}

function compare(left: number, op: string, right: number): boolean {
  switch (op) {
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
    case '=': return left === right;
    case '!=': return left !== right;
    default: return false;
  }
}

/** The side of its threshold a comparison holds on: `below` for < and <=, `above` for > and >=; none for = and !=. */
export function sideOf(op: string): 'below' | 'above' | undefined {
  if (op === '<' || op === '<=') return 'below';
  if (op === '>' || op === '>=') return 'above';
  return undefined;
}

type Comparison = Extract<Condition, { kind: 'compare' }>;

/**
 * A value of the fact at which comparison `a` holds and `b` does not, tried at
 * `b`'s threshold, halfway between the two, then `a`'s threshold; undefined when
 * none of them shows one. For two comparisons on the same side that is exact:
 * `ANC < 500` against `ANC < 400` gives 400, against `ANC <= 400` gives 450.
 */
export function holdsWithout(a: Comparison, b: Comparison): number | undefined {
  for (const value of [b.value, (a.value + b.value) / 2, a.value]) {
    if (compare(value, a.op, a.value) && !compare(value, b.op, b.value)) return value;
  }
  return undefined;
}

export function holds(condition: Condition, state: PatientState, facts: ReadonlyMap<string, FactInfo>): boolean {
  switch (condition.kind) {
    case 'bool':
      return valueOf(condition.fact, state, facts) === true;
    case 'compare': {
      const value = valueOf(condition.fact, state, facts);
      return typeof value === 'number' && compare(value, condition.op, condition.value);
    }
    case 'enum': {
      const value = valueOf(condition.fact, state, facts);
      if (typeof value !== 'string') return false;
      return condition.values.includes(value) !== condition.negated;
    }
    case 'not':
      return !holds(condition.operand, state, facts);
    // Loops, not `every`/`some`: the checks call this hundreds of thousands of times per file,
    // and a closure per call was a few MB of garbage.
    case 'and':
      for (const operand of condition.operands) if (!holds(operand, state, facts)) return false;
      return true;
    case 'or':
      for (const operand of condition.operands) if (holds(operand, state, facts)) return true;
      return false;
    case 'invalid':
      return false;
  }
}

const formatted = new WeakMap<Condition, string>();

/** A condition in words, from the model: "ANC >= 500 /uL and platelets >= 50000 /uL". Kept per condition: the course search words a hold's reason on every held day. */
export function formatCondition(condition: Condition): string {
  let text = formatted.get(condition);
  if (text === undefined) formatted.set(condition, (text = wordsOf(condition)));
  return text;
}

function wordsOf(condition: Condition): string {
  switch (condition.kind) {
    case 'bool':
      return condition.fact;
    case 'compare':
      return `${condition.fact} ${condition.op} ${condition.value}${condition.unit.ucum === '1' || condition.fact === 'day' ? '' : ` ${condition.unit.written}`}`;
    case 'enum':
      return condition.values.length === 1
        ? `${condition.fact} ${condition.negated ? '!=' : '='} ${condition.values[0]}`
        : `${condition.negated ? 'not ' : ''}${condition.fact} in (${condition.values.join(', ')})`;
    case 'not':
      return `not ${wrap(condition.operand)}`;
    case 'and':
    case 'or':
      return condition.operands.map(wrap).join(` ${condition.kind} `);
    case 'invalid':
      return '(unreadable condition)';
  }
}

function wrap(condition: Condition): string {
  return condition.kind === 'and' || condition.kind === 'or' ? `(${formatCondition(condition)})` : formatCondition(condition);
}
