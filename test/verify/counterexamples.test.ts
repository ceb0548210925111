import assert from 'node:assert/strict';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { labelSpec } from '../../server/src/verify/label-checks.js';
import { onDosingDay, preferDosingDay, recheck } from '../../server/src/verify/minimize.js';
import { buildSpace } from '../../server/src/verify/space.js';
import type { FactValue, ResolvedProtocol } from '../../server/src/semantics/model.js';
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
      assert.deepEqual(example.span, ruleNamed(protocol, 'cyp1a2').node.span, 'the rule that reads strong_cyp1a2_inhibitor is the one to change');
      assert.ok(example.count >= 1);
      assert.equal(result.statesExplored, result.statesTotal);
    });

    it('reports POS4001 on the CYP1A2 rule (the line to change), pointing at the label line and at the rule that decided', () => {
      const protocol = protocolOf(text);
      const [finding] = verifyProtocol(protocol, { text }).findings;
      assert.equal(finding.code, 'POS4001');
      assert.equal(finding.severity, 'error');
      assert.equal(text.slice(finding.span.start, finding.span.end), 'rule cyp1a2: when strong_cyp1a2_inhibitor and not dialysis then dose 2 mg');
      assert.match(finding.message, /^strong_cyp1a2_inhibitor, dialysis \(multiple_myeloma\): this protocol gives dose 3 mg after dialysis; the label requires at most 2 mg \(label: at most 2 mg when strong_cyp1a2_inhibitor\)/);
      assert.equal(finding.related.length, 2);
      assert.equal(finding.related[0].file, 'labels/pomalidomide.dose');
      assert.match(finding.related[0].message, /at most 2 mg when strong_cyp1a2_inhibitor/);
      assert.equal(text.slice(finding.related[1].span.start, finding.related[1].span.end), 'rule dialysis: when dialysis then dose 3 mg after dialysis');
      assert.equal(finding.related[1].message, 'Decided by rule dialysis: dose 3 mg after dialysis');
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
    const text = pdText({ rules: { neutropenia: 'when ANC < 0.4 10*9/L or febrile_neutropenia then hold' }, gate: false });
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
    assert.deepEqual(example.span, ruleNamed(protocol, 'neutropenia').node.span, 'the rule that reads ANC, not the start line');
    assert.match(result.findings[0].message, /^ANC = 400 \/uL \(multiple_myeloma\): this protocol gives dose 4 mg; the label requires hold \(label: hold when ANC < 500 \/uL or febrile_neutropenia\); \d+ of the explored patient states break it this way$/);
  });

  // The rule that reads the fact is the line to change: the CYP1A2 test above. (The resume at
  // the same dose this test used is no v1 fact in the treatment-course label any more.)
  it('the line to change with no rule at all: the start line', () => {
    const noSkinRule = pdText({ drop: ['skin'] });
    const withoutRule = protocolOf(noSkinRule);
    const [missing] = verifyProtocol(withoutRule).counterexamples;
    assert.equal(missing.constraintText, 'discontinue when sjs_ten');
    assert.deepEqual(missing.span, withoutRule.start?.node.span);
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

  describe('the day a one-day counterexample is shown on', () => {
    // The threshold of the e2e fixture (test/e2e/workspace/pd-protocol.dose): 400 /uL where the label says 500 /uL.
    const lowThreshold = { neutropenia: 'when ANC < 400 /uL or febrile_neutropenia then hold' };
    const holdLine = 'hold when ANC < 500 /uL or febrile_neutropenia';
    /** The label check of `line` that `state` breaks. */
    const setup = (protocol: ResolvedProtocol, line: string, state: Map<string, FactValue>) => {
      const spec = labelSpec(protocol);
      const check = spec.checks.find((item) => item.text === line && recheck(protocol, spec, state, item));
      assert.ok(check, `no label check ${line} broken by ${[...state].join('; ')}: ${spec.checks.map((item) => item.text).join('; ')}`);
      return { spec, space: buildSpace(protocol, spec), check };
    };

    it('a missed hold is shown on a dosing day where the protocol doses, not on a rest day where it gives no dose', () => {
      const text = pdText({ rules: lowThreshold });
      const protocol = protocolOf(text);
      const [example] = verifyProtocol(protocol, { text }).counterexamples;
      // Day 1 is held by the cycle's gate (ANC >= 500 /uL), so the first day that shows it is day 2.
      assert.deepEqual(example.state, new Map<string, FactValue>([['ANC', 400], ['day', 2]]));
      assert.equal(example.given, 'dose 4 mg');
      assert.equal(example.required, 'hold');
      assert.equal(example.constraintText, holdLine);
      assert.match(example.testText, /given ANC = 400 \/uL, day 2\n {4}expect hold/);
    });

    it('the test it writes still breaks the line: added, it fails with the dose the protocol gives', () => {
      const text = pdText({ rules: lowThreshold });
      const protocol = protocolOf(text);
      const [finding] = verifyProtocol(protocol, { text }).findings;
      assert.equal(finding.code, 'POS4001');
      assert.match(finding.message, /^ANC = 400 \/uL, day 2 \(multiple_myeloma\): this protocol gives dose 4 mg; the label requires hold/);
      const analysis = analyzeText(applyEdits(text, finding.fixes[0].edits));
      assert.equal(analysis.tests.length, 1);
      assert.equal(analysis.tests[0].passed, false);
      assert.match(analysis.findings.find((item) => item.code === 'POS5001')?.message ?? '', /expected hold, got dose 4 mg/);
    });

    it('without a gate, day 1 (the default) is the dosing day shown', () => {
      const text = pdText({ rules: lowThreshold, gate: false });
      const [example] = verifyProtocol(protocolOf(text), { text }).counterexamples;
      assert.deepEqual(example.state, new Map([['ANC', 400]]));
      assert.equal(example.given, 'dose 4 mg');
    });

    it('preferDosingDay moves a rest-day state to the first dosing day that still breaks the same line, and keeps the other facts', () => {
      const protocol = protocolOf(pdText({ rules: lowThreshold }));
      const found = new Map<string, FactValue>([['ANC', 400], ['platelets', 30000], ['day', 22]]);
      const { spec, space, check } = setup(protocol, holdLine, found);
      assert.equal(onDosingDay(protocol, spec, found), false);
      const shown = preferDosingDay(protocol, spec, space, found, check);
      assert.deepEqual(shown, new Map<string, FactValue>([['ANC', 400], ['platelets', 30000], ['day', 2]]));
      assert.ok(onDosingDay(protocol, spec, shown));
      assert.equal(recheck(protocol, spec, shown, check)?.outcome.decision.kind, 'dose');
      assert.deepEqual(found.get('day'), 22, 'the state found is not changed');
    });

    it('preferDosingDay leaves a state already on a dosing day, and one that breaks the line only on a rest day', () => {
      const protocol = protocolOf(pdText({ rules: lowThreshold }));
      const dosing = new Map<string, FactValue>([['ANC', 400], ['day', 5]]);
      const { spec, space, check } = setup(protocol, holdLine, dosing);
      assert.equal(preferDosingDay(protocol, spec, space, dosing, check), dosing);

      const continuous = protocolOf(pdText({ start: '4 mg oral once daily days 1-28 cycle 28 days' }));
      const restDay = new Map<string, FactValue>([['day', 22]]);
      const schedule = setup(continuous, 'dose 4 mg oral once daily days 1-21 cycle 28 days', restDay);
      assert.equal(preferDosingDay(continuous, schedule.spec, schedule.space, restDay, schedule.check), restDay);
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
      const text = pdText({ rules: { thrombocytopenia: 'when platelets < 24999 /uL then hold' }, gate: false });
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
