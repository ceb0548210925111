import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALIASES } from '../../server/src/units/index.js';

// Compiled to out/test/units/, three levels below the repository root.
const root = fileURLToPath(new URL('../../../', import.meta.url));

// Which files import the UCUM library (only units/ucum.ts) is an import rule of
// .dependency-cruiser.cjs, checked by test/architecture/imports.test.ts.
describe('units: boundaries', () => {
  it('docs/units.md lists every alias spelling and the rounding rule', () => {
    const docs = readFileSync(join(root, 'docs', 'units.md'), 'utf8');
    for (const spelling of ALIASES.flatMap((alias) => alias.spellings)) {
      assert.ok(docs.includes(`\`${spelling}\``), `docs/units.md should mention \`${spelling}\``);
    }
    assert.match(docs, /12 significant/);
  });
});
