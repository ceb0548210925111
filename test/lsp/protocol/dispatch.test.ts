// The one handler wrapper (server/src/lsp/protocol/dispatch.ts), called directly; the
// stdio-level proof that every handler uses it is in test/lsp/survival.test.ts.
import assert from 'node:assert/strict';
import { CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { notificationHandler, requestHandler } from '../../../server/src/lsp/protocol/dispatch.js';
import { guarded } from '../../../server/src/lsp/session/guarded.js';

describe('lsp: the dispatch wrapper', () => {
  const token = CancellationToken.None;

  it('an exception becomes an InternalError response and a log line with the stack', async () => {
    const logs: string[] = [];
    const handler = requestHandler(logs.push.bind(logs), 'hover', (params: { n: number }) => {
      if (params.n > 1) throw new TypeError('no position');
      return params.n;
    });
    const answer = await handler({ n: 2 }, token);
    assert.ok(answer instanceof ResponseError);
    assert.equal(answer.code, ErrorCodes.InternalError);
    assert.equal(answer.message, 'Posology: hover failed: no position');
    assert.match(logs[0], /^hover failed: TypeError: no position\n\s+at /);
    assert.equal(await handler({ n: 1 }, token), 1, 'the next call answers');
  });

  it('a rejected promise too; a ResponseError is the answer as it is, not logged', async () => {
    const logs: string[] = [];
    const failing = requestHandler(logs.push.bind(logs), 'verify', async () => Promise.reject(new Error('worker gone')));
    assert.equal(((await failing(undefined, token)) as ResponseError<void>).code, ErrorCodes.InternalError);
    const cancelled = new ResponseError(LSPErrorCodes.RequestCancelled, 'Verification was cancelled');
    const refusing = requestHandler(logs.push.bind(logs), 'verify', () => {
      throw cancelled;
    });
    assert.equal(await refusing(undefined, token), cancelled);
    assert.equal(logs.length, 1);
  });

  it('notifications and background work: exceptions, sync or async, are logged and go no further', async () => {
    const logs: string[] = [];
    notificationHandler(logs.push.bind(logs), 'didOpen', () => {
      throw new Error('bad text');
    })({});
    notificationHandler(logs.push.bind(logs), 'initialized', async () => {
      throw new Error('no settings');
    })({});
    guarded(logs.push.bind(logs), 'checking a.dose', () => {
      throw new RangeError('deep');
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(logs.map((line) => line.split('\n')[0]), ['didOpen failed: Error: bad text', 'checking a.dose failed: RangeError: deep', 'initialized failed: Error: no settings']);
  });
});
