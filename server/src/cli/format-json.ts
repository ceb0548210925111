// `--format json`: one object with every finding, test and verification, for scripts.
import { summarize, type RunOutput } from './rows.js';

export function formatJson(output: RunOutput): string {
  const findings = output.findings.map(({ sourceLine, ...row }) => {
    void sourceLine;
    return { ...row, end: { line: row.endLine, column: row.endColumn } };
  });
  const summary = { files: output.filesChecked, ...summarize(output) };
  return JSON.stringify({ command: output.command, findings, tests: output.tests, verifications: output.verifications, summary }, null, 2) + '\n';
}
