// wordKind finds every keyword by its text, and nothing else: words that share
// a keyword's length and letters at the ends are still names.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { wordKind } from '../../server/src/syntax/keyword-table.js';
import { keywords, SyntaxKind } from '../../server/src/syntax/syntax-kind.js';

const kindOf = (word: string) => wordKind(word, 0, word.length);

describe('syntax: keyword table', () => {
  it('finds every keyword', () => {
    for (const [word, kind] of keywords) assert.equal(kindOf(word), kind, word);
  });

  it('reads near misses as names', () => {
    for (const word of ['dosx', 'dase', 'Dose', 'doses', 'dos', 'tak', 'takes', 'protocal', 'prevous', 'd', 'x', 'rulE']) {
      assert.equal(kindOf(word), SyntaxKind.Name, word);
    }
  });

  it('reads a word as a keyword only when it is one', () => {
    const letters = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_0'.split(''));
    const word = fc.oneof(fc.array(letters, { minLength: 1, maxLength: 12 }).map((chars) => chars.join('')), fc.constantFrom(...keywords.keys()));
    fc.assert(
      fc.property(word, fc.string({ maxLength: 3 }), (text, before) => {
        const start = before.length;
        const expected = keywords.get(text) ?? SyntaxKind.Name;
        assert.equal(wordKind(before + text + ' ', start, start + text.length), expected);
      }),
      { seed: 20261122, numRuns: 5000 },
    );
  });
});
