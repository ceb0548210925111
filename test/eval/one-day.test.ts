// The one-day questions of eval/ and the small named meanings the checks and the
// verifier read: `labelDay` (the label's machine stepped for a course of one day,
// on the label's own cycle), which side a comparison holds on and where one
// holds without another (`sideOf`, `holdsWithout`), and the stops of the
// precedence table (`stops`, `STOPS`).
import assert from 'node:assert/strict';
import { STOPS, holds, holdsWithout, labelDay, sideOf, stops } from '../../server/src/eval/index.js';
import type { Condition, FactValue } from '../../server/src/semantics/model.js';
import { protocolOf } from '../verify/helpers.js';

type Compare = Extract<Condition, { kind: 'compare' }>;
const span = { start: 0, end: 0 };
const unit = { ucum: '/uL', written: '/uL' } as unknown as Compare['unit'];
const compare = (op: Compare['op'], value: number): Compare => ({ kind: 'compare', fact: 'ANC', op, value, unit, span, valueSpan: span });

describe('eval: one-day questions and named meanings', () => {
  it('sideOf: < and <= hold below their threshold, > and >= above, = and != neither', () => {
    assert.deepEqual(['<', '<=', '>', '>=', '=', '!='].map((op) => sideOf(op)), ['below', 'below', 'above', 'above', undefined, undefined]);
  });

  it('holdsWithout: a value where one comparison holds and the other does not, checked with holds', () => {
    const cases: [Compare, Compare, number | undefined][] = [
      [compare('<', 500), compare('<', 400), 400],
      [compare('<', 500), compare('<=', 400), 450],
      [compare('<=', 500), compare('<', 500), 500],
      [compare('<', 500), compare('<=', 500), undefined],
      [compare('<', 400), compare('<', 500), undefined],
      [compare('>', 100), compare('>', 200), 200],
      [compare('>=', 100), compare('>', 100), 100],
    ];
    for (const [a, b, expected] of cases) {
      const value = holdsWithout(a, b);
      assert.equal(value, expected, `${a.op} ${a.value} without ${b.op} ${b.value}`);
      if (value === undefined) continue;
      const state = new Map<string, FactValue>([['ANC', value]]);
      assert.ok(holds(a, state, new Map()) && !holds(b, state, new Map()));
    }
  });

  it('stops: discontinue and hold stop treatment, strongest first; no dose and dose do not', () => {
    assert.deepEqual(STOPS, ['discontinue', 'hold']);
    assert.deepEqual((['discontinue', 'hold', 'no dose', 'dose'] as const).map(stops), [true, true, false, false]);
  });

  it('labelDay: what the label requires on one day, its rest days on its own cycle', () => {
    // The protocol's cycle is 21 days, the label's 28 (days 1-21): day 22 of treatment is a label rest day.
    const protocol = protocolOf('protocol "p" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start 4 mg oral once daily days 1-21 cycle 21 days\n}\n');
    const day = (facts: [string, FactValue][]) => labelDay(protocol, new Map(facts));
    assert.equal(day([['day', 22]]).requires?.kind, 'no dose');
    assert.equal(day([['day', 21]]).requires, undefined);
    assert.equal(day([['sjs_ten', true]]).requires?.kind, 'discontinue');
    assert.equal(day([['dialysis', true]]).atMost?.amount, 3);
    assert.deepEqual(day([['dialysis', true]]).timings.map((item) => item.timing), ['after dialysis']);
  });
});
