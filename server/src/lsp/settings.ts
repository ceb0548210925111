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
  verification: { enabled: true, delayMs: 300, timeBudgetMs: 2000, maxStates: 200_000 },
  workspace: { check: true, maxFiles: 2000 },
  codeLens: { enabled: true },
};

function pick<T>(value: unknown, fallback: T): T {
  if (typeof fallback === 'number') return (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback) as T;
  if (typeof fallback === 'boolean') return (typeof value === 'boolean' ? value : fallback) as T;
  return fallback;
}

/** Settings from whatever the client sent (any shape), filled in with defaults. */
export function readSettings(raw: unknown): Settings {
  const source = (raw && typeof raw === 'object' ? raw : {}) as Record<string, Record<string, unknown> | undefined>;
  const d = DEFAULT_SETTINGS;
  return {
    diagnostics: { delayMs: pick(source.diagnostics?.delayMs, d.diagnostics.delayMs) },
    verification: {
      enabled: pick(source.verification?.enabled, d.verification.enabled),
      delayMs: pick(source.verification?.delayMs, d.verification.delayMs),
      timeBudgetMs: pick(source.verification?.timeBudgetMs, d.verification.timeBudgetMs),
      maxStates: pick(source.verification?.maxStates, d.verification.maxStates),
    },
    workspace: {
      check: pick(source.workspace?.check, d.workspace.check),
      maxFiles: pick(source.workspace?.maxFiles, d.workspace.maxFiles),
    },
    codeLens: { enabled: pick(source.codeLens?.enabled, d.codeLens.enabled) },
  };
}
