// Figures through the language server: the re-check path it runs on every
// keystroke, and the spawned process as an editor sees it (start, typing burst).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Workspace } from '../server/src/lsp/session/workspace.js';
import { LspClient } from '../test/helpers/lsp-client.js';
import { generateFileOfLines, generateLabel } from './generate.js';
import { median, round, timeMedian, under, type Figure } from './measure.js';

const label = generateLabel({ name: 'benchdrug', quantityFacts: 12, booleanFacts: 12, indications: 3, constraintsPerIndication: 18 }, 7);

function project(lines: number): { root: string; file: string; text: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-bench-'));
  fs.mkdirSync(path.join(root, 'labels'));
  fs.writeFileSync(path.join(root, 'labels', 'benchdrug.dose'), label.text);
  const text = generateFileOfLines(label, lines, 3);
  const file = path.join(root, 'protocol.dose');
  fs.writeFileSync(file, text);
  return { root, file, text };
}

/** A one-character edit: a digit of a test's value changes back and forth. */
function edited(text: string, i: number): string {
  const at = text.indexOf('given lab_') + 'given lab_'.length;
  return text.slice(0, at) + String(i % 10) + text.slice(at + 1);
}

export function recheckAfterEdit(): Figure {
  const { root, file, text } = project(500);
  const workspace = new Workspace();
  workspace.setRoots([root]);
  const uri = pathToFileURL(file).href;
  let version = 1;
  workspace.setOpen(uri, file, version, text);
  workspace.analyse(file, uri);
  const ms = timeMedian(() => {
    version++;
    workspace.setOpen(uri, file, version, edited(text, version));
    return workspace.analyse(file, uri);
  }, 31, 5);
  const lines = text.split('\n').length - 1;
  return under(`re-check after a one-character edit in a ${lines}-line file (server path)`, ms, 5, 'ms', 'labels reused; spec bar 15 ms');
}

/** A bare Node process, spawned and waited for: what any server start costs at least on this machine. */
function bareNodeStart(): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - start));
  });
}

/** Time from spawning the server to its first diagnostics for an opened file. */
async function startToDiagnostics(root: string, uri: string, text: string, snapshot: boolean): Promise<number> {
  const start = performance.now();
  const client = await LspClient.start({ root, snapshot });
  await client.open(uri, text);
  await client.diagnostics(uri, (params) => params.version === 1);
  const ms = performance.now() - start;
  await client.stop();
  return ms;
}

/**
 * As the VS Code client starts it once the startup snapshot is built
 * (bin/snapshot.cjs; built here first if need be), and without the snapshot,
 * as the first start after an install does.
 */
export async function serverStart(): Promise<Figure[]> {
  const { root, file, text } = project(100);
  const uri = pathToFileURL(file).href;
  const times: number[] = [];
  const plain: number[] = [];
  const bare: number[] = [];
  // Interleaved with bare starts, so all three see the same load on the machine.
  for (let i = 0; i < 7; i++) {
    bare.push(await bareNodeStart());
    times.push(await startToDiagnostics(root, uri, text, true));
    plain.push(await startToDiagnostics(root, uri, text, false));
  }
  const ms = median(times);
  const plainMs = median(plain);
  const bareMs = median(bare);
  return [
    under('server start to first diagnostics (spawned, over stdio, from the startup snapshot)', ms, 250, 'ms', 'spec bar 300 ms'),
    {
      name: 'server start / a bare `node -e 0` start',
      value: round(ms / bareMs),
      unit: 'x',
      goal: '<= 2.5 x',
      met: ms / bareMs <= 2.5,
      note: `node -e 0: ${round(bareMs)} ms, same run, interleaved`,
    },
    {
      name: 'server start without the snapshot / a bare `node -e 0` start',
      value: round(plainMs / bareMs),
      unit: 'x',
      goal: 'reported',
      met: true,
      note: `${round(plainMs)} ms: the bundle through the code cache, as the first start after an install`,
    },
  ];
}

export async function typingBurst(): Promise<Figure> {
  const { root, file, text } = project(1000);
  const uri = pathToFileURL(file).href;
  const client = await LspClient.start({ root });
  const openStart = performance.now();
  await client.open(uri, text);
  await client.diagnostics(uri, (params) => params.version === 1);
  const openMs = performance.now() - openStart;
  const burstStart = performance.now();
  let last = 1;
  for (let i = 0; i < 100; i++) {
    const position = { line: 1, character: 0 };
    last = await client.change(uri, [{ range: { start: position, end: position }, text: i % 2 ? '' : ' ' }]);
  }
  await client.diagnostics(uri, (params) => params.version === last);
  const burstMs = performance.now() - burstStart;
  const publishedAtLast = client.published.length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stale = client.published.slice(publishedAtLast).filter((params) => params.uri === uri && (params.version ?? 0) < last).length;
  await client.stop();
  const ratio = burstMs / openMs;
  return {
    name: '100 quick edits to a 1000-line file, to the last diagnostics',
    value: round(ratio),
    unit: 'x open',
    goal: '<= 3 x open, no stale',
    met: ratio <= 3 && stale === 0,
    note: `${round(burstMs)} ms vs ${round(openMs)} ms to open; ${stale} stale publications after the last edit's`,
  };
}
