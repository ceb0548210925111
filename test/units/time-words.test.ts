// units/format.ts timeInWords: UCUM time codes in messages as words.
import assert from 'node:assert/strict';
import { timeInWords } from '../../server/src/units/index.js';

describe('units: time in words (format.ts)', () => {
  it('writes years, months, weeks, days, hours and minutes as words, singular for 1', () => {
    assert.equal(timeInWords('when age > 75 a'), 'when age > 75 years');
    assert.equal(timeInWords('age = 1 a, cycle 28 d, 2 wk, 6 mo, 1.5 h, 30 min'), 'age = 1 year, cycle 28 days, 2 weeks, 6 months, 1.5 hours, 30 minutes');
  });

  it('leaves other units, names and code-like text alone', () => {
    for (const text of ['ANC < 500 /uL', '0.4 10*9/L', '4 mg', '50 mL/min', '2 a/L', "'a' cannot be converted", 'day 22', '3 d2']) {
      assert.equal(timeInWords(text), text);
    }
  });
});
