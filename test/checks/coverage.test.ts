// server/src/checks/coverage.ts: POS3006 a label constraint that no
// rule covers, with a quick fix that adds the rule written from the label line.
import assert from 'node:assert/strict';
import { LABEL_PATH, applyFix, assertFixRemoves, check, checkAgainst, expectFindings, expectFindingsIn, fixture, labelWithLines, mm, protocolText } from '../helpers/dose.js';

describe('checks: coverage (coverage.ts)', () => {
  it('reports an uncovered discontinue on the indication and adds the rule from the label', () => {
    const { text, found } = expectFindings(
      mm(
        `
        indication multiple_myeloma
        //         ^^^^^^^^^^^^^^^^ POS3006 error No rule covers the label's "discontinue when sjs_ten" for multiple_myeloma
      `,
        { omit: ['skin'] },
      ),
    );
    const [finding] = found.map((item) => item.finding);
    assert.equal(finding.related[0].file, LABEL_PATH);
    assert.ok(finding.related[0].message.includes('Severe Skin Reactions'), finding.related[0].message);
    const fixed = assertFixRemoves(text, finding, { wholeCode: true, forbid: ['POS2009'] });
    assert.ok(fixed.includes('\n  rule sjs_ten: when sjs_ten then discontinue'), fixed);
    assert.deepEqual(check(fixed), []);
  });

  it('reports a partly covered condition: febrile neutropenia without a rule', () => {
    const { text, found } = expectFindings(
      mm(`
        indication multiple_myeloma
        //         ^^^^^^^^^^^^^^^^ POS3006 error "hold when ANC < 500 /uL or febrile_neutropenia"
        rule neutropenia: when ANC < 500 /uL then hold
      `),
    );
    assertFixRemoves(text, found[0].finding);
  });

  it('does not count a dose rule as covering a hold, but counts a discontinue rule', () => {
    expectFindings(
      mm(`
        indication multiple_myeloma
        //         ^^^^^^^^^^^^^^^^ POS3006 error "hold when breastfeeding"
        rule lactation: when breastfeeding then dose 1 mg
      `),
    );
    expectFindings(mm('rule lactation: when breastfeeding then discontinue'), { codes: ['POS3006'] });
  });

  it('counts a hold or a discontinue as covering a cap: no dose keeps under `at most` (precedence)', () => {
    expectFindings(mm('rule cyp1a2: when strong_cyp1a2_inhibitor then hold', { omit: ['cyp1a2'] }), { codes: ['POS3006'] });
    expectFindings(mm('rule cyp1a2: when strong_cyp1a2_inhibitor then discontinue', { omit: ['cyp1a2'] }), { codes: ['POS3006'] });
    expectFindings(
      mm(
        `
        indication multiple_myeloma
        //         ^^^^^^^^^^^^^^^^ POS3006 error "at most 2 mg when strong_cyp1a2_inhibitor"
      `,
        { omit: ['cyp1a2'] },
      ),
      { codes: ['POS3006'] },
    );
  });

  it('counts only dose rules with the timing as covering a `take` line', () => {
    const { text, found } = expectFindings(
      mm(`
        indication multiple_myeloma
        //         ^^^^^^^^^^^^^^^^ POS3033 warning "take after dialysis when dialysis"
        rule dialysis: when dialysis then dose 3 mg
      `),
    );
    const fixed = assertFixRemoves(text, found[0].finding, { forbid: ['POS2009'] });
    assert.ok(fixed.includes('rule dialysis_2: when dialysis then dose 3 mg after dialysis'), fixed);
  });

  it('reports a cap without a dose rule, and the fix writes the cap as the dose', () => {
    const { text, found } = expectFindings(
      mm(
        `
        indication multiple_myeloma
        //         ^^^^^^^^^^^^^^^^ POS3006 error "at most 2 mg when strong_cyp1a2_inhibitor"
      `,
        { omit: ['cyp1a2'] },
      ),
    );
    const fixed = assertFixRemoves(text, found[0].finding, { wholeCode: true });
    assert.ok(fixed.includes('rule strong_cyp1a2_inhibitor: when strong_cyp1a2_inhibitor then dose 2 mg'), fixed);
    assert.deepEqual(check(fixed), []);
  });

  it('reports a relative cap, and the fix writes the relative dose', () => {
    // A fact no rule reads: the neutropenia hold (febrile_neutropenia) would cover the cap.
    const label = labelWithLines('    at most previous - 1 mg when age > 80 a\n      source "test: a relative cap"\n');
    const { text, expected } = fixture(
      mm(`
        indication multiple_myeloma
        //         ^^^^^^^^^^^^^^^^ POS3006 error "at most previous - 1 mg when age > 80 years"
      `),
    );
    const found = expectFindingsIn(text, expected, checkAgainst(label, text));
    const fixed = applyFix(text, found[0].finding).text;
    assert.ok(fixed.includes('then dose previous - 1 mg'), fixed);
    assert.deepEqual(checkAgainst(label, fixed).filter((f) => f.code === 'POS3006'), []);
  });

  it('reports every constraint of a protocol without rules, and applying every fix covers them all', () => {
    let text = protocolText(['drug pomalidomide', 'indication multiple_myeloma', 'start 4 mg oral once daily days 1-21 cycle 28 days', 'with dexamethasone 40 mg oral']);
    const uncovered = check(text).filter((finding) => finding.code === 'POS3006');
    assert.equal(uncovered.length, 11, 'one error per multiple_myeloma hold, discontinue and cap line');
    assert.ok(uncovered.every((finding) => finding.severity === 'error'));
    const timing = check(text).filter((finding) => finding.code === 'POS3033');
    assert.deepEqual(timing.map((finding) => finding.severity), ['warning'], 'one warning for the take line');
    for (let i = 0; i < 12; i++) {
      const next = check(text).find((finding) => finding.code === 'POS3006' || finding.code === 'POS3033');
      if (!next) break;
      text = applyFix(text, next).text;
    }
    const after = check(text);
    assert.deepEqual(after.filter((finding) => ['POS1001', 'POS2009', 'POS3006', 'POS3033'].includes(finding.code)), [], text);
  });
});
