// Reading one file without trusting it. Only a regular file is read: a FIFO, a
// socket or a device (`/dev/zero`), or a symlink to one, is refused before it
// is opened, and opened with O_NONBLOCK so that one swapped in at the last
// moment cannot block either. The size limit holds for the bytes actually read
// (a file that grows, or lies in `stat`, is cut off at the limit plus one byte
// and refused). The path is resolved first and the resolved path is opened
// with O_NOFOLLOW; what was opened is then checked again through the open
// descriptor (its path in /proc/self/fd, or its device and inode), so a symlink
// swapped between the check and the open is refused and never read.
import fs from 'node:fs';
import { ioFailure, type FileKind, type Refusal } from './refusal.js';

export type FileRead = { ok: true; text: string; real: string } | { ok: false; refusal: Refusal };

export interface ReadOptions {
  maxBytes: number;
  /** Decides on the real path (symlinks resolved) whether the file may be read. */
  allowed?: (real: string) => boolean;
}

const { O_RDONLY, O_NONBLOCK = 0, O_NOCTTY = 0, O_NOFOLLOW = 0 } = fs.constants as typeof fs.constants & Record<string, number | undefined>;
const OPEN_FLAGS = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW;
const CHUNK = 64 * 1024;

/** What a file that is not a regular file is. */
export function kindOf(stat: fs.Stats): FileKind {
  if (stat.isDirectory()) return 'folder';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  return 'other';
}

const refused = (refusal: Refusal): FileRead => ({ ok: false, refusal });

/** The path the kernel has for an open descriptor (Linux), or undefined. */
function openedPath(fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/**
 * Reads `file` as UTF-8 text if it is a regular file of at most `maxBytes`
 * bytes whose real path `allowed` accepts. Never blocks on a special file and
 * never reads more than `maxBytes + 1` bytes.
 */
export function readRegularFile(file: string, options: ReadOptions): FileRead {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (error) {
    return refused(ioFailure(error));
  }
  if (options.allowed && !options.allowed(real)) return refused(isLink(file) ? { kind: 'links outside', target: real } : { kind: 'outside' });
  let before: fs.Stats;
  try {
    before = fs.statSync(real);
  } catch (error) {
    return refused(ioFailure(error));
  }
  if (!before.isFile()) return refused({ kind: 'not regular', file: kindOf(before) });
  if (before.size > options.maxBytes) return refused({ kind: 'too large', bytes: before.size, limit: options.maxBytes });
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (error) {
    // ELOOP with O_NOFOLLOW: the file became a symlink after it was resolved.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return refused({ kind: 'replaced', byLink: true });
    return refused(ioFailure(error));
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return refused({ kind: 'not regular', file: kindOf(stat) });
    const opened = openedPath(fd);
    const same = opened !== undefined ? opened === real : stat.dev === before.dev && stat.ino === before.ino;
    if (!same || (opened !== undefined && options.allowed && !options.allowed(opened))) {
      return refused({ kind: 'replaced', byLink: false });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, options.maxBytes + 1 - total));
      const count = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (count === 0) break;
      chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
      total += count;
      if (total > options.maxBytes) return refused({ kind: 'too large', limit: options.maxBytes });
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8'), real };
  } catch (error) {
    return refused(ioFailure(error));
  } finally {
    fs.closeSync(fd);
  }
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
