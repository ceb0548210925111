// The workspace boundary, proved from outside (issue 14): the server runs under
// `strace -f -y -e trace=open,openat,openat2`, and every file it opens is listed.
// Outside the workspace folders it may open only the `.dose` files of the nearest
// `labels/` folder of a document open there (and that folder, to list it): not
// the document's folder, not its grandparent (which may be `/`), not a link out
// of that labels folder. A symlink in `labels/` swapped back and forth between a
// label inside and a file outside while the server reads it, as fast as a shell
// can, never makes it open the outside file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LspClient } from '../helpers/lsp-client.js';
import { codesOf, fileUri, pdProtocol, pomalidomideLabel, quickSettings, removeWorkspaces, sleep, tempWorkspace } from '../helpers/lsp-workspace.js';

const label = pomalidomideLabel();
const protocol = pdProtocol();
const swapLabel = (name: string) => `label swapdrug "${name}" {\n  fact ANC "ANC": quantity /uL normal 4000 /uL\n}\n`;

/** Every path the traced processes opened: the path asked for and, with -y, the file the descriptor is. */
function openedPaths(log: string): Set<string> {
  const paths = new Set<string>();
  for (const line of log.split('\n')) {
    if (!/\bopen(at2?)?\(|<\.\.\. open(at2?)? resumed>/.test(line)) continue;
    for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) paths.add(match[1]);
    for (const match of line.matchAll(/= \d+<([^>]*)>/g)) paths.add(match[1]);
  }
  return paths;
}

describe('lsp: nothing outside the workspace is opened (strace)', function () {
  this.timeout(120000);
  after(removeWorkspaces);

  it('opens only the nearest labels/ of a document outside, and never the target of a swapped link', async () => {
    assert.ok(spawnSync('strace', ['-V']).status === 0, 'strace is needed for this test (.ci/run installs it)');
    const outside = tempWorkspace(
      {
        'secret.dose': swapLabel('SECRET outside the workspace'),
        'a/labels/pomalidomide.dose': label,
        'a/b/doc.dose': protocol,
        'a/b/sibling.dose': protocol,
        'a/notes.dose': protocol,
        'a/other/deep.dose': protocol,
      },
      'posology-outside-',
    );
    fs.symlinkSync(path.join(outside, 'secret.dose'), path.join(outside, 'a', 'labels', 'out.dose'));
    const ws = tempWorkspace({ 'labels/pomalidomide.dose': label, 'p.dose': protocol, 'store/swap.dose': swapLabel('inside') });
    const link = path.join(ws, 'labels', 'swap.dose');
    fs.symlinkSync('../store/swap.dose', link);
    const log = path.join(ws, '..', `${path.basename(ws)}.strace`);
    const client = await LspClient.start({
      root: ws,
      initializationOptions: quickSettings({ verification: { enabled: false } }),
      wrap: ['strace', '-f', '-qq', '-y', '-e', 'trace=open,openat,openat2', '-o', log],
    });
    let swapper: ReturnType<typeof spawn> | undefined;
    try {
      // A document open outside the workspace sees its nearest labels/ folder.
      const doc = fileUri(path.join(outside, 'a', 'b', 'doc.dose'));
      await client.open(doc, protocol);
      const params = await client.diagnostics(doc, (p) => p.version === 1, 30000);
      assert.deepEqual(codesOf(params), [], 'the label next to the outside document is found');
      // A document whose grandparent is `/`, open in the editor only.
      await client.open('file:///posology-nowhere/doc.dose', protocol);
      await client.diagnostics('file:///posology-nowhere/doc.dose', (p) => p.version === 1, 30000);
      // Requests for closed files around them: none may be read.
      const around = ['a/notes.dose', 'a/b/sibling.dose', 'a/other/deep.dose', 'secret.dose', 'a/labels/out.dose'].map((name) => fileUri(path.join(outside, name)));
      for (const uri of around) {
        for (const method of ['textDocument/hover', 'textDocument/documentSymbol', 'textDocument/definition', 'textDocument/foldingRange']) {
          await client.request(method, { textDocument: { uri }, position: { line: 14, character: 9 } });
        }
        await client.request('posology/runTests', { uri }).catch(() => undefined);
      }
      // The swap race: a shell swaps labels/swap.dose between the label inside and the file outside
      // while the editor reports it changed and edits a protocol that reads it, 150 times.
      const inside = path.join(ws, 'p.dose');
      const uri = fileUri(inside);
      await client.open(uri, protocol);
      const script = `cd '${path.join(ws, 'labels')}'; while :; do ln -sfn '${path.join(outside, 'secret.dose')}' .tmp && mv -Tf .tmp swap.dose; ln -sfn ../store/swap.dose .tmp && mv -Tf .tmp swap.dose; done`;
      swapper = spawn('bash', ['-c', script], { stdio: 'ignore' });
      for (let i = 0; i < 150; i++) {
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(link), type: 2 }] });
        await client.change(uri, [{ text: `${protocol}\n// edit ${i}\n` }]);
        await client.diagnostics(uri, (p) => p.version === client.version(uri), 30000);
      }
    } finally {
      swapper?.kill();
      await client.stop();
    }
    const opened = openedPaths(fs.readFileSync(log, 'utf8'));
    fs.rmSync(log, { force: true });
    const underOutside = [...opened].filter((file) => file.startsWith(outside)).sort();
    assert.deepEqual(underOutside, [path.join(outside, 'a', 'labels'), path.join(outside, 'a', 'labels', 'pomalidomide.dose')]);
    assert.ok(opened.has(path.join(ws, 'store', 'swap.dose')), 'the label behind the swapped link was read from inside');
    assert.ok(![...opened].some((file) => file.startsWith('/posology-nowhere')), 'nothing is read for a document that exists only in the editor');
  });
});
