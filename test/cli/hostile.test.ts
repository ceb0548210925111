// The command line against hostile files (issue 14): special files never block or
// grow memory, nothing unreadable is skipped silently. Each run has a 10 s limit:
// a hang is a failure, not a stuck suite.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectsForSuite, run } from '../helpers/hostile.js';
import { readRepo } from '../helpers/repo.js';

const label = readRepo('labels', 'pomalidomide.dose');
const protocol = readRepo('examples', 'pd-multiple-myeloma.dose');

function noStackTrace(result: { stdout: string; stderr: string }): void {
  assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at .+:\d+:\d+/);
}

describe('cli: hostile files', function () {
  this.timeout(30000);
  const make = projectsForSuite();

  it('a FIFO named on the command line: exit 2 at once, naming it', () => {
    const dir = make({ 'labels/pomalidomide.dose': label });
    execFileSync('mkfifo', [path.join(dir, 'pipe.dose')]);
    const result = run(['check', 'pipe.dose'], dir);
    assert.equal(result.signal, null, 'it did not hang');
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'posology: cannot read pipe.dose: it is a FIFO (named pipe), not a regular file\n');
    noStackTrace(result);
  });

  it('a symlink to /dev/zero named on the command line: exit 2 at once, memory never grows', () => {
    const dir = make({ 'labels/pomalidomide.dose': label });
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.dose'));
    const result = run(['check', 'zero.dose'], dir);
    assert.equal(result.signal, null, 'it did not hang');
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'posology: cannot read zero.dose: it is a character device, not a regular file\n');
  });

  it('a FIFO found in a folder is a finding (exit 2), a symlink to /dev/zero there is ignored', () => {
    const dir = make({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    execFileSync('mkfifo', [path.join(dir, 'pipe.dose')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.dose'));
    const result = run(['check', '.'], dir);
    assert.equal(result.signal, null, 'it did not hang');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^posology: cannot read pipe\.dose: it is a FIFO \(named pipe\), not a regular file$/m);
    assert.doesNotMatch(result.stderr, /zero/);
    fs.unlinkSync(path.join(dir, 'pipe.dose'));
    const clean = run(['check', '.'], dir);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /^2 files checked: 0 errors/m);
  });

  it('a FIFO in labels/ is a finding (exit 2); a symlink to /dev/zero in labels/ is ignored', () => {
    const dir = make({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    execFileSync('mkfifo', [path.join(dir, 'labels', 'pipe.dose')]);
    const result = run(['check', 'p.dose'], dir);
    assert.equal(result.signal, null, 'it did not hang');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^posology: cannot read .*labels\/pipe\.dose: it is a FIFO \(named pipe\), not a regular file$/m);
    fs.unlinkSync(path.join(dir, 'labels', 'pipe.dose'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'labels', 'zero.dose'));
    const ignored = run(['check', 'p.dose'], dir);
    assert.equal(ignored.signal, null, 'it did not hang');
    assert.equal(ignored.status, 0, ignored.stdout + ignored.stderr);
  });

  it('a folder that cannot be read is a finding: exit 2 naming it, never "0 errors"', function () {
    const dir = make({ 'labels/pomalidomide.dose': label, 'p.dose': protocol, 'locked/q.dose': protocol });
    fs.chmodSync(path.join(dir, 'locked'), 0o700);
    // Root lists anything, so as root the binary runs as nobody to meet the refusal.
    const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    fs.chmodSync(path.join(dir, 'locked'), nobody ? 0o700 : 0o000);
    const result = run(['check', '.'], dir, nobody);
    fs.chmodSync(path.join(dir, 'locked'), 0o755);
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.equal(result.stderr, 'posology: cannot read locked: it is a folder that cannot be listed: permission denied\n');
    assert.equal(result.stdout, '');
  });
});
