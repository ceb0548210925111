// Resolution of the treatment-course forms (SPEC-v2) into the model: levels in
// the dose unit, resume targets, until conditions, gates, lowest dose,
// protocol facts merged with the label's, companions with their schedules,
// scenarios with their steps, and the findings when something does not resolve.
import assert from 'node:assert/strict';
import type { ResolvedProtocol } from '../../server/src/semantics/model.js';
import { checkAlone, describeFindings } from '../helpers/dose.js';
import { readRepo } from '../helpers/repo.js';

const LABEL = readRepo('test', 'fixtures', 'v2', 'spec-v2-label.dose').replace(
  'fact febrile_neutropenia "Febrile neutropenia": boolean',
  'fact febrile_neutropenia "Febrile neutropenia": boolean\n  fact sjs_ten "SJS/TEN": boolean\n  fact dialysis "Dialysis": boolean',
);
const PD = readRepo('test', 'fixtures', 'v2', 'spec-v2-pd.dose');

function resolve(protocolText: string): { protocol?: ResolvedProtocol; findings: string; codes: string[] } {
  const text = `${LABEL}\n${protocolText}`;
  const result = checkAlone(text);
  const own = result.findings.filter((finding) => /^POS[12]/.test(finding.code));
  return { protocol: result.protocols[0], findings: describeFindings(own, text), codes: own.map((finding) => finding.code) };
}

describe('SPEC-v2 resolution', () => {
  it('the Pd example resolves with no finding of names or units', () => {
    const { protocol, codes, findings } = resolve(PD);
    assert.deepEqual(codes, [], findings);
    assert.ok(protocol);
    assert.deepEqual(protocol.levels, [4, 3, 2, 1]);
    assert.equal(protocol.gates.length, 1);
    assert.equal(protocol.indication.lowestDose, 1);
    assert.equal(protocol.indication.gates.length, 1);
    assert.ok(protocol.facts.has('toxicity'), 'the protocol fact is known');
    assert.ok(protocol.facts.has('ANC'), "the label's facts stay");
    const neutropenia = protocol.rules[0].action;
    assert.equal(neutropenia.kind === 'hold' && neutropenia.until?.resume?.target.kind, 'levels');
    assert.equal(protocol.companions.length, 2);
    assert.equal(protocol.companions[1].amount?.value, 20);
    assert.equal(protocol.companions[1].condition?.kind, 'compare');
    assert.deepEqual(protocol.tests[0].companions.map((c) => [c.drug, c.amount?.value]), [['dexamethasone', 40]]);
    assert.equal(protocol.scenarios.length, 2);
    assert.equal(protocol.scenarios[0].steps.length, 6);
    assert.deepEqual(protocol.scenarios[0].steps[1].observations, new Map([['ANC', 450]]));
    assert.deepEqual(protocol.scenarios[1].steps[2].position, { cycle: 2, day: 1 });
  });

  it('label holds keep their until, resume and recurrence in the dose unit', () => {
    const { protocol } = resolve(PD);
    const ks = protocol?.label.indications.get('kaposi_sarcoma');
    const hold = ks?.constraints[0];
    assert.equal(hold?.kind, 'hold');
    assert.equal(hold?.kind === 'hold' && hold.until?.resume?.target.kind, 'same');
    assert.deepEqual(hold?.kind === 'hold' && hold.until?.recurrence?.target, { kind: 'minus', minus: 1 });
    assert.equal(hold?.kind === 'hold' && hold.until?.recurrence?.atMost, true);
    const mm = protocol?.label.indications.get('multiple_myeloma');
    assert.deepEqual(mm?.requires[0].schedule.days?.map((d) => d.from), [1, 8, 15, 22]);
  });

  it('levels that do not go down, and a resume by levels without levels, are findings', () => {
    const header = 'protocol "p" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start 4 mg oral once daily days 1-21 cycle 28 days\n';
    const a = resolve(`${header}  levels 4 mg, 3 mg, 3 mg, 1000 ug\n}`);
    assert.deepEqual(a.codes, ['POS2017'], a.findings);
    assert.deepEqual(a.protocol?.levels, [4, 3, 1]);
    const b = resolve(`${header}  rule n: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at previous - 1 level\n}`);
    assert.deepEqual(b.codes, ['POS2018'], b.findings);
  });

  it('a protocol fact may not redefine a label fact; unknown names in until and gates are findings', () => {
    const header = 'protocol "p" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start 4 mg oral once daily days 1-21 cycle 28 days\n';
    const a = resolve(`${header}  fact ANC "again": quantity /uL\n}`);
    assert.deepEqual(a.codes, ['POS2009'], a.findings);
    const b = resolve(`${header}  before each cycle require AMC >= 500 /uL\n  rule n: when ANC < 500 /uL then hold until ANC >= 500 mg then resume at same dose\n}`);
    assert.deepEqual(b.codes.sort(), ['POS2003', 'POS2006'], b.findings);
  });
});
