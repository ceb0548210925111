// unitEnd is the unit pattern written out by hand; here it must agree with the
// regular expression it replaced, on the units people write and on any text.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { unitEnd } from '../../server/src/syntax/unit-shape.js';

const pattern =
  /(?:x?10[*^][+-]?\d+|\{[^}\s]*\}|[A-Za-z%\u00B5\u03BC[']|\/(?![/*]))(?:[A-Za-z0-9%\u00B5\u03BC.*^/[\]_']|\{[^}\s]*\})*/y;

function byPattern(text: string, start: number): number {
  pattern.lastIndex = start;
  return pattern.test(text) ? pattern.lastIndex : -1;
}

describe('syntax: unit shape', () => {
  const units = ['/uL', '10*9/L', 'x10^9/L', '10^-3', 'mg/m2', '{cells}/uL', '%', 'µg', 'μL', "[IU]/mL", 'mL/min', "a'", 'days', 'mg/kg'];
  for (const unit of units) {
    it(`reads ${unit} whole`, () => {
      assert.equal(unitEnd(`${unit} then`, 0), unit.length);
    });
  }

  it('reads no unit at a comment, a digit, a sign or a space', () => {
    for (const text of ['// c', '/* c */', '1 mg', '-3', ' mg', '{open', '{has space}']) assert.equal(unitEnd(text, 0), -1, text);
  });

  it('agrees with the regular expression at every offset of any text', () => {
    const piece = fc.constantFrom(...'xX10*^+-9aZ%µμ[]\'{}/._ \t\n,()=<'.split(''), '10*', 'x10^', '{a}', '{a b}', '//', '/*');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }).map((parts) => parts.join('')), (text) => {
        for (let start = 0; start <= text.length; start++) assert.equal(unitEnd(text, start), byPattern(text, start), `${JSON.stringify(text)} at ${start}`);
      }),
      { seed: 20261122, numRuns: 3000 },
    );
  });
});
