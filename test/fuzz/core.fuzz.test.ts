// Any input gives diagnostics, never an exception, with every range inside the
// document, within a time bound: the parser, the checker, the evaluator and the
// test runner (through analyze), on random, half-typed, mutated and
// pathological files. Seeded, so a failure reproduces.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/checks/analysis.js';
import { readRepo } from '../helpers/repo.js';
import { halfTyped, mutated, pathological, randomText } from './inputs.js';

const label = { path: 'labels/pomalidomide.dose', text: readRepo('labels', 'pomalidomide.dose') };
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

export function survives(text: string, boundMs = 2000): void {
  const start = performance.now();
  const [result] = analyze([{ path: 'fuzz.dose', text }], [label]);
  const elapsed = performance.now() - start;
  assert.ok(elapsed < boundMs, `took ${elapsed.toFixed(0)} ms`);
  for (const item of result.findings) {
    if (item.file !== 'fuzz.dose') continue;
    assert.ok(item.span.start >= 0 && item.span.start <= item.span.end && item.span.end <= text.length, `range ${JSON.stringify(item.span)} outside ${text.length}`);
    assert.ok(item.message.length > 0 && /^POS\d{4}$/.test(item.code));
    for (const fix of item.fixes) for (const edit of fix.edits) assert.ok(edit.span.start >= 0 && edit.span.end <= text.length);
  }
}

describe('fuzz: core', () => {
  it(`random text and bytes (${RUNS} inputs)`, () => {
    fc.assert(fc.property(randomText(), (text) => survives(text)), { seed: SEED, numRuns: RUNS });
  });

  it(`half-typed files (${RUNS} inputs)`, () => {
    fc.assert(fc.property(halfTyped(), (text) => survives(text)), { seed: SEED, numRuns: RUNS });
  });

  it(`token-level mutations of the examples (${RUNS} inputs)`, () => {
    fc.assert(fc.property(mutated(), (text) => survives(text)), { seed: SEED, numRuns: RUNS });
  });

  for (const { name, text } of pathological()) {
    it(name, () => survives(text, 5000));
  }
});
