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

/** A condition compiled for one set of facts: `holds(condition, state, facts)` as a closure, without the walk. */
export type CompiledCondition = (state: PatientState) => boolean;

const NEVER: CompiledCondition = () => false;
const compiledConditions = new WeakMap<Condition, WeakMap<ReadonlyMap<string, FactInfo>, CompiledCondition>>();

/**
 * `holds` compiled once per condition and facts: each fact's default is looked
 * up here, not on every day, and the operator is chosen here, not per call.
 * The machines (course.ts, label-course.ts, companions.ts) decide hundreds of
 * thousands of days through these; test/eval/condition-compile.test.ts checks
 * that they answer as `holds` does.
 */
export function compileCondition(condition: Condition, facts: ReadonlyMap<string, FactInfo>): CompiledCondition {
  let byFacts = compiledConditions.get(condition);
  if (!byFacts) compiledConditions.set(condition, (byFacts = new WeakMap()));
  let compiled = byFacts.get(facts);
  if (!compiled) byFacts.set(facts, (compiled = compile(condition, facts)));
  return compiled;
}

function defaultOf(fact: string, facts: ReadonlyMap<string, FactInfo>): FactValue | undefined {
  return valueOf(fact, EMPTY, facts);
}

const EMPTY: PatientState = new Map();

function compile(condition: Condition, facts: ReadonlyMap<string, FactInfo>): CompiledCondition {
  switch (condition.kind) {
    case 'bool': {
      const fact = condition.fact;
      const otherwise = defaultOf(fact, facts) === true;
      return (state) => {
        const given = state.get(fact);
        return given === undefined ? otherwise : given === true;
      };
    }
    case 'compare':
      return compileComparison(condition.fact, condition.op, condition.value, defaultOf(condition.fact, facts));
    case 'enum': {
      const { fact, negated } = condition;
      const values = new Set(condition.values);
      const otherwise = defaultOf(fact, facts);
      return (state) => {
        const given = state.get(fact);
        const value = given === undefined ? otherwise : given;
        return typeof value === 'string' && values.has(value) !== negated;
      };
    }
    case 'not': {
      const operand = compile(condition.operand, facts);
      return (state) => !operand(state);
    }
    case 'and':
    case 'or': {
      const operands = condition.operands.map((operand) => compile(operand, facts));
      if (operands.length === 0) return condition.kind === 'and' ? () => true : NEVER;
      if (operands.length === 1) return operands[0];
      if (operands.length === 2) {
        const [a, b] = operands;
        return condition.kind === 'and' ? (state) => a(state) && b(state) : (state) => a(state) || b(state);
      }
      if (condition.kind === 'and') {
        return (state) => {
          for (let i = 0; i < operands.length; i++) if (!operands[i](state)) return false;
          return true;
        };
      }
      return (state) => {
        for (let i = 0; i < operands.length; i++) if (operands[i](state)) return true;
        return false;
      };
    }
    case 'invalid':
      return NEVER;
  }
}

function compileComparison(fact: string, op: string, threshold: number, otherwise: FactValue | undefined): CompiledCondition {
  const read = (state: PatientState): FactValue | undefined => {
    const given = state.get(fact);
    return given === undefined ? otherwise : given;
  };
  switch (op) {
    case '<':
      return (state) => {
        const value = read(state);
        return typeof value === 'number' && value < threshold;
      };
    case '<=':
      return (state) => {
        const value = read(state);
        return typeof value === 'number' && value <= threshold;
      };
    case '>':
      return (state) => {
        const value = read(state);
        return typeof value === 'number' && value > threshold;
      };
    case '>=':
      return (state) => {
        const value = read(state);
        return typeof value === 'number' && value >= threshold;
      };
    case '=':
      return (state) => read(state) === threshold;
    case '!=':
      return (state) => {
        const value = read(state);
        return typeof value === 'number' && value !== threshold;
      };
    default:
      return NEVER;
  }
}
