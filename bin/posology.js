#!/usr/bin/env node
// Runs the bundled CLI (dist/, one file: starts fast) when `npm run build` made
// it, else the compiled modules (out/).
// Built-in modules come through `require`: importing `node:fs` as ESM builds
// its whole namespace, lazy parts included, which costs milliseconds at start.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fs = require('node:fs');
const { fileURLToPath } = require('node:url');

const bundle = fileURLToPath(new URL('../dist/cli/main.cjs', import.meta.url));
const { main } = fs.existsSync(bundle) ? require('./load-bundle.cjs').loadBundle(bundle) : await import('../out/server/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
