// Protocol-level tests: the built server, spawned over stdio and driven through
// JSON-RPC as an editor drives it. Run `npx tsc -p tsconfig.json` first.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  PublishDiagnosticsParams,
  SemanticTokens,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { LspClient, applyEdits, positionAt, positionOf, rangeOf, repoRoot, uriOf } from '../helpers/lsp-client.js';

const MISTAKES = 'examples/mistakes/pd-with-mistakes.dose';
const GOOD = 'examples/pd-multiple-myeloma.dose';
const read = (relative: string) => fs.readFileSync(path.join(repoRoot, relative), 'utf8');
const codes = (params: PublishDiagnosticsParams) => params.diagnostics.map((diagnostic) => String(diagnostic.code));
const hoverText = (hover: Hover | null): string => (hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '');
const messageOf = (diagnostic: Diagnostic): string => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value);
const items = (result: CompletionItem[] | CompletionList | null) => (Array.isArray(result) ? result : result?.items ?? []);

/** A scratch document next to the examples, so the server finds labels/ (it is never written to disk). */
let scratchCount = 0;
function scratchUri(): string {
  scratchCount += 1;
  return uriOf(`examples/lsp-scratch-${process.pid}-${scratchCount}.dose`);
}

const protocol = (body: string) => `protocol "scratch" {\n  drug pomalidomide\n  indication multiple_myeloma\n${body}\n}\n`;

