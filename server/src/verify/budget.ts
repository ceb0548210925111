// The limits an exploration runs under: a number of evaluated states, a
// wall-clock budget and a cancellation callback (LSP cancellation).
import type { VerifyOptions } from './types.js';

export const DEFAULT_MAX_STATES = 200_000;
export const DEFAULT_TIME_BUDGET_MS = 2000;
/** The exploration polls the clock and the cancellation callback every this many steps. */
export const POLL_EVERY = 64;

export interface Budget {
  maxStates: number;
  timeBudgetMs: number;
  /** Why to stop now, or undefined to go on. */
  interrupted(): string | undefined;
}

export function makeBudget(options: VerifyOptions = {}): Budget {
  const maxStates = Math.max(0, options.maxStates ?? DEFAULT_MAX_STATES);
  const timeBudgetMs = Math.max(0, options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const deadline = performance.now() + timeBudgetMs;
  const isCancelled = options.isCancelled;
  return {
    maxStates,
    timeBudgetMs,
    interrupted() {
      if (isCancelled?.()) return 'cancelled';
      if (performance.now() >= deadline) return `time budget of ${timeBudgetMs} ms used up`;
      return undefined;
    },
  };
}

export function stateBudgetReason(budget: Budget): string {
  return `state budget of ${budget.maxStates} evaluated states reached`;
}
