// The server against hostile files and floods (issue 14): special files never
// freeze it, a folder it cannot list is said, 5,000 documents opened, edited and
// closed leave nothing behind, a 10,000-file folder never stalls a hover, and
// settings are clamped to sane bounds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol/node';
import type { StatsResult, VerifyResult } from '../../shared/custom-requests.js';
import { readSettings, SETTING_BOUNDS } from '../../server/src/lsp/session/settings.js';
import { LspClient } from '../helpers/lsp-client.js';
import { codesOf, fileUri, messageOf, pdProtocol, pomalidomideLabel, quickSettings, removeWorkspaces, sleep, startIn, tempWorkspace, timed } from '../helpers/lsp-workspace.js';

const label = pomalidomideLabel();
const protocol = pdProtocol();
/** Inside `pomalidomide` on the protocol's `drug` line, found in the text so the hover keeps its target when the example's header changes. */
const hoverAt = (() => {
  const line = protocol.split('\n').findIndex((text) => text.trim() === 'drug pomalidomide');
  assert.ok(line >= 0, 'the example names its drug on a line of its own');
  return { line, character: protocol.split('\n')[line].indexOf('pomalidomide') + 2 };
})();

/** Wall-clock time over CPU time of 50 ms of busy work in this process: 1 on an idle core, more when cores are shared. */
function contention(): number {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  let x = 0;
  while (process.cpuUsage(cpuStart).user < 50_000) x += Math.sqrt(x + 1);
  const cpu = process.cpuUsage(cpuStart);
  return x >= 0 ? (performance.now() - wallStart) / ((cpu.user + cpu.system) / 1000) : 1;
}

