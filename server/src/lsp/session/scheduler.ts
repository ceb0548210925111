// When the server's background work runs: the one place that holds timers.
//
// - A change re-checks the file after a quiet time (settings.diagnostics.delayMs)
//   and, when the file has (or had) labels, every file that sees its labels.
// - After an open file's check, verification starts after another quiet time
//   (settings.verification.delayMs) in the runner (a worker); an edit cancels the
//   running job and the pending timer, and an outcome is kept only when the
//   file's version, text and labels are still the ones it verified.
// - Label files changed on disk without a file event are noticed at each check
//   (the workspace re-reads them when their modification time moves), and the
//   documents that see them are re-checked.
// - The workspace crawl checks the closed .dose files of the workspace folders,
//   a few milliseconds at a time, letting the editor's requests go first.
//
// It decides when, never how: checking is the workspace's, publishing is the
// output's (the server converts and sends), verifying is the runner's. Time
// comes from a Clock, so tests run it on a fake one.
import type { Finding } from '../../diagnostics/finding.js';
import { folderRefused } from '../../project/files.js';
import { refusalFinding, refusalText } from '../../project/refusal.js';
import { crawlDoseFiles } from '../../project/crawl.js';
import type { LabelSet } from '../../checks/analysis.js';
import { guarded } from './guarded.js';
import type { Settings } from './settings.js';
import type { Cancellable, VerificationOutcome, VerificationRequest, VerificationRunner } from './verification.js';
import type { AnalysedDocument } from '../features/document.js';
import { hasLabels, type Workspace } from './workspace.js';

export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Calls back on a later turn of the event loop, after pending input. */
  setImmediate(callback: () => void): unknown;
  /** Milliseconds, monotonic. */
  now(): number;
}

export const systemClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  setImmediate: (callback) => setImmediate(callback),
  now: () => performance.now(),
};

/** Where findings go: the server turns them into publishDiagnostics. */
export interface Output {
  publish(doc: AnalysedDocument, findings: Finding[]): void;
  /** A file or folder that cannot be read gets one finding that says why. */
  refuse(file: string, refusal: Finding): void;
  /** Removes what was published for `file`, if anything. */
  clear(file: string, uri?: string): void;
  /** Resolves when the last message published has been handed to the connection. */
  drained(): Promise<void>;
}

export type Runner = Pick<VerificationRunner, 'run' | 'cancel' | 'dispose'>;

export interface SchedulerOptions {
  workspace: Workspace;
  output: Output;
  runner: Runner;
  settings: () => Settings;
  log: (message: string) => void;
  clock?: Clock;
  /** When the client last sent bytes (clock time): the workspace crawl lets them go first. */
  lastInput?: () => number;
  crawl?: typeof crawlDoseFiles;
}

export interface DiskChange {
  file: string;
  uri: string;
  deleted: boolean;
}

interface Verified extends VerificationOutcome {
  version: number | undefined;
  text: string;
  labels: LabelSet;
}

export const WORKSPACE_CHECK_DELAY_MS = 150;
const WORKSPACE_SLICE_MS = 4;
const INPUT_QUIET_MS = 10;
const MAX_INPUT_WAIT_MS = 200;
/** Closed workspace files that see a changed label are re-checked after the open ones. */
const CLOSED_FILES_LAG_MS = 50;

export class Scheduler {
  private readonly workspace: Workspace;
  private readonly output: Output;
  private readonly runner: Runner;
  private readonly settings: () => Settings;
  private readonly log: (message: string) => void;
  private readonly clock: Clock;
  private readonly lastInput: (() => number) | undefined;
  private readonly crawl: typeof crawlDoseFiles;

  private readonly diagnosticTimers = new Map<string, unknown>();
  private readonly verifyTimers = new Map<string, unknown>();
  private readonly verified = new Map<string, Verified>();
  /** Closed files whose diagnostics the workspace check published. */
  private readonly workspaceFiles = new Set<string>();
  /** Files whose labels other files saw at their last check. */
  private readonly labelProviders = new Set<string>();
  /**
   * Per labels folder: the label set its open documents were last checked against, and one of
   * them. A label file changed on disk yields a new set; then every open document of that
   * folder is re-checked.
   */
  private readonly folderLabels = new Map<string, { labels: LabelSet; file: string }>();
  /** Bumped by each workspace crawl, so a newer one (folders changed) stops the older one. */
  private crawlGeneration = 0;
  /** The paths of each labels folder that were reported as not read (`publishLabelRefusals`). */
  private readonly labelRefusals = new Map<string, Set<string>>();

