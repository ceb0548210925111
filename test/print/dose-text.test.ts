// server/src/print/: each text writer's output parses back to what it was
// written from (a title, a patient state, an expected action, a test block, a
// scenario block, a rule from a label constraint), and a label line is quoted
// with its source.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expectText, factText, quoted, scenarioBlock, stateItems, stateText, testBlock } from '../../server/src/print/dose-text.js';
import { labelRelated, quoteLabelLine } from '../../server/src/print/label-lines.js';
import { ruleFromConstraint } from '../../server/src/print/rules.js';
import type { Decision, FactValue } from '../../server/src/semantics/model.js';
import type { ProtocolBlock } from '../../server/src/syntax/ast.js';
import { parse } from '../../server/src/syntax/parse.js';
import { analyzeProtocol, mm, protocolText } from '../helpers/dose.js';

/** The resolved protocol of `mm` with `lines` added, and its findings. */
function resolved(lines: string) {
  const result = analyzeProtocol(mm(lines));
  return { protocol: result.protocols[0], findings: result.findings };
}

const facts = () => resolved('').protocol.facts;

const decisions: Decision[] = [
  { kind: 'hold' },
  { kind: 'discontinue' },
  { kind: 'no dose' },
  { kind: 'dose', amount: 3, unit: 'mg', timing: [] },
  { kind: 'dose', amount: 3, unit: 'mg', timing: ['after dialysis'] },
];

/** A patient state over the label's facts: yes/no facts, Child-Pugh, ANC and platelets in whole numbers, a day. */
const states = fc
  .record(
    {
      febrile_neutropenia: fc.boolean(),
      dialysis: fc.boolean(),
      child_pugh: fc.constantFrom('A', 'B', 'C'),
      ANC: fc.integer({ min: 0, max: 20000 }),
      platelets: fc.integer({ min: 0, max: 500000 }),
      day: fc.integer({ min: 1, max: 28 }),
    },
    { requiredKeys: [] },
  )
  .map((record) => new Map<string, FactValue>(Object.entries(record) as [string, FactValue][]));

