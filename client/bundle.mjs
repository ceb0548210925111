// `npm run bundle`: esbuild bundles the extension client and the language
// server into CommonJS files VS Code can load without node_modules:
//   dist/client/extension.cjs   (vscode stays external)
//   dist/server/main.cjs        (the server; ucum-lhc and vscode-languageserver inlined)
//   dist/server/verify-worker.cjs (verification's worker thread)
//   dist/server/launch.cjs      (what the VS Code client starts: main.cjs through
//                                the V8 code cache, with load-bundle.cjs beside it)
//   dist/server/snapshot-main.cjs (the entry of the server's startup snapshot, built
//                                lazily by snapshot.cjs beside it: bin/snapshot.cjs)
//   dist/cli/main.cjs           (the `posology` command; one file loads far faster than
//                                a tree of ESM modules)
// Flags: --production (minified, no source maps), --tests (also the extension
// tests for `npm run test:vscode`, into dist/test/).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '..', '..');
const flags = new Set(process.argv.slice(2));
const production = flags.has('--production');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

// The server is written as ESM; in the CommonJS bundle `import.meta.url` is the bundle's own file.
const serverShim = {
  banner: { js: "const __posologyImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__posologyImportMetaUrl' },
};

const builds = [
  esbuild.build({ ...common, entryPoints: { 'client/extension': 'client/src/extension.ts' }, external: ['vscode'] }),
  esbuild.build({
    ...common,
    ...serverShim,
    entryPoints: {
      'server/main': 'server/src/lsp/main.ts',
      'server/verify-worker': 'server/src/lsp/session/verify-worker.ts',
      'server/snapshot-main': 'server/src/lsp/snapshot-main.ts',
      'cli/main': 'server/src/cli/main.ts',
    },
  }),
];

if (flags.has('--tests')) {
  const tests = fs.readdirSync(path.join(root, 'client/src/test')).filter((file) => file.endsWith('.test.ts'));
  const entryPoints = {
    'test/runTest': 'client/src/test/runTest.ts',
    'test/suite/index': 'client/src/test/suite/index.ts',
    ...Object.fromEntries(tests.map((file) => [`test/${file.replace(/\.ts$/, '')}`, `client/src/test/${file}`])),
  };
  builds.push(esbuild.build({ ...common, entryPoints, external: ['vscode', 'mocha', '@vscode/test-electron'] }));
}

await Promise.all(builds);

// The VS Code client starts dist/server/launch.cjs, which loads main.cjs through
// the code cache (bin/load-bundle.cjs), as the `bin/` scripts do.
fs.copyFileSync(path.join(root, 'bin', 'load-bundle.cjs'), path.join(root, 'dist', 'server', 'load-bundle.cjs'));
fs.copyFileSync(path.join(root, 'bin', 'server-launch.cjs'), path.join(root, 'dist', 'server', 'launch.cjs'));
fs.copyFileSync(path.join(root, 'bin', 'snapshot.cjs'), path.join(root, 'dist', 'server', 'snapshot.cjs'));
console.log(`bundled into ${path.join(root, 'dist')}${production ? ' (production)' : ''}`);
