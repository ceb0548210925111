// Diagnostic: POS5001 a failing embedded test
// Diagnostic: POS5005 a failing scenario step
// Diagnostic: POS5004 a scenario step that cannot be placed on the course
// Runs every `test` block (a course of one day) and every `scenario` (step by
// step, the days between steps evaluated too) through the one evaluator. A
// failure is reported on the `expect` with the expected and actual decisions
// and the rule (or state: start dose, rest day, delayed cycle, hold in force)
// that decided.
import type * as ast from '../syntax/ast.js';
import { companionProblems, decideDay, describeStepDay, formatActual, formatDecision, formatExpected, runScenario, sameDecision, whyPhrase } from '../eval/index.js';
import type { DayOutcome, StepResult, Why } from '../eval/index.js';
import type { Decision, ResolvedProtocol, ScenarioInfo, TestInfo } from '../semantics/model.js';
import type { Report } from '../semantics/report.js';
import { phrase, phraseText, type TestSubject } from '../diagnostics/finding.js';

export interface TestResult {
  file: string;
  protocol: string;
  /** The test's title; for a scenario step, "scenario title > cycle 1 day 8". */
  title: string;
  /** The whole test block (or scenario step), and its `expect` clause where failures are shown. */
  span: ast.Span;
  expectSpan: ast.Span;
  passed: boolean;
  expected: string;
  actual: string;
  decidedBy: string;
  /** Set when the test could not run (its given or expect did not resolve). */
  error?: string;
  /** Set for a scenario step: the scenario's title and the step's index in it. */
  scenario?: string;
  step?: number;
}

/** How one test went; `error` is set only when it could not run. */
type Verdict = Pick<TestResult, 'passed' | 'expected' | 'actual' | 'decidedBy' | 'error'>;

export function runTests(protocol: ResolvedProtocol, report: Report): TestResult[] {
  const words: Words = new Map();
  const results = protocol.tests.map((test) => resultOf(protocol, test.title, test.node.span, expectSpanOf(test), verdictOf(protocol, test, report, words)));
  for (const scenario of protocol.scenarios) results.push(...runScenarioSteps(protocol, scenario, report));
  return results;
}

function notRun(error: string): Verdict {
  return { passed: false, expected: '?', actual: '?', decidedBy: '', error };
}

/** The state that decided, in words, and the rule as related information. */
function decidedBy(protocol: ResolvedProtocol, outcome: DayOutcome) {
  const related = outcome.decidedBy
    ? [{ file: protocol.file, span: outcome.decidedBy.node.span, message: phraseText(phrase('RelatedDecidingRule', outcome.decidedBy.name)) }]
    : outcome.delayedBy
      ? [{ file: protocol.file, span: outcome.delayedBy.node.span, message: phraseText(phrase('RelatedDelayingGate')) }]
      : [];
  return { reason: phraseText(whyPhrase(outcome.reason)), related };
}

/**
 * The words of the reasons and decisions a protocol's tests end in, by the object: the
 * evaluator's plan shares one frozen `Why` and `Decision` per rule, rest day or dose, so
 * thousands of tests are worded from a few of each.
 */
type Words = Map<Why | Decision, string>;

function reasonText(words: Words, why: Why): string {
  let text = words.get(why);
  if (text === undefined) words.set(why, (text = phraseText(whyPhrase(why))));
  return text;
}

function decisionText(words: Words, decision: Decision): string {
  let text = words.get(decision);
  if (text === undefined) words.set(decision, (text = formatDecision(decision)));
  return text;
}

function verdictOf(protocol: ResolvedProtocol, test: TestInfo, report: Report, words: Words): Verdict {
  if (!test.complete) return notRun(phraseText(phrase('NotRunGivenUnread')));
  if (!test.expected) return notRun(phraseText(phrase('NotRunExpectedUnread')));
  const outcome = decideDay(protocol, test.state);
  const expected = test.companions.length > 0 ? formatExpected(test.expected, test.companions) : formatDecision(test.expected);
  const actual = test.companions.length > 0 ? formatActual(outcome.decision, outcome.companions, test.companions) : decisionText(words, outcome.decision);
  const passed = sameDecision(test.expected, outcome.decision) && companionProblems(test.companions, outcome.companions).length === 0;
  if (!passed) {
    const why = decidedBy(protocol, outcome);
    report.add(expectSpanOf(test), 'TestFailed', [test.title, expected, actual, why.reason], { related: why.related, subject: { protocol: protocol.title, test: test.title } });
  }
  return { passed, expected, actual, decidedBy: reasonText(words, outcome.reason) };
}

