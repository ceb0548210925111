// Verification off the main thread. The verifier (server/src/verify) explores
// thousands of patient states synchronously; run on the server's thread it
// would block hover and completion and could not see `$/cancelRequest`. So it
// runs here, in a worker thread: the server posts the protocol's text and its
// labels' texts, this worker parses, resolves, checks and verifies, and posts
// the findings back. Cancellation is a shared flag the verifier polls.
//
// THE integration point with the verifier is `verifyDocument` below.
import { parentPort } from 'node:worker_threads';
import type { Finding } from '../../diagnostics/finding.js';
import { checkFile, parseFile, resolveLabels, type LabelSet, type ParsedFile } from '../../checks/analysis.js';
import { verifyProtocol } from '../../verify/index.js';
import type { ProtocolVerificationWire } from '../../../../shared/custom-requests.js';

export interface VerifyJob {
  id: number;
  file: string;
  text: string;
  /** The label files the protocol sees (path and text), as the server resolved them. */
  labels: { path: string; text: string }[];
  timeBudgetMs: number;
  maxStates: number;
  /** Int32 flag: 1 means cancelled. */
  cancel: SharedArrayBuffer;
}

export interface VerifyJobResult {
  id: number;
  findings: Finding[];
  protocols: ProtocolVerificationWire[];
  error?: string;
}

const parsedLabels = new Map<string, ParsedFile>();
let lastLabels: { inputs: ParsedFile[]; set: LabelSet } | undefined;

function labelSetFor(sources: VerifyJob['labels']): LabelSet {
  const inputs = sources.map((source) => {
    const known = parsedLabels.get(source.path);
    if (known && known.text === source.text) return known;
    const parsed = parseFile(source.path, source.text);
    parsedLabels.set(source.path, parsed);
    return parsed;
  });
  if (parsedLabels.size > 256) parsedLabels.clear();
  if (lastLabels && lastLabels.inputs.length === inputs.length && lastLabels.inputs.every((input, i) => input === inputs[i])) return lastLabels.set;
  lastLabels = { inputs, set: resolveLabels(inputs) };
  return lastLabels.set;
}

/** Verifies every protocol of one file against its labels; pure apart from its caches. */
export function verifyDocument(job: Omit<VerifyJob, 'cancel' | 'id'>, isCancelled: () => boolean): Omit<VerifyJobResult, 'id'> {
  const parsed = parseFile(job.file, job.text);
  const labels = labelSetFor(job.labels.some((source) => source.path === job.file) ? job.labels.map((source) => (source.path === job.file ? { path: job.file, text: job.text } : source)) : job.labels);
  const analysis = checkFile(parsed, labels);
  const findings: Finding[] = [];
  const protocols: ProtocolVerificationWire[] = [];
  const deadline = Date.now() + job.timeBudgetMs;
  for (const protocol of analysis.protocols) {
    const remaining = Math.max(0, deadline - Date.now());
    const result = verifyProtocol(protocol, { timeBudgetMs: remaining, maxStates: job.maxStates, isCancelled, text: job.text });
    findings.push(...result.findings);
    protocols.push({
      title: protocol.title,
      status: result.status,
      statesExplored: result.statesExplored,
      statesTotal: result.statesTotal,
      counterexamples: result.counterexamples.length,
      reason: result.reason,
    });
    if (isCancelled()) break;
  }
  return { findings, protocols };
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
