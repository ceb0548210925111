// verify/index.ts: "verified" only for the protocol as written. A frequency the
// evaluator cannot honour withholds the verification (the search would explore another
// protocol); the drug at another number of doses a day than its label withholds a
// "verified" (one dose at a time says nothing of a day), never a real counterexample.
import assert from 'node:assert/strict';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { pdText, protocolOf } from './helpers.js';

const run = (text: string) => verifyProtocol(protocolOf(text), { courses: true });

describe('verify: withheld for a protocol the search cannot read as written', function () {
  this.timeout(60000);

  it('the Pd as written is verified (the control)', () => {
    assert.equal(run(pdText()).status, 'verified');
  });

  it("'twice weekly' dexamethasone with no days, or a start line every 2 d: withheld, naming the line, no counterexample", () => {
    const weekly = run(pdText().replace('with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'with dexamethasone 40 mg oral twice weekly when age <= 75 a'));
    assert.equal(weekly.status, 'withheld');
    assert.match(weekly.reason ?? '', /'twice weekly' on the with dexamethasone line cannot be dosed as written/);
    assert.deepEqual(weekly.counterexamples, []);
    const everyOther = run(pdText({ start: '4 mg oral every 2 d days 1-21 cycle 28 days' }));
    assert.equal(everyOther.status, 'withheld');
    assert.match(everyOther.reason ?? '', /'every 2 d' on the start line/);
  });

  it('2 mg twice daily where the label gives 4 mg once daily: no dose breaks a line, so "verified" is withheld, saying why', () => {
    const result = run(pdText({ start: '2 mg oral twice daily days 1-21 cycle 28 days' }));
    assert.equal(result.status, 'withheld');
    assert.match(result.reason ?? '', /gives pomalidomide 2 times a day and the label 1/);
  });

  it('twice daily with a real counterexample (resume at the same dose) keeps its counterexamples', () => {
    const result = run(pdText({ start: '2 mg oral twice daily days 1-21 cycle 28 days', rules: { neutropenia: 'when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at same dose' } }));
    assert.equal(result.status, 'counterexamples');
    assert.ok(result.counterexamples.length > 0);
  });
});
