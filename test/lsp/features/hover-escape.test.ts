// Hover text from a file is escaped, not rendered as Markdown (issue 14): a label
// title, note or source, a test title or a deviation reason holding links, images,
// HTML or block markers is shown as written.
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/lsp/features/hover.js';
import { escapeMarkdown } from '../../../server/src/lsp/features/markdown.js';
import { analyseText } from '../../../server/src/lsp/session/workspace.js';

const evil = '[click](command:workbench.action.quit) ![x](https://tracker.invalid/p.png) <img src=x onerror=alert(1)> **bold** `code`';

/** Markdown with every `[`, `<`, `!`, `*` and backtick of the evil text escaped, and nothing of it live. */
function assertInert(markdown: string): void {
  assert.ok(markdown.includes('\\[click\\](command:workbench.action.quit)'), markdown);
  assert.ok(markdown.includes('\\!\\[x\\](https://tracker.invalid/p.png)'), markdown);
  assert.ok(markdown.includes('\\<img src=x onerror=alert(1)\\>'), markdown);
  assert.doesNotMatch(markdown, /(?<!\\)\[click\]|(?<!\\)!(?<!\\)\[x|(?<!\\)<img/);
}

describe('lsp: hover escapes text from files', () => {
  const text = `label evil "${evil}" {
  note "${evil}"
  source "# heading ${evil}"
  fact ANC "${evil}": quantity /uL normal 4000 /uL
  indication x "${evil}" {
    dose 1 mg oral once daily days 1-21 cycle 28 days
      source "${evil}"
  }
}

protocol "p" {
  drug evil
  indication x
  start 1 mg oral once daily days 1-21 cycle 28 days
}
`;
  const doc = analyseText('/ws/evil.dose', text);
  const at = (needle: string, delta = 1) => hover(doc, text.indexOf(needle) + delta)?.markdown ?? '';

  it('on the drug: the label title and notes', () => {
    const markdown = at('drug evil', 6);
    assertInert(markdown);
    assert.match(markdown, /\\# heading/, 'a heading marker in a source stays text');
  });

  it('on an indication and a fact: their titles', () => {
    assertInert(at('indication x\n  start', 12));
    assertInert(at('fact ANC', 6));
  });

  it('escapeMarkdown: punctuation Markdown reads, line breaks, block markers at the start', () => {
    assert.equal(escapeMarkdown('a_b *c* [d](e) <f> & !g #h |i| ~j~ `k`'), 'a\\_b \\*c\\* \\[d\\](e) \\<f\\> \\& \\!g \\#h \\|i\\| \\~j\\~ \\`k\\`');
    assert.equal(escapeMarkdown('line one\n# two\r\nthree'), 'line one \\# two three');
    assert.equal(escapeMarkdown('- item'), '\\- item');
    assert.equal(escapeMarkdown('1. item'), '1\\. item');
    assert.equal(escapeMarkdown('Pomalidomide (Pomalyst, Imnovid), oral capsules'), 'Pomalidomide (Pomalyst, Imnovid), oral capsules');
  });
});
