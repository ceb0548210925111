// What verification takes and gives back. See docs/verification.md.
import type { Finding } from '../diagnostics/finding.js';
import type { Span } from '../syntax/ast.js';
import type { ConstraintInfo, FactValue, RuleInfo } from '../semantics/model.js';

export interface VerifyOptions {
  /** The most patient states run through the evaluator before stopping (default 200000). */
  maxStates?: number;
  /** Wall-clock budget in milliseconds (default 2000). */
  timeBudgetMs?: number;
  /** Polled every 256 steps of the exploration; true stops it ('stopped', reason "cancelled"). */
  isCancelled?: () => boolean;
  /**
   * The protocol file's text. Optional: when given, the "Add as test" quick fix is only
   * offered where the protocol really ends with `}` and is indented like the file.
   */
  text?: string;
}

export interface Counterexample {
  /** Minimal: only the facts that matter; every other fact is at its neutral default. */
  state: Map<string, FactValue>;
  /** "ANC = 450 /uL, dialysis". */
  stateText: string;
  /** The protocol's decision, e.g. "dose 4 mg". */
  given: string;
  /** What the label requires, e.g. "hold", "at most 2 mg", "no dose", "dose 3 mg after dialysis". */
  required: string;
  /** The label line, e.g. "hold when ANC < 500 /uL". */
  constraintText: string;
  /** Undefined when the label line is the indication's dose (rest days, the label dose). */
  constraint?: ConstraintInfo;
  /** Undefined when the start dose or the schedule decided. */
  decidedBy?: RuleInfo;
  /** The span of the rule to change (whose condition reads the label line's facts, else the deciding rule), or the start line. */
  span: Span;
  /** A `test "..." { given ... expect ... }` block expecting what the label requires. */
  testText: string;
  /** Explored states whose violation reduces to this counterexample. */
  count: number;
}

export type VerificationStatus = 'verified' | 'counterexamples' | 'stopped' | 'withheld';

export interface VerificationResult {
  status: VerificationStatus;
  /** States covered: run through the evaluator, or in a subtree proven safe (docs/verification.md). */
  statesExplored: number;
  /** The product of the partition sizes. */
  statesTotal: number;
  /** States actually run through the evaluator (at most maxStates). */
  statesEvaluated: number;
  counterexamples: Counterexample[];
  /** Facts explored, in exploration order. */
  exploredFacts: string[];
  /** Facts the label declares that neither the label constraints nor the protocol mention. */
  defaultedFacts: string[];
  /** Why the run stopped or was withheld. */
  reason?: string;
  /** POS4001 per counterexample, POS4002 when stopped. */
  findings: Finding[];
}
