// Golden files: the exact `posology check` output for every example, as a
// pharmacist sees it. A diff here is a change in what users read; update on
// purpose with UPDATE_GOLDEN=1 npm test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../server/src/cli/main.js';
import { REPO, repoPath } from '../helpers/repo.js';

class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function examples(): string[] {
  const found: string[] = [];
  for (const folder of ['examples', 'examples/mistakes']) {
    for (const name of fs.readdirSync(repoPath(folder))) if (name.endsWith('.dose')) found.push(`${folder}/${name}`);
  }
  return found;
}

async function checkOutput(file: string): Promise<string> {
  const previous = process.cwd();
  process.chdir(REPO);
  try {
    const out = new Capture();
    const err = new Capture();
    const status = await main(['check', file], out, err);
    return `$ posology check ${file}\n${out.text}${err.text}exit ${status}\n`;
  } finally {
    process.chdir(previous);
  }
}

describe('cli golden output', () => {
  for (const file of examples()) {
    it(file, async () => {
      const golden = repoPath('test', 'cli', 'golden', `${path.basename(file, '.dose')}.txt`);
      const actual = await checkOutput(file);
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, actual);
      assert.ok(fs.existsSync(golden), `no golden file ${golden}: run UPDATE_GOLDEN=1 npm test`);
      assert.equal(actual, fs.readFileSync(golden, 'utf8'));
    });
  }
});
