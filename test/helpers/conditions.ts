// Random resolved conditions and patient states over a few facts of each kind (one
// with a neutral value, one without, a choice, a yes/no fact) and a name no declaration
// names: what the property tests of conditions draw from.
import fc from 'fast-check';
import type { Condition, FactInfo, FactValue } from '../../server/src/semantics/model.js';
import type { CompareOp } from '../../server/src/syntax/ast.js';
import { parseUnit } from '../../server/src/units/index.js';

const span = { start: 0, end: 0 };
const perUl = parseUnit('/uL');
if (!perUl.ok) throw new Error('/uL does not parse');
export const PER_UL = perUl.unit;
export const NO_SPAN = span;

export const FACTS = new Map<string, FactInfo>([
  ['flag', { name: 'flag', title: 'a yes/no fact', kind: 'boolean' }],
  ['count', { name: 'count', title: 'a count with a neutral value', kind: 'quantity', unit: perUl.unit, normal: 4000 }],
  ['level', { name: 'level', title: 'a level with no neutral value', kind: 'quantity', unit: perUl.unit }],
  ['grade', { name: 'grade', title: 'a choice', kind: 'enum', values: ['A', 'B', 'C'] }],
]);
/** The declared facts and one nothing declares. */
const NAMES = [...FACTS.keys(), 'undeclared'];
const OPS: CompareOp[] = ['<', '<=', '>', '>=', '=', '!='];
const NUMBERS = [0, 499, 500, 501, 4000, -1, 2.5];

const value: fc.Arbitrary<FactValue> = fc.oneof(fc.constantFrom(...NUMBERS), fc.double({ noNaN: false }), fc.boolean(), fc.constantFrom('A', 'B', 'C', 'D'));

export const condition: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map((fact): Condition => ({ kind: 'bool', fact, span })),
    fc.record({ fact: fc.constantFrom(...NAMES), op: fc.constantFrom(...OPS), value: fc.constantFrom(...NUMBERS) }).map(({ fact, op, value: threshold }): Condition => ({ kind: 'compare', fact, op, value: threshold, unit: perUl.unit, span, valueSpan: span })),
    fc.record({ fact: fc.constantFrom(...NAMES), values: fc.subarray(['A', 'B', 'C', 'D']), negated: fc.boolean() }).map(({ fact, values, negated }): Condition => ({ kind: 'enum', fact, values, negated, span })),
    tie('node').map((operand): Condition => ({ kind: 'not', operand, span })),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(tie('node'), { maxLength: 4 }) }).map(({ kind, operands }): Condition => ({ kind, operands, span })),
    fc.constant<Condition>({ kind: 'invalid', span }),
  ),
})).node;

export const state = fc.dictionary(fc.constantFrom(...NAMES), value).map((entries) => new Map(Object.entries(entries)));
