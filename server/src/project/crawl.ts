// Listing a workspace folder without stalling the server: the same walk as
// `listDoseFiles` (each folder once by its real path, links out of the roots
// refused, symlinks to non-`.dose` files ignored, folders that cannot be listed
// said), read with `fs.promises.opendir` and yielding to the event loop every
// few hundred entries, so a hover is answered while 10,000 files are listed.
import fs from 'node:fs';
import path from 'node:path';
import { classify, type UnreadableFolder } from './files.js';
import { ioFailure } from './refusal.js';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'out', 'dist']);
const ENTRIES_PER_SLICE = 256;

export interface Crawl {
  files: string[];
  /** Links that lead out of the roots. */
  refused: string[];
  unreadable: UnreadableFolder[];
  /** True when it stopped at `limit` files. */
  truncated: boolean;
}

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Every `.dose` file under `dir` (at most `limit`), sorted, listed asynchronously. */
export async function crawlDoseFiles(dir: string, roots: readonly string[], limit = Number.POSITIVE_INFINITY, stopped: () => boolean = () => false): Promise<Crawl> {
  const crawl: Crawl = { files: [], refused: [], unreadable: [], truncated: false };
  const pending = [dir];
  const visited = new Set<string>();
  let sinceYield = 0;
  while (pending.length > 0 && !stopped()) {
    const current = pending.pop()!;
    let real: string;
    try {
      real = await fs.promises.realpath(current);
    } catch {
      real = path.resolve(current);
    }
    if (visited.has(real)) continue;
    visited.add(real);
    let handle: fs.Dir;
    try {
      handle = await fs.promises.opendir(current, { bufferSize: 64 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (current !== dir || (code !== 'ENOENT' && code !== 'ENOTDIR')) crawl.unreadable.push({ path: current, why: ioFailure(error) });
      continue;
    }
    try {
      for await (const entry of handle) {
        if (++sinceYield >= ENTRIES_PER_SLICE) {
          sinceYield = 0;
          await yieldNow();
          if (stopped()) break;
        }
        const kind = classify(current, entry, roots);
        const full = path.join(current, entry.name);
        if (kind === 'outside') crawl.refused.push(full);
        else if (kind === 'folder' && !SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
        else if (kind === 'file') {
          if (crawl.files.length >= limit) {
            crawl.truncated = true;
            break;
          }
          crawl.files.push(full);
        }
      }
    } catch (error) {
      crawl.unreadable.push({ path: current, why: ioFailure(error) });
    }
    if (crawl.truncated) break;
  }
  crawl.files.sort();
  return crawl;
}
