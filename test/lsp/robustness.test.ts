// Every feature function on broken and half-typed input: no exception, ever.
// (The server also guards each handler, but a feature that throws loses its answer.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { codeActions } from '../../server/src/lsp/features/code-actions.js';
import { completion } from '../../server/src/lsp/features/completion.js';
import { definition } from '../../server/src/lsp/features/definition.js';
import { foldingRanges } from '../../server/src/lsp/features/folding.js';
import { format } from '../../server/src/lsp/features/formatting.js';
import { hover } from '../../server/src/lsp/features/hover.js';
import { semanticTokens } from '../../server/src/lsp/features/semantic-tokens.js';
import { documentSymbols } from '../../server/src/lsp/features/symbols.js';
import { testLenses, testResults } from '../../server/src/lsp/features/tests.js';
import { lexed } from '../../server/src/lsp/features/tokens.js';
import { repoRoot } from '../helpers/lsp-client.js';
import { analyse, labelText } from '../helpers/lsp-fixtures.js';

const protocolText = fs.readFileSync(path.join(repoRoot, 'examples', 'pd-multiple-myeloma.dose'), 'utf8');

function everyFeature(text: string, offsets: number[]): void {
  const doc = analyse(text);
  const tokens = lexed(doc.parsed).tokens;
  documentSymbols(doc.parsed.parse.file, text);
  foldingRanges(tokens, text);
  semanticTokens(doc.parsed.parse.file, tokens);
  format(text, { indent: '  ' }, tokens);
  testResults(doc);
  testLenses(doc);
  codeActions(doc.analysis.findings, { start: 0, end: text.length });
  for (const offset of offsets) {
    hover(doc, offset);
    completion(doc, offset, { snippets: true });
    definition(doc, offset);
  }
}

describe('lsp: robustness', () => {
  it('answers at every offset of the examples, the label and the mistakes', () => {
    for (const text of [protocolText, labelText, fs.readFileSync(path.join(repoRoot, 'examples', 'mistakes', 'pd-with-mistakes.dose'), 'utf8')]) {
      const offsets = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => i * 7);
      everyFeature(text, offsets);
    }
  });

  it('answers on every prefix of a protocol being typed', () => {
    const end = protocolText.indexOf('// ---- one day: the schedule');
    assert.ok(end > 0, 'the example protocol has the marker this test types up to');
    const text = protocolText.slice(protocolText.indexOf('protocol'), end);
    for (let end = 0; end <= text.length; end += 9) everyFeature(text.slice(0, end), [end]);
  });

  it('answers on mutated protocols and random text (property)', () => {
    const mutated = fc.tuple(fc.nat(protocolText.length), fc.nat(40), fc.string({ maxLength: 12 })).map(([at, cut, insert]) => protocolText.slice(0, at) + insert + protocolText.slice(at + cut));
    const soup = fc.array(fc.constantFrom('protocol', 'label', '{', '}', '(', ')', 'rule', 'x', ':', 'when', 'ANC', '<', '500', '/uL', 'then', 'dose', 'test', '"t"', 'given', 'expect', 'in', ',', '=', 'drug', 'pomalidomide', 'indication', '\n', ' '), { maxLength: 40 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(mutated, soup, fc.string({ maxLength: 60 })), fc.array(fc.nat(2000), { maxLength: 6 }), (text, picks) => {
        everyFeature(text, picks.map((pick) => pick % (text.length + 1)));
      }),
      { numRuns: 120 },
    );
    assert.ok(true);
  });
});
