#!/usr/bin/env node
// Starts the language server over stdio: the bundle (dist/, starts fast) when
// `npm run build` made it, else the compiled modules (out/).
// Built-in modules come through `require`: importing `node:fs` as ESM builds
// its whole namespace, lazy parts included, which costs milliseconds at start.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fs = require('node:fs');
const { fileURLToPath } = require('node:url');

const bundle = fileURLToPath(new URL('../dist/server/main.cjs', import.meta.url));
if (fs.existsSync(bundle)) {
  require('./load-bundle.cjs').loadBundle(bundle);
  // For whoever starts the server with the startup snapshot next time (bin/snapshot.cjs).
  require('./snapshot.cjs').buildLater(fileURLToPath(new URL('../dist/server/', import.meta.url)));
} else await import('../out/server/src/lsp/main.js');
