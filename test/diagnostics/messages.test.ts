import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Messages } from '../../server/src/diagnostics/messages.js';
import { renderDiagnosticsDoc } from '../../server/src/diagnostics/docs.js';
import { readRepo, repoPath } from '../helpers/repo.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('diagnostics/messages', () => {
  const entries = Object.entries(Messages);

  it('gives every entry a unique code in its phase range', () => {
    const codes = entries.map(([, entry]) => entry.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^POS[1-5]\d{3}$/);
  });

  it('uses every entry somewhere in the source', () => {
    const source = sourceFiles(repoPath('server', 'src'))
      .filter((file) => !file.endsWith(path.join('diagnostics', 'messages.ts')))
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
    const unused = entries.map(([name]) => name).filter((name) => !source.includes(`'${name}'`));
    assert.deepEqual(unused, []);
  });

  it('keeps docs/diagnostics.md in step with the table', () => {
    assert.equal(readRepo('docs', 'diagnostics.md'), renderDiagnosticsDoc(), 'run npm run docs:diagnostics');
  });
});
