// The invariants every feature keeps on any input, shared by the fuzz tests
// (`npm test`) and the long run (`npm run fuzz`, long-run.ts):
//
// - nothing throws;
// - every range (findings, fixes, related lines, hover, completion, definition,
//   symbols, folds, semantic tokens, formatting edits, code actions, lenses,
//   test results, counterexamples) lies inside the text it refers to, start <= end;
// - the formatter only rewrites whitespace, its edits do not overlap, and its
//   output formats to itself (idempotent);
// - verification says where it stopped and never runs past its budget by much;
// - each step finishes within a time bound.
//
// `checkCore` is the cheap part (parse, resolve, check, tests, as the server does);
// `checkFeatures` adds the verifier, the formatter and every LSP feature
// function at the offsets given.
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/diagnostics/finding.js';
import { checkFile, parseFile, resolveLabels, type LabelSet, type ParsedFile, type SourceText } from '../../server/src/checks/analysis.js';
import type { Span } from '../../server/src/syntax/ast.js';
import { codeActions } from '../../server/src/lsp/features/code-actions.js';
import { completion } from '../../server/src/lsp/features/completion.js';
import { LineIndex, toDiagnostic } from '../../server/src/lsp/protocol/convert.js';
import { definition } from '../../server/src/lsp/features/definition.js';
import { foldingRanges } from '../../server/src/lsp/features/folding.js';
import { applyEdits, format } from '../../server/src/lsp/features/formatting.js';
import { hover } from '../../server/src/lsp/features/hover.js';
import { semanticTokens } from '../../server/src/lsp/features/semantic-tokens.js';
import { documentSymbols, type SymbolEntry } from '../../server/src/lsp/features/symbols.js';
import { testLenses, testResults } from '../../server/src/lsp/features/tests.js';
import { lex, lexed } from '../../server/src/lsp/features/tokens.js';
import type { AnalysedDocument } from '../../server/src/lsp/features/document.js';
import { hasLabels } from '../../server/src/lsp/session/workspace.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { readRepo } from '../helpers/repo.js';

export const FUZZ_FILE = '/fuzz/examples/fuzz.dose';
export const LABEL: SourceText = { path: '/fuzz/labels/pomalidomide.dose', text: readRepo('labels', 'pomalidomide.dose') };

const labelLines = new LineIndex(LABEL.text);

let labelParsed: ParsedFile | undefined;
let labelSet: LabelSet | undefined;

/**
 * The document as the server sees it (workspace.ts): the label parsed and
 * resolved once and shared, unless the text has label blocks of its own, in
 * which case they are resolved alone, as when the label file itself is being
 * edited. (A fresh `analyze` per input would spend most of its time
 * re-parsing the 11 kB label.)
 */
export function analysed(text: string): AnalysedDocument {
  labelParsed ??= parseFile(LABEL.path, LABEL.text);
  labelSet ??= resolveLabels([labelParsed]);
  const parsed = parseFile(FUZZ_FILE, text);
  const labels = hasLabels(parsed) ? resolveLabels([parsed]) : labelSet;
  return { uri: 'file:///fuzz', path: FUZZ_FILE, version: 1, text, parsed, labels, analysis: checkFile(parsed, labels) };
}

export interface Bounds {
  /** parse + resolve + check + tests of one input. */
  coreMs: number;
  /** Every LSP feature function at every offset, plus the formatter. */
  featuresMs: number;
  /** The verifier's wall-clock budget per protocol... */
  verifyBudgetMs: number;
  /** ...and how far past it a protocol's verification may end. */
  verifySlackMs: number;
  maxStates: number;
}

export const DEFAULT_BOUNDS: Bounds = { coreMs: 2000, featuresMs: 2000, verifyBudgetMs: 25, verifySlackMs: 250, maxStates: 5000 };

/** What one input cost, by phase (for the long run's report). */
export interface Cost {
  coreMs: number;
  featuresMs: number;
  verifyMs: number;
  protocolsVerified: number;
}

export function assertSpan(span: Span | undefined, length: number, what: string): void {
  assert.ok(span, `${what}: no span`);
  assert.ok(
    Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length,
    `${what}: range ${JSON.stringify(span)} outside a text of ${length}`,
  );
}

