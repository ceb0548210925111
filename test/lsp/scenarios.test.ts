// Scenarios where tests are, over stdio: the custom test requests list
// scenarios with their steps and run them (a failure at the failing step's
// `expect`), CodeLenses "Run scenario", hover on a step shows the state of the
// course that day, and completion inside a scenario offers its forms.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { CodeLens, CompletionItem, CompletionList, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspClient, positionAt, positionOf, repoRoot, uriOf } from '../helpers/lsp-client.js';
import type { RunTestsResult } from '../../shared/custom-requests.js';

const FIXTURE = fs.readFileSync(path.join(repoRoot, 'test/fixtures/v2/spec-v2-pd.dose'), 'utf8');
// The second episode's hold written as a dose: that step fails, the others pass.
const WRONG = 'cycle 2 day 8: ANC = 300 /uL expect dose 3 mg';
const TEXT = FIXTURE.replace('cycle 2 day 8: ANC = 300 /uL expect hold', WRONG);
const hoverText = (hover: Hover | null): string => (hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '');
const items = (result: CompletionItem[] | CompletionList | null) => (Array.isArray(result) ? result : result?.items ?? []);

let scratchCount = 0;
function scratchUri(): string {
  scratchCount += 1;
  return uriOf(`examples/lsp-scenario-scratch-${process.pid}-${scratchCount}.dose`);
}

