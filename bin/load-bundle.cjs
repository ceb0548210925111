// Loads one of the esbuild bundles (dist/*.cjs) with V8's code cache: the
// compiled code is saved next to the bundle on the first run and reused after,
// which saves a third of the start-up time. A cache V8 rejects (another Node
// version, a rebuilt bundle) is replaced; a folder we cannot write to only
// means no cache.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

function cachePath(file) {
  const stat = fs.statSync(file);
  return `${file}.${process.version}.${stat.size}.${Math.floor(stat.mtimeMs)}.v8cache`;
}

function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function removeStaleCaches(file) {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.v8cache')) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function loadBundle(file) {
  const cacheFile = cachePath(file);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, (id) => bundle.require(id), bundle, file, path.dirname(file));
  bundle.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    // Written once the first real work is done (a command finishing, a server's
    // first seconds, or any exit, `process.exit` included: both calls are
    // synchronous), so the cache also holds the code that parsing and checking
    // compiled lazily, not only what loading the bundle needed.
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      try {
        removeStaleCaches(file);
        fs.writeFileSync(cacheFile, script.createCachedData());
      } catch {
        // A read-only install: run without a cache.
      }
    };
    process.once('exit', write);
    setTimeout(write, 3000).unref();
  }
  return bundle.exports;
}

module.exports = { loadBundle };
