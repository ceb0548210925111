// Work the session runs on its own (a timer's check, a verification's outcome) has no
// request to fail: an exception is logged with its stack and the session goes on.
// protocol/dispatch.ts wraps the handlers the same way, with the same log line.

export type Log = (message: string) => void;

export function describeError(error: unknown): { message: string; detail: string } {
  if (error instanceof Error) return { message: error.message, detail: error.stack ?? error.message };
  return { message: String(error), detail: String(error) };
}

/** Runs `work`; an exception is logged as "`name` failed: stack" and swallowed. */
export function guarded(log: Log, name: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    log(`${name} failed: ${describeError(error).detail}`);
  }
}
