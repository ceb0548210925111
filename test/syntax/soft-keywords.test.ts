// The keywords of SPEC-v2 are soft: where the grammar expects a name they are
// one (a v1 file that named a rule `resume` or a fact `levels` keeps its
// meaning), and where the keyword may come they are the keyword.
import assert from 'node:assert/strict';
import type * as ast from '../../server/src/syntax/ast.js';
import { parse } from '../../server/src/syntax/parse.js';
import { syntaxMessage } from '../../server/src/diagnostics/problems.js';

function protocolOf(body: string): ast.ProtocolBlock {
  const { file, errors } = parse(`protocol "p" {\n  drug pomalidomide\n${body}\n}\n`);
  assert.deepEqual(errors, []);
  return file.blocks[0] as ast.ProtocolBlock;
}

describe('syntax: soft keywords', () => {
  it('are names where a name is expected: rule and fact names, facts in conditions and tests, enum values, drugs', () => {
    const protocol = protocolOf([
      '  fact levels "L": one of same, every',
      '  rule resume: when levels = same and until > 3 /uL then hold',
      '  rule scenario: when before in (each, on) then dose 3 mg after recurrence',
      '  test "t" { given levels = same, not until expect hold, from 20 mg, no weeks }',
    ].join('\n'));
    assert.deepEqual(protocol.facts.map((f) => f.name?.text), ['levels']);
    assert.deepEqual(protocol.facts[0].type?.kind === 'enum' && protocol.facts[0].type.values.map((v) => v.text), ['same', 'every']);
    assert.deepEqual(protocol.rules.map((r) => r.name?.text), ['resume', 'scenario']);
    const [resume, scenario] = protocol.rules;
    assert.equal(resume.condition?.kind, 'and');
    assert.equal(resume.action?.kind, 'hold');
    assert.equal(scenario.condition?.kind === 'in' && scenario.condition.fact.text, 'before');
    assert.equal(scenario.action?.kind === 'dose' && scenario.action.timing?.event?.text, 'recurrence');
    const test = protocol.tests[0];
    assert.deepEqual(test.given.map((g) => [g.fact.text, g.negated]), [['levels', false], ['until', true]]);
    assert.deepEqual(test.companions.map((c) => [c.drug?.text, c.none]), [['from', false], ['weeks', true]]);
  });

  it('are keywords where the keyword may follow an optional name: a hold names no drug `until`, a route is not `every`', () => {
    const protocol = protocolOf([
      '  with dexamethasone 20 mg every 2 weeks',
      '  rule a: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at same dose',
      '  rule b: when dialysis then hold lenalidomide, levels until dialysis then resume at 3 mg',
    ].join('\n'));
    assert.equal(protocol.combinations[0].schedule.route, undefined);
    assert.equal(protocol.combinations[0].schedule.frequency?.text, 'every 2 weeks');
    const [a, b] = protocol.rules.map((r) => r.action as Extract<ast.Action, { kind: 'hold' }>);
    assert.equal(a.drugs, undefined);
    assert.equal(a.until?.resume?.target?.kind, 'same');
    assert.deepEqual(b.drugs?.map((d) => d.text), ['lenalidomide', 'levels']);
    assert.equal(b.until?.resume?.target?.kind, 'amount');
  });

  it('`until` after a discontinue is an error, not dropped (only a hold resumes)', () => {
    const label = 'label x "X" {\n  indication i {\n    discontinue when ANC < 500 /uL until ANC >= 500 /uL then resume at most 3 mg\n  }\n}\n';
    const { errors } = parse(label);
    assert.deepEqual(errors.map((error) => error.kind), ['UntilAfterDiscontinue']);
    assert.match(syntaxMessage(errors[0]), /^'discontinue' stops the drug for good/);
    const rule = parse('protocol "p" {\n  rule a: when dialysis then discontinue until dialysis then resume at 3 mg\n}\n');
    assert.deepEqual(rule.errors.map((error) => error.kind), ['UntilAfterDiscontinue']);
  });

  it('a step written `cycle 1 mg 8` says it expected `day`', () => {
    const { errors } = parse('protocol "p" {\n  scenario "s" {\n    cycle 1 mg 8: expect hold\n  }\n}\n');
    assert.equal(errors.length, 1);
    assert.match(syntaxMessage(errors[0]), /Expected 'day', found 'mg'/);
  });
});

describe('syntax: document lines', () => {
  it('reads `document "file" "title"` in a label, and reports a missing title', () => {
    const text = 'label x "X" {\n  document "000_abc.txt" "Demo label summary"\n  fact f "F": boolean\n}\n';
    const { file, errors } = parse(text);
    assert.deepEqual(errors, []);
    const label = file.blocks[0] as ast.LabelBlock;
    assert.deepEqual(label.documents.map((d) => [d.file?.value, d.title?.value]), [['000_abc.txt', 'Demo label summary']]);
    assert.equal(text.slice(label.documents[0].span.start, label.documents[0].span.end), 'document "000_abc.txt" "Demo label summary"');
    const broken = parse('label x "X" {\n  document "000_abc.txt"\n  fact f "F": boolean\n}\n');
    assert.equal(broken.errors.length, 1);
    assert.match(syntaxMessage(broken.errors[0]), /Expected text in quotes, found 'fact'/);
    assert.equal((broken.file.blocks[0] as ast.LabelBlock).facts.length, 1);
  });
});
