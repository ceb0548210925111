// VS Code's Test Explorer for `.dose` tests. Discovery and results both come
// from the server (`posology/listTests`, `posology/runTests`), which runs the
// tests with the one evaluator; this file only maps them onto TestItems:
// file > protocol > test, and file > protocol > scenario > step, with failures
// shown at the `expect` clause (of the test, or of the failing step).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  LIST_TESTS_REQUEST,
  RUN_TESTS_REQUEST,
  type ProtocolTestsWire,
  type RunTestsParams,
  type RunTestsResult,
  type ScenarioResultWire,
  type TestResultWire,
} from '../../shared/custom-requests.js';

interface ItemData {
  uri: string;
  protocolIndex?: number;
  testTitle?: string;
  /** A scenario, or (with `step`) one of its steps. */
  scenarioTitle?: string;
  step?: number;
}

/** Test item ids: a test under its protocol, a scenario (and its steps) apart from tests of the same title. */
const testId = (uri: vscode.Uri, protocol: number, title: string) => `${uri.toString()}#${protocol}/${title}`;
const scenarioId = (uri: vscode.Uri, protocol: number, title: string) => `${uri.toString()}#${protocol}/scenario:${title}`;
const stepId = (uri: vscode.Uri, protocol: number, title: string, step: number) => `${scenarioId(uri, protocol, title)}/${step}`;

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
    const withTests = result.protocols.filter((protocol) => protocol.tests.length > 0 || (protocol.scenarios ?? []).length > 0);
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
    const tests = protocol.tests.map((test) => {
      const child = this.controller.createTestItem(testId(uri, protocol.index, test.title), test.title, uri);
      child.range = this.client.protocol2CodeConverter.asRange(test.range);
      this.data.set(child, { uri: wireUri, protocolIndex: protocol.index, testTitle: test.title });
      return child;
    });
    const scenarios = (protocol.scenarios ?? []).map((scenario) => this.scenarioItem(uri, wireUri, protocol.index, scenario));
    item.children.replace([...tests, ...scenarios]);
    return item;
  }

  /** A scenario, with a child per step that expects something (titled by its day). */
  private scenarioItem(uri: vscode.Uri, wireUri: string, protocolIndex: number, scenario: ScenarioResultWire): vscode.TestItem {
    const item = this.controller.createTestItem(scenarioId(uri, protocolIndex, scenario.title), `scenario: ${scenario.title}`, uri);
    item.range = this.client.protocol2CodeConverter.asRange(scenario.range);
    this.data.set(item, { uri: wireUri, protocolIndex, scenarioTitle: scenario.title });
    item.children.replace(scenario.steps.map((step) => {
      const child = this.controller.createTestItem(stepId(uri, protocolIndex, scenario.title, step.step), step.title, uri);
      child.range = this.client.protocol2CodeConverter.asRange(step.range);
      this.data.set(child, { uri: wireUri, protocolIndex, scenarioTitle: scenario.title, step: step.step });
      return child;
    }));
    return item;
  }

  /** The CodeLens command: run one protocol's tests, one test or one scenario, through the Test Explorer. */
  async runFromLens(params: RunTestsParams): Promise<void> {
    const uri = this.client.protocol2CodeConverter.asUri(params.uri);
    const file = await this.refreshFile(uri);
    if (!file) return;
    const index = params.protocolIndex ?? 0;
    const protocol = file.children.get(`${uri.toString()}#${index}`);
    const target = params.testTitle !== undefined
      ? protocol?.children.get(testId(uri, index, params.testTitle))
      : params.scenarioTitle !== undefined
        ? protocol?.children.get(scenarioId(uri, index, params.scenarioTitle))
        : protocol;
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
      const isExcluded = (item: vscode.TestItem | undefined): boolean => item !== undefined && (excluded.has(item) || isExcluded(item.parent));
      const tests = roots.flatMap((root) => this.leaves(root)).filter((item) => !isExcluded(item));
      // One request per (file, protocol); a single selected test asks for that test only,
      // and steps of a single scenario for that scenario (a step runs with the days before it).
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
        const scenarios = new Set(items.map((item) => this.data.get(item)?.scenarioTitle));
        const oneScenario = scenarios.size === 1 && first.scenarioTitle !== undefined ? first.scenarioTitle : undefined;
        const params: RunTestsParams = {
          uri: first.uri,
          protocolIndex: first.protocolIndex,
          testTitle: items.length === 1 && first.scenarioTitle === undefined ? first.testTitle : undefined,
          scenarioTitle: oneScenario,
        };
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
        const steps = new Map<string, TestResultWire>();
        const scenarioResults = new Map<string, ScenarioResultWire>();
        for (const protocol of result.protocols) {
          for (const test of protocol.tests) results.set(test.title, test);
          for (const scenario of protocol.scenarios ?? []) {
            scenarioResults.set(scenario.title, scenario);
            for (const step of scenario.steps) steps.set(`${scenario.title}\u0000${step.step}`, step);
          }
        }
        for (const item of items) {
          const data = this.data.get(item);
          if (data?.scenarioTitle === undefined) this.report(run, item, results.get(data?.testTitle ?? ''), duration);
          else if (data.step !== undefined) this.report(run, item, steps.get(`${data.scenarioTitle}\u0000${data.step}`), duration);
          else this.reportScenario(run, item, scenarioResults.get(data.scenarioTitle), duration);
        }
      }
    } finally {
      run.end();
    }
  }

  /** A scenario with no step that expects anything: a leaf of its own. */
  private reportScenario(run: vscode.TestRun, item: vscode.TestItem, result: ScenarioResultWire | undefined, duration: number): void {
    if (!result) run.skipped(item);
    else if (result.passed === true) run.passed(item, duration);
    else run.errored(item, new vscode.TestMessage(result.message ?? 'The scenario could not run.'), duration);
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
