// From the command line's PATHS to the texts to check and the labels they can see.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_FILE_BYTES, type SourceText } from '../checks/analysis.js';
import { DOSE_EXTENSION, folderRefused, labelFolderAbove, linkRefused, listDoseFiles, readSource, type LabelSearch, type Refused, type UnreadableFolder } from '../project/files.js';

export interface Collected {
  sources: SourceText[];
  labels: SourceText[];
  /** Files not read: outside the roots or too large (findings), or unreadable (exit 2). */
  refused: Refused[];
  /** Where each file's labels were looked for (by the path as given), for POS2001. */
  searches: Map<string, LabelSearch>;
}

export class UsageError extends Error {}

function expandPath(arg: string, roots: string[], refused: Refused[]): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(arg);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EACCES' ? `permission denied: ${arg}` : `no such file or folder: ${arg}`);
  }
  if (stat.isDirectory()) {
    const links: string[] = [];
    const folders: UnreadableFolder[] = [];
    const files = listDoseFiles(arg, roots, links, folders);
    refused.push(...links.map(linkRefused));
    // A folder that cannot be listed is never a silent "0 files": exit 2, naming it.
    refused.push(...folders.map(folderRefused));
    if (files.length === 0 && links.length === 0 && folders.length === 0) throw new UsageError(`no .dose files in ${arg}`);
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

/** Each file once, however it was written (`./x.dose` and `x.dose`), in the order given. */
function uniqueFiles(files: string[]): string[] {
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = path.resolve(file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function collect(paths: string[], labelDirs: string[]): Collected {
  // The roots are the paths, the --labels folders and each file's nearest labels/ folder, never the
  // working directory: the same file gives the same result wherever the command runs.
  const roots = [...paths, ...labelDirs].map((item) => path.resolve(item));
  labelDirs.forEach(checkLabelFolder);
  const refused: Refused[] = [];
  const files = uniqueFiles(paths.flatMap((arg) => expandPath(arg, roots, refused)));
  const folders = new Set(labelDirs.map((dir) => path.resolve(dir)));
  const searches = new Map<string, LabelSearch>();
  for (const file of files) {
    // Each file's labels come from its own folder upwards; the folder found is readable like a --labels DIR.
    const search = labelFolderAbove(file);
    searches.set(file, search);
    if (search.folder && !folders.has(search.folder)) {
      folders.add(search.folder);
      roots.push(search.folder);
    }
  }
  const result: Collected = { sources: [], labels: [], refused, searches };
  for (const file of files) {
    const read = readSource(file, roots, MAX_FILE_BYTES);
    if (read.ok) result.sources.push(read.source);
    else refused.push({ path: read.path, refusal: read.refusal });
  }
  const given = new Set(files.map((file) => path.resolve(file)));
  for (const folder of folders) {
    const links: string[] = [];
    const unreadable: UnreadableFolder[] = [];
    for (const file of listDoseFiles(folder, roots, links, unreadable)) {
      if (given.has(path.resolve(file))) continue;
      const read = readSource(file, roots, MAX_FILE_BYTES);
      if (read.ok) result.labels.push(read.source);
      else refused.push({ path: read.path, refusal: read.refusal });
    }
    refused.push(...links.map(linkRefused), ...unreadable.map(folderRefused));
  }
  return result;
}
