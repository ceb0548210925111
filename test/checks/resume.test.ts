// server/src/checks/resume.ts: POS3023 a resume less safe than the
// label's, POS3024 a hold that ends before the label's recovery threshold.
import assert from 'node:assert/strict';
import { COURSE_LABEL_PATH, checkCourse, course, courseFixRemoves, expectCourse } from '../helpers/course-label.js';

describe('checks: resumes and recovery (resume.ts)', () => {
  it('POS3023 resume at same dose where the label says previous - 1 mg; the fix writes the label\'s', () => {
    const { text, found } = expectCourse(course(`
      rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at same dose
      //                                                                                                        ^^^^^^^^^ POS3023 error Rule 'neutropenia' resumes at 4 mg after a hold from 4 mg; the label allows at most 3 mg (resume at most previous - 1 mg)
    `));
    const [related] = found[0].finding.related;
    assert.equal(related.file, COURSE_LABEL_PATH);
    assert.ok(related.message.includes('until ANC >= 500 /uL then resume at most previous - 1 mg [source: test: neutropenia]'), related.message);
    const fixed = courseFixRemoves(text, found[0].finding);
    assert.ok(fixed.includes('then resume at previous - 1 mg'), fixed);
    assert.deepEqual(checkCourse(fixed), []);
  });

  it('POS3023 compares every dose the course can be at: an amount is safe from 4 mg, not from 3 mg', () => {
    expectCourse(course(`
      rule thrombocytopenia: when platelets < 25000 /uL then hold until platelets >= 50000 /uL then resume at 3 mg
      //                                                                                                      ^^^^ POS3023 error resumes at 3 mg after a hold from 3 mg; the label allows at most 2 mg
    `));
  });

  it('POS3023 a hold without until resumes at the same dose; the fix adds the label\'s until', () => {
    const { text, found } = expectCourse(course(`
      rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold
      //                                                               ^^^^ POS3023 error resumes at 4 mg after a hold from 4 mg
    `), { codes: ['POS3023'] });
    const fixed = courseFixRemoves(text, found[0].finding);
    assert.ok(fixed.includes('then hold until ANC >= 500 /uL then resume at previous - 1 mg'), fixed);
    assert.deepEqual(checkCourse(fixed), []);
  });

  it('POS3023 on recurrence, in the Kaposi sarcoma indication', () => {
    const ks = (rule: string) => `protocol "ks" {\n  drug coursedrug\n  indication ks\n  start 5 mg oral once daily days 1-21 cycle 28 days\n  ${rule}\n}\n`;
    assert.deepEqual(checkCourse(ks('rule anc: when ANC < 1000 /uL then hold until ANC >= 1000 /uL then resume at same dose on recurrence resume at previous - 1 mg')), []);
    const text = ks('rule anc: when ANC < 1000 /uL then hold until ANC >= 1000 /uL then resume at same dose');
    const [finding] = checkCourse(text).filter((item) => item.code === 'POS3023');
    assert.match(finding.message, /resumes at 5 mg after a recurrence from 5 mg; the label allows at most 4 mg/);
    const fixed = courseFixRemoves(text, finding);
    assert.ok(fixed.includes('resume at same dose on recurrence resume at previous - 1 mg'), fixed);
  });

  it('POS3023 a resume the label ends in discontinuing: below its lowest dose', () => {
    expectCourse(course(`
      levels 4 mg, 3 mg, 2 mg, 1 mg
      rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at same dose
      //                                                                                                        ^^^^^^^^^ POS3023 error the label allows at most 3 mg
    `));
    assert.deepEqual(checkCourse(course('rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 mg')), []);
  });

  it('POS3024 until ANC >= 300 /uL ends the hold before the label\'s ANC >= 500 /uL; the fix writes the label\'s', () => {
    const { text, found } = expectCourse(course(`
      rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 300 /uL then resume at previous - 1 level
      //                                                                          ^^^^^^^^^^^^^^ POS3024 error Rule 'neutropenia' ends its hold at ANC = 300 /uL, before the label's recovery (until ANC >= 500 /uL)
    `));
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
    expectCourse(course('rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 600 /uL then resume at previous - 1 level'), { codes: ['POS3024'] });
  });

  it('POS3024 a hold without until ends with its when: platelets 25000 /uL is before the label\'s 50000 /uL', () => {
    expectCourse(course(`
      rule thrombocytopenia: when platelets < 25000 /uL then hold
      //                                                     ^^^^ POS3024 error ends its hold at platelets = 25000 /uL
      //                                                     ^^^^ POS3023 error
    `));
  });
});