  constructor(options: SchedulerOptions) {
    this.workspace = options.workspace;
    this.output = options.output;
    this.runner = options.runner;
    this.settings = options.settings;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.lastInput = options.lastInput;
    this.crawl = options.crawl ?? crawlDoseFiles;
  }

  // ---- events ------------------------------------------------------------------------

  opened(uri: string, file: string, version: number, text: string): void {
    this.workspace.setOpen(uri, file, version, text);
    this.workspaceFiles.delete(file);
    this.changed(file, 0);
  }

  edited(uri: string, file: string, version: number, text: string): void {
    if (this.workspace.versionOf(file) === version) return;
    this.workspace.setOpen(uri, file, version, text);
    this.runner.cancel(file);
    this.cancelTimer(this.verifyTimers, file);
    this.changed(file, this.settings().diagnostics.delayMs);
  }

  closed(uri: string, file: string): void {
    const hadLabels = this.labelProviders.has(file);
    this.workspace.close(file);
    this.runner.cancel(file);
    this.cancelTimer(this.diagnosticTimers, file);
    this.cancelTimer(this.verifyTimers, file);
    this.verified.delete(file);
    const onDisk = this.settings().workspace.check && this.workspace.inWorkspace(file) && this.workspace.textOf(file) !== undefined;
    if (onDisk) {
      this.workspaceFiles.add(file);
      this.check(file);
    } else {
      this.output.clear(file, uri);
      this.labelProviders.delete(file);
    }
    if (hadLabels) for (const other of this.workspace.openFilesSharingLabels(file)) this.schedule(other, 0);
  }

  /** Files changed on disk (file events); open files are the editor's, not the disk's. */
  diskChanged(changes: readonly DiskChange[]): void {
    this.workspace.invalidateDisk(changes.map((change) => change.file));
    for (const { file, uri, deleted } of changes) {
      if (this.workspace.isOpen(file)) continue;
      if (deleted) {
        this.workspaceFiles.delete(file);
        this.output.clear(file, uri);
        this.labelProviders.delete(file);
        for (const other of this.workspace.openPaths()) this.schedule(other, 0);
        continue;
      }
      if (this.settings().workspace.check) {
        this.workspaceFiles.add(file);
        this.schedule(file, 0);
      }
      // A label file may have changed: re-check whatever sees it.
      if (this.workspace.providesLabels(file) || this.labelProviders.has(file)) this.changed(file, 0);
    }
  }

  settingsChanged(): void {
    this.verified.clear();
    for (const file of this.workspace.openPaths()) this.schedule(file, 0);
  }

  foldersChanged(roots: readonly string[]): void {
    this.workspace.setRoots(roots);
    this.workspace.invalidateDisk();
    for (const file of this.workspaceFiles) if (!this.workspace.isOpen(file)) this.output.clear(file);
    this.workspaceFiles.clear();
    for (const file of this.workspace.openPaths()) this.schedule(file, 0);
    this.checkWorkspace();
  }

  dispose(): void {
    for (const timer of [...this.diagnosticTimers.values(), ...this.verifyTimers.values()]) this.clock.clearTimeout(timer);
    this.diagnosticTimers.clear();
    this.verifyTimers.clear();
    this.crawlGeneration++;
    this.runner.dispose();
  }

  // ---- what the handlers read ----------------------------------------------------------

  /** The checker's findings and, when it verified this very text against these labels, the verifier's. */
  findings(doc: AnalysedDocument): Finding[] {
    const extra = this.currentVerification(doc)?.findings ?? [];
    return [...doc.analysis.findings, ...extra.filter((item) => item.file === doc.path)];
  }

  /** Verification now (an explicit request): the background result when it is current, else a run. Undefined when cancelled. */
  async verifyNow(doc: AnalysedDocument, token: Cancellable): Promise<VerificationOutcome | undefined> {
    const known = this.currentVerification(doc);
    const outcome = known ?? (await this.runner.run(this.verificationRequest(doc), token));
    if (!outcome || token.isCancellationRequested) return undefined;
    if (!known && this.workspace.isOpen(doc.path) && this.workspace.versionOf(doc.path) === doc.version) {
      this.verified.set(doc.path, { ...outcome, version: doc.version, text: doc.text, labels: doc.labels });
      this.publish(doc.path);
    }
    return outcome;
  }

  sizes(): { diagnosticTimers: number; verifyTimers: number; verified: number; labelProviders: number } {
    return { diagnosticTimers: this.diagnosticTimers.size, verifyTimers: this.verifyTimers.size, verified: this.verified.size, labelProviders: this.labelProviders.size };
  }

