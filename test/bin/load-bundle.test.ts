// bin/load-bundle.cjs: the bundles start from V8's code cache, which is written
// after the first run's work, on any kind of exit, and reused by later runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers/repo.js';

const loader = path.join(REPO, 'bin', 'load-bundle.cjs');

function caches(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.v8cache'));
}

/** Runs a bundle that does some work and then leaves by `process.exit`, as the server does on `exit`. */
function run(bundle: string): string {
  const script = `require(${JSON.stringify(loader)}).loadBundle(${JSON.stringify(bundle)}); process.exit(0);`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

describe('bin: load-bundle', () => {
  it('writes the code cache when the process leaves by process.exit, and reuses it on the next run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-bundle-'));
    const bundle = path.join(dir, 'main.cjs');
    fs.writeFileSync(bundle, 'function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }\nconsole.log(work(1000));\n');
    assert.equal(run(bundle).trim(), '499500');
    const [cache] = caches(dir);
    assert.ok(cache, 'a cache file next to the bundle');
    const written = fs.statSync(path.join(dir, cache)).mtimeMs;
    assert.equal(run(bundle).trim(), '499500');
    assert.deepEqual(caches(dir), [cache], 'the same cache, not replaced');
    assert.equal(fs.statSync(path.join(dir, cache)).mtimeMs, written, 'accepted, so not written again');
  });

  it('replaces the cache of an older build of the bundle', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-bundle-'));
    const bundle = path.join(dir, 'main.cjs');
    fs.writeFileSync(bundle, 'console.log(1);\n');
    run(bundle);
    const [old] = caches(dir);
    fs.writeFileSync(bundle, 'console.log(22);\n');
    assert.equal(run(bundle).trim(), '22');
    const now = caches(dir);
    assert.equal(now.length, 1);
    assert.notEqual(now[0], old);
  });
});
