// The server's view of the files: open documents (by version), `.dose` files on
// disk (by modification time), and the labels each file can see. It caches one
// ParsedFile per document version, one LabelSet per set of label inputs, and one
// check per (ParsedFile, LabelSet) pair, so a keystroke in a protocol re-parses
// only that protocol and reuses the resolved labels, while an edit to a label
// yields a new LabelSet and so re-checks every file that sees it.
//
// Labels a file sees: the `labels/` folder of its nearest ancestor inside the
// workspace folders (as on the command line), plus open documents with label
// blocks that see the same folder, plus the file's own label blocks.
// This file is the only LSP code that reads the disk (a dependency-cruiser rule),
// always through `project/files.ts`, which refuses paths outside the workspace
// roots; the scheduler's crawl lists folders through `project/crawl.ts`.
import path from 'node:path';
import fs from 'node:fs';
import { checkFile, MAX_FILE_BYTES, parseFile, resolveLabels, type FileAnalysis, type LabelSet, type ParsedFile } from '../../checks/analysis.js';
import { phrase, phraseText, type Finding } from '../../diagnostics/finding.js';
import type { AnalysedDocument } from '../features/document.js';
import { contains, folderRefused, isInside, linkRefused, listDoseFiles, nearestLabelFolder, readSource, refusalOf, type Refused, type UnreadableFolder } from '../../project/files.js';
import { refusalFinding, type Refusal } from '../../project/refusal.js';

/** The disk operations the workspace needs; tests may replace them. */
export interface FileAccess {
  read(file: string, roots: readonly string[]): { ok: true; text: string } | { ok: false; refusal?: Refusal };
  stamp(file: string): string | undefined;
  labelFolder(file: string, roots: readonly string[]): string | undefined;
  /** The `.dose` files under `dir`; the links out of `roots` it met are added to `refused`, the folders it could not list to `unreadable`. */
  list(dir: string, roots: readonly string[], refused?: string[], unreadable?: UnreadableFolder[]): string[];
  inside(file: string, roots: readonly string[]): boolean;
  /** Why a file that is there cannot be read within `roots` (metadata only); undefined when it can. */
  refusal?(file: string, roots: readonly string[]): Refusal | undefined;
}

export const nodeFileAccess: FileAccess = {
  read(file, roots) {
    const result = readSource(file, roots, MAX_FILE_BYTES);
    return result.ok ? { ok: true, text: result.source.text } : { ok: false, refusal: result.refusal };
  },
  stamp(file) {
    try {
      const stat = fs.statSync(file);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined;
    }
  },
  labelFolder: nearestLabelFolder,
  list: listDoseFiles,
  inside: isInside,
  refusal: (file, roots) => refusalOf(file, roots, MAX_FILE_BYTES),
};

interface Entry {
  uri: string;
  path: string;
  version: number | undefined;
  text: string;
  parsed?: ParsedFile;
}

interface DiskEntry extends Entry {
  stamp: string | undefined;
  checkedAt: number;
}

/** How long a disk file's modification time is trusted before it is looked at again. */
const DISK_RECHECK_MS = 1000;
/** How long a `labels/` folder listing is trusted (file events also clear it). */
const LISTING_TTL_MS = 5000;

const NO_FOLDER = '\u0000no-labels-folder';

export class Workspace {
  private roots: string[] = [];
  private readonly open = new Map<string, Entry>();
  private readonly disk = new Map<string, DiskEntry>();
  private readonly contexts = new Map<string, string>();
  private readonly listings = new Map<string, { at: number; files: string[]; refused: Refused[] }>();
  private readonly labelSets = new Map<string, { inputs: ParsedFile[]; set: LabelSet }>();
  private readonly checks = new WeakMap<ParsedFile, { labels: LabelSet; analysis: FileAnalysis }>();

