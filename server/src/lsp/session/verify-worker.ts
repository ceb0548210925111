// Verification off the main thread. The verifier (server/src/verify) explores
// thousands of patient states synchronously; run on the server's thread it
// would block hover and completion and could not see `$/cancelRequest`. So it
// runs here, in a worker thread: the server posts the protocol's text and its
// labels' texts, this worker verifies them (pipeline/verify-file.ts: the same entry point
// as the CLI's, courses included) and posts the findings back. Cancellation is a
// shared flag the verifier polls.
//
// THE integration point with the verifier is `verifyDocument` below.
import { parentPort } from 'node:worker_threads';
import type { Finding } from '../../diagnostics/finding.js';
import { TextVerifier } from '../../pipeline/verify-file.js';
import type { ProtocolVerificationWire } from '../../../../shared/custom-requests.js';

/** What the session asks to verify: one file's text and the labels it sees. */
export interface VerificationRequest {
  file: string;
  text: string;
  /** The label files the protocol sees (path and text), as the server resolved them. */
  labels: { path: string; text: string }[];
  timeBudgetMs: number;
  maxStates: number;
}

export interface VerifyJob extends VerificationRequest {
  id: number;
  /** Int32 flag: 1 means cancelled. */
  cancel: SharedArrayBuffer;
}

export interface VerifyJobResult {
  id: number;
  findings: Finding[];
  protocols: ProtocolVerificationWire[];
  error?: string;
}

const verifier = new TextVerifier();

/** Verifies every protocol of one file against its labels, single days and courses (pipeline/verify-file.ts); pure apart from its caches. */
export function verifyDocument(job: VerificationRequest, isCancelled: () => boolean): Omit<VerifyJobResult, 'id'> {
  const verified = verifier.verify(job.file, job.text, job.labels, { timeBudgetMs: job.timeBudgetMs, maxStates: job.maxStates, isCancelled });
  const protocols = verified.protocols.map(({ protocol, result }): ProtocolVerificationWire => ({
    title: protocol.title,
    status: result.status,
    statesExplored: result.statesExplored,
    statesTotal: result.statesTotal,
    counterexamples: result.counterexamples.length,
    reason: result.reason,
  }));
  return { findings: verified.findings, protocols };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: VerifyJob) => {
    const flag = new Int32Array(job.cancel);
    const isCancelled = () => Atomics.load(flag, 0) === 1;
    try {
      port.postMessage({ id: job.id, ...verifyDocument(job, isCancelled) } satisfies VerifyJobResult);
    } catch (error) {
      port.postMessage({ id: job.id, findings: [], protocols: [], error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies VerifyJobResult);
    }
  });
}
