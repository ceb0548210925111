// What the lexer makes of units, keywords and comments, seen through the tree:
// the text right after a number is its unit unless it is a keyword (other than
// day/days) or a comment; keywords never split a longer name.
import assert from 'node:assert/strict';
import type * as ast from '../../server/src/syntax/ast.js';
import { parse } from '../../server/src/syntax/parse.js';
import { syntaxMessage } from '../../server/src/diagnostics/problems.js';

function protocol(text: string): ast.ProtocolBlock {
  const result = parse(text);
  assert.deepEqual(result.errors, [], `no syntax errors in ${JSON.stringify(text)}`);
  const block = result.file.blocks[0];
  assert.equal(block?.kind, 'protocol');
  return block;
}

/** The value and unit of `ANC < QUANTITY` as the parser read them. */
function threshold(quantity: string): { value: number; unit: string | undefined; text: string } {
  const text = `protocol { rule r: when ANC < ${quantity} then hold }`;
  const condition = protocol(text).rules[0].condition;
  assert.ok(condition?.kind === 'compare', `a comparison in ${text}`);
  const value = condition.value;
  assert.ok(value && 'kind' in value, 'a quantity');
  return { value: value.value, unit: value.unit?.text, text: text.slice(value.span.start, value.span.end) };
}

describe('syntax: lexing', () => {
  describe('units after numbers', () => {
    const cases: [string, number, string][] = [
      ['500 /uL', 500, '/uL'],
      ['500/uL', 500, '/uL'],
      ['0.4 10*9/L', 0.4, '10*9/L'],
      ['0.4 x10^9/L', 0.4, 'x10^9/L'],
      ['0.4x10^9/L', 0.4, 'x10^9/L'],
      ['500 cells/uL', 500, 'cells/uL'],
      ['400/μL', 400, '/μL'],
      ['400 /µL', 400, '/µL'],
      ['1.5e3 /uL', 1500, '/uL'],
      ['500 {cells}/uL', 500, '{cells}/uL'],
      ['30 mL/min', 30, 'mL/min'],
      ['5 %', 5, '%'],
      ['75 a', 75, 'a'],
      ['28 days', 28, 'days'],
      ['1 day', 1, 'day'],
      ['25 thou/uL', 25, 'thou/uL'],
    ];
    for (const [written, value, unit] of cases) {
      it(`reads ${written}`, () => {
        const read = threshold(written);
        assert.equal(read.value, value);
        assert.equal(read.unit, unit);
        assert.equal(read.text, written, 'the quantity spans the number and the unit');
      });
    }

    it('reads `28 days` after `cycle` as a unit although `days` is a keyword', () => {
      const start = protocol('protocol { start 4 mg oral once daily days 1-21 cycle 28 days }').start;
      assert.equal(start?.schedule.cycle?.value, 28);
      assert.equal(start?.schedule.cycle?.unit?.text, 'days');
      assert.deepEqual(start?.schedule.days?.map(({ from, to }) => [from, to]), [[1, 21]], "21 is followed by 'cycle', not a unit");
    });

    it('does not read a keyword after a number as a unit: `given day 1 expect`', () => {
      const test = protocol('protocol { test "t" { given day 1 expect hold } }').tests[0];
      assert.equal(test.given[0].fact.text, 'day');
      const value = test.given[0].value;
      assert.ok(value && 'kind' in value);
      assert.equal(value.value, 1);
      assert.equal(value.unit, undefined);
      assert.equal(test.expect?.kind, 'hold');
    });

    it('does not read other keywords after a number as units', () => {
      const text = 'label d { fact x: boolean indication i { dose 4 mg at most 3 mg when x hold when y < 2 mg or x } }';
      const result = parse(text);
      assert.deepEqual(result.errors, []);
      const label = result.file.blocks[0] as ast.LabelBlock;
      assert.deepEqual(label.indications[0].constraints.map((constraint) => constraint.kind), ['cap', 'hold']);
    });

    it('does not read a line comment after a number as a unit: `days 1-21 // comment`', () => {
      const text = 'protocol {\n  start 4 mg oral days 1-21 // comment\n  drug pomalidomide\n}';
      const block = protocol(text);
      assert.deepEqual(block.start?.schedule.days?.map(({ from, to }) => [from, to]), [[1, 21]]);
      assert.equal(block.drug?.text, 'pomalidomide');
      const file = parse(text).file;
      assert.deepEqual(file.comments.map((span) => text.slice(span.start, span.end)), ['// comment']);
    });

    it('does not read a block comment after a number as a unit', () => {
      const text = 'protocol { start 4 mg oral days 1-21 /* rest week */ cycle 28 days }';
      const block = protocol(text);
      assert.deepEqual(block.start?.schedule.days?.map(({ from, to }) => [from, to]), [[1, 21]]);
      assert.equal(block.start?.schedule.cycle?.value, 28);
    });

    it('keeps a route out of the unit: `4 mg oral`', () => {
      const start = protocol('protocol { start 4 mg oral }').start;
      assert.equal(start?.amount?.amount?.unit?.text, 'mg');
      assert.equal(start?.schedule.route?.text, 'oral');
    });

    it('reads a day list: `days 1, 8, 15, 22`', () => {
      const combination = protocol('protocol { with dexamethasone 40 mg oral days 1, 8, 15, 22 }').combinations[0];
      assert.deepEqual(combination.schedule.days?.map(({ from }) => from), [1, 8, 15, 22]);
    });

    it('reads the unit after `quantity` in a fact: `quantity /uL`', () => {
      const result = parse('label d { fact ANC: quantity /uL normal 4000 /uL fact age: quantity a }');
      assert.deepEqual(result.errors, []);
      const [anc, age] = (result.file.blocks[0] as ast.LabelBlock).facts;
      assert.ok(anc.type?.kind === 'quantity');
      assert.equal(anc.type.unit?.text, '/uL');
      assert.equal(anc.type.normal?.value, 4000);
      assert.ok(age.type?.kind === 'quantity');
      assert.equal(age.type.unit?.text, 'a');
    });

    it('reads no unit where none is written after a bare word', () => {
      const result = parse('protocol { rule r: when ANC < x10^9/L then hold }');
      assert.ok(result.errors.length > 0, 'x10^9/L not after a number is not a quantity');
    });
  });

  describe('keywords and names', () => {
    it('reads names that start with a keyword as names: `dose_level`, `holding`', () => {
      const block = protocol('protocol { rule dose_level: when holding then hold }');
      const rule = block.rules[0];
      assert.equal(rule.name?.text, 'dose_level');
      assert.ok(rule.condition?.kind === 'fact');
      assert.equal(rule.condition.name.text, 'holding');
      assert.equal(rule.action?.kind, 'hold');
    });

    it('reads `nothing or android and index` as three names', () => {
      const condition = protocol('protocol { rule r: when nothing or android and index then hold }').rules[0].condition;
      assert.ok(condition?.kind === 'or');
      assert.equal(condition.operands[0].kind === 'fact' && condition.operands[0].name.text, 'nothing');
      const and = condition.operands[1];
      assert.ok(and.kind === 'and');
      assert.deepEqual(and.operands.map((operand) => operand.kind === 'fact' && operand.name.text), ['android', 'index']);
    });

    it('reads names that contain digits and underscores', () => {
      const block = protocol('protocol { rule cyp1a2_2: when _x1 then hold }');
      assert.equal(block.rules[0].name?.text, 'cyp1a2_2');
    });

    it('is case-sensitive: `Hold` is a name, not the keyword', () => {
      const result = parse('protocol { rule r: when x then Hold }');
      assert.equal(result.errors.length, 1);
    });

    it('gives every name back exactly as written, however many share a hash slot', () => {
      const names = Array.from({ length: 20_000 }, (_, i) => `v${(i * 7919) % 100_003}_${i % 97}`);
      const result = parse(`label d { fact x: one of ${names.join(', ')} fact y: one of ${[...names].reverse().join(', ')} }`);
      assert.deepEqual(result.errors, []);
      const [x, y] = (result.file.blocks[0] as ast.LabelBlock).facts;
      assert.ok(x.type?.kind === 'enum' && y.type?.kind === 'enum');
      assert.deepEqual(x.type.values.map((value) => value.text), names);
      assert.deepEqual(y.type.values.map((value) => value.text), [...names].reverse());
    });

    it('does not accept a keyword as a name', () => {
      const result = parse('protocol { rule hold: when x then hold }');
      assert.equal(result.errors.length, 1);
      assert.match(syntaxMessage(result.errors[0]), /Expected a name, found 'hold'/);
    });
  });

  describe('line breaks', () => {
    it('gives the same tree for CRLF line endings, with offsets into the CRLF text', () => {
      const lf = 'protocol "p" {\n  drug pomalidomide\n  rule a: when ANC < 500 /uL then hold\n}\n';
      const crlf = lf.replace(/\n/g, '\r\n');
      const rule = protocol(crlf).rules[0];
      assert.equal(crlf.slice(rule.span.start, rule.span.end), 'rule a: when ANC < 500 /uL then hold');
      assert.equal(protocol(lf).rules[0].name?.text, rule.name?.text);
    });
  });
});
