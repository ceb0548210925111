// The layers that decide and explore say why as data, never in English: the
// evaluator's reasons (eval/why.ts) and the verifier's stop reasons (StopReason)
// are worded only by the message table's phrases. The type assertions fail the
// build (and so `npm test`) if any of them becomes a string again; the runs check
// that what comes back at run time is data the table words.
import assert from 'node:assert/strict';
import { runCourse, type CompanionOutcome, type DayOutcome, type Outcome, type StepState } from '../../server/src/eval/index.js';
import { whyPhrase, type Why } from '../../server/src/eval/why.js';
import { Phrases } from '../../server/src/diagnostics/messages.js';
import type { Budget } from '../../server/src/verify/budget.js';
import { stopPhrase } from '../../server/src/verify/findings.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import type { CourseSearch, StopReason } from '../../server/src/verify/types.js';
import { pdText, protocolOf } from '../verify/helpers.js';

/** `false` when no string is assignable to T; `true` when T is (or admits) a string. */
type AdmitsString<T> = string extends T ? true : false;

const dataOnly: false[] = [
  false satisfies AdmitsString<DayOutcome['reason']>,
  false satisfies AdmitsString<Outcome['reason']>,
  false satisfies AdmitsString<CompanionOutcome['reason']>,
  false satisfies AdmitsString<NonNullable<StepState['reason']>>,
  false satisfies AdmitsString<NonNullable<StepState['delayed']>>,
  false satisfies AdmitsString<Why>,
  false satisfies AdmitsString<NonNullable<CourseSearch['stopped']>>,
  false satisfies AdmitsString<NonNullable<ReturnType<Budget['interrupted']>>>,
  false satisfies AdmitsString<StopReason>,
];

const phrases = new Set(Object.values(Phrases) as string[]);

describe('wording: eval/ and verify/ say why as data, the table words it', () => {
  it('the reasons are typed as data (checked when the tests compile)', () => {
    assert.equal(dataOnly.length, 9);
  });

  it("every day of a course says why as data, and the table's phrase says it", () => {
    const protocol = protocolOf(pdText());
    const days = runCourse(protocol, [{ day: 3, observations: new Map([['ANC', 400]]) }], 30);
    const kinds = new Set<string>();
    for (const day of days) {
      assert.equal(typeof day.reason, 'object');
      kinds.add(day.reason.kind);
      const said = whyPhrase(day.reason);
      assert.ok(said.name in Phrases, said.name);
      for (const companion of day.companions) assert.equal(typeof companion.reason, 'object');
    }
    assert.ok(kinds.size >= 2, [...kinds].join(', '));
  });

  it('a stopped verification reports its reason as data, worded by the table (POS4002)', () => {
    const result = verifyProtocol(protocolOf(pdText()), { maxStates: 10 });
    assert.equal(result.status, 'stopped');
    const incomplete = result.findings.find((item) => item.code === 'POS4002');
    assert.ok(incomplete);
    const why = stopPhrase({ kind: 'states', limit: 10, of: 'evaluated' });
    assert.equal(why.name, 'StopEvaluatedStates');
    assert.ok(phrases.has(Phrases[why.name]));
    assert.match(incomplete.message, /\(state budget of 10 evaluated states reached\)/);
    assert.match(result.reason ?? '', /^stopped after \d+ of \d+ patient states: state budget of 10 evaluated states reached$/);
  });
});
