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
  const firstFinding = report.findings.length;
  for (const check of protocolChecks) check(context);
  checkUnusedDeviations(context, firstFinding);
  return runTests(protocol, report);
}

function checkUnusedDeviations({ protocol, report }: CheckContext, firstFinding: number): void {
  if (protocol.deviations.size === 0) return;
  const topicsByCode: Record<string, string> = { POS3001: 'start', POS3002: 'cycle', POS3003: 'days', POS3008: 'with', POS3012: 'with' };
  const used = new Set(report.findings.slice(firstFinding).map((item) => topicsByCode[item.code]));
  for (const topic of usedTopics(protocol)) used.add(topic);
  for (const [topic, deviation] of protocol.deviations) {
    if (!used.has(topic)) report.add(deviation.span, 'UnusedDeviation', [topic]);
  }
}
