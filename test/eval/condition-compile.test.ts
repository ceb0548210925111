// The machines decide their days through compiled conditions (compileCondition):
// they must answer as the tree walk `holds` does, for every condition and every
// state, including facts not given (their defaults), values of another type and
// facts no declaration names.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileCondition, holds } from '../../server/src/eval/condition.js';
import type { Condition, FactInfo } from '../../server/src/semantics/model.js';
import { condition, FACTS, NO_SPAN as span, PER_UL, state } from '../helpers/conditions.js';

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
    const tree: Condition = { kind: 'compare', fact: 'count', op: '<', value: 500, unit: PER_UL, span, valueSpan: span };
    assert.equal(compileCondition(tree, FACTS), compileCondition(tree, FACTS));
    // Other facts, other defaults: `count` not given is 4000 under FACTS, unknown (so never < 500) without them.
    const none = new Map<string, FactInfo>();
    assert.notEqual(compileCondition(tree, none), compileCondition(tree, FACTS));
    const gt: Condition = { ...tree, op: '>' };
    assert.equal(compileCondition(gt, FACTS)(new Map()), true);
    assert.equal(compileCondition(gt, none)(new Map()), false);
  });
});
