// Paths into the repository from compiled tests (which live in out/test/...).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the tests');
    dir = parent;
  }
  return dir;
}

export const REPO = findRoot();

export function repoPath(...parts: string[]): string {
  return path.join(REPO, ...parts);
}

export function readRepo(...parts: string[]): string {
  return fs.readFileSync(repoPath(...parts), 'utf8');
}
