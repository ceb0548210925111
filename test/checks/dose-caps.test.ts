// server/src/checks/dose-caps.ts: POS3007 an adjusted dose above the
// label's cap, POS3011 a dose rule without the timing the label prescribes.
import assert from 'node:assert/strict';
import { LABEL_PATH, assertFixRemoves, check, checkAgainst, expectFindings, expectFindingsIn, fixture, ks, mm, labelWithLines } from '../helpers/dose.js';

describe('checks: dose caps and timings (dose-caps.ts)', () => {
  describe('POS3007 dose above the label cap', () => {
    it('reports the amount and offers the cap', () => {
      const { text, found } = expectFindings(mm(`
        rule dialysis: when dialysis then dose 4 mg after dialysis
        //                                     ^^^^ POS3007 error This rule gives 4 mg; the label allows at most 3 mg when dialysis
      `));
      const [finding] = found.map((item) => item.finding);
      assert.equal(finding.related[0].file, LABEL_PATH);
      assert.ok(finding.related[0].message.includes('at most 3 mg when dialysis'));
      const fixed = assertFixRemoves(text, finding, { wholeCode: true });
      assert.ok(fixed.includes('then dose 3 mg after dialysis'));
      assert.deepEqual(check(fixed), []);
    });

    it('finds the cap that applies to a combination of conditions', () => {
      const { text, found } = expectFindings(mm(`
        rule both: when dialysis and strong_cyp1a2_inhibitor then dose 3 mg after dialysis
        //                                                             ^^^^ POS3007 error at most 2 mg when strong_cyp1a2_inhibitor
      `));
      assertFixRemoves(text, found[0].finding, { wholeCode: true });
    });

    it('applies a cap on `child_pugh in (A, B)` to a rule on `child_pugh = B`', () => {
      expectFindings(mm(`
        rule hepatic_mild: when child_pugh = B then dose 4 mg
        //                                               ^^^^ POS3007 error at most 3 mg when child_pugh in (A, B)
      `));
    });

    it('compares a relative dose with a relative cap, without a fix', () => {
      const label = labelWithLines('    at most previous - 1 mg when febrile_neutropenia\n      source "test: a relative cap"\n');
      const { text, expected } = fixture(mm(`
        rule febrile: when febrile_neutropenia then dose previous - 0.5 mg
        //                                               ^^^^^^^^^^^^^^^^^ POS3007 error at most 3 mg
      `));
      const found = expectFindingsIn(text, expected, checkAgainst(label, text), { codes: ['POS3007'] });
      assert.deepEqual(found[0].finding.fixes, []);
    });

    it('accepts doses at or below the cap, and checks the cap of the protocol indication', () => {
      expectFindings(mm('rule renal: when renal_impairment then dose 2 mg'), { codes: ['POS3007'] });
      expectFindings(ks('rule renal: when renal_impairment then dose 4 mg'), { codes: ['POS3007'] });
      expectFindings(mm(`
        rule renal: when renal_impairment then dose 4 mg
        //                                          ^^^^ POS3007 error at most 3 mg when renal_impairment
      `));
    });
  });

  describe('POS3011 timing the label prescribes is missing', () => {
    it('reports the dose action and offers the timing', () => {
      const { text, found } = expectFindings(mm(`
        rule dialysis: when dialysis then dose 3 mg
        //                                ^^^^^^^^^ POS3011 warning The label says to give it after dialysis when dialysis
      `));
      const fixed = assertFixRemoves(text, found[0].finding, { wholeCode: true });
      assert.ok(fixed.includes('rule dialysis: when dialysis then dose 3 mg after dialysis\n'), fixed);
      assert.deepEqual(check(fixed), []);
    });

    it('a timing the label does not write is POS2013 (wording.ts), and its fix writes the label\'s', () => {
      const { text, found } = expectFindings(mm(`
        rule dialysis: when dialysis then dose 3 mg after breakfast
        //                                          ^^^^^^^^^^^^^^^ POS2013 error after dialysis
      `));
      const fixed = assertFixRemoves(text, found[0].finding, { wholeCode: true });
      assert.ok(fixed.includes('then dose 3 mg after dialysis\n'), fixed);
    });
  });
});
