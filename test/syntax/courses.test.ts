// SPEC-v2 (treatment courses): every form of its examples parses as written,
// into the tree of ast.ts, with precise spans, and broken lines recover. These
// tests are the oracle for any port of the grammar: they only read the tree.
import assert from 'node:assert/strict';
import type * as ast from '../../server/src/syntax/ast.js';
import { parse } from '../../server/src/syntax/parse.js';
import { readRepo } from '../helpers/repo.js';
import { syntaxMessage } from '../../server/src/diagnostics/problems.js';

const LABEL = readRepo('test', 'fixtures', 'v2', 'spec-v2-label.dose');
const PD = readRepo('test', 'fixtures', 'v2', 'spec-v2-pd.dose');
const PVD = readRepo('test', 'fixtures', 'v2', 'spec-v2-pvd.dose');

function only<K extends ast.Block['kind']>(text: string, kind: K): Extract<ast.Block, { kind: K }> {
  const result = parse(text);
  assert.deepEqual(result.errors, [], 'expected no syntax errors');
  assert.equal(result.file.blocks.length, 1);
  const block = result.file.blocks[0];
  assert.equal(block.kind, kind);
  return block as Extract<ast.Block, { kind: K }>;
}

const at = (text: string, span: ast.Span | undefined): string => {
  assert.ok(span, 'expected a span');
  return text.slice(span.start, span.end);
};

function wrapProtocol(body: string): string {
  return `protocol "p" {\n  drug pomalidomide\n${body}\n}\n`;
}

describe('SPEC-v2 syntax: labels', () => {
  const label = only(LABEL, 'label');
  const mm = label.indications[0];
  const ks = label.indications[1];

  it('reads `lowest dose` with its amount', () => {
    assert.equal(mm.lowest.length, 1);
    assert.equal(at(LABEL, mm.lowest[0].span), 'lowest dose 1 mg');
    assert.equal(mm.lowest[0].amount?.value, 1);
    assert.equal(mm.lowest[0].amount?.unit?.text, 'mg');
  });

  it('reads `requires` with amount, schedule and condition', () => {
    assert.equal(mm.requires.length, 2);
    const [young, old] = mm.requires;
    assert.equal(young.drug?.text, 'dexamethasone');
    assert.equal(young.amount?.value, 40);
    assert.equal(young.schedule.route?.text, 'oral');
    assert.deepEqual(young.schedule.days?.map((d) => [d.from, d.to]), [[1, 1], [8, 8], [15, 15], [22, 22]]);
    assert.equal(at(LABEL, young.condition?.span), 'age <= 75 a');
    assert.equal(old.amount?.value, 20);
    assert.equal(at(LABEL, old.span), 'requires dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a');
  });

  it('reads `before each cycle require`', () => {
    assert.equal(mm.gates.length, 1);
    assert.equal(at(LABEL, mm.gates[0].condition?.span), 'ANC >= 500 /uL and platelets >= 50000 /uL');
    assert.equal(mm.gates[0].condition?.kind, 'and');
  });

  it('reads `hold when ... until ... then resume at most previous - 1 mg`', () => {
    const holds = mm.constraints.filter((c): c is ast.StopConstraint => c.kind === 'hold');
    assert.equal(holds.length, 2);
    const until = holds[0].until;
    assert.ok(until);
    assert.equal(at(LABEL, holds[0].condition?.span), 'ANC < 500 /uL or febrile_neutropenia');
    assert.equal(at(LABEL, until.condition?.span), 'ANC >= 500 /uL');
    assert.equal(at(LABEL, until.keywordSpan), 'until');
    assert.equal(until.resume?.atMost, true);
    assert.equal(until.resume?.target?.kind, 'minus');
    assert.equal(at(LABEL, until.resume?.target?.span), 'previous - 1 mg');
    assert.equal(at(LABEL, until.resume?.span), 'resume at most previous - 1 mg');
    assert.equal(until.recurrence, undefined);
    assert.ok(at(LABEL, holds[0].span).endsWith('previous - 1 mg'));
  });

  it('reads `same dose` and `on recurrence` (KS)', () => {
    const hold = ks.constraints[0] as ast.StopConstraint;
    assert.equal(hold.until?.resume?.target?.kind, 'same');
    assert.equal(at(LABEL, hold.until?.resume?.target?.span), 'same dose');
    assert.equal(hold.until?.recurrence?.atMost, true);
    assert.equal(at(LABEL, hold.until?.recurrence?.target?.span), 'previous - 1 mg');
  });
});

