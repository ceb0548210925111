import assert from 'node:assert/strict';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { analyzeText, applyEdits, labelWith, pdText, protocolOf, ruleNamed } from './helpers.js';

const errorsOf = (text: string) => analyzeText(text).findings.filter((item) => item.severity === 'error');

describe('verify: counterexamples', () => {
  describe('a combination the line-by-line checks cannot see', () => {
    const text = pdText({ rules: { cyp1a2: 'when strong_cyp1a2_inhibitor and not dialysis then dose 2 mg' } });

    it('passes every line-by-line check', () => {
      assert.deepEqual(analyzeText(text).findings, []);
    });

    it('gives exactly one counterexample: dialysis with a CYP1A2 inhibitor gets 3 mg', () => {
      const protocol = protocolOf(text);
      const result = verifyProtocol(protocol, { text });
      assert.equal(result.status, 'counterexamples');
      assert.equal(result.counterexamples.length, 1);
      const [example] = result.counterexamples;
      assert.deepEqual(example.state, new Map([['strong_cyp1a2_inhibitor', true], ['dialysis', true]]));
      assert.equal(example.stateText, 'strong_cyp1a2_inhibitor, dialysis');
      assert.equal(example.given, 'dose 3 mg after dialysis');
      assert.equal(example.required, 'at most 2 mg');
      assert.equal(example.constraintText, 'at most 2 mg when strong_cyp1a2_inhibitor');
      assert.equal(example.constraint?.kind, 'cap');
      assert.equal(example.decidedBy, ruleNamed(protocol, 'dialysis'));
      assert.deepEqual(example.span, ruleNamed(protocol, 'dialysis').node.span);
      assert.ok(example.count >= 1);
      assert.equal(result.statesExplored, result.statesTotal);
    });

    it('reports POS4001 on the dialysis rule, pointing at the label line', () => {
      const protocol = protocolOf(text);
      const [finding] = verifyProtocol(protocol, { text }).findings;
      assert.equal(finding.code, 'POS4001');
      assert.equal(finding.severity, 'error');
      assert.equal(text.slice(finding.span.start, finding.span.end), 'rule dialysis: when dialysis then dose 3 mg after dialysis');
      assert.match(finding.message, /^strong_cyp1a2_inhibitor, dialysis \(multiple_myeloma\): this protocol gives dose 3 mg after dialysis; the label requires at most 2 mg \(label: at most 2 mg when strong_cyp1a2_inhibitor\)/);
      assert.equal(finding.related.length, 1);
      assert.equal(finding.related[0].file, 'labels/pomalidomide.dose');
      assert.match(finding.related[0].message, /at most 2 mg when strong_cyp1a2_inhibitor/);
    });

    it('offers "Add as test": the added test expects what the label requires and fails', () => {
      const protocol = protocolOf(text);
      const [finding] = verifyProtocol(protocol, { text }).findings;
      assert.equal(finding.fixes.length, 1);
      assert.equal(finding.fixes[0].title, 'Add as test');
      const fixed = applyEdits(text, finding.fixes[0].edits);
      assert.ok(fixed.endsWith('  }\n}\n'), fixed);
      assert.match(fixed, /given strong_cyp1a2_inhibitor, dialysis\n {4}expect dose 2 mg after dialysis\n/);
      const analysis = analyzeText(fixed);
      assert.equal(analysis.tests.length, 1);
      assert.equal(analysis.tests[0].passed, false);
      assert.deepEqual(analysis.findings.map((item) => item.code), ['POS5001']);
    });
  });

  it('a wrong unit conversion: ANC < 0.4 10*9/L holds from 400 /uL, not 500', () => {
    const text = pdText({ rules: { neutropenia: 'when ANC < 0.4 10*9/L or febrile_neutropenia then hold' } });
    const protocol = protocolOf(text);
    const result = verifyProtocol(protocol, { text });
    assert.equal(result.counterexamples.length, 1);
    const [example] = result.counterexamples;
    assert.deepEqual(example.state, new Map([['ANC', 400]]));
    assert.equal(example.stateText, 'ANC = 400 /uL');
    assert.equal(example.given, 'dose 4 mg');
    assert.equal(example.required, 'hold');
    assert.equal(example.constraintText, 'hold when ANC < 500 /uL or febrile_neutropenia');
    assert.equal(example.decidedBy, undefined);
    assert.deepEqual(example.span, protocol.start?.node.span);
    assert.match(result.findings[0].message, /^ANC = 400 \/uL \(multiple_myeloma\): this protocol gives dose 4 mg; the label requires hold \(label: hold when ANC < 500 \/uL or febrile_neutropenia\); \d+ of the explored patient states break it this way$/);
  });

  it('the added test passes once the threshold is corrected', () => {
    const wrong = pdText({ rules: { neutropenia: 'when ANC < 0.4 10*9/L or febrile_neutropenia then hold' } });
    const [finding] = verifyProtocol(protocolOf(wrong), { text: wrong }).findings;
    const withTest = applyEdits(wrong, finding.fixes[0].edits);
    const corrected = withTest.replace('ANC < 0.4 10*9/L', 'ANC < 0.5 10*9/L');
    const analysis = analyzeText(corrected);
    assert.deepEqual(analysis.tests.map((test) => test.passed), [true]);
    assert.equal(verifyProtocol(analysis.protocols[0]).status, 'verified');
  });

  describe('rest days', () => {
    it('days 1-28 without a deviation: day 22 gets a dose the label does not give', () => {
      const text = pdText({ start: '4 mg oral once daily days 1-28 cycle 28 days' });
      const protocol = protocolOf(text);
      const result = verifyProtocol(protocol, { text });
      assert.equal(result.counterexamples.length, 1);
      const [example] = result.counterexamples;
      assert.deepEqual(example.state, new Map([['day', 22]]));
      assert.equal(example.given, 'dose 4 mg');
      assert.equal(example.required, 'no dose');
      assert.equal(example.constraintText, 'dose 4 mg oral once daily days 1-21 cycle 28 days');
      assert.equal(example.constraint, undefined);
      assert.deepEqual(example.span, protocol.start?.node.span);
      assert.match(example.testText, /given day 22\n {4}expect no dose/);
    });

    it('a 21-day cycle dosing days 1-21: day 22 wraps to a dosing day the label rests', () => {
      const text = pdText({ start: '4 mg oral once daily days 1-21 cycle 21 days' });
      const result = verifyProtocol(protocolOf(text));
      assert.deepEqual(result.counterexamples.map((example) => [example.stateText, example.required]), [['day 22', 'no dose']]);
    });

    it('a documented days deviation accepts the protocol\'s own schedule', () => {
      const text = pdText({ start: '4 mg oral once daily days 1-28 cycle 28 days', extra: ['deviation days "continuous dosing, per protocol committee"'] });
      assert.equal(verifyProtocol(protocolOf(text)).status, 'verified');
    });

    it('a documented cycle deviation (OPTIMISMM, days 1-14 of 21) verifies', () => {
      const text = pdText({ start: '4 mg oral once daily days 1-14 cycle 21 days', extra: ['deviation cycle "OPTIMISMM regimen"'] });
      assert.equal(verifyProtocol(protocolOf(text)).status, 'verified');
    });
  });

  describe('off-by-one boundaries', () => {
    it('ANC <= 500 /uL is stricter than the label\'s < 500 /uL: no counterexample', () => {
      const text = pdText({ rules: { neutropenia: 'when ANC <= 500 /uL or febrile_neutropenia then hold' } });
      const result = verifyProtocol(protocolOf(text));
      assert.equal(result.status, 'verified');
      assert.deepEqual(result.counterexamples, []);
      assert.deepEqual(result.findings, []);
    });

    it('platelets < 24999 /uL lets 24999 /uL through', () => {
      const text = pdText({ rules: { thrombocytopenia: 'when platelets < 24999 /uL then hold' } });
      const result = verifyProtocol(protocolOf(text));
      assert.equal(result.counterexamples.length, 1);
      assert.deepEqual(result.counterexamples[0].state, new Map([['platelets', 24999]]));
      assert.equal(result.counterexamples[0].required, 'hold');
      assert.equal(result.counterexamples[0].constraintText, 'hold when platelets < 25000 /uL');
    });
  });

  describe('other label lines', () => {
    it('a dose rule above its cap, on the rule', () => {
      const text = pdText({ rules: { dialysis: 'when dialysis then dose 4 mg after dialysis' } });
      const protocol = protocolOf(text);
      const result = verifyProtocol(protocol);
      assert.deepEqual(result.counterexamples.map((item) => [item.stateText, item.given, item.required, item.constraintText]), [
        ['dialysis', 'dose 4 mg after dialysis', 'at most 3 mg', 'at most 3 mg when dialysis'],
      ]);
    });

    it('a missing timing', () => {
      const text = pdText({ rules: { dialysis: 'when dialysis then dose 3 mg' } });
      const result = verifyProtocol(protocolOf(text));
      assert.deepEqual(result.counterexamples.map((item) => [item.stateText, item.given, item.required, item.constraintText]), [
        ['dialysis', 'dose 3 mg', 'dose 3 mg after dialysis', 'take after dialysis when dialysis'],
      ]);
    });

    it('hold where the label discontinues', () => {
      const text = pdText({ rules: { skin: 'when sjs_ten then hold' } });
      const result = verifyProtocol(protocolOf(text));
      assert.deepEqual(result.counterexamples.map((item) => [item.stateText, item.given, item.required]), [['sjs_ten', 'hold', 'discontinue']]);
    });

    it('a missing discontinue rule', () => {
      const text = pdText({ drop: ['pregnancy'] });
      const result = verifyProtocol(protocolOf(text));
      assert.deepEqual(result.counterexamples.map((item) => [item.stateText, item.given, item.required, item.constraintText]), [
        ['pregnant', 'dose 4 mg', 'discontinue', 'discontinue when pregnant'],
      ]);
    });

    it('a start dose above the label dose, in the default state', () => {
      const text = pdText({ start: '5 mg oral once daily days 1-21 cycle 28 days' });
      const result = verifyProtocol(protocolOf(text));
      const example = result.counterexamples.find((item) => item.constraintText.startsWith('dose 4 mg'));
      assert.ok(example);
      assert.deepEqual(example.state, new Map());
      assert.equal(example.stateText, 'day 1, every fact at its default');
      assert.equal(example.required, 'at most 4 mg');
      assert.match(example.testText, /^ {2}test "counterexample: day 1, every fact at its default \(label: dose 4 mg oral once daily days 1-21 cycle 28 days\)" \{\n {4}expect dose 4 mg\n {2}\}$/);
    });

    it('a relative cap reads previous_dose', () => {
      const label = labelWith('    at most previous - 1 mg when renal_impairment\n      source "test: a relative cap"\n');
      const text = pdText({ rules: { renal: 'when renal_impairment then dose previous - 0.5 mg' } });
      const result = verifyProtocol(protocolOf(text, 'p.dose', label));
      assert.equal(result.status, 'counterexamples');
      const example = result.counterexamples[0];
      assert.equal(example.constraintText, 'at most previous - 1 mg when renal_impairment');
      assert.equal(example.state.get('renal_impairment'), true);
    });
  });

  it('the examples with deliberate mistakes give counterexamples, and each line-by-line error has one', () => {
    const text = pdText({ start: '5 mg oral once daily days 1-28 cycle 28 days', rules: { neutropenia: 'when ANC < 400 /uL then hold', dialysis: 'when dialysis then dose 4 mg after dialysis' } });
    assert.ok(errorsOf(text).length >= 3);
    const result = verifyProtocol(protocolOf(text));
    const lines = new Set(result.counterexamples.map((item) => item.constraintText));
    assert.ok(lines.has('hold when ANC < 500 /uL or febrile_neutropenia'));
    assert.ok(lines.has('at most 3 mg when dialysis'));
    assert.ok(lines.has('dose 4 mg oral once daily days 1-21 cycle 28 days'));
  });
});
