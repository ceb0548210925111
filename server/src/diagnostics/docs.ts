// Renders docs/diagnostics.md from the message table, so the docs cannot drift.
import { Addenda, DEVIABLE_TOPICS, diagnosticsByCode, Phrases } from './messages.js';

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

const topicsText = (topics: readonly string[]) => topics.map((topic) => `\`${topic}\``).join(', ');

export function renderDiagnosticsDoc(): string {
  const diagnostics = diagnosticsByCode();
  const deviable = diagnostics.filter((diagnostic) => diagnostic.deviation);
  const lines = [
    '# Diagnostics',
    '',
    'Every finding Posology reports, generated from `server/src/diagnostics/messages.ts`',
    '(run `npm run docs:diagnostics` after changing the table; a test fails when this file is stale).',
    'Codes are stable: search for them. `{0}`, `{1}`... stand for the names and numbers of the finding.',
    'A code that reads differently by case has one row per wording.',
    `A documented \`deviation\` (${topicsText(DEVIABLE_TOPICS)}), with its reason, lowers to a warning the findings whose`,
    `*deviation* column names its topic: ${deviable.map((diagnostic) => diagnostic.code).join(', ')}. No deviation lowers any other`,
    "finding, such as those about the protocol's own consistency.",
    '',
  ];
  for (const [digit, title] of phases) {
    lines.push(`## ${digit}xxx: ${title}`, '', '| code | severity | name | message | deviation | reported when |', '|---|---|---|---|---|---|');
    for (const diagnostic of diagnostics) {
      if (diagnostic.code[3] !== digit) continue;
      diagnostic.entries.forEach(([name, entry], i) => {
        const code = i === 0 ? `<a id="${entry.code.toLowerCase()}"></a>${entry.code}` : entry.code;
        const deviation = entry.deviation ? topicsText(entry.deviation) : '';
        lines.push(`| ${code} | ${entry.severity} | ${name} | ${escapeCell(entry.message)} | ${deviation} | ${escapeCell(entry.explain)} |`);
      });
    }
    lines.push('');
  }
  lines.push(
    '## Words added to a message',
    '',
    'Addenda end a message, whatever its code (a deviation\'s reason, a "did you mean"). Phrases fill',
    "a message's placeholder (what a scenario step found, where labels were looked for) and are said",
    'on their own in hover and test results.',
    '',
    '| kind | name | words |',
    '|---|---|---|',
    ...Object.entries(Addenda).map(([name, words]) => `| addendum | ${name} | ${escapeCell(words)} |`),
    ...Object.entries(Phrases).map(([name, words]) => `| phrase | ${name} | ${escapeCell(words)} |`),
    '',
  );
  return lines.join('\n');
}
