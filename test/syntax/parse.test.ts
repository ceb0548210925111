// parse(text): the two example blocks of SPEC.md parse without errors into the
// expected tree, and spot checks of the tree's shape and spans.
import assert from 'node:assert/strict';
import type * as ast from '../../server/src/syntax/ast.js';
import { parse } from '../../server/src/syntax/parse.js';
import { readRepo } from '../helpers/repo.js';

const SPEC_LABEL = readRepo('test', 'fixtures', 'spec-label.dose');

const SPEC_PROTOCOL = readRepo('test', 'fixtures', 'spec-protocol.dose');

function parseClean(text: string): ast.DoseFile {
  const result = parse(text);
  assert.deepEqual(result.errors, [], 'expected no syntax errors');
  return result.file;
}

function onlyLabel(text: string): ast.LabelBlock {
  const file = parseClean(text);
  assert.equal(file.blocks.length, 1);
  const block = file.blocks[0];
  assert.equal(block.kind, 'label');
  return block;
}

function onlyProtocol(text: string): ast.ProtocolBlock {
  const file = parseClean(text);
  assert.equal(file.blocks.length, 1);
  const block = file.blocks[0];
  assert.equal(block.kind, 'protocol');
  return block;
}

/** The source text a span covers. */
const at = (text: string, span: ast.Span | undefined): string => {
  assert.ok(span, 'expected a span');
  return text.slice(span.start, span.end);
};

/** An expression as a compact string: (or ANC<500/uL febrile_neutropenia). */
function show(expr: ast.Expr | undefined): string {
  if (!expr) return '?';
  switch (expr.kind) {
    case 'fact':
      return expr.name.text;
    case 'compare': {
      const value = expr.value;
      const written = !value ? '?' : 'kind' in value ? `${value.valueText}${value.unit?.text ?? ''}` : value.text;
      return `${expr.fact.text}${expr.op}${written}`;
    }
    case 'in':
      return `${expr.fact.text} in (${expr.values.map((value) => value.text).join(',')})`;
    case 'not':
      return `(not ${show(expr.operand)})`;
    case 'and':
    case 'or':
      return `(${expr.kind} ${expr.operands.map(show).join(' ')})`;
  }
}

