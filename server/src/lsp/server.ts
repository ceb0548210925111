// The language server: registration and translation only (rust-analyzer's
// handlers). Each handler converts its params (positions to offsets,
// protocol/convert.ts), asks the workspace for the document in the phase it
// needs (parsed or checked), calls one feature function (features/) and
// converts the answer (convert.ts). Every handler goes through one wrapper
// (protocol/dispatch.ts): an exception is logged and answered with an
// InternalError response, and the server goes on.
//
// Diagnostics are pushed. When checks and verification run (debounce after a
// keystroke, verification after a check, cancellation of stale work, label
// changes, the workspace crawl) is session/scheduler.ts; this file turns its
// findings into publishDiagnostics.
import path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type InitializeError,
  type InitializeParams,
  type InitializeResult,
  type SemanticTokens,
  type SemanticTokensParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../diagnostics/finding.js';
import { prepareSyntax } from '../syntax/parse.js';
import { codeActions } from './features/code-actions.js';
import { completionOnTrigger } from './features/completion.js';
import { definition } from './features/definition.js';
import { foldingRanges } from './features/folding.js';
import { formatRange, format } from './features/formatting.js';
import { hover } from './features/hover.js';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from './features/semantic-tokens.js';
import { documentSymbols } from './features/symbols.js';
import { testLenses, testResults } from './features/tests.js';
import { lexed } from './features/tokens.js';
import { unverifiedProtocols } from './features/unverified.js';
import {
  fromFormattingOptions,
  fromFormattingRange,
  fromRunTestsParams,
  LineIndex,
  lineIndexFor,
  pathToUri,
  toCodeAction,
  toCodeLens,
  toCompletionItem,
  toDiagnostic,
  toDocumentSymbol,
  toEdits,
  toFoldingRange,
  toHover,
  toLocation,
  toRunTestsResult,
  toSemanticTokens,
  toUnverifiedWire,
  uriToPath,
  wantsQuickFixes,
  type DiagnosticContext,
} from './protocol/convert.js';
import {
  LIST_TESTS_REQUEST,
  RUN_TESTS_REQUEST,
  STATS_REQUEST,
  VERIFY_REQUEST,
  type RunTestsParams,
  type RunTestsResult,
  type StatsResult,
  type VerifyParams,
  type VerifyResult,
} from '../../../shared/custom-requests.js';
import { notificationHandler, requestHandler } from './protocol/dispatch.js';
import { Scheduler, type Clock, type Output } from './session/scheduler.js';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './session/settings.js';
import { VerificationRunner } from './session/verification.js';
import type { AnalysedDocument } from './features/document.js';
import { Workspace } from './session/workspace.js';

export interface ServerOptions {
  /** Replaces the worker-based verification runner (tests). */
  runner?: VerificationRunner;
  /** When the client last sent bytes (performance.now()), from the transport: background work lets them go first. */
  lastInput?: () => number;
  /** Replaces the system clock of the scheduler (tests). */
  clock?: Clock;
}

