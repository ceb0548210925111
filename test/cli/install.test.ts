// Installed once, run from any folder: `npm pack` and `npm install -g` of the
// packed package (into a private prefix), then the installed `posology` checks
// a protocol in a folder that is not the project, and the installed
// `posology-server` answers an editor there. This is the README's set-up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lsp-client.js';
import { readRepo, REPO } from '../helpers/repo.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 170000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

describe('install: npm pack + npm install -g, then run from any folder', function () {
  this.timeout(180000);
  let dir = '';
  let prefix = '';
  let elsewhere = '';

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-install-'));
    // The test run has just built dist/ and out/; packing must not build again.
    const pack = run(npm, ['pack', '--ignore-scripts', '--pack-destination', dir], REPO);
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = fs.readdirSync(dir).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, pack.stdout);
    prefix = path.join(dir, 'prefix');
    const install = run(npm, ['install', '--global', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', path.join(dir, tarball)], dir);
    assert.equal(install.status, 0, install.stderr);
    elsewhere = path.join(dir, 'ward');
    fs.mkdirSync(path.join(elsewhere, 'labels'), { recursive: true });
    fs.mkdirSync(path.join(elsewhere, 'protocols'));
    fs.writeFileSync(path.join(elsewhere, 'labels', 'pomalidomide.dose'), readRepo('labels', 'pomalidomide.dose'));
    fs.writeFileSync(path.join(elsewhere, 'protocols', 'pd.dose'), readRepo('examples', 'pd-multiple-myeloma.dose'));
  });

  it('the README\'s Neovim snippet says it needs 0.10+, sets expandtab and shiftwidth, and runs the installed server, not npx', () => {
    const readme = readRepo('README.md');
    const snippet = /```lua\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.match(readme, /Neovim \*\*0\.10 or newer\*\*/);
    assert.match(snippet, /expandtab = true/);
    assert.match(snippet, /shiftwidth = 2/);
    assert.match(snippet, /cmd = \{ 'posology-server', '--stdio' \}/);
    assert.doesNotMatch(snippet, /npx/);
    assert.match(readme, /npm install -g \.\/posology-\*\.tgz/);
  });

  it('the installed posology checks and verifies a protocol in another folder, labels found from the file upwards', () => {
    const posology = path.join(prefix, 'bin', 'posology');
    assert.ok(fs.existsSync(posology), `no ${posology}`);
    const check = run(posology, ['check', 'pd.dose'], path.join(elsewhere, 'protocols'));
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /verified \(\d+ of \d+ states explored, no counterexample[;)]/);
    assert.match(check.stdout, /1 file checked: 0 errors, 0 warnings, 0 information/);
    const test = run(posology, ['test', 'protocols'], elsewhere);
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /\d+ passed, 0 failed\n$/);
    assert.match(run(posology, ['--version'], os.tmpdir()).stdout, /^posology \d+\.\d+\.\d+/);
  });

  it('the installed posology-server answers an editor there, with diagnostics from the nearest labels folder', async () => {
    const installed = path.join(prefix, 'bin', 'posology-server');
    assert.ok(fs.existsSync(installed), `no ${installed}`);
    const client = await LspClient.start({ root: elsewhere, server: fs.realpathSync(installed) });
    try {
      const uri = pathToFileURL(path.join(elsewhere, 'protocols', 'pd.dose')).href;
      await client.open(uri, readRepo('examples', 'pd-multiple-myeloma.dose').replace('start 4 mg', 'start 5 mg'));
      const published = await client.diagnostics(uri, (params) => params.diagnostics.some((item) => item.code === 'POS3001'));
      assert.ok(published.diagnostics.some((item) => item.code === 'POS3001'));
    } finally {
      await client.stop();
    }
  });
});
