#!/usr/bin/env -S node --max-semi-space-size=64 --min-semi-space-size=64
// Starts the language server over stdio: the bundle (dist/, starts fast) when
// `npm run build` made it, else the compiled modules (out/).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/server/main.cjs', import.meta.url));
if (fs.existsSync(bundle)) createRequire(import.meta.url)('./load-bundle.cjs').loadBundle(bundle);
else await import('../out/server/src/lsp/main.js');
