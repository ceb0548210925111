// The workspace boundary over LSP: the server never reads a file outside the
// workspace folders. A symlink (a label file, the labels/ folder itself, a
// protocol) or a `..` that leads outside is refused with a diagnostic on the
// link, and what lies behind it is never checked or shown. A file over 5 MB
// gets one diagnostic, open or on disk, and no parse.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../helpers/lsp-client.js';
import { codesOf, fileUri, messageOf, pdProtocol, pomalidomideLabel, removeWorkspaces, startIn, tempWorkspace, timed } from '../helpers/lsp-workspace.js';

const label = pomalidomideLabel();
const protocol = pdProtocol();
/** A label that only exists outside the workspace. */
const secretLabel = 'label secretdrug "A label outside the workspace" {\n  fact ANC "ANC": quantity /uL normal 4000 /uL\n}\n';
const usesSecret = 'protocol "uses the outside label" {\n  drug secretdrug\n  indication x\n  start 1 mg oral once daily days 1-21 cycle 28 days\n}\n';
/** A protocol outside the workspace with an error only visible if it is read. */
const secretProtocol = protocol.replace('start 4 mg', 'start 5 mg');

describe('lsp: workspace boundary', function () {
  this.timeout(30000);
  let client: LspClient | undefined;

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });
  after(removeWorkspaces);

  it('refuses a label file that links outside the workspace, with POS1006 on the link', async () => {
    const outside = tempWorkspace({ 'secret.dose': secretLabel }, 'posology-outside-');
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': usesSecret });
    fs.symlinkSync(path.join(outside, 'secret.dose'), path.join(dir, 'labels', 'secret.dose'));
    client = await startIn(dir);
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, usesSecret);
    const params = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(codesOf(params).includes('POS2001'), `the outside label is not read: ${codesOf(params).join(', ')}`);
    const link = await client.diagnostics(fileUri(path.join(dir, 'labels', 'secret.dose')), (p) => p.diagnostics.length > 0);
    assert.deepEqual(codesOf(link), ['POS1006']);
    assert.match(messageOf(link.diagnostics[0]), /This file leads outside the workspace \(.*\); Posology does not read it/);
    assert.ok(!client.published.some((p) => p.uri.startsWith(fileUri(outside))), 'nothing is published for files outside');
  });

  it('refuses a labels/ folder that is a `..` symlink out of the workspace', async () => {
    const outside = tempWorkspace({ 'labels/secret.dose': secretLabel }, 'posology-outside-');
    const dir = tempWorkspace({ 'p.dose': usesSecret });
    fs.symlinkSync(path.join('..', path.basename(outside), 'labels'), path.join(dir, 'labels'));
    assert.ok(fs.statSync(path.join(dir, 'labels', 'secret.dose')).isFile(), 'the relative link resolves');
    client = await startIn(dir);
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, usesSecret);
    const params = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(codesOf(params).includes('POS2001'), `the outside labels are not read: ${codesOf(params).join(', ')}`);
    await client.diagnostics(fileUri(path.join(dir, 'labels')), (p) => codesOf(p).includes('POS1006'));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 9 } });
    assert.doesNotMatch(JSON.stringify(hover), /A label outside the workspace/);
  });

  it('refuses a protocol that links outside, even when the editor reports it changed', async () => {
    const outside = tempWorkspace({ 'p.dose': secretProtocol }, 'posology-outside-');
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label });
    const link = path.join(dir, 'linked.dose');
    fs.symlinkSync(path.join(outside, 'p.dose'), link);
    client = await startIn(dir);
    const refused = await client.diagnostics(fileUri(link), (p) => p.diagnostics.length > 0);
    assert.deepEqual(codesOf(refused), ['POS1006']);
    // A file watcher may report the link as changed: still refused, never checked.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(link), type: 2 }] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = client.published.filter((p) => p.uri === fileUri(link));
    assert.ok(seen.length > 0);
    for (const params of seen) assert.ok(!codesOf(params).includes('POS3001'), `the outside protocol was read: ${codesOf(params).join(', ')}`);
    assert.deepEqual(codesOf(seen[seen.length - 1]), ['POS1006']);
  });

  it('gives a file over 5 MB on disk one diagnostic, without reading it', async () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'huge.dose': `// ${'x'.repeat(5 * 1024 * 1024 + 10)}\n` });
    client = await startIn(dir);
    const params = await client.diagnostics(fileUri(path.join(dir, 'huge.dose')), (p) => p.diagnostics.length > 0);
    assert.deepEqual(codesOf(params), ['POS1005']);
    assert.match(messageOf(params.diagnostics[0]), /This file is 5\.0 MB; Posology checks files up to 5 MB/);
    assert.deepEqual(params.diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('gives an open document over 5 MB one diagnostic and keeps answering', async () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label });
    client = await startIn(dir);
    const uri = fileUri(path.join(dir, 'big.dose'));
    const text = `${protocol}\n// ${'y'.repeat(5 * 1024 * 1024)}\n`;
    await client.open(uri, text);
    const params = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(codesOf(params), ['POS1005']);
    const { ms } = await timed(() => client!.request('textDocument/hover', { textDocument: { uri }, position: { line: 14, character: 9 } }));
    assert.ok(ms < 1000, `hover on the big document took ${ms.toFixed(0)} ms`);
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols, [], 'the big document is not parsed');
  });

  it('still checks a file the editor opened outside the workspace against the labels/ folder next to it', async () => {
    const outside = tempWorkspace({ 'labels/pomalidomide.dose': label, 'protocols/p.dose': secretProtocol }, 'posology-outside-');
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label });
    client = await startIn(dir);
    const uri = fileUri(path.join(outside, 'protocols', 'p.dose'));
    await client.open(uri, secretProtocol);
    const params = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(codesOf(params).includes('POS3001'), `the start dose is checked against the label next to it: ${codesOf(params).join(', ')}`);
  });

  it('never reads a file outside the workspace by a `..` in a request', async () => {
    const outside = tempWorkspace({ 'p.dose': secretProtocol, 'labels/pomalidomide.dose': label }, 'posology-outside-');
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label });
    const sneaky = `${fileUri(dir)}/../${path.basename(outside)}/p.dose`;
    client = await startIn(dir);
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: sneaky } });
    assert.deepEqual(symbols, [], 'a closed file outside the workspace is not read');
    const lenses = await client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri: sneaky } });
    assert.deepEqual(lenses, []);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(!client.published.some((p) => p.uri.includes(path.basename(outside))), 'nothing published for the outside file');
  });
});
