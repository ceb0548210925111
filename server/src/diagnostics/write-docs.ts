// `npm run docs:diagnostics`: writes docs/diagnostics.md from the message table.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderDiagnosticsDoc } from './docs.js';

const target = fileURLToPath(new URL('../../../../docs/diagnostics.md', import.meta.url));
fs.writeFileSync(target, renderDiagnosticsDoc());
console.log(`wrote ${target}`);
