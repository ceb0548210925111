// The protocol layer (server/src/lsp/protocol/transport.ts), over the real server's stdio:
// a stream out of step (a bad Content-Length, no Content-Length, an endless header)
// ends the process with code 1 and a line on stderr, so the editor restarts it; the
// lifecycle is enforced (ServerNotInitialized before initialize, a second initialize
// refused, InvalidRequest after shutdown). The same over --socket and --pipe; the
// lifecycle over Node IPC.
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  SocketMessageReader,
  SocketMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { NODE_FLAGS } from '../../../server/src/node-flags.js';
import { contentLength, FramingError, MAX_HEADER_BYTES } from '../../../server/src/lsp/protocol/transport.js';
import { repoRoot, serverBin } from '../../helpers/lsp-client.js';

function startRaw(args: string[] = ['--stdio']): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string; stdout: () => string } {
  const child = spawn(process.execPath, [...NODE_FLAGS, serverBin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: repoRoot });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
}

function frame(body: string, length = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
const hover = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.dose' }, position: { line: 0, character: 0 } } });

async function exitsWithin(server: ReturnType<typeof startRaw>, ms: number): Promise<number | null | 'alive'> {
  const result = await Promise.race([server.exited, new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), ms).unref())]);
  if (result === 'alive') server.child.kill();
  return result;
}

