// Renders docs/diagnostics.md from the message table, so the docs cannot drift.
import { Messages } from './messages.js';

const phases: [string, string][] = [
  ['1', 'Syntax'],
  ['2', 'Names and units'],
  ['3', 'Checks against the label'],
  ['4', 'Verification'],
  ['5', 'Embedded tests'],
];

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderDiagnosticsDoc(): string {
  const lines = [
    '# Diagnostics',
    '',
    'Every finding Posology reports, generated from `server/src/diagnostics/messages.ts`',
    '(run `npm run docs:diagnostics` after changing the table; a test fails when this file is stale).',
    'Codes are stable: search for them. `{0}`, `{1}`... stand for the names and numbers of the finding.',
    'A documented `deviation` lowers POS3001, POS3002, POS3003, POS3008 and POS3012 to warnings.',
    '',
  ];
  for (const [digit, title] of phases) {
    lines.push(`## ${digit}xxx: ${title}`, '', '| code | severity | name | message | reported when |', '|---|---|---|---|---|');
    for (const [name, entry] of Object.entries(Messages)) {
      if (entry.code[3] !== digit) continue;
      lines.push(`| <a id="${entry.code.toLowerCase()}"></a>${entry.code} | ${entry.severity} | ${name} | ${escapeCell(entry.message)} | ${escapeCell(entry.explain)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
