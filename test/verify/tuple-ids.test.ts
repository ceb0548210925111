// TupleIds (server/src/verify/tuple-ids.ts) gives two tuples one id exactly when
// their strings, as the course search built them before, were the same: same
// length, each number equal (0 and -0 alike, NaN with NaN), whatever collides in
// its hash. PairMap (the label days' table) answers as a Map keyed by both numbers.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PairMap, TupleIds } from '../../server/src/verify/tuple-ids.js';

const keyOf = (tuple: readonly number[], length: number) => tuple.slice(0, length).map((n) => String(n)).join(',') + `#${length}`;

describe('verify: TupleIds interns tuples of numbers', () => {
  it('one id per distinct tuple, the same id for an equal one (fast-check, with -0, NaN, Infinity and fractions)', () => {
    const number = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 0.5, 2 ** 40, 1e-9), fc.double());
    fc.assert(
      fc.property(fc.array(fc.array(number, { maxLength: 6 }), { maxLength: 60 }), (tuples) => {
        const ids = new TupleIds();
        const byKey = new Map<string, number>();
        for (const tuple of [...tuples, ...tuples.slice().reverse()]) {
          const length = tuple.length;
          const id = ids.of(tuple, length);
          const key = keyOf(tuple, length);
          const known = byKey.get(key);
          if (known === undefined) {
            assert.equal(id, byKey.size, 'a new tuple gets the next id');
            byKey.set(key, id);
          } else assert.equal(id, known);
        }
        assert.equal(ids.size, byKey.size);
      }),
      { numRuns: 300 },
    );
  });

  it('reads only the first `length` numbers, and a prefix is another tuple', () => {
    const ids = new TupleIds();
    const a = ids.of([1, 2, 3], 2);
    assert.equal(ids.of([1, 2, 99], 2), a);
    assert.notEqual(ids.of([1, 2, 3], 3), a);
    assert.notEqual(ids.of([1], 1), a);
  });

  it('keeps 100,000 tuples apart (some share a hash) when they outgrow its first buffer', () => {
    const ids = new TupleIds();
    for (let i = 0; i < 100_000; i++) assert.equal(ids.of([i, i / 3, -i], 3), i);
    for (let i = 0; i < 100_000; i++) assert.equal(ids.of([i, i / 3, -i], 3), i);
  });
});

describe('verify: PairMap maps pairs of integers as a Map would', () => {
  it('the same answers as a Map over random sets and overwrites, past several growths (fast-check)', () => {
    const small = fc.integer({ min: 0, max: 40 });
    const large = fc.integer({ min: 0, max: 0x7ffffffe });
    const pair = fc.tuple(fc.oneof(small, large), fc.oneof(small, large), fc.integer({ min: 0, max: 0x7ffffffe }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 3000 }), (entries) => {
        const map = new PairMap();
        const expected = new Map<string, number>();
        for (const [a, b, value] of entries) {
          map.set(a, b, value);
          expected.set(`${a},${b}`, value);
        }
        assert.equal(map.size, expected.size);
        for (const [a, b] of entries) assert.equal(map.get(a, b), expected.get(`${a},${b}`));
        // (a, b) and (b, a) are different keys; an absent pair is -1.
        for (const [a, b] of entries) assert.equal(map.get(b, a), expected.get(`${b},${a}`) ?? -1);
        assert.equal(map.get(0x7ffffffe, 0x7ffffffe), expected.get(`${0x7ffffffe},${0x7ffffffe}`) ?? -1);
      }),
      { numRuns: 40 },
    );
  });
});
