// `--format json`: one object with every finding, test and verification, for scripts.
import type { RunOutput } from './rows.js';

export function formatJson(output: RunOutput): string {
  const findings = output.findings.map(({ sourceLine, ...row }) => {
    void sourceLine;
    return { ...row, end: { line: row.endLine, column: row.endColumn } };
  });
  const passed = output.tests.filter((row) => row.passed).length;
  const summary = {
    files: output.filesChecked,
    errors: output.findings.filter((row) => row.severity === 'error').length,
    warnings: output.findings.filter((row) => row.severity === 'warning').length,
    information: output.findings.filter((row) => row.severity === 'information').length,
    passed,
    failed: output.tests.length - passed,
  };
  return JSON.stringify({ command: output.command, findings, tests: output.tests, verifications: output.verifications, summary }, null, 2) + '\n';
}
