// Every frequency the grammar accepts is either honoured by the evaluator and the
// checks, or refused (eval/frequency.ts): POS3035 a frequency without the days it
// needs, POS3036 days that contradict a weekly frequency, POS3037 a period that
// cannot be honoured. One case per frequency form.
import assert from 'node:assert/strict';
import { companionDoses, plannedCalendar } from '../../server/src/eval/index.js';
import { readFrequency } from '../../server/src/semantics/resolve/frequency.js';
import type { DosingSchedule } from '../../server/src/semantics/model.js';
import { analyze } from '../../server/src/checks/analysis.js';
import { COURSE_LABEL, COURSE_LABEL_PATH, checkCourse, course, courseFixRemoves, expectCourse } from '../helpers/course-label.js';

const FREQUENCY_CODES = ['POS3035', 'POS3036', 'POS3037'];
const codesOf = (text: string) => checkCourse(text).map((finding) => finding.code);

/** The cycle days of cycles 1-2 (28 days) a `with` schedule doses on. */
function dosedDays(frequency: string, days?: { from: number; to: number }[]): string[] {
  const schedule: DosingSchedule = { frequency, days: days?.map((range) => ({ ...range, span: { start: 0, end: 0 } })) };
  const counts = readFrequency(frequency);
  if (counts) schedule.counts = counts;
  if (counts?.kind === 'weekly' && frequency.startsWith('every ')) schedule.everyWeeks = counts.everyWeeks;
  const dosed: string[] = [];
  for (let cycle = 1; cycle <= 2; cycle++) for (let day = 1; day <= 28; day++) if (companionDoses(schedule, plannedCalendar(cycle, day, 28), 28)) dosed.push(`${cycle}.${day}`);
  return dosed;
}

