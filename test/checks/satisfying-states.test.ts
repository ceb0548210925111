// The line checks find "a state where both hold" through firstSatisfyingState and, for
// the rules that speak of a label line, firstStateOfBoth (no conjunction built, each
// side's atoms given). Both must find the first of satisfyingStates' states, in its
// order and with its entries in the same order (messages describe the state).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstSatisfyingState, firstStateOfBoth, satisfyingStates } from '../../server/src/checks/satisfying-states.js';
import { atomsOf } from '../../server/src/semantics/conditions.js';
import type { Condition, FactValue } from '../../server/src/semantics/model.js';
import { condition, FACTS, NO_SPAN } from '../helpers/conditions.js';

const entries = (state: Map<string, FactValue> | undefined) => (state ? [...state] : undefined);

describe('checks: satisfying states', () => {
  it('the first satisfying state is the first of satisfyingStates, for one condition and for a pair', () => {
    fc.assert(
      fc.property(condition, condition, (a, b) => {
        const conjunction: Condition = { kind: 'and', operands: [a, b], span: NO_SPAN };
        const first = entries(satisfyingStates(conjunction, FACTS)[0]);
        assert.deepEqual(entries(firstSatisfyingState(conjunction, FACTS)), first);
        assert.deepEqual(entries(firstStateOfBoth(a, atomsOf(a), b, atomsOf(b), FACTS)), first);
        assert.deepEqual(entries(firstSatisfyingState(a, FACTS)), entries(satisfyingStates(a, FACTS)[0]));
      }),
      { numRuns: 1500 },
    );
  });

  it('a pair is tried at the thresholds of both sides', () => {
    const below = (value: number): Condition => ({ kind: 'compare', fact: 'level', op: '<', value, unit: FACTS.get('level')!.unit!, span: NO_SPAN, valueSpan: NO_SPAN });
    // level < 200 and level < 50: only b's threshold gives a value below 50 (just under it).
    assert.deepEqual(entries(firstStateOfBoth(below(200), atomsOf(below(200)), below(50), atomsOf(below(50)), FACTS)), [['level', 49.99995]]);
    const atLeast100: Condition = { kind: 'not', operand: below(100), span: NO_SPAN };
    assert.equal(firstStateOfBoth(below(100), atomsOf(below(100)), atLeast100, atomsOf(atLeast100), FACTS), undefined);
  });
});