  constructor(
    private readonly files: FileAccess = nodeFileAccess,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- roots and documents ---------------------------------------------------

  setRoots(roots: readonly string[]): void {
    this.roots = roots.map((root) => path.resolve(root));
    this.contexts.clear();
    this.listings.clear();
  }

  getRoots(): readonly string[] {
    return this.roots;
  }

  /**
   * The roots a file may be read within: the workspace folders for a path in
   * them (so a symlink in them that leads out is refused). Outside them, only
   * the `labels/` folders nearest to the documents open outside them: the open
   * document itself comes from the editor, and nothing else there is read
   * (not its folder, not its grandparent, which may be `/`).
   */
  rootsFor(file: string): string[] {
    if (!path.isAbsolute(file)) return this.roots.slice(0, 1);
    if (this.inWorkspace(file) || this.inFolders(file)) return this.roots;
    return this.outsideLabelFolders();
  }

  /** The nearest `labels/` folder of each document open outside the workspace folders. */
  private outsideLabelFolders(): string[] {
    const folders = new Set<string>();
    for (const open of this.open.keys()) {
      if (!path.isAbsolute(open) || this.inFolders(open)) continue;
      const folder = this.labelFolderOf(open);
      if (folder !== NO_FOLDER) folders.add(folder);
    }
    return [...folders];
  }

  /** True for a path lexically inside the workspace folders (symlinks not followed). */
  inFolders(file: string): boolean {
    const resolved = path.resolve(file);
    return this.roots.some((root) => contains(root, resolved));
  }

  /**
   * Why a file in the workspace folders that is there cannot be read (a link
   * out of them, over the size limit, a dangling link, no permission), as one
   * finding on the file; undefined when it can be read or is gone.
   */
  refusal(file: string): Finding | undefined {
    if (!path.isAbsolute(file) || !this.inFolders(file)) return undefined;
    const refused = this.files.refusal?.(file, this.roots);
    return refused && refusalFinding(file, refused);
  }

  /** True for an absolute path inside the workspace folders. */
  inWorkspace(file: string): boolean {
    return this.roots.length > 0 && path.isAbsolute(file) && this.files.inside(file, this.roots);
  }

  setOpen(uri: string, file: string, version: number, text: string): void {
    // A client that sends something other than text gets an empty document: every
    // file that sees the same labels parses the open ones, so one bad document
    // must not make all their checks and features throw.
    if (typeof text !== 'string') text = '';
    const previous = this.open.get(file);
    if (previous && previous.version === version && previous.text === text) return;
    this.open.set(file, { uri, path: file, version, text });
  }

  /** Forgets an open document, and what was worked out for it (its labels folder). */
  close(file: string): void {
    this.open.delete(file);
    this.contexts.delete(file);
  }

  /** How many things the workspace holds for its files (open, on disk, contexts): for memory tests and logs. */
  sizes(): { open: number; disk: number; contexts: number; listings: number; labelSets: number } {
    return { open: this.open.size, disk: this.disk.size, contexts: this.contexts.size, listings: this.listings.size, labelSets: this.labelSets.size };
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  openPaths(): string[] {
    return [...this.open.keys()];
  }

  versionOf(file: string): number | undefined {
    return this.open.get(file)?.version;
  }

  uriOf(file: string): string | undefined {
    return this.open.get(file)?.uri ?? this.disk.get(file)?.uri;
  }

  /** Forget what is known about files on disk (after file events); open documents stay. */
  invalidateDisk(files?: readonly string[]): void {
    if (!files) {
      this.disk.clear();
    } else {
      for (const file of files) this.disk.delete(file);
    }
    this.listings.clear();
    this.contexts.clear();
  }

  // ---- parsing ---------------------------------------------------------------

  private entry(file: string, uri?: string): Entry | undefined {
    const open = this.open.get(file);
    if (open) return open;
    if (!path.isAbsolute(file)) return undefined;
    const known = this.disk.get(file);
    const now = this.now();
    if (known && now - known.checkedAt < DISK_RECHECK_MS) return known;
    const stamp = this.files.stamp(file);
    if (known && stamp === known.stamp) {
      known.checkedAt = now;
      return known;
    }
    if (stamp === undefined) {
      this.disk.delete(file);
      return undefined;
    }
    const read = this.files.read(file, this.rootsFor(file));
    if (!read.ok) {
      this.disk.delete(file);
      return undefined;
    }
    const entry: DiskEntry = { uri: uri ?? known?.uri ?? '', path: file, version: undefined, text: read.text, stamp, checkedAt: now };
    this.disk.set(file, entry);
    return entry;
  }

  private parse(entry: Entry): ParsedFile {
    entry.parsed ??= parseFile(entry.path, entry.text);
    return entry.parsed;
  }

  /** The syntax tree of a file (open version first); cached per version. */
  parsed(file: string): ParsedFile | undefined {
    const entry = this.entry(file);
    return entry ? this.parse(entry) : undefined;
  }

  /** The text the server has for a file (open version first, then disk). */
  textOf(file: string): string | undefined {
    return this.entry(file)?.text;
  }

  // ---- labels ----------------------------------------------------------------

  /** The `labels/` folder a file sees, or a marker for none; cached per file. */
  labelFolderOf(file: string): string {
    let folder = this.contexts.get(file);
    if (folder === undefined) {
      folder = this.findLabelFolder(file) || NO_FOLDER;
      this.contexts.set(file, folder);
    }
    return folder;
  }

  private findLabelFolder(file: string): string | undefined {
    if (!path.isAbsolute(file)) return this.roots[0] ? this.files.labelFolder(path.join(this.roots[0], 'untitled.dose'), this.roots) : undefined;
    if (this.inFolders(file) || this.inWorkspace(file)) return this.files.labelFolder(file, this.roots);
    // A document open outside the workspace folders sees its own nearest labels/ folder, however
    // far up (only looked at with stat); a label file read from one of those folders sees that folder.
    if (this.open.has(file)) return this.files.labelFolder(file, [path.parse(file).root]);
    return this.outsideLabelFolders().find((folder) => contains(folder, file));
  }

  private listing(folder: string): { files: string[]; refused: Refused[] } {
    if (folder === NO_FOLDER) return { files: [], refused: [] };
    const cached = this.listings.get(folder);
    const now = this.now();
    if (cached && now - cached.at < LISTING_TTL_MS) return cached;
    const links: string[] = [];
    const unreadable: UnreadableFolder[] = [];
    const files = this.files.list(folder, this.rootsFor(folder + path.sep + 'x.dose'), links, unreadable);
    const listing = { at: now, files, refused: [...unreadable.map(folderRefused), ...links.map(linkRefused)] };
    this.listings.set(folder, listing);
    return listing;
  }

  /**
   * What in the `labels/` folder `file` sees was not read, each as a finding on
   * its own path: the folder (or a folder in it) when it cannot be listed, a link
   * out of the roots, a label file that is refused. For a document outside the
   * workspace folders this is the only report (the workspace crawl says it for
   * the folders' own files), so nothing unreadable is skipped in silence.
   */
  labelFolderRefusals(file: string): Finding[] {
    const listing = this.listing(this.labelFolderOf(file));
    const found = listing.refused.map((item) => refusalFinding(item.path, item.refusal));
    for (const labelFile of listing.files) {
      if (this.open.has(labelFile) || this.parsed(labelFile)) continue;
      const refused = this.files.refusal?.(labelFile, this.rootsFor(labelFile));
      if (refused) found.push(refusalFinding(labelFile, refused));
    }
    return found;
  }

  /** The parsed files whose label blocks `file` sees, in a stable order. */
  labelInputs(file: string, self?: ParsedFile): ParsedFile[] {
    const folder = this.labelFolderOf(file);
    const inputs: ParsedFile[] = [];
    const seen = new Set<string>();
    for (const labelFile of this.listing(folder).files) {
      const parsed = this.parsed(labelFile);
      if (parsed) {
        inputs.push(parsed);
        seen.add(labelFile);
      }
    }
    for (const openFile of [...this.open.keys()].sort()) {
      if (seen.has(openFile) || openFile === file) continue;
      const parsed = this.parsed(openFile);
      if (parsed && hasLabels(parsed) && this.labelFolderOf(openFile) === folder) {
        inputs.push(parsed);
        seen.add(openFile);
      }
    }
    if (self && !seen.has(file) && hasLabels(self)) inputs.push(self);
    return inputs;
  }

  /** The resolved labels for `file`, shared with every file that sees the same inputs. */
  labelsFor(file: string, self?: ParsedFile): LabelSet {
    const inputs = this.labelInputs(file, self);
    const key = `${this.labelFolderOf(file)}\u0000${inputs.map((input) => input.path).join('\u0000')}`;
    const cached = this.labelSets.get(key);
    if (cached && cached.inputs.length === inputs.length && cached.inputs.every((input, i) => input === inputs[i])) return cached.set;
    const set = resolveLabels(inputs);
    this.labelSets.set(key, { inputs, set });
    if (this.labelSets.size > 64) this.labelSets.delete(this.labelSets.keys().next().value!);
    return set;
  }

  /** True when a file's labels feed other files' checks (it has label blocks or is in a labels folder). */
  providesLabels(file: string): boolean {
    const parsed = this.parsed(file);
    if (parsed && hasLabels(parsed)) return true;
    const folder = this.labelFolderOf(file);
    return folder !== NO_FOLDER && path.dirname(file).startsWith(folder);
  }

  /**
   * A cheap over-approximation of `providesLabels` that never parses: the file
   * is in a labels folder, or a line of it starts with the keyword `label`.
   */
  mayProvideLabels(file: string): boolean {
    const folder = this.labelFolderOf(file);
    if (folder !== NO_FOLDER && path.dirname(file).startsWith(folder)) return true;
    return /^[ \t]*label\b/m.test(this.textOf(file) ?? '');
  }

  /** Open files that see the same labels as `file` (including itself when open). */
  openFilesSharingLabels(file: string): string[] {
    const folder = this.labelFolderOf(file);
    return this.openPaths().filter((other) => this.labelFolderOf(other) === folder);
  }

  // ---- checking --------------------------------------------------------------

  /** POS2001's "where" in the editor: the labels folder this file sees, or that it has none. */
  private lookedIn(file: string): string {
    const folder = this.labelFolderOf(file);
    return phraseText(folder === NO_FOLDER ? phrase('LookedInEditorNoFolder') : phrase('LookedInEditor', folder));
  }

  /** Parses, resolves and checks a file, reusing whatever has not changed. */
  analyse(file: string, uri?: string): AnalysedDocument | undefined {
    const entry = this.entry(file, uri);
    if (!entry) return undefined;
    const parsed = this.parse(entry);
    const labels = this.labelsFor(file, parsed);
    let check = this.checks.get(parsed);
    if (!check || check.labels !== labels) {
      check = { labels, analysis: checkFile(parsed, labels, this.lookedIn(file)) };
      this.checks.set(parsed, check);
    }
    return {
      uri: entry.uri || uri || '',
      path: file,
      version: entry.version,
      text: entry.text,
      parsed,
      labels,
      analysis: check.analysis,
    };
  }
}

export function hasLabels(parsed: ParsedFile): boolean {
  return parsed.parse.file.blocks.some((block) => block.kind === 'label');
}

/**
 * Analyses one text against label texts without touching the disk: for tests
 * and for code (skeletons, the verification worker) that holds the texts.
 */
export function analyseText(file: string, text: string, labelSources: readonly { path: string; text: string }[] = []): AnalysedDocument {
  const parsed = parseFile(file, text);
  const inputs = labelSources.filter((source) => source.path !== file).map((source) => parseFile(source.path, source.text));
  if (hasLabels(parsed)) inputs.push(parsed);
  const labels = resolveLabels(inputs);
  return { uri: file, path: file, version: undefined, text, parsed, labels, analysis: checkFile(parsed, labels) };
}
