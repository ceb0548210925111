// bin/snapshot.cjs: the server's startup snapshot is built lazily by the node
// that runs it, a server started from it answers exactly as one started from
// the bundle, and without a usable blob the server starts as before.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { NODE_FLAGS } from '../../shared/node-flags.js';
import { LspClient, uriOf } from '../helpers/lsp-client.js';
import { repoPath } from '../helpers/repo.js';

const snapshot = createRequire(import.meta.url)(repoPath('bin', 'snapshot.cjs')) as typeof import('../../bin/snapshot.cjs');
const BUNDLE_FILES = ['launch.cjs', 'load-bundle.cjs', 'main.cjs', 'snapshot-main.cjs', 'snapshot.cjs', 'verify-worker.cjs'];

/** A copy of dist/server/ without blobs or caches, so that a test builds its own. */
function bundleCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-snapshot-'));
  for (const file of BUNDLE_FILES) fs.copyFileSync(repoPath('dist', 'server', file), path.join(dir, file));
  return dir;
}

function blobs(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.blob'));
}

type Published = Parameters<Parameters<LspClient['diagnostics']>[1] & object>[0];

async function diagnosticsOf(start: Parameters<typeof LspClient.start>[0], file: string, wanted: (params: Published) => boolean = () => true): Promise<unknown> {
  const client = await LspClient.start({ ...start, initializationOptions: { settings: { diagnostics: { delayMs: 20 }, verification: { delayMs: 50 } } } });
  try {
    const uri = uriOf(file);
    await client.open(uri, fs.readFileSync(repoPath(file), 'utf8'));
    const published = await client.diagnostics(uri, (params) => params.version === 1 && wanted(params));
    return published.diagnostics;
  } finally {
    await client.stop();
  }
}

describe('bin: startup snapshot', function () {
  this.timeout(60000);

  it('`npm run bundle` puts the snapshot entry and its builder next to the server bundle', () => {
    for (const file of ['snapshot-main.cjs', 'snapshot.cjs']) assert.ok(fs.existsSync(repoPath('dist', 'server', file)), file);
    assert.equal(fs.readFileSync(repoPath('dist', 'server', 'snapshot.cjs'), 'utf8'), fs.readFileSync(repoPath('bin', 'snapshot.cjs'), 'utf8'));
  });

  it('a server started from the snapshot publishes the same diagnostics as one started from the bundle', async () => {
    const file = 'examples/mistakes/pd-with-mistakes.dose';
    const fromSnapshot = await diagnosticsOf({ snapshot: true }, file);
    const fromBundle = await diagnosticsOf({}, file);
    assert.ok(Array.isArray(fromBundle) && fromBundle.length > 0);
    assert.deepEqual(fromSnapshot, fromBundle);
  });

  it("the verifier's worker thread runs in a server started from the snapshot: the same counterexamples", async () => {
    const file = 'examples/mistakes/pd-with-mistakes.dose';
    const verified = (params: Published) => params.diagnostics.some((diagnostic) => diagnostic.code === 'POS4001');
    const fromSnapshot = await diagnosticsOf({ snapshot: true }, file, verified);
    const fromBundle = await diagnosticsOf({}, file, verified);
    assert.deepEqual(fromSnapshot, fromBundle);
  });

  it('a server started without a blob builds one after it leaves, for the next start; none is used before', async () => {
    const dir = bundleCopy();
    assert.deepEqual(snapshot.snapshotArgs(dir, NODE_FLAGS), []);
    const client = await LspClient.start({ server: path.join(dir, 'launch.cjs') });
    await client.stop();
    for (let waited = 0; blobs(dir).length === 0 && waited < 45000; waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
    const args = snapshot.snapshotArgs(dir, NODE_FLAGS);
    assert.equal(args[0], '--snapshot-blob');
    assert.deepEqual(blobs(dir), [path.basename(args[1])]);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => /\.(lock|tmp|failed)$/.test(name)), []);
  });

  it('a blob is not used once the bundle changes, nor for other flags', () => {
    const dir = bundleCopy();
    assert.ok(snapshot.buildNow(dir, NODE_FLAGS));
    assert.equal(snapshot.snapshotArgs(dir, NODE_FLAGS).length, 2);
    assert.deepEqual(snapshot.snapshotArgs(dir, [...NODE_FLAGS, '--no-opt']), []);
    const entry = path.join(dir, 'snapshot-main.cjs');
    const later = new Date(fs.statSync(entry).mtimeMs + 5000);
    fs.utimesSync(entry, later, later);
    assert.deepEqual(snapshot.snapshotArgs(dir, NODE_FLAGS), []);
  });

  it('a build asked for while another process holds the lock waits for it, then builds the blob itself', async () => {
    const dir = bundleCopy();
    const lock = `${snapshot.blobPath(dir, NODE_FLAGS)}.lock`;
    // Another process takes the lock and gives it up after a second, with no blob (as a builder killed midway).
    spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(lock)}, 'x'); setTimeout(() => require('fs').rmSync(${JSON.stringify(lock)}), 1000)`]);
    for (let waited = 0; !fs.existsSync(lock) && waited < 10000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(fs.existsSync(lock), 'the other process holds the lock');
    assert.equal(snapshot.buildNow(dir, NODE_FLAGS), true);
    assert.equal(blobs(dir).length, 1);
    assert.equal(snapshot.snapshotArgs(dir, NODE_FLAGS).length, 2);
  });

  it('a build that fails leaves no blob and is not tried again', () => {
    const dir = bundleCopy();
    fs.writeFileSync(path.join(dir, 'snapshot-main.cjs'), "throw new Error('not buildable');\n");
    assert.equal(snapshot.buildNow(dir, NODE_FLAGS), false);
    assert.deepEqual(blobs(dir), []);
    assert.deepEqual(snapshot.snapshotArgs(dir, NODE_FLAGS), []);
    const failed = fs.readdirSync(dir).filter((name) => name.endsWith('.failed'));
    assert.equal(failed.length, 1);
    assert.equal(snapshot.buildInBackground(dir, NODE_FLAGS), false, 'no new build started');
  });
});
