// VS Code's Test Explorer for `.dose` tests. Discovery and results both come
// from the server (`posology/listTests`, `posology/runTests`), which runs the
// tests with the one evaluator; this file only maps them onto TestItems:
// file > protocol > test, with failures shown at the `expect` clause.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  LIST_TESTS_REQUEST,
  RUN_TESTS_REQUEST,
  type ProtocolTestsWire,
  type RunTestsParams,
  type RunTestsResult,
  type TestResultWire,
} from '../../server/src/lsp/custom-requests.js';

interface ItemData {
  uri: string;
  protocolIndex?: number;
  testTitle?: string;
}

const EXCLUDE = '**/{node_modules,out,dist,.git,.vscode-test}/**';

export class PosologyTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly client: LanguageClient) {
    this.controller = vscode.tests.createTestController('posology', 'Posology');
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverAll();
      else if (item.uri) await this.refreshFile(item.uri);
    };
    this.controller.refreshHandler = () => this.discoverAll();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.dose');
    this.disposables.push(
      this.controller,
      watcher,
      watcher.onDidCreate((uri) => this.refreshSoon(uri)),
      watcher.onDidChange((uri) => this.refreshSoon(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      vscode.workspace.onDidOpenTextDocument((document) => document.languageId === 'dose' && this.refreshSoon(document.uri)),
      vscode.workspace.onDidChangeTextDocument((event) => event.document.languageId === 'dose' && this.refreshSoon(event.document.uri)),
    );
    for (const document of vscode.workspace.textDocuments) if (document.languageId === 'dose') this.refreshSoon(document.uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Every `.dose` file in the workspace, then its tests. */
  async discoverAll(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/*.dose', EXCLUDE, 2000);
    await Promise.all(files.map((uri) => this.refreshFile(uri)));
  }

  private refreshSoon(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      void this.refreshFile(uri);
    }, 300));
  }

  /** Asks the server for a file's tests and rebuilds its items. */
  async refreshFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    let result: RunTestsResult;
    try {
      result = await this.client.sendRequest<RunTestsResult>(LIST_TESTS_REQUEST, { uri: this.client.code2ProtocolConverter.asUri(uri) });
    } catch {
      return undefined;
    }
    const key = uri.toString();
    const withTests = result.protocols.filter((protocol) => protocol.tests.length > 0);
    if (withTests.length === 0) {
      this.controller.items.delete(key);
      return undefined;
    }
    const file = this.controller.items.get(key) ?? this.controller.createTestItem(key, vscode.workspace.asRelativePath(uri), uri);
    this.data.set(file, { uri: result.uri });
    file.children.replace(withTests.map((protocol) => this.protocolItem(uri, result.uri, protocol)));
    this.controller.items.add(file);
    return file;
  }

  private protocolItem(uri: vscode.Uri, wireUri: string, protocol: ProtocolTestsWire): vscode.TestItem {
    const item = this.controller.createTestItem(`${uri.toString()}#${protocol.index}`, protocol.title, uri);
    item.range = this.client.protocol2CodeConverter.asRange(protocol.range);
    item.error = protocol.error;
    this.data.set(item, { uri: wireUri, protocolIndex: protocol.index });
    item.children.replace(protocol.tests.map((test) => {
      const child = this.controller.createTestItem(`${uri.toString()}#${protocol.index}/${test.title}`, test.title, uri);
      child.range = this.client.protocol2CodeConverter.asRange(test.range);
      this.data.set(child, { uri: wireUri, protocolIndex: protocol.index, testTitle: test.title });
      return child;
    }));
    return item;
  }

  /** The CodeLens command: run one protocol's tests, or one test, through the Test Explorer. */
  async runFromLens(params: RunTestsParams): Promise<void> {
    const uri = this.client.protocol2CodeConverter.asUri(params.uri);
    const file = await this.refreshFile(uri);
    if (!file) return;
    const protocol = file.children.get(`${uri.toString()}#${params.protocolIndex ?? 0}`);
    const target = params.testTitle !== undefined ? protocol?.children.get(`${uri.toString()}#${params.protocolIndex ?? 0}/${params.testTitle}`) : protocol;
    const request = new vscode.TestRunRequest(target ? [target] : [file]);
    const source = new vscode.CancellationTokenSource();
    try {
      await this.run(request, source.token);
    } finally {
      source.dispose();
    }
  }

  private leaves(item: vscode.TestItem, into: vscode.TestItem[] = []): vscode.TestItem[] {
    if (item.children.size === 0) into.push(item);
    else item.children.forEach((child) => this.leaves(child, into));
    return into;
  }

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const roots: vscode.TestItem[] = [];
      if (request.include) roots.push(...request.include);
      else this.controller.items.forEach((item) => roots.push(item));
      const excluded = new Set(request.exclude ?? []);
      const tests = roots.flatMap((root) => this.leaves(root)).filter((item) => !excluded.has(item) && !(item.parent && excluded.has(item.parent)));
      // One request per (file, protocol); a single selected test asks for that test only.
      const groups = new Map<string, vscode.TestItem[]>();
      for (const test of tests) {
        const data = this.data.get(test);
        if (!data) continue;
        const key = `${data.uri}\u0000${data.protocolIndex}`;
        groups.set(key, [...(groups.get(key) ?? []), test]);
      }
      for (const items of groups.values()) {
        if (token.isCancellationRequested) break;
        const first = this.data.get(items[0])!;
        for (const item of items) run.started(item);
        const params: RunTestsParams = { uri: first.uri, protocolIndex: first.protocolIndex, testTitle: items.length === 1 ? first.testTitle : undefined };
        const started = Date.now();
        let result: RunTestsResult;
        try {
          result = await this.client.sendRequest<RunTestsResult>(RUN_TESTS_REQUEST, params, token);
        } catch (error) {
          for (const item of items) run.errored(item, new vscode.TestMessage(`The server could not run the tests: ${(error as Error).message}`));
          continue;
        }
        const duration = Date.now() - started;
        const results = new Map<string, TestResultWire>();
        for (const protocol of result.protocols) for (const test of protocol.tests) results.set(test.title, test);
        for (const item of items) this.report(run, item, results.get(this.data.get(item)?.testTitle ?? ''), duration);
      }
    } finally {
      run.end();
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, result: TestResultWire | undefined, duration: number): void {
    if (!result) {
      run.skipped(item);
      return;
    }
    if (result.passed === true) {
      run.passed(item, duration);
      return;
    }
    const location = item.uri ? new vscode.Location(item.uri, this.client.protocol2CodeConverter.asRange(result.expectRange)) : undefined;
    if (result.passed === undefined) {
      const message = new vscode.TestMessage(result.message ?? 'The test could not run.');
      message.location = location;
      run.errored(item, message, duration);
      return;
    }
    const message = vscode.TestMessage.diff(
      `Expected ${result.expected}, got ${result.actual} (decided by ${result.decidedBy})`,
      result.expected ?? '',
      result.actual ?? '',
    );
    message.location = location;
    run.failed(item, message, duration);
  }
}