describe('checks: frequencies (eval/frequency.ts, schedule.ts)', () => {
  it('reads every form the grammar accepts into a count or a refusal', () => {
    assert.deepEqual(readFrequency('once daily'), { kind: 'daily', perDay: 1 });
    assert.deepEqual(readFrequency('twice daily'), { kind: 'daily', perDay: 2 });
    assert.deepEqual(readFrequency('once weekly'), { kind: 'weekly', perWeek: 1, everyWeeks: 1 });
    assert.deepEqual(readFrequency('twice weekly'), { kind: 'weekly', perWeek: 2, everyWeeks: 1 });
    assert.deepEqual(readFrequency('every 2 weeks'), { kind: 'weekly', perWeek: 1, everyWeeks: 2 });
    assert.deepEqual(readFrequency('every 3 wk'), { kind: 'weekly', perWeek: 1, everyWeeks: 3 });
    assert.deepEqual(readFrequency('every 14 d'), { kind: 'weekly', perWeek: 1, everyWeeks: 2 });
    assert.deepEqual(readFrequency('every 12 h'), { kind: 'daily', perDay: 2 });
    assert.deepEqual(readFrequency('every 8 h'), { kind: 'daily', perDay: 3 });
    assert.deepEqual(readFrequency('every 24 h'), { kind: 'daily', perDay: 1 });
    assert.deepEqual(readFrequency('every 1 d'), { kind: 'daily', perDay: 1 });
    assert.deepEqual(readFrequency('every 2 d'), { kind: 'refused', reason: 'period' });
    assert.deepEqual(readFrequency('every 36 h'), { kind: 'refused', reason: 'period' });
    assert.deepEqual(readFrequency('every 1 mo'), { kind: 'refused', reason: 'period' });
    assert.deepEqual(readFrequency('every 2 mg'), { kind: 'refused', reason: 'not a time' });
    assert.deepEqual(readFrequency('every 0 weeks'), { kind: 'refused', reason: 'zero' });
    assert.equal(readFrequency(undefined), undefined);
  });

  it('once daily: the clean protocol gets no frequency finding', () => {
    expectCourse(course(''), { codes: FREQUENCY_CODES });
  });

  it('twice daily and every 12 h: two doses a day, counted against the label (POS3016), no frequency finding', () => {
    for (const frequency of ['twice daily', 'every 12 h', 'every 8 h']) {
      const codes = codesOf(course(`start 4 mg oral ${frequency} days 1-21 cycle 28 days`));
      assert.ok(codes.includes('POS3016'), `${frequency}: ${codes}`);
      assert.deepEqual(codes.filter((code) => FREQUENCY_CODES.includes(code)), [], frequency);
    }
    assert.deepEqual(codesOf(course('start 4 mg oral every 24 h days 1-21 cycle 28 days')), []);
  });

  it('POS3040 the drug split into more doses a day with no more a day (2 mg twice daily): its per-dose rules and caps cannot be checked; deviation start lowers it; 4 mg twice daily is POS3016 alone', () => {
    for (const frequency of ['twice daily', 'every 12 h']) {
      const codes = codesOf(course(`start 2 mg oral ${frequency} days 1-21 cycle 28 days`));
      assert.ok(codes.includes('POS3040'), `${frequency}: ${codes}`);
      assert.ok(!codes.includes('POS3016'), `${frequency}: ${codes}`);
    }
    const lowered = checkCourse(course('start 2 mg oral twice daily days 1-21 cycle 28 days\n      deviation start "split dosing, per committee"')).find((finding) => finding.code === 'POS3040');
    assert.equal(lowered?.severity, 'warning');
    const above = codesOf(course('start 4 mg oral twice daily days 1-21 cycle 28 days'));
    assert.ok(above.includes('POS3016') && !above.includes('POS3040'), `${above}`);
  });

  it('once weekly on a with line with no days: the first day of each week (course days 1, 8, 15, 22, 29 ...), no finding', () => {
    assert.deepEqual(dosedDays('once weekly'), ['1.1', '1.8', '1.15', '1.22', '2.1', '2.8', '2.15', '2.22']);
    assert.deepEqual(codesOf(course('with dexamethasone 40 mg oral once weekly when age <= 75 a')), []);
  });

  it('every N weeks, in any time unit (every 3 wk, every 14 d): counted in weeks, not dosed daily', () => {
    assert.deepEqual(dosedDays('every 2 weeks'), ['1.1', '1.15', '2.1', '2.15']);
    assert.deepEqual(dosedDays('every 14 d'), ['1.1', '1.15', '2.1', '2.15']);
    assert.deepEqual(dosedDays('every 3 wk'), ['1.1', '1.22', '2.15']);
  });

  it('POS3035 twice weekly with no days: which two days? The fix writes the label\'s days', () => {
    const { text, found } = expectCourse(course(`
      with dexamethasone 40 mg oral twice weekly when age <= 75 a
      //                            ^^^^^^^^^^^^ POS3035 error 'twice weekly' does not say on which days dexamethasone is given
    `), { codes: FREQUENCY_CODES });
    assert.equal(found[0].finding.fixes?.[0]?.title, "Replace 'twice weekly' by the label's days 1, 8, 15, 22");
    assert.deepEqual(checkCourse(courseFixRemoves(text, found[0].finding)), []);
  });

  it('POS3035 a weekly start line with no days: the protocol\'s drug is dosed on the days its start line writes', () => {
    for (const frequency of ['once weekly', 'twice weekly', 'every 2 weeks']) {
      expectCourse(course(`
        start 4 mg oral ${frequency} cycle 28 days
        //              ${'^'.repeat(frequency.length)} POS3035 error '${frequency}' does not say on which days coursedrug is given: write its days: the protocol's drug
      `), { codes: FREQUENCY_CODES });
    }
  });

  it('POS3036 twice weekly days 1-21 (daily) and twice weekly days 1, 8, 15, 22 (once a week); never lowered by a deviation', () => {
    expectCourse(course(`
      start 4 mg oral twice weekly days 1-21 cycle 28 days
      //              ^^^^^^^^^^^^ POS3036 error 'twice weekly' but days 1-21 give coursedrug 7 doses in days 1-7 of the cycle
      deviation start "per committee"
    `), { codes: FREQUENCY_CODES });
    expectCourse(course(`
      with dexamethasone 40 mg oral twice weekly days 1, 8, 15, 22 when age <= 75 a
      //                            ^^^^^^^^^^^^ POS3036 error 'twice weekly' but days 1, 8, 15, 22 give dexamethasone at most one dose a week
    `), { codes: FREQUENCY_CODES });
  });

  it('POS3036 once weekly and every 2 weeks with days closer than their period', () => {
    expectCourse(course(`
      with dexamethasone 40 mg oral once weekly days 1, 4, 8, 15, 22 when age <= 75 a
      //                            ^^^^^^^^^^^ POS3036 error 'once weekly' but days 1, 4, 8, 15, 22 give dexamethasone 2 doses in days 1-7 of the cycle
    `), { codes: FREQUENCY_CODES });
    expectCourse(course(`
      with dexamethasone 40 mg oral every 2 weeks days 1, 8 when age <= 75 a
      //                            ^^^^^^^^^^^^^ POS3036 error 'every 2 weeks' but days 1, 8 give dexamethasone 2 doses in days 1-14 of the cycle
    `), { codes: FREQUENCY_CODES });
  });

  it('weekly frequencies whose days agree get no frequency finding (twice weekly days 1, 4, 8, 11; once weekly days 1, 8, 15, 22; every 2 weeks days 1, 15)', () => {
    assert.deepEqual(codesOf(course('with dexamethasone 40 mg oral once weekly days 1, 8, 15, 22 when age <= 75 a')), []);
    assert.deepEqual(codesOf(course('with dexamethasone 40 mg oral twice weekly days 1, 4, 8, 11 when age <= 75 a')).filter((code) => FREQUENCY_CODES.includes(code)), []);
    assert.deepEqual(codesOf(course('with dexamethasone 40 mg oral every 2 weeks days 1, 15 when age <= 75 a')).filter((code) => FREQUENCY_CODES.includes(code)), []);
  });

  it('POS3037 a period that cannot be honoured: every 2 d, every 36 h, every 1 mo, every 2 mg, every 0 weeks', () => {
    const cases: [string, string][] = [
      ['every 2 d', 'cannot be honoured: Posology doses on days of the cycle'],
      ['every 48 h', "'every 48 hours' cannot be honoured: Posology doses on days of the cycle"],
      ['every 36 h', "'every 36 hours' cannot be honoured: Posology doses on days of the cycle"],
      ['every 1 mo', "cannot be honoured: Posology doses on days of the cycle"],
      ['every 2 mg', "'every 2 mg' cannot be honoured: 'mg' is not a time"],
      ['every 0 weeks', "'every 0 weeks' cannot be honoured: a period must be more than zero"],
    ];
    for (const [frequency, words] of cases) {
      expectCourse(course(`
        start 4 mg oral ${frequency} days 1-21 cycle 28 days
        //              ${'^'.repeat(frequency.length)} POS3037 error ${words}
      `), { codes: FREQUENCY_CODES });
    }
  });

  it('a label line gets the same findings: its machine doses its dose and requires lines alike', () => {
    const label = COURSE_LABEL
      .replace('requires dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'requires dexamethasone 40 mg oral twice weekly when age <= 75 a')
      .replace('dose 4 mg oral once daily days 1-21 cycle 28 days', 'dose 4 mg oral every 36 h days 1-21 cycle 28 days');
    assert.notEqual(label, COURSE_LABEL);
    const results = analyze([{ path: COURSE_LABEL_PATH, text: label }]);
    const codes = results.flatMap((result) => result.findings.map((finding) => `${finding.code} ${finding.message}`)).filter((text) => /^POS303[5-7]/.test(text));
    assert.deepEqual(codes, [
      "POS3037 'every 36 hours' cannot be honoured: Posology doses on days of the cycle, a whole number of times a day (every 24, 12, 8, 6 h...) or every whole number of weeks; write the dosing days instead (every other day: days 1, 3, 5, ...)",
      "POS3035 'twice weekly' does not say on which days dexamethasone is given: write its days (twice a week: days 1, 4, 8, 11)",
    ]);
    assert.deepEqual(analyze([{ path: COURSE_LABEL_PATH, text: COURSE_LABEL }]).flatMap((result) => result.findings.map((finding) => finding.code)).filter((code) => FREQUENCY_CODES.includes(code)), []);
  });
});
