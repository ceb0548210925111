// Hover text from a file is escaped, not rendered as Markdown (issue 14): a label
// title, note or source, a test title or a deviation reason holding links, images,
// HTML or block markers is shown as written.
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/lsp/features/hover.js';
import { codeBlock, codeSpan, escapeMarkdown } from '../../../server/src/lsp/features/markdown.js';
import { completion } from '../../../server/src/lsp/features/completion.js';
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

  it('codeSpan and codeBlock show backticks literally: the fence is longer than any run inside', () => {
    assert.equal(codeSpan('hold when ANC < 500 /uL'), '`hold when ANC < 500 /uL`');
    assert.equal(codeSpan('a `b` c'), '`` a `b` c ``');
    assert.equal(codeSpan('``x`'), '``` ``x` ```');
    assert.equal(codeSpan('line\none'), '`line one`');
    assert.equal(codeBlock('a\n```\nb', 'dose'), '````dose\na\n```\nb\n````');
    assert.equal(codeBlock('plain'), '```\nplain\n```');
  });
});

describe('lsp: completion documentation escapes label text', () => {
  const special = 'a*b*c_d_ [x](y) <i> `k`';
  const text = `label evil "t" {
  alias "${special}"
  fact PLT "platelets": quantity 10*9/L normal 200 10*9/L
  indication x "i" {
    dose 1 mg oral once daily days 1-21 cycle 28 days
      source "doc: 1"
    hold when PLT < 50 10*9/L or PLT > 900 10*9/L
      source "doc: [2] *b*"
  }
}

protocol "p" {
  drug evil
  indication x
  start 1 mg oral once daily days 1-21 cycle 28 days
${'  '}
}
`;
  const doc = analyseText('/ws/evil.dose', text);
  const documentation = (offset: number, label: string) => completion(doc, offset).find((entry) => entry.label === label)?.documentation ?? '';

  it("a label's aliases: `*`, `_`, `[`, `<` and backticks shown as written", () => {
    assert.equal(documentation(text.indexOf('drug evil') + 'drug evil'.length, 'evil'), 'Also known as: a\\*b\\*c\\_d\\_ \\[x\\](y) \\<i\\> \\`k\\`');
  });

  it("a missing rule's label line (with its source) is escaped, not read as emphasis or a link", () => {
    const markdown = documentation(text.indexOf('days\n  \n}') + 7, 'rule PLT: when PLT < 50 10*9/L or PLT > 900 10*9/L then hold');
    assert.equal(markdown, 'Label (evil): hold when PLT \\< 50 10\\*9/L or PLT \\> 900 10\\*9/L \\[source: doc: \\[2\\] \\*b\\*\\]');
  });

  it("a fact's and an indication's label lines are code spans", () => {
    const rule = text.indexOf('days\n  \n}') + 7;
    const before = text.slice(0, rule) + 'rule r: when ' + text.slice(rule);
    const withRule = analyseText('/ws/evil.dose', before);
    const fact = completion(withRule, rule + 'rule r: when '.length).find((entry) => entry.label === 'PLT');
    assert.equal(fact?.documentation, '- `hold when PLT < 50 10*9/L or PLT > 900 10*9/L`');
  });
});