describe('lsp: the protocol layer', function () {
  this.timeout(30000);

  describe('framing: a stream out of step ends the process with code 1', () => {
    const cases: [string, () => string, RegExp][] = [
      ['Content-Length not a number', () => `Content-Length: abc\r\n\r\n${initialize}`, /Content-Length is not a whole number: "abc"/],
      ['Content-Length negative', () => `Content-Length: -5\r\n\r\n${initialize}`, /Content-Length is not a whole number: "-5"/],
      ['no Content-Length', () => `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${initialize}`, /no Content-Length header/],
      ['Content-Length too short', () => frame(initialize, 20) + frame(hover), /a header line is not 'Name: value'/],
      [
        'Content-Length too long (swallows the next header)',
        () => frame(initialize, Buffer.byteLength(initialize) + 30) + frame(hover),
        /its body holds the header of the next one/,
      ],
      ['an endless header', () => `Content-Length: 10\r\nX-Junk: ${'a'.repeat(MAX_HEADER_BYTES * 3)}`, /header is longer than 8192 bytes/],
      ['a Content-Length over the limit', () => frame('{}', 2 ** 31), /over the limit/],
    ];
    for (const [name, input, reason] of cases) {
      it(`${name}: logged on stderr, exit code 1`, async () => {
        const server = startRaw();
        server.child.stdin!.write(input());
        const code = await exitsWithin(server, 10000);
        assert.equal(code, 1, `exit: ${code}; stderr: ${server.stderr()}`);
        assert.match(server.stderr(), /^posology-server: the client's messages are out of step \(/m);
        assert.match(server.stderr(), reason);
        assert.doesNotMatch(server.stderr(), /\n\s+at .+:\d+:\d+/, 'no stack trace');
      });
    }

    it('a body that is not JSON, framed right, fails alone: the server goes on', async () => {
      const server = startRaw();
      server.child.stdin!.write(frame('this is not json') + frame(initialize));
      const deadline = Date.now() + 10000;
      while (!server.stdout().includes('"id":1') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(server.stdout(), /"id":1,"result":\{"capabilities"/);
      assert.equal(await exitsWithin(server, 300), 'alive');
    });

    it('contentLength reads a header block', () => {
      assert.equal(contentLength('Content-Length: 42\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8'), 42);
      assert.equal(contentLength('content-length:7'), 7);
      assert.throws(() => contentLength('Content-Length: 4 2'), FramingError);
      assert.throws(() => contentLength('Content-Length: 1e3'), FramingError);
      assert.throws(() => contentLength(''), FramingError);
    });
  });

  describe('lifecycle', () => {
    let server: ReturnType<typeof startRaw>;
    let connection: ProtocolConnection;
    beforeEach(() => {
      server = startRaw();
      connection = createProtocolConnection(new StreamMessageReader(server.child.stdout!), new StreamMessageWriter(server.child.stdin!));
      connection.listen();
    });
    afterEach(() => {
      connection.dispose();
      server.child.kill();
    });

    const errorOf = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: { code: number; message: string }) => ({ code: error.code, message: error.message }),
      );
    const hoverParams = { textDocument: { uri: 'file:///x.dose' }, position: { line: 0, character: 0 } };
    const initParams = { processId: null, rootUri: null, capabilities: {} };

    it('a request before initialize gets ServerNotInitialized (-32002); initialize then works', async () => {
      const error = await errorOf(connection.sendRequest('textDocument/hover', hoverParams));
      assert.equal(error?.code, -32002);
      assert.match(error!.message, /not initialized yet/);
      const result = (await connection.sendRequest('initialize', initParams)) as { capabilities: object };
      assert.ok(result.capabilities);
    });

    it('a second initialize is refused with InvalidRequest (-32600)', async () => {
      await connection.sendRequest('initialize', initParams);
      await connection.sendNotification('initialized', {});
      const error = await errorOf(connection.sendRequest('initialize', initParams));
      assert.equal(error?.code, -32600);
      assert.equal(await connection.sendRequest('textDocument/hover', hoverParams), null, 'the server goes on');
    });

    it('requests after shutdown get InvalidRequest (-32600); exit then ends it with code 0', async () => {
      await connection.sendRequest('initialize', initParams);
      await connection.sendNotification('initialized', {});
      await connection.sendRequest('shutdown');
      const error = await errorOf(connection.sendRequest('textDocument/hover', hoverParams));
      assert.equal(error?.code, -32600);
      assert.match(error!.message, /shutting down/);
      await connection.sendNotification('exit');
      assert.equal(await exitsWithin(server, 5000), 0);
    });
  });

  it('over Node IPC (how VS Code starts it) the lifecycle is enforced too', async () => {
    const child = fork(serverBin, ['--node-ipc'], { execArgv: [...NODE_FLAGS], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const before = await connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///x.dose' }, position: { line: 0, character: 0 } }).then(
        () => undefined,
        (error: { code: number }) => error.code,
      );
      assert.equal(before, -32002);
      const result = (await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} })) as { capabilities: object };
      assert.ok(result.capabilities);
      const again = await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }).then(
        () => undefined,
        (error: { code: number }) => error.code,
      );
      assert.equal(again, -32600);
    } finally {
      connection.dispose();
      child.kill();
    }
  });

  describe('over --socket and --pipe (the client listens, the server connects): the same checks', () => {
    /** A listening server the language server connects to, as vscode-languageclient's socket and pipe transports do. */
    async function listen(where: 'socket' | 'pipe'): Promise<{ args: string[]; accepted: Promise<net.Socket>; close: () => void }> {
      const server = net.createServer();
      const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
      if (where === 'socket') {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return { args: [`--socket=${(server.address() as net.AddressInfo).port}`], accepted, close: () => server.close() };
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-pipe-'));
      const pipe = path.join(dir, 'lsp.sock');
      await new Promise<void>((resolve) => server.listen(pipe, resolve));
      return { args: ['--pipe', pipe], accepted, close: () => (server.close(), fs.rmSync(dir, { recursive: true, force: true })) };
    }

    for (const where of ['socket', 'pipe'] as const) {
      it(`--${where}: lifecycle enforced, then a stream out of step ends the process with code 1`, async () => {
        const listener = await listen(where);
        const server = startRaw(listener.args);
        try {
          const socket = await listener.accepted;
          const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
          connection.listen();
          const before = await connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///x.dose' }, position: { line: 0, character: 0 } }).then(
            () => undefined,
            (error: { code: number }) => error.code,
          );
          assert.equal(before, -32002, 'ServerNotInitialized before initialize');
          const result = (await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} })) as { capabilities: object };
          assert.ok(result.capabilities);
          socket.write('Content-Length: abc\r\n\r\n{}');
          const code = await exitsWithin(server, 10000);
          assert.equal(code, 1, `exit: ${code}; stderr: ${server.stderr()}`);
          assert.match(server.stderr(), /out of step \(Content-Length is not a whole number: "abc"\)/);
          connection.dispose();
        } finally {
          server.child.kill();
          listener.close();
        }
      });
    }

    it('a --socket without a usable port, or a --pipe without a name, is refused with a clear message', async () => {
      for (const args of [['--socket=http'], ['--socket=70000'], ['--pipe']]) {
        const server = startRaw(args);
        assert.equal(await exitsWithin(server, 10000), 1, args.join(' '));
        assert.match(server.stderr(), /^posology-server: --(socket needs a port number|pipe needs the name)/m, server.stderr());
      }
    });

    it('a --socket nobody listens on: exit 1, saying so', async () => {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as net.AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const server = startRaw([`--socket=${port}`]);
      assert.equal(await exitsWithin(server, 10000), 1);
      assert.match(server.stderr(), new RegExp(`cannot connect to port ${port}: .*ECONNREFUSED`));
    });
  });
});
