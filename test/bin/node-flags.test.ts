// The V8 flags of shared/node-flags.ts are applied where Posology starts
// Node itself: the VS Code client, the benchmark script, and the test helpers
// that spawn the binaries (as the client does). The bin/ scripts stay portable.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { NODE_FLAGS } from '../../shared/node-flags.js';
import { repoPath } from '../helpers/repo.js';

const flags = NODE_FLAGS.join(' ');

describe('bin: node flags', () => {
  for (const bin of ['posology.js', 'posology-server.js']) {
    it(`bin/${bin} keeps a plain '#!/usr/bin/env node' line`, () => {
      // `env -S` would carry the flags, but BusyBox's env (Alpine images, common in CI) has no -S.
      const [shebang] = fs.readFileSync(repoPath('bin', bin), 'utf8').split('\n');
      assert.equal(shebang, '#!/usr/bin/env node');
    });
  }

  it('the VS Code client starts the server with them', () => {
    const source = fs.readFileSync(repoPath('client', 'src', 'extension.ts'), 'utf8');
    assert.match(source, /run: \{ module, transport: TransportKind\.ipc, options: \{ execArgv: \[\.\.\.NODE_FLAGS, \.\.\.snapshot\] \} \}/);
    // The startup snapshot is looked up for the flags the server runs with.
    assert.match(source, /const snapshot = snapshotArgs\(path\.dirname\(module\), NODE_FLAGS\);/);
  });

  it('npm run bench runs under them', () => {
    const scripts = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')).scripts as Record<string, string>;
    assert.ok(scripts.bench.includes(`node ${flags} `), scripts.bench);
  });

  it('are flags node accepts', () => {
    assert.ok(NODE_FLAGS.length > 0);
    const run = spawnSync(process.execPath, [...NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, 'ok');
  });
});
