// Error recovery: each mistake gives one error at a precise range, and the rest
// of the block and the blocks after it still parse.
import assert from 'node:assert/strict';
import type * as ast from '../../server/src/syntax/ast.js';
import { LineIndex } from '../../server/src/syntax/line-index.js';
import { MAX_SYNTAX_ERRORS, parse } from '../../server/src/syntax/parse.js';
import { expectSyntaxErrors } from '../helpers/dose.js';
import { syntaxMessage } from '../../server/src/diagnostics/problems.js';

function protocols(text: string): ast.ProtocolBlock[] {
  return parse(text).file.blocks.filter((block): block is ast.ProtocolBlock => block.kind === 'protocol');
}

const ruleNames = (block: ast.ProtocolBlock | undefined) => block?.rules.map((rule) => rule.name?.text) ?? [];

/** The 0-based line of each syntax error. */
function errorLines(text: string): number[] {
  const index = new LineIndex(text);
  return parse(text).errors.map((error) => index.position(error.span.start).line);
}

describe('syntax: error recovery', () => {
  it('reports one error per broken line and keeps the rest of the block and the next block', () => {
    const { text } = expectSyntaxErrors(`
      protocol "a" {
        drug pomalidomide
        rule a: when ANC < then hold
        //                 ^^^^ POS1001 Expected a number, a name
        rule b: when platelets < 25000 /uL hold
        //                                 ^^^^ POS1001 Expected 'then', found 'hold'
        rule c: when $$ dialysis then hold
        //           ^^ POS1002 '$$'
        test "t" { given day 1 expect }
        //                            ^ POS1001 Expected 'hold', 'discontinue', 'no' or 'dose', found '}'
        rule ok: when dialysis then hold
      }
      label L { fact x: boolean }
    `);
    const [protocol, label] = parse(text).file.blocks;
    assert.equal(protocol.kind, 'protocol');
    assert.equal(protocol.drug?.text, 'pomalidomide');
    assert.deepEqual(ruleNames(protocol), ['a', 'b', 'c', 'ok']);
    assert.deepEqual(protocol.rules.map((rule) => rule.action?.kind), ['hold', 'hold', 'hold', 'hold']);
    assert.equal(protocol.rules[2].condition?.kind, 'fact', "the stray '$$' is skipped, the condition after it kept");
    assert.equal(protocol.tests[0].title?.value, 't');
    assert.equal(label.kind, 'label');
    assert.deepEqual(label.facts.map((fact) => fact.name?.text), ['x']);
  });

  it('reports a half-typed rule once and parses the rules and blocks after it', () => {
    const text = 'protocol "p" {\n  rule a: when ANC <\n  rule ok: when dialysis then hold\n}\nprotocol "q" { drug pomalidomide }\n';
    const result = parse(text);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.equal(result.errors[0].kind, 'Expected');
    assert.match(syntaxMessage(result.errors[0]), /^Expected a number, a name/);
    const [p, q] = protocols(text);
    assert.deepEqual(ruleNames(p), ['ok']);
    assert.equal(q?.drug?.text, 'pomalidomide');
  });

  describe('each half-typed form of a rule gives one error and the next rule is kept', () => {
    const halves = [
      'rule a',
      'rule a:',
      'rule a: when',
      'rule a: when ANC',
      'rule a: when ANC <',
      'rule a: when ANC < 500',
      'rule a: when ANC < 500 /uL',
      'rule a: when ANC < 500 /uL then',
      'rule a: when ANC < 500 /uL then dose',
      'rule a: when child_pugh in (A,',
      'rule a: when (dialysis or',
    ];
    for (const half of halves) {
      it(half, () => {
        const text = `protocol "p" {\n  ${half}\n  rule ok: when dialysis then hold\n}\n`;
        const result = parse(text);
        assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
        assert.deepEqual(ruleNames(protocols(text)[0]).slice(-1), ['ok'], 'the next rule is kept');
      });
    }
  });

  it('parses a number without a unit (the resolver says which unit fits)', () => {
    const { text } = expectSyntaxErrors(`
      protocol "p" {
        rule a: when ANC < 500 then hold
      }
    `);
    const rule = protocols(text)[0].rules[0];
    assert.equal(rule.action?.kind, 'hold');
    const condition = rule.condition;
    assert.ok(condition?.kind === 'compare');
    const value = condition.value;
    assert.ok(value && 'kind' in value);
    assert.equal(value.value, 500);
    assert.equal(value.unit, undefined);
  });

  it('reports an unterminated string at the string and parses the next line', () => {
    const { text } = expectSyntaxErrors(`
      protocol "p" {
        note "no closing quote
        //   ^^^^^^^^^^^^^^^^^ POS1004 closing quote
        rule ok: when dialysis then hold
      }
    `);
    const [protocol] = protocols(text);
    assert.deepEqual(protocol.notes.map((note) => note.value), ['no closing quote']);
    assert.deepEqual(ruleNames(protocol), ['ok']);
  });

  it('reads a string that ends in an escaped backslash as closed', () => {
    const text = 'protocol "p" {\n  note "C:\\\\"\n  drug pomalidomide\n}\n';
    const result = parse(text);
    assert.deepEqual(result.errors, []);
    const [protocol] = protocols(text);
    assert.deepEqual(protocol.notes.map((note) => note.value), ['C:\\']);
    assert.equal(protocol.drug?.text, 'pomalidomide');
  });

  it('reports stray characters once each and reads what follows them', () => {
    const { text } = expectSyntaxErrors(`
      protocol "p" {
        $$ drug pomalidomide
      //^^ POS1002 '$$'
        rule a: when dialysis # then hold
        //                    ^ POS1002 '#'
      }
    `);
    const [protocol] = protocols(text);
    assert.equal(protocol.drug?.text, 'pomalidomide');
    assert.equal(protocol.rules[0].action?.kind, 'hold');
  });

  it('reports garbage before the first block as one error and parses the block', () => {
    const { text } = expectSyntaxErrors(`
        garbage here, 42 (
      //^^^^^^^^^^^^^^^^^^ POS1001 Expected 'label' or 'protocol' to start a block
      protocol "p" { drug pomalidomide }
    `);
    assert.equal(protocols(text)[0]?.drug?.text, 'pomalidomide');
  });

  it('does not count comments before the first block as garbage', () => {
    const text = '// a comment\n/* and a block comment */\nprotocol "p" { drug pomalidomide }\n';
    assert.deepEqual(parse(text).errors, []);
  });

  it('reports an unknown word where a protocol line should start and keeps the lines after it', () => {
    const text = 'protocol "p" {\n  rul a: when dialysis then hold\n  drug pomalidomide\n}\n';
    const result = parse(text);
    assert.ok(result.errors.length >= 1);
    assert.equal(errorLines(text)[0], 1);
    assert.equal(protocols(text)[0]?.drug?.text, 'pomalidomide');
  });

  it('stops reporting after MAX_SYNTAX_ERRORS errors', () => {
    const lines = Array.from({ length: MAX_SYNTAX_ERRORS * 3 }, (_, i) => `  rule r${i}: when ANC < then hold`);
    const text = `protocol "p" {\n${lines.join('\n')}\n}\n`;
    const result = parse(text);
    assert.equal(result.errors.length, MAX_SYNTAX_ERRORS);
    assert.equal(protocols(text)[0].rules.length, MAX_SYNTAX_ERRORS * 3);
  });

  it("reads a protocol's lines when its `{` is missing", () => {
    const text = 'protocol "p"\n  drug pomalidomide\n  rule ok: when dialysis then hold\n}\n';
    const result = parse(text);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.match(syntaxMessage(result.errors[0]), /^Expected '\{', found 'drug'/);
    assert.deepEqual(errorLines(text), [0]);
    assert.equal(protocols(text)[0]?.drug?.text, 'pomalidomide');
    assert.deepEqual(ruleNames(protocols(text)[0]), ['ok']);
  });

  it('skips stray words inside a test up to `expect`, keeping the test and what follows', () => {
    const text = 'protocol "p" {\n  test "t" { given dialysis stray words expect hold }\n  rule ok: when dialysis then hold\n}\n';
    const result = parse(text);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.equal(text.slice(result.errors[0].span.start, result.errors[0].span.end), 'stray');
    const [protocol] = protocols(text);
    assert.deepEqual(protocol.tests.map((test) => [test.title?.value, test.given.map((given) => given.fact.text), test.expect?.kind]), [['t', ['dialysis'], 'hold']]);
    assert.deepEqual(ruleNames(protocol), ['ok']);
  });

  it('skips a stray braced group between protocol lines as a whole', () => {
    const text = 'protocol "p" {\n  tset "t" { given x expect hold }\n  rule ok: when dialysis then hold\n}\n';
    const result = parse(text);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.match(syntaxMessage(result.errors[0]), /^Expected a protocol line \('drug', .*found 'tset'/);
    assert.deepEqual(ruleNames(protocols(text)[0]), ['ok'], 'the group\'s `}` does not close the protocol');
  });

  it('ends an indication left open at the next label line, keeping both', () => {
    const text = 'label d {\n  indication i {\n    dose 4 mg oral\n  fact x: boolean\n}\n';
    const result = parse(text);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.match(syntaxMessage(result.errors[0]), /^Expected '\}', found 'fact'/);
    assert.deepEqual(errorLines(text), [2], 'reported at the end of the open indication\'s last line');
    const label = parse(text).file.blocks[0] as ast.LabelBlock;
    assert.equal(label.indications[0]?.doses[0]?.amount?.amount?.value, 4);
    assert.deepEqual(label.facts.map((fact) => fact.name?.text), ['x']);
  });

  it('reports text after the end of a block once', () => {
    const text = 'protocol "p" { drug pomalidomide } extra words\n';
    const result = parse(text);
    assert.equal(result.errors.length, 1);
    assert.match(syntaxMessage(result.errors[0]), /^Unexpected 'extra' after the end of the block/);
    assert.equal(protocols(text)[0]?.drug?.text, 'pomalidomide');
  });

  describe('a missing closing brace', () => {
    it('keeps the block when the file ends before its `}`', () => {
      const text = 'protocol "p" {\n  drug pomalidomide\n  rule a: when dialysis then hold\n';
      const result = parse(text);
      assert.equal(result.errors.length, 1);
      assert.match(syntaxMessage(result.errors[0]), /Expected '}'/);
      const [protocol] = protocols(text);
      assert.ok(protocol, 'the unclosed protocol is still in the tree');
      assert.equal(protocol.drug?.text, 'pomalidomide');
      assert.deepEqual(ruleNames(protocol), ['a']);
    });

    it('keeps the block when the next block starts before its `}`', () => {
      const text = 'protocol "a" {\n  drug pomalidomide\n\nprotocol "b" { drug other }\n';
      const result = parse(text);
      assert.equal(result.errors.length, 1);
      assert.deepEqual(protocols(text).map((block) => [block.title?.value, block.drug?.text]), [
        ['a', 'pomalidomide'],
        ['b', 'other'],
      ]);
    });

    it('keeps a half-typed rule at the end of the file', () => {
      const text = 'protocol "p" {\n  drug pomalidomide\n  rule a: when ANC <';
      const result = parse(text);
      assert.ok(result.errors.length >= 1);
      assert.equal(protocols(text)[0]?.drug?.text, 'pomalidomide');
    });
  });

  describe('an error at the end of a line is reported on that line, not on the next', () => {
    const cases: [string, string][] = [
      ['a value missing after <', '  rule a: when ANC <\n  rule ok: when dialysis then hold'],
      ['an action missing after then', '  rule b: when platelets < 25000 /uL then\n  rule ok: when dialysis then hold'],
      ['a value missing after <, before the closing brace', '  rule a: when ANC <'],
    ];
    for (const [what, body] of cases) {
      it(what, () => {
        const text = `protocol "p" {\n${body}\n}\n`;
        assert.deepEqual(errorLines(text), [1], JSON.stringify(parse(text).errors));
      });
    }
  });
});
