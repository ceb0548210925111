// The custom requests and commands the server and the VS Code client share.
// Plain types with no imports, so the client (bundled separately) can use
// them too. Ranges are LSP ranges (zero-based lines, UTF-16 characters).

export interface WirePosition {
  line: number;
  character: number;
}

export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

/** `posology/runTests`: run a document's embedded tests and scenarios (all, one protocol, one test or one scenario). */
export const RUN_TESTS_REQUEST = 'posology/runTests';
/** `posology/listTests`: the same answer, for discovery (the results come for free). */
export const LIST_TESTS_REQUEST = 'posology/listTests';
/** `posology/verify`: verify a document's protocols now; honours `$/cancelRequest`. */
export const VERIFY_REQUEST = 'posology/verify';

/** The client-side command CodeLens runs; its single argument is a RunTestsParams. */
export const RUN_TESTS_COMMAND = 'posology.runTests';

export interface RunTestsParams {
  uri: string;
  /** Index of the protocol among the file's protocol blocks (0-based). */
  protocolIndex?: number;
  /** Only the test with this title (no scenario). */
  testTitle?: string;
  /** Only the scenario with this title (no test); its steps run in order, as always. */
  scenarioTitle?: string;
}

export interface TestResultWire {
  title: string;
  range: WireRange;
  /** Where a failure is shown: the `expect` clause. */
  expectRange: WireRange;
  /** Absent when the test could not run. */
  passed?: boolean;
  expected?: string;
  actual?: string;
  /** "rule neutropenia (hold)", "start dose", "rest day 24 of 28". */
  decidedBy?: string;
  message?: string;
}

/** A scenario step that expects something; `title` is `cycle 1 day 8` or `day 29`. */
export interface StepResultWire extends TestResultWire {
  /** The step's index among all the scenario's steps (0-based). */
  step: number;
}

export interface ScenarioResultWire {
  title: string;
  range: WireRange;
  /** The steps with an `expect` or a calendar position; a failure's `expectRange` is that step's `expect`. */
  steps: StepResultWire[];
  /** True when every step passed; absent when the scenario could not run. */
  passed?: boolean;
  /** The index (in `steps`) of the first step that failed or could not run. */
  failedStep?: number;
  message?: string;
}

export interface ProtocolTestsWire {
  index: number;
  title: string;
  range: WireRange;
  tests: TestResultWire[];
  scenarios: ScenarioResultWire[];
  error?: string;
}

export interface RunTestsResult {
  uri: string;
  /** The document version the results are for; null for a file read from disk. */
  version: number | null;
  protocols: ProtocolTestsWire[];
}

export interface VerifyParams {
  uri: string;
}

export interface ProtocolVerificationWire {
  title: string;
  status: 'verified' | 'counterexamples' | 'stopped' | 'withheld' | 'not checked';
  statesExplored: number;
  statesTotal: number;
  counterexamples: number;
  reason?: string;
}

export interface VerifyResult {
  uri: string;
  version: number | null;
  /** False when verification is switched off. */
  available: boolean;
  protocols: ProtocolVerificationWire[];
}

/**
 * `posology/stats`: what the server holds, per kind (documents, timers, caches) and
 * its heap, for memory tests and for a user's bug report. Read-only, no params.
 */
export const STATS_REQUEST = 'posology/stats';

export interface StatsResult {
  /** Documents open in the editor, as the server's document list and its workspace see them. */
  documents: number;
  open: number;
  /** Files read from disk and kept, labels folders worked out, folder listings kept, label sets kept. */
  disk: number;
  contexts: number;
  listings: number;
  labelSets: number;
  /** Pending timers: re-checks and verifications. */
  diagnosticTimers: number;
  verifyTimers: number;
  /** Per-file state: verification results, files with diagnostics published, label providers, line indexes. */
  verified: number;
  published: number;
  labelProviders: number;
  lineIndexes: number;
  heapUsed: number;
}
