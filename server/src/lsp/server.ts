// The language server: registration and translation only. Each handler
// converts its params (positions to offsets), asks the workspace for the
// document in the phase it needs (parsed or checked), calls one feature
// function and converts the answer (convert.ts). Every handler is guarded: an
// exception is logged and answered with an empty result, never a crash.
//
// Diagnostics are pushed: a change re-checks the file after a short quiet time
// (and every open file that sees its labels, when it has labels), publishes the
// checker's findings for that exact version, then runs verification in a worker
// and publishes the merged findings if the version (and labels) are unchanged.
import path from 'node:path';
import {
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  SemanticTokensBuilder,
  TextDocumentSyncKind,
  TextDocuments,
  DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification,
  FileChangeType,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../diagnostics/finding.js';
import type { LabelSet } from '../checks/analysis.js';
import type { ProtocolBlock } from '../syntax/ast.js';
import { prepareSyntax } from '../syntax/parse.js';
import { codeActions } from './code-actions.js';
import { completion } from './completion.js';
import {
  LineIndex,
  lineIndexFor,
  pathToUri,
  toCompletionItem,
  toDiagnostic,
  toDocumentSymbol,
  toFoldingRange,
  toHover,
  toLocation,
  uriToPath,
  type DiagnosticContext,
} from './convert.js';
import {
  LIST_TESTS_REQUEST,
  RUN_TESTS_COMMAND,
  RUN_TESTS_REQUEST,
  STATS_REQUEST,
  VERIFY_REQUEST,
  type ProtocolTestsWire,
  type ProtocolVerificationWire,
  type RunTestsParams,
  type RunTestsResult,
  type ScenarioResultWire,
  type TestResultWire,
  type StatsResult,
  type VerifyParams,
  type VerifyResult,
} from '../../../shared/custom-requests.js';
import { definition } from './definition.js';
import { foldingRanges } from './folding.js';
import { format } from './formatting.js';
import { hover } from './hover.js';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from './semantic-tokens.js';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings.js';
import { documentSymbols } from './symbols.js';
import { testLenses, testResults, type TestOutcome } from './tests.js';
import { lexed } from './tokens.js';
import { VerificationRunner, type VerificationOutcome } from './verification.js';
import { hasLabels, Workspace, type AnalysedDocument } from './workspace.js';
import { crawlDoseFiles } from '../project/crawl.js';
import { finding } from '../diagnostics/finding.js';

interface Verified extends VerificationOutcome {
  version: number | undefined;
  text: string;
  labels: LabelSet;
}

export interface ServerOptions {
  /** Replaces the worker-based verification runner (tests). */
  runner?: VerificationRunner;
  /** When the client last sent bytes (performance.now()), from the transport: background work lets them go first. */
  lastInput?: () => number;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const workspace = new Workspace();
  const documents = new TextDocuments(TextDocument);
  const logError = (message: string) => connection.console.error(message);
  const runner = options.runner ?? new VerificationRunner(logError);
  let settings: Settings = DEFAULT_SETTINGS;
  let capabilities: ClientCapabilities = {};
  const diagnosticTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const verifyTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const verified = new Map<string, Verified>();
  /** Closed files whose diagnostics the workspace check published. */
  const workspaceFiles = new Set<string>();
  /** Files whose labels other files saw at their last check. */
  const labelProviders = new Set<string>();
  const published = new Set<string>();

  // ---- helpers -------------------------------------------------------------------

  function guard<P, R>(name: string, fallback: R, handler: (params: P, token?: CancellationToken) => R | Promise<R>) {
    return async (params: P, token?: CancellationToken): Promise<R> => {
      try {
        return await handler(params, token);
      } catch (error) {
        logError(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        return fallback;
      }
    };
  }

  function safely(name: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      logError(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

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

  function currentVerification(doc: AnalysedDocument): Verified | undefined {
    const entry = verified.get(doc.path);
    return entry && entry.version === doc.version && entry.text === doc.text && entry.labels === doc.labels ? entry : undefined;
  }

  function allFindings(doc: AnalysedDocument): Finding[] {
    const extra = currentVerification(doc)?.findings ?? [];
    return [...doc.analysis.findings, ...extra.filter((finding) => finding.file === doc.path)];
  }

  // ---- diagnostics ------------------------------------------------------------------

  /**
   * The last diagnostics notification handed to the connection. Its writer sends one
   * message per turn of the event loop, so the workspace check waits for it between
   * slices: otherwise thousands of notifications queue up ahead of a hover's answer.
   */
  let lastSent: Promise<void> = Promise.resolve();
  function sendDiagnostics(params: { uri: string; version?: number; diagnostics: Diagnostic[] }): void {
    lastSent = connection.sendDiagnostics(params).catch(() => undefined);
  }

  function publish(file: string): AnalysedDocument | undefined {
    const doc = workspace.analyse(file);
    const uri = doc?.uri || uriFor(file);
    if (!doc) {
      // A file in the workspace folders that is there but refused (a link out of
      // them, over the size limit, a dangling link) gets one diagnostic saying why.
      const refused = workspace.refusal(file);
      if (refused) {
        const lines = new LineIndex('');
        sendDiagnostics({ uri, diagnostics: [toDiagnostic(refused, { lines, relatedInformation: false, locate: () => undefined })] });
        published.add(file);
      } else {
        clear(file, uri);
      }
      return undefined;
    }
    if (workspace.providesLabels(file)) labelProviders.add(file);
    else labelProviders.delete(file);
    const context = diagnosticContext(doc);
    const diagnostics: Diagnostic[] = allFindings(doc).map((finding) => toDiagnostic(finding, context));
    sendDiagnostics({ uri, version: doc.version, diagnostics });
    published.add(file);
    return doc;
  }

  function clear(file: string, uri = uriFor(file)): void {
    if (!published.delete(file)) return;
    sendDiagnostics({ uri, diagnostics: [] });
  }

  function check(file: string): void {
    safely(`checking ${file}`, () => {
      const doc = publish(file);
      if (doc && workspace.isOpen(file)) scheduleVerification(file, doc.version);
      if (doc) noteLabels(doc);
      recheckStaleFolders(doc ? workspace.labelFolderOf(file) : undefined);
    });
  }

  // ---- labels that change on disk without a file event -----------------------------------

  /**
   * Per labels folder: the label set its open documents were last checked against, and one of
   * them. A label file changed on disk (no file event needed: its modification time is looked
   * at again) yields a new set; then every open document of that folder is re-checked.
   */
  const folderLabels = new Map<string, { labels: LabelSet; file: string }>();

  function noteLabels(doc: AnalysedDocument): void {
    if (!workspace.isOpen(doc.path) || hasLabels(doc.parsed)) return;
    const folder = workspace.labelFolderOf(doc.path);
    const known = folderLabels.get(folder);
    folderLabels.set(folder, { labels: doc.labels, file: doc.path });
    if (known && known.labels !== doc.labels) for (const other of workspace.openFilesSharingLabels(doc.path)) if (other !== doc.path) schedule(other, 0);
  }

  /** At each check, the other folders' labels are looked at again too (cheap: cached, re-read only when changed on disk). */
  function recheckStaleFolders(except: string | undefined): void {
    for (const [folder, known] of folderLabels) {
      if (folder === except) continue;
      if (!workspace.isOpen(known.file)) {
        // Its document was closed: another open one of the folder stands for it, if any.
        const other = workspace.openPaths().find((file) => workspace.labelFolderOf(file) === folder && !workspace.mayProvideLabels(file));
        if (other) folderLabels.set(folder, { labels: known.labels, file: other });
        else folderLabels.delete(folder);
        if (!other) continue;
      }
      const current = folderLabels.get(folder)!;
      if (workspace.labelsFor(current.file) !== current.labels) schedule(current.file, 0);
    }
  }

  function schedule(file: string, delay: number): void {
    clearTimeout(diagnosticTimers.get(file));
    const timer = setTimeout(() => {
      diagnosticTimers.delete(file);
      check(file);
    }, delay);
    diagnosticTimers.set(file, timer);
  }

  /** A file changed: re-check it, and every file that sees its labels when it has (or had) labels. */
  function changed(file: string, delay: number): void {
    schedule(file, delay);
    // Decided without parsing, so a keystroke costs nothing until the debounced check.
    if (!labelProviders.has(file) && !workspace.mayProvideLabels(file)) return;
    for (const other of workspace.openFilesSharingLabels(file)) if (other !== file) schedule(other, delay);
    for (const other of workspaceFiles) {
      if (!workspace.isOpen(other) && workspace.labelFolderOf(other) === workspace.labelFolderOf(file)) schedule(other, delay + 50);
    }
  }

  // ---- verification -----------------------------------------------------------------

  function verificationRequest(doc: AnalysedDocument) {
    const labels = workspace.labelInputs(doc.path, doc.parsed).map((input) => ({ path: input.path, text: input.text }));
    return { file: doc.path, text: doc.text, labels, timeBudgetMs: settings.verification.timeBudgetMs, maxStates: settings.verification.maxStates };
  }

  function scheduleVerification(file: string, version: number | undefined): void {
    clearTimeout(verifyTimers.get(file));
    if (!settings.verification.enabled) return;
    const timer = setTimeout(() => {
      verifyTimers.delete(file);
      safely(`verifying ${file}`, () => {
        const doc = workspace.analyse(file);
        if (!doc || doc.version !== version || !workspace.isOpen(file)) return;
        if (currentVerification(doc)) return;
        if (doc.analysis.protocols.length === 0) {
          verified.delete(file);
          return;
        }
        void runner.run(verificationRequest(doc)).then((outcome) => {
          if (!outcome) return;
          safely(`publishing verification of ${file}`, () => {
            if (workspace.versionOf(file) !== version) return;
            const now = workspace.analyse(file);
            if (!now || now.text !== doc.text || now.labels !== doc.labels) return;
            verified.set(file, { ...outcome, version, text: doc.text, labels: doc.labels });
            publish(file);
          });
        });
      });
    }, settings.verification.delayMs);
    verifyTimers.set(file, timer);
  }

  // ---- workspace check ----------------------------------------------------------------

  const WORKSPACE_CHECK_DELAY_MS = 150;
  const WORKSPACE_SLICE_MS = 4;
  const INPUT_QUIET_MS = 10;

  /** Bumped by each workspace check, so a newer one (folders changed) stops the older one. */
  let workspaceCheck = 0;

  function checkWorkspace(): void {
    if (!settings.workspace.check) return;
    const generation = ++workspaceCheck;
    const stopped = () => generation !== workspaceCheck;
    void (async () => {
      // After a short pause: the documents the editor opens right after start are
      // checked first, and the rest of the workspace follows in slices.
      await new Promise((resolve) => setTimeout(resolve, WORKSPACE_CHECK_DELAY_MS));
      const roots = workspace.getRoots();
      const files: string[] = [];
      for (const root of roots) {
        if (stopped()) return;
        // Listed asynchronously (a 10,000-file folder never stalls a hover); links that lead out
        // of the folders are listed too, each gets its refusal (POS1006); a folder that cannot be
        // listed gets POS1007 on itself, never a silent skip.
        const crawl = await crawlDoseFiles(root, roots, Math.max(0, settings.workspace.maxFiles - files.length), stopped);
        for (const folder of crawl.unreadable) publishUnreadableFolder(folder.path, folder.detail);
        for (const file of [...crawl.files, ...crawl.refused]) if (files.length < settings.workspace.maxFiles) files.push(file);
      }
      let next = 0;
      while (next < files.length && !stopped()) {
        // Interactive first: while the editor is sending (a hover, keystrokes), the check waits,
        // up to 200 ms at a time so that a flood of messages cannot starve it.
        for (let waited = 0; options.lastInput && performance.now() - options.lastInput() < INPUT_QUIET_MS && waited < 200; waited += INPUT_QUIET_MS) {
          await new Promise((resolve) => setTimeout(resolve, INPUT_QUIET_MS));
        }
        // Time-sliced: at most a few ms of checking between two looks at the incoming messages.
        const sliceEnd = performance.now() + WORKSPACE_SLICE_MS;
        for (; next < files.length && performance.now() < sliceEnd; next++) {
          const file = files[next];
          if (workspace.isOpen(file)) continue;
          workspaceFiles.add(file);
          safely(`checking ${file}`, () => publish(file));
        }
        await lastSent;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })().catch((error) => logError(`workspace check failed: ${(error as Error).message}`));
  }

  function publishUnreadableFolder(folder: string, detail: string): void {
    logError(`cannot read ${folder}: ${detail}`);
    const diagnostic = toDiagnostic(finding(folder, { start: 0, end: 0 }, 'UnreadableFile', [`it is a folder that cannot be listed: ${detail}`]), { lines: new LineIndex(''), relatedInformation: false, locate: () => undefined });
    sendDiagnostics({ uri: pathToUri(folder), diagnostics: [diagnostic] });
    published.add(folder);
  }

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

  connection.onInitialize((params: InitializeParams): InitializeResult => {
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
  });

  connection.onInitialized(() => {
    void (async () => {
      await loadSettings();
      if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.dose' }] }).catch(() => undefined);
      }
      if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: 'posology' }).catch(() => undefined);
      }
      if (capabilities.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          const removed = new Set(event.removed.map((folder) => uriToPath(folder.uri)));
          const roots = [...workspace.getRoots().filter((root) => !removed.has(root)), ...event.added.map((folder) => uriToPath(folder.uri))];
          workspace.setRoots(roots);
          workspace.invalidateDisk();
          for (const file of workspaceFiles) if (!workspace.isOpen(file)) clear(file);
          workspaceFiles.clear();
          for (const file of workspace.openPaths()) schedule(file, 0);
          checkWorkspace();
        });
      }
      checkWorkspace();
    })().catch((error) => logError(`initialization failed: ${(error as Error).message}`));
  });

  connection.onShutdown(() => {
    for (const timer of [...diagnosticTimers.values(), ...verifyTimers.values()]) clearTimeout(timer);
    runner.dispose();
  });

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', undefined, async (params: { settings?: unknown }) => {
      if (capabilities.workspace?.configuration) await loadSettings();
      else settings = readSettings((params.settings as { posology?: unknown } | undefined)?.posology);
      verified.clear();
      for (const file of workspace.openPaths()) schedule(file, 0);
    }),
  );

  // ---- documents ---------------------------------------------------------------------------

  documents.onDidOpen((event) => {
    safely('didOpen', () => {
      const file = uriToPath(event.document.uri);
      workspace.setOpen(event.document.uri, file, event.document.version, event.document.getText());
      workspaceFiles.delete(file);
      changed(file, 0);
    });
  });

  documents.onDidChangeContent((event) => {
    safely('didChange', () => {
      const file = uriToPath(event.document.uri);
      if (workspace.versionOf(file) === event.document.version) return;
      workspace.setOpen(event.document.uri, file, event.document.version, event.document.getText());
      runner.cancel(file);
      clearTimeout(verifyTimers.get(file));
      changed(file, settings.diagnostics.delayMs);
    });
  });

  documents.onDidClose((event) => {
    safely('didClose', () => {
      const file = uriToPath(event.document.uri);
      const hadLabels = labelProviders.has(file);
      workspace.close(file);
      runner.cancel(file);
      clearTimeout(diagnosticTimers.get(file));
      diagnosticTimers.delete(file);
      clearTimeout(verifyTimers.get(file));
      verifyTimers.delete(file);
      verified.delete(file);
      otherFiles.delete(file);
      const onDisk = settings.workspace.check && workspace.inWorkspace(file) && workspace.textOf(file) !== undefined;
      if (onDisk) {
        workspaceFiles.add(file);
        check(file);
      } else {
        clear(file, event.document.uri);
        labelProviders.delete(file);
      }
      if (hadLabels) for (const other of workspace.openFilesSharingLabels(file)) schedule(other, 0);
    });
  });

  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', undefined, (params) => {
      const files = params.changes.map((change) => uriToPath(change.uri));
      workspace.invalidateDisk(files);
      for (const change of params.changes) {
        const file = uriToPath(change.uri);
        if (workspace.isOpen(file)) continue;
        if (change.type === FileChangeType.Deleted) {
          workspaceFiles.delete(file);
          clear(file, change.uri);
          labelProviders.delete(file);
          for (const other of workspace.openPaths()) schedule(other, 0);
          continue;
        }
        if (settings.workspace.check) workspaceFiles.add(file);
        if (settings.workspace.check) schedule(file, 0);
        // A label file may have changed: re-check whatever sees it.
        if (workspace.providesLabels(file) || labelProviders.has(file)) changed(file, 0);
      }
    }),
  );

  // ---- features -------------------------------------------------------------------------------

  connection.onHover(
    guard('hover', null, (params) => {
      const doc = analysed(params.textDocument.uri);
      if (!doc) return null;
      const lines = linesOf(doc);
      const result = hover(doc, lines.offset(params.position), { uriOf: uriFor });
      return result ? toHover(result, lines) : null;
    }),
  );

  connection.onCompletion(
    guard('completion', [], (params) => {
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      const offset = lines.offset(params.position);
      const snippets = capabilities.textDocument?.completion?.completionItem?.snippetSupport ?? false;
      let entries = completion(doc, offset, { snippets });
      // A space at the start of a line is indentation, not a request for keywords.
      if (params.context?.triggerCharacter === ' ' && doc.text.slice(doc.text.lastIndexOf('\n', offset - 1) + 1, offset).trim() === '') entries = [];
      return entries.map((entry) => toCompletionItem(entry, lines));
    }),
  );

  connection.onDefinition(
    guard('definition', [], (params) => {
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      return definition(doc, lines.offset(params.position)).map((target) => toLocation(uriFor(target.file), linesOfFile(target.file, target.text), target.span));
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return [];
      const lines = lineIndexFor(parsed, parsed.text);
      return documentSymbols(parsed.parse.file, parsed.text).map((entry) => toDocumentSymbol(entry, lines));
    }),
  );

  connection.onFoldingRanges(
    guard('foldingRange', [], (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return [];
      const lines = lineIndexFor(parsed, parsed.text);
      return foldingRanges(lexed(parsed).tokens, parsed.text).flatMap((fold) => toFoldingRange(fold, lines) ?? []);
    }),
  );

  connection.languages.semanticTokens.on(
    guard('semanticTokens', { data: [] }, (params) => {
      const parsed = workspace.parsed(uriToPath(params.textDocument.uri));
      if (!parsed) return { data: [] };
      const lines = lineIndexFor(parsed, parsed.text);
      const builder = new SemanticTokensBuilder();
      for (const token of semanticTokens(parsed.parse.file, lexed(parsed).tokens)) {
        const type = TOKEN_TYPES.indexOf(token.type);
        const modifiers = token.modifiers.reduce((bits, modifier) => bits | (1 << TOKEN_MODIFIERS.indexOf(modifier)), 0);
        // Tokens that span lines (block comments) are sent one line at a time.
        let start = token.start;
        while (start < token.end) {
          const line = lines.lineOf(start);
          const lineEnd = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : parsed.text.length;
          const end = Math.min(token.end, lineEnd);
          const text = parsed.text.slice(start, end).replace(/\r?\n$/, '');
          if (text.length > 0) builder.push(line, start - lines.lineStart(line), text.length, type, modifiers);
          start = end;
        }
      }
      return builder.build();
    }),
  );

  function formattingEdits(uri: string, tabSize: number, insertSpaces: boolean, range?: Range): TextEdit[] {
    const parsed = workspace.parsed(uriToPath(uri));
    if (!parsed) return [];
    const lines = lineIndexFor(parsed, parsed.text);
    const indent = insertSpaces ? ' '.repeat(Math.max(1, Math.min(tabSize, 8))) : '\t';
    const span = range ? lines.span(range) : undefined;
    return format(parsed.text, { indent }, lexed(parsed).tokens)
      .filter((edit) => !span || (edit.span.end >= lines.lineStart(lines.lineOf(span.start)) && edit.span.start <= span.end))
      .map((edit) => ({ range: lines.range(edit.span), newText: edit.newText }));
  }

  connection.onDocumentFormatting(
    guard('formatting', [], (params) => formattingEdits(params.textDocument.uri, params.options.tabSize, params.options.insertSpaces)),
  );

  connection.onDocumentRangeFormatting(
    guard('rangeFormatting', [], (params) => formattingEdits(params.textDocument.uri, params.options.tabSize, params.options.insertSpaces, params.range)),
  );

  connection.onCodeAction(
    guard('codeAction', [], (params) => {
      const only = params.context.only;
      if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) return [];
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      const uri = doc.uri || params.textDocument.uri;
      const versioned = capabilities.workspace?.workspaceEdit?.documentChanges ?? false;
      return codeActions(allFindings(doc), lines.span(params.range)).map((action): CodeAction => {
        const edits = action.edits.map((edit) => ({ range: lines.range(edit.span), newText: edit.newText }));
        const range = lines.range(action.finding.span);
        const diagnostics = params.context.diagnostics.filter((item) => item.code === action.finding.code && sameRange(item.range, range));
        return {
          title: action.title,
          kind: CodeActionKind.QuickFix,
          diagnostics,
          isPreferred: action.preferred,
          edit: versioned && doc.version !== undefined
            ? { documentChanges: [{ textDocument: { uri, version: doc.version }, edits }] }
            : { changes: { [uri]: edits } },
        };
      });
    }),
  );

  connection.onCodeLens(
    guard('codeLens', [], (params) => {
      if (!settings.codeLens.enabled) return [];
      const doc = analysed(params.textDocument.uri);
      if (!doc) return [];
      const lines = linesOf(doc);
      const uri = doc.uri || params.textDocument.uri;
      return testLenses(doc).map((lens): CodeLens => ({
        range: lines.range(lens.span),
        command: lens.run
          ? { title: lens.title, command: RUN_TESTS_COMMAND, arguments: [{ uri, ...lens.run } satisfies RunTestsParams] }
          : { title: lens.title, command: '' },
      }));
    }),
  );

  // ---- custom requests --------------------------------------------------------------------------

  function runTests(params: RunTestsParams): RunTestsResult {
    const doc = analysed(params.uri);
    if (!doc) throw new ResponseError(-32602, `Posology cannot read ${params.uri}`);
    const lines = linesOf(doc);
    const wire = (test: TestOutcome): TestResultWire => ({
      title: test.title,
      range: lines.range(test.span),
      expectRange: lines.range(test.expectSpan),
      passed: test.passed,
      expected: test.expected,
      actual: test.actual,
      decidedBy: test.decidedBy,
      message: test.message,
    });
    const filter = {
      protocolIndex: typeof params.protocolIndex === 'number' ? params.protocolIndex : undefined,
      testTitle: typeof params.testTitle === 'string' ? params.testTitle : undefined,
      scenarioTitle: typeof params.scenarioTitle === 'string' ? params.scenarioTitle : undefined,
    };
    const protocols = testResults(doc, filter).map((protocol): ProtocolTestsWire => ({
      index: protocol.index,
      title: protocol.title,
      range: lines.range(protocol.span),
      error: protocol.error,
      tests: protocol.tests.map(wire),
      scenarios: protocol.scenarios.map((scenario): ScenarioResultWire => ({
        title: scenario.title,
        range: lines.range(scenario.span),
        steps: scenario.steps.map((step) => ({ ...wire(step), step: step.step })),
        passed: scenario.passed,
        failedStep: scenario.failed ? scenario.steps.indexOf(scenario.failed) : undefined,
        message: scenario.message,
      })),
    }));
    return { uri: doc.uri || params.uri, version: doc.version ?? null, protocols };
  }

  connection.onRequest(RUN_TESTS_REQUEST, async (params: RunTestsParams) => {
    try {
      return runTests(params);
    } catch (error) {
      if (error instanceof ResponseError) return error;
      logError(`runTests failed: ${(error as Error).stack ?? error}`);
      return { uri: typeof params?.uri === 'string' ? params.uri : '', version: null, protocols: [] } satisfies RunTestsResult;
    }
  });

  connection.onRequest(LIST_TESTS_REQUEST, async (params: RunTestsParams) => {
    try {
      return runTests({ uri: params.uri });
    } catch (error) {
      if (error instanceof ResponseError) return error;
      logError(`listTests failed: ${(error as Error).stack ?? error}`);
      return { uri: typeof params?.uri === 'string' ? params.uri : '', version: null, protocols: [] } satisfies RunTestsResult;
    }
  });

  connection.onRequest(VERIFY_REQUEST, async (params: VerifyParams, token: CancellationToken): Promise<VerifyResult | ResponseError<void>> => {
    try {
      const doc = analysed(params.uri);
      if (!doc) return new ResponseError(-32602, `Posology cannot read ${params.uri}`);
      const base = { uri: doc.uri || params.uri, version: doc.version ?? null };
      if (!settings.verification.enabled) return { ...base, available: false, protocols: [] };
      const known = currentVerification(doc);
      const outcome = known ?? (await runner.run(verificationRequest(doc), token));
      if (!outcome || token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'Verification was cancelled');
      if (!known && workspace.isOpen(doc.path) && workspace.versionOf(doc.path) === doc.version) {
        verified.set(doc.path, { ...outcome, version: doc.version, text: doc.text, labels: doc.labels });
        publish(doc.path);
      }
      const checked = new Set(outcome.protocols.map((protocol) => protocol.title));
      const unchecked: ProtocolVerificationWire[] = doc.parsed.parse.file.blocks
        .filter((block): block is ProtocolBlock => block.kind === 'protocol' && !doc.analysis.protocols.some((protocol) => protocol.node === block) && !checked.has(block.title?.value ?? ''))
        .map((block) => ({ title: block.title?.value ?? '(untitled protocol)', statesExplored: 0, statesTotal: 0, counterexamples: 0, ...whyUnchecked(doc, block) }));
      return { ...base, available: true, protocols: [...outcome.protocols, ...unchecked] };
    } catch (error) {
      logError(`verify failed: ${(error as Error).stack ?? error}`);
      return new ResponseError(-32603, `Verification failed: ${(error as Error).message}`);
    }
  });

  connection.onRequest(STATS_REQUEST, (): StatsResult => {
    // With node's --expose-gc (tests), garbage is collected first, so heapUsed is what is kept.
    (globalThis as { gc?: () => void }).gc?.();
    return {
    documents: documents.all().length,
    ...workspace.sizes(),
    diagnosticTimers: diagnosticTimers.size,
    verifyTimers: verifyTimers.size,
    verified: verified.size,
    published: published.size,
    labelProviders: labelProviders.size,
    lineIndexes: otherFiles.size,
    heapUsed: process.memoryUsage().heapUsed,
    };
  });

  documents.listen(connection);
  connection.listen();
}

/**
 * Why a protocol was not verified: against a label with errors of its own it is
 * withheld (as the verifier says it); otherwise the error that kept it from
 * resolving against a label.
 */
function whyUnchecked(doc: AnalysedDocument, block: ProtocolBlock): Pick<ProtocolVerificationWire, 'status' | 'reason'> {
  const labels = block.drug?.text ? doc.labels.index.find(block.drug.text) : [];
  if (labels.length === 1 && labels[0].errorCount > 0) {
    return { status: 'withheld', reason: `the ${labels[0].name} label has ${labels[0].errorCount} error(s) of its own; verification against it is withheld` };
  }
  const first = doc.analysis.findings.find((item) => item.severity === 'error' && item.span.start >= block.span.start && item.span.start <= block.span.end);
  return { status: 'not checked', reason: first ? `the protocol does not resolve against a label: ${first.message}` : 'the protocol does not resolve against a label' };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

