// Reading files that may be hostile (server/src/project/read.ts, files.ts): only
// regular files are read, never blocking and never past the size limit as read;
// folders that cannot be listed are said, symlinks to something that is not a
// `.dose` file are ignored.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readRegularFile } from '../../server/src/project/read.js';
import { listDoseFiles, readSource, refusalOf, type UnreadableFolder } from '../../server/src/project/files.js';
import { refusalFinding, refusalText } from '../../server/src/project/refusal.js';

const LIMIT = 1024;

describe('project: reading hostile files', () => {
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'posology-read-')));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, and refuses one over the limit', () => {
    fs.writeFileSync(path.join(dir, 'ok.dose'), 'protocol "x" {}\n');
    fs.writeFileSync(path.join(dir, 'big.dose'), 'x'.repeat(LIMIT + 1));
    const ok = readRegularFile(path.join(dir, 'ok.dose'), { maxBytes: LIMIT });
    assert.deepEqual(ok, { ok: true, text: 'protocol "x" {}\n', real: path.join(dir, 'ok.dose') });
    const big = readRegularFile(path.join(dir, 'big.dose'), { maxBytes: LIMIT });
    assert.equal(big.ok, false);
    assert.deepEqual(!big.ok && big.refusal, { kind: 'too large', bytes: LIMIT + 1, limit: LIMIT });
  });

  it('refuses a FIFO at once, without blocking (no writer is ever attached)', () => {
    const fifo = path.join(dir, 'fifo.dose');
    execFileSync('mkfifo', [fifo]);
    const start = performance.now();
    const read = readRegularFile(fifo, { maxBytes: LIMIT });
    assert.ok(performance.now() - start < 1000);
    const fifoRefused = { kind: 'not regular', file: 'fifo' } as const;
    assert.deepEqual(read, { ok: false, refusal: fifoRefused });
    assert.deepEqual(readSource(fifo, [dir], LIMIT), { ok: false, path: fifo, refusal: fifoRefused });
    assert.deepEqual(refusalOf(fifo, [dir], LIMIT), fifoRefused);
    assert.equal(refusalText(fifoRefused), 'it is a FIFO (named pipe), not a regular file');
  });

  it('refuses /dev/zero and a socket, also through a symlink', async () => {
    const zero = path.join(dir, 'zero.dose');
    fs.symlinkSync('/dev/zero', zero);
    const device = { ok: false, refusal: { kind: 'not regular', file: 'character device' } };
    assert.deepEqual(readRegularFile(zero, { maxBytes: LIMIT }), device);
    assert.deepEqual(readRegularFile('/dev/zero', { maxBytes: LIMIT }), device);
    const socketPath = path.join(dir, 'socket.dose');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      assert.deepEqual(readRegularFile(socketPath, { maxBytes: LIMIT }), { ok: false, refusal: { kind: 'not regular', file: 'socket' } });
    } finally {
      server.close();
    }
  });

  it('applies the limit to the bytes read, not to what stat says (/proc files say 0 bytes)', () => {
    // /proc/self/mountinfo, /proc/self/maps: stat says 0 bytes, reading gives more; they are not
    // regular-file-shaped for us, but the reader's cap is what holds even where stat lies.
    const read = readRegularFile('/proc/self/maps', { maxBytes: 16 });
    assert.equal(read.ok, false);
    assert.deepEqual(!read.ok && read.refusal, { kind: 'too large', limit: 16 });
    assert.ok(!read.ok);
    assert.equal(refusalFinding('maps', read.refusal).message, 'This file is more than 0.0 MB; Posology checks files up to 0 MB');
  });

  it('refuses what the allowed check refuses, on the real path', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.dose'), 'secret');
      fs.symlinkSync(path.join(outside, 'secret.dose'), path.join(dir, 'link.dose'));
      const read = readSource(path.join(dir, 'link.dose'), [dir], LIMIT);
      assert.equal(read.ok, false);
      assert.deepEqual(!read.ok && read.refusal, { kind: 'links outside', target: path.join(fs.realpathSync(outside), 'secret.dose') });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('lists a folder: symlinks to non-.dose files ignored, not refused', () => {
    const root = fs.mkdtempSync(path.join(dir, 'tree-'));
    fs.writeFileSync(path.join(root, 'a.dose'), '');
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.dose'));
    fs.symlinkSync('/etc/hostname', path.join(root, 'hostname.dose'));
    fs.writeFileSync(path.join(root, 'notes.txt'), '');
    fs.symlinkSync('notes.txt', path.join(root, 'notes.dose'));
    const refused: string[] = [];
    const unreadable: UnreadableFolder[] = [];
    assert.deepEqual(listDoseFiles(root, [root], refused, unreadable), [path.join(root, 'a.dose')]);
    assert.deepEqual(refused, [], 'a symlink to a non-.dose file is not a refusal');
    assert.deepEqual(unreadable, []);
    for (const name of ['zero.dose', 'hostname.dose', 'notes.dose']) assert.equal(refusalOf(path.join(root, name), [root], LIMIT), undefined, name);
  });
});
