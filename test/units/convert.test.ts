import assert from 'node:assert/strict';
import { convert, parseUnit, sameDimension, type Unit } from '../../server/src/units/index.js';

function unit(written: string): Unit {
  const result = parseUnit(written);
  assert.ok(result.ok, `expected '${written}' to parse`);
  return result.unit;
}

function inUnit(value: number, from: string, to: string): number | undefined {
  return convert(value, unit(from), unit(to));
}

describe('units: convert', () => {
  it('is exact at cell-count thresholds (UCUM alone gives 400.00000000000006)', () => {
    assert.equal(inUnit(0.5, '10*9/L', '/uL'), 500);
    assert.equal(inUnit(0.4, '10*9/L', '/uL'), 400);
    assert.equal(inUnit(25, '10*9/L', '/uL'), 25000);
    assert.equal(inUnit(1.5, 'x10^9/L', 'cells/uL'), 1500);
    assert.equal(inUnit(500, '/uL', '10*9/L'), 0.5);
    assert.equal(inUnit(100, '10*3/uL', '10*9/L'), 100);
    assert.equal(inUnit(1000, 'cells/mm3', '/uL'), 1000);
  });

  it('converts masses exactly', () => {
    assert.equal(inUnit(4000, 'ug', 'mg'), 4);
    assert.equal(inUnit(4000, 'mcg', 'mg'), 4);
    assert.equal(inUnit(4, 'mg', 'ug'), 4000);
    assert.equal(inUnit(0.1, 'g', 'mg'), 100);
    assert.equal(inUnit(2.5, 'mg/kg', 'ug/kg'), 2500);
  });

  it('converts times: a year is 365.25 days', () => {
    assert.equal(inUnit(1, 'a', 'd'), 365.25);
    assert.equal(inUnit(75, 'years', 'd'), 27393.75);
    assert.equal(inUnit(28, 'days', 'wk'), 4);
    assert.equal(inUnit(1, 'd', 'h'), 24);
  });

  it('converts clearances', () => {
    assert.equal(inUnit(60, 'mL/min', 'L/h'), 3.6);
    assert.equal(inUnit(3.6, 'L/h', 'mL/min'), 60);
    assert.equal(inUnit(1, 'L/d', 'mL/min'), 0.694444444444);
    assert.equal(inUnit(30, 'mL/min', 'mL/s'), 0.5);
  });

  it('treats mL/min/1.73m2 as UCUM does: the 1.73 m2 is an annotation, so it converts 1:1 with mL/min', () => {
    assert.ok(sameDimension(unit('mL/min/1.73m2'), unit('mL/min')));
    assert.equal(inUnit(45, 'mL/min/1.73m2', 'mL/min'), 45);
  });

  it('returns undefined across dimensions', () => {
    assert.equal(inUnit(1, 'mg', '/uL'), undefined);
    assert.equal(inUnit(1, 'mg', 'mg/m2'), undefined);
    assert.equal(inUnit(1, 'd', 'mg'), undefined);
  });

  it('returns undefined for moles against counts or masses (no molecular weight)', () => {
    assert.equal(inUnit(1, 'mmol/L', '/L'), undefined);
    assert.equal(inUnit(1, 'mmol/L', 'mg/dL'), undefined);
    assert.equal(inUnit(1, 'mmol/L', 'umol/L'), 1000);
  });

  it('keeps arbitrary units to themselves', () => {
    assert.equal(inUnit(3, '[IU]', '[IU]'), 3);
    assert.equal(inUnit(3, '[IU]/kg', '[IU]/g'), undefined);
    assert.equal(inUnit(3, '[IU]', 'mg'), undefined);
  });

  it('converts temperatures, which need a function rather than a factor', () => {
    assert.equal(inUnit(37, 'Cel', '[degF]'), 98.6);
    assert.equal(inUnit(98.6, '[degF]', 'Cel'), 37);
    assert.equal(inUnit(0, 'Cel', 'K'), 273.15);
    assert.equal(inUnit(38.5, 'Cel', 'K'), 311.65);
  });

  it('returns undefined where UCUM gives no finite factor', () => {
    assert.equal(inUnit(1, '10*400/L', '/L'), undefined);
  });

  it('rounds even when the units are the same', () => {
    assert.equal(inUnit(0.1 + 0.2, 'mg', 'mg'), 0.3);
  });

  it('answers sameDimension from the dimension key', () => {
    assert.equal(sameDimension(unit('/uL'), unit('10*9/L')), true);
    assert.equal(sameDimension(unit('mg'), unit('/uL')), false);
    assert.equal(sameDimension(unit('mcg'), unit('kg')), true);
    assert.equal(sameDimension(unit('mg/m2'), unit('mg/kg')), false);
  });

  it('is fast: factors are cached per pair', () => {
    const from = unit('10*9/L');
    const to = unit('/uL');
    convert(1, from, to);
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) convert(i / 10, from, to);
    assert.ok(performance.now() - start < 500);
  });
});
