// The default output: compiler-style lines a pharmacist can read in a terminal.
import { phrase, phraseText } from '../diagnostics/finding.js';
import { counted, uiText } from '../diagnostics/ui.js';
import { summarize, type FindingRow, type RunOutput, type TestRow } from './rows.js';
import { escapeTerminal } from './terminal.js';

function findingLines(row: FindingRow): string[] {
  const lines = [`${row.file}:${row.line}:${row.column}: ${row.severity} ${row.code}: ${row.message}`];
  const gutter = String(row.line).length;
  const width = row.endLine === row.line ? Math.max(1, row.endColumn - row.column) : 1;
  lines.push(`  ${row.line} | ${row.sourceLine}`);
  lines.push(`  ${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, row.column - 1))}${'^'.repeat(Math.min(width, 200))}`);
  for (const related of row.related) lines.push(`  = ${related.message} (${related.file}:${related.line})`);
  return lines;
}

function testLines(row: TestRow): string[] {
  const where = `${row.file}:${row.line}:${row.column}`;
  if (row.passed) return [uiText('CliPass', row.protocol, row.title)];
  const why = row.error ?? phraseText(phrase('ExpectedGotDecidedBy', row.expected, row.actual, row.decidedBy));
  return [uiText('CliFail', row.protocol, row.title), `     ${where}: ${why}`];
}

export function formatHuman(output: RunOutput): string {
  const lines: string[] = [];
  // `posology test` shows a failing test or step as its FAIL line, not again as a finding.
  const shown = output.command === 'test' ? output.findings.filter((row) => row.severity === 'error' && !row.test) : output.findings;
  for (const row of shown) lines.push(...findingLines(row), '');
  if (output.command === 'test') for (const row of output.tests) lines.push(...testLines(row));
  for (const verification of output.verifications) {
    lines.push(`${verification.file}: ${verification.protocol}: ${verification.summary}`);
    for (const explanation of verification.explanations) lines.push(explanation, '');
  }
  const summary = summarize(output);
  if (output.command !== 'test') {
    lines.push(uiText('CliFilesChecked', counted(output.filesChecked, 'file'), counted(summary.errors, 'error'), counted(summary.warnings, 'warning'), summary.information));
  } else {
    // The errors printed above; a failing test or step is counted in the line below instead.
    const errors = shown.filter((row) => row.severity === 'error').length;
    if (errors > 0) lines.push(uiText('CliErrorsInFilesTested', counted(errors, 'error')));
    if (output.tests.length === 0 && !output.emptyAllowed) lines.push(uiText('CliNoTestRun'));
    if (summary.steps > 0) lines.push(uiText('CliTestsScenariosSteps', counted(summary.tests, 'test'), counted(summary.scenarios, 'scenario'), counted(summary.steps, 'step')));
    lines.push(uiText('CliPassedFailed', summary.passed, summary.failed));
  }
  // File names, source lines and titles come from files: shown, never obeyed by the terminal.
  return escapeTerminal(lines.join('\n') + '\n');
}
