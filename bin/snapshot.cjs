// The language server's V8 startup snapshot: dist/server/snapshot-main.cjs run
// with `node --build-snapshot` once, at build time of the blob, has loaded the
// server, built chevrotain's lexer and parser and loaded UCUM's tables; a server
// started with `--snapshot-blob` starts from that heap instead of doing it all
// again (docs/performance.md, "Start-up").
//
// A blob only loads in the node binary that built it, with the same V8 flags,
// and node aborts on any other. So a blob is built lazily, by the binary that
// will run it, next to the bundle (as bin/load-bundle.cjs does the code cache):
// a server started without one builds it in the background a few seconds after
// it starts. The blob's name carries the node version, the bundle's size and
// time, the folder and the flags; it is published only after a process started
// from it has answered. Whoever starts the server asks `snapshotArgs` which
// flags to add: none while there is no blob, so a start never waits for one.
// A build that failed (say, a node without userland snapshots) is not retried
// for that binary and bundle.
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ENTRY = 'snapshot-main.cjs';
/** The environment variable that makes a process started from the blob say "ok" and leave (the check before publishing). */
const CHECK = 'POSOLOGY_SNAPSHOT_CHECK';
/** A build still running after this long is taken for dead, and its lock ignored. */
const STALE_LOCK_MS = 120000;

/** The blob for the bundle in `dir` run by this node binary with `flags`, or undefined without a bundle. */
function blobPath(folder, flags) {
  const dir = path.resolve(folder);
  let stat;
  try {
    stat = fs.statSync(path.join(dir, ENTRY));
  } catch {
    return undefined;
  }
  const key = crypto.createHash('sha256').update(JSON.stringify([process.execPath, process.version, process.arch, dir, flags])).digest('hex').slice(0, 12);
  return path.join(dir, `${ENTRY}.${process.version}.${stat.size}.${Math.floor(stat.mtimeMs)}.${key}.blob`);
}

/** Node's arguments that start the server in `dir` from its snapshot: none when there is no published blob. */
function snapshotArgs(dir, flags) {
  const blob = blobPath(dir, flags);
  return blob !== undefined && fs.existsSync(blob) ? ['--snapshot-blob', blob] : [];
}

/**
 * Builds the blob in a detached process unless it exists, failed before or is
 * being built; the caller goes on at once. Returns whether a build started.
 */
function buildInBackground(dir, flags) {
  const blob = blobPath(dir, flags);
  if (blob === undefined || fs.existsSync(blob) || fs.existsSync(`${blob}.failed`) || locked(blob)) return false;
  // A server being debugged: the build would fight it for the inspector's port, and no one starts from that blob.
  if (flags.some((flag) => flag.startsWith('--inspect'))) return false;
  try {
    fs.accessSync(dir, fs.constants.W_OK); // a read-only install: no snapshot, and no build tried at every start
    const child = spawn(process.execPath, [__filename, '--build', dir, JSON.stringify(flags)], { detached: true, stdio: 'ignore', env: process.env, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
    // It competes with no one's work: the server it was started for runs at its own priority.
    if (child.pid !== undefined) os.setPriority(child.pid, 19);
    return true;
  } catch {
    return false; // no snapshot then: the server starts as before
  }
}

/** In a server started without the snapshot: the build starts after its first seconds, or when it leaves. */
function buildLater(dir) {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    buildInBackground(dir, process.execArgv);
  };
  process.once('exit', start);
  setTimeout(start, 3000).unref();
}

function locked(blob) {
  try {
    return Date.now() - fs.statSync(`${blob}.lock`).mtimeMs < STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/**
 * Builds, checks and publishes the blob now, or waits for the process that is
 * building it; returns whether it is there. A failed build leaves a `.failed`
 * marker so that it is not tried again.
 */
function buildNow(dir, flags) {
  const blob = blobPath(dir, flags);
  if (blob === undefined) return false;
  if (fs.existsSync(blob)) return true;
  const lock = `${blob}.lock`;
  if (!locked(blob)) fs.rmSync(lock, { force: true });
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    // Another process (a server's background build) is building it: its blob, its failure, or our turn.
    waitWhileLocked(blob);
    if (fs.existsSync(blob)) return true;
    if (fs.existsSync(`${blob}.failed`)) return false;
    return buildNow(dir, flags);
  }
  const temporary = `${blob}.${process.pid}.tmp`;
  try {
    const built = spawnSync(process.execPath, [...flags, '--snapshot-blob', temporary, '--build-snapshot', ENTRY], { cwd: dir, stdio: 'ignore', timeout: 60000, windowsHide: true });
    const checked = built.status === 0 && spawnSync(process.execPath, [...flags, '--snapshot-blob', temporary, path.join(dir, ENTRY)], {
      env: { ...process.env, [CHECK]: '1' },
      encoding: 'utf8',
      timeout: 20000,
      windowsHide: true,
    });
    if (checked && checked.status === 0 && checked.stdout === 'ok') {
      fs.renameSync(temporary, blob);
      removeStale(dir, blob);
      return true;
    }
    fs.writeFileSync(`${blob}.failed`, `build ${built.status}${checked ? `, check ${checked.status}: ${checked.stderr}` : ''}\n`);
    return false;
  } catch {
    return false;
  } finally {
    fs.rmSync(temporary, { force: true });
    fs.rmSync(lock, { force: true });
  }
}

/** Blocks (buildNow's callers expect an answer) while another process holds the lock and has not published the blob. */
function waitWhileLocked(blob) {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (locked(blob) && !fs.existsSync(blob)) Atomics.wait(pause, 0, 0, 100);
}

/** Blobs (and failure markers) of an earlier bundle or another node version; blobs for other flags stay. */
function removeStale(dir, keep) {
  const current = path.basename(keep).split('.').slice(0, -2).join('.');
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(`${ENTRY}.`) && /\.blob(\.failed)?$/.test(name) && !name.startsWith(`${current}.`)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

module.exports = { CHECK, blobPath, buildInBackground, buildLater, buildNow, snapshotArgs };

if (require.main === module && process.argv[2] === '--build') buildNow(process.argv[3], JSON.parse(process.argv[4]));
