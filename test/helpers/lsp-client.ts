// A real LSP client for the protocol-level tests: spawns the built server
// (`node bin/posology-server.js --stdio`) and speaks JSON-RPC to it with
// vscode-languageserver-protocol, as an editor does. Collects every
// publishDiagnostics so tests can wait for the one they expect.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE_FLAGS } from '../../shared/node-flags.js';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

// Compiled to out/test/helpers/, three levels below the repo root.
export const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
/** The server to test: bin/posology-server.js (the tsc build), or POSOLOGY_SERVER (e.g. dist/server/main.cjs, the bundle). */
export const serverBin = process.env.POSOLOGY_SERVER ? path.resolve(repoRoot, process.env.POSOLOGY_SERVER) : path.join(repoRoot, 'bin', 'posology-server.js');

const snapshots = createRequire(import.meta.url)(path.join(repoRoot, 'bin', 'snapshot.cjs')) as typeof import('../../bin/snapshot.cjs');
export const bundleDir = path.join(repoRoot, 'dist', 'server');

/** Node's arguments that start the bundled server from its startup snapshot, which is built first if need be. */
export function snapshotFlags(flags: readonly string[]): string[] {
  if (!snapshots.buildNow(bundleDir, flags)) throw new Error(`no startup snapshot could be built in ${bundleDir} (npm run build first)`);
  return snapshots.snapshotArgs(bundleDir, flags);
}

export function uriOf(relative: string): string {
  return pathToFileURL(path.join(repoRoot, relative)).href;
}

export const defaultCapabilities: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    completion: { completionItem: { snippetSupport: true } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    semanticTokens: {
      requests: { full: true },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
  workspace: { workspaceFolders: true, workspaceEdit: { documentChanges: true } },
};

type Waiter = { uri: string; test: (params: PublishDiagnosticsParams) => boolean; resolve: (params: PublishDiagnosticsParams) => void };

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  private readonly waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  private readonly exited: Promise<number | null>;
  initializeResult!: InitializeResult;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.test(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
  }

  /**
   * `server`: the script to run, bin/posology-server.js unless given; `wrap`: a command
   * line to run it under (strace); `as`: the user and group to run it as.
   */
  static async start(
    options: {
      root?: string;
      capabilities?: ClientCapabilities;
      initializationOptions?: unknown;
      server?: string;
      wrap?: string[];
      as?: { uid: number; gid: number };
      /** More flags for node (say, --expose-gc so that posology/stats can collect garbage first). */
      nodeFlags?: string[];
      /** Start from the bundle's startup snapshot, as the VS Code client does once one is built (built now if need be). */
      snapshot?: boolean;
    } = {},
  ): Promise<LspClient> {
    const flags = [...NODE_FLAGS, ...(options.nodeFlags ?? [])];
    const command = [...(options.wrap ?? []), process.execPath, ...flags, ...(options.snapshot ? snapshotFlags(flags) : []), options.server ?? serverBin, '--stdio'];
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], ...options.as });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (chunk: Buffer) => client.logs.push(chunk.toString()));
    connection.listen();
    const root = options.root ?? repoRoot;
    const initialize = connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
      capabilities: options.capabilities ?? defaultCapabilities,
      initializationOptions: options.initializationOptions,
    }) as Promise<InitializeResult>;
    // A server that dies on start (say, a half-built out/) fails the test at once, with its stderr.
    const died = client.exited.then((code) => {
      throw new Error(`the server exited with code ${code} before initializing:\n${client.logs.join('')}`);
    });
    client.initializeResult = await Promise.race([initialize, died]);
    await connection.sendNotification('initialized', {});
    return client;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dose', version, text } });
  }

  /** Sends an incremental change; returns the new version. */
  async change(uri: string, changes: { range?: Range; text: string }[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The next (or an already received) publishDiagnostics for `uri` that passes `test`. */
  diagnostics(uri: string, test: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 15000): Promise<PublishDiagnosticsParams> {
    const known = [...this.published].reverse().find((params) => params.uri === uri && test(params));
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { uri, test, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return;
        this.waiters.splice(index, 1);
        const seen = this.published.filter((params) => params.uri === uri).map((params) => `v${params.version}: ${params.diagnostics.map((d) => d.code).join(',')}`);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; saw ${seen.join(' | ') || 'none'}`));
      }, timeoutMs).unref();
    });
  }

  async stop(): Promise<number | null> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.process.kill();
    }
    const code = await Promise.race([this.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000).unref())]);
    if (code === null && this.process.exitCode === null) this.process.kill();
    this.connection.dispose();
    return code;
  }
}

// ---- text helpers ---------------------------------------------------------------------------

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, position: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line && i < lines.length; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

/** The position of `needle` in `text` (plus `delta` characters); throws when absent. */
export function positionOf(text: string, needle: string, delta = 0): Position {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`'${needle}' is not in the text`);
  return positionAt(text, index + delta);
}

export function rangeOf(text: string, needle: string): Range {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`'${needle}' is not in the text`);
  return { start: positionAt(text, index), end: positionAt(text, index + needle.length) };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offsetAt(text, edit.range.start)) + edit.newText + result.slice(offsetAt(text, edit.range.end));
  return result;
}
