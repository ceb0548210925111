// The import rules of docs/architecture.md, checked by dependency-cruiser with the
// rules of .dependency-cruiser.cjs: no module reaches up a layer, only lsp/ imports
// vscode-languageserver*, only units/ucum.ts imports UCUM, only project/, cli/ and lsp/
// touch node:fs, client/ imports nothing from server/src, no import cycles, and inside
// lsp/ features below session below protocol below the server's top files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, repoPath } from '../helpers/repo.js';

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

interface Cruise {
  summary: { violations: Violation[]; totalCruised: number };
}

const DEPCRUISE = repoPath('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const SOURCES = ['server/src', 'client/src', 'shared', 'test', 'bench', 'scripts'];

function cruise(cwd: string, sources: string[]): Cruise {
  const run = spawnSync(process.execPath, [DEPCRUISE, ...sources, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(run.stdout, `depcruise printed nothing (status ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Cruise;
}

function describe_(violation: Violation): string {
  const through = violation.cycle ? ` (cycle: ${violation.cycle.map((step) => step.name).join(' -> ')})` : '';
  return `${violation.rule.name}: ${violation.from} -> ${violation.to}${through}`;
}

describe('architecture: import rules (dependency-cruiser)', function () {
  this.timeout(120_000);

  it('no module of the sources breaks a rule', () => {
    const result = cruise(REPO, SOURCES);
    assert.ok(result.summary.totalCruised > 200, `only ${result.summary.totalCruised} modules read: the sources were not found`);
    const broken = result.summary.violations;
    assert.deepEqual(broken.map(describe_), [], `import rules broken:\n${broken.map(describe_).join('\n')}`);
  });

  it('the rules catch each kind of bad import (a fixture tree that breaks every rule)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-imports-'));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
      };
      fs.copyFileSync(repoPath('.dependency-cruiser.cjs'), path.join(root, '.dependency-cruiser.cjs'));
      fs.copyFileSync(repoPath('tsconfig.json'), path.join(root, 'tsconfig.json'));
      fs.symlinkSync(repoPath('node_modules'), path.join(root, 'node_modules'), 'dir');
      write('server/src/lsp/editor.ts', 'export const editor = 1;\n');
      write('server/src/syntax/up.ts', "import { editor } from '../lsp/editor.js';\nexport const up = editor;\n");
      write('server/src/checks/sibling.ts', "import { v } from '../verify/v.js';\nexport const sibling = v;\n");
      write('server/src/verify/v.ts', 'export const v = 1;\n');
      write('server/src/eval/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
      write('server/src/eval/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
      write('server/src/eval/disk.ts', "import fs from 'node:fs';\nexport const disk = fs.existsSync;\n");
      write('server/src/semantics/lsp.ts', "import { TextDocument } from 'vscode-languageserver-textdocument';\nexport type Doc = TextDocument;\n");
      write('server/src/semantics/ucum.ts', "import ucum from '@lhncbc/ucum-lhc';\nexport const u = ucum;\n");
      write('server/src/units/convert.ts', "import ucum from '@lhncbc/ucum-lhc';\nexport const u = ucum;\n");
      write('server/src/lsp/server.ts', 'export const server = 1;\n');
      write('server/src/lsp/protocol/p.ts', 'export const p = 1;\n');
      write('server/src/lsp/session/up.ts', "import { p } from '../protocol/p.js';\nexport const up = p;\n");
      write('server/src/lsp/features/up.ts', "import { server } from '../server.js';\nexport const up = server;\n");
      write('server/src/lsp/features/proto.ts', "import type { Hover } from 'vscode-languageserver';\nexport type H = Hover;\n");
      write('server/src/lsp/features/disk.ts', "import fs from 'node:fs';\nexport const disk = fs.existsSync;\n");
      write('server/src/checks/context.ts', 'export const own = 1;\n');
      write('server/src/lsp/features/context.ts', "import { own } from '../../checks/context.js';\nexport const c = own;\n");
      write('server/src/lsp/loose/x.ts', "import { p } from '../protocol/p.js';\nexport const x = p;\n");
      write('client/src/extension.ts', "import { a } from '../../server/src/eval/a.js';\nexport const ext = a;\n");
      write('server/src/lsp/protocol/up.ts', "import { server } from '../server.js';\nexport const up = server;\n");
      write('server/src/cli/sibling.ts', "import { editor } from '../lsp/editor.js';\nexport const sibling = editor;\n");
      write('server/src/loose/x.ts', "import { v } from '../verify/v.js';\nexport const x = v;\n");
      write('server/src/eval/lost.ts', "import { gone } from './nowhere.js';\nexport const lost = gone;\n");
      write('shared/flags.ts', "import { v } from '../server/src/verify/v.js';\nexport const flags = v;\n");
      const result = cruise(root, ['server/src', 'client/src', 'shared']);
      const seen = (rule: string, from: string) => result.summary.violations.some((violation) => violation.rule.name === rule && violation.from === from);
      const expected: [string, string][] = [
        ['no-reaching-up-from-syntax', 'server/src/syntax/up.ts'],
        ['no-sibling-import-from-checks', 'server/src/checks/sibling.ts'],
        ['no-circular', 'server/src/eval/a.ts'],
        ['only-the-edges-touch-the-file-system', 'server/src/eval/disk.ts'],
        ['only-lsp-imports-the-lsp-library', 'server/src/semantics/lsp.ts'],
        ['only-units-imports-ucum', 'server/src/semantics/ucum.ts'],
        ['only-units-imports-ucum', 'server/src/units/convert.ts'],
        ['client-reaches-the-server-only-through-its-binary', 'client/src/extension.ts'],
        ['no-reaching-up-from-lsp-session', 'server/src/lsp/session/up.ts'],
        ['no-reaching-up-from-lsp-features', 'server/src/lsp/features/up.ts'],
        ['lsp-features-and-session-speak-no-lsp', 'server/src/lsp/features/proto.ts'],
        ['every-lsp-module-in-a-part', 'server/src/lsp/loose/x.ts'],
        ['lsp-reads-the-disk-through-the-workspace', 'server/src/lsp/features/disk.ts'],
        ['checks-context-is-the-checks-own', 'server/src/lsp/features/context.ts'],
        ['no-reaching-up-from-lsp-protocol', 'server/src/lsp/protocol/up.ts'],
        ['no-sibling-import-from-cli', 'server/src/cli/sibling.ts'],
        ['every-module-in-a-layer', 'server/src/loose/x.ts'],
        ['not-to-unresolvable', 'server/src/eval/lost.ts'],
        ['shared-is-plain-data', 'shared/flags.ts'],
      ];
      const missed = expected.filter(([rule, from]) => !seen(rule, from));
      assert.deepEqual(missed, [], `not caught; found:\n${result.summary.violations.map(describe_).join('\n')}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
