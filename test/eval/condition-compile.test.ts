// The machines decide their days through compiled conditions (compileCondition):
// they must answer as the tree walk `holds` does, for every condition and every
// state, including facts not given (their defaults), values of another type and
// facts no declaration names.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileCondition, holds } from '../../server/src/eval/condition.js';
import type { Condition, FactInfo, FactValue } from '../../server/src/semantics/model.js';
import type { CompareOp } from '../../server/src/syntax/ast.js';
import { parseUnit } from '../../server/src/units/index.js';

const span = { start: 0, end: 0 };
const perUl = parseUnit('/uL');
if (!perUl.ok) throw new Error('/uL does not parse');

const FACTS = new Map<string, FactInfo>([
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

const condition: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
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

const state = fc.dictionary(fc.constantFrom(...NAMES), value).map((entries) => new Map(Object.entries(entries)));

describe('eval: compiled conditions', () => {
  it('answer as the tree walk on every condition and state', () => {
    fc.assert(
      fc.property(condition, fc.array(state, { minLength: 1, maxLength: 8 }), (tree, states) => {
        const compiled = compileCondition(tree, FACTS);
        for (const facts of states) assert.equal(compiled(facts), holds(tree, facts, FACTS), JSON.stringify([tree, [...facts]]));
      }),
      { numRuns: 2000 },
    );
  });

  it('are compiled once per condition and facts', () => {
    const tree: Condition = { kind: 'compare', fact: 'count', op: '<', value: 500, unit: perUl.unit, span, valueSpan: span };
    assert.equal(compileCondition(tree, FACTS), compileCondition(tree, FACTS));
    // Other facts, other defaults: `count` not given is 4000 under FACTS, unknown (so never < 500) without them.
    const none = new Map<string, FactInfo>();
    assert.notEqual(compileCondition(tree, none), compileCondition(tree, FACTS));
    const gt: Condition = { ...tree, op: '>' };
    assert.equal(compileCondition(gt, FACTS)(new Map()), true);
    assert.equal(compileCondition(gt, none)(new Map()), false);
  });
});
