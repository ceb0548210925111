// Runs verification jobs in one worker thread (see verify-worker.ts), one job
// at a time: a newer job for the same file cancels the older one, and an LSP
// cancellation token cancels its job. A job that is cancelled or superseded
// resolves to undefined; the caller then publishes nothing from it.
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { Finding } from '../../diagnostics/finding.js';
import type { ProtocolVerificationWire } from '../../../../shared/custom-requests.js';
import type { VerificationRequest, VerifyJob, VerifyJobResult } from './verify-worker.js';

export type { VerificationRequest } from './verify-worker.js';

export interface VerificationOutcome {
  findings: Finding[];
  protocols: ProtocolVerificationWire[];
}

export interface Cancellable {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

interface Pending {
  job: VerifyJob;
  flag: Int32Array;
  cancelled: boolean;
  resolve: (outcome: VerificationOutcome | undefined) => void;
  watchdog?: ReturnType<typeof setTimeout>;
}

/** Extra time a job may take past its budget before the worker is considered stuck. */
const GRACE_MS = 10_000;

function workerUrl(): URL {
  // In the esbuild bundle `import.meta.url` is the bundle's own file (main.cjs).
  const here = import.meta.url;
  return new URL(here.endsWith('.cjs') ? './verify-worker.cjs' : './verify-worker.js', here);
}

function sameRequest(job: VerificationRequest, request: VerificationRequest): boolean {
  return (
    job.file === request.file &&
    job.text === request.text &&
    job.timeBudgetMs === request.timeBudgetMs &&
    job.maxStates === request.maxStates &&
    job.labels.length === request.labels.length &&
    job.labels.every((label, i) => label.path === request.labels[i].path && label.text === request.labels[i].text)
  );
}

export class VerificationRunner {
  private worker: Worker | undefined;
  private running: Pending | undefined;
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly log: (message: string) => void) {}

  run(request: VerificationRequest, token?: Cancellable): Promise<VerificationOutcome | undefined> {
    // The same question asked twice (an explicit "verify" while the background one
    // runs) shares one job; only a different text or different labels supersede it.
    const same = [...this.queue, ...(this.running ? [this.running] : [])].find((pending) => !pending.cancelled && sameRequest(pending.job, request));
    if (same) return this.join(same, token);
    this.cancel(request.file);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    return new Promise((resolve) => {
      const pending: Pending = { job: { ...request, id: this.nextId++, cancel: flag.buffer as SharedArrayBuffer }, flag, cancelled: false, resolve };
      if (token) {
        if (token.isCancellationRequested) {
          resolve(undefined);
          return;
        }
        const subscription = token.onCancellationRequested(() => this.cancelJob(pending));
        pending.resolve = (outcome) => {
          subscription.dispose();
          resolve(outcome);
        };
      }
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Waits for a job someone else started; cancelling `token` stops the wait, not the job. */
  private join(pending: Pending, token?: Cancellable): Promise<VerificationOutcome | undefined> {
    return new Promise((resolve) => {
      if (token?.isCancellationRequested) {
        resolve(undefined);
        return;
      }
      let done = false;
      const subscription = token?.onCancellationRequested(() => finish(undefined));
      const finish = (outcome: VerificationOutcome | undefined) => {
        if (done) return;
        done = true;
        subscription?.dispose();
        resolve(outcome);
      };
      const previous = pending.resolve;
      pending.resolve = (outcome) => {
        previous(outcome);
        finish(outcome);
      };
    });
  }

  /** Cancels the queued and running jobs for `file`. */
  cancel(file: string): void {
    for (const pending of [...this.queue, ...(this.running ? [this.running] : [])]) {
      if (pending.job.file === file) this.cancelJob(pending);
    }
  }

  dispose(): void {
    for (const pending of [...this.queue]) this.cancelJob(pending);
    if (this.running) this.cancelJob(this.running);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private cancelJob(pending: Pending): void {
    if (pending.cancelled) return;
    pending.cancelled = true;
    Atomics.store(pending.flag, 0, 1);
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
    pending.resolve(undefined);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Loaded here, not with this module: in a server started from the startup snapshot
    // (snapshot-main.ts) a worker_threads loaded before the snapshot was taken starts no worker.
    const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new threads.Worker(workerUrl());
    worker.on('message', (result: VerifyJobResult) => this.finish(result));
    worker.on('error', (error) => {
      this.log(`verification worker failed: ${error.stack ?? error.message}`);
      this.restart();
    });
    worker.on('exit', (code) => {
      if (this.worker === worker && code !== 0) {
        this.log(`verification worker exited with code ${code}`);
        this.restart();
      }
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private restart(): void {
    const running = this.running;
    this.running = undefined;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    if (running) {
      clearTimeout(running.watchdog);
      if (!running.cancelled) running.resolve(undefined);
      running.cancelled = true;
    }
    this.pump();
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    try {
      this.ensureWorker().postMessage(next.job);
      next.watchdog = setTimeout(() => {
        this.log(`verification of ${next.job.file} took more than ${next.job.timeBudgetMs + GRACE_MS} ms; restarting the worker`);
        this.restart();
      }, next.job.timeBudgetMs + GRACE_MS);
      next.watchdog.unref();
    } catch (error) {
      this.log(`cannot start verification: ${(error as Error).message}`);
      this.running = undefined;
      if (!next.cancelled) next.resolve(undefined);
      next.cancelled = true;
    }
  }

  private finish(result: VerifyJobResult): void {
    const running = this.running;
    if (!running || running.job.id !== result.id) return;
    clearTimeout(running.watchdog);
    this.running = undefined;
    if (result.error) this.log(`verification of ${running.job.file} failed: ${result.error}`);
    if (!running.cancelled) running.resolve(result.error ? undefined : { findings: result.findings, protocols: result.protocols });
    running.cancelled = true;
    this.pump();
  }
}
