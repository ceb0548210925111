// The server's settings (`posology.*` in VS Code), with their defaults. Read
// from `workspace/configuration` when the client offers it, else from the
// initialization options, else these defaults.

export interface Settings {
  diagnostics: {
    /** Quiet time after a keystroke before the file is re-checked. */
    delayMs: number;
  };
  verification: {
    enabled: boolean;
    /** Quiet time after the checker's diagnostics before verification starts. */
    delayMs: number;
    timeBudgetMs: number;
    maxStates: number;
  };
  workspace: {
    /** Check every `.dose` file in the workspace folders, not only the open ones. */
    check: boolean;
    /** At most this many files are checked that way. */
    maxFiles: number;
  };
  codeLens: {
    enabled: boolean;
  };
}

export const DEFAULT_SETTINGS: Settings = {
  diagnostics: { delayMs: 75 },
  verification: { enabled: true, delayMs: 300, timeBudgetMs: 10_000, maxStates: 200_000 },
  workspace: { check: true, maxFiles: 2000 },
  codeLens: { enabled: true },
};

/**
 * The sane range of each number: a value outside it is clamped to it, so that a
 * setting such as `timeBudgetMs: 3e9` (past what a timer can hold, 2^31 - 1 ms)
 * cannot turn every verification into "cancelled", and none can starve the
 * server (a zero state budget, a workspace check of a billion files).
 */
export const SETTING_BOUNDS = {
  'diagnostics.delayMs': { min: 0, max: 10_000, whole: true },
  'verification.delayMs': { min: 0, max: 60_000, whole: true },
  'verification.timeBudgetMs': { min: 10, max: 600_000, whole: true },
  'verification.maxStates': { min: 1, max: 100_000_000, whole: true },
  'workspace.maxFiles': { min: 0, max: 100_000, whole: true },
} as const;

type Bounded = keyof typeof SETTING_BOUNDS;

function number(value: unknown, fallback: number, name: Bounded): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  const { min, max, whole } = SETTING_BOUNDS[name];
  const clamped = Math.min(max, Math.max(min, value));
  return whole ? Math.round(clamped) : clamped;
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** Settings from whatever the client sent (any shape), filled in with defaults. */
export function readSettings(raw: unknown): Settings {
  const source = (raw && typeof raw === 'object' ? raw : {}) as Record<string, Record<string, unknown> | undefined>;
  const d = DEFAULT_SETTINGS;
  return {
    diagnostics: { delayMs: number(source.diagnostics?.delayMs, d.diagnostics.delayMs, 'diagnostics.delayMs') },
    verification: {
      enabled: flag(source.verification?.enabled, d.verification.enabled),
      delayMs: number(source.verification?.delayMs, d.verification.delayMs, 'verification.delayMs'),
      timeBudgetMs: number(source.verification?.timeBudgetMs, d.verification.timeBudgetMs, 'verification.timeBudgetMs'),
      maxStates: number(source.verification?.maxStates, d.verification.maxStates, 'verification.maxStates'),
    },
    workspace: {
      check: flag(source.workspace?.check, d.workspace.check),
      maxFiles: number(source.workspace?.maxFiles, d.workspace.maxFiles, 'workspace.maxFiles'),
    },
    codeLens: { enabled: flag(source.codeLens?.enabled, d.codeLens.enabled) },
  };
}
