// The embedded tests and scenarios of a document, for CodeLens and the Test
// Explorer: which tests and scenarios each protocol has (from the syntax tree)
// and their results (from the checker, which runs them through the one
// evaluator, a scenario step by step). Nothing is evaluated here; the client
// only ever shows what this returns.
import type * as ast from '../../syntax/ast.js';
import type { TestResult } from '../../checks/index.js';
import type { AnalysedDocument } from './document.js';
import { phrase, phraseText } from '../../diagnostics/finding.js';
import { counted, uiText } from '../../diagnostics/ui.js';

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

/** A scenario step with something to check: its index among the scenario's steps, title "cycle 1 day 8". */
export interface StepOutcome extends TestOutcome {
  step: number;
}

export interface ScenarioOutcome {
  title: string;
  span: ast.Span;
  /** The steps with an `expect` or a calendar position, in order. */
  steps: StepOutcome[];
  /** True when every step passed, false when one failed, undefined when the scenario did not run. */
  passed?: boolean;
  /** The first step that failed or could not run. */
  failed?: StepOutcome;
  /** Why the scenario could not run, or where it first failed. */
  message?: string;
}

export interface ProtocolTests {
  index: number;
  title: string;
  span: ast.Span;
  tests: TestOutcome[];
  scenarios: ScenarioOutcome[];
  /** Why the protocol's tests could not run, when they could not. */
  error?: string;
}

/**
 * Which tests to answer for: a protocol (by index), then one test (by title),
 * or one scenario (by title). With neither title, every test and scenario.
 */
export interface TestFilter {
  protocolIndex?: number;
  testTitle?: string;
  scenarioTitle?: string;
}

function protocols(doc: AnalysedDocument): ast.ProtocolBlock[] {
  return doc.parsed.parse.file.blocks.filter((block): block is ast.ProtocolBlock => block.kind === 'protocol');
}

/** The check's results by the span of their test block or scenario step, once per analysis. */
const resultsBySpan = new WeakMap<AnalysedDocument['analysis'], Map<string, TestResult>>();

function resultAt(doc: AnalysedDocument, span: ast.Span, step: boolean): TestResult | undefined {
  let index = resultsBySpan.get(doc.analysis);
  if (!index) {
    index = new Map();
    for (const result of doc.analysis.tests) index.set(`${result.scenario === undefined ? 't' : 's'}${result.span.start}:${result.span.end}`, result);
    resultsBySpan.set(doc.analysis, index);
  }
  return index.get(`${step ? 's' : 't'}${span.start}:${span.end}`);
}

/** The first error on a protocol's own lines before its tests: why it did not resolve. */
function whyNotRun(doc: AnalysedDocument, block: ast.ProtocolBlock): string {
  const first = doc.analysis.findings.find((finding) => finding.severity === 'error' && finding.span.start >= block.span.start && finding.span.start <= block.span.end);
  return first ? `the protocol could not be checked: ${first.message}` : 'the protocol could not be checked against a label';
}

// Written out field by field, never `{ ...base, ... }`: V8 builds spread objects the
// slow way, and every keystroke in a protocol with scenarios asks for a hundred of these.
function outcome(title: string, span: ast.Span, expectSpan: ast.Span, result: TestResult | undefined, error: string | undefined): TestOutcome {
  const item: TestOutcome = { title, span, expectSpan };
  if (!result) {
    item.message = error;
  } else if (result.error) {
    item.message = result.error.startsWith('not run:') ? result.error : `not run: ${result.error}`;
  } else {
    item.passed = result.passed;
    item.expected = result.expected;
    item.actual = result.actual;
    item.decidedBy = result.decidedBy;
    item.message = result.passed ? uiText('PassedDecidedBy', result.actual, result.decidedBy) : phraseText(phrase('ExpectedGotDecidedBy', result.expected, result.actual, result.decidedBy));
  }
  return item;
}

/** `cycle 1 day 8` or `day 29`: a step's title, from the syntax tree. */
export function stepTitle(step: ast.ScenarioStep): string {
  const at = step.at;
  if (!at) return '(step)';
  return at.kind === 'day' ? `day ${at.day}` : `cycle ${at.cycle} day ${at.day}`;
}

/** Whether a step is a test of its own: it expects something (the check's rule, read from the tree). */
function checksSomething(step: ast.ScenarioStep): boolean {
  return step.expect !== undefined || step.companions.length > 0 || step.position !== undefined;
}

