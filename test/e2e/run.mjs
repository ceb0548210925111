// `npm run test:e2e`: the packaged extension in the real VS Code workbench.
//
// 1. test/e2e/setup.sh installs (once, cached by version) Debian's chromium, a Node 24, a
//    pinned code-server and a pinned vsce;
// 2. `npm run package` builds posology-<version>.vsix;
// 3. a private code-server (everything under one temporary folder) installs the .vsix and
//    serves the workbench on 127.0.0.1, in its own process group;
// 4. headless chromium, driven by playwright-core, opens a workspace with labels/ and a
//    protocol with a deliberate mistake, and runs the checks in checks.mjs.
//
// On failure: test-output/e2e/ gets a screenshot, the code-server log, the workbench and
// extension logs and the browser console. On success the screenshots go to docs/images/
// (rewritten only when more than rendering noise changed). See docs/e2e.md.
//
// Environment: POSOLOGY_E2E_KEEP=1 keeps the temporary folder; POSOLOGY_E2E_HEADED=1 shows
// the browser (needs a display); POSOLOGY_E2E_NO_SCREENSHOTS=1 leaves docs/images/ alone;
// POSOLOGY_E2E_CACHE moves the install cache (default ~/.cache/posology-e2e).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { checks, expectations } from './checks.mjs';
import { installExtension, layout, packageExtension, prepare, setup, startServer } from './code-server.mjs';
import { pngDifference } from './png.mjs';
import { openWorkbench } from './workbench.mjs';

const root = path.resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const output = path.join(root, 'test-output', 'e2e');
const images = path.join(root, 'docs', 'images');
const keep = process.env.POSOLOGY_E2E_KEEP === '1';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// The browser part (after the install) must finish well within this.
const BROWSER_BUDGET_MS = 4 * 60_000;

