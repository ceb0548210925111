// The scheduler (server/src/lsp/session/scheduler.ts) on a fake clock
// (@sinonjs/fake-timers): no real timer, no sleeping. A real workspace on a
// throw-away folder; the output and the verification runner are recorders.
import assert from 'node:assert/strict';
import path from 'node:path';
import FakeTimers from '@sinonjs/fake-timers';
import { finding, type Finding } from '../../../server/src/diagnostics/finding.js';
import type { Crawl } from '../../../server/src/project/crawl.js';
import { Scheduler, WORKSPACE_CHECK_DELAY_MS, type Clock, type Output } from '../../../server/src/lsp/session/scheduler.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/lsp/session/settings.js';
import type { Cancellable, VerificationOutcome, VerificationRequest } from '../../../server/src/lsp/session/verification.js';
import type { AnalysedDocument } from '../../../server/src/lsp/features/document.js';
import { Workspace } from '../../../server/src/lsp/session/workspace.js';
import { fileUri, pdProtocol, pomalidomideLabel, removeWorkspaces, tempWorkspace } from '../../helpers/lsp-workspace.js';

interface Published {
  file: string;
  version: number | undefined;
  codes: string[];
}

class RecordingOutput implements Output {
  readonly published: Published[] = [];
  readonly refused: { file: string; code: string }[] = [];
  readonly cleared: string[] = [];
  publish(doc: AnalysedDocument, findings: Finding[]): void {
    this.published.push({ file: doc.path, version: doc.version, codes: findings.map((item) => item.code) });
  }
  refuse(file: string, refusal: Finding): void {
    this.refused.push({ file, code: refusal.code });
  }
  clear(file: string): void {
    this.cleared.push(file);
  }
  drained(): Promise<void> {
    return Promise.resolve();
  }
  of(file: string): Published[] {
    return this.published.filter((item) => item.file === file);
  }
}

/** A runner whose jobs finish when the test says so. */
class RecordingRunner {
  readonly jobs: { request: VerificationRequest; finish: (outcome: VerificationOutcome | undefined) => void }[] = [];
  readonly cancelled: string[] = [];
  disposed = false;
  run(request: VerificationRequest, _token?: Cancellable): Promise<VerificationOutcome | undefined> {
    return new Promise((resolve) => this.jobs.push({ request, finish: resolve }));
  }
  cancel(file: string): void {
    this.cancelled.push(file);
  }
  dispose(): void {
    this.disposed = true;
  }
}

const counterexample = (file: string): Finding => finding(file, { start: 0, end: 1 }, 'VerificationIncomplete', ['10 states', 'the state budget ran out']);

