// The private code-server the real-editor test drives: everything it writes (HOME, XDG
// folders, config, user data, extensions, the workspace) lives under one temporary folder,
// and it runs in its own process group so the whole group (server, extension host, the
// language server) can be ended at once.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Runs test/e2e/setup.sh (cached by version) and returns what it prints: CODE_SERVER, NODE24, VSCE, CHROMIUM. */
export function setup(root) {
  const output = execFileSync('bash', [path.join(root, 'test', 'e2e', 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const env = Object.fromEntries(output.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  for (const key of ['CODE_SERVER', 'NODE24', 'VSCE', 'CHROMIUM']) if (!env[key]) throw new Error(`setup.sh did not print ${key}`);
  return env;
}

/** `npm run package` with Node 24 first on PATH and the pinned vsce; returns the .vsix path. */
export function packageExtension(root, tools) {
  const env = { ...process.env, PATH: `${path.dirname(tools.NODE24)}${path.delimiter}${process.env.PATH}`, VSCE: tools.VSCE };
  const output = execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const match = /packaged (\S+\.vsix)/.exec(output);
  if (!match) throw new Error(`npm run package did not report a .vsix:\n${output}`);
  return path.resolve(root, match[1]);
}

/** The folders and files of one run, under `dir`. */
export function layout(dir) {
  const home = path.join(dir, 'home');
  return {
    dir,
    home,
    config: path.join(dir, 'config.yaml'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    workspace: path.join(dir, 'workspace'),
    browserProfile: path.join(dir, 'chromium-profile'),
    log: path.join(dir, 'code-server.log'),
  };
}

/** The environment code-server runs with: nothing outside `dirs.dir` is written, no marketplace is asked. */
function serverEnv(tools, dirs) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_') || key.startsWith('npm_')) delete env[key];
  return {
    ...env,
    PATH: `${path.dirname(tools.NODE24)}${path.delimiter}${process.env.PATH}`,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_STATE_HOME: path.join(dirs.home, '.local', 'state'),
    XDG_RUNTIME_DIR: path.join(dirs.home, '.run'),
    TMPDIR: path.join(dirs.dir, 'tmp'),
    // A dead local address: the workbench never polls a real marketplace.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/items', resourceUrlTemplate: 'http://127.0.0.1:9/resources' }),
  };
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'editor.minimap.enabled': false,
  // The LSP messages go to the extension's log (Output › Posology): saved when a run fails.
  'posology.trace.server': 'messages',
  // The breadcrumbs follow the cursor a moment later: off, so screenshots do not depend on when.
  'breadcrumbs.enabled': false,
};

/** Creates the folders, the config file, the user settings and the workspace (a copy of labels/ and the fixture). */
export function prepare(root, dirs) {
  for (const folder of [dirs.home, path.join(dirs.home, '.run'), path.join(dirs.dir, 'tmp'), dirs.extensions, path.join(dirs.userData, 'User'), dirs.workspace, dirs.browserProfile]) {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  fs.writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), `${JSON.stringify(USER_SETTINGS, null, 2)}\n`);
  fs.cpSync(path.join(root, 'labels'), path.join(dirs.workspace, 'labels'), { recursive: true });
  const fixture = path.join(root, 'test', 'e2e', 'workspace');
  for (const file of fs.readdirSync(fixture)) fs.cpSync(path.join(fixture, file), path.join(dirs.workspace, file), { recursive: true });
}

function commonArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** `code-server --install-extension <vsix>` into the private extensions folder. */
export function installExtension(tools, dirs, vsix) {
  const output = execFileSync(tools.CODE_SERVER, [...commonArgs(dirs), '--install-extension', vsix, '--force'], {
    env: serverEnv(tools, dirs),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  fs.appendFileSync(dirs.log, `--- install-extension\n${output}\n`);
  const installed = execFileSync(tools.CODE_SERVER, [...commonArgs(dirs), '--list-extensions', '--show-versions'], { env: serverEnv(tools, dirs), encoding: 'utf8', timeout: 60_000 });
  if (!/posology\.posology@/.test(installed)) throw new Error(`the extension is not installed:\n${output}\n${installed}`);
  return installed.trim();
}

/**
 * Starts code-server on 127.0.0.1 (port chosen by the system, read from its log) in its own
 * process group. Returns { url, pid, stop }; stop() ends the whole group (TERM, then KILL).
 */
export async function startServer(tools, dirs, { timeoutMs = 60_000 } = {}) {
  const log = fs.openSync(dirs.log, 'a');
  const args = [
    ...commonArgs(dirs),
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // A safety net if this process is killed outright (SIGKILL) and cannot end the group:
    // code-server exits after five minutes without a client.
    '--idle-timeout-seconds', '300',
  ];
  // detached: true is setsid(): code-server leads a new session and process group.
  const child = spawn(tools.CODE_SERVER, args, { env: serverEnv(tools, dirs), cwd: dirs.workspace, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const pid = child.pid;
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const stop = async () => {
    if (!groupAlive(pid)) return;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (groupAlive(pid) && Date.now() < deadline) await delay(100);
    if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (groupAlive(pid) && Date.now() < killDeadline) await delay(100);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.readFileSync(dirs.log, 'utf8');
    const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
    if (match) return { url: match[1], pid, stop };
    if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}) before listening; see ${dirs.log}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not listen within ${timeoutMs} ms; see ${dirs.log}`);
    }
    await delay(100);
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
