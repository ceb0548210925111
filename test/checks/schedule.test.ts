// server/src/checks/schedule.ts: POS3015 route, POS3016 amount a day,
// POS3017 days against the line's own cycle, POS3018 no rest days, POS3019 no cycle.
import assert from 'node:assert/strict';
import { COURSE_LABEL_PATH, checkCourse, course, courseFixRemoves, expectCourse } from '../helpers/course-label.js';

describe('checks: schedules (schedule.ts)', () => {
  it('POS3015 a route that differs from the label, with the label line and a fix', () => {
    const { text, found } = expectCourse(course(`
      start 4 mg iv once daily days 1-21 cycle 28 days
      //         ^^ POS3015 error The route of coursedrug is iv; the label gives oral for mm
    `));
    const [related] = found[0].finding.related;
    assert.equal(related.file, COURSE_LABEL_PATH);
    assert.ok(related.message.includes('dose 4 mg oral once daily days 1-21 cycle 28 days [source: test: dose]'), related.message);
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
  });

  it('POS3015 is lowered to a warning by deviation start (not a with line\'s), and checks with lines against requires', () => {
    expectCourse(course(`
      start 4 mg iv once daily days 1-21 cycle 28 days
      //         ^^ POS3015 warning (documented deviation: per committee)
      deviation start "per committee"
      with dexamethasone 40 mg iv days 1, 8, 15, 22 when age <= 75 a
      //                       ^^ POS3015 error The route of dexamethasone is iv; the label gives oral
    `));
  });

  it('POS3016 twice daily doubles the amount a day; the fix gives the label frequency', () => {
    const { text, found } = expectCourse(course(`
      start 4 mg oral twice daily days 1-21 cycle 28 days
      //              ^^^^^^^^^^^ POS3016 error coursedrug 4 mg twice daily gives 8 mg a day; the label gives at most 4 mg a day for mm
    `));
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
    expectCourse(course('start 2 mg oral twice daily days 1-21 cycle 28 days'), { codes: ['POS3016'] });
  });

  it('POS3017 a day outside the line\'s own cycle, a day 0, a reversed range; never lowered', () => {
    const { text, found } = expectCourse(course(`
      start 4 mg oral once daily days 21-1 cycle 28 days
      //                              ^^^^ POS3017 error Days 21-1 run backwards
      with dexamethasone 20 mg oral days 0, 8 when age > 75 a
      //                                 ^ POS3017 error Day 0 is not a day of a cycle
    `));
    assert.equal(checkCourse(courseFixRemoves(text, found[0].finding)).filter((item) => item.code === 'POS3017').length, 1);
    expectCourse(course(`
      start 4 mg oral once daily days 1-14 cycle 21 days
      deviation cycle "21-day cycles"
      with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a
      //                                           ^^ POS3017 error Day 22 is outside the protocol's 21-day cycle
    `), { codes: ['POS3017'] });
  });

  it('POS3018 no rest days where the label has some, even under deviation cycle', () => {
    expectCourse(course(`
      start 4 mg oral once daily days 1-21 cycle 21 days
      //                         ^^^^^^^^^ POS3018 error Days 1-21 dose every day of the 21-day cycle; the label's days 1-21 of 28 leaves rest days
      deviation cycle "21-day cycles"
      with dexamethasone 40 mg oral days 1, 8, 15 when age <= 75 a
      with dexamethasone 20 mg oral days 1, 8, 15 when age > 75 a
    `), { codes: ['POS3018'] });
    expectCourse(course('start 4 mg oral once daily days 1-14 cycle 21 days'), { codes: ['POS3018'] });
  });

  it('POS3019 no cycle where the label has one; the fix adds it', () => {
    const { text, found } = expectCourse(course(`
        start 4 mg oral once daily days 1-21
      //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3019 error This schedule has no \`cycle\`; the label gives a cycle of 28 days for mm
    `));
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
  });
});
