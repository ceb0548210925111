// The CLI run as CI would, with a 10 s limit (a hang fails instead of stalling the suite),
// and throw-away projects on disk, for the tests of hostile files and output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NODE_FLAGS } from '../../shared/node-flags.js';
import { repoPath } from './repo.js';

/** Output is collected up to 64 MB: spawnSync's default (1 MB) kills a CLI that says more, which is not a hang. */
export function run(args: string[], cwd: string, as?: { uid: number; gid: number }) {
  const result = spawnSync(process.execPath, [...NODE_FLAGS, repoPath('bin', 'posology.js'), ...args], { cwd, encoding: 'utf8', timeout: 10000, maxBuffer: 64 * 1024 * 1024, ...as });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export function project(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'posology-hostile-')));
  fs.chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** A suite's way to make throw-away projects: each is removed after the suite (call it in `describe`). */
export function projectsForSuite(): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (files) => {
    const dir = project(files);
    dirs.push(dir);
    return dir;
  };
}
