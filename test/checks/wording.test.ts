// "Did you mean" for what a pharmacist writes out of habit: units (resolve/quantity.ts),
// timings, companion drugs and routes (checks/wording.ts), keywords (shorthand.ts).
import assert from 'node:assert/strict';
import { applyFix, check, expectFindings, mm } from '../helpers/dose.js';

describe('did you mean (wording.ts, shorthand.ts, resolve/quantity.ts)', () => {
  describe('units', () => {
    it('/L where the label measures /uL: an error with the label unit, and a fix', () => {
      const { text, found } = expectFindings(
        mm(`
          rule neutropenia: when ANC < 500 /L or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 mg
          //                           ^^^^^^ POS2016 error 500 /L is 0.0005 /uL, far from any plausible ANC (normal 4000 /uL); did you mean 500 /uL?
        `),
        { codes: ['POS2016'] },
      );
      const fixed = applyFix(text, found[0].finding).text;
      assert.ok(fixed.includes('when ANC < 500 /uL or febrile_neutropenia then hold until'), fixed);
      assert.deepEqual(check(fixed).map((item) => item.code), []);
    });

    it('no false alarm for a plausible value in another unit (0.5 10*9/L, 500000 /mL, 0 /uL)', () => {
      for (const value of ['0.5 10*9/L', '500000 /mL', '0.5 x10^9/L']) {
        const findings = check(mm(`rule neutropenia: when ANC < ${value} or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 mg`));
        assert.deepEqual(findings.map((item) => item.code), [], value);
      }
      assert.ok(!check(mm('test "zero" { given ANC = 0 /L expect hold }')).some((item) => item.code === 'POS2016'));
    });

    it('K/uL, which UCUM reads as kelvin: suggests 10*3/uL', () => {
      expectFindings(
        mm(`
          rule thrombocytopenia: when platelets < 25 K/uL then hold
          //                                         ^^^^ POS2006 error UCUM reads 'K/uL' as degree Kelvin/microliter; did you mean '10*3/uL' (thousand per microliter)?
        `),
        { codes: ['POS2006'] },
      );
    });

    it('thou/uL, which UCUM does not know: suggests 10*3/uL first', () => {
      expectFindings(
        mm(`
          rule thrombocytopenia: when platelets < 25 thou/uL then hold
          //                                         ^^^^^^^ POS2005 error did you mean 10*3/uL
        `),
        { codes: ['POS2005'] },
      );
    });
  });

  describe('timings', () => {
    it('after hemodialysis -> after dialysis, as an error with a fix (and no "has no timing")', () => {
      const { text, found, all } = expectFindings(
        mm(`
          rule dialysis: when dialysis then dose 3 mg after hemodialysis
          //                                          ^^^^^^^^^^^^^^^^^^ POS2013 error The label gives no timing 'after hemodialysis'; did you mean 'after dialysis'?
        `),
        { codes: ['POS2013'] },
      );
      assert.ok(!all.some((item) => item.code === 'POS3011'), 'the timing is there, only misspelt');
      assert.match(found[0].finding.related[0].message, /take after dialysis when dialysis/);
      const fixed = applyFix(text, found[0].finding).text;
      assert.deepEqual(check(fixed).map((item) => item.code), []);
    });

    it('a timing far from any the label writes lists the label\'s', () => {
      expectFindings(
        mm(`
          rule dialysis: when dialysis then dose 3 mg after breakfast
          //                                          ^^^^^^^^^^^^^^^ POS2013 error (it writes 'after dialysis')
        `),
        { codes: ['POS2013'] },
      );
    });
  });

  describe('companion drugs', () => {
    it('with dexamethason -> dexamethasone, from the label\'s requires', () => {
      const { text, found } = expectFindings(
        mm(`
          with dexamethason 40 mg oral days 1, 8, 15, 22
          //   ^^^^^^^^^^^^ POS2014 error 'dexamethason' is not a drug the label requires with this one; did you mean 'dexamethasone'?
        `, { omit: ['with dexamethasone'] }),
        { codes: ['POS2014'] },
      );
      const fixed = applyFix(text, found[0].finding).text;
      // Spelled right, the unconditional 40 mg line is now judged against the label's age bands.
      assert.deepEqual(check(fixed).map((item) => item.code), ['POS3028']);
    });

    it('a companion drug the label does not name and is not close to one is not questioned', () => {
      // Only said once, as information, that no label checks it (POS3031); no "did you mean".
      assert.deepEqual(check(mm('with bortezomib 1.3 mg/m2')).map((item) => item.code), ['POS3031']);
    });
  });

  describe('keywords', () => {
    it('po daily -> oral once daily, on the syntax error, with a fix', () => {
      const { text, found } = expectFindings(
        mm(`
          start 4 mg po daily days 1-21 cycle 28 days
          //            ^^^^^ POS1001 error did you mean 'oral once daily' for 'po daily'?
        `),
        { codes: ['POS1001'] },
      );
      const fixed = applyFix(text, found[0].finding).text;
      assert.ok(fixed.includes('start 4 mg oral once daily days 1-21'), fixed);
      assert.deepEqual(check(fixed).map((item) => item.code), []);
    });

    it('po alone parses as a route: a warning that the label writes oral', () => {
      const { text, found } = expectFindings(
        mm(`
          start 4 mg po once daily days 1-21 cycle 28 days
          //         ^^ POS2015 warning 'po' is order-set shorthand; Posology and the label write 'oral'
        `),
      );
      assert.deepEqual(check(applyFix(text, found[0].finding).text).map((item) => item.code), []);
    });

    it('no hint for shorthand inside a comment or a quoted text', () => {
      const findings = check(mm('note "given po daily"  // po daily'));
      assert.deepEqual(findings.map((item) => item.code), []);
    });
  });
});

describe('combination doses in another kind of unit (combinations.ts)', () => {
  it('dexamethasone 20 mg/m2 against the label\'s mg is not "above": it cannot be compared', () => {
    expectFindings(
      mm(`
        with dexamethasone 20 mg/m2 oral days 1, 8, 15, 22
        //                 ^^^^^^^^ POS3030 warning dexamethasone 20 mg/m2 is per body size and the label gives 40 mg: they cannot be compared, so this dose is not checked against it
      `),
      { codes: ['POS3030', 'POS2006', 'POS3012'] },
    );
  });
});
