// server/src/checks/levels.ts: POS3021 a level above the start dose,
// POS3022 a level below the label's lowest dose.
import assert from 'node:assert/strict';
import { COURSE_LABEL_PATH, checkCourse, course, courseFixRemoves, expectCourse } from '../helpers/course-label.js';

describe('checks: dose levels (levels.ts)', () => {
  it('POS3021 a level above the start dose; the fix removes it', () => {
    const { text, found } = expectCourse(course(`
      levels 5 mg, 4 mg, 3 mg, 2 mg, 1 mg
      //     ^^^^ POS3021 error The dose level 5 mg is above the start dose of 4 mg
    `));
    const fixed = courseFixRemoves(text, found[0].finding);
    assert.ok(fixed.includes('levels 4 mg, 3 mg, 2 mg, 1 mg'), fixed);
    assert.deepEqual(checkCourse(fixed), []);
  });

  it('POS3022 a level below the label\'s lowest dose, with the lowest dose line and its source', () => {
    const { text, found } = expectCourse(course(`
      levels 4 mg, 3 mg, 2 mg, 1 mg, 0.5 mg
      //                             ^^^^^^ POS3022 error The dose level 0.5 mg is below the label's lowest dose of 1 mg for mm
    `));
    const [related] = found[0].finding.related;
    assert.equal(related.file, COURSE_LABEL_PATH);
    assert.ok(related.message.includes('lowest dose 1 mg [source: test: lowest]'), related.message);
    assert.ok(courseFixRemoves(text, found[0].finding).includes('levels 4 mg, 3 mg, 2 mg, 1 mg\n'));
  });

  it('converts units: 500 ug is below 1 mg, 1000 ug is not', () => {
    expectCourse(course(`
      levels 4 mg, 3 mg, 2 mg, 500 ug
      //                       ^^^^^^ POS3022 error
    `));
    expectCourse(course('levels 4 mg, 3 mg, 2 mg, 1000 ug'), { codes: ['POS3022'] });
  });
});
