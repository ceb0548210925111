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

/** Why a file was not read: outside the allowed roots, over the size limit, or an I/O error. */
export type RefusalReason = 'outside' | 'too large' | 'unreadable';

export type FileRead = { ok: true; text: string; real: string } | { ok: false; reason: RefusalReason; detail: string };

export interface ReadOptions {
  maxBytes: number;
  /** Decides on the real path (symlinks resolved) whether the file may be read. */
  allowed?: (real: string) => boolean;
}

const { O_RDONLY, O_NONBLOCK = 0, O_NOCTTY = 0, O_NOFOLLOW = 0 } = fs.constants as typeof fs.constants & Record<string, number | undefined>;
const OPEN_FLAGS = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW;
const CHUNK = 64 * 1024;

/** What a file that is not a regular file is, for messages ("a FIFO"). */
export function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** Why resolving or opening a path failed, in words. */
export function errorDetail(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'it is a loop of symlinks';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'ENXIO') return 'it is a socket or a device without a reader';
  if (code === 'EISDIR') return 'it is a folder';
  return (error as Error)?.message ?? String(error);
}

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
    return { ok: false, reason: 'unreadable', detail: errorDetail(error) };
  }
  if (options.allowed && !options.allowed(real)) return { ok: false, reason: 'outside', detail: isLink(file) ? `it links to ${real}` : 'it is outside the workspace' };
  let before: fs.Stats;
  try {
    before = fs.statSync(real);
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: errorDetail(error) };
  }
  if (!before.isFile()) return { ok: false, reason: 'unreadable', detail: `it is ${kindOf(before)}, not a regular file` };
  if (before.size > options.maxBytes) return { ok: false, reason: 'too large', detail: megabytes(before.size) };
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (error) {
    // ELOOP with O_NOFOLLOW: the file became a symlink after it was resolved.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { ok: false, reason: 'outside', detail: 'it was replaced by a symlink while being opened' };
    return { ok: false, reason: 'unreadable', detail: errorDetail(error) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', detail: `it is ${kindOf(stat)}, not a regular file` };
    const opened = openedPath(fd);
    const same = opened !== undefined ? opened === real : stat.dev === before.dev && stat.ino === before.ino;
    if (!same || (opened !== undefined && options.allowed && !options.allowed(opened))) {
      return { ok: false, reason: 'outside', detail: 'it was replaced while being opened' };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, options.maxBytes + 1 - total));
      const count = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (count === 0) break;
      chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
      total += count;
      if (total > options.maxBytes) return { ok: false, reason: 'too large', detail: `more than ${megabytes(options.maxBytes)}` };
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8'), real };
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: errorDetail(error) };
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
