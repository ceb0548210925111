import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALIASES } from '../../server/src/units/index.js';

// Compiled to out/test/units/, three levels below the repository root.
const root = fileURLToPath(new URL('../../../', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('units: boundaries', () => {
  it('only server/src/units/ucum.ts imports the UCUM library', () => {
    const importers = sourceFiles(join(root, 'server', 'src'))
      .filter((file) => !file.endsWith('.d.ts'))
      .filter((file) => /from\s+['"]@lhncbc\/ucum-lhc['"]|require\(\s*['"]@lhncbc\/ucum-lhc['"]|import\(\s*['"]@lhncbc\/ucum-lhc['"]/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file).split('\\').join('/'));
    assert.deepEqual(importers, ['server/src/units/ucum.ts']);
  });

  it('docs/units.md lists every alias spelling and the rounding rule', () => {
    const docs = readFileSync(join(root, 'docs', 'units.md'), 'utf8');
    for (const spelling of ALIASES.flatMap((alias) => alias.spellings)) {
      assert.ok(docs.includes(`\`${spelling}\``), `docs/units.md should mention \`${spelling}\``);
    }
    assert.match(docs, /12 significant/);
  });
});
