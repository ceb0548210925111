// The limits an exploration runs under: a number of evaluated states, a
// wall-clock budget and a cancellation callback (LSP cancellation).
import type { StopReason, VerifyOptions } from './types.js';

/** Evaluated single-day states (phase 1) or expanded course states (phase 2), per protocol. */
export const DEFAULT_MAX_STATES = 200_000;
/** Wall-clock budget of one verification when the caller gives none (the editor's setting, lsp/settings.ts, gives 10 s). */
export const DEFAULT_TIME_BUDGET_MS = 2000;
/**
 * The CLI's wall-clock budget per file: only a guard against a runaway search. What
 * `posology check` decides in CI must not depend on how loaded the machine is, so the
 * state budget is what stops it (200,000 course states take about 5 s of CPU).
 */
export const CLI_TIME_BUDGET_MS = 120_000;
/** The exploration polls the clock and the cancellation callback every this many steps. */
export const POLL_EVERY = 64;

export interface Budget {
  maxStates: number;
  timeBudgetMs: number;
  /** Why to stop now, or undefined to go on. */
  interrupted(): StopReason | undefined;
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
      if (isCancelled?.()) return CANCELLED;
      if (performance.now() >= deadline) return { kind: 'time', limitMs: timeBudgetMs };
      return undefined;
    },
  };
}

/** The state budget of `budget` reached, by `of` states. */
export function stateBudgetReason(budget: Budget, of: 'evaluated' | 'course'): StopReason {
  return { kind: 'states', limit: budget.maxStates, of };
}

const CANCELLED: StopReason = { kind: 'cancelled' };
