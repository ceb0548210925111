// The keywords the grammar accepts next, asked of the parser (completion's source).
import assert from 'node:assert/strict';
import { keywordsAfter, MAX_ITEM_TOKENS, type WrittenToken } from '../../server/src/syntax/expected.js';
import { lex } from '../../server/src/syntax/lexer.js';
import { SyntaxKind } from '../../server/src/syntax/syntax-kind.js';

/** The tokens of `text` as completion sees them. */
function written(text: string): WrittenToken[] {
  const { tokens } = lex(text);
  return Array.from({ length: tokens.count }, (_, i) => ({ type: SyntaxKind[tokens.kinds[i]], image: text.slice(tokens.starts[i], tokens.ends[i]) }));
}

describe('syntax: keywords the grammar accepts next', () => {
  it('at the start of an item, the words that start one there', () => {
    assert.deepEqual(keywordsAfter('top', []), ['label', 'protocol']);
    assert.deepEqual(keywordsAfter('label', []).sort(), ['alias', 'document', 'fact', 'indication', 'note', 'source']);
    assert.deepEqual(keywordsAfter('indication', []).sort(), ['at', 'before', 'discontinue', 'dose', 'hold', 'lowest', 'note', 'requires', 'source', 'take']);
    assert.deepEqual(
      keywordsAfter('protocol', []).sort(),
      ['before', 'deviation', 'drug', 'fact', 'indication', 'levels', 'note', 'rule', 'scenario', 'source', 'start', 'test', 'with'],
    );
    assert.deepEqual(keywordsAfter('test', []), ['given', 'expect']);
    assert.deepEqual(keywordsAfter('scenario', []).sort(), ['cycle', 'day']);
  });

  it('inside an item, what may continue it', () => {
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when ANC < 500 /uL')), ['then', 'and', 'or']);
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when ANC')), ['then', 'and', 'or', 'in']);
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when dialysis then')), ['dose', 'hold', 'discontinue', 'no']);
    assert.deepEqual(
      keywordsAfter('protocol', written('with dexamethasone')),
      ['when', 'once', 'twice', 'days', 'day', 'cycle', 'every', 'weeks', 'cycles', 'from'],
    );
    assert.deepEqual(keywordsAfter('label', written('fact f:')), ['quantity', 'boolean', 'one']);
    assert.deepEqual(keywordsAfter('indication', written('at')), ['most']);
    assert.deepEqual(keywordsAfter('test', written('given dialysis')), ['expect']);
  });

  it('the treatment-course forms (SPEC-v2): until, resume, gates, cycle ranges, scenario steps', () => {
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when ANC < 500 /uL then hold')), ['until']);
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when ANC < 500 /uL then hold until ANC >= 500 /uL then')), ['resume']);
    assert.deepEqual(keywordsAfter('indication', written('hold when ANC < 500 /uL until ANC >= 500 /uL then resume at')), ['most', 'previous', 'same']);
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at 3 mg')), ['on']);
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when dialysis then discontinue')), []);
    // The grammar reads a discontinuation's `until` only to report it (POS1008): completion never offers it.
    assert.deepEqual(keywordsAfter('indication', written('discontinue when ANC < 500 /uL')), ['and', 'or']);
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when dialysis then discontinue lenalidomide')), []);
    assert.deepEqual(keywordsAfter('indication', written('hold when ANC < 500 /uL')), ['and', 'or', 'until']);
    assert.deepEqual(keywordsAfter('protocol', written('rule r: when')), ['not', 'day', 'cycle']);
    assert.deepEqual(keywordsAfter('indication', written('before')), ['each']);
    assert.deepEqual(keywordsAfter('indication', written('lowest')), ['dose']);
    assert.deepEqual(keywordsAfter('protocol', written('with dexamethasone 20 mg oral from')), ['cycle']);
    assert.deepEqual(keywordsAfter('scenario', written('cycle 1 day 1: ANC = 400 /uL')), ['expect', 'not']);
  });

  it('a soft keyword written where a name goes is a name: nothing is offered after a complete item', () => {
    assert.deepEqual(keywordsAfter('protocol', written('drug levels')), []);
    assert.deepEqual(keywordsAfter('protocol', written('rule resume: when')), ['not', 'day', 'cycle']);
  });

  it('nothing after a complete item, or after text the grammar does not accept there', () => {
    assert.deepEqual(keywordsAfter('protocol', written('drug pomalidomide')), []);
    assert.deepEqual(keywordsAfter('protocol', written('rule rule')), []);
    assert.deepEqual(keywordsAfter('label', written('rule r:')), []);
  });

  it('gives up on an item longer than MAX_ITEM_TOKENS, quickly', () => {
    const long = written(`rule r: when ${Array.from({ length: 5000 }, (_, i) => `f${i}`).join(' and ')}`);
    const start = performance.now();
    assert.deepEqual(keywordsAfter('protocol', long), []);
    assert.deepEqual(keywordsAfter('protocol', long.slice(0, MAX_ITEM_TOKENS - 1)), ['then', 'and', 'or', 'in']);
    assert.ok(performance.now() - start < 2000);
  });
});
