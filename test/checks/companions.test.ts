// server/src/checks/companions.ts: every `with` line against the
// label's requires (POS3012, POS3028 the bands, POS3041 a line across two bands), its own label (POS3012, and the
// schedule checks), POS3030 incomparable body-size doses, POS3031 a drug no
// label checks, POS3032 one drug dosed twice a day.
import assert from 'node:assert/strict';
import { BORTEZOMIB_LABEL_PATH, COURSE_LABEL_PATH, checkCourse, course, courseFixRemoves, expectCourse } from '../helpers/course-label.js';

describe('checks: with lines (companions.ts)', () => {
  it('POS3028 an unconditional 40 mg where the label says 20 mg over 75 names the band; the fix splits by band', () => {
    const { text, found } = expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 8, 15, 22
      //                 ^^^^^ POS3028 error dexamethasone 40 mg is also given when age > 75 years, where the label gives 20 mg
    `));
    assert.equal(found[0].finding.related[0].file, COURSE_LABEL_PATH);
    assert.ok(found[0].finding.related[0].message.includes('requires dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 years [source: test: dex]'));
    const fixed = courseFixRemoves(text, found[0].finding);
    assert.ok(fixed.includes('with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a\n  with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a'), fixed);
    assert.deepEqual(checkCourse(fixed), []);
  });

  it('POS3012 a band above the label\'s for that band, or above every band; POS3028 only for the overlap', () => {
    expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 8, 15, 22 when age > 75 a
      //                 ^^^^^ POS3012 error dexamethasone 40 mg is above the label's requires dexamethasone 20 mg
      with dexamethasone 60 mg oral days 1, 8, 15, 22 when age <= 75 a
      //                 ^^^^^ POS3012 error
    `), { codes: ['POS3012', 'POS3028'] });
    expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 80 a
      //                 ^^^^^ POS3028 error also given when age > 75 years
    `), { codes: ['POS3012', 'POS3028'] });
  });

  it('POS3041 one amount for patients of two label bands (the boundary moved to >= 75), even under deviation with; not beside POS3028', () => {
    const { found } = expectCourse(course(`
      deviation with "OPTIMISMM: dexamethasone on the days of and after bortezomib"
      with dexamethasone 20 mg oral days 1, 8, 15, 22 when age < 75 a
      with dexamethasone 10 mg oral days 1, 8, 15, 22 when age >= 75 a
      //                 ^^^^^ POS3041 error dexamethasone 10 mg is given alike to patients the label doses differently: age <= 75 years (40 mg), age > 75 years (20 mg)
    `), { codes: ['POS3041', 'POS3028'] });
    assert.equal(found[0].finding.severity, 'error');
    assert.equal(found[0].finding.related.length, 2);
    // Bands that follow the label's cut-off get none, whatever the amounts under the deviation.
    expectCourse(course(`
      deviation with "OPTIMISMM: dexamethasone on the days of and after bortezomib"
      with dexamethasone 20 mg oral days 1, 8, 15, 22 when age <= 75 a
      with dexamethasone 10 mg oral days 1, 8, 15, 22 when age > 75 a
    `), { codes: ['POS3041'] });
  });

  it('POS3034 a day the requires line gives and the with line leaves out (day 22, a rest day of the drug) names the day; the fix sets the label\'s days', () => {
    const { text, found } = expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 8, 15 when age <= 75 a
      //                            ^^^^^^^^^^^^^ POS3034 error dexamethasone is not given on day 22; the label gives it on days 1, 8, 15, 22
    `), { codes: ['POS3034'] });
    assert.equal(found[0].finding.related[0].file, COURSE_LABEL_PATH);
    assert.ok(found[0].finding.related[0].message.includes('requires dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 years [source: test: dex]'), found[0].finding.related[0].message);
    const fix = found[0].finding.fixes?.[0];
    assert.ok(fix);
    const edit = fix.edits[0];
    const fixed = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
    assert.ok(fixed.includes('with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a'), fixed);
    expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 8, 22 when age <= 75 a
      //                            ^^^^^^^^^^^^^ POS3034 error not given on day 15
    `), { codes: ['POS3034'] });
    expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 8 when age <= 75 a
      //                            ^^^^^^^^^ POS3034 warning not given on days 15, 22; the label gives it on
      deviation with "two doses only"
    `), { codes: ['POS3034'] });
  });

  it('POS3029 days outside the requires line\'s days (a deviation lowers it); POS3016 twice daily against the label\'s once', () => {
    expectCourse(course(`
      with dexamethasone 40 mg oral days 1-28 when age <= 75 a
      //                            ^^^^^^^^^ POS3029 error dexamethasone on days 2-7, 9-14, 16-21, 23-28 is outside the label's days 1, 8, 15, 22
    `), { codes: ['POS3029'] });
    expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 2, 8, 9 when age <= 75 a
      //                            ^^^^^^^^^^^^^^^ POS3029 warning (documented deviation: days of and after bortezomib)
      deviation with "days of and after bortezomib"
    `), { codes: ['POS3029'] });
    expectCourse(course(`
      with dexamethasone 40 mg oral twice daily days 1, 8, 15, 22 when age <= 75 a
      //                            ^^^^^^^^^^^ POS3016 error dexamethasone 40 mg twice daily gives 80 mg a day; the label gives at most 40 mg a day
    `), { codes: ['POS3016'] });
  });

  it('POS3012 against the companion\'s own label: 13 mg/m2 where bortezomib gives 1.3 mg/m2; route and cycle too', () => {
    const { found } = expectCourse(course(`
      with bortezomib 13 mg/m2 sc days 1, 4, 8, 11
      //              ^^^^^^^^ POS3012 error bortezomib 13 mg/m2 is above the label's dose 1.3 mg/m2
    `));
    assert.equal(found[0].finding.related[0].file, BORTEZOMIB_LABEL_PATH);
    expectCourse(course(`
      with bortezomib 1.3 mg/m2 iv days 1, 4, 8, 11
      //                        ^^ POS3015 error The route of bortezomib is iv; the label gives sc
    `), { codes: ['POS3015', 'POS3012'] });
  });

  it('POS3030 a dose per m2 against an absolute label dose is incomparable, never "above"', () => {
    const { found } = expectCourse(course(`
      with bortezomib 2 mg sc days 1, 4, 8, 11
      //              ^^^^ POS3030 warning bortezomib 2 mg is per body size and the label gives 1.3 mg/m2: they cannot be compared
    `), { codes: ['POS3030', 'POS3012'] });
    assert.ok(!found[0].message.includes('above'));
  });

  it('POS3031 a drug no label in reach checks: said once, as information', () => {
    expectCourse(course(`
      with daratumumab 16 mg/kg iv once weekly weeks 1-8
      //   ^^^^^^^^^^^ POS3031 information No label for daratumumab is in reach and the coursedrug label asks nothing of it
      with daratumumab 16 mg/kg iv every 2 weeks weeks 9-24
    `), { codes: 'all' });
    expectCourse(course('with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11'), { codes: ['POS3031'] });
    expectCourse(course(`
      with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11
      //   ^^^^^^^^^^ POS3031 information
    `), { codes: ['POS3031'] }, false);
  });

  it('POS3032 two lines dosing one drug on one day for the same patient; bands, phases and weeks that do not overlap are fine', () => {
    expectCourse(course(`
      with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a
      with dexamethasone 20 mg oral days 8 when age <= 70 a
      //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3032 error This line and the 40 mg line above both dose dexamethasone on cycle 1 day 8 for the same patient (when age <= 75 years and age <= 70 years)
    `.replace('      with dexamethasone 20 mg', '        with dexamethasone 20 mg')), { codes: ['POS3032'] });
    expectCourse(course(`
      with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11 cycles 1-8
      with bortezomib 1.3 mg/m2 sc days 1, 8 from cycle 9
      with daratumumab 16 mg/kg iv once weekly weeks 1-8
      with daratumumab 16 mg/kg iv every 2 weeks weeks 9-24
    `), { codes: ['POS3032'] });
    expectCourse(course(`
      with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11 cycles 1-8
        with bortezomib 1.3 mg/m2 sc days 1, 8 from cycle 8
      //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3032 error on cycle 8 day 1
    `), { codes: ['POS3032'] });
  });
});
