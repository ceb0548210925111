import assert from 'node:assert/strict';
import { ALIASES, parseUnit } from '../../server/src/units/index.js';
import { unitMessage } from '../../server/src/diagnostics/problems.js';

function ucumOf(written: string): string {
  const result = parseUnit(written);
  assert.ok(result.ok, `expected '${written}' to parse: ${result.ok ? '' : unitMessage(result.problem)}`);
  return result.unit.ucum;
}

describe('units: aliases', () => {
  const cases: [string, string][] = [
    ['mcg', 'ug'],
    ['mcg/kg/min', 'ug/kg/min'],
    ['mcL', 'uL'],
    ['\u00B5L', 'uL'],
    ['\u03BCL', 'uL'],
    ['\u00B5g/kg', 'ug/kg'],
    ['x10^9/L', '10*9/L'],
    ['x10*9/L', '10*9/L'],
    ['10^9/L', '10*9/L'],
    ['\u00D710^9/L', '10*9/L'],
    ['x10^3/uL', '10*3/uL'],
    ['10^-3', '10*-3'],
    ['cells/uL', '/uL'],
    ['cells/\u00B5L', '/uL'],
    ['cells/mcL', '/uL'],
    ['cells/mm3', '/mm3'],
    ['years', 'a'],
    ['year', 'a'],
    ['yr', 'a'],
    ['yrs', 'a'],
    ['months', 'mo'],
    ['weeks', 'wk'],
    ['week', 'wk'],
    ['days', 'd'],
    ['day', 'd'],
    ['mg/day', 'mg/d'],
    ['hours', 'h'],
    ['hour', 'h'],
    ['hrs', 'h'],
    ['minutes', 'min'],
    ['mL/min/1.73m2', 'mL/min/{1.73_m2}'],
  ];
  for (const [written, ucum] of cases) {
    it(`reads ${written} as ${ucum}`, () => assert.equal(ucumOf(written), ucum));
  }

  it('leaves UCUM codes alone', () => {
    for (const code of ['ug', 'uL', '10*9/L', '/uL', 'a', 'd', 'h', 'wk', 'mo', 'min', 'mL/min', 'mg/m2', '[IU]', '{cells}/uL']) {
      assert.equal(ucumOf(code), code);
    }
  });

  it('does not rewrite words inside other symbols, brackets or annotations', () => {
    assert.equal(ucumOf('{days}'), '{days}');
    assert.equal(ucumOf('mg/{day}'), 'mg/{day}');
  });

  it('has a reading for every spelling in the table', () => {
    for (const alias of ALIASES) {
      for (const spelling of alias.spellings) {
        const written = spelling.length === 1 ? `${spelling}g` : spelling;
        assert.ok(parseUnit(written).ok, `alias spelling '${written}' should parse`);
      }
    }
  });
});