describe('lsp: hostile files and floods', function () {
  this.timeout(60000);
  let client: LspClient | undefined;

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });
  after(removeWorkspaces);

  it('a FIFO in the workspace and in labels/ gets POS1007 and never freezes the server; a link to /dev/zero is ignored', async () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    execFileSync('mkfifo', [path.join(dir, 'pipe.dose')]);
    execFileSync('mkfifo', [path.join(dir, 'labels', 'pipe.dose')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'labels', 'zero.dose'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.dose'));
    client = await startIn(dir);
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, protocol);
    const params = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(codesOf(params), [], 'the label is found, the FIFO and /dev/zero do not get in the way');
    for (const fifo of [path.join(dir, 'pipe.dose'), path.join(dir, 'labels', 'pipe.dose')]) {
      const refused = await client.diagnostics(fileUri(fifo), (p) => p.diagnostics.length > 0);
      assert.deepEqual(codesOf(refused), ['POS1007']);
      assert.equal(messageOf(refused.diagnostics[0]), 'Posology cannot read this file (it is a FIFO (named pipe), not a regular file)');
    }
    // Asked about directly, the FIFO and /dev/zero are not read either; the server answers at once.
    for (const name of ['pipe.dose', 'zero.dose']) {
      const { value, ms } = await timed(() => client!.request<Hover | null>('textDocument/hover', { textDocument: { uri: fileUri(path.join(dir, name)) }, position: { line: 0, character: 0 } }));
      assert.equal(value, null);
      assert.ok(ms < 1000, `${name}: ${ms} ms`);
    }
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: hoverAt });
    assert.ok(hover, 'still answering');
    assert.ok(!client.published.some((p) => p.uri.endsWith('zero.dose') && p.diagnostics.length > 0), 'a link to a non-.dose file is ignored, not an error');
  });

  it('a folder it cannot list gets POS1007 on the folder, never a silent skip', async function () {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol, 'locked/q.dose': protocol });
    fs.chmodSync(dir, 0o755);
    // Root lists anything: as root the server runs as nobody to meet the refusal.
    const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    fs.chmodSync(path.join(dir, 'locked'), nobody ? 0o700 : 0o000);
    client = await LspClient.start({ root: dir, initializationOptions: quickSettings(), as: nobody });
    const folder = await client.diagnostics(fileUri(path.join(dir, 'locked')), (p) => p.diagnostics.length > 0);
    fs.chmodSync(path.join(dir, 'locked'), 0o755);
    assert.deepEqual(codesOf(folder), ['POS1007']);
    assert.equal(messageOf(folder.diagnostics[0]), 'Posology cannot read this file (it is a folder that cannot be listed: permission denied)');
  });

  it('a document outside the workspace folders next to a labels/ folder it cannot list: POS1007 on the folder, as in the workspace', async function () {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    const outside = tempWorkspace({ 'labels/pomalidomide.dose': label, 'elsewhere/labels/pomalidomide.dose': label });
    for (const folder of [dir, outside, path.join(outside, 'labels'), path.join(outside, 'elsewhere')]) fs.chmodSync(folder, 0o755);
    const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    // One labels/ folder that cannot be listed at all, and one that can but holds a folder it cannot list and a FIFO.
    const locked = path.join(outside, 'elsewhere', 'labels');
    fs.mkdirSync(path.join(outside, 'labels', 'locked'));
    execFileSync('mkfifo', [path.join(outside, 'labels', 'pipe.dose')]);
    client = await LspClient.start({ root: dir, initializationOptions: quickSettings({ workspace: { check: false } }), as: nobody });
    try {
      for (const folder of [locked, path.join(outside, 'labels', 'locked')]) fs.chmodSync(folder, nobody ? 0o700 : 0o000);
      const far = fileUri(path.join(outside, 'elsewhere', 'q.dose'));
      await client.open(far, protocol);
      const refused = await client.diagnostics(fileUri(locked), (p) => p.diagnostics.length > 0);
      assert.deepEqual(codesOf(refused), ['POS1007']);
      assert.equal(messageOf(refused.diagnostics[0]), 'Posology cannot read this file (it is a folder that cannot be listed: permission denied)');
      const unknown = await client.diagnostics(far, (p) => p.version === 1);
      assert.ok(codesOf(unknown).includes('POS2001'), 'the drug is unknown: its labels could not be read');

      const near = fileUri(path.join(outside, 'q.dose'));
      await client.open(near, protocol);
      const clean = await client.diagnostics(near, (p) => p.version === 1);
      assert.deepEqual(codesOf(clean), [], 'the readable label is used');
      const inner = await client.diagnostics(fileUri(path.join(outside, 'labels', 'locked')), (p) => p.diagnostics.length > 0);
      assert.equal(messageOf(inner.diagnostics[0]), 'Posology cannot read this file (it is a folder that cannot be listed: permission denied)');
      const fifo = await client.diagnostics(fileUri(path.join(outside, 'labels', 'pipe.dose')), (p) => p.diagnostics.length > 0);
      assert.deepEqual(codesOf(fifo), ['POS1007']);
      assert.equal(messageOf(fifo.diagnostics[0]), 'Posology cannot read this file (it is a FIFO (named pipe), not a regular file)');
    } finally {
      for (const folder of [locked, path.join(outside, 'labels', 'locked')]) fs.chmodSync(folder, 0o755);
    }
  });

  it('5,000 documents opened, edited and closed leave no document, timer, context or result behind', async () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label });
    client = await LspClient.start({ root: dir, initializationOptions: quickSettings({ workspace: { check: false } }), nodeFlags: ['--expose-gc'] });
    const stats = () => client!.request<StatsResult>('posology/stats', null);
    let n = 0;
    const flood = async (count: number) => {
      for (const end = n + count; n < end; n++) {
        const uri = fileUri(path.join(dir, 'docs', `d${n}.dose`));
        await client!.open(uri, protocol.replace('Pd:', `Pd ${n}:`));
        await client!.change(uri, [{ text: protocol.replace('start 4 mg', 'start 3 mg') }]);
        await client!.close(uri);
      }
    };
    // Warmed up first (code compiled, caches at their steady size), then measured.
    await flood(500);
    await sleep(500);
    const before = await stats();
    await flood(5000);
    // Outside the workspace too (another labels folder each time: each its own context).
    const outside = tempWorkspace({}, 'posology-outside-');
    for (let i = 0; i < 200; i++) {
      const uri = fileUri(path.join(outside, `o${i}`, 'p.dose'));
      await client.open(uri, protocol);
      await client.close(uri);
    }
    let after = await stats();
    for (let i = 0; i < 50 && (after.diagnosticTimers > 0 || after.verifyTimers > 0); i++) {
      await sleep(100);
      after = await stats();
    }
    const heapGrowthMb = (after.heapUsed - before.heapUsed) / 1048576;
    if (process.env.POSOLOGY_TIMINGS) console.log(`      heap before ${(before.heapUsed / 1048576).toFixed(1)} MB, after ${(after.heapUsed / 1048576).toFixed(1)} MB`);
    for (const key of ['documents', 'open', 'contexts', 'diagnosticTimers', 'verifyTimers', 'verified', 'published', 'labelProviders', 'lineIndexes'] as const) {
      assert.ok(after[key] <= before[key], `${key}: ${before[key]} before, ${after[key]} after`);
    }
    assert.ok(after.disk <= before.disk + 1 && after.listings <= before.listings + 1 && after.labelSets <= 64, JSON.stringify(after));
    assert.ok(heapGrowthMb < 2, `heap grew by ${heapGrowthMb.toFixed(1)} MB`);
  });

  it('listing and checking a 10,000-file folder never stalls hover past 100 ms', async () => {
    const files: Record<string, string> = { 'labels/pomalidomide.dose': label, 'p.dose': protocol };
    const small = 'protocol "x" {\n  drug pomalidomide\n  indication multiple_myeloma\n}\n';
    for (let i = 0; i < 10000; i++) files[`many/f${i}.dose`] = small;
    const dir = tempWorkspace(files);
    client = await startIn(dir, quickSettings({ workspace: { maxFiles: 2000 }, verification: { enabled: false } }));
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, protocol);
    await client.diagnostics(uri, (p) => p.version === 1);
    await client.request('textDocument/hover', { textDocument: { uri }, position: hoverAt });
    // Hover every 20 ms while the workspace check lists the folder and publishes 2,000 files.
    const times: number[] = [];
    const start = performance.now();
    const manyPublished = () => client!.published.filter((p) => p.uri.includes('/many/')).length;
    // 2,000 files at most: p.dose (open, skipped) and perhaps the label come first, then 1,998 or more of many/.
    while (manyPublished() < 1998 && performance.now() - start < 60000) {
      const { ms } = await timed(() => client!.request('textDocument/hover', { textDocument: { uri }, position: hoverAt }));
      times.push(ms);
      await sleep(20);
    }
    assert.ok(manyPublished() >= 1998, `the check reached maxFiles: ${manyPublished()} published`);
    // The same hovers once the check is over, for what the machine gives at the moment.
    const quiet: number[] = [];
    for (let i = 0; i < 60; i++) {
      quiet.push((await timed(() => client!.request('textDocument/hover', { textDocument: { uri }, position: hoverAt }))).ms);
      await sleep(20);
    }
    const stats = (list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { median: sorted[sorted.length >> 1], p95: sorted[Math.floor(sorted.length * 0.95)], worst: sorted[sorted.length - 1] };
    };
    const during = stats(times);
    const after = stats(quiet);
    if (process.env.POSOLOGY_TIMINGS) {
      console.log(`      ${times.length} hovers during the check: median ${during.median.toFixed(1)} ms, 95th ${during.p95.toFixed(1)} ms, worst ${during.worst.toFixed(1)} ms`);
      console.log(`      ${quiet.length} hovers after it: median ${after.median.toFixed(1)} ms, 95th ${after.p95.toFixed(1)} ms, worst ${after.worst.toFixed(1)} ms`);
    }
    // Before the fix the median was 200-300 ms and the worst 500-700 ms. On a quiet machine the
    // median is a few ms and the 95th percentile under 100 ms (docs/reliability.md). On a shared
    // two-core machine every 4 ms slice of checking takes as many times longer on the wall clock as
    // there are processes waiting for a core: the bound on the median, 50 ms, is scaled by that
    // factor (measured here, at most 2), and the worst answer must stay under 2 s.
    const measured = contention();
    if (process.env.POSOLOGY_TIMINGS) console.log(`      contention factor ${measured.toFixed(2)}`);
    const bound = 50 * Math.min(2, Math.max(1, measured));
    assert.ok(during.median < bound, `median ${during.median.toFixed(1)} ms, bound ${bound.toFixed(0)} ms (95th percentile ${during.p95.toFixed(1)} ms; after the check ${after.median.toFixed(1)} ms)`);
    assert.ok(during.worst < 2000, `worst ${during.worst.toFixed(1)} ms`);
  });

  it('settings are clamped to sane bounds: timeBudgetMs 3e9 still verifies', async () => {
    const extreme = readSettings({
      diagnostics: { delayMs: 1e12 },
      verification: { delayMs: -5, timeBudgetMs: 3e9, maxStates: Infinity },
      workspace: { maxFiles: 1e15 },
    });
    assert.equal(extreme.diagnostics.delayMs, SETTING_BOUNDS['diagnostics.delayMs'].max);
    assert.equal(extreme.verification.delayMs, 0);
    assert.equal(extreme.verification.timeBudgetMs, SETTING_BOUNDS['verification.timeBudgetMs'].max);
    assert.equal(extreme.verification.maxStates, SETTING_BOUNDS['verification.maxStates'].max);
    assert.equal(extreme.workspace.maxFiles, SETTING_BOUNDS['workspace.maxFiles'].max);
    assert.equal(readSettings({ verification: { timeBudgetMs: 0, maxStates: 0.4 } }).verification.maxStates, 1);
    assert.equal(readSettings({ verification: { timeBudgetMs: Number.NaN } }).verification.timeBudgetMs, 10_000);

    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    client = await startIn(dir, quickSettings({ verification: { timeBudgetMs: 3e9 } }));
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, protocol);
    const result = await client.request<VerifyResult>('posology/verify', { uri });
    assert.deepEqual(result.protocols.map((p) => p.status), ['verified']);
  });

  it('a label changed on disk without a file event: every open protocol using it is re-checked at the next check of any document', async () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'a.dose': protocol, 'b.dose': protocol, 'other/c.dose': '// nothing\n' });
    client = await startIn(dir, quickSettings({ verification: { enabled: false }, workspace: { check: false } }));
    const [a, b, c] = ['a.dose', 'b.dose', 'other/c.dose'].map((name) => fileUri(path.join(dir, name)));
    await client.open(a, protocol);
    await client.open(b, protocol);
    await client.open(c, '// nothing\n');
    assert.deepEqual(codesOf(await client.diagnostics(b, (p) => p.version === 1)), []);
    // The label now says 3 mg; no didChangeWatchedFiles is sent.
    fs.writeFileSync(path.join(dir, 'labels', 'pomalidomide.dose'), label.replace('dose 4 mg oral once daily days 1-21', 'dose 3 mg oral once daily days 1-21'));
    await sleep(1100); // the modification time of a file on disk is trusted for one second
    const seen = client.published.length;
    // An edit of another document, in another folder: the next check of any document.
    await client.change(c, [{ text: '// still nothing\n' }]);
    const rechecked = await client.diagnostics(b, (p) => client!.published.indexOf(p) >= seen && p.diagnostics.length > 0, 10000);
    assert.ok(codesOf(rechecked).some((code) => code.startsWith('POS3')), `b.dose is checked against the new label: ${codesOf(rechecked).join(', ')}`);
    await client.diagnostics(a, (p) => client!.published.indexOf(p) >= seen && p.diagnostics.length > 0, 10000);
  });
});
