// Diagnostic: POS5001 a failing embedded test
// Runs every `test` block of a protocol through the one evaluator. A failure is
// reported on the `expect` line with the expected and actual decisions and the
// rule (or start dose, or rest day) that decided.
import type * as ast from '../../syntax/ast.js';
import { decide, formatDecision, sameDecision } from '../../eval/index.js';
import type { ResolvedProtocol, TestInfo } from '../model.js';
import type { Report } from '../report.js';

export interface TestResult {
  file: string;
  protocol: string;
  title: string;
  /** The whole test block, and its `expect` clause where failures are shown. */
  span: ast.Span;
  expectSpan: ast.Span;
  passed: boolean;
  expected: string;
  actual: string;
  decidedBy: string;
  /** Set when the test could not run (its given or expect did not resolve). */
  error?: string;
}

/** How one test went; `error` is set only when it could not run. */
type Verdict = Pick<TestResult, 'passed' | 'expected' | 'actual' | 'decidedBy' | 'error'>;

export function runTests(protocol: ResolvedProtocol, report: Report): TestResult[] {
  return protocol.tests.map((test) => resultOf(protocol, test, verdictOf(protocol, test, report)));
}

function notRun(error: string): Verdict {
  return { passed: false, expected: '?', actual: '?', decidedBy: '', error };
}

function verdictOf(protocol: ResolvedProtocol, test: TestInfo, report: Report): Verdict {
  if (!test.complete) return notRun('not run: a given fact could not be read (see the error on it)');
  if (!test.expected) return notRun('not run: the expected decision could not be read');
  const outcome = decide(protocol, test.state);
  const expected = formatDecision(test.expected);
  const actual = formatDecision(outcome.decision);
  const passed = sameDecision(test.expected, outcome.decision);
  if (!passed) {
    const related = outcome.decidedBy
      ? [{ file: protocol.file, span: outcome.decidedBy.node.span, message: `decided by rule ${outcome.decidedBy.name}` }]
      : [];
    report.add(expectSpanOf(test), 'TestFailed', [test.title, expected, actual, `decided by ${outcome.reason}`], { related });
  }
  return { passed, expected, actual, decidedBy: outcome.reason };
}

function expectSpanOf(test: TestInfo): ast.Span {
  return test.node.expectSpan ?? test.node.span;
}

// Written out field by field: `{ ...base, passed, ... }` made V8 build each of
// the 6,000 results of a large file the slow way (22 ms of a 60 ms check).
function resultOf(protocol: ResolvedProtocol, test: TestInfo, verdict: Verdict): TestResult {
  const result: TestResult = {
    file: protocol.file,
    protocol: protocol.title,
    title: test.title,
    span: test.node.span,
    expectSpan: expectSpanOf(test),
    passed: verdict.passed,
    expected: verdict.expected,
    actual: verdict.actual,
    decidedBy: verdict.decidedBy,
  };
  if (verdict.error !== undefined) result.error = verdict.error;
  return result;
}
