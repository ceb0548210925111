// Label trouble, on both faces: a missing label, two labels with the same name,
// a label with syntax errors, a label whose numbers have no unit, a label file
// that cannot be read (a dangling symlink in labels/), a circular reference
// (the language has no includes, so the only cycles are symlink loops). Each is a clear
// diagnostic on the right file (the label's own problems on the label, the
// consequence on the protocol), and verification against a broken label is
// withheld with a message, never guessed.
//
// (The command-line half lives here, next to the server half, so that the two
// faces are held to the same cases.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { posology } from '../helpers/cli.js';
import { LspClient, positionOf } from '../helpers/lsp-client.js';
import { codesOf, fileUri, messageOf, pdProtocol, pomalidomideLabel, quickSettings, removeWorkspaces, startIn, tempWorkspace } from '../helpers/lsp-workspace.js';

const label = pomalidomideLabel();
const protocol = pdProtocol();

/** The label with a syntax error: the colon after a fact's title is missing. */
const labelWithSyntaxError = label.replace('fact ANC "Absolute neutrophil count": quantity', 'fact ANC "Absolute neutrophil count" quantity');
/** The label with a threshold that has no unit. */
const labelWithoutUnit = label.replace('hold when ANC < 500 /uL or febrile_neutropenia', 'hold when ANC < 500 or febrile_neutropenia');
/** A second label that calls itself pomalidomide. */
const impostor = 'label pomalidomide "An impostor" {\n  fact x "X": boolean\n}\n';
const unknownDrug = protocol.replace('drug pomalidomide', 'drug lenalidomide');

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `'${needle}' is not in the text`);
  return text.slice(0, index).split('\n').length;
}

describe('label trouble: command line', function () {
  this.timeout(30000);
  after(removeWorkspaces);

  it('a missing label: POS2001 on the protocol\'s drug line, exit 1', () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': unknownDrug });
    const run = posology(['check', 'p.dose'], dir);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`p\\.dose:${lineOf(unknownDrug, 'drug lenalidomide')}:\\d+: error POS2001: No label defines the drug 'lenalidomide'`));
  });

  // `check p.dose` reports on p.dose (its finding names the label file); `check .`
  // also reports the label's own findings, on the label file.
  it('two labels with the same name: POS2011 on the protocol naming both, and on each label, exit 1', () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'labels/impostor.dose': impostor, 'p.dose': protocol });
    const one = posology(['check', 'p.dose'], dir);
    assert.equal(one.status, 1, one.stdout + one.stderr);
    assert.match(one.stdout, new RegExp(`p\\.dose:${lineOf(protocol, 'drug pomalidomide')}:\\d+: error POS2011: Two labels are named 'pomalidomide'; Posology cannot tell which one this protocol means`));
    assert.match(one.stdout, /= label pomalidomide \(labels\/impostor\.dose:1\)\n\s+= label pomalidomide \(labels\/pomalidomide\.dose:\d+\)/);
    assert.doesNotMatch(one.stdout, /POS3\d{3}|POS5001/, 'nothing is judged against an ambiguous label');
    const all = posology(['check', '.'], dir);
    assert.equal(all.status, 1);
    assert.match(all.stdout, /labels\/pomalidomide\.dose:\d+:7: error POS2011: Two labels are named 'pomalidomide'/);
    assert.match(all.stdout, /labels\/impostor\.dose:1:7: error POS2011: Two labels are named 'pomalidomide'/);
  });

  it('a label with a syntax error: POS2012 on the protocol naming the label, POS1001 on the label line, exit 1', () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': labelWithSyntaxError, 'p.dose': protocol });
    const one = posology(['check', 'p.dose'], dir);
    assert.equal(one.status, 1, one.stdout + one.stderr);
    assert.match(one.stdout, /p\.dose:\d+:8: error POS2012: The pomalidomide label has 1 error\(s\) of its own; checks and tests against it are withheld until it is fixed\n[\s\S]*= label pomalidomide \(labels\/pomalidomide\.dose:\d+\)/);
    const firstError = new RegExp(`= its first error: Expected ':', found 'quantity' \\(labels/pomalidomide\\.dose:${lineOf(labelWithSyntaxError, 'fact ANC')}\\)`);
    assert.match(one.stdout, firstError, 'checking the protocol alone shows what to fix in the label');
    assert.doesNotMatch(one.stdout, /POS3\d{3}|POS5001/);
    const all = posology(['check', '.'], dir);
    assert.equal(all.status, 1);
    assert.match(all.stdout, new RegExp(`labels/pomalidomide\\.dose:${lineOf(labelWithSyntaxError, 'fact ANC')}:\\d+: error POS1001`));
  });

  it('a label number without a unit: POS2007 on the label line, POS2012 on the protocol, exit 1', () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': labelWithoutUnit, 'p.dose': protocol });
    const run = posology(['check', '.'], dir);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`labels/pomalidomide\\.dose:${lineOf(labelWithoutUnit, 'hold when ANC < 500 or')}:\\d+: error POS2007: ANC 500 needs a unit \\(for example /uL\\)`));
    assert.match(run.stdout, /p\.dose:\d+:8: error POS2012/);
  });

  it('verification against a broken label is withheld with a message, never "verified"', () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': labelWithoutUnit, 'p.dose': protocol });
    for (const args of [['verify', 'p.dose'], ['check', 'p.dose', '--verify']]) {
      const run = posology(args, dir);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /POS2012: The pomalidomide label has 1 error\(s\) of its own; checks and tests against it are withheld until it is fixed/);
      assert.doesNotMatch(run.stdout, /verified|POS4\d{3}/);
    }
  });

  it('an unreadable label file (a dangling symlink in labels/): exit 2 naming the file, no stack trace', () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    fs.symlinkSync(path.join(dir, 'nowhere', 'gone.dose'), path.join(dir, 'labels', 'ghost.dose'));
    const run = posology(['check', 'p.dose'], dir);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /^posology: cannot read .*labels\/ghost\.dose: no such file$/m);
    assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at .+:\d+:\d+/);
  });

  it('a circular reference (labels/ links back to itself, twice; a link to itself): no hang, each label read once', () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    fs.symlinkSync('.', path.join(dir, 'labels', 'again'));
    fs.symlinkSync('.', path.join(dir, 'labels', 'twice'));
    fs.symlinkSync('loop.dose', path.join(dir, 'labels', 'loop.dose'));
    const started = performance.now();
    const run = posology(['check', 'p.dose'], dir);
    assert.ok(performance.now() - started < 10000, 'no hang');
    // The link that loops onto itself cannot be read (exit 2); the folder loops are walked once.
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /^posology: cannot read .*labels\/loop\.dose: it is a loop of symlinks$/m);
    fs.unlinkSync(path.join(dir, 'labels', 'loop.dose'));
    const clean = posology(['check', '.'], dir);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /^2 files checked: 0 errors/m);
  });
});

