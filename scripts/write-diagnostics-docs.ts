// `npm run docs:diagnostics`: writes docs/diagnostics.md from the message table
// (a developer's script: server/src writes no files outside project/, cli/ and lsp/).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderDiagnosticsDoc } from '../server/src/diagnostics/docs.js';

const target = fileURLToPath(new URL('../../docs/diagnostics.md', import.meta.url));
fs.writeFileSync(target, renderDiagnosticsDoc());
console.log(`wrote ${target}`);
