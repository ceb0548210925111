// Finding `.dose` files and the labels that go with them on disk. With the CLI
// and the server, this is the only code that touches the file system. It never
// reads outside the roots it is given: a symlink or `..` that leads out of them
// is refused.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceText } from '../semantics/analysis.js';

export const DOSE_EXTENSION = '.dose';
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'out', 'dist']);

/** Why a file was not read: outside the allowed roots, over the size limit, or an I/O error. */
export type RefusalReason = 'outside' | 'too large' | 'unreadable';

export type ReadResult = { ok: true; source: SourceText } | { ok: false; path: string; reason: RefusalReason; detail: string };

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
 * `roots`; the links it refused are added to `refused` when given.
 */
export function listDoseFiles(dir: string, roots: readonly string[] = [dir], refused?: string[]): string[] {
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
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isSymbolicLink() && !isInside(full, roots)) {
        refused?.push(full);
        continue;
      }
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && safeStat(full)?.isDirectory());
      if (isDir && !SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
      else if (!isDir && entry.name.endsWith(DOSE_EXTENSION)) found.push(full);
    }
  }
  return found.sort();
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
 * outside `roots`, over `maxBytes`, or unreadable (a dangling symlink, no
 * permission). Undefined when it can be read, or when nothing is there at all.
 */
export function refusalOf(file: string, roots: readonly string[], maxBytes: number): { reason: RefusalReason; detail: string } | undefined {
  let entry: fs.Stats;
  try {
    entry = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (!isInside(file, roots)) return { reason: 'outside', detail: entry.isSymbolicLink() ? `it links to ${linkTarget(file)}` : 'it is outside the workspace' };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { reason: 'unreadable', detail: 'it is a loop of symlinks' };
    return { reason: 'unreadable', detail: entry.isSymbolicLink() ? `it links to ${linkTarget(file)}, which does not exist` : 'no such file' };
  }
  if (stat.isFile() && stat.size > maxBytes) return { reason: 'too large', detail: `${(stat.size / 1048576).toFixed(1)} MB` };
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    return { reason: 'unreadable', detail: 'permission denied' };
  }
  return undefined;
}

/** Where a symlink leads, for messages: its real path, else what it says. */
export function linkTarget(link: string): string {
  try {
    return fs.realpathSync(link);
  } catch {
    try {
      return fs.readlinkSync(link);
    } catch {
      return 'an unknown target';
    }
  }
}

/** Reads a file as UTF-8 text, refusing what is outside `roots` or too large. */
export function readSource(file: string, roots: readonly string[], maxBytes: number): ReadResult {
  if (!isInside(file, roots)) return { ok: false, path: file, reason: 'outside', detail: 'it is outside the workspace' };
  const stat = safeStat(file);
  if (!stat) return { ok: false, path: file, reason: 'unreadable', detail: 'no such file' };
  if (stat.size > maxBytes) {
    const detail = `${(stat.size / 1048576).toFixed(1)} MB`;
    return { ok: false, path: file, reason: 'too large', detail };
  }
  try {
    return { ok: true, source: { path: file, text: fs.readFileSync(file, 'utf8') } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, path: file, reason: 'unreadable', detail: code === 'EACCES' ? 'permission denied' : (error as Error).message };
  }
}