describe('language server over stdio', function () {
  this.timeout(20000);
  let client: LspClient;
  const mistakesUri = uriOf(MISTAKES);
  const mistakes = read(MISTAKES);

  before(async () => {
    client = await LspClient.start({ initializationOptions: { settings: { diagnostics: { delayMs: 20 }, verification: { delayMs: 50 } } } });
  });

  after(async () => {
    if (client) await client.stop();
  });

  it('initializes with every feature it provides', () => {
    const capabilities = client.initializeResult.capabilities;
    assert.ok(capabilities.hoverProvider);
    assert.ok(capabilities.completionProvider);
    assert.ok(capabilities.definitionProvider);
    assert.ok(capabilities.documentSymbolProvider);
    assert.ok(capabilities.foldingRangeProvider);
    assert.ok(capabilities.documentFormattingProvider);
    assert.ok(capabilities.codeActionProvider);
    assert.ok(capabilities.codeLensProvider);
    assert.ok(capabilities.semanticTokensProvider?.legend.tokenTypes.includes('property'));
  });

  it('publishes every finding of the mistakes example with ranges, related label lines and fixes', async () => {
    await client.open(mistakesUri, mistakes);
    const params = await client.diagnostics(mistakesUri, (p) => p.version === 1);
    const found = codes(params);
    for (const code of ['POS3001', 'POS3002', 'POS3003', 'POS3004', 'POS3005', 'POS3006', 'POS3007', 'POS3008', 'POS2003', 'POS2005', 'POS2006', 'POS5001']) {
      assert.ok(found.includes(code), `expected ${code} in ${found.join(', ')}`);
    }
    const start = params.diagnostics.find((d) => d.code === 'POS3001')!;
    assert.deepEqual(start.range, rangeOf(mistakes, '5 mg'));
    assert.equal(start.severity, 1);
    assert.equal(start.source, 'posology');
    const related = start.relatedInformation?.[0];
    assert.ok(related, 'the start-dose finding points at the label');
    assert.ok(related.location.uri.endsWith('/labels/pomalidomide.dose'));
    const label = read('labels/pomalidomide.dose');
    assert.deepEqual(related.location.range.start, positionOf(label, 'dose 4 mg oral once daily days 1-21 cycle 28 days'));
    assert.match(related.message, /Recommended Dosage for MM/);
    const data = start.data as { fixes: { title: string; edits: TextEdit[] }[] };
    assert.equal(data.fixes[0].edits[0].newText, '4 mg');
    const stricter = params.diagnostics.find((d) => d.code === 'POS3005')!;
    assert.equal(stricter.severity, 3);
  });

  it('adds the verifier counterexamples to the same version', async () => {
    const params = await client.diagnostics(mistakesUri, (p) => p.version === 1 && codes(p).includes('POS4001'));
    assert.ok(codes(params).includes('POS3001'), 'checker findings stay when the verifier reports');
    const counterexample = params.diagnostics.find((d) => d.code === 'POS4001')!;
    assert.match(messageOf(counterexample), /the label requires/);
  });

  it('answers hover on a threshold with the value in the fact unit and the label line with its source', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: mistakesUri }, position: positionOf(mistakes, '400/μL', 1) });
    const text = hoverText(hover);
    assert.match(text, /400 \/uL/);
    assert.match(text, /hold when ANC < 500 \/uL or febrile_neutropenia/);
    assert.match(text, /Neutropenia, MM Patients/);
  });

  it('answers hover on a drug, a fact, a rule and a test', async () => {
    const at = (needle: string, delta = 1) => client.request<Hover | null>('textDocument/hover', { textDocument: { uri: mistakesUri }, position: positionOf(mistakes, needle, delta) }).then(hoverText);
    assert.match(await at('drug pomalidomide', 6), /Pomalidomide \(Pomalyst, Imnovid\)/);
    assert.match(await at('platelets < 50000'), /Platelet count[\s\S]*quantity in `\/uL`/);
    assert.match(await at('rule dialysis', 6), /fires when `dialysis`; gives \*\*dose 4 mg after dialysis\*\*[\s\S]*Evaluated: given `dialysis`/);
    assert.match(await at('test "ANC 450', 6), /fails: expected `hold`/);
  });

  it('converts a quantity to the fact unit on hover (0.4 10*9/L = 400 /uL)', async () => {
    const uri = uriOf(GOOD);
    const text = read(GOOD);
    await client.open(uri, text);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '0.4 10*9/L', 1) });
    assert.match(hoverText(hover), /`0\.4 10\*9\/L` = \*\*400 \/uL\*\*/);
    const clean = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(codes(clean), []);
  });

  it('completes drugs, facts with types, enum values and units of the right dimension', async () => {
    const uri = scratchUri();
    const text = protocol('  rule a: when child_pugh = C then dose 2 mg\n  rule b: when ANC < 500 /uL then hold');
    await client.open(uri, text);
    const complete = async (line: string, character: number) => items(await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } }));
    const lines = text.split('\n');
    const drugs = await complete('1', lines[1].length);
    assert.ok(drugs.some((item) => item.label === 'pomalidomide'));
    const ruleLine = lines.findIndex((line) => line.includes('rule a'));
    const facts = await complete(String(ruleLine), lines[ruleLine].indexOf('child_pugh'));
    const anc = facts.find((item) => item.label === 'ANC');
    assert.ok(anc, 'facts of the label are offered after when');
    assert.match(anc.detail ?? '', /quantity \/uL/);
    const values = await complete(String(ruleLine), lines[ruleLine].indexOf('C then'));
    assert.deepEqual(values.map((item) => item.label).sort(), ['A', 'B', 'C']);
    const unitLine = lines.findIndex((line) => line.includes('rule b'));
    const units = await complete(String(unitLine), lines[unitLine].indexOf('/uL'));
    const unitLabels = units.map((item) => item.label);
    assert.ok(unitLabels.includes('/uL') && unitLabels.includes('10*9/L'));
    assert.ok(!unitLabels.includes('mg'), 'a mass is not offered for a cell count');
  });

  it('offers a protocol skeleton written from the label', async () => {
    const uri = scratchUri();
    await client.open(uri, '');
    const list = items(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } }));
    const skeleton = list.find((item) => item.label === 'protocol for pomalidomide — multiple_myeloma');
    assert.ok(skeleton, 'a skeleton per indication');
    assert.equal(skeleton.insertTextFormat, 2);
    assert.match(String(skeleton.insertText), /rule ANC: when ANC < 500 \/uL or febrile_neutropenia then hold/);
    assert.match(String(skeleton.insertText), /test "ANC" \{ given ANC = 499 \/uL expect hold \\\}/);
  });

  it('goes to the label line of a fact, an indication and the drug', async () => {
    const label = read('labels/pomalidomide.dose');
    const definition = async (needle: string, delta = 1) => client.request<Location[]>('textDocument/definition', { textDocument: { uri: mistakesUri }, position: positionOf(mistakes, needle, delta) });
    const fact = await definition('platelets < 50000');
    assert.equal(fact.length, 1);
    assert.ok(fact[0].uri.endsWith('/labels/pomalidomide.dose'));
    assert.deepEqual(fact[0].range.start, positionOf(label, 'platelets "Platelet count"'));
    const indication = await definition('indication multiple_myeloma', 12);
    assert.deepEqual(indication[0].range.start, positionOf(label, 'multiple_myeloma\n'));
    const drug = await definition('drug pomalidomide', 6);
    assert.deepEqual(drug[0].range.start, positionOf(label, 'pomalidomide "Pomalidomide'));
  });

  it('lists document symbols, folding ranges and semantic tokens', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: mistakesUri } });
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'Pd with deliberate mistakes (do not use)');
    const children = symbols[0].children!.map((child) => child.name);
    assert.ok(children.includes('anc') && children.includes('ANC 450 /uL is held'));

    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: mistakesUri } });
    const protocolLine = positionOf(mistakes, 'protocol "Pd').line;
    assert.ok(folds.some((fold) => fold.startLine === protocolLine), 'the protocol block folds');
    assert.ok(folds.some((fold) => fold.kind === 'comment' && fold.startLine === 0), 'the header comment folds');

    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: mistakesUri } });
    assert.equal(tokens.data.length % 5, 0);
    const legend = client.initializeResult.capabilities.semanticTokensProvider!.legend.tokenTypes;
    const decoded: { line: number; character: number; length: number; type: string }[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      character = tokens.data[i] === 0 ? character + tokens.data[i + 1] : tokens.data[i + 1];
      decoded.push({ line, character, length: tokens.data[i + 2], type: legend[tokens.data[i + 3]] });
    }
    const anc = positionOf(mistakes, 'ANC < 400');
    assert.deepEqual(decoded.find((token) => token.line === anc.line && token.character === anc.character), { ...anc, length: 3, type: 'property' });
  });

  it('formats idempotently and keeps comments', async () => {
    const uri = scratchUri();
    const messy = 'protocol "f" {   // the header comment\n    drug   pomalidomide\n indication multiple_myeloma\n\n\n\n  /* block\n     comment */\n      rule r:when ANC<500 /uL then hold   // trailing\n test "t" {given ANC = 400 /uL expect hold}\n}';
    await client.open(uri, messy);
    const options = { tabSize: 2, insertSpaces: true };
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
    const once = applyEdits(messy, edits);
    assert.equal(once, 'protocol "f" {   // the header comment\n  drug pomalidomide\n  indication multiple_myeloma\n\n  /* block\n     comment */\n  rule r: when ANC < 500 /uL then hold   // trailing\n  test "t" { given ANC = 400 /uL expect hold }\n}\n');
    await client.change(uri, [{ text: once }]);
    const again = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
    assert.deepEqual(again, [], 'formatting twice equals formatting once');
  });

  it('offers the findings\' fixes as code actions that re-check clean', async () => {
    const uri = scratchUri();
    let text = read(MISTAKES);
    await client.open(uri, text);
    await client.diagnostics(uri, (p) => p.version === 1);
    const fix = async (code: string, title: RegExp) => {
      const params = await client.diagnostics(uri, (p) => p.version === client.version(uri));
      const diagnostic = params.diagnostics.find((d: Diagnostic) => d.code === code);
      assert.ok(diagnostic, `${code} is reported`);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
      const action = actions.find((item) => title.test(item.title));
      assert.ok(action, `a fix titled ${title} among ${actions.map((item) => item.title).join('; ')}`);
      assert.equal(action.kind, 'quickfix');
      assert.deepEqual(action.diagnostics?.map((d) => d.code), [code]);
      const change = action.edit!.documentChanges![0] as { edits: TextEdit[]; textDocument: { version: number } };
      text = applyEdits(text, change.edits);
      const version = await client.change(uri, [{ text }]);
      const after = await client.diagnostics(uri, (p) => p.version === version);
      assert.ok(!codes(after).includes(code), `${code} is gone after the fix: ${codes(after).join(', ')}`);
    };
    await fix('POS3001', /Set the start dose to the label's 4 mg/);
    await fix('POS3008', /Add 'with dexamethasone'/);
    await fix('POS3004', /Set the threshold to the label's/);
    assert.match(text, /with dexamethasone 40 mg/);
    assert.match(text, /rule anc: when ANC < 500 \/uL or febrile_neutropenia then hold/);
  });

  it('offers a counterexample as a test', async () => {
    const params = await client.diagnostics(mistakesUri, (p) => p.version === 1 && codes(p).includes('POS4001'));
    const diagnostic = params.diagnostics.find((d) => d.code === 'POS4001')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: mistakesUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const add = actions.find((action) => action.title === 'Add as test');
    assert.ok(add, `an "Add as test" action among ${actions.map((action) => action.title).join('; ')}`);
    const change = add.edit!.documentChanges![0] as { edits: TextEdit[] };
    assert.match(change.edits[0].newText, /test "[^"]*" \{[\s\S]*expect/);
  });

  it('puts Run test lenses over tests and runs them in the server', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: mistakesUri } });
    const all = lenses.find((lens) => lens.command?.title.startsWith('▶ Run all tests'));
    assert.ok(all);
    assert.equal(all.command!.command, 'posology.runTests');
    assert.deepEqual(all.command!.arguments, [{ uri: mistakesUri, protocolIndex: 0 }]);
    const one = lenses.filter((lens) => lens.command?.title === '▶ Run test');
    assert.equal(one.length, 3);

    type Run = { protocols: { title: string; tests: { title: string; passed?: boolean; expected?: string; actual?: string; decidedBy?: string; expectRange: unknown }[] }[] };
    const run = await client.request<Run>('posology/runTests', { uri: mistakesUri, protocolIndex: 0 });
    const tests = run.protocols[0].tests;
    assert.equal(tests.length, 3);
    const failed = tests.find((test) => test.title === 'ANC 450 /uL is held')!;
    assert.equal(failed.passed, false);
    assert.equal(failed.expected, 'hold');
    assert.equal(failed.actual, 'dose 5 mg');
    assert.equal(failed.decidedBy, 'start dose');
    const expectAt = mistakes.indexOf('expect hold', mistakes.indexOf('test "ANC 450'));
    assert.deepEqual(failed.expectRange, { start: positionAt(mistakes, expectAt), end: positionAt(mistakes, expectAt + 'expect hold'.length) });
    const single = await client.request<Run>('posology/runTests', { uri: mistakesUri, protocolIndex: 0, testTitle: 'pregnancy' });
    assert.deepEqual(single.protocols[0].tests.map((test) => [test.title, test.passed]), [['pregnancy', true]]);
    const listed = await client.request<Run>('posology/listTests', { uri: uriOf(GOOD) });
    assert.ok(listed.protocols[0].tests.length > 20, 'tests are discovered per file');
  });

  it('honours $/cancelRequest on verification and answers hover meanwhile', async () => {
    const uri = scratchUri();
    await client.open(uri, mistakes);
    // Cancelling the token makes vscode-jsonrpc send `$/cancelRequest` with the request's id.
    const source = new CancellationTokenSource();
    const verification = client.connection.sendRequest('posology/verify', { uri }, source.token).then(
      () => ({ code: 0 }),
      (error: { code?: number }) => ({ code: error.code }),
    );
    const hover = client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(mistakes, 'drug pomalidomide', 6) });
    source.cancel();
    assert.match(hoverText(await hover), /Pomalidomide/);
    assert.deepEqual(await verification, { code: -32800 }, 'the request ends with RequestCancelled');
    // The server is still there and still verifies on request.
    const result = await client.request<{ available: boolean; protocols: { status: string; counterexamples: number }[] }>('posology/verify', { uri: mistakesUri });
    assert.equal(result.available, true);
    assert.equal(result.protocols[0].status, 'counterexamples');
  });

  it('never publishes diagnostics for an older version after a newer change', async () => {
    const uri = scratchUri();
    let text = protocol('  start 5 mg oral once daily days 1-21 cycle 28 days');
    await client.open(uri, text);
    await client.diagnostics(uri, (p) => p.version === 1);
    const seenBefore = client.published.length;
    let version = 1;
    for (let i = 0; i < 6; i++) {
      text = text.replace(/start \d mg/, `start ${i % 2 === 0 ? 4 : 5} mg`);
      version = await client.change(uri, [{ range: rangeOf(text, 'start'), text: 'start' }, { text }]);
    }
    const last = await client.diagnostics(uri, (p) => p.version === version);
    assert.ok(codes(last).includes('POS3001'), 'the last text (5 mg) is above the label');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const afterLast = client.published.slice(seenBefore).filter((p) => p.uri === uri);
    const positions = afterLast.map((p) => p.version ?? 0);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `versions only increase: ${positions.join(', ')}`);
    assert.ok(afterLast.every((p) => p.version === version || p.version! < version));
    assert.equal(afterLast[afterLast.length - 1].version, version);
  });

  it('re-checks open protocols when their label changes', async () => {
    const labelUri = uriOf('labels/pomalidomide.dose');
    const label = read('labels/pomalidomide.dose');
    const uri = scratchUri();
    await client.open(uri, protocol('  start 4 mg oral once daily days 1-21 cycle 28 days\n  with dexamethasone 40 mg'));
    const before = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(!codes(before).includes('POS3001'));
    await client.open(labelUri, label);
    await client.change(labelUri, [{ range: rangeOf(label, 'dose 4 mg oral'), text: 'dose 3 mg oral' }]);
    const after = await client.diagnostics(uri, (p) => codes(p).includes('POS3001'));
    assert.match(messageOf(after.diagnostics.find((d) => d.code === 'POS3001')!), /label dose of 3 mg/);
    await client.close(labelUri);
    await client.diagnostics(uri, (p) => !codes(p).includes('POS3001') && p.diagnostics.length < before.diagnostics.length + 5);
  });

  it('survives broken input and keeps answering', async () => {
    const uri = scratchUri();
    await client.open(uri, 'protocol { rule : when ((((( then \u0000 "unterminated\n label');
    const params = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(params.diagnostics.length > 0);
    for (let line = 0; line < 2; line++) {
      for (let character = 0; character < 30; character += 3) {
        await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
        await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
      }
    }
    await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: mistakesUri }, position: positionOf(mistakes, 'drug pomalidomide', 6) });
    assert.match(hoverText(hover), /Pomalidomide/);
  });
});

describe('language server lifecycle', function () {
  this.timeout(10000);

  it('shuts down and exits with code 0', async () => {
    const client = await LspClient.start();
    assert.equal(await client.stop(), 0);
  });
});
