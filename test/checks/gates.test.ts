// server/src/checks/gates.ts: POS3025 no cycle-start gate, POS3026 a weaker one.
import assert from 'node:assert/strict';
import { COURSE_LABEL_PATH, checkCourse, course, courseFixRemoves, expectCourse } from '../helpers/course-label.js';

describe('checks: cycle-start gates (gates.ts)', () => {
  it('POS3025 no gate where the label has one; the fix adds the label\'s', () => {
    const { text, found } = expectCourse(course(`
        start 4 mg oral once daily days 1-21 cycle 28 days
      //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3025 error the label starts a cycle only when ANC >= 500 /uL and platelets >= 50000 /uL
    `, ['gate']));
    assert.equal(found[0].finding.related[0].file, COURSE_LABEL_PATH);
    assert.ok(found[0].finding.related[0].message.includes('[source: test: gate]'));
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
  });

  it('POS3026 each conjunct of the label\'s gate must be implied: platelets below 50000 /uL', () => {
    const { text, found } = expectCourse(course(`
      before each cycle require ANC >= 500 /uL and platelets >= 25000 /uL
      //                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3026 error The cycle-start gate lets a cycle start at platelets = 25000 /uL; the label requires platelets >= 50000 /uL
    `));
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
  });

  it('POS3026 a missing conjunct; several protocol gates together, or a stricter gate, are fine', () => {
    expectCourse(course(`
      before each cycle require ANC >= 500 /uL
      //                        ^^^^^^^^^^^^^^ POS3026 error the label requires platelets >= 50000 /uL
    `));
    const split = course('before each cycle require ANC >= 1000 /uL').replace('before each cycle require ANC >= 1000 /uL', 'before each cycle require ANC >= 1000 /uL\n  before each cycle require platelets >= 75000 /uL');
    assert.deepEqual(checkCourse(split), []);
  });
});