/** A diagnostic on a file or folder that could not be read: no other file to point at. */
const NO_CONTEXT: DiagnosticContext = { lines: new LineIndex(''), relatedInformation: false, locate: () => undefined };

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const workspace = new Workspace();
  const documents = new TextDocuments(TextDocument);
  const logError = (message: string) => connection.console.error(message);
  const runner = options.runner ?? new VerificationRunner(logError);
  let settings: Settings = DEFAULT_SETTINGS;
  let capabilities: ClientCapabilities = {};
  const published = new Set<string>();
  const onRequest = <P, R, E = void>(name: string, handler: Parameters<typeof requestHandler<P, R, E>>[2]) => requestHandler<P, R, E>(logError, name, handler);
  const onNotification = <P>(name: string, handler: (params: P) => void | Promise<void>) => notificationHandler<P>(logError, name, handler);

  // ---- translation helpers -----------------------------------------------------------

  const uriFor = (file: string): string => workspace.uriOf(file) || pathToUri(file);

  function analysed(uri: string): AnalysedDocument | undefined {
    return workspace.analyse(uriToPath(uri), uri);
  }

  function linesOf(doc: AnalysedDocument): LineIndex {
    return lineIndexFor(doc.parsed, doc.text);
  }

  const otherFiles = new Map<string, LineIndex>();
  function linesOfFile(file: string, text: string): LineIndex {
    let lines = otherFiles.get(file);
    if (!lines || lines.text !== text) {
      lines = new LineIndex(text);
      otherFiles.set(file, lines);
      if (otherFiles.size > 256) otherFiles.delete(otherFiles.keys().next().value!);
    }
    return lines;
  }

  function diagnosticContext(doc: AnalysedDocument): DiagnosticContext {
    return {
      lines: linesOf(doc),
      relatedInformation: capabilities.textDocument?.publishDiagnostics?.relatedInformation ?? false,
      locate: (file) => {
        if (file === doc.path) return { uri: doc.uri || uriFor(file), lines: linesOf(doc) };
        const label = doc.labels.index.labels().find((item) => item.file === file);
        if (label) return { uri: uriFor(file), lines: lineIndexFor(label, label.text) };
        const text = workspace.textOf(file);
        return text === undefined ? undefined : { uri: uriFor(file), lines: linesOfFile(file, text) };
      },
    };
  }

  // ---- diagnostics: the scheduler's findings, sent ----------------------------------------

  /**
   * The last diagnostics notification handed to the connection. Its writer sends one
   * message per turn of the event loop, so the workspace check waits for it between
   * slices: otherwise thousands of notifications queue up ahead of a hover's answer.
   */
  let lastSent: Promise<void> = Promise.resolve();
  function sendDiagnostics(params: { uri: string; version?: number; diagnostics: Diagnostic[] }): void {
    lastSent = connection.sendDiagnostics(params).catch(() => undefined);
  }

  const output: Output = {
    publish(doc: AnalysedDocument, findings: Finding[]) {
      const context = diagnosticContext(doc);
      sendDiagnostics({ uri: doc.uri || uriFor(doc.path), version: doc.version, diagnostics: findings.map((item) => toDiagnostic(item, context)) });
      published.add(doc.path);
    },
    refuse(file: string, refusal: Finding) {
      sendDiagnostics({ uri: uriFor(file), diagnostics: [toDiagnostic(refusal, NO_CONTEXT)] });
      published.add(file);
    },
    clear(file: string, uri = uriFor(file)) {
      if (!published.delete(file)) return;
      sendDiagnostics({ uri, diagnostics: [] });
    },
    drained: () => lastSent,
  };

  const scheduler = new Scheduler({ workspace, output, runner, settings: () => settings, log: logError, clock: options.clock, lastInput: options.lastInput });

  async function loadSettings(): Promise<void> {
    if (!capabilities.workspace?.configuration) return;
    try {
      const [raw] = await connection.workspace.getConfiguration([{ section: 'posology' }]);
      settings = readSettings(raw);
    } catch (error) {
      logError(`cannot read settings: ${(error as Error).message}`);
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------

  connection.onInitialize(
    onRequest<InitializeParams, InitializeResult, InitializeError>('initialize', (params) => {
      capabilities = params.capabilities;
      const folders = params.workspaceFolders?.map((folder) => uriToPath(folder.uri)) ??
        (params.rootUri ? [uriToPath(params.rootUri)] : params.rootPath ? [params.rootPath] : []);
      workspace.setRoots(folders.filter((folder) => path.isAbsolute(folder)));
      // The parser is built once this answer is on its way, while the client reads it.
      setImmediate(prepareSyntax);
      settings = readSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings ?? params.initializationOptions);
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          hoverProvider: true,
          completionProvider: { triggerCharacters: [' ', '(', ',', '=', '<', '>'], resolveProvider: false },
          definitionProvider: true,
          documentSymbolProvider: true,
          foldingRangeProvider: true,
          semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true, range: false },
          documentFormattingProvider: true,
          documentRangeFormattingProvider: true,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          codeLensProvider: { resolveProvider: false },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: 'posology', version: '0.1.0' },
      };
    }),
  );

  connection.onInitialized(
    onNotification('initialized', async () => {
      await loadSettings();
      if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.dose' }] }).catch(() => undefined);
      }
      if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: 'posology' }).catch(() => undefined);
      }
      if (capabilities.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          onNotification('didChangeWorkspaceFolders', (event) => {
            const removed = new Set(event.removed.map((folder) => uriToPath(folder.uri)));
            scheduler.foldersChanged([...workspace.getRoots().filter((root) => !removed.has(root)), ...event.added.map((folder) => uriToPath(folder.uri))]);
          }),
        );
      }
      scheduler.checkWorkspace();
    }),
  );

  const shutdown = onRequest('shutdown', () => scheduler.dispose());
  connection.onShutdown((token) => shutdown(undefined, token));

  connection.onDidChangeConfiguration(
    onNotification('didChangeConfiguration', async (params: { settings?: unknown }) => {
      if (capabilities.workspace?.configuration) await loadSettings();
      else settings = readSettings((params.settings as { posology?: unknown } | undefined)?.posology);
      scheduler.settingsChanged();
    }),
  );

  // ---- documents ---------------------------------------------------------------------------

  documents.onDidOpen(
    onNotification('didOpen', (event) => scheduler.opened(event.document.uri, uriToPath(event.document.uri), event.document.version, event.document.getText())),
  );

  documents.onDidChangeContent(
    onNotification('didChange', (event) => scheduler.edited(event.document.uri, uriToPath(event.document.uri), event.document.version, event.document.getText())),
  );

  documents.onDidClose(
    onNotification('didClose', (event) => {
      const file = uriToPath(event.document.uri);
      otherFiles.delete(file);
      scheduler.closed(event.document.uri, file);
    }),
  );

  connection.onDidChangeWatchedFiles(
    onNotification('didChangeWatchedFiles', (params) => {
      scheduler.diskChanged(params.changes.map((change) => ({ file: uriToPath(change.uri), uri: change.uri, deleted: change.type === FileChangeType.Deleted })));
    }),
  );

  // ---- features -------------------------------------------------------------------------------

  connection.onHover(
    onRequest('hover', (params) => {
      const doc = analysed(params.textDocument.uri);
      if (!doc) return null;
      const lines = linesOf(doc);
      const result = hover(doc, lines.offset(params.position), { uriOf: uriFor });
      return result ? toHover(result, lines) : null;
    }),
  );

  connection.onCompletion(
    onRequest('completion', (params) => {
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      const snippets = capabilities.textDocument?.completion?.completionItem?.snippetSupport ?? false;
      return completionOnTrigger(doc, lines.offset(params.position), { snippets }, params.context?.triggerCharacter).map((entry) => toCompletionItem(entry, lines));
    }),
  );

  connection.onDefinition(
    onRequest('definition', (params) => {
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      return definition(doc, lines.offset(params.position)).map((target) => toLocation(uriFor(target.file), linesOfFile(target.file, target.text), target.span));
    }),
  );

  connection.onDocumentSymbol(
    onRequest('documentSymbol', (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return [];
      const lines = lineIndexFor(parsed, parsed.text);
      return documentSymbols(parsed.parse.file, parsed.text).map((entry) => toDocumentSymbol(entry, lines));
    }),
  );

  connection.onFoldingRanges(
    onRequest('foldingRange', (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return [];
      const lines = lineIndexFor(parsed, parsed.text);
      return foldingRanges(lexed(parsed).tokens, parsed.text).flatMap((fold) => toFoldingRange(fold, lines) ?? []);
    }),
  );

  connection.languages.semanticTokens.on(
    onRequest<SemanticTokensParams, SemanticTokens>('semanticTokens', (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return { data: [] };
      return toSemanticTokens(semanticTokens(parsed.parse.file, lexed(parsed).tokens), lineIndexFor(parsed, parsed.text));
    }),
  );

  connection.onDocumentFormatting(
    onRequest('formatting', (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return [];
      return toEdits(format(parsed.text, fromFormattingOptions(params.options), lexed(parsed).tokens), lineIndexFor(parsed, parsed.text));
    }),
  );

  connection.onDocumentRangeFormatting(
    onRequest('rangeFormatting', (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return [];
      const lines = lineIndexFor(parsed, parsed.text);
      return toEdits(formatRange(parsed.text, fromFormattingOptions(params.options), lexed(parsed).tokens, fromFormattingRange(params.range, lines)), lines);
    }),
  );

  connection.onCodeAction(
    onRequest('codeAction', (params) => {
      if (!wantsQuickFixes(params.context.only)) return [];
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      const target = { uri: doc.uri || params.textDocument.uri, version: doc.version, versioned: capabilities.workspace?.workspaceEdit?.documentChanges ?? false };
      return codeActions(scheduler.findings(doc), lines.span(params.range)).map((action) => toCodeAction(action, lines, target, params.context.diagnostics));
    }),
  );

  connection.onCodeLens(
    onRequest('codeLens', (params) => {
      if (!settings.codeLens.enabled) return [];
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      const uri = doc.uri || params.textDocument.uri;
      return testLenses(doc).map((lens) => toCodeLens(lens, lines, uri));
    }),
  );

  // ---- custom requests --------------------------------------------------------------------------

  function runTests(params: RunTestsParams): RunTestsResult {
    const doc = analysed(params.uri);
    if (!doc) throw new ResponseError(-32602, `Posology cannot read ${params.uri}`);
    return toRunTestsResult(testResults(doc, fromRunTestsParams(params)), linesOf(doc), doc.uri || params.uri, doc.version);
  }

  connection.onRequest(RUN_TESTS_REQUEST, onRequest('runTests', (params: RunTestsParams) => runTests(params)));

  connection.onRequest(LIST_TESTS_REQUEST, onRequest('listTests', (params: RunTestsParams) => runTests({ uri: params.uri })));

  connection.onRequest(
    VERIFY_REQUEST,
    onRequest('verify', async (params: VerifyParams, token): Promise<VerifyResult> => {
      const doc = analysed(params.uri);
      if (!doc) throw new ResponseError(-32602, `Posology cannot read ${params.uri}`);
      const base = { uri: doc.uri || params.uri, version: doc.version ?? null };
      if (!settings.verification.enabled) return { ...base, available: false, protocols: [] };
      const outcome = await scheduler.verifyNow(doc, token);
      if (!outcome) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Verification was cancelled');
      const unverified = unverifiedProtocols(doc, new Set(outcome.protocols.map((protocol) => protocol.title))).map(toUnverifiedWire);
      return { ...base, available: true, protocols: [...outcome.protocols, ...unverified] };
    }),
  );

  connection.onRequest(
    STATS_REQUEST,
    onRequest('stats', (): StatsResult => {
      // With node's --expose-gc (tests), garbage is collected first, so heapUsed is what is kept.
      (globalThis as { gc?: () => void }).gc?.();
      const scheduled = scheduler.sizes();
      return {
        documents: documents.all().length,
        ...workspace.sizes(),
        diagnosticTimers: scheduled.diagnosticTimers,
        verifyTimers: scheduled.verifyTimers,
        verified: scheduled.verified,
        published: published.size,
        labelProviders: scheduled.labelProviders,
        lineIndexes: otherFiles.size,
        heapUsed: process.memoryUsage().heapUsed,
      };
    }),
  );

  documents.listen(connection);
  connection.listen();
}