function scenarioOutcome(doc: AnalysedDocument, scenario: ast.Scenario, resolved: boolean, error: string | undefined): ScenarioOutcome {
  const title = scenario.title?.value ?? '';
  const steps: StepOutcome[] = [];
  scenario.steps.forEach((node, index) => {
    const result = resolved ? resultAt(doc, node.span, true) : undefined;
    // A step the check could not place is a result even without an expect.
    if (!result && !checksSomething(node)) return;
    const expectSpan = node.expectSpan ?? node.at?.span ?? node.span;
    const item = outcome(stepTitle(node), node.span, expectSpan, result, error) as StepOutcome;
    item.step = index;
    steps.push(item);
  });
  const failed = steps.find((item) => item.passed !== true);
  const base: ScenarioOutcome = { title, span: scenario.span, steps };
  if (!resolved) return { ...base, message: error };
  if (steps.length === 0) return { ...base, passed: true, message: uiText('NoStepExpects') };
  if (!failed) return { ...base, passed: true, message: uiText('PassedSteps', counted(steps.length, 'step')) };
  if (failed.passed === undefined) return { ...base, failed, message: `${failed.title}: ${failed.message ?? uiText('NotRun')}` };
  return { ...base, passed: false, failed, message: `${failed.title}: ${failed.message}` };
}

/** Tests and scenarios with their results; `filter` narrows to one protocol, one test or one scenario. */
export function testResults(doc: AnalysedDocument, filter: TestFilter = {}): ProtocolTests[] {
  const results: ProtocolTests[] = [];
  const all = filter.testTitle === undefined && filter.scenarioTitle === undefined;
  protocols(doc).forEach((block, index) => {
    if (filter.protocolIndex !== undefined && filter.protocolIndex !== index) return;
    const resolved = doc.analysis.protocols.some((protocol) => protocol.node === block);
    const error = resolved ? undefined : whyNotRun(doc, block);
    const tests = block.tests
      .filter((test) => all || (filter.testTitle !== undefined && test.title?.value === filter.testTitle))
      .map((test) => {
        const result = resolved ? resultAt(doc, test.span, false) : undefined;
        return outcome(test.title?.value ?? '', test.span, test.expectSpan ?? test.span, result, error);
      });
    const scenarios = block.scenarios
      .filter((scenario) => all || (filter.scenarioTitle !== undefined && scenario.title?.value === filter.scenarioTitle))
      .map((scenario) => scenarioOutcome(doc, scenario, resolved, error));
    results.push({ index, title: block.title?.value ?? '(untitled protocol)', span: block.span, tests, scenarios, error });
  });
  return results;
}

export interface LensEntry {
  span: ast.Span;
  title: string;
  /** Arguments for the client's run command; undefined for a lens that only informs. */
  run?: { protocolIndex: number; testTitle?: string; scenarioTitle?: string };
}

/**
 * "Run all tests" above each protocol, "Run test" and its last result above
 * each test, "Run scenario" and where it failed above each scenario, and the
 * failure beside the failing step.
 */
export function testLenses(doc: AnalysedDocument): LensEntry[] {
  const lenses: LensEntry[] = [];
  for (const protocol of testResults(doc)) {
    const count = protocol.tests.length + protocol.scenarios.length;
    if (count === 0) continue;
    const verdicts = [...protocol.tests.map((test) => test.passed), ...protocol.scenarios.map((scenario) => scenario.passed)];
    const failed = verdicts.filter((passed) => passed === false).length;
    const passed = verdicts.filter((passed) => passed === true).length;
    const header = { start: protocol.span.start, end: protocol.span.start };
    const what = protocol.scenarios.length === 0 ? `${count}` : uiText('LensTestsAndScenarios', counted(protocol.tests.length, 'test'), counted(protocol.scenarios.length, 'scenario'));
    lenses.push({ span: header, title: uiText('LensRunAll', what), run: { protocolIndex: protocol.index } });
    lenses.push({ span: header, title: protocol.error ? uiText('LensCannotRun') : failed > 0 ? uiText('LensFailedPassed', failed, passed) : uiText('LensPassed', passed) });
    for (const test of protocol.tests) {
      const at = { start: test.span.start, end: test.span.start };
      lenses.push({ span: at, title: uiText('LensRunTest'), run: { protocolIndex: protocol.index, testTitle: test.title } });
      if (test.passed === false) lenses.push({ span: at, title: uiText('LensGot', test.actual ?? '') });
    }
    for (const scenario of protocol.scenarios) {
      const at = { start: scenario.span.start, end: scenario.span.start };
      lenses.push({ span: at, title: uiText('LensRunScenario', counted(scenario.steps.length, 'step')), run: { protocolIndex: protocol.index, scenarioTitle: scenario.title } });
      const failedStep = scenario.failed;
      if (!failedStep || protocol.error) continue;
      lenses.push({ span: at, title: uiText(failedStep.passed === false ? 'LensFailsAt' : 'LensNotRunAt', failedStep.title) });
      const step = { start: failedStep.span.start, end: failedStep.span.start };
      lenses.push({ span: step, title: failedStep.passed === false ? uiText('LensGot', failedStep.actual ?? '') : uiText('LensNotRunBecause', failedStep.message ?? uiText('NotRun')) });
    }
  }
  return lenses;
}
