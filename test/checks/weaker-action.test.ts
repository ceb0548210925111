// server/src/checks/weaker-action.ts: POS3027 an action weaker than the label's.
import assert from 'node:assert/strict';
import { COURSE_LABEL_PATH, checkCourse, course, courseFixRemoves, expectCourse } from '../helpers/course-label.js';

describe('checks: actions weaker than the label (weaker-action.ts)', () => {
  it('POS3027 when sjs_ten then hold where the label discontinues; the fix discontinues', () => {
    const { text, found } = expectCourse(course(`
      rule skin: when sjs_ten then hold
      //                           ^^^^ POS3027 error Rule 'skin' gives hold when sjs_ten; the label requires discontinue there
    `));
    assert.equal(found[0].finding.related[0].file, COURSE_LABEL_PATH);
    assert.ok(found[0].finding.related[0].message.includes('discontinue when sjs_ten [source: test: skin]'));
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
  });

  it('POS3027 a dose where the label holds', () => {
    expectCourse(course(`
      rule liver: when hepatotoxicity then dose 2 mg
      //                                   ^^^^^^^^^ POS3027 error Rule 'liver' gives a dose when hepatotoxicity; the label requires hold there
    `));
  });

  it('not when another rule already stops the patient there, nor for a stronger action', () => {
    const covered = course('rule skin_hold: when sjs_ten then hold').replace('rule liver:', 'rule skin: when sjs_ten then discontinue\n  rule liver:');
    assert.deepEqual(checkCourse(covered).filter((item) => item.code === 'POS3027'), []);
    expectCourse(course('rule liver: when hepatotoxicity then discontinue'), { codes: ['POS3027'] });
  });
});