describe('SPEC-v2 syntax: the Pd protocol', () => {
  const protocol = only(PD, 'protocol');

  it('reads `levels` in order', () => {
    assert.deepEqual(protocol.levels?.amounts.map((q) => `${q.value} ${q.unit?.text}`), ['4 mg', '3 mg', '2 mg', '1 mg']);
    assert.equal(at(PD, protocol.levels?.span), 'levels 4 mg, 3 mg, 2 mg, 1 mg');
  });

  it('reads `with` lines with a condition', () => {
    assert.equal(protocol.combinations.length, 2);
    assert.equal(at(PD, protocol.combinations[1].condition?.span), 'age > 75 a');
    assert.equal(protocol.combinations[1].amount?.value, 20);
  });

  it('reads a protocol fact and a gate', () => {
    assert.equal(protocol.facts.length, 1);
    assert.equal(protocol.facts[0].name?.text, 'toxicity');
    assert.equal(protocol.facts[0].type?.kind, 'enum');
    assert.equal(protocol.gates.length, 1);
    assert.equal(at(PD, protocol.gates[0].span), 'before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL');
  });

  it('reads a rule hold with `until ... resume at previous - 1 level`', () => {
    const rule = protocol.rules[0];
    assert.equal(rule.action?.kind, 'hold');
    const action = rule.action as Extract<ast.Action, { kind: 'hold' }>;
    assert.equal(at(PD, action.until?.condition?.span), 'ANC >= 500 /uL');
    const target = action.until?.resume?.target;
    assert.equal(target?.kind, 'levels');
    assert.equal(target?.kind === 'levels' && target.count, 1);
    assert.equal(action.until?.resume?.atMost, false);
    assert.equal(at(PD, target?.span), 'previous - 1 level');
    assert.equal(protocol.rules.length, 5);
    assert.equal(protocol.rules[2].action?.kind, 'hold');
  });

  it('reads expectations with companions', () => {
    const [day1, old] = protocol.tests;
    assert.equal(day1.expect?.kind, 'dose');
    assert.equal(day1.companions.length, 1);
    assert.equal(day1.companions[0].drug?.text, 'dexamethasone');
    assert.equal(day1.companions[0].amount?.value, 40);
    assert.equal(at(PD, day1.expectSpan), 'expect dose 4 mg, dexamethasone 40 mg');
    assert.equal(old.companions[0].amount?.value, 20);
  });

  it('reads scenarios step by step', () => {
    assert.equal(protocol.scenarios.length, 2);
    const [episodes, waits] = protocol.scenarios;
    assert.equal(episodes.title?.value, 'two neutropenia episodes');
    assert.equal(episodes.steps.length, 6);
    const second = episodes.steps[1];
    assert.deepEqual(second.at && { ...second.at, span: undefined }, { kind: 'cycle', cycle: 1, day: 8, span: undefined });
    assert.equal(at(PD, second.at?.span), 'cycle 1 day 8');
    assert.equal(second.observations.length, 1);
    assert.equal(at(PD, second.observations[0].span), 'ANC = 450 /uL');
    assert.equal(second.expect?.kind, 'hold');
    assert.equal(at(PD, second.expectSpan), 'expect hold');
    assert.equal(episodes.steps[0].observations.length, 0);
    assert.equal(waits.steps[1].at?.kind, 'day');
    assert.equal(waits.steps[1].at?.kind === 'day' && waits.steps[1].at.day, 29);
    const last = waits.steps[2];
    assert.deepEqual(last.position && [last.position.cycle, last.position.day], [2, 1]);
    assert.equal(at(PD, last.position?.span), '(cycle 2 day 1)');
    assert.equal(at(PD, last.expectSpan), 'expect dose 4 mg');
    assert.equal(at(PD, last.span), 'day 36: platelets = 80000 /uL expect dose 4 mg (cycle 2 day 1)');
  });
});

