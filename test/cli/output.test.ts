// Output that cannot be abused or broken (issue 14): control characters from
// file content or names never reach the terminal raw, SARIF URIs are
// percent-encoded, a closed pipe or a full disk ends the CLI quietly with its
// normal exit status, and the same file gives the same result from any
// working directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NODE_FLAGS } from '../../shared/node-flags.js';
import { readRepo, REPO, repoPath } from '../helpers/repo.js';
import { projectsForSuite, run } from '../helpers/hostile.js';

const label = readRepo('labels', 'pomalidomide.dose');
const protocol = readRepo('examples', 'pd-multiple-myeloma.dose');
const mistakes = readRepo('examples', 'mistakes', 'pd-with-mistakes.dose');
const bin = `'${process.execPath}' ${NODE_FLAGS.join(' ')} '${repoPath('bin', 'posology.js')}'`;

describe('cli: output', function () {
  this.timeout(60000);
  const make = projectsForSuite();

  it('terminal control characters from file content and names are escaped in the human output and on stderr', () => {
    const evil = '\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202e';
    const name = `bad${evil}.dose`;
    const dir = make({ 'labels/pomalidomide.dose': label, [name]: protocol.replace('drug pomalidomide', `drug nosuchdrug // ${evil}`) });
    const result = run(['check', '.'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /POS2001/);
    for (const output of [result.stdout, result.stderr]) assert.doesNotMatch(output, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/, 'no raw control character');
    assert.ok(result.stdout.includes('bad\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202e.dose:'), result.stdout);
    assert.ok(result.stdout.includes('drug nosuchdrug // \\x1b[2J'), 'the source line is escaped');
    // A name on stderr (a usage error) too.
    const missing = run(['check', `missing${evil}.dose`], dir);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'posology: no such file or folder: missing\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202e.dose\n');
  });

  it('SARIF URIs are percent-encoded (# and ? in a name)', () => {
    const dir = make({ 'labels/pomalidomide.dose': label, 'odd #1?.dose': protocol.replace('start 4 mg', 'start 5 mg') });
    const result = run(['check', '.', '--format', 'sarif'], dir);
    assert.equal(result.status, 1, result.stderr);
    const log = JSON.parse(result.stdout) as { runs: { originalUriBaseIds: Record<string, { uri: string }>; results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = log.runs[0].results.map((item) => item.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('odd%20%231%3F.dose'), uris.join(', '));
    const base = new URL(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri);
    assert.equal(new URL(uris[0], base).pathname, `${base.pathname}odd%20%231%3F.dose`);
    assert.equal(decodeURIComponent(new URL(uris[0], base).pathname), path.join(dir, 'odd #1?.dose'));
  });

  it('a closed pipe (| head -1) ends the CLI quietly with its normal exit status', () => {
    const files: Record<string, string> = { 'labels/pomalidomide.dose': label };
    for (let i = 0; i < 200; i++) files[`m${i}.dose`] = mistakes;
    const dir = make(files);
    // Verification (on by default) is not what this test is about: 200 files of it would only slow it down.
    const normal = run(['check', '.', '--no-verify'], dir);
    assert.equal(normal.status, 1);
    assert.ok(normal.stdout.length > 256 * 1024, 'more than a pipe holds');
    const piped = spawnSync('bash', ['-c', `${bin} check . --no-verify | head -1; exit \${PIPESTATUS[0]}`], { cwd: dir, encoding: 'utf8', timeout: 30000 });
    assert.equal(piped.status, 1, piped.stderr);
    assert.equal(piped.stdout.split('\n').length, 2, 'one line through head');
    assert.equal(piped.stderr, '', 'quiet: no stack trace, no message');
  });

  it('a full disk (/dev/full) ends the CLI with one line on stderr and its normal exit status', () => {
    const dir = make({ 'labels/pomalidomide.dose': label, 'p.dose': protocol, 'bad.dose': mistakes });
    for (const [file, status] of [['p.dose', 0], ['bad.dose', 1]] as const) {
      const full = spawnSync('bash', ['-c', `${bin} check ${file} > /dev/full`], { cwd: dir, encoding: 'utf8', timeout: 30000 });
      assert.equal(full.status, status, full.stderr);
      assert.equal(full.stderr, 'posology: cannot write the output: no space left on device\n');
    }
  });

  it('the same file gives the same result from any working directory', () => {
    const dir = make({ 'labels/pomalidomide.dose': label, 'protocols/p.dose': protocol, 'protocols/bad.dose': mistakes });
    const summary = (cwd: string) => {
      const result = run(['check', path.join(dir, 'protocols'), '--format', 'json'], cwd);
      const output = JSON.parse(result.stdout) as { findings: { file: string; line: number; code: string }[]; filesChecked: number };
      return { status: result.status, filesChecked: output.filesChecked, findings: output.findings.map((item) => `${path.basename(item.file)}:${item.line}:${item.code}`).sort() };
    };
    const fromProject = summary(dir);
    assert.equal(fromProject.status, 1);
    assert.ok(!fromProject.findings.some((item) => item.endsWith('POS2001')), 'the label is found');
    for (const cwd of [REPO, '/', path.join(dir, 'protocols'), path.join(dir, 'labels')]) assert.deepEqual(summary(cwd), fromProject, `from ${cwd}`);
  });
});
