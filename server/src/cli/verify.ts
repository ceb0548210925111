// `posology verify` / `check --verify`: runs the verifier on every protocol and
// summarises each as verified, N counterexamples, or stopped after N states (not verified).
// (A protocol against a label with errors does not resolve: POS2012, no row.)
import type { Finding } from '../diagnostics/finding.js';
import { counted } from '../diagnostics/ui.js';
import type { FileAnalysis } from '../checks/analysis.js';
import { CLI_TIME_BUDGET_MS } from '../verify/budget.js';
import { verifyFile } from '../pipeline/verify-file.js';
import type { VerificationResult } from '../verify/index.js';
import type { Options } from './args.js';
import { display, type Locator, type VerificationRow } from './rows.js';

function summary(result: VerificationResult): string {
  const states = `${result.statesExplored} of ${result.statesTotal} states explored`;
  const search = result.courses?.decidedBy === 'day segments' ? ' over day segments' : result.courses?.segmentStates !== undefined ? ` (exact search after ${result.courses.segmentStates} over day segments)` : '';
  const courses = result.courses?.complete ? `; ${result.courses.statesExplored} course states${search}, courses of any length` : '';
  switch (result.status) {
    case 'verified':
      return `verified (${states}, no counterexample${result.coverage === 'single days' ? '; single days only, courses not searched (--no-courses)' : courses})`;
    case 'counterexamples':
      return `${counted(result.counterexamples.length, 'counterexample')} (${states}${courses})`;
    case 'stopped':
    case 'withheld':
      return `${result.reason ?? `stopped after ${states}`}; not verified`;
  }
}

function explanations(result: VerificationResult, locator: Locator, file: string): string[] {
  return result.counterexamples.map((example) => {
    const where = locator.locate(file, example.span);
    const what = example.kind === 'scenario' ? `a course of ${example.days} days: ${example.timeline.join('; ')}` : example.stateText;
    return `  ${where.file}:${where.line}: ${what}: gives ${example.given}; the label requires ${example.required}\n${example.testText
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n')}`;
  });
}

export function verifyAll(
  analyses: FileAnalysis[],
  texts: Map<string, string>,
  options: Options,
  locator: Locator,
): { findings: Finding[]; rows: VerificationRow[] } {
  const findings: Finding[] = [];
  const rows: VerificationRow[] = [];
  for (const analysis of analyses) {
    const verified = verifyFile(analysis, { maxStates: options.maxStates, text: texts.get(analysis.path), courses: options.courses !== false, timeBudgetMs: CLI_TIME_BUDGET_MS });
    findings.push(...verified.findings);
    for (const { protocol, result } of verified.protocols) {
      rows.push({
        file: display(analysis.path),
        protocol: protocol.title,
        status: result.status,
        statesExplored: result.statesExplored,
        statesTotal: result.statesTotal,
        counterexamples: result.counterexamples.length,
        summary: summary(result),
        explanations: options.explain ? explanations(result, locator, analysis.path) : [],
      });
    }
  }
  return { findings, rows };
}
