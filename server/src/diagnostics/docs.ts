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
    'A documented `deviation` (`start`, `cycle`, `days`, `with`) lowers a finding that compares the protocol with the label to a warning:',
    'POS3001, POS3002, POS3003, POS3008, POS3012, POS3015, POS3016, POS3019, POS3028 and POS3029. It never lowers a finding about the',
    "protocol's own consistency: POS3017 (a day outside its own cycle), POS3018 (no rest days where the label has some), POS3020 (a dose",
    'of zero or less) and POS3032 (one drug dosed twice on a day).',
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
