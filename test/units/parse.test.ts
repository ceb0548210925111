import assert from 'node:assert/strict';
import { MAX_UNIT_LENGTH, parseUnit, type Unit } from '../../server/src/units/index.js';
import { unitMessage } from '../../server/src/diagnostics/problems.js';

function unit(written: string): Unit {
  const result = parseUnit(written);
  assert.ok(result.ok, `expected '${written}' to parse: ${result.ok ? '' : unitMessage(result.problem)}`);
  return result.unit;
}

function failure(written: string): { message: string; suggestions: readonly string[] } {
  const result = parseUnit(written);
  assert.ok(!result.ok, `expected '${written}' to be rejected`);
  return { message: unitMessage(result.problem), suggestions: result.suggestions };
}

describe('units: parseUnit', () => {
  it('reads plain UCUM codes with their names and dimensions', () => {
    assert.deepEqual(unit('/uL'), { written: '/uL', ucum: '/uL', name: 'per microliter', dimension: '-3,0,0,0,0,0,0' });
    assert.deepEqual(unit('10*9/L'), { written: '10*9/L', ucum: '10*9/L', name: 'billion per liter', dimension: '-3,0,0,0,0,0,0' });
    assert.equal(unit('mg').name, 'milligram');
    assert.equal(unit('mg/m2').name, 'milligram per square meter');
    assert.equal(unit('a').name, 'year');
    assert.equal(unit('mL/min').ucum, 'mL/min');
  });

  it('keeps what the author wrote next to the UCUM code', () => {
    const u = unit('x10^9/L');
    assert.equal(u.written, 'x10^9/L');
    assert.equal(u.ucum, '10*9/L');
    assert.equal(u.name, 'billion per liter');
  });

  it('gives convertible units the same dimension key and others different ones', () => {
    assert.equal(unit('/uL').dimension, unit('10*9/L').dimension);
    assert.equal(unit('mg').dimension, unit('ug').dimension);
    assert.notEqual(unit('mg').dimension, unit('/uL').dimension);
  });

  it('keeps moles apart from counts: mmol/L does not convert to /L without a molecular weight', () => {
    assert.notEqual(unit('mmol/L').dimension, unit('/L').dimension);
    assert.equal(unit('mmol/L').dimension, unit('umol/mL').dimension);
  });

  it('gives each arbitrary unit ([IU]) a dimension of its own', () => {
    assert.equal(unit('[IU]').dimension, 'arbitrary [IU]');
    assert.notEqual(unit('[IU]/kg').dimension, unit('[IU]/g').dimension);
  });

  it('prints names without the HTML UCUM puts in them', () => {
    assert.equal(unit('mm3').name, 'millimeter^3');
  });

  it('rejects an unknown unit with a pharmacist-readable message', () => {
    assert.equal(failure('foo').message, "'foo' is not a unit UCUM knows");
  });

  it('names the part of a compound unit that is wrong', () => {
    assert.equal(failure('mg/kilo').message, "'mg/kilo' is not a unit UCUM knows ('kilo' is not recognized)");
  });

  it('suggests alias spellings close to a typo, put back in place', () => {
    assert.deepEqual(failure('dayz').suggestions, ['days', 'day']);
    assert.deepEqual(failure('yaers').suggestions, ['years']);
    assert.deepEqual(failure('mg/dya').suggestions, ['mg/day']);
    assert.ok(failure('Days').suggestions.includes('days'));
  });

  it("passes on UCUM's suggestions, but only valid ones", () => {
    const { suggestions } = failure('cell/uL');
    assert.equal(suggestions[0], 'cells/uL');
    assert.ok(suggestions.length > 1);
    for (const s of suggestions) assert.ok(parseUnit(s).ok, `suggestion '${s}' should parse`);
  });

  it('offers the code UCUM would substitute for a unit name it does not accept', () => {
    assert.deepEqual(failure('Gauss').suggestions, ['G']);
  });

  it('explains missing units, spaces, stray characters and overlong text', () => {
    assert.equal(failure('').message, 'No unit is written here (for example mg, /uL or 10*9/L)');
    assert.equal(failure('  ').message, 'No unit is written here (for example mg, /uL or 10*9/L)');
    assert.equal(failure('mg/ kg').message, "'mg/ kg' is not a unit UCUM knows (units are written without spaces)");
    assert.equal(failure('mg\u00E9').message, "'mg\u00E9' is not a unit UCUM knows ('\u00E9' cannot appear in a UCUM unit)");
    const long = failure('m'.repeat(MAX_UNIT_LENGTH + 1)).message;
    assert.equal(long, `'${'m'.repeat(40)}…' is not a unit UCUM knows (it is longer than ${MAX_UNIT_LENGTH} characters)`);
  });

  it('shows broken text safely in the message', () => {
    assert.equal(failure('\uD800').message, "'\uFFFD' is not a unit UCUM knows ('\uFFFD' cannot appear in a UCUM unit)");
    assert.equal(failure('a\u0000b').message, "'a\uFFFDb' is not a unit UCUM knows ('\uFFFD' cannot appear in a UCUM unit)");
  });

  it('survives inputs that break the UCUM parser, without logging', () => {
    const log = console.log;
    let logged = 0;
    console.log = () => void logged++;
    try {
      for (const text of ['()', 'mg()', '((((', 'mg{', '{', '10*', '/', '.', '^', '[', ']', '}', '10*400/L']) parseUnit(text);
    } finally {
      console.log = log;
    }
    assert.equal(logged, 0);
    assert.ok(!parseUnit('()').ok);
  });

  it('never throws, whatever it is given', () => {
    const odd: unknown[] = [undefined, null, 42, {}, 'x'.repeat(10_000), '\uDFFF\uD800', '\u0000'];
    for (const value of odd) assert.equal(parseUnit(value as string).ok, false);
  });

  it('caches: the same string gives the same frozen answer', () => {
    const first = parseUnit('mcg/kg');
    assert.equal(parseUnit('mcg/kg'), first);
    assert.ok(Object.isFrozen(first));
    assert.ok(first.ok && Object.isFrozen(first.unit));
    const rejected = parseUnit('dayz');
    assert.ok(!rejected.ok && Object.isFrozen(rejected.suggestions));
  });

  it('is fast once cached', () => {
    parseUnit('x10^9/L');
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) parseUnit('x10^9/L');
    assert.ok(performance.now() - start < 500);
  });
});
