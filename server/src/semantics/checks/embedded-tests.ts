// Diagnostic: POS5001 a failing embedded test
// Runs every `test` block of a protocol through the one evaluator. A failure is
// reported on the `expect` line with the expected and actual decisions and the
// rule (or start dose, or rest day) that decided.
import type * as ast from '../../syntax/ast.js';
import { decide, formatDecision, sameDecision } from '../../eval/index.js';
import type { ResolvedProtocol } from '../model.js';
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

export function runTests(protocol: ResolvedProtocol, report: Report): TestResult[] {
  return protocol.tests.map((test) => {
    const expectSpan = test.node.expectSpan ?? test.node.span;
    const base = { file: protocol.file, protocol: protocol.title, title: test.title, span: test.node.span, expectSpan };
    if (!test.complete) {
      return { ...base, passed: false, expected: '?', actual: '?', decidedBy: '', error: 'not run: a given fact could not be read (see the error on it)' };
    }
    if (!test.expected) {
      return { ...base, passed: false, expected: '?', actual: '?', decidedBy: '', error: 'not run: the expected decision could not be read' };
    }
    const outcome = decide(protocol, test.state);
    const expected = formatDecision(test.expected);
    const actual = formatDecision(outcome.decision);
    const passed = sameDecision(test.expected, outcome.decision);
    if (!passed) {
      const related = outcome.decidedBy
        ? [{ file: protocol.file, span: outcome.decidedBy.node.span, message: `decided by rule ${outcome.decidedBy.name}` }]
        : [];
      report.add(expectSpan, 'TestFailed', [test.title, expected, actual, `decided by ${outcome.reason}`], { related });
    }
    return { ...base, passed, expected, actual, decidedBy: outcome.reason };
  });
}
