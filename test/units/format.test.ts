import assert from 'node:assert/strict';
import { formatQuantity, parseUnit, roundSignificant, SIGNIFICANT_DIGITS, type Unit } from '../../server/src/units/index.js';

function unit(written: string): Unit {
  const result = parseUnit(written);
  assert.ok(result.ok);
  return result.unit;
}

describe('units: roundSignificant', () => {
  it('rounds to 12 significant digits', () => {
    assert.equal(SIGNIFICANT_DIGITS, 12);
    assert.equal(roundSignificant(400.00000000000006), 400);
    assert.equal(roundSignificant(0.0009999999999999998), 0.001);
    assert.equal(roundSignificant(0.1 + 0.2), 0.3);
    assert.equal(roundSignificant(123456789012345), 123456789012000);
    assert.equal(roundSignificant(1.23456789012345e-7), 1.23456789012e-7);
    assert.equal(roundSignificant(-2.0000000000000004), -2);
  });

  it('passes 0, NaN and infinities through, and turns -0 into 0', () => {
    assert.ok(Object.is(roundSignificant(-0), 0));
    assert.equal(roundSignificant(0), 0);
    assert.ok(Number.isNaN(roundSignificant(Number.NaN)));
    assert.equal(roundSignificant(Infinity), Infinity);
    assert.equal(roundSignificant(-Infinity), -Infinity);
  });

  it('keeps the values authors write', () => {
    for (const value of [0.4, 0.5, 1.73, 365.25, 1500, 2.5e-6, 99999.999]) assert.equal(roundSignificant(value), value);
  });
});

describe('units: formatQuantity', () => {
  it('prints the rounded number and the unit without float noise', () => {
    assert.equal(formatQuantity(400.00000000000006, unit('/uL')), '400 /uL');
    assert.equal(formatQuantity(0.4, unit('10*9/L')), '0.4 10*9/L');
    assert.equal(formatQuantity(0.1 + 0.2, 'mg'), '0.3 mg');
  });

  it('prints a unit as its author wrote it', () => {
    assert.equal(formatQuantity(0.4, unit('x10^9/L')), '0.4 x10^9/L');
    assert.equal(formatQuantity(28, unit('days')), '28 days');
  });

  it('prints a string unit as given', () => {
    assert.equal(formatQuantity(75, 'a'), '75 a');
    assert.equal(formatQuantity(-0, 'mg'), '0 mg');
  });
});
