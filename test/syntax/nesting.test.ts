// Deep nesting never overflows the stack: parentheses deeper than MAX_NESTING
// give one POS1003 diagnostic, and long chains of `not` parse (and check) quickly.
import assert from 'node:assert/strict';
import type * as ast from '../../server/src/syntax/ast.js';
import { Messages } from '../../server/src/diagnostics/messages.js';
import { MAX_NESTING, parse } from '../../server/src/syntax/parse.js';
import { check, mm } from '../helpers/dose.js';

const FAST_MS = 1500;

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function nested(depth: number, inner = 'dialysis'): string {
  return `${'('.repeat(depth)}${inner}${')'.repeat(depth)}`;
}

function protocolWith(condition: string): string {
  return `protocol "p" {\n  rule deep: when ${condition} then hold\n  rule later: when pregnant then discontinue\n}\nprotocol "q" { drug pomalidomide }\n`;
}

const protocols = (text: string) => parse(text).file.blocks.filter((block): block is ast.ProtocolBlock => block.kind === 'protocol');

describe('syntax: nesting', () => {
  it('has a nesting limit of 64 (docs/language.md) and reports it as POS1003', () => {
    assert.equal(MAX_NESTING, 64);
    assert.equal(Messages.NestingTooDeep.code, 'POS1003');
  });

  it(`accepts parentheses MAX_NESTING (${MAX_NESTING}) deep`, () => {
    const text = protocolWith(nested(MAX_NESTING));
    const result = parse(text);
    assert.deepEqual(result.errors, []);
    const rule = protocols(text)[0].rules[0];
    assert.equal(rule.condition?.kind, 'fact');
    assert.equal(rule.condition.kind === 'fact' && rule.condition.name.text, 'dialysis');
  });

  it('reports one error for MAX_NESTING + 1 levels, on the group that is too deep', () => {
    const text = protocolWith(nested(MAX_NESTING + 1));
    const result = parse(text);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    const [error] = result.errors;
    assert.equal(error.kind, 'NestingTooDeep');
    assert.deepEqual(error.args, [String(MAX_NESTING)]);
    assert.equal(text.slice(error.span.start, error.span.end), '(dialysis)');
    const [p, q] = protocols(text);
    assert.deepEqual(p.rules.map((rule) => [rule.name?.text, rule.action?.kind]), [['deep', 'hold'], ['later', 'discontinue']]);
    assert.equal(q.drug?.text, 'pomalidomide');
  });

  it('does not add up the depth of separate conditions', () => {
    const text = `protocol "p" {\n${Array.from({ length: 5 }, (_, i) => `  rule r${i}: when ${nested(MAX_NESTING)} then hold`).join('\n')}\n}\n`;
    assert.deepEqual(parse(text).errors, []);
  });

  it('starts counting again at each block', () => {
    const text = `protocol "a" {\n  rule r: when ${'('.repeat(40)}dialysis then hold\n}\n${protocolWith(nested(MAX_NESTING))}`;
    const errors = parse(text).errors;
    assert.ok(!errors.some((error) => error.kind === 'NestingTooDeep'), JSON.stringify(errors));
  });

  it('turns 100,000 nested parentheses into one POS1003 error, quickly and without throwing', () => {
    const text = protocolWith(nested(100_000));
    const { value: result, ms } = timed(() => parse(text));
    assert.ok(ms < FAST_MS, `took ${ms.toFixed(0)} ms`);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors.slice(0, 3)));
    const [error] = result.errors;
    assert.equal(error.kind, 'NestingTooDeep');
    const open = text.indexOf('(') + MAX_NESTING;
    assert.equal(error.span.start, open, 'starts at the first parenthesis past the limit');
    assert.equal(error.span.end, text.lastIndexOf(')') + 1 - MAX_NESTING, 'ends at its matching parenthesis');
    const [p, q] = protocols(text);
    assert.deepEqual(p.rules.map((rule) => [rule.name?.text, rule.action?.kind]), [['deep', 'hold'], ['later', 'discontinue']]);
    assert.equal(q.drug?.text, 'pomalidomide');
  });

  it('survives 100,000 unclosed parentheses', () => {
    const text = `protocol "p" {\n  rule deep: when ${'('.repeat(100_000)}dialysis then hold\n}\n`;
    const { value: result, ms } = timed(() => parse(text));
    assert.ok(ms < FAST_MS, `took ${ms.toFixed(0)} ms`);
    assert.ok(result.errors.some((error) => error.kind === 'NestingTooDeep'));
    assert.ok(result.errors.length <= 3, JSON.stringify(result.errors));
  });

  it('does not let an unclosed group that is too deep swallow the next block', () => {
    const text = `protocol "a" {\n  rule r: when ${'('.repeat(MAX_NESTING + 6)}dialysis then hold\n}\nprotocol "b" { drug pomalidomide }\n`;
    const result = parse(text);
    const nesting = result.errors.filter((error) => error.kind === 'NestingTooDeep');
    assert.equal(nesting.length, 1);
    assert.ok(nesting[0].span.end <= text.indexOf('protocol "b"'), 'the error stays inside the first block');
    const b = protocols(text).find((block) => block.title?.value === 'b');
    assert.ok(b, 'protocol "b" is parsed');
    assert.equal(b.drug?.text, 'pomalidomide');
  });

  it('parses 100,000 `not`s quickly without errors', () => {
    const text = protocolWith(`${'not '.repeat(100_000)}dialysis`);
    const { value: result, ms } = timed(() => parse(text));
    assert.ok(ms < FAST_MS, `took ${ms.toFixed(0)} ms`);
    assert.deepEqual(result.errors, []);
    const rule = protocols(text)[0].rules[0];
    // An even number of `not`s folds away: the tree stays shallow.
    assert.equal(rule.condition?.kind, 'fact');
    assert.equal(rule.action?.kind, 'hold');
    assert.equal(protocols(text)[1].drug?.text, 'pomalidomide');
    const odd = protocols(protocolWith(`${'not '.repeat(100_001)}dialysis`))[0].rules[0];
    assert.equal(odd.condition?.kind, 'not');
    assert.equal(odd.condition?.kind === 'not' && odd.condition.operand?.kind, 'fact');
  });

  it('checks a rule with 10,000 and with 100,000 `not`s without throwing', () => {
    for (const count of [10_000, 100_000]) {
      const text = mm(`rule deep: when ${'not '.repeat(count)}dialysis then hold`);
      const { value: findings, ms } = timed(() => check(text));
      assert.ok(Array.isArray(findings));
      assert.ok(ms < 3 * FAST_MS, `${count}: took ${ms.toFixed(0)} ms`);
    }
  });
});