describe('print: writing .dose text', () => {
  it('a quoted string reads back as the same text, whatever quotes and backslashes it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', 'é', 'x', ':') }), (title) => {
        const { file, errors } = parse(`protocol ${quoted(title)} { }`);
        assert.deepEqual(errors, []);
        assert.equal((file.blocks[0] as ProtocolBlock).title?.value, title);
      }),
      { numRuns: 200 },
    );
  });

  it('a state written as a `given` list resolves to the same state; an action as `expect` to the same decision', () => {
    const known = facts();
    fc.assert(
      fc.property(states, fc.constantFrom(...decisions), (state, decision) => {
        const block = testBlock({ title: 'round trip', given: stateItems(state, known), expect: expectText(decision) }, '  ');
        const { protocol, findings } = resolved(block.trim());
        const test = protocol.tests.find((item) => item.title === 'round trip');
        assert.ok(test, findings.map((item) => item.message).join('\n'));
        assert.deepEqual([...test.state].sort(), [...state].sort());
        assert.deepEqual(test.expected, decision);
      }),
      { numRuns: 40 },
    );
  });

  it('a test block on one line reads as the same test as on lines', () => {
    const known = facts();
    const state = new Map<string, FactValue>([['ANC', 400], ['febrile_neutropenia', false]]);
    const test = { title: 'a "quoted" title', given: stateItems(state, known), expect: 'hold' };
    assert.equal(testBlock(test), 'test "a \\"quoted\\" title" { given ANC = 400 /uL, not febrile_neutropenia expect hold }');
    const oneLine = resolved(testBlock(test)).protocol.tests.at(-1)!;
    const onLines = resolved(testBlock(test, '  ').trim()).protocol.tests.at(-1)!;
    assert.deepEqual([oneLine.title, [...oneLine.state], oneLine.expected], [onLines.title, [...onLines.state], onLines.expected]);
    assert.equal(stateText(new Map(), known), '');
  });

  it('a fact back at its default is written as its default where it can be', () => {
    const known = facts();
    assert.equal(factText('dialysis', undefined, known.get('dialysis')), 'not dialysis');
    assert.equal(factText('ANC', undefined, known.get('ANC')), 'ANC = 4000 /uL');
    assert.equal(factText('child_pugh', undefined, known.get('child_pugh')), undefined);
    assert.equal(factText('day', 8, known.get('day')), 'day 8');
  });

  it('a scenario block reads back as its steps: days, observations, expected actions', () => {
    const known = facts();
    const steps = [
      { when: 'cycle 1 day 1', observed: stateItems(new Map([['ANC', 400]]), known), expect: 'hold' },
      { when: 'cycle 1 day 2', observed: stateItems(new Map<string, FactValue | undefined>([['ANC', undefined]]), known), expect: 'dose 3 mg' },
      { when: 'day 30', observed: [], expect: 'no dose' },
    ];
    const { protocol, findings } = resolved(scenarioBlock('a "course"', steps).trim());
    const scenario = protocol.scenarios.find((item) => item.title === 'a "course"');
    assert.ok(scenario, findings.map((item) => item.message).join('\n'));
    assert.deepEqual(scenario.steps.map((step) => step.at), [{ kind: 'cycle', cycle: 1, day: 1 }, { kind: 'cycle', cycle: 1, day: 2 }, { kind: 'day', day: 30 }]);
    assert.deepEqual(scenario.steps.map((step) => [...step.observations]), [[['ANC', 400]], [['ANC', 4000]], []]);
    assert.deepEqual(scenario.steps.map((step) => step.expected?.kind), ['hold', 'dose', 'no dose']);
  });

  it('a rule written from each label constraint parses to a rule with that name, the label condition and an action of its kind, and resolves clean', () => {
    const { protocol } = resolved('');
    const { label } = protocol;
    for (const indication of label.indications.values()) {
      for (const constraint of indication.constraints) {
        const rule = ruleFromConstraint(label, indication, constraint, { taken: () => false });
        const text = protocolText(['drug pomalidomide', `indication ${indication.name}`, rule.text]);
        const { file, errors } = parse(text);
        assert.deepEqual(errors, [], rule.text);
        const [decl] = (file.blocks[0] as ProtocolBlock).rules;
        assert.equal(decl.name?.text, rule.name);
        const condition = decl.condition && text.slice(decl.condition.span.start, decl.condition.span.end);
        assert.equal(condition, label.text.slice(constraint.condition.span.start, constraint.condition.span.end).replace(/\s+/g, ' ').trim());
        const kind = { hold: 'hold', discontinue: 'discontinue', cap: 'dose', take: 'dose' }[constraint.kind];
        assert.equal(decl.action?.kind, kind, rule.text);
        const findings = analyzeProtocol(text).findings.filter((item) => item.span.start >= text.indexOf('rule ') && item.code !== 'POS3006' && item.code !== 'POS3033');
        assert.deepEqual(findings.map((item) => `${item.code} ${item.message}`), [], rule.text);
      }
    }
  });

  it('a cap on the condition of a timing is written with the timing, once, for the quick fix and the skeleton alike', () => {
    const { protocol } = resolved('');
    const { label } = protocol;
    const indication = label.indications.get('multiple_myeloma')!;
    const cap = indication.constraints.find((item) => item.kind === 'cap' && label.text.slice(item.condition.span.start, item.condition.span.end) === 'dialysis')!;
    const take = indication.constraints.find((item) => item.kind === 'take')!;
    assert.equal(ruleFromConstraint(label, indication, cap, { taken: () => false }).text, 'rule dialysis: when dialysis then dose 3 mg after dialysis');
    assert.equal(ruleFromConstraint(label, indication, take, { taken: (name) => name === 'dialysis' }).text, 'rule dialysis_2: when dialysis then dose 3 mg after dialysis');
  });

  it('quotes a label line with the source it cites, by its document title', () => {
    const { protocol } = resolved('');
    const { label } = protocol;
    const dose = label.indications.get('multiple_myeloma')!.dose!;
    const quotedLine = quoteLabelLine(label, dose.node);
    assert.equal(quotedLine.text, 'dose 4 mg oral once daily days 1-21 cycle 28 days');
    assert.ok(quotedLine.source && !quotedLine.source.includes('.txt'), quotedLine.source);
    assert.ok(quoteLabelLine(label, dose.node, true).source?.includes('.txt'));
    assert.equal(labelRelated(label, dose.node).message, `Label (pomalidomide): ${quotedLine.text} [source: ${quotedLine.source}]`);
  });
});