  // ---- checking ------------------------------------------------------------------------

  private cancelTimer(timers: Map<string, unknown>, file: string): void {
    const timer = timers.get(file);
    if (timer === undefined) return;
    this.clock.clearTimeout(timer);
    timers.delete(file);
  }

  private schedule(file: string, delay: number): void {
    this.cancelTimer(this.diagnosticTimers, file);
    const timer = this.clock.setTimeout(() => {
      this.diagnosticTimers.delete(file);
      this.check(file);
    }, delay);
    this.diagnosticTimers.set(file, timer);
  }

  /** A file changed: re-check it, and every file that sees its labels when it has (or had) labels. */
  private changed(file: string, delay: number): void {
    this.schedule(file, delay);
    // Decided without parsing, so a keystroke costs nothing until the debounced check.
    if (!this.labelProviders.has(file) && !this.workspace.mayProvideLabels(file)) return;
    for (const other of this.workspace.openFilesSharingLabels(file)) if (other !== file) this.schedule(other, delay);
    for (const other of this.workspaceFiles) {
      if (!this.workspace.isOpen(other) && this.workspace.labelFolderOf(other) === this.workspace.labelFolderOf(file)) this.schedule(other, delay + CLOSED_FILES_LAG_MS);
    }
  }

  /** Checks a file and publishes its findings (a refusal when it cannot be read). */
  private publish(file: string): AnalysedDocument | undefined {
    const doc = this.workspace.analyse(file);
    if (!doc) {
      // A file in the workspace folders that is there but refused (a link out of
      // them, over the size limit, a dangling link) gets one diagnostic saying why.
      const refused = this.workspace.refusal(file);
      if (refused) this.output.refuse(file, refused);
      else this.output.clear(file);
      return undefined;
    }
    if (this.workspace.providesLabels(file)) this.labelProviders.add(file);
    else this.labelProviders.delete(file);
    this.output.publish(doc, this.findings(doc));
    if (this.workspace.isOpen(file)) this.publishLabelRefusals(file);
    return doc;
  }

  /**
   * What the labels folder of an open document holds and was not read (a folder
   * that cannot be listed, a refused label file), each on its own path; what was
   * said before and reads now is cleared. Outside the workspace folders this is
   * the only report of it; inside, the crawl says the same.
   */
  private publishLabelRefusals(file: string): void {
    const folder = this.workspace.labelFolderOf(file);
    const refusals = this.workspace.labelFolderRefusals(file);
    const now = new Set(refusals.map((item) => item.file));
    for (const item of refusals) this.output.refuse(item.file, item);
    for (const before of this.labelRefusals.get(folder) ?? []) if (!now.has(before) && !this.workspace.isOpen(before)) this.output.clear(before);
    if (now.size > 0) this.labelRefusals.set(folder, now);
    else this.labelRefusals.delete(folder);
  }

  private check(file: string): void {
    guarded(this.log, `checking ${file}`, () => {
      const doc = this.publish(file);
      if (doc && this.workspace.isOpen(file)) this.scheduleVerification(file, doc.version);
      if (doc) this.noteLabels(doc);
      this.recheckStaleFolders(doc ? this.workspace.labelFolderOf(file) : undefined);
    });
  }

  // ---- labels that change on disk without a file event -----------------------------------

  private noteLabels(doc: AnalysedDocument): void {
    if (!this.workspace.isOpen(doc.path) || hasLabels(doc.parsed)) return;
    const folder = this.workspace.labelFolderOf(doc.path);
    const known = this.folderLabels.get(folder);
    this.folderLabels.set(folder, { labels: doc.labels, file: doc.path });
    if (known && known.labels !== doc.labels) for (const other of this.workspace.openFilesSharingLabels(doc.path)) if (other !== doc.path) this.schedule(other, 0);
  }

  /** At each check, the other folders' labels are looked at again too (cheap: cached, re-read only when changed on disk). */
  private recheckStaleFolders(except: string | undefined): void {
    for (const [folder, known] of this.folderLabels) {
      if (folder === except) continue;
      if (!this.workspace.isOpen(known.file)) {
        // Its document was closed: another open one of the folder stands for it, if any.
        const other = this.workspace.openPaths().find((file) => this.workspace.labelFolderOf(file) === folder && !this.workspace.mayProvideLabels(file));
        if (!other) {
          this.folderLabels.delete(folder);
          continue;
        }
        this.folderLabels.set(folder, { labels: known.labels, file: other });
      }
      const current = this.folderLabels.get(folder)!;
      if (this.workspace.labelsFor(current.file) !== current.labels) this.schedule(current.file, 0);
    }
  }

