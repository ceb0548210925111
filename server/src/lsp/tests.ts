// The embedded tests of a document, for CodeLens and the Test Explorer: which
// tests each protocol has (from the syntax tree) and their results (from the
// checker, which runs them through the one evaluator). Nothing is evaluated
// here; the client only ever shows what this returns.
import type * as ast from '../syntax/ast.js';
import type { TestResult } from '../semantics/checks/index.js';
import type { AnalysedDocument } from './workspace.js';

export interface TestOutcome {
  title: string;
  span: ast.Span;
  expectSpan: ast.Span;
  /** undefined when the test did not run (the protocol does not resolve). */
  passed?: boolean;
  expected?: string;
  actual?: string;
  decidedBy?: string;
  /** Why the test could not run, or the failure message. */
  message?: string;
}

export interface ProtocolTests {
  index: number;
  title: string;
  span: ast.Span;
  tests: TestOutcome[];
  /** Why the protocol's tests could not run, when they could not. */
  error?: string;
}

export interface TestFilter {
  protocolIndex?: number;
  testTitle?: string;
}

function protocols(doc: AnalysedDocument): ast.ProtocolBlock[] {
  return doc.parsed.parse.file.blocks.filter((block): block is ast.ProtocolBlock => block.kind === 'protocol');
}

function sameSpan(a: ast.Span, b: ast.Span): boolean {
  return a.start === b.start && a.end === b.end;
}

/** The first error on a protocol's own lines before its tests: why it did not resolve. */
function whyNotRun(doc: AnalysedDocument, block: ast.ProtocolBlock): string {
  const first = doc.analysis.findings.find((finding) => finding.severity === 'error' && finding.span.start >= block.span.start && finding.span.start <= block.span.end);
  return first ? `the protocol could not be checked: ${first.message}` : 'the protocol could not be checked against a label';
}

function outcome(test: ast.TestCase, result: TestResult | undefined, error: string | undefined): TestOutcome {
  const base = { title: test.title?.value ?? '', span: test.span, expectSpan: test.expectSpan ?? test.span };
  if (!result) return { ...base, message: error };
  if (result.error) return { ...base, message: `not run: ${result.error}` };
  const message = result.passed
    ? `passed: ${result.actual} (decided by ${result.decidedBy})`
    : `expected ${result.expected}, got ${result.actual} (decided by ${result.decidedBy})`;
  return { ...base, passed: result.passed, expected: result.expected, actual: result.actual, decidedBy: result.decidedBy, message };
}

/** Tests with their results; `filter` narrows to one protocol or one test. */
export function testResults(doc: AnalysedDocument, filter: TestFilter = {}): ProtocolTests[] {
  const results: ProtocolTests[] = [];
  protocols(doc).forEach((block, index) => {
    if (filter.protocolIndex !== undefined && filter.protocolIndex !== index) return;
    const resolved = doc.analysis.protocols.some((protocol) => protocol.node === block);
    const error = resolved ? undefined : whyNotRun(doc, block);
    const tests = block.tests
      .filter((test) => filter.testTitle === undefined || test.title?.value === filter.testTitle)
      .map((test) => outcome(test, resolved ? doc.analysis.tests.find((result) => sameSpan(result.span, test.span)) : undefined, error));
    results.push({ index, title: block.title?.value ?? '(untitled protocol)', span: block.span, tests, error });
  });
  return results;
}

export interface LensEntry {
  span: ast.Span;
  title: string;
  /** Arguments for the client's run command; undefined for a lens that only informs. */
  run?: { protocolIndex: number; testTitle?: string };
}

/** "Run all tests" above each protocol, "Run test" and its last result above each test. */
export function testLenses(doc: AnalysedDocument): LensEntry[] {
  const lenses: LensEntry[] = [];
  for (const protocol of testResults(doc)) {
    if (protocol.tests.length === 0) continue;
    const failed = protocol.tests.filter((test) => test.passed === false).length;
    const passed = protocol.tests.filter((test) => test.passed === true).length;
    const header = { start: protocol.span.start, end: protocol.span.start };
    lenses.push({ span: header, title: `▶ Run all tests (${protocol.tests.length})`, run: { protocolIndex: protocol.index } });
    lenses.push({ span: header, title: protocol.error ? '⚠ tests cannot run' : failed > 0 ? `✗ ${failed} failed, ${passed} passed` : `✓ ${passed} passed` });
    for (const test of protocol.tests) {
      const at = { start: test.span.start, end: test.span.start };
      lenses.push({ span: at, title: '▶ Run test', run: { protocolIndex: protocol.index, testTitle: test.title } });
      if (test.passed === false) lenses.push({ span: at, title: `✗ got ${test.actual}` });
    }
  }
  return lenses;
}