describe('scenarios in the editor, over stdio', function () {
  this.timeout(20000);
  let client: LspClient;
  const uri = scratchUri();

  before(async () => {
    assert.notEqual(TEXT, FIXTURE, 'the fixture has the step this test breaks');
    client = await LspClient.start({ initializationOptions: { settings: { diagnostics: { delayMs: 20 }, verification: { enabled: false } } } });
    await client.open(uri, TEXT);
  });

  after(async () => {
    if (client) await client.stop();
  });

  it('lists scenarios with the steps that expect something, beside the tests', async () => {
    const listed = await client.request<RunTestsResult>('posology/listTests', { uri });
    const protocol = listed.protocols[0];
    assert.deepEqual(protocol.tests.map((test) => test.title), ['day 1', 'over 75']);
    assert.deepEqual(protocol.scenarios.map((scenario) => scenario.title), ['two neutropenia episodes', 'a cycle start waits for platelets']);
    const [episodes, platelets] = protocol.scenarios;
    assert.deepEqual(episodes.steps.map((step) => [step.step, step.title]), [
      [0, 'cycle 1 day 1'], [1, 'cycle 1 day 8'], [2, 'cycle 1 day 15'], [3, 'cycle 2 day 1'], [4, 'cycle 2 day 8'], [5, 'cycle 2 day 15'],
    ]);
    assert.deepEqual(platelets.steps.map((step) => step.title), ['cycle 1 day 21', 'day 29', 'day 36']);
    assert.equal(platelets.passed, true);
    assert.deepEqual(episodes.range.start, positionOf(TEXT, 'scenario "two neutropenia episodes"'));
    assert.deepEqual(episodes.steps[2].range.start, positionOf(TEXT, 'cycle 1 day 15:'));
  });

  it('runs one scenario and marks its failure at the failing step\'s expect', async () => {
    const run = await client.request<RunTestsResult>('posology/runTests', { uri, protocolIndex: 0, scenarioTitle: 'two neutropenia episodes' });
    const protocol = run.protocols[0];
    assert.deepEqual(protocol.tests, [], 'a scenario run runs no test');
    assert.equal(protocol.scenarios.length, 1);
    const scenario = protocol.scenarios[0];
    assert.equal(scenario.passed, false);
    assert.equal(scenario.failedStep, 4);
    assert.deepEqual(scenario.steps.map((step) => step.passed), [true, true, true, true, false, true]);
    const failed = scenario.steps[4];
    assert.equal(failed.expected, 'dose 3 mg');
    assert.equal(failed.actual, 'hold');
    assert.match(failed.decidedBy ?? '', /rule neutropenia/);
    const expectAt = TEXT.indexOf('expect dose 3 mg', TEXT.indexOf(WRONG));
    assert.deepEqual(failed.expectRange, { start: positionAt(TEXT, expectAt), end: positionAt(TEXT, expectAt + 'expect dose 3 mg'.length) });
    assert.match(scenario.message ?? '', /^cycle 2 day 8: expected dose 3 mg, got hold/);

    const test = await client.request<RunTestsResult>('posology/runTests', { uri, protocolIndex: 0, testTitle: 'over 75' });
    assert.deepEqual(test.protocols[0].tests.map((item) => [item.title, item.passed]), [['over 75', true]]);
    assert.deepEqual(test.protocols[0].scenarios, [], 'a test run runs no scenario');
  });

  it('publishes the failing step at its expect, as the Test Explorer shows it', async () => {
    const params: PublishDiagnosticsParams = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'POS5005'));
    const failures = params.diagnostics.filter((d) => d.code === 'POS5005');
    assert.equal(failures.length, 1);
    const expectAt = TEXT.indexOf('expect dose 3 mg', TEXT.indexOf(WRONG));
    assert.deepEqual(failures[0].range.start, positionAt(TEXT, expectAt));
  });

  it('puts Run scenario lenses beside Run test, and the failure beside the failing step', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles = lenses.map((lens) => lens.command?.title);
    assert.ok(titles.includes('▶ Run all tests (2 tests, 2 scenarios)'), titles.join(' | '));
    assert.ok(titles.includes('✗ 1 failed, 3 passed'), titles.join(' | '));
    const runScenario = lenses.filter((lens) => lens.command?.title.startsWith('▶ Run scenario'));
    assert.equal(runScenario.length, 2);
    assert.equal(runScenario[0].command!.command, 'posology.runTests');
    assert.deepEqual(runScenario[0].command!.arguments, [{ uri, protocolIndex: 0, scenarioTitle: 'two neutropenia episodes' }]);
    assert.equal(runScenario[0].range.start.line, positionOf(TEXT, 'scenario "two neutropenia').line);
    const where = lenses.find((lens) => lens.command?.title === '✗ fails at cycle 2 day 8');
    assert.ok(where, titles.join(' | '));
    const got = lenses.find((lens) => lens.command?.title === '✗ got hold');
    assert.equal(got?.range.start.line, positionOf(TEXT, WRONG).line);
  });

  it('hovers on a step with the state that day: decision, dose, holds in force, cycle and day', async () => {
    const at = (needle: string) => client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(TEXT, needle, 2) });
    const held = hoverText(await at(WRONG));
    assert.match(held, /step 5 of scenario "two neutropenia episodes"/);
    assert.match(held, /✗ fails: expected dose 3 mg, got hold/);
    assert.match(held, /Calendar: day 36 of treatment, cycle 2 day 8/);
    assert.match(held, /Decision: \*\*hold\*\* — rule neutropenia/);
    assert.match(held, /Current dose: 3 mg/);
    assert.match(held, /Holds in force: `neutropenia`/);
    assert.match(held, /Observations in force: `ANC = 300 \/uL`/);

    const resumed = hoverText(await at('cycle 2 day 15:'));
    assert.match(resumed, /✓ passes: `dose 2 mg`/);
    assert.match(resumed, /Decision: \*\*dose 2 mg\*\* — rule neutropenia \(resumed at 2 mg\)/);
    assert.match(resumed, /Holds in force: none/);

    const waiting = hoverText(await at('day 29:'));
    assert.match(waiting, /Calendar: day 29 of treatment, cycle 2 day 1/);
    assert.match(waiting, /Delayed: cycle 2 is delayed: its start requires ANC >= 500 \/uL and platelets >= 50000 \/uL/);
    const started = hoverText(await at('day 36:'));
    assert.match(started, /day 36 of treatment, cycle 2 day 1 \(7 days behind the planned calendar: a cycle was delayed\)/);
    assert.match(started, /Decision: \*\*dose 4 mg\*\*/);

    // On the expect, the same state; on an observation, the fact as elsewhere.
    const onExpect = hoverText(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(TEXT, 'expect dose 2 mg', 2) }));
    assert.match(onExpect, /step 6 of scenario/);
    assert.match(hoverText(await at('ANC = 450')), /Absolute neutrophil count/);
  });

  it('completes inside a scenario: step forms at a line start, facts after the colon, actions after expect, companions after its comma', async () => {
    const base = TEXT.replace('    cycle 2 day 15: ANC = 600 /uL expect dose 2 mg\n', '    cycle 2 day 15: ANC = 600 /uL expect dose 2 mg\n    \n');
    const lineStart = base.indexOf('    \n', base.indexOf('cycle 2 day 15')) + 4;
    const other = scratchUri();
    await client.open(other, base);
    const labels = async (text: string, offset: number) => {
      await client.change(other, [{ text }]);
      const result = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri: other }, position: positionAt(text, offset) });
      return items(result).map((item) => item.label);
    };
    const atStart = await labels(base, lineStart);
    assert.ok(atStart.includes('cycle') && atStart.includes('day'), atStart.join(', '));
    assert.ok(!atStart.includes('rule'), `no protocol items inside a scenario: ${atStart.join(', ')}`);
    const typed = base.slice(0, lineStart) + 'cycle 3 day 1: ' + base.slice(lineStart);
    const afterColon = await labels(typed, lineStart + 'cycle 3 day 1: '.length);
    assert.ok(afterColon.includes('ANC') && afterColon.includes('platelets') && afterColon.includes('toxicity'), afterColon.join(', '));
    assert.ok(afterColon.includes('expect'), afterColon.join(', '));
    const withExpect = base.slice(0, lineStart) + 'cycle 3 day 1: ANC = 800 /uL expect ' + base.slice(lineStart);
    const afterExpect = await labels(withExpect, lineStart + 'cycle 3 day 1: ANC = 800 /uL expect '.length);
    assert.ok(afterExpect.includes('hold') && afterExpect.includes('dose'), afterExpect.join(', '));
    const afterValue = await labels(withExpect.replace('ANC = 800 /uL expect ', 'ANC = 800 /uL '), lineStart + 'cycle 3 day 1: ANC = 800 /uL '.length);
    assert.ok(afterValue.includes('expect'), afterValue.join(', '));
    const withCompanion = base.slice(0, lineStart) + 'cycle 3 day 1: expect dose 2 mg, ' + base.slice(lineStart);
    const afterComma = await labels(withCompanion, lineStart + 'cycle 3 day 1: expect dose 2 mg, '.length);
    assert.deepEqual(afterComma.sort(), ['dexamethasone 20 mg', 'dexamethasone 40 mg', 'no dexamethasone'], 'after the expectation, what the with lines give');
    await client.close(other);
  });
});
