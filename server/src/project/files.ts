// Finding `.dose` files and the labels that go with them on disk. With the CLI
// and the server, this is the only code that touches the file system. It never
// reads outside the roots it is given: a symlink or `..` that leads out of them
// is refused.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceText } from '../checks/analysis.js';
import { kindOf, readRegularFile } from './read.js';
import { ioFailure, type IoFailure, type Refusal } from './refusal.js';

export const DOSE_EXTENSION = '.dose';
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'out', 'dist']);

/** A folder that could not be listed, and why. */
export interface UnreadableFolder {
  path: string;
  why: IoFailure;
}

/** A file or folder that was not read, and why. */
export interface Refused {
  path: string;
  refusal: Refusal;
}

/** The refusal said on a folder that could not be listed. */
export function folderRefused(folder: UnreadableFolder): Refused {
  return { path: folder.path, refusal: { kind: 'unlistable folder', why: folder.why } };
}

/** The refusal said on a symlink out of the roots that a listing met. */
export function linkRefused(link: string): Refused {
  return { path: link, refusal: { kind: 'links outside', target: linkTarget(link) } };
}

export type ReadResult = { ok: true; source: SourceText } | ({ ok: false } & Refused);

/** True when the path `file` is `folder` or below it, as written (no symlinks followed). */
export function contains(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** True when `target` is `root` or inside it, after resolving symlinks. */
export function isInside(target: string, roots: readonly string[]): boolean {
  const real = realOrSelf(target);
  return roots.some((root) => contains(realOrSelf(root), real));
}

function realOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Every `.dose` file under `dir`, sorted, without following links out of
 * `roots`; the links it refused are added to `refused` when given, and the
 * folders it could not list to `unreadable`. A symlink to something that is
 * not a `.dose` file or a folder (`zero.dose -> /dev/zero`) is ignored.
 */
export function listDoseFiles(dir: string, roots: readonly string[] = [dir], refused?: string[], unreadable?: UnreadableFolder[]): string[] {
  const found: string[] = [];
  const pending = [dir];
  // Each folder once, by its real path: a symlink back to a folder above (labels/again -> .)
  // would otherwise list the same files again at every level, and two such links 2^40 times.
  const visited = new Set<string>();
  while (pending.length > 0) {
    const current = pending.pop()!;
    const real = realOrSelf(current);
    if (visited.has(real)) continue;
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (error) {
      // The starting folder may be gone (a cached context); anything else is said.
      const code = (error as NodeJS.ErrnoException).code;
      if (current !== dir || (code !== 'ENOENT' && code !== 'ENOTDIR')) unreadable?.push({ path: current, why: ioFailure(error) });
      continue;
    }
    for (const entry of entries) {
      const kind = classify(current, entry, roots);
      const full = path.join(current, entry.name);
      if (kind === 'outside') refused?.push(full);
      else if (kind === 'folder' && !SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
      else if (kind === 'file') found.push(full);
    }
  }
  return found.sort();
}

/** What a folder entry is for the crawl: a `.dose` file, a folder to enter, a link out of the roots, or nothing. */
export function classify(dir: string, entry: fs.Dirent, roots: readonly string[]): 'file' | 'folder' | 'outside' | 'ignored' {
  if (entry.isDirectory()) return 'folder';
  const full = path.join(dir, entry.name);
  if (!entry.isSymbolicLink()) return entry.name.endsWith(DOSE_EXTENSION) ? 'file' : 'ignored';
  const target = safeStat(full);
  if (target?.isDirectory()) return isInside(full, roots) ? 'folder' : 'outside';
  if (!entry.name.endsWith(DOSE_EXTENSION)) return 'ignored';
  // A link to something that is not a `.dose` file is not one of ours: ignored, not an error.
  if (!linkTarget(full)?.endsWith(DOSE_EXTENSION)) return 'ignored';
  return isInside(full, roots) ? 'file' : 'outside';
}

function safeStat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** The `labels/` folder of the nearest ancestor of `file` that has one, not climbing above `roots`. */
export function nearestLabelFolder(file: string, roots: readonly string[]): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (!isInside(dir, roots)) return undefined;
    const candidate = path.join(dir, 'labels');
    if (safeStat(candidate)?.isDirectory()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where the command line looked for a file's labels: each `labels/` candidate, nearest first. */
export interface LabelSearch {
  folder?: string;
  searched: string[];
}

/**
 * The `labels/` folder of the nearest ancestor of `file` that has one, climbing
 * from the file's own folder up to the file-system root: never from the
 * working directory. The command line's rule (the server keeps to the workspace
 * with `nearestLabelFolder`).
 */
export function labelFolderAbove(file: string): LabelSearch {
  const searched: string[] = [];
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const candidate = path.join(dir, 'labels');
    searched.push(candidate);
    if (safeStat(candidate)?.isDirectory()) return { folder: candidate, searched };
    const parent = path.dirname(dir);
    if (parent === dir) return { searched };
    dir = parent;
  }
}

/**
 * Why `file` would be refused, from its metadata alone (nothing is read):
 * outside `roots`, over `maxBytes`, not a regular file, or unreadable (a
 * dangling symlink, no permission). Undefined when it can be read, when
 * nothing is there at all, and for a symlink to something that is not a
 * `.dose` file (ignored).
 */
export function refusalOf(file: string, roots: readonly string[], maxBytes: number): Refusal | undefined {
  let entry: fs.Stats;
  try {
    entry = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (entry.isSymbolicLink() && !linkTarget(file)?.endsWith(DOSE_EXTENSION) && !safeStat(file)?.isDirectory()) return undefined;
  if (!isInside(file, roots)) return entry.isSymbolicLink() ? { kind: 'links outside', target: linkTarget(file) } : { kind: 'outside' };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'symlink loop' };
    return entry.isSymbolicLink() ? { kind: 'dangling link', target: linkTarget(file) } : { kind: 'missing' };
  }
  if (!stat.isFile() && !stat.isDirectory()) return { kind: 'not regular', file: kindOf(stat) };
  if (stat.isFile() && stat.size > maxBytes) return { kind: 'too large', bytes: stat.size, limit: maxBytes };
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    return { kind: 'permission denied' };
  }
  return undefined;
}

/** Where a symlink leads: its real path, else what it says; undefined when it cannot be read. */
export function linkTarget(link: string): string | undefined {
  try {
    return fs.realpathSync(link);
  } catch {
    try {
      return fs.readlinkSync(link);
    } catch {
      return undefined;
    }
  }
}

/**
 * Reads a file as UTF-8 text, refusing what is outside `roots` (after
 * resolving symlinks, and checked again on what was opened), what is not a
 * regular file, and what is over `maxBytes` (as read, not as `stat` says).
 */
export function readSource(file: string, roots: readonly string[], maxBytes: number): ReadResult {
  const realRoots = roots.map(realOrSelf);
  const read = readRegularFile(file, { maxBytes, allowed: (real) => realRoots.some((root) => contains(root, real)) });
  return read.ok ? { ok: true, source: { path: file, text: read.text } } : { ok: false, path: file, refusal: read.refusal };
}
