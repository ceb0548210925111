// The precedence of a day's decision, written once, as data. The protocol's
// course evaluator (course.ts) walks it in order and the first step that
// decides wins; the label machine (label-course.ts) orders its requirements by
// the same table; the verifier and the checks read it to know which decision
// is the stronger one. Nothing else restates this order.
import type { Decision } from '../semantics/model.js';

export type PrecedenceStep =
  /** A matching `discontinue` rule, a resume below the lowest level, or discontinued before. */
  | 'discontinue'
  /** A matching `hold` rule, a hold with `until` still in force, or a cycle delayed by its gate. */
  | 'hold'
  /** A day of the cycle outside the dosing days, or a matching `no dose` rule. */
  | 'rest'
  /** The smallest of the current dose and every matching `dose` rule, with their timings. */
  | 'dose';

export interface PrecedenceRow {
  step: PrecedenceStep;
  decision: Decision['kind'];
  /** What decides at this step, in words (docs/semantics.md quotes it). */
  meaning: string;
}

/** Strongest first. */
export const PRECEDENCE: readonly PrecedenceRow[] = Object.freeze([
  { step: 'discontinue', decision: 'discontinue', meaning: 'a matching discontinue rule, a resume below the lowest dose level, or an earlier discontinue (for good)' },
  { step: 'hold', decision: 'hold', meaning: 'a matching hold rule, a hold whose `until` has not yet held on a later day, or a cycle whose gate is not met on its day 1 (delayed)' },
  { step: 'rest', decision: 'no dose', meaning: 'a day of the cycle outside the dosing days, or a matching `no dose` rule' },
  { step: 'dose', decision: 'dose', meaning: 'the smallest of the current dose and every matching dose rule, with the timings of the matching dose rules' },
] as const);

const RANK: Readonly<Record<Decision['kind'], number>> = {
  discontinue: 0,
  hold: 1,
  'no dose': 2,
  dose: 3,
};

/** The rank of a decision in PRECEDENCE: 0 is the strongest (discontinue). */
export function rankOf(kind: Decision['kind']): number {
  return RANK[kind];
}

/** Whether `a` stops the patient at least as firmly as `b` (discontinue > hold > no dose > dose). */
export function atLeastAsStrong(a: Decision['kind'], b: Decision['kind']): boolean {
  return rankOf(a) <= rankOf(b);
}

/** Whether a decision stops treatment: hold, or a decision above it (discontinue). A stop answers a label's hold. */
export function stops(kind: Decision['kind']): boolean {
  return atLeastAsStrong(kind, 'hold');
}

/** The decisions that stop treatment, strongest first (the rows of PRECEDENCE down to hold). */
export const STOPS: readonly Decision['kind'][] = Object.freeze(PRECEDENCE.map((row) => row.decision).filter(stops));
