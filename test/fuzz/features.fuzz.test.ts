// Every feature, not just analyze, on any input: the verifier (every protocol
// that resolves, with a small budget), the formatter (whitespace only,
// idempotent) and every LSP feature function (hover, completion, definition,
// symbols, folding, semantic tokens, code actions, code lenses, test results)
// at random offsets, on random, half-typed, mutated and pathological files.
// No exception, every range inside the document, each step within a bound
// (harness.ts). Seeded (FUZZ_SEED), sized by FUZZ_FEATURE_RUNS; `npm run fuzz`
// runs the same checks on a sample of a million inputs.
import fc from 'fast-check';
import { checkFeatures, offsetsFor, DEFAULT_BOUNDS } from './harness.js';
import { halfTyped, labelTrouble, mutated, pathological, randomText, spliced } from './inputs.js';

const RUNS = Number(process.env.FUZZ_FEATURE_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 8 });

function property(text: fc.Arbitrary<string>) {
  return fc.property(text, picks, (source, chosen) => {
    checkFeatures(source, offsetsFor(source.length, chosen));
  });
}

describe('fuzz: every feature', function () {
  this.timeout(30000);

  it(`random text and bytes (${RUNS} inputs)`, () => {
    fc.assert(property(randomText()), { seed: SEED, numRuns: RUNS });
  });

  it(`half-typed files (${RUNS} inputs)`, () => {
    fc.assert(property(halfTyped()), { seed: SEED + 1, numRuns: RUNS });
  });

  it(`token-level mutations of the examples (${RUNS} inputs)`, () => {
    fc.assert(property(mutated()), { seed: SEED + 2, numRuns: RUNS });
  });

  it(`edits in progress anywhere in the examples (${RUNS} inputs)`, () => {
    fc.assert(property(spliced()), { seed: SEED + 3, numRuns: RUNS });
  });

  it(`protocols next to a mutated or half-typed label (${RUNS} inputs)`, () => {
    fc.assert(property(labelTrouble()), { seed: SEED + 4, numRuns: RUNS });
  });

  describe('pathological inputs', () => {
    // Big inputs: the bounds grow with them, but stay bounds.
    const bounds = { ...DEFAULT_BOUNDS, coreMs: 5000, featuresMs: 8000 };
    for (const { name, text } of pathological()) {
      it(name, () => {
        const step = Math.max(1, Math.floor(text.length / 7));
        const offsets = [0, 1, step, 2 * step, 3 * step, Math.floor(text.length / 2), text.length - 1, text.length].filter((offset) => offset >= 0 && offset <= text.length);
        checkFeatures(text, offsets, { bounds });
      });
    }
  });
});
