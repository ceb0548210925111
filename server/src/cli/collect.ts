// From the command line's PATHS to the texts to check and the labels they can see.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_FILE_BYTES, type SourceText } from '../semantics/analysis.js';
import { DOSE_EXTENSION, listDoseFiles, nearestLabelFolder, readSource } from '../project/files.js';

export interface Collected {
  sources: SourceText[];
  labels: SourceText[];
  /** Files that exist but could not be read (reported as findings, exit 1). */
  unreadable: { path: string; reason: string }[];
}

export class UsageError extends Error {}

function expandPath(arg: string, roots: string[]): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(arg);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EACCES' ? `permission denied: ${arg}` : `no such file or folder: ${arg}`);
  }
  if (stat.isDirectory()) {
    const files = listDoseFiles(arg, roots);
    if (files.length === 0) throw new UsageError(`no .dose files in ${arg}`);
    return files;
  }
  if (!arg.endsWith(DOSE_EXTENSION)) throw new UsageError(`not a .dose file: ${arg}`);
  return [arg];
}

function checkLabelFolder(dir: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) throw new UsageError(`--labels: no such folder: ${dir}`);
}

export function collect(paths: string[], labelDirs: string[]): Collected {
  const roots = [process.cwd(), ...paths, ...labelDirs].map((item) => path.resolve(item));
  labelDirs.forEach(checkLabelFolder);
  const files = [...new Set(paths.flatMap((arg) => expandPath(arg, roots)))];
  const folders = new Set(labelDirs.map((dir) => path.resolve(dir)));
  for (const file of files) {
    const folder = nearestLabelFolder(file, roots);
    if (folder) folders.add(folder);
  }
  const result: Collected = { sources: [], labels: [], unreadable: [] };
  for (const file of files) {
    const read = readSource(file, roots, MAX_FILE_BYTES);
    if (read.ok) result.sources.push(read.source);
    else result.unreadable.push({ path: read.path, reason: read.reason });
  }
  const given = new Set(files.map((file) => path.resolve(file)));
  for (const folder of folders) {
    for (const file of listDoseFiles(folder, roots)) {
      if (given.has(path.resolve(file))) continue;
      const read = readSource(file, roots, MAX_FILE_BYTES);
      if (read.ok) result.labels.push(read.source);
    }
  }
  return result;
}
