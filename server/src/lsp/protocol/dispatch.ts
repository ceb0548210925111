// The one wrapper around every handler (rust-analyzer's handlers/dispatch.rs):
// an exception inside a request handler fails that request alone. It is logged
// with its stack and answered with an InternalError response; the server goes
// on. A ResponseError a handler throws or returns (InvalidParams, RequestCancelled)
// is the answer as it is. Notifications have no answer: their exceptions are logged.
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import { describeError as describe, type Log } from '../session/guarded.js';

/** A request handler whose exceptions become InternalError responses (and a log line). */
export function requestHandler<P, R, E = void>(
  log: Log,
  name: string,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<E>> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<E>;
      const { message, detail } = describe(error);
      log(`${name} failed: ${detail}`);
      return new ResponseError<E>(ErrorCodes.InternalError, `Posology: ${name} failed: ${message}`);
    }
  };
}

/** A notification (or document event) handler whose exceptions, sync or async, are logged. */
export function notificationHandler<P>(log: Log, name: string, handler: (params: P) => void | Promise<void>): (params: P) => void {
  return (params) => {
    try {
      const done = handler(params);
      if (done) done.catch((error: unknown) => log(`${name} failed: ${describe(error).detail}`));
    } catch (error) {
      log(`${name} failed: ${describe(error).detail}`);
    }
  };
}