/** A finding's range, its fixes' edits and its related lines lie inside their files. */
export function assertFinding(item: Finding, texts: ReadonlyMap<string, string>, what: string): void {
  const own = texts.get(item.file);
  assert.ok(own !== undefined, `${what}: ${item.code} is on an unknown file ${item.file}`);
  assertSpan(item.span, own.length, `${what} ${item.code}`);
  assert.ok(/^POS\d{4}$/.test(item.code), `${what}: code ${item.code}`);
  assert.ok(item.message.length > 0, `${what}: ${item.code} has no message`);
  assert.ok(['error', 'warning', 'information', 'hint'].includes(item.severity), `${what}: severity ${item.severity}`);
  for (const fix of item.fixes) for (const edit of fix.edits) assertSpan(edit.span, own.length, `${what} ${item.code} fix "${fix.title}"`);
  for (const related of item.related) {
    const text = texts.get(related.file);
    assert.ok(text !== undefined, `${what}: ${item.code} relates to an unknown file ${related.file}`);
    assertSpan(related.span, text.length, `${what} ${item.code} related`);
  }
}

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

/** parse + resolve + check + run the embedded tests, as the CLI does; returns the time taken. */
export function checkCore(text: string, bounds: Bounds = DEFAULT_BOUNDS): number {
  const [doc, elapsed] = timed(() => analysed(text));
  assert.ok(elapsed < bounds.coreMs, `analysis took ${elapsed.toFixed(0)} ms (bound ${bounds.coreMs} ms)`);
  const texts = new Map([[FUZZ_FILE, text], [LABEL.path, LABEL.text]]);
  for (const item of doc.analysis.findings) assertFinding(item, texts, 'analysis');
  for (const test of doc.analysis.tests) assertSpan(test.span, text.length, 'test result');
  return elapsed;
}

function assertSymbols(entries: SymbolEntry[], length: number): void {
  for (const entry of entries) {
    assertSpan(entry.span, length, `symbol ${entry.name}`);
    assertSpan(entry.selectionSpan, length, `symbol ${entry.name} selection`);
    assert.ok(entry.selectionSpan.start >= entry.span.start && entry.selectionSpan.end <= entry.span.end, `symbol ${entry.name}: the selection is outside the symbol`);
    assertSymbols(entry.children, length);
  }
}

const WHITESPACE = /^[ \t\r\n\f\v\uFEFF\u00A0]*$/;

/** Above this length the formatter is checked with one indent and without the second pass (bounded test time). */
const DEEP_FORMAT_LIMIT = 100_000;

/** The formatter only rewrites whitespace, without overlaps, keeps the tokens and is idempotent. */
export function checkFormatter(text: string, tokens = lex(text).tokens): void {
  const deep = text.length <= DEEP_FORMAT_LIMIT;
  for (const indent of deep ? ['  ', '\t'] : ['  ']) {
    const edits = format(text, { indent }, tokens);
    const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
    for (let i = 0; i < sorted.length; i++) {
      const edit = sorted[i];
      assertSpan(edit.span, text.length, 'format edit');
      assert.ok(WHITESPACE.test(text.slice(edit.span.start, edit.span.end)), `format rewrites non-whitespace ${JSON.stringify(text.slice(edit.span.start, edit.span.end))}`);
      assert.ok(WHITESPACE.test(edit.newText), `format inserts non-whitespace ${JSON.stringify(edit.newText)}`);
      if (i > 0) assert.ok(sorted[i - 1].span.end <= edit.span.start, 'format edits overlap');
    }
    if (!deep) continue;
    const once = applyEdits(text, edits);
    const images = (source: string) => lex(source).tokens.map((token) => token.image).join('\u0000');
    if (edits.length > 0) assert.equal(images(once), images(text), 'formatting changed the tokens');
    assert.deepEqual(format(once, { indent }), [], `formatting is not idempotent (indent ${JSON.stringify(indent)})`);
  }
}

/** Every protocol that resolves, verified with a small budget: it ends in time and says how. */
export function checkVerifier(doc: AnalysedDocument, bounds: Bounds, texts: ReadonlyMap<string, string>): { ms: number; count: number } {
  let total = 0;
  for (const protocol of doc.analysis.protocols) {
    const [result, elapsed] = timed(() => verifyProtocol(protocol, { timeBudgetMs: bounds.verifyBudgetMs, maxStates: bounds.maxStates, text: doc.text }));
    total += elapsed;
    assert.ok(elapsed < bounds.verifyBudgetMs + bounds.verifySlackMs, `verification took ${elapsed.toFixed(0)} ms (budget ${bounds.verifyBudgetMs} ms)`);
    assert.ok(['verified', 'counterexamples', 'stopped', 'withheld'].includes(result.status), `status ${result.status}`);
    assert.ok(result.statesEvaluated <= bounds.maxStates, `evaluated ${result.statesEvaluated} states, budget ${bounds.maxStates}`);
    assert.ok(result.statesExplored <= result.statesTotal, `explored ${result.statesExplored} of ${result.statesTotal}`);
    if (result.status === 'verified') assert.equal(result.statesExplored, result.statesTotal, '"verified" without every state');
    if (result.status === 'stopped') assert.ok(result.reason && result.findings.some((item) => item.code === 'POS4002'), 'a stopped run says where it stopped');
    for (const item of result.findings) assertFinding(item, texts, 'verify');
    for (const example of result.counterexamples) assertSpan(example.span, doc.text.length, 'counterexample');
  }
  return { ms: total, count: doc.analysis.protocols.length };
}

