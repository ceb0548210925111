// What verification takes and gives back. See docs/verification.md.
import type { Finding } from '../diagnostics/finding.js';
import type { Span } from '../syntax/ast.js';
import type { ConstraintInfo, FactValue, GateInfo, RequirementInfo, RuleInfo } from '../semantics/model.js';

export interface VerifyOptions {
  /** The most course states expanded (every input of a day tried from them) before stopping (default 200000). */
  maxStates?: number;
  /** Wall-clock budget in milliseconds (default 2000). */
  timeBudgetMs?: number;
  /** Polled every few hundred days evaluated; true stops the search ('stopped', reason "cancelled"). */
  isCancelled?: () => boolean;
  /**
   * The protocol file's text. Optional: when given, the "Add as test" / "Add as scenario"
   * quick fix is only offered where the protocol really ends with `}` and is indented like the file.
   */
  text?: string;
  /**
   * Also search courses (phase 2) when a line carries state from day to day. The
   * entry point of the CLI and the editor (verifyFile, pipeline/verify-file.ts) always sets it unless
   * told not to (`--no-courses`); without it, "verified" covers single days only (`coverage`).
   */
  courses?: boolean;
}

export interface Counterexample {
  /** A course of one day whatever happened before (a `test`), or a longer course (a `scenario`). */
  kind: 'test' | 'scenario';
  /** Days in the course, the last one breaking the label line. */
  days: number;
  /** The facts in force on the day that breaks the line; for a one-day counterexample with `day` when not day 1. */
  state: Map<string, FactValue>;
  /** "ANC = 450 /uL, dialysis" (one day), or the timeline "cycle 1 day 1: ANC = 499 /uL -> hold; cycle 1 day 2: ANC = 500 /uL". */
  stateText: string;
  /** Each day shown, with what was observed and decided: "cycle 1 day 1: ANC = 499 /uL -> hold". */
  timeline: string[];
  /** The protocol's decision that day, e.g. "dose 4 mg" (or a companion's: "dexamethasone 40 mg"). */
  given: string;
  /** What the label requires, e.g. "hold", "at most 2 mg", "no dose", "dose 3 mg after dialysis", "dexamethasone 20 mg". */
  required: string;
  /** The label line, e.g. "hold when ANC < 500 /uL". */
  constraintText: string;
  /** The label constraint, gate or requirement broken; none when it is the indication's dose line. */
  constraint?: ConstraintInfo;
  gate?: GateInfo;
  requirement?: RequirementInfo;
  /** Undefined when the start dose, the schedule or the calendar decided. */
  decidedBy?: RuleInfo;
  /** Where it is reported: the rule to change (whose condition reads the label line's facts, else the deciding rule), the `with` line of a companion, else the start line. */
  span: Span;
  /** The block a quick fix inserts: a `test` (one day) or a `scenario` expecting what the label requires on the last day. */
  testText: string;
  /** Days of explored courses that break the line this way. */
  count: number;
}

/**
 * Why an exploration stopped before the end, as data: verify/findings.ts says it in the
 * message table's words (POS4002, the result's `reason`). `during`: it stopped while
 * minimizing (single days) or shrinking (courses) the counterexamples found.
 */
export type StopReason = (
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'time'; readonly limitMs: number }
  /** The state budget: `of` evaluated single-day states or expanded course states. */
  | { readonly kind: 'states'; readonly limit: number; readonly of: 'evaluated' | 'course' }
  /** More machine states than the course search's keys can number. */
  | { readonly kind: 'numbering' }
  /** The single-day walk, or the course search, ended before covering everything (a guard: neither should happen). */
  | { readonly kind: 'walk unfinished' }
  | { readonly kind: 'search unfinished' }
) & { readonly during?: 'minimizing' | 'shrinking' };

export type VerificationStatus = 'verified' | 'counterexamples' | 'stopped' | 'withheld';

/** The search over courses (docs/verification.md, "Phase 2"), run when a label or protocol line carries state from day to day. */
export interface CourseSearch {
  /** Every course root searched until no new state was reachable. */
  complete: boolean;
  /** Why it stopped, when it did. */
  stopped?: StopReason;
  /**
   * Which search decided: the search over day segments (it found no broken line: none in
   * any course), or the exact search (the segments found one, or stopped, or do not apply).
   */
  decidedBy: 'day segments' | 'exact';
  /** Course states expanded: every input of a day tried from them (by both searches, when the exact one decided after the segments). */
  statesExplored: number;
  /** When the exact search decided after the search over day segments: the states that one expanded (part of `statesExplored`). */
  segmentStates?: number;
  /** Course states reached (explored, or waiting when the search stopped). */
  statesReached: number;
  /** Days evaluated (state x input). */
  transitions: number;
  /** Course roots: combinations of the fixed facts' classes, those that act alike merged. */
  courses: number;
  /** Combinations of the fixed facts' classes before merging. */
  combinations: number;
  coursesCompleted: number;
  /** Inputs of a day: combinations of the varying facts' classes. */
  inputsPerDay: number;
  /** The longest shortest course to a state, in days (over day segments: of a course whose segments last any number of days). */
  depth: number;
  /** Facts chosen anew every day, and facts fixed for a course. */
  varyingFacts: string[];
  fixedFacts: string[];
}

export interface VerificationResult {
  status: VerificationStatus;
  /** Phase 1, single days: states covered (run through the evaluator, or in a subtree proven safe). */
  statesExplored: number;
  /** Phase 1: the product of the partition sizes. */
  statesTotal: number;
  /** Phase 1: states actually run through the evaluator (at most maxStates). */
  statesEvaluated: number;
  /** Phase 2, courses: absent when it was not run (not asked for, or no line carries state from day to day). */
  courses?: CourseSearch;
  /**
   * What a 'verified' covers: 'courses' when no line carries state from day to day (single
   * days are then every course) or phase 2 searched every course; 'single days' otherwise.
   */
  coverage: 'single days' | 'courses';
  counterexamples: Counterexample[];
  /** Facts explored in phase 1, in exploration order. */
  exploredFacts: string[];
  /** Facts the label declares that neither the label constraints nor the protocol mention. */
  defaultedFacts: string[];
  /** Why the run stopped or was withheld. */
  reason?: string;
  /** POS4001 per one-day counterexample, POS4003 per course counterexample, POS4002 when stopped. */
  findings: Finding[];
}