describe('label trouble: language server', function () {
  this.timeout(30000);
  let client: LspClient | undefined;

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });
  after(removeWorkspaces);

  /** A workspace with `files`, the server started on it, and p.dose opened. */
  async function openProtocol(files: Record<string, string>, text = protocol): Promise<{ dir: string; uri: string; first: PublishDiagnosticsParams }> {
    const dir = tempWorkspace({ ...files, 'p.dose': text });
    client = await startIn(dir, quickSettings({ verification: { delayMs: 20 } }));
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, text);
    const first = await client.diagnostics(uri, (params) => params.version === 1);
    return { dir, uri, first };
  }

  it('a missing label: POS2001 on the drug, with nothing else judged', async () => {
    const { first } = await openProtocol({ 'labels/pomalidomide.dose': label }, unknownDrug);
    const missing = first.diagnostics.find((diagnostic) => diagnostic.code === 'POS2001');
    assert.ok(missing, `POS2001 among ${codesOf(first).join(', ')}`);
    assert.equal(missing.range.start.line, lineOf(unknownDrug, 'drug lenalidomide') - 1);
    assert.match(messageOf(missing), /No label defines the drug 'lenalidomide'/);
  });

  it('two labels with the same name: POS2011 on each label file and on the protocol', async () => {
    const { dir, first } = await openProtocol({ 'labels/pomalidomide.dose': label, 'labels/impostor.dose': impostor });
    assert.ok(codesOf(first).includes('POS2011'), codesOf(first).join(', '));
    const onImpostor = await client!.diagnostics(fileUri(path.join(dir, 'labels', 'impostor.dose')), (params) => codesOf(params).includes('POS2011'));
    assert.deepEqual(onImpostor.diagnostics.find((diagnostic) => diagnostic.code === 'POS2011')!.range.start, { line: 0, character: 6 });
    await client!.diagnostics(fileUri(path.join(dir, 'labels', 'pomalidomide.dose')), (params) => codesOf(params).includes('POS2011'));
    const hover = await client!.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: fileUri(path.join(dir, 'p.dose')) }, position: positionOf(protocol, 'drug pomalidomide', 6) });
    assert.match(hover?.contents.value ?? '', /^Two labels are named 'pomalidomide'; Posology cannot tell which one this protocol means: `impostor\.dose`, `pomalidomide\.dose`\.$/);
  });

  it('a label with a syntax error: POS1001 on the label file, POS2012 on the protocol, verification withheld with a message', async () => {
    const { dir, uri, first } = await openProtocol({ 'labels/pomalidomide.dose': labelWithSyntaxError });
    const withheld = first.diagnostics.find((diagnostic) => diagnostic.code === 'POS2012');
    assert.ok(withheld, codesOf(first).join(', '));
    assert.match(messageOf(withheld), /The pomalidomide label has 1 error\(s\) of its own; checks and tests against it are withheld/);
    const related = withheld.relatedInformation?.find((info) => info.message.startsWith('its first error'));
    assert.match(related?.message ?? '', /^its first error: Expected ':', found 'quantity'$/);
    assert.equal(related?.location.range.start.line, lineOf(labelWithSyntaxError, 'fact ANC') - 1);
    assert.ok(!codesOf(first).some((code) => /^POS[35]/.test(code)), `nothing judged: ${codesOf(first).join(', ')}`);
    const onLabel = await client!.diagnostics(fileUri(path.join(dir, 'labels', 'pomalidomide.dose')), (params) => codesOf(params).includes('POS1001'));
    assert.equal(onLabel.diagnostics.find((diagnostic) => diagnostic.code === 'POS1001')!.range.start.line, lineOf(labelWithSyntaxError, 'fact ANC') - 1);
    const result = await client!.request<{ protocols: { status: string; reason?: string }[] }>('posology/verify', { uri });
    assert.equal(result.protocols[0].status, 'withheld');
    assert.match(result.protocols[0].reason ?? '', /the pomalidomide label has 1 error\(s\) of its own; verification against it is withheld/);
  });

  it('a label number without a unit: POS2007 on the label line, POS2012 on the protocol, no counterexample', async () => {
    const { dir, uri, first } = await openProtocol({ 'labels/pomalidomide.dose': labelWithoutUnit });
    assert.ok(codesOf(first).includes('POS2012'), codesOf(first).join(', '));
    const onLabel = await client!.diagnostics(fileUri(path.join(dir, 'labels', 'pomalidomide.dose')), (params) => codesOf(params).includes('POS2007'));
    const unit = onLabel.diagnostics.find((diagnostic) => diagnostic.code === 'POS2007')!;
    assert.equal(unit.range.start.line, lineOf(labelWithoutUnit, 'hold when ANC < 500 or') - 1);
    assert.match(messageOf(unit), /ANC 500 needs a unit \(for example \/uL\)/);
    const result = await client!.request<{ protocols: { status: string }[] }>('posology/verify', { uri });
    assert.equal(result.protocols[0].status, 'withheld');
    // The background verification publishes nothing beyond the withheld check.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(!client!.published.filter((params) => params.uri === uri).some((params) => codesOf(params).some((code) => code.startsWith('POS4'))));
  });

  it('an unreadable label file (a dangling symlink in labels/): a diagnostic on the link, and the other labels still work', async () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label });
    fs.symlinkSync(path.join(dir, 'nowhere', 'gone.dose'), path.join(dir, 'labels', 'ghost.dose'));
    fs.writeFileSync(path.join(dir, 'p.dose'), protocol);
    client = await startIn(dir);
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, protocol);
    const clean = await client.diagnostics(uri, (params) => params.version === 1);
    assert.deepEqual(codesOf(clean), [], 'the readable label is used');
    const ghost = await client.diagnostics(fileUri(path.join(dir, 'labels', 'ghost.dose')), (params) => params.diagnostics.length > 0);
    assert.deepEqual(codesOf(ghost), ['POS1007']);
    assert.match(messageOf(ghost.diagnostics[0]), /^Posology cannot read this file \(it links to .*nowhere\/gone\.dose, which does not exist\)$/);
  });

  it('a circular reference (labels/ links back to itself, twice; a link to itself): no hang, each label once, one diagnostic on the loop', async () => {
    const dir = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol });
    fs.symlinkSync('.', path.join(dir, 'labels', 'again'));
    fs.symlinkSync('.', path.join(dir, 'labels', 'twice'));
    fs.symlinkSync('loop.dose', path.join(dir, 'labels', 'loop.dose'));
    client = await startIn(dir);
    const uri = fileUri(path.join(dir, 'p.dose'));
    await client.open(uri, protocol);
    const clean = await client.diagnostics(uri, (params) => params.version === 1, 10000);
    assert.deepEqual(codesOf(clean), [], 'the label is seen once: no POS2011');
    const loop = await client.diagnostics(fileUri(path.join(dir, 'labels', 'loop.dose')), (params) => params.diagnostics.length > 0);
    assert.deepEqual(codesOf(loop), ['POS1007']);
    assert.match(messageOf(loop.diagnostics[0]), /^Posology cannot read this file \(it is a loop of symlinks\)$/);
    assert.ok(!client.published.some((params) => params.uri.includes('/again/') || params.uri.includes('/twice/')), 'nothing is listed twice through the loops');
  });
});