function runScenarioSteps(protocol: ResolvedProtocol, scenario: ScenarioInfo, report: Report): TestResult[] {
  const titleOf = (index: number, at: string) => `${scenario.title} > ${at}`;
  if (!scenario.complete) {
    return scenario.steps.map((item, index) =>
      withStep(resultOf(protocol, titleOf(index, describeStepDay(item)), item.node.span, stepExpectSpan(item.node), notRun(phraseText(phrase('NotRunStepUnread')))), scenario, index),
    );
  }
  const run = runScenario(protocol, scenario);
  const rows: TestResult[] = [];
  run.steps.forEach((result, index) => {
    // A step with nothing to check (observations only) is no test of its own, unless it could not be placed.
    const step = result.step;
    if (!step.expected && step.companions.length === 0 && !step.position && !result.error) return;
    const title = titleOf(index, describeStepDay(step));
    const subject = { protocol: protocol.title, test: title, scenario: scenario.title, step: index };
    rows.push(withStep(stepResult(protocol, scenario, result, report, title, subject), scenario, index));
  });
  return rows;
}

function stepResult(protocol: ResolvedProtocol, scenario: ScenarioInfo, result: StepResult, report: Report, title: string, subject: TestSubject): TestResult {
  const node = result.step.node;
  const expectSpan = stepExpectSpan(node);
  if (result.error) {
    if (result.error.name !== 'StepAfterUnplaced') report.add(node.at?.span ?? node.span, 'ScenarioStepPlacement', [scenario.title, phraseText(result.error)], { subject });
    return resultOf(protocol, title, node.span, expectSpan, notRun(phraseText(result.error)));
  }
  const outcome = result.outcome;
  const reason = outcome ? phraseText(whyPhrase(outcome.reason)) : '';
  if (!result.passed && outcome) {
    const why = decidedBy(protocol, outcome);
    const { calendar } = outcome;
    const holds = outcome.holding.length > 0 ? phraseText(phrase('HoldsInForce', outcome.holding.join(', '))) : '';
    const problems = result.problems.map(phraseText).join('; ');
    const dose = `${outcome.dose} ${protocol.label.doseUnit?.ucum ?? ''}`;
    report.add(expectSpan, 'ScenarioStepFailed', [scenario.title, describeStepDay(result.step), calendar.treatmentDay, calendar.cycle, calendar.cycleDay, problems, why.reason, dose, holds], { related: why.related, subject });
  }
  return resultOf(protocol, title, node.span, expectSpan, { passed: result.passed, expected: result.expected, actual: result.actual, decidedBy: reason });
}

function stepExpectSpan(node: ast.ScenarioStep): ast.Span {
  return node.expectSpan ?? node.at?.span ?? node.span;
}

function withStep(result: TestResult, scenario: ScenarioInfo, index: number): TestResult {
  result.scenario = scenario.title;
  result.step = index;
  return result;
}

function expectSpanOf(test: TestInfo): ast.Span {
  return test.node.expectSpan ?? test.node.span;
}

// Written out field by field: `{ ...base, passed, ... }` made V8 build each of
// the 6,000 results of a large file the slow way (22 ms of a 60 ms check).
function resultOf(protocol: ResolvedProtocol, title: string, span: ast.Span, expectSpan: ast.Span, verdict: Verdict): TestResult {
  const result: TestResult = {
    file: protocol.file,
    protocol: protocol.title,
    title,
    span,
    expectSpan,
    passed: verdict.passed,
    expected: verdict.expected,
    actual: verdict.actual,
    decidedBy: verdict.decidedBy,
  };
  if (verdict.error !== undefined) result.error = verdict.error;
  return result;
}
