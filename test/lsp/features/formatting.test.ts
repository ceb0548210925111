import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { format, formatText } from '../../../server/src/lsp/features/formatting.js';
import { lex } from '../../../server/src/lsp/features/tokens.js';
import { listDoseFiles } from '../../../server/src/project/files.js';
import { repoRoot } from '../../helpers/lsp-client.js';

const sameTokens = (a: string, b: string) => {
  const left = lex(a).tokens.map((token) => `${token.type}:${token.image}`);
  const right = lex(b).tokens.map((token) => `${token.type}:${token.image}`);
  assert.deepEqual(right, left);
};

describe('lsp: formatting', () => {
  it('indents blocks, continuation lines and the source/note lines under an item', () => {
    const text = [
      'label demo "Demo" {',
      'fact ANC "Absolute neutrophil count": quantity /uL',
      'note "a note on ANC"',
      'indication mm',
      '"Multiple myeloma"',
      '{',
      'note "a note on the indication"',
      'dose 4 mg oral',
      'once daily',
      'source "seed: section"',
      '}',
      '}',
    ].join('\n');
    assert.equal(formatText(text), [
      'label demo "Demo" {',
      '  fact ANC "Absolute neutrophil count": quantity /uL',
      '    note "a note on ANC"',
      '  indication mm',
      '    "Multiple myeloma"',
      '  {',
      '    note "a note on the indication"',
      '    dose 4 mg oral',
      '      once daily',
      '      source "seed: section"',
      '  }',
      '}',
      '',
    ].join('\n'));
  });

  it('spaces tokens: tight day ranges, commas, colons and parentheses; one space elsewhere', () => {
    const text = 'protocol "p" {\n  start 4mg days 1 - 21 , 25\n  rule r :when child_pugh in ( A ,B )and ANC<500/uL then dose previous-1 mg\n}\n';
    assert.equal(formatText(text), 'protocol "p" {\n  start 4 mg days 1-21, 25\n  rule r: when child_pugh in (A, B) and ANC < 500 /uL then dose previous - 1 mg\n}\n');
  });

  it('keeps comments where they are, with the gap before a trailing comment', () => {
    const text = 'protocol "p" {   // header\n// first\n  /* block\n   stays as written */\n  drug pomalidomide      // aligned\n    // before the end\n}';
    const once = formatText(text);
    assert.equal(once, 'protocol "p" {   // header\n  // first\n  /* block\n   stays as written */\n  drug pomalidomide      // aligned\n  // before the end\n}\n');
  });

  it('keeps at most one blank line, no trailing spaces, one final newline, and CRLF line ends', () => {
    assert.equal(formatText('\n\nprotocol "p" {  \n\n\n\n  drug x   \n}\n\n\n'), 'protocol "p" {\n\n  drug x\n}\n');
    assert.equal(formatText('protocol "p" {\r\n drug x\r\n}'), 'protocol "p" {\r\n  drug x\r\n}\r\n');
  });

  it('honours the indentation it is given', () => {
    assert.equal(formatText('protocol "p" {\ndrug x\n}', { indent: '\t' }), 'protocol "p" {\n\tdrug x\n}\n');
  });

  it('leaves text it cannot read untouched', () => {
    const text = 'protocol "p" {\n  drug x § y\n}\n';
    const edits = format(text);
    assert.ok(edits.every((edit) => !text.slice(edit.span.start, edit.span.end).includes('§')));
    assert.match(formatText(text), /x § y/);
  });

  it('changes no .dose file in the repository except for whitespace, and is idempotent on all of them', () => {
    const files = listDoseFiles(repoRoot).filter((file) => !file.includes(`${path.sep}bench${path.sep}`));
    assert.ok(files.length >= 5);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const once = formatText(text);
      sameTokens(text, once);
      assert.equal(formatText(once), once, `formatting ${path.relative(repoRoot, file)} twice equals once`);
    }
  });

  it('leaves the label and the good examples exactly as written', () => {
    for (const file of ['labels/pomalidomide.dose', 'examples/pd-multiple-myeloma.dose', 'examples/ks-kaposi-sarcoma.dose']) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      assert.equal(formatText(text), text, file);
    }
  });

  it('never changes the tokens and is idempotent on any input (property)', () => {
    const piece = fc.constantFrom(
      'protocol', 'label', 'rule', 'r', ':', 'when', 'ANC', '<', '500', '/uL', '{', '}', '(', ')', ',', '-', '4', 'mg', 'note', '"text"',
      'source', '// comment', '/* c */', 'dose', 'hold', 'then', 'in', 'A', ' ', '  ', '\n', '\n\n\n', '\t', '"open', '§',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join(' ');
        const once = formatText(text);
        sameTokens(text, once);
        assert.equal(formatText(once), once);
      }),
      { numRuns: 300 },
    );
  });
});