const state = { server: undefined, context: undefined, dirs: undefined, page: undefined, console: [] };
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[e2e] ${message}`);

async function phase(name, body) {
  const start = Date.now();
  const result = await body();
  log(`${name} (${seconds(Date.now() - start)})`);
  return result;
}

let cleaned;
function cleanup() {
  cleaned ??= (async () => {
    await state.context?.close().catch(() => undefined);
    await state.server?.stop().catch((error) => console.error(`[e2e] could not stop code-server: ${error.message}`));
    if (state.dirs && !keep) fs.rmSync(state.dirs.dir, { recursive: true, force: true, maxRetries: 3 });
    else if (state.dirs) log(`kept ${state.dirs.dir}`);
  })();
  return cleaned;
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    console.error(`[e2e] ${signal}: stopping code-server and the browser`);
    void cleanup().finally(() => process.exit(code));
  });
}

/** Everything that helps to see why a run failed, into test-output/e2e/. */
async function saveFailure(error) {
  fs.rmSync(output, { recursive: true, force: true });
  fs.mkdirSync(output, { recursive: true });
  fs.writeFileSync(path.join(output, 'error.txt'), `${error.stack ?? error}\n`);
  if (state.page) {
    await state.page.screenshot({ path: path.join(output, 'failure.png') }).catch((shotError) => console.error(`[e2e] no screenshot: ${shotError.message}`));
    fs.writeFileSync(path.join(output, 'browser-console.log'), `${state.console.join('\n')}\n`);
  }
  if (state.dirs) {
    if (fs.existsSync(state.dirs.log)) fs.copyFileSync(state.dirs.log, path.join(output, 'code-server.log'));
    const logs = path.join(state.dirs.userData, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(output, 'logs'), { recursive: true });
    // The extension's own output channel, the first place to look.
    for (const file of findFiles(logs, (name) => name === 'Posology.log')) {
      const text = fs.readFileSync(file, 'utf8').trim().split('\n');
      console.error(`[e2e] ${path.relative(state.dirs.userData, file)} (last lines):\n${text.slice(-25).join('\n')}`);
    }
  }
  console.error(`[e2e] saved the screenshot and logs in ${path.relative(root, output)}/`);
}

function findFiles(dir, match) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && match(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

// A screenshot replaces the committed one when more than this share of its pixels differ:
// a changed word is far more, antialiasing noise far less.
const SCREENSHOT_CHANGE = 0.0001;

/** Copies the run's screenshots to docs/images/, rewriting only those that changed. */
function publishScreenshots(shots) {
  fs.mkdirSync(images, { recursive: true });
  const changed = [];
  for (const name of fs.readdirSync(shots).filter((file) => file.endsWith('.png')).sort()) {
    const fresh = fs.readFileSync(path.join(shots, name));
    const target = path.join(images, `e2e-${name}`);
    if (fs.existsSync(target) && pngDifference(fs.readFileSync(target), fresh) <= SCREENSHOT_CHANGE) continue;
    fs.writeFileSync(target, fresh);
    changed.push(path.basename(target));
  }
  log(changed.length ? `screenshots updated in docs/images/: ${changed.join(', ')}` : 'screenshots in docs/images/ unchanged');
}

async function main() {
  const tools = await phase('setup (cached by version)', () => setup(root));
  const vsix = await phase('packaged the extension', () => packageExtension(root, tools));

  const dirs = (state.dirs = layout(fs.mkdtempSync(path.join(os.tmpdir(), 'posology-e2e-'))));
  prepare(root, dirs);
  const installed = await phase('installed the .vsix into a private code-server', () => installExtension(tools, dirs, vsix));
  log(`extensions: ${installed.replace(/\n/g, ', ')}`);
  const server = (state.server = await phase('started code-server', () => startServer(tools, dirs)));
  log(`code-server at ${server.url} (process group ${server.pid})`);

  const browserStart = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`[e2e] the browser part took longer than ${seconds(BROWSER_BUDGET_MS)}`);
    void saveFailure(new Error('overall time budget exceeded')).finally(() => cleanup().finally(() => process.exit(1)));
  }, BROWSER_BUDGET_MS);
  watchdog.unref();

  state.context = await chromium.launchPersistentContext(dirs.browserProfile, {
    executablePath: tools.CHROMIUM,
    headless: process.env.POSOLOGY_E2E_HEADED !== '1',
    args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless' || process.env.POSOLOGY_E2E_HEADED !== '1'),
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    // Our own handlers end the browser *and* code-server; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = (state.page = state.context.pages()[0] ?? (await state.context.newPage()));
  page.setDefaultTimeout(30_000);
  page.on('console', (message) => state.console.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => state.console.push(`[pageerror] ${error.stack ?? error.message}`));

  await phase('opened the workspace in the workbench', () => openWorkbench(page, server.url, dirs.workspace));

  const shots = path.join(dirs.dir, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const expect = expectations(dirs.workspace);
  const list = checks({ page, expect, shots: process.env.POSOLOGY_E2E_NO_SCREENSHOTS === '1' ? undefined : shots });
  for (const [name, body] of list) {
    const start = Date.now();
    try {
      await body();
    } catch (error) {
      console.log(`  ✗ ${name}`);
      error.message = `${name}: ${error.message}`;
      throw error;
    }
    console.log(`  ✓ ${name} (${seconds(Date.now() - start)})`);
  }
  clearTimeout(watchdog);
  log(`${list.length} checks passed; browser part ${seconds(Date.now() - browserStart)}`);
  if (process.env.POSOLOGY_E2E_NO_SCREENSHOTS !== '1') publishScreenshots(shots);
  // test-output/e2e/ describes the last run: a pass leaves no stale failure there.
  fs.rmSync(output, { recursive: true, force: true });
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`[e2e] FAILED: ${error.stack ?? error}`);
  await saveFailure(error);
} finally {
  await cleanup();
}
log(`${failed ? 'failed' : 'passed'} in ${seconds(Date.now() - started)}`);
process.exit(failed ? 1 : 0);
