// The fixed words of the tools' own surfaces that are not a diagnostic: the
// CodeLens titles above protocols, tests and scenarios, the summary lines of the
// CLI's human output, and counted nouns ("1 step", "2 steps"), which editor and
// terminal both say. A diagnostic's wording is in messages.ts (codes, severities,
// deviation topics, docs); these have none of that, but are said in more than one
// place, so they are written once here. test/diagnostics/ui.test.ts fails if one
// is never used or if a lens title or summary line is not one of them.
import { formatMessage } from './messages.js';

export const UiPhrases = {
  // CodeLens titles (lsp/features/tests.ts).
  LensRunAll: '▶ Run all tests ({0})',
  LensTestsAndScenarios: '{0}, {1}',
  LensRunTest: '▶ Run test',
  LensRunScenario: '▶ Run scenario ({0})',
  LensCannotRun: '⚠ tests cannot run',
  LensFailedPassed: '✗ {0} failed, {1} passed',
  LensPassed: '✓ {0} passed',
  LensGot: '✗ got {0}',
  LensFailsAt: '✗ fails at {0}',
  LensNotRunAt: '⚠ not run at {0}',
  LensNotRunBecause: '⚠ {0}',
  // A test or scenario result in the editor (the Test Explorer's message, hover).
  NotRun: 'not run',
  PassedDecidedBy: 'passed: {0} (decided by {1})',
  PassedSteps: 'passed: {0}',
  NoStepExpects: 'no step expects anything',
  StepsPass: '✓ {0} pass',
  // The summary lines of `posology check` and `posology test` (cli/format-human.ts).
  CliPass: 'PASS {0} > {1}',
  CliFail: 'FAIL {0} > {1}',
  CliFilesChecked: '{0} checked: {1}, {2}, {3} information',
  CliErrorsInFilesTested: '{0} in the files tested',
  CliNoTestRun: 'No test was run: the files given have no test blocks (posology test fails unless --allow-empty)',
  CliTestsScenariosSteps: '{0}, {1} of {2}',
  CliPassedFailed: '{0} passed, {1} failed',
} as const;

export type UiPhraseName = keyof typeof UiPhrases;

/** Nouns said with a count, singular and plural. */
export const Nouns = {
  file: ['file', 'files'],
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  test: ['test', 'tests'],
  scenario: ['scenario', 'scenarios'],
  step: ['step', 'steps'],
  day: ['day', 'days'],
  counterexample: ['counterexample', 'counterexamples'],
} as const;

export type Noun = keyof typeof Nouns;

/** A UI phrase with its arguments. */
export function uiText(name: UiPhraseName, ...args: (string | number)[]): string {
  return formatMessage(UiPhrases[name], args);
}

/** "1 step", "3 steps". */
export function counted(n: number, noun: Noun): string {
  return `${n} ${Nouns[noun][n === 1 ? 0 : 1]}`;
}