describe('syntax: parse', () => {
  describe('the label sketch of SPEC.md', () => {
    it('parses without errors into one label with 9 facts and 2 indications', () => {
      const label = onlyLabel(SPEC_LABEL);
      assert.equal(label.name?.text, 'pomalidomide');
      assert.equal(label.title?.value, 'Pomalidomide (Pomalyst, Imnovid), oral capsules');
      assert.deepEqual(
        label.facts.map((fact) => fact.name?.text),
        ['ANC', 'platelets', 'febrile_neutropenia', 'dialysis', 'renal_impairment', 'child_pugh', 'strong_cyp1a2_inhibitor', 'sjs_ten', 'pregnant'],
      );
      assert.deepEqual(label.indications.map((indication) => indication.name?.text), ['multiple_myeloma', 'kaposi_sarcoma']);
    });

    it('reads the three kinds of fact type', () => {
      const label = onlyLabel(SPEC_LABEL);
      const type = (name: string) => label.facts.find((fact) => fact.name?.text === name)?.type;
      const anc = type('ANC');
      assert.equal(anc?.kind, 'quantity');
      assert.equal(anc.kind === 'quantity' && anc.unit?.text, '/uL');
      assert.equal(type('dialysis')?.kind, 'boolean');
      const childPugh = type('child_pugh');
      assert.equal(childPugh?.kind, 'enum');
      assert.deepEqual(childPugh.kind === 'enum' && childPugh.values.map((value) => value.text), ['A', 'B', 'C']);
      assert.equal(label.facts[0].title?.value, 'Absolute neutrophil count');
    });

    it('reads the multiple myeloma dose, requirement and constraints in order', () => {
      const mm = onlyLabel(SPEC_LABEL).indications[0];
      assert.equal(mm.doses.length, 1);
      const dose = mm.doses[0];
      assert.equal(dose.amount?.kind, 'absolute');
      assert.equal(dose.amount?.amount?.value, 4);
      assert.equal(dose.amount?.amount?.unit?.text, 'mg');
      assert.equal(dose.schedule.route?.text, 'oral');
      assert.equal(dose.schedule.frequency?.text, 'once daily');
      assert.deepEqual(dose.schedule.days?.map(({ from, to }) => [from, to]), [[1, 21]]);
      assert.equal(dose.schedule.cycle?.value, 28);
      assert.equal(dose.schedule.cycle?.unit?.text, 'days');
      assert.equal(dose.source?.text?.value, '000_60b36539cf3d3ced.txt: Recommended Dosage for MM');

      assert.deepEqual(mm.requires.map((requirement) => requirement.drug?.text), ['dexamethasone']);
      assert.deepEqual(
        mm.constraints.map((constraint) => constraint.kind),
        ['hold', 'hold', 'cap', 'cap', 'cap', 'cap', 'discontinue', 'discontinue'],
      );
      assert.deepEqual(
        mm.constraints.map((constraint) => show(constraint.condition)),
        [
          '(or ANC<500/uL febrile_neutropenia)',
          'platelets<25000/uL',
          'dialysis',
          'child_pugh in (A,B)',
          'child_pugh=C',
          'strong_cyp1a2_inhibitor',
          'sjs_ten',
          'pregnant',
        ],
      );
      const firstHold = mm.constraints[0];
      assert.equal(firstHold.source?.text?.value, '000_60b36539cf3d3ced.txt: Neutropenia, MM Patients');
      assert.equal(mm.constraints[1].source, undefined, 'a source belongs to the line before it only');
      const cap = mm.constraints[2];
      assert.equal(cap.kind === 'cap' && cap.amount?.amount?.value, 3);
    });

    it('gives every node a span over its own text', () => {
      const label = onlyLabel(SPEC_LABEL);
      const mm = label.indications[0];
      assert.equal(at(SPEC_LABEL, mm.doses[0].span), 'dose 4 mg oral once daily days 1-21 cycle 28 days');
      assert.equal(at(SPEC_LABEL, mm.doses[0].schedule.daysSpan), 'days 1-21');
      assert.equal(at(SPEC_LABEL, mm.constraints[0].span), 'hold when ANC < 500 /uL or febrile_neutropenia');
      assert.equal(at(SPEC_LABEL, mm.constraints[0].condition?.span), 'ANC < 500 /uL or febrile_neutropenia');
      assert.equal(at(SPEC_LABEL, mm.constraints[3].span), 'at most 3 mg when child_pugh in (A, B)');
      assert.equal(at(SPEC_LABEL, label.facts[5].span), 'fact child_pugh "Child-Pugh class": one of A, B, C');
      assert.equal(at(SPEC_LABEL, label.name?.span), 'pomalidomide');
      assert.ok(at(SPEC_LABEL, label.span).startsWith('label pomalidomide'));
      assert.ok(at(SPEC_LABEL, label.span).endsWith('}'));
    });

    it('collects the comment line', () => {
      const file = parseClean(SPEC_LABEL);
      assert.equal(file.comments.length, 1);
      assert.ok(at(SPEC_LABEL, file.comments[0]).startsWith('// labels/pomalidomide.dose'));
    });

    it('reads the Kaposi sarcoma indication', () => {
      const ks = onlyLabel(SPEC_LABEL).indications[1];
      assert.equal(ks.title?.value, 'Kaposi sarcoma: HIV-positive after HAART failure, or HIV-negative');
      assert.equal(ks.doses[0].amount?.amount?.value, 5);
      assert.deepEqual(ks.constraints.map((constraint) => show(constraint.condition)), ['ANC<1000/uL', 'renal_impairment', 'child_pugh in (A,B,C)']);
    });
  });

  describe('the protocol example of SPEC.md', () => {
    it('parses without errors into one protocol', () => {
      const protocol = onlyProtocol(SPEC_PROTOCOL);
      assert.equal(protocol.title?.value, 'Pd: pomalidomide + low-dose dexamethasone');
      assert.equal(protocol.drug?.text, 'pomalidomide');
      assert.equal(protocol.indication?.text, 'multiple_myeloma');
      assert.equal(protocol.rules.length, 8);
      assert.equal(protocol.tests.length, 4);
      assert.deepEqual(protocol.deviations, []);
    });

    it('reads the start line and the combination', () => {
      const protocol = onlyProtocol(SPEC_PROTOCOL);
      assert.equal(at(SPEC_PROTOCOL, protocol.start?.span), 'start 4 mg oral once daily days 1-21 cycle 28 days');
      assert.equal(at(SPEC_PROTOCOL, protocol.start?.amount?.span), '4 mg');
      assert.equal(at(SPEC_PROTOCOL, protocol.start?.schedule.cycle?.span), '28 days');
      const [dex] = protocol.combinations;
      assert.equal(dex.drug?.text, 'dexamethasone');
      assert.equal(at(SPEC_PROTOCOL, dex.amount?.span), '40 mg');
      assert.equal(dex.schedule.route?.text, 'oral');
      assert.deepEqual(dex.schedule.days?.map(({ from, to }) => [from, to]), [[1, 1], [8, 8], [15, 15], [22, 22]]);
      assert.equal(at(SPEC_PROTOCOL, dex.schedule.daysSpan), 'days 1, 8, 15, 22');
    });

    it('reads each rule: name, condition and action', () => {
      const protocol = onlyProtocol(SPEC_PROTOCOL);
      const rules = protocol.rules.map((rule) => {
        const action = rule.action;
        let written: string = action?.kind ?? '?';
        if (action?.kind === 'dose') {
          written = `dose ${at(SPEC_PROTOCOL, action.amount?.span)}${action.timing ? ` ${action.timing.relation.text} ${action.timing.event?.text}` : ''}`;
        }
        return `${rule.name?.text}: ${show(rule.condition)} -> ${written}`;
      });
      assert.deepEqual(rules, [
        'neutropenia: (or ANC<500/uL febrile_neutropenia) -> hold',
        'thrombocytopenia: platelets<25000/uL -> hold',
        'dialysis: dialysis -> dose 3 mg after dialysis',
        'hepatic_mild: child_pugh in (A,B) -> dose 3 mg',
        'hepatic_severe: child_pugh=C -> dose 2 mg',
        'cyp1a2: strong_cyp1a2_inhibitor -> dose 2 mg',
        'skin: sjs_ten -> discontinue',
        'pregnancy: pregnant -> discontinue',
      ]);
      assert.equal(
        at(SPEC_PROTOCOL, protocol.rules[0].span),
        'rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold',
      );
    });

    it('reads each test: title, givens and expected action', () => {
      const protocol = onlyProtocol(SPEC_PROTOCOL);
      const [day1, rest, grade4, dialysis] = protocol.tests;
      assert.equal(day1.title?.value, 'day 1 of a cycle');
      assert.equal(day1.given.length, 1);
      assert.equal(day1.given[0].fact.text, 'day');
      const dayValue = day1.given[0].value;
      assert.ok(dayValue && 'kind' in dayValue);
      assert.equal(dayValue.value, 1);
      assert.equal(dayValue.unit, undefined, 'a day is a plain number');
      assert.equal(at(SPEC_PROTOCOL, day1.expectSpan), 'expect dose 4 mg');

      assert.equal(rest.expect?.kind, 'no dose');

      const anc = grade4.given[0];
      assert.equal(anc.fact.text, 'ANC');
      assert.ok(anc.value && 'kind' in anc.value);
      assert.equal(anc.value.valueText, '0.4');
      assert.equal(anc.value.unit?.text, '10*9/L');
      assert.equal(grade4.expect?.kind, 'hold');

      assert.deepEqual(dialysis.given.map((given) => [given.fact.text, given.value, given.negated]), [
        ['dialysis', undefined, false],
        ['strong_cyp1a2_inhibitor', undefined, false],
      ]);
      const expected = dialysis.expect;
      assert.equal(expected?.kind, 'dose');
      assert.equal(expected.kind === 'dose' && expected.timing?.event?.text, 'dialysis');
      assert.equal(at(SPEC_PROTOCOL, dialysis.expectSpan), 'expect dose 2 mg after dialysis');
    });

    it('parses both SPEC blocks in one file', () => {
      const file = parseClean(SPEC_LABEL + SPEC_PROTOCOL);
      assert.deepEqual(file.blocks.map((block) => block.kind), ['label', 'protocol']);
      assert.equal(file.comments.length, 2);
      assert.deepEqual(file.span, { start: 0, end: (SPEC_LABEL + SPEC_PROTOCOL).length });
    });
  });

  describe('other forms of the grammar', () => {
    it('gives `or` lower precedence than `and`, and `and` lower than `not`', () => {
      const protocol = onlyProtocol('protocol { rule r: when a or b and not c or (d or e) and f then hold }');
      assert.equal(show(protocol.rules[0].condition), '(or a (and b (not c)) (and (or d e) f))');
    });

    it('reads every comparison operator', () => {
      const ops = ['<', '<=', '>', '>=', '=', '!='];
      const text = `protocol {\n${ops.map((op, i) => `  rule r${i}: when x ${op} 1 mg then hold`).join('\n')}\n}`;
      const protocol = onlyProtocol(text);
      assert.deepEqual(protocol.rules.map((rule) => rule.condition?.kind === 'compare' && rule.condition.op), ops);
      const first = protocol.rules[0].condition;
      assert.equal(first?.kind === 'compare' && at(text, first.opSpan), '<');
    });

    it('reads enum and boolean values on the right of a comparison', () => {
      const protocol = onlyProtocol('protocol { rule a: when child_pugh = C then hold rule b: when dialysis = true then hold rule c: when dialysis != false then hold }');
      assert.deepEqual(protocol.rules.map((rule) => show(rule.condition)), ['child_pugh=C', 'dialysis=true', 'dialysis!=false']);
    });

    it('reads a relative dose, `no dose`, deviations, notes and `not` in givens', () => {
      const text = `protocol "p" {
  rule resume: when resuming then dose previous - 1 mg
  rule rest: when tired then no dose
  deviation cycle "OPTIMISMM regimen"
  deviation days
  note "a note"
  test "t" { given not dialysis, child_pugh = A, previous_dose = 4 mg expect dose 3 mg }
}`;
      const protocol = onlyProtocol(text);
      const resume = protocol.rules[0].action;
      assert.equal(resume?.kind, 'dose');
      assert.equal(resume.kind === 'dose' && resume.amount?.kind, 'relative');
      assert.equal(resume.kind === 'dose' && at(text, resume.amount?.span), 'previous - 1 mg');
      assert.equal(resume.kind === 'dose' && resume.amount?.amount?.value, 1);
      assert.equal(protocol.rules[1].action?.kind, 'no dose');
      assert.deepEqual(protocol.deviations.map((deviation) => [deviation.topic?.text, deviation.reason?.value]), [
        ['cycle', 'OPTIMISMM regimen'],
        ['days', undefined],
      ]);
      assert.deepEqual(protocol.notes.map((note) => note.value), ['a note']);
      const given = protocol.tests[0].given;
      assert.deepEqual(given.map((item) => [item.fact.text, item.negated]), [['dialysis', true], ['child_pugh', false], ['previous_dose', false]]);
    });

    it('reads a protocol without a title and a test without givens', () => {
      const protocol = onlyProtocol('protocol { test "t" { expect hold } }');
      assert.equal(protocol.title, undefined);
      assert.deepEqual(protocol.tests[0].given, []);
      assert.equal(protocol.tests[0].expect?.kind, 'hold');
    });

    it('reads label aliases, notes, a `normal` value, a relative cap and a timing constraint', () => {
      const text = `label d "D" {
  alias "Brand", "Other"
  note "label note"
  fact level "Level": quantity mg/dL normal 1.5 mg/dL
    note "fact note"
  fact resuming: boolean
  indication i {
    note "indication note"
    dose 10 mg
    requires other_drug 20 mg when resuming
    at most previous - 1 mg when resuming
    take after dialysis when resuming
      source "s: t"
  }
}`;
      const label = onlyLabel(text);
      assert.deepEqual(label.aliases.map((alias) => alias.value), ['Brand', 'Other']);
      assert.deepEqual(label.notes.map((note) => note.value), ['label note']);
      const level = label.facts[0];
      assert.equal(level.type?.kind === 'quantity' && level.type.normal?.value, 1.5);
      assert.equal(level.type?.kind === 'quantity' && level.type.unit?.text, 'mg/dL');
      assert.deepEqual(level.notes.map((note) => note.value), ['fact note']);
      const indication = label.indications[0];
      assert.deepEqual(indication.notes.map((note) => note.value), ['indication note']);
      assert.equal(indication.requires[0].amount?.value, 20);
      assert.equal(show(indication.requires[0].condition), 'resuming');
      const [cap, take] = indication.constraints;
      assert.equal(cap.kind === 'cap' && cap.amount?.kind, 'relative');
      assert.equal(take.kind === 'take' && take.timing?.event?.text, 'dialysis');
      assert.equal(take.source?.text?.value, 's: t');
    });

    it('reads escapes in strings and block comments', () => {
      const text = 'protocol "say \\"hi\\" \\\\ there" { /* a\nblock */ drug x }';
      const file = parseClean(text);
      const protocol = file.blocks[0] as ast.ProtocolBlock;
      assert.equal(protocol.title?.value, 'say "hi" \\ there');
      assert.equal(protocol.drug?.text, 'x');
      assert.equal(at(text, file.comments[0]), '/* a\nblock */');
    });

    it('parses an empty file and a file of comments to no blocks and no errors', () => {
      assert.deepEqual(parse(''), { file: { blocks: [], comments: [], span: { start: 0, end: 0 } }, errors: [] });
      const result = parse('// only a comment\n/* and another */\n');
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.file.blocks, []);
      assert.equal(result.file.comments.length, 2);
    });
  });
});