  // ---- verification -----------------------------------------------------------------

  private currentVerification(doc: AnalysedDocument): Verified | undefined {
    const entry = this.verified.get(doc.path);
    return entry && entry.version === doc.version && entry.text === doc.text && entry.labels === doc.labels ? entry : undefined;
  }

  private verificationRequest(doc: AnalysedDocument): VerificationRequest {
    const settings = this.settings().verification;
    const labels = this.workspace.labelInputs(doc.path, doc.parsed).map((input) => ({ path: input.path, text: input.text }));
    return { file: doc.path, text: doc.text, labels, timeBudgetMs: settings.timeBudgetMs, maxStates: settings.maxStates };
  }

  private scheduleVerification(file: string, version: number | undefined): void {
    this.cancelTimer(this.verifyTimers, file);
    if (!this.settings().verification.enabled) return;
    const timer = this.clock.setTimeout(() => {
      this.verifyTimers.delete(file);
      guarded(this.log, `verifying ${file}`, () => {
        const doc = this.workspace.analyse(file);
        if (!doc || doc.version !== version || !this.workspace.isOpen(file)) return;
        if (this.currentVerification(doc)) return;
        if (doc.analysis.protocols.length === 0) {
          this.verified.delete(file);
          return;
        }
        void this.runner.run(this.verificationRequest(doc)).then((outcome) => {
          if (!outcome) return;
          guarded(this.log, `publishing verification of ${file}`, () => {
            // Stale: the file changed (or its labels did) while the job ran.
            if (this.workspace.versionOf(file) !== version) return;
            const now = this.workspace.analyse(file);
            if (!now || now.text !== doc.text || now.labels !== doc.labels) return;
            this.verified.set(file, { ...outcome, version, text: doc.text, labels: doc.labels });
            this.publish(file);
          });
        });
      });
    }, this.settings().verification.delayMs);
    this.verifyTimers.set(file, timer);
  }

  // ---- the workspace crawl ----------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }

  /** Checks every closed .dose file of the workspace folders (when settings.workspace.check), after a short pause. */
  checkWorkspace(): void {
    if (!this.settings().workspace.check) return;
    const generation = ++this.crawlGeneration;
    const stopped = () => generation !== this.crawlGeneration;
    void (async () => {
      // After a short pause: the documents the editor opens right after start are
      // checked first, and the rest of the workspace follows in slices.
      await this.sleep(WORKSPACE_CHECK_DELAY_MS);
      const roots = this.workspace.getRoots();
      const maxFiles = this.settings().workspace.maxFiles;
      const files: string[] = [];
      for (const root of roots) {
        if (stopped()) return;
        // Listed asynchronously (a 10,000-file folder never stalls a hover); links that lead out
        // of the folders are listed too, each gets its refusal (POS1006); a folder that cannot be
        // listed gets POS1007 on itself, never a silent skip.
        const crawl = await this.crawl(root, roots, Math.max(0, maxFiles - files.length), stopped);
        for (const folder of crawl.unreadable) {
          const refused = folderRefused(folder);
          this.log(`cannot read ${folder.path}: ${refusalText(refused.refusal)}`);
          this.output.refuse(folder.path, refusalFinding(folder.path, refused.refusal));
        }
        for (const file of [...crawl.files, ...crawl.refused]) if (files.length < maxFiles) files.push(file);
      }
      let next = 0;
      while (next < files.length && !stopped()) {
        // Interactive first: while the editor is sending (a hover, keystrokes), the check waits,
        // up to 200 ms at a time so that a flood of messages cannot starve it.
        for (let waited = 0; this.lastInput && this.clock.now() - this.lastInput() < INPUT_QUIET_MS && waited < MAX_INPUT_WAIT_MS; waited += INPUT_QUIET_MS) {
          await this.sleep(INPUT_QUIET_MS);
        }
        // Time-sliced: at most a few ms of checking between two looks at the incoming messages.
        const sliceEnd = this.clock.now() + WORKSPACE_SLICE_MS;
        for (; next < files.length && this.clock.now() < sliceEnd; next++) {
          const file = files[next];
          if (this.workspace.isOpen(file)) continue;
          this.workspaceFiles.add(file);
          guarded(this.log, `checking ${file}`, () => this.publish(file));
        }
        await this.output.drained();
        await new Promise<void>((resolve) => this.clock.setImmediate(resolve));
      }
    })().catch((error) => this.log(`workspace check failed: ${(error as Error).message}`));
  }
}
