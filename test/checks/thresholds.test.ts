// server/src/checks/thresholds.ts: POS3004 a hold/discontinue threshold
// less safe than the label's, POS3005 one stricter than the label's.
import assert from 'node:assert/strict';
import { LABEL_PATH, assertFixRemoves, check, expectFindings, ks, mm } from '../helpers/dose.js';

describe('checks: thresholds (thresholds.ts)', () => {
  describe('POS3004 threshold less safe than the label', () => {
    it('reports the comparison, a value the label stops, and offers the label threshold', () => {
      const { text, found } = expectFindings(mm(`
        rule neutropenia: when ANC < 400 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 mg
        //                     ^^^^^^^^^^^^^ POS3004 error at ANC = 400 /uL the label requires hold
      `));
      const [finding] = found.map((item) => item.finding);
      assert.ok(finding.message.includes('neutropenia'), finding.message);
      assert.equal(finding.related[0].file, LABEL_PATH);
      assert.ok(finding.related[0].message.includes('hold when ANC < 500 /uL or febrile_neutropenia'));
      const fixed = assertFixRemoves(text, finding, { wholeCode: true });
      assert.ok(fixed.includes('rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until'));
      assert.deepEqual(check(fixed), []);
    });

    it('finds a value between the thresholds for an inclusive comparison', () => {
      expectFindings(mm(`
        rule neutropenia: when ANC <= 400 /uL or febrile_neutropenia then hold
        //                     ^^^^^^^^^^^^^^ POS3004 error at ANC = 450 /uL
      `));
    });

    it('compares in the unit of the fact: 0.4 10*9/L is 400 /uL', () => {
      const { text, found } = expectFindings(mm(`
        rule neutropenia: when ANC < 0.4 10*9/L or febrile_neutropenia then hold
        //                     ^^^^^^^^^^^^^^^^ POS3004 error at ANC = 400 /uL
      `));
      assertFixRemoves(text, found[0].finding, { wholeCode: true });
    });

    it('accepts the same threshold written in another unit', () => {
      expectFindings(mm('rule neutropenia: when ANC < 0.5 10*9/L or febrile_neutropenia then hold'), { codes: ['POS3004', 'POS3005'] });
      expectFindings(mm('rule thrombocytopenia: when platelets < 25 10*3/uL then hold'), { codes: ['POS3004', 'POS3005'] });
    });

    it('checks a threshold in its own rule, apart from the other arm of the label condition', () => {
      expectFindings(
        mm(`
          rule neutropenia: when ANC < 499 /uL then hold
          //                     ^^^^^^^^^^^^^ POS3004 error at ANC = 499 /uL
          rule fever: when febrile_neutropenia then hold
        `),
        { codes: ['POS3004', 'POS3005', 'POS3006'] },
      );
    });

    it('reports a discontinue rule whose threshold is below a label hold', () => {
      expectFindings(mm(`
        rule thrombocytopenia: when platelets < 20000 /uL then discontinue
        //                          ^^^^^^^^^^^^^^^^^^^^^ POS3004 error at platelets = 20000 /uL
      `));
    });

    it('checks against the thresholds of the protocol indication', () => {
      const { text, found } = expectFindings(ks(`
        rule neutropenia: when ANC < 500 /uL then hold
        //                     ^^^^^^^^^^^^^ POS3004 error at ANC = 500 /uL
      `));
      const fixed = assertFixRemoves(text, found[0].finding, { wholeCode: true });
      assert.ok(fixed.includes('when ANC < 1000 /uL then hold'));
    });
  });

  describe('POS3005 threshold stricter than the label', () => {
    it('reports a higher hold threshold as information, with a value only the protocol stops', () => {
      const { found } = expectFindings(mm(`
        rule neutropenia: when ANC < 1000 /uL or febrile_neutropenia then hold
        //                     ^^^^^^^^^^^^^^ POS3005 information stricter than the label's (ANC < 500 /uL): it also stops patients at ANC = 500 /uL
      `));
      assert.equal(found[0].finding.related[0].file, LABEL_PATH);
    });

    it('reports an inclusive comparison at the label threshold', () => {
      expectFindings(mm(`
        rule neutropenia: when ANC <= 500 /uL or febrile_neutropenia then hold
        //                     ^^^^^^^^^^^^^^ POS3005 information at ANC = 500 /uL
      `));
    });

    it('reports platelets held below 50000 /uL', () => {
      expectFindings(mm(`
        rule thrombocytopenia: when platelets < 50000 /uL then hold
        //                          ^^^^^^^^^^^^^^^^^^^^^ POS3005 information platelets = 25000 /uL
      `));
    });

    it('says nothing about the label threshold itself', () => {
      expectFindings(mm(), { codes: ['POS3004', 'POS3005'] });
    });
  });
});
