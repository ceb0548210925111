// `--format sarif` as a code-scanning dashboard takes it: validated by Microsoft's
// SARIF multitool (`@microsoft/sarif-multitool`, a .NET binary shipped in the npm
// package) with the SARIF rules and GitHub's ingestion rules, with no error or
// warning; and fingerprints that do not move when lines do. The schema test is in
// cli.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { diagnosticsByCode, Messages } from '../../server/src/diagnostics/messages.js';
import { FINGERPRINT_KEY } from '../../server/src/cli/format-sarif.js';
import { posology } from '../helpers/cli.js';
import { readRepo } from '../helpers/repo.js';

const require = createRequire(import.meta.url);

interface SarifLog {
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string }; helpUri: string }[] } };
    results: { ruleId: string; ruleIndex: number; level?: string; message: { text: string }; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  }[];
}

/** The multitool binary for this platform (the npm package's index gives its path). */
function multitool(): string {
  const binary = require('@microsoft/sarif-multitool') as string;
  // npm may skip the package's `chmod u+x` install script; the binary must run all the same.
  if ((fs.statSync(binary).mode & 0o100) === 0) fs.chmodSync(binary, 0o755);
  return binary;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'posology-sarif-'));
}

describe('cli: SARIF for code-scanning dashboards', function () {
  this.timeout(120000);

  it('the SARIF multitool finds no error or warning (SARIF and GitHub rules)', () => {
    const run = posology(['check', 'examples', '--format', 'sarif']);
    assert.equal(run.status, 1, run.stderr);
    const dir = tempDir();
    const input = path.join(dir, 'posology.sarif');
    const output = path.join(dir, 'validation.sarif');
    fs.writeFileSync(input, run.stdout);
    const validation = spawnSync(multitool(), ['validate', input, '--output', output, '--log', 'ForceOverwrite', '--level', 'Error;Warning', '--rule-kind', 'Sarif;Gh;Ghas'], { encoding: 'utf8', timeout: 110000 });
    assert.equal(validation.error, undefined, `the multitool did not run: ${validation.error?.message}`);
    assert.equal(validation.status, 0, validation.stdout + validation.stderr);
    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: { arguments?: string[] } }[] }[] };
    const problems = (report.runs[0].results ?? []).filter((result) => (result.level ?? 'warning') !== 'note' && result.level !== 'none');
    assert.deepEqual(problems.map((result) => `${result.level ?? 'warning'} ${result.ruleId}: ${result.message.arguments?.join(' | ')}`), []);
  });

  it('describes every rule from the message table: name, descriptions, help, level; the tool has a version and home page', () => {
    const log = JSON.parse(posology(['check', 'examples', '--format', 'sarif']).stdout) as SarifLog;
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'posology');
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    assert.match(driver.informationUri, /^https:\/\//);
    assert.equal(driver.rules.length, diagnosticsByCode().length);
    assert.equal(new Set(driver.rules.map((rule: { id: string }) => rule.id)).size, driver.rules.length);
    const threshold = driver.rules.find((rule) => rule.id === 'POS3004')!;
    assert.equal(threshold.name, 'ThresholdLessSafe');
    assert.equal(threshold.fullDescription.text, Messages.ThresholdLessSafe.explain);
    assert.ok(threshold.help.text.includes(Messages.ThresholdLessSafe.explain));
    assert.ok(threshold.help.markdown.includes('POS3004'));
    assert.match(threshold.helpUri, /docs\/diagnostics\.md#pos3004$/);
    for (const result of log.runs[0].results) {
      assert.equal(driver.rules[result.ruleIndex].id, result.ruleId);
      assert.match(result.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}:\d+$/);
    }
  });

  it('fingerprints stay the same when lines move, and differ between findings', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'labels'));
    fs.writeFileSync(path.join(dir, 'labels', 'l.dose'), readRepo('labels', 'pomalidomide.dose'));
    const text = readRepo('examples', 'mistakes', 'pd-with-mistakes.dose');
    const prints = (protocol: string) => {
      fs.writeFileSync(path.join(dir, 'p.dose'), protocol);
      const log = JSON.parse(posology(['check', 'p.dose', '--format', 'sarif'], dir).stdout) as SarifLog;
      return log.runs[0].results.map((result) => ({ line: result.locations[0].physicalLocation.region.startLine, print: result.partialFingerprints[FINGERPRINT_KEY] }));
    };
    const before = prints(text);
    const after = prints(`// two lines\n// added above\n${text}`);
    assert.deepEqual(after.map((item) => item.print), before.map((item) => item.print));
    assert.deepEqual(after.map((item) => item.line), before.map((item) => item.line + 2));
    assert.equal(new Set(before.map((item) => item.print)).size, before.length);
  });
});
