// The spawned server survives whatever the editor sends: a stream of malformed
// and huge edits (random bytes, random ranges, a 1 MB line, 100,000 nested
// parentheses, NUL bytes, lone surrogates, bursts of keystrokes), malformed
// notifications, and requests whose params make a feature throw. At the end it
// is alive, publishes the diagnostics of the last version, and answers hover
// within 50 ms (measured from request to response). An exception inside a
// feature or custom-request handler is logged (window/logMessage) and answered
// with an InternalError response: the server wraps every handler in
// `requestHandler` (protocol/dispatch.ts), and this file proves it from the outside.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol/node';
import { LspClient, positionOf } from '../helpers/lsp-client.js';
import { codesOf, fileUri, pdProtocol, pomalidomideLabel, quickSettings, removeWorkspaces, settle, sleep, startIn, tempWorkspace, timed } from '../helpers/lsp-workspace.js';
import { random } from '../../bench/generate.js';

const HOVER_BOUND_MS = 50;
const protocol = pdProtocol();
const hoverText = (hover: Hover | null): string => (hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '');


describe('lsp: the server survives', function () {
  this.timeout(60000);
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = tempWorkspace({ 'labels/pomalidomide.dose': pomalidomideLabel() });
    client = await startIn(dir, quickSettings({ verification: { delayMs: 30, timeBudgetMs: 500 } }));
  });

  after(async () => {
    await client?.stop();
    removeWorkspaces();
  });

  function alive(): void {
    assert.equal(client.process.exitCode, null, `the server exited:\n${client.logs.join('')}`);
    assert.equal(client.process.signalCode, null);
  }

  async function hoverWithin(uri: string, text: string, needle: string, delta: number, bound = HOVER_BOUND_MS): Promise<string> {
    const { value, ms } = await timed(() => client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, delta) }));
    assert.ok(ms < bound, `hover took ${ms.toFixed(1)} ms (bound ${bound} ms)`);
    return hoverText(value);
  }

  it('takes a stream of malformed and huge edits, then answers hover within 50 ms and publishes the last version', async () => {
    const uri = fileUri(path.join(dir, 'stream.dose'));
    const next = random(20261122);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    await client.open(uri, protocol);
    /** Lets the server check this version (and answer a hover somewhere in it) before the next edit. */
    const settleOn = async (version: number) => {
      await client.diagnostics(uri, (params) => params.version === version, 20000);
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: Math.floor(next() * 40), character: Math.floor(next() * 60) } });
    };

    // Random bytes, as a binary file would arrive.
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 3000) }, () => Math.floor(next() * 256)));
      const version = await client.change(uri, [{ text: bytes.toString('latin1') }]);
      if (i % 4 === 0) await settleOn(version);
    }
    // Random incremental edits, some with ranges far outside the document or reversed.
    await client.change(uri, [{ text: protocol }]);
    const pieces = ['', '(', ')', '{', '}', '"', 'rule x: when ', 'ANC < ', '500 /uL', '\u0000', '\ud800', '\r', '\r\n', '\n', 'then hold', 'label', 'protocol', '\ufeff', 'é'];
    for (let i = 0; i < 300; i++) {
      const line = Math.floor(next() * 120) - (next() < 0.05 ? 1000 : 0);
      const character = Math.floor(next() * 80) + (next() < 0.05 ? 100000 : 0);
      const end = next() < 0.1 ? { line: line - 3, character: 0 } : { line: line + Math.floor(next() * 3), character: Math.floor(next() * 40) };
      const version = await client.change(uri, [{ range: { start: { line, character }, end }, text: pick(pieces) }]);
      if (i % 50 === 0) await settleOn(version);
    }
    // Pathological whole documents.
    const huge = [
      `protocol "p" { ${'rule r: when dialysis then hold '.repeat(34000)} }`,
      `protocol "p" { drug pomalidomide indication multiple_myeloma rule r: when ${'('.repeat(100000)}ANC < 500 /uL${')'.repeat(100000)} then hold }`,
      `protocol { rule r: when ${'('.repeat(100000)}`,
      `protocol { rule r: when ${'not '.repeat(100000)}dialysis then hold }`,
      protocol.replace(/ /g, '\u0000'),
      protocol.replace(/e/g, '\ud800'),
      protocol.replace(/\n/g, '\r'),
      `\ufeff${protocol.replace(/\n/g, '\r\n')}`,
      'protocol {}\n'.repeat(10000),
      '',
    ];
    for (const text of huge) await settleOn(await client.change(uri, [{ text }]));
    // A burst of keystrokes without waiting for anything: type the protocol again.
    await client.change(uri, [{ text: '' }]);
    const typed = protocol.slice(0, 1500);
    const burst: Promise<number>[] = [];
    for (let i = 0; i < typed.length; i += 3) {
      const before = typed.slice(0, i);
      const lines = before.split('\n');
      burst.push(client.change(uri, [{ range: { start: { line: lines.length - 1, character: lines[lines.length - 1].length }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, text: typed.slice(i, i + 3) }]));
    }
    await Promise.all(burst);
    // Malformed notifications in between: each must be shrugged off.
    const notify = (method: string, params: unknown) => client.connection.sendNotification(method, params);
    await notify('textDocument/didChange', { textDocument: { uri: fileUri(path.join(dir, 'never-opened.dose')), version: 3 }, contentChanges: [{ text: 'protocol {' }] });
    await notify('textDocument/didChange', { textDocument: { uri, version: 1 }, contentChanges: [{ text: 'an older version' }] });
    await notify('textDocument/didChange', { textDocument: { uri }, contentChanges: null });
    await notify('textDocument/didChange', {});
    await notify('textDocument/didOpen', { textDocument: { uri: fileUri(path.join(dir, 'odd.dose')), languageId: 'dose', version: 1, text: 42 } });
    await notify('textDocument/didClose', { textDocument: { uri: fileUri(path.join(dir, 'never-opened-either.dose')) } });
    await notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///', type: 1 }, { uri: 'not a uri', type: 3 }] });
    await notify('workspace/didChangeConfiguration', { settings: { posology: { diagnostics: { delayMs: 'soon' }, verification: null } } });
    await notify('posology/nonsense', { what: 'ever' });
    // A message that is not JSON at all, framed correctly.
    const garbage = '{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {';
    client.process.stdin!.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);

    // The last version: the real protocol.
    const version = await client.change(uri, [{ text: protocol }]);
    const first = await timed(() => client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(protocol, 'drug pomalidomide', 6) }));
    assert.match(hoverText(first.value), /Pomalidomide/, client.logs.join("").slice(0, 3000));
    assert.ok(first.ms < 2000, `the first hover after the stream took ${first.ms.toFixed(0)} ms`);

    const last = await client.diagnostics(uri, (params) => params.version === version, 20000);
    assert.deepEqual(codesOf(last), [], 'the last version is the clean example');
    for (let i = 0; i < 5; i++) {
      assert.match(await hoverWithin(uri, protocol, 'drug pomalidomide', 6), /Pomalidomide/);
      assert.match(await hoverWithin(uri, protocol, '0.4 10*9/L', 1), /400 \/uL/);
    }
    alive();
    // Nothing published for a version older than the last one after it.
    const afterLast = client.published.slice(client.published.indexOf(last)).filter((params) => params.uri === uri);
    assert.ok(afterLast.every((params) => params.version === version), `versions after the last: ${afterLast.map((params) => params.version).join(', ')}`);
  });

  it('logs an exception inside a handler and answers it with an InternalError response, then keeps running', async () => {
    const uri = fileUri(path.join(dir, 'features.dose'));
    await client.open(uri, protocol);
    await client.diagnostics(uri, (params) => params.version === 1);
    const logsBefore = client.logs.length;
    const document = { textDocument: { uri } };
    // Params that make each handler throw inside the dispatch wrapper.
    const cases: [string, string, unknown][] = [
      ['hover', 'textDocument/hover', {}],
      ['hover', 'textDocument/hover', { ...document, position: null }],
      ['completion', 'textDocument/completion', { ...document, position: null }],
      ['definition', 'textDocument/definition', { ...document, position: null }],
      ['documentSymbol', 'textDocument/documentSymbol', {}],
      ['foldingRange', 'textDocument/foldingRange', { textDocument: null }],
      ['semanticTokens', 'textDocument/semanticTokens/full', {}],
      ['formatting', 'textDocument/formatting', document],
      ['rangeFormatting', 'textDocument/rangeFormatting', { ...document, range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } } }],
      ['codeAction', 'textDocument/codeAction', { ...document, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } }],
      ['codeLens', 'textDocument/codeLens', {}],
      ['runTests', 'posology/runTests', { uri: 42 }],
      ['listTests', 'posology/listTests', null],
      ['verify', 'posology/verify', null],
    ];
    for (const [name, method, params] of cases) {
      const answer = await settle(client.request(method, params));
      assert.ok(!answer.ok, `${method} answered ${JSON.stringify(answer)}, not an error`);
      assert.equal(answer.code, -32603, `${method} answers InternalError`);
      assert.match(answer.message, new RegExp(`^Posology: ${name} failed: `), method);
      // The next request is answered.
      assert.match(await hoverWithin(uri, protocol, 'drug pomalidomide', 6), /Pomalidomide/, `a hover after ${method}`);
    }
    await sleep(50);
    const logged = client.logs.slice(logsBefore).join('\n');
    for (const [name] of cases) assert.match(logged, new RegExp(`${name} failed: TypeError`), `the ${name} exception is logged`);
    assert.match(logged, /hover failed: TypeError[^\n]*\n\s+at /, 'with its stack');
    const unknown = await settle(client.request('posology/nonsense', {}));
    assert.ok(!unknown.ok && unknown.code === -32601, 'an unknown method is MethodNotFound');
    // Positions far outside the document are clamped, not errors.
    for (const position of [{ line: 1e9, character: 1e9 }, { line: -5, character: -5 }, { line: 3, character: 1e9 }]) {
      const hover = await settle(client.request('textDocument/hover', { ...document, position }));
      assert.ok(hover.ok);
      const completion = await settle(client.request('textDocument/completion', { ...document, position }));
      assert.ok(completion.ok && Array.isArray(completion.value));
      const definition = await settle(client.request('textDocument/definition', { ...document, position }));
      assert.ok(definition.ok && Array.isArray(definition.value));
    }
    alive();
    assert.match(await hoverWithin(uri, protocol, 'drug pomalidomide', 6), /Pomalidomide/);
  });
});
