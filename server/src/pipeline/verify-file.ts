// Verification of one file: the one entry point of `posology check` and `posology
// verify` (cli/verify.ts) and of the editor's verification worker
// (lsp/session/verify-worker.ts). Both verify every protocol of the file, single days and
// courses (unless told not to), under one budget for the whole file, and stop
// between protocols when cancelled. `TextVerifier` starts from texts (the worker's
// case: it parses, resolves and checks itself, keeping the parsed labels between
// calls); `verifyFile` from a file the caller has already analysed (the CLI's).
import type { Finding } from '../diagnostics/finding.js';
import { checkFile, parseFile, resolveLabels, type FileAnalysis, type LabelSet, type ParsedFile, type SourceText } from '../checks/analysis.js';
import type { ResolvedProtocol } from '../semantics/model.js';
import { DEFAULT_MAX_STATES, DEFAULT_TIME_BUDGET_MS } from '../verify/budget.js';
import { verifyProtocol } from '../verify/index.js';
import type { VerificationResult } from '../verify/types.js';

export interface FileVerifyOptions {
  /** The file's text, for the quick fixes (the analysis keeps none). */
  text?: string;
  /** Per protocol, as in verifyProtocol. */
  maxStates?: number;
  /** For the whole file. */
  timeBudgetMs?: number;
  isCancelled?: () => boolean;
  /** Search courses (phase 2); on unless false. */
  courses?: boolean;
}

export interface ProtocolVerification {
  protocol: ResolvedProtocol;
  result: VerificationResult;
}

export interface FileVerification {
  findings: Finding[];
  protocols: ProtocolVerification[];
}

export function verifyFile(analysis: FileAnalysis, options: FileVerifyOptions = {}): FileVerification {
  const findings: Finding[] = [];
  const protocols: ProtocolVerification[] = [];
  const deadline = performance.now() + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  for (const protocol of analysis.protocols) {
    if (options.isCancelled?.()) break;
    const result = verifyProtocol(protocol, {
      text: options.text,
      maxStates: options.maxStates ?? DEFAULT_MAX_STATES,
      timeBudgetMs: Math.max(0, deadline - performance.now()),
      isCancelled: options.isCancelled,
      courses: options.courses !== false,
    });
    findings.push(...result.findings);
    protocols.push({ protocol, result });
  }
  return { findings, protocols };
}

/** Verifies files given as texts; keeps the parsed labels (and the last label set) between calls. */
export class TextVerifier {
  private readonly parsedLabels = new Map<string, ParsedFile>();
  private lastLabels: { inputs: ParsedFile[]; set: LabelSet } | undefined;

  /** `labels`: the label files the protocol sees; when `file` is one of them, its own `text` stands for it. */
  verify(file: string, text: string, labels: readonly SourceText[], options: Omit<FileVerifyOptions, 'text'> = {}): FileVerification {
    const parsed = parseFile(file, text);
    const sources = labels.map((source) => (source.path === file ? { path: file, text } : source));
    const analysis = checkFile(parsed, this.labelSet(sources));
    return verifyFile(analysis, { ...options, text });
  }

  private labelSet(sources: readonly SourceText[]): LabelSet {
    const inputs = sources.map((source) => {
      const known = this.parsedLabels.get(source.path);
      if (known && known.text === source.text) return known;
      const parsed = parseFile(source.path, source.text);
      this.parsedLabels.set(source.path, parsed);
      return parsed;
    });
    if (this.parsedLabels.size > 256) this.parsedLabels.clear();
    const last = this.lastLabels;
    if (last && last.inputs.length === inputs.length && last.inputs.every((input, i) => input === inputs[i])) return last.set;
    this.lastLabels = { inputs, set: resolveLabels(inputs) };
    return this.lastLabels.set;
  }
}
