// server/src/checks/dose-zero.ts: POS3020 a dose of 0 or less.
import { course, expectCourse } from '../helpers/course-label.js';

describe('checks: doses of zero or less (dose-zero.ts)', () => {
  it('POS3020 dose 0 mg in a rule, and a with line at 0 mg', () => {
    expectCourse(course(`
      rule liver: when hepatotoxicity then dose 0 mg
      //                                        ^^^^ POS3020 error Rule 'liver' gives 0 mg: write no dose, hold or discontinue instead
      with dexamethasone 0 mg oral days 1, 8, 15, 22
      //                 ^^^^ POS3020 error dexamethasone 0 mg is no dose
    `), { codes: ['POS3020'] });
  });

  it('POS3020 previous - 5 mg from the start dose of 4 mg, in a rule and in a resume', () => {
    expectCourse(course(`
      rule liver: when hepatotoxicity then dose previous - 5 mg
      //                                        ^^^^^^^^^^^^^^^ POS3020 error gives -1 mg from the start dose of 4 mg
      rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 5 mg
      //                                                                                                        ^^^^^^^^^^^^^^^ POS3020 error Rule 'neutropenia' resumes at -1 mg from the start dose of 4 mg
    `), { codes: ['POS3020'] });
  });

  it('POS3020 a level of 0 mg, and a resume at 0 mg; previous - 1 mg is fine', () => {
    expectCourse(course(`
      levels 4 mg, 3 mg, 2 mg, 1 mg, 0 mg
      //                             ^^^^ POS3020 error A dose level of 0 mg is no dose
      rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at 0 mg
      //                                                                                                        ^^^^ POS3020 error resumes at 0 mg
    `), { codes: ['POS3020'] });
    expectCourse(course(), { codes: ['POS3020'] });
  });
});