describe('lsp: the scheduler, on a fake clock', () => {
  let fake: FakeTimers.Clock;
  let clock: Clock;
  let output: RecordingOutput;
  let runner: RecordingRunner;
  let workspace: Workspace;
  let settings: Settings;
  let logs: string[];
  let dir: string;
  let protocolFile: string;
  let labelFile: string;

  function scheduler(extra: { crawl?: (root: string) => Promise<Crawl>; lastInput?: () => number } = {}): Scheduler {
    return new Scheduler({ workspace, output, runner, settings: () => settings, log: (message) => logs.push(message), clock, ...extra });
  }

  function open(s: Scheduler, file: string, text: string, version = 1): void {
    s.opened(fileUri(file), file, version, text);
  }

  beforeEach(() => {
    fake = FakeTimers.createClock();
    clock = {
      setTimeout: (callback, ms) => fake.setTimeout(callback, ms),
      clearTimeout: (handle) => fake.clearTimeout(handle as ReturnType<typeof fake.setTimeout>),
      setImmediate: (callback) => fake.setImmediate(callback),
      now: () => fake.now,
    };
    output = new RecordingOutput();
    runner = new RecordingRunner();
    settings = structuredClone(DEFAULT_SETTINGS);
    logs = [];
    dir = tempWorkspace({ 'labels/drug.dose': pomalidomideLabel(), 'protocol.dose': pdProtocol(), 'other.dose': pdProtocol() });
    protocolFile = path.join(dir, 'protocol.dose');
    labelFile = path.join(dir, 'labels', 'drug.dose');
    workspace = new Workspace();
    workspace.setRoots([dir]);
  });
  after(removeWorkspaces);

  it('checks an opened file at once, and a burst of keystrokes once, after the quiet time', async () => {
    const s = scheduler();
    open(s, protocolFile, pdProtocol());
    await fake.tickAsync(0);
    assert.deepEqual(output.of(protocolFile).map((item) => item.version), [1]);
    for (let version = 2; version <= 4; version++) {
      s.edited(fileUri(protocolFile), protocolFile, version, `${pdProtocol()}\n// ${version}`);
      await fake.tickAsync(settings.diagnostics.delayMs - 25);
    }
    assert.equal(output.of(protocolFile).length, 1, 'nothing while typing');
    await fake.tickAsync(24);
    assert.equal(output.of(protocolFile).length, 1);
    await fake.tickAsync(1);
    assert.deepEqual(output.of(protocolFile).map((item) => item.version), [1, 4], 'one check, of the last version');
  });

  it('an edit that repeats the known version is not a change', async () => {
    const s = scheduler();
    open(s, protocolFile, pdProtocol());
    await fake.tickAsync(0);
    s.edited(fileUri(protocolFile), protocolFile, 1, pdProtocol());
    await fake.tickAsync(1000);
    assert.equal(output.of(protocolFile).length, 1);
    assert.deepEqual(runner.cancelled, []);
  });

  it('verifies after the check and its quiet time, then publishes the checker\'s and the verifier\'s findings together', async () => {
    const s = scheduler();
    open(s, protocolFile, pdProtocol());
    await fake.tickAsync(settings.verification.delayMs - 1);
    assert.equal(runner.jobs.length, 0, 'not before the quiet time');
    await fake.tickAsync(1);
    assert.equal(runner.jobs.length, 1);
    const job = runner.jobs[0];
    assert.equal(job.request.file, protocolFile);
    assert.equal(job.request.text, pdProtocol());
    assert.deepEqual(job.request.labels.map((label) => label.path), [labelFile]);
    assert.equal(job.request.timeBudgetMs, settings.verification.timeBudgetMs);
    const before = output.of(protocolFile).length;
    job.finish({ findings: [counterexample(protocolFile), counterexample(labelFile)], protocols: [] });
    await fake.tickAsync(0);
    const last = output.of(protocolFile).at(-1)!;
    assert.equal(output.of(protocolFile).length, before + 1);
    assert.deepEqual(last.codes, ['POS4002'], "the verifier's finding on this file (the clean example has no checker finding); none of the label's");
    const doc = workspace.analyse(protocolFile)!;
    assert.deepEqual(s.findings(doc).map((item) => item.code), ['POS4002']);
    assert.equal(runner.jobs.length, 1, 'no second job for the same version');
  });

  it('an edit cancels the pending verification and the running job; the stale outcome is dropped', async () => {
    const s = scheduler();
    open(s, protocolFile, pdProtocol());
    await fake.tickAsync(100);
    s.edited(fileUri(protocolFile), protocolFile, 2, `${pdProtocol()}\n`);
    await fake.tickAsync(settings.verification.delayMs);
    assert.equal(runner.jobs.length, 0, 'the timer of version 1 was cancelled; version 2 waits for its own quiet time');
    await fake.tickAsync(settings.diagnostics.delayMs);
    assert.equal(runner.jobs.length, 1);
    const stale = runner.jobs[0];
    s.edited(fileUri(protocolFile), protocolFile, 3, `${pdProtocol()}\n\n`);
    assert.deepEqual(runner.cancelled, [protocolFile, protocolFile], 'each edit cancels the running job');
    const count = output.published.length;
    stale.finish({ findings: [counterexample(protocolFile)], protocols: [] });
    await fake.tickAsync(0);
    assert.equal(output.published.length, count, 'the outcome of version 2 is not published for version 3');
    await fake.tickAsync(settings.diagnostics.delayMs + settings.verification.delayMs);
    assert.equal(runner.jobs.length, 2);
    assert.equal(runner.jobs[1].request.text, `${pdProtocol()}\n\n`);
  });

  it('with verification off, checks and never verifies', async () => {
    settings.verification.enabled = false;
    const s = scheduler();
    open(s, protocolFile, pdProtocol());
    await fake.tickAsync(60_000);
    assert.equal(output.of(protocolFile).length, 1);
    assert.equal(runner.jobs.length, 0);
    assert.deepEqual(s.sizes(), { diagnosticTimers: 0, verifyTimers: 0, verified: 0, labelProviders: 0 });
  });

  it('an edit of an open label re-checks every open protocol that sees it, after the same quiet time', async () => {
    const s = scheduler();
    const otherFile = path.join(dir, 'other.dose');
    open(s, protocolFile, pdProtocol());
    open(s, otherFile, pdProtocol());
    open(s, labelFile, pomalidomideLabel());
    await fake.tickAsync(0);
    const before = { protocol: output.of(protocolFile).length, other: output.of(otherFile).length };
    s.edited(fileUri(labelFile), labelFile, 2, `${pomalidomideLabel()}\n`);
    await fake.tickAsync(settings.diagnostics.delayMs - 1);
    assert.equal(output.of(protocolFile).length, before.protocol);
    await fake.tickAsync(1);
    assert.equal(output.of(protocolFile).length, before.protocol + 1);
    // The first protocol's check saw the new labels and re-scheduled the other at once (a timer of 0, which fires 1 ms on).
    await fake.tickAsync(1);
    assert.equal(output.of(otherFile).length, before.other + 1);
    assert.equal(output.of(labelFile).at(-1)!.version, 2);
  });

  it('closing a file cancels its timers and its job, and leaves nothing behind', async () => {
    settings.workspace.check = false;
    const s = scheduler();
    open(s, protocolFile, pdProtocol());
    await fake.tickAsync(0);
    s.edited(fileUri(protocolFile), protocolFile, 2, `${pdProtocol()}\n`);
    s.closed(fileUri(protocolFile), protocolFile);
    assert.deepEqual(s.sizes(), { diagnosticTimers: 0, verifyTimers: 0, verified: 0, labelProviders: 0 });
    assert.deepEqual(output.cleared, [protocolFile], 'its diagnostics are cleared (not checked from disk: the workspace check is off)');
    await fake.tickAsync(60_000);
    assert.equal(output.of(protocolFile).length, 1);
    assert.equal(runner.jobs.length, 0);
  });

  it('the workspace crawl starts after a pause, checks the closed files, skips the open ones, and reports unreadable folders', async () => {
    const otherFile = path.join(dir, 'other.dose');
    const crawls: string[] = [];
    const s = scheduler({
      crawl: async (root) => {
        crawls.push(root);
        return { files: [protocolFile, otherFile, labelFile], refused: [], unreadable: [{ path: path.join(dir, 'locked'), why: { kind: 'permission denied' } }], truncated: false };
      },
    });
    open(s, protocolFile, pdProtocol());
    s.checkWorkspace();
    await fake.tickAsync(WORKSPACE_CHECK_DELAY_MS - 1);
    assert.deepEqual(crawls, []);
    await fake.tickAsync(1);
    assert.deepEqual(crawls, [dir]);
    assert.deepEqual(output.of(otherFile).map((item) => item.version), [undefined], 'a closed file, checked from disk');
    assert.equal(output.of(labelFile).length, 1);
    assert.equal(output.of(protocolFile).length, 1, 'the open file only by its own check');
    assert.deepEqual(output.refused, [{ file: path.join(dir, 'locked'), code: 'POS1007' }]);
    assert.match(logs.join('\n'), /cannot read .*locked: it is a folder that cannot be listed: permission denied/);
  });

  it('a newer crawl (folders changed) stops the older one', async () => {
    let crawls = 0;
    const s = scheduler({
      crawl: async () => {
        crawls++;
        return { files: [labelFile], refused: [], unreadable: [], truncated: false };
      },
    });
    s.checkWorkspace();
    await fake.tickAsync(WORKSPACE_CHECK_DELAY_MS / 2);
    s.checkWorkspace();
    await fake.tickAsync(WORKSPACE_CHECK_DELAY_MS * 2);
    assert.equal(crawls, 1, 'the first crawl stopped before it listed anything');
    assert.equal(output.of(labelFile).length, 1);
  });

  it('the crawl waits while the editor is sending, at most 200 ms at a time', async () => {
    const s = scheduler({ crawl: async () => ({ files: [labelFile], refused: [], unreadable: [], truncated: false }), lastInput: () => fake.now });
    s.checkWorkspace();
    await fake.tickAsync(WORKSPACE_CHECK_DELAY_MS + 199);
    assert.equal(output.of(labelFile).length, 0, 'input keeps coming: the crawl waits');
    await fake.tickAsync(1);
    assert.equal(output.of(labelFile).length, 1, 'but not forever');
  });

  it('dispose clears every timer and the runner', async () => {
    const s = scheduler();
    open(s, protocolFile, pdProtocol());
    s.checkWorkspace();
    s.dispose();
    assert.ok(runner.disposed);
    await fake.tickAsync(60_000);
    assert.equal(output.published.length, 0, 'no check, no crawl');
    assert.equal(fake.countTimers(), 0);
    assert.deepEqual(s.sizes(), { diagnosticTimers: 0, verifyTimers: 0, verified: 0, labelProviders: 0 });
  });
});
