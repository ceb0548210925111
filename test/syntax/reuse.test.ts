// Blocks whose text did not change since an earlier parse keep their tree (moved
// to their new offsets), so a keystroke re-parses one block: the result is
// always the one a parse from scratch gives.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from '../../server/src/syntax/parse.js';
import { readRepo } from '../helpers/repo.js';

const blocks = [
  'label d {\n  fact ANC: quantity /uL\n  indication i {\n    dose 4 mg oral days 1-21 cycle 28 days\n    hold when ANC < 500 /uL\n  }\n}\n',
  'protocol "a" {\n  drug d\n  indication i\n  start 4 mg oral days 1-21 cycle 28 days\n  rule r: when ANC < 500 /uL then hold\n}\n',
  'protocol "b" {\n  drug d\n  rule s: when ANC < 1000 /uL then hold\n  test "t" { given ANC = 400 /uL expect hold }\n}\n',
];

describe('syntax: blocks kept between parses', () => {
  it('keeps the blocks before an edit as they were and moves the ones after it', () => {
    const before = parse(blocks.join(''));
    const text = blocks[0] + blocks[1].replace('500', '750 ') + blocks[2];
    const after = parse(text);
    assert.equal(after.file.blocks[0], before.file.blocks[0], 'the block before the edit is the same tree');
    assert.notEqual(after.file.blocks[2], before.file.blocks[2], 'the block after the edit is moved');
    assert.deepEqual(after, parse(text, { reuse: false }));
  });

  it('moves the errors of a kept block with it', () => {
    const broken = 'protocol "c" {\n  rule x: when ANC < then hold\n}\n';
    parse(broken + blocks[1]);
    const text = `// a comment first\n${broken}${blocks[1]}`;
    const result = parse(text);
    assert.equal(result.errors.length, 1);
    assert.equal(text.slice(result.errors[0].span.start, result.errors[0].span.end), 'then');
    assert.deepEqual(result, parse(text, { reuse: false }));
  });

  it('gives what a parse from scratch gives, edit after edit', () => {
    const start = readRepo('examples/pd-multiple-myeloma.dose');
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 8 }), insert: fc.constantFrom('', ' ', '\n', 'x', '}', '{', 'rule', 'protocol "z" {', 'label', '(', '500', '/uL', '"') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let text = start;
        parse(text);
        for (const { at, remove, insert } of edits) {
          const offset = at % (text.length + 1);
          text = text.slice(0, offset) + insert + text.slice(offset + remove);
          assert.deepEqual(parse(text), parse(text, { reuse: false }));
        }
      }),
      { seed: 20261129, numRuns: 150 },
    );
  });
});
