import assert from 'node:assert/strict';
import { stepOf, thresholdCandidates } from '../../server/src/verify/candidates.js';
import { labelSpec } from '../../server/src/verify/label-checks.js';
import { buildSpace } from '../../server/src/verify/space.js';
import { pdText, protocolOf } from './helpers.js';

function sizes(text: string): Record<string, string> {
  const protocol = protocolOf(text);
  const space = buildSpace(protocol, labelSpec(protocol));
  return Object.fromEntries(space.partitions.map((partition) => [partition.fact.name, `${partition.values.length}/${partition.candidates}`]));
}

describe('verify: partitions', () => {
  it('steps one unit in the last decimal place (integers: 1)', () => {
    assert.equal(stepOf(500), 1);
    assert.equal(stepOf(25000), 1);
    assert.equal(stepOf(0.4), 0.1);
    assert.equal(stepOf(2.25), 0.01);
    assert.equal(stepOf(75), 1);
  });

  it('candidates: each threshold, one step either side', () => {
    assert.deepEqual(thresholdCandidates([500]), [499, 500, 501]);
    assert.deepEqual(thresholdCandidates([400, 500]), [399, 400, 401, 499, 500, 501]);
    assert.deepEqual(thresholdCandidates([0.4]), [0.3, 0.4, 0.5]);
  });

  it('candidates: a midpoint where no step separates two thresholds, nothing below zero', () => {
    assert.deepEqual(thresholdCandidates([500, 501]), [499, 500, 500.5, 501, 502]);
    assert.deepEqual(thresholdCandidates([0]), [0, 1]);
    assert.deepEqual(thresholdCandidates([-2]), [-3, -2, -1]);
  });

  it('merges values no condition tells apart; the default stands for its class', () => {
    const protocol = protocolOf(pdText());
    const space = buildSpace(protocol, labelSpec(protocol));
    const values = Object.fromEntries(space.partitions.map((partition) => [partition.fact.name, partition.values]));
    assert.deepEqual(values.ANC, [undefined, 499]);
    assert.deepEqual(values.platelets, [undefined, 24999]);
    assert.deepEqual(values.child_pugh, [undefined, 'A', 'C']);
    assert.deepEqual(values.day, [undefined, 22]);
    assert.deepEqual(values.age, [undefined]);
    // No rule or label line reads previous_dose any more (resumes are course state): not explored.
    assert.equal(values.previous_dose, undefined);
  });

  it('a protocol threshold below the label\'s adds a class', () => {
    const text = pdText({ rules: { neutropenia: 'when ANC < 400 /uL or febrile_neutropenia then hold' } });
    assert.equal(sizes(text).ANC, '3/7');
  });

  it('days: every day until both cycles start together, merged by what both schedules do', () => {
    assert.equal(sizes(pdText()).day, '2/28');
    const optimismm = pdText({ start: '4 mg oral once daily days 1-14 cycle 21 days' });
    // 21 against 28 days: days 1-84, every pair of (protocol dosing or not, label dosing or not)
    assert.equal(sizes(optimismm).day, '4/84');
  });
});
