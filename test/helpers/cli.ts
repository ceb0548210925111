// Runs the real `posology` binary, as CI would.
import { spawnSync } from 'node:child_process';
import { NODE_FLAGS } from '../../shared/node-flags.js';
import { repoPath, REPO } from './repo.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function posology(args: string[], cwd = REPO, as?: { uid: number; gid: number }): CliRun {
  const result = spawnSync(process.execPath, [...NODE_FLAGS, repoPath('bin', 'posology.js'), ...args], { cwd, encoding: 'utf8', timeout: 30000, ...as });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
