// server/src/checks/combinations.ts: POS3008 a required combination
// missing, POS3012 a combination dose above every dose the label allows.
import assert from 'node:assert/strict';
import { LABEL_PATH, assertFixRemoves, check, expectFindings, ks, mm } from '../helpers/dose.js';

describe('checks: combinations (combinations.ts)', () => {
  describe('POS3008 required combination missing', () => {
    it('reports it on the indication, quotes both label requirements and adds `with dexamethasone`', () => {
      const { text, found } = expectFindings(
        mm(
          `
          indication multiple_myeloma
          //         ^^^^^^^^^^^^^^^^ POS3008 warning The label requires dexamethasone with this drug for multiple_myeloma
        `,
          { omit: ['with dexamethasone'] },
        ),
      );
      const [finding] = found.map((item) => item.finding);
      assert.deepEqual(
        finding.related.map((related) => [related.file, related.message.includes('requires dexamethasone')]),
        [[LABEL_PATH, true], [LABEL_PATH, true]],
      );
      assert.ok(finding.related[0].message.includes('40 mg'));
      assert.ok(finding.related[1].message.includes('20 mg'));
      const fixed = assertFixRemoves(text, finding, { wholeCode: true });
      assert.ok(fixed.includes('\n  with dexamethasone 40 mg'), fixed);
      assert.deepEqual(check(fixed), []);
    });

    it('is not satisfied by another drug', () => {
      expectFindings(
        mm(
          `
          indication multiple_myeloma
          //         ^^^^^^^^^^^^^^^^ POS3008 warning
          with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11
        `,
          { omit: ['with dexamethasone'] },
        ),
      );
    });

    it('asks nothing of an indication that requires no combination', () => {
      expectFindings(ks(), { codes: ['POS3008'] });
    });

    it('is lowered to a warning with its reason by `deviation with`', () => {
      const { found } = expectFindings(
        mm(
          `
          indication multiple_myeloma
          //         ^^^^^^^^^^^^^^^^ POS3008 warning (documented deviation: dexamethasone not tolerated)
          deviation with "dexamethasone not tolerated"
        `,
          { omit: ['with dexamethasone'] },
        ),
      );
      assert.equal(found[0].severity, 'warning');
    });
  });

  describe('POS3012 combination dose above the label', () => {
    it('reports the amount and offers the highest label dose', () => {
      const { text, found } = expectFindings(mm(`
        with dexamethasone 60 mg oral days 1, 8, 15, 22
        //                 ^^^^^ POS3012 error dexamethasone 60 mg is above the label's
      `));
      assert.ok(found[0].message.includes('40 mg'), found[0].message);
      const fixed = assertFixRemoves(text, found[0].finding, { wholeCode: true });
      assert.ok(fixed.includes('with dexamethasone 40 mg oral'));
      assert.deepEqual(check(fixed), []);
    });

    it('converts units: 0.06 g is above 40 mg, 0.04 g is not', () => {
      expectFindings(mm(`
        with dexamethasone 0.06 g oral days 1, 8, 15, 22
        //                 ^^^^^^ POS3012 error
      `));
      expectFindings(mm('with dexamethasone 0.04 g oral days 1, 8, 15, 22'), { codes: ['POS3012'] });
    });

    it('accepts either label dose, or no amount', () => {
      expectFindings(mm('with dexamethasone 20 mg oral days 1, 8, 15, 22'), { codes: ['POS3012'] });
      expectFindings(mm('with dexamethasone oral days 1, 8, 15, 22'), { codes: ['POS3008', 'POS3012'] });
    });

    it('is not lowered by `deviation with`: it documents other days, not more drug', () => {
      expectFindings(mm(`
        with dexamethasone 60 mg oral days 1, 8, 15, 22
        //                 ^^^^^ POS3012 error dexamethasone 60 mg is above the label's
        deviation with "high-dose dexamethasone per committee"
      `));
    });
  });
});