describe('SPEC-v2 syntax: whole regimens (syntax only)', () => {
  const protocol = only(PVD, 'protocol');
  const withs = protocol.combinations;

  it('reads doses per m2 and kg, routes, cycles ranges and from cycle', () => {
    assert.equal(withs[0].amount?.unit?.text, 'mg/m2');
    assert.equal(withs[0].schedule.route?.text, 'sc');
    assert.deepEqual(withs[0].schedule.cycles && [withs[0].schedule.cycles.from, withs[0].schedule.cycles.to], [1, 8]);
    assert.equal(at(PVD, withs[0].schedule.cycles?.span), 'cycles 1-8');
    assert.equal(withs[1].schedule.cycles?.from, 9);
    assert.equal(withs[1].schedule.cycles?.to, undefined);
    assert.equal(at(PVD, withs[1].schedule.cycles?.span), 'from cycle 9');
  });

  it('reads frequencies and weeks', () => {
    assert.equal(withs[4].amount?.unit?.text, 'mg/kg');
    assert.equal(withs[4].schedule.route?.text, 'iv');
    assert.equal(withs[4].schedule.frequency?.text, 'once weekly');
    assert.deepEqual(withs[4].schedule.weeks?.map((w) => [w.from, w.to]), [[1, 8]]);
    assert.equal(withs[5].schedule.frequency?.text, 'every 2 weeks');
    assert.equal(at(PVD, withs[5].schedule.frequency?.span), 'every 2 weeks');
    assert.equal(withs[6].schedule.frequency?.text, 'twice daily');
  });

  it('reads deviations on `with`, protocol facts with a unit, `day` and `cycle` in conditions', () => {
    assert.deepEqual(protocol.deviations.map((d) => d.topic?.text), ['cycle', 'with']);
    assert.equal(protocol.facts[0].type?.kind, 'quantity');
    const first = protocol.rules[0].condition;
    assert.equal(first?.kind, 'and');
    const day = first?.kind === 'and' ? first.operands[0] : undefined;
    assert.equal(day?.kind, 'compare');
    assert.equal(day?.kind === 'compare' && day.fact.text, 'day');
    const late = protocol.rules[3].condition;
    assert.equal(late?.kind === 'compare' && late.fact.text, 'cycle');
  });

  it('reads rules naming drugs, `same dose`, an amount and `on recurrence` in rules', () => {
    const same = protocol.rules[0].action as Extract<ast.Action, { kind: 'hold' }>;
    assert.equal(same.until?.resume?.target?.kind, 'same');
    const both = protocol.rules[1].action as Extract<ast.Action, { kind: 'hold' }>;
    assert.deepEqual(both.drugs?.map((d) => d.text), ['pomalidomide', 'dexamethasone']);
    assert.equal(at(PVD, both.span), 'hold pomalidomide, dexamethasone');
    const fixed = protocol.rules[2].action as Extract<ast.Action, { kind: 'hold' }>;
    assert.equal(fixed.until?.resume?.target?.kind, 'amount');
    assert.equal(fixed.until?.recurrence?.target?.kind, 'minus');
    assert.equal(at(PVD, fixed.until?.recurrence?.span), 'resume at previous - 1 mg');
  });

  it('reads `cycle N` in a test and `no DRUG` as a companion', () => {
    const test = protocol.tests[0];
    assert.deepEqual(test.given.map((g) => g.fact.text), ['age', 'cycle', 'day']);
    assert.deepEqual(test.companions.map((c) => [c.drug?.text, c.none]), [['dexamethasone', true]]);
  });
});

describe('SPEC-v2 syntax: recovery', () => {
  it('a broken until keeps the rule and the next rule', () => {
    const text = wrapProtocol('  rule a: when ANC < 500 /uL then hold until then resume at 3 mg\n  rule b: when dialysis then hold');
    const { file, errors } = parse(text);
    assert.equal(errors.length, 1);
    const protocol = file.blocks[0] as ast.ProtocolBlock;
    assert.deepEqual(protocol.rules.map((r) => r.name?.text), ['a', 'b']);
  });

  it('a resume with no target is reported at the end of its line and the next line is read', () => {
    const text = wrapProtocol('  rule a: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at\n  levels 4 mg, 3 mg');
    const { file, errors } = parse(text);
    assert.equal(errors.length, 1);
    assert.match(syntaxMessage(errors[0]), /Expected 'same', 'previous' or a number, found 'levels'/);
    const offset = text.indexOf('resume at') + 'resume at'.length;
    assert.deepEqual(errors[0].span, { start: offset, end: offset });
    const protocol = file.blocks[0] as ast.ProtocolBlock;
    assert.equal(protocol.levels?.amounts.length, 2);
  });

  it('a broken scenario step is dropped and the next step is read', () => {
    const text = wrapProtocol('  scenario "s" {\n    cycle 1 day: expect hold\n    day 8: ANC = 400 /uL expect hold\n  }\n  rule r: when dialysis then hold');
    const { file, errors } = parse(text);
    assert.equal(errors.length, 1);
    const protocol = file.blocks[0] as ast.ProtocolBlock;
    assert.equal(protocol.scenarios[0].steps.length, 2);
    assert.equal(protocol.scenarios[0].steps[1].at?.kind, 'day');
    assert.equal(protocol.rules.length, 1);
  });

  it('a scenario with no closing brace does not swallow the next protocol line', () => {
    const text = wrapProtocol('  scenario "s" {\n    day 8: ANC = 400 /uL expect hold\n  rule r: when dialysis then hold');
    const { file, errors } = parse(text);
    assert.ok(errors.length >= 1);
    const protocol = file.blocks[0] as ast.ProtocolBlock;
    assert.equal(protocol.scenarios[0].steps.length, 1);
    assert.equal(protocol.rules.length, 1);
  });

  it('a gate missing `require` is reported and its condition still read', () => {
    const text = wrapProtocol('  before each cycle ANC >= 500 /uL');
    const { file, errors } = parse(text);
    assert.equal(errors.length, 1);
    assert.match(syntaxMessage(errors[0]), /Expected 'require'/);
    const protocol = file.blocks[0] as ast.ProtocolBlock;
    assert.equal(protocol.gates.length, 1);
  });

  it('v1 forms keep their tree: a hold with no until has neither drugs nor until', () => {
    const text = wrapProtocol('  rule a: when ANC < 500 /uL then hold\n  test "t" { given ANC = 400 /uL expect hold }');
    const protocol = only(text, 'protocol');
    const action = protocol.rules[0].action as Extract<ast.Action, { kind: 'hold' }>;
    assert.equal(action.until, undefined);
    assert.equal(action.drugs, undefined);
    assert.deepEqual(protocol.tests[0].companions, []);
  });
});
