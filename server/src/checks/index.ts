// The checks against the label, in the order their findings read best.
// Each check is one file; adding one is a line here.
import type { ResolvedProtocol } from '../semantics/model.js';
import type { Report } from '../semantics/report.js';
import { checkCombinations } from './combinations.js';
import { usedTopics, type CheckContext } from './context.js';
import type { LabelIndex } from '../semantics/label-index.js';
import { checkCoverage } from './coverage.js';
import { checkDoseCaps } from './dose-caps.js';
import { runTests, type TestResult } from './embedded-tests.js';
import { checkStartDose } from './start-dose.js';
import { checkThresholds } from './thresholds.js';
import { checkWording } from './wording.js';
import { checkCompanions } from './companions.js';
import { checkZeroDoses } from './dose-zero.js';
import { checkGates } from './gates.js';
import { checkLevels } from './levels.js';
import { checkResumes } from './resume.js';
import { checkStartSchedule } from './schedule.js';
import { checkWeakerActions } from './weaker-action.js';

export type { TestResult } from './embedded-tests.js';

const protocolChecks: ((context: CheckContext) => void)[] = [
  checkStartDose,
  checkThresholds,
  checkDoseCaps,
  checkStartSchedule,
  checkLevels,
  checkZeroDoses,
  checkGates,
  checkResumes,
  checkWeakerActions,
  checkCombinations,
  checkCompanions,
  checkCoverage,
  checkWording,
];

export function checkProtocol(protocol: ResolvedProtocol, report: Report, text: string, labels?: LabelIndex): TestResult[] {
  const context: CheckContext = { protocol, report, text };
  if (labels) context.labels = labels;
  for (const check of protocolChecks) check(context);
  checkUnusedDeviations(context);
  return runTests(protocol, report);
}

/** A deviation no finding of its topic was reported for (`deviationOptions` records those) is not needed. */
function checkUnusedDeviations({ protocol, report }: CheckContext): void {
  if (protocol.deviations.size === 0) return;
  const used = usedTopics(protocol);
  for (const [topic, deviation] of protocol.deviations) {
    if (!used.has(topic)) report.add(deviation.span, 'UnusedDeviation', [topic]);
  }
}
