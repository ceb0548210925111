// server/src/checks/start-dose.ts: POS3001 start dose above the label,
// POS3002 cycle length differs, POS3003 dosing days outside the label's.
import assert from 'node:assert/strict';
import { LABEL_PATH, assertFixRemoves, check, expectFindings, ks, mm } from '../helpers/dose.js';

const LABEL_DOSE_LINE = 'dose 4 mg oral once daily days 1-21 cycle 28 days';

describe('checks: start dose, cycle and days (start-dose.ts)', () => {
  it('finds nothing in the clean multiple myeloma and Kaposi sarcoma protocols', () => {
    assert.deepEqual(check(mm()), []);
    assert.deepEqual(check(ks()), []);
  });

  describe('POS3001 start dose above the label dose', () => {
    it('reports the amount, with the label line as related information', () => {
      const { text, found } = expectFindings(mm(`
        start 5 mg oral once daily days 1-21 cycle 28 days
        //    ^^^^ POS3001 error The start dose 5 mg is above the label dose of 4 mg for multiple_myeloma
      `));
      const [finding] = found.map((item) => item.finding);
      assert.equal(finding.related.length, 1);
      assert.equal(finding.related[0].file, LABEL_PATH);
      assert.ok(finding.related[0].message.includes(LABEL_DOSE_LINE), finding.related[0].message);
      assert.ok(finding.related[0].message.includes('[source: Pomalidomide label summary, section "Recommended Dosage for MM"]'), finding.related[0].message);
      const fixed = assertFixRemoves(text, finding, { wholeCode: true });
      assert.ok(fixed.includes('start 4 mg oral'), fixed);
      assert.deepEqual(check(fixed), []);
    });

    it('converts units: 4000 ug is the label dose, 4.5 mg is above it', () => {
      expectFindings(mm('start 4000 ug oral once daily days 1-21 cycle 28 days'), { codes: ['POS3001'] });
      expectFindings(mm(`
        start 4.5 mg oral once daily days 1-21 cycle 28 days
        //    ^^^^^^ POS3001 error 4.5 mg
      `));
    });

    it('accepts a start dose below the label dose', () => {
      expectFindings(mm('start 3 mg oral once daily days 1-21 cycle 28 days'), { codes: ['POS3001'] });
    });

    it('checks against the dose of the protocol indication', () => {
      expectFindings(ks('start 5 mg oral once daily days 1-21 cycle 28 days'), { codes: ['POS3001'] });
      const { text, found } = expectFindings(ks(`
        start 6 mg oral once daily days 1-21 cycle 28 days
        //    ^^^^ POS3001 error label dose of 5 mg for kaposi_sarcoma
      `));
      assertFixRemoves(text, found[0].finding, { wholeCode: true });
    });
  });

  describe('POS3002 cycle length differs from the label', () => {
    it('reports the cycle quantity', () => {
      const { text, found } = expectFindings(mm(`
        start 4 mg oral once daily days 1-21 cycle 21 days
        //                                         ^^^^^^^ POS3002 error The cycle is 21 days; the label gives 28 days for multiple_myeloma
      `));
      assert.ok(found[0].finding.related[0].message.includes(LABEL_DOSE_LINE));
      const fixed = assertFixRemoves(text, found[0].finding, { wholeCode: true });
      assert.deepEqual(check(fixed), []);
    });

    it('converts units: 4 weeks is 28 days', () => {
      expectFindings(mm('start 4 mg oral once daily days 1-21 cycle 4 wk'), { codes: ['POS3002'] });
    });

    it('says nothing when the protocol gives no cycle', () => {
      expectFindings(mm('start 4 mg oral once daily days 1-21'), { codes: ['POS3002'] });
    });
  });

  describe('POS3003 dosing days outside the label days', () => {
    it('reports the days written and names the days outside', () => {
      const { text, found } = expectFindings(mm(`
        start 4 mg oral once daily days 1-28 cycle 28 days
        //                         ^^^^^^^^^ POS3003 error Dosing on days 22-28 is outside the label's days 1-21 for multiple_myeloma
      `));
      const fixed = assertFixRemoves(text, found[0].finding, { wholeCode: true });
      assert.ok(fixed.includes('once daily days 1-21 cycle'), fixed);
      assert.deepEqual(check(fixed), []);
    });

    it('names each day or range outside, across several ranges', () => {
      expectFindings(mm(`
        start 4 mg oral once daily days 1-14, 20-25, 27 cycle 28 days
        //                         ^^^^^^^^^^^^^^^^^^^^ POS3003 error days 22-25, 27
      `));
      expectFindings(mm(`
        start 4 mg oral once daily day 22 cycle 28 days
        //                         ^^^^^^ POS3003 error Dosing on day 22 is outside
      `));
    });

    it('accepts fewer days than the label', () => {
      expectFindings(mm('start 4 mg oral once daily days 1-14 cycle 28 days'), { codes: ['POS3003'] });
      expectFindings(mm('start 4 mg oral days 1, 8, 15 cycle 28 days'), { codes: ['POS3003'] });
    });
  });

  it('reports three mistakes on one start line spread over three lines, each at its own range', () => {
    const { text, found } = expectFindings(
      mm(`
        start 5 mg
        //    ^^^^ POS3001 error
          oral once daily days 1-28
        //                ^^^^^^^^^ POS3003 error
          cycle 21 days
        //      ^^^^^^^ POS3002 error
      `),
      { codes: ['POS3001', 'POS3002', 'POS3003'] },
    );
    let fixed = text;
    for (const code of ['POS3001', 'POS3002', 'POS3003']) {
      const finding = check(fixed).find((item) => item.code === code);
      assert.ok(finding, `${code} in\n${fixed}`);
      fixed = assertFixRemoves(fixed, finding, { wholeCode: true });
    }
    assert.equal(found.length, 3);
    assert.deepEqual(check(fixed), []);
  });
});
