import assert from 'node:assert/strict';
import fc from 'fast-check';
import { convert, parseUnit, roundSignificant, sameDimension, type Unit } from '../../server/src/units/index.js';
import { unitMessage } from '../../server/src/diagnostics/problems.js';

const SETTINGS = { seed: 42, numRuns: 500 };

/** Clinical units, grouped by what converts into what. */
const GROUPS: string[][] = [
  ['/uL', '10*9/L', 'x10^9/L', 'cells/uL', 'cells/mm3', '10*3/uL', '/L', '/mL', 'mcL-1'],
  ['mg', 'ug', 'mcg', 'g', 'kg', 'ng', '[lb_av]'],
  ['mg/kg', 'ug/kg', 'mcg/kg', 'g/kg'],
  ['mg/m2', 'ug/m2', 'g/m2'],
  ['mL/min', 'L/h', 'mL/h', 'L/d', 'mL/s', 'mL/min/1.73m2'],
  ['a', 'mo', 'wk', 'd', 'h', 'min', 's', 'years', 'days', 'hours'],
  ['mg/dL', 'g/L', 'mg/L', 'g/dL', 'ug/mL'],
  ['mmol/L', 'umol/L', 'mol/m3', 'nmol/mL'],
  ['Cel', '[degF]', 'K'],
  ['%', '1', '[ppth]', '[ppm]'],
];

function unit(written: string): Unit {
  const result = parseUnit(written);
  if (!result.ok) throw new Error(`'${written}' should parse: ${unitMessage(result.problem)}`);
  return result.unit;
}

const anyUnit = fc.constantFrom(...GROUPS.flat());
const samePair = fc.constantFrom(...GROUPS).chain((group) => fc.tuple(fc.constantFrom(...group), fc.constantFrom(...group)));
const clinicalValue = fc.double({ min: 1e-6, max: 1e9, noNaN: true });

const ucumCharacters = fc.constantFrom(...'0123456789*^/.()[]{}_-+%mgLuadhkKsCel\'"x µμ×'.split(''));
const codeUnits = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: codeUnits, maxLength: 40 }),
  fc.string({ unit: ucumCharacters, maxLength: 20 }),
  fc.string({ unit: ucumCharacters, minLength: 90, maxLength: 200 }),
);

describe('units: properties', () => {
  it('parseUnit never throws and answers ok or a message with suggestions', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseUnit(text);
        if (result.ok) return typeof result.unit.ucum === 'string' && result.unit.dimension !== '';
        return unitMessage(result.problem).length > 0 && Array.isArray(result.suggestions);
      }),
      SETTINGS,
    );
  });

  it('convert a -> b -> a comes back within the 12-digit rounding', () => {
    fc.assert(
      fc.property(samePair, clinicalValue, ([a, b], value) => {
        const there = convert(value, unit(a), unit(b));
        assert.notEqual(there, undefined, `${a} -> ${b}`);
        const back = convert(there as number, unit(b), unit(a));
        assert.notEqual(back, undefined, `${b} -> ${a}`);
        // Temperatures are affine (K -> Cel adds 273.15), so the rounding of the
        // intermediate value counts at its own size, scaled back by the slope.
        const slope = Math.abs((convert(1, unit(b), unit(a)) as number) - (convert(0, unit(b), unit(a)) as number));
        const tolerance = 1e-11 * Math.max(Math.abs(value), Math.abs(there as number) * slope);
        assert.ok(Math.abs((back as number) - value) <= tolerance, `${value} ${a} -> ${there} ${b} -> ${back} ${a}`);
      }),
      SETTINGS,
    );
  });

  it('convert is defined exactly when the dimensions match', () => {
    fc.assert(
      fc.property(anyUnit, anyUnit, (a, b) => {
        const converted = convert(1, unit(a), unit(b));
        assert.equal(converted !== undefined, sameDimension(unit(a), unit(b)), `${a} vs ${b}`);
      }),
      SETTINGS,
    );
  });

  it('roundSignificant is idempotent and within half a unit in the 12th digit', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const rounded = roundSignificant(x);
        assert.equal(roundSignificant(rounded), rounded);
        assert.ok(Math.abs(rounded - x) <= 5e-12 * Math.abs(x) * (1 + 1e-15));
      }),
      SETTINGS,
    );
  });
});