/**
 * The verifier, the formatter and every LSP feature function on one text:
 * whole-document features once, position features at each of `offsets`,
 * code actions over each range between consecutive offsets.
 */
export function checkFeatures(text: string, offsets: readonly number[], options: { bounds?: Bounds; verify?: boolean } = {}): Cost {
  const bounds = options.bounds ?? DEFAULT_BOUNDS;
  const texts = new Map([[FUZZ_FILE, text], [LABEL.path, LABEL.text]]);
  const [doc, coreMs] = timed(() => analysed(text));
  assert.ok(coreMs < bounds.coreMs, `analysis took ${coreMs.toFixed(0)} ms`);
  for (const item of doc.analysis.findings) assertFinding(item, texts, 'analysis');

  const verified = options.verify === false ? { ms: 0, count: 0 } : checkVerifier(doc, bounds, texts);

  const [, featuresMs] = timed(() => {
    const length = text.length;
    const lines = new LineIndex(text);
    const tokens = lexed(doc.parsed).tokens;
    for (const token of tokens) assertSpan(token, length, `token ${token.type}`);

    const context = { lines, relatedInformation: true, locate: (file: string) => (file === FUZZ_FILE ? { uri: 'file:///fuzz', lines } : file === LABEL.path ? { uri: 'file:///label', lines: labelLines } : undefined) };
    for (const item of doc.analysis.findings) {
      const diagnostic = toDiagnostic(item, context);
      const { start, end } = diagnostic.range;
      assert.ok(start.line < lines.lineCount && end.line < lines.lineCount, `diagnostic range ${JSON.stringify(diagnostic.range)} past the last line`);
      assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `diagnostic range ${JSON.stringify(diagnostic.range)} ends before it starts`);
    }

    assertSymbols(documentSymbols(doc.parsed.parse.file, text), length);
    for (const fold of foldingRanges(tokens, text)) assertSpan(fold.span, length, `fold ${fold.kind}`);
    for (const token of semanticTokens(doc.parsed.parse.file, tokens)) assertSpan(token, length, `semantic token ${token.type}`);
    checkFormatter(text, tokens);
    for (const protocol of testResults(doc)) {
      assertSpan(protocol.span, length, 'protocol tests');
      for (const test of protocol.tests) {
        assertSpan(test.span, length, `test ${test.title}`);
        assertSpan(test.expectSpan, length, `test ${test.title} expect`);
      }
    }
    for (const lens of testLenses(doc)) assertSpan(lens.span, length, `lens ${lens.title}`);

    const points = [...offsets].sort((a, b) => a - b);
    for (let i = 0; i < points.length; i++) {
      const offset = points[i];
      const shown = hover(doc, offset, { uriOf: (file) => `file://${file}` });
      if (shown) {
        assertSpan(shown.span, length, `hover at ${offset}`);
        assert.ok(shown.markdown.length > 0, `empty hover at ${offset}`);
      }
      for (const snippets of [true, false]) {
        for (const entry of completion(doc, offset, { snippets })) {
          assert.ok(entry.label.length > 0, `completion at ${offset}: an entry without a label`);
          if (entry.replace) assertSpan(entry.replace, length, `completion ${entry.label} at ${offset}`);
        }
      }
      for (const target of definition(doc, offset)) {
        assert.equal(texts.get(target.file) ?? target.text, target.text, `definition at ${offset} into ${target.file} with another text`);
        assertSpan(target.span, target.text.length, `definition at ${offset}`);
      }
      const range = { start: i > 0 ? points[i - 1] : 0, end: offset };
      for (const action of codeActions(doc.analysis.findings, range)) {
        for (const edit of action.edits) assertSpan(edit.span, length, `code action ${action.title}`);
      }
    }
  });
  assert.ok(featuresMs < bounds.featuresMs, `the features took ${featuresMs.toFixed(0)} ms over ${offsets.length} offsets`);
  return { coreMs, featuresMs, verifyMs: verified.ms, protocolsVerified: verified.count };
}

/** The offsets to ask the position features at: both ends of the text and each pick folded into [0, length]. */
export function offsetsFor(length: number, picks: readonly number[]): number[] {
  return [0, length, ...picks.map((pick) => pick % (length + 1))];
}
