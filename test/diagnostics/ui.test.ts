// The fixed words of the tools' surfaces that are not diagnostics (CodeLens
// titles, the CLI's summary lines, counted nouns) have one home,
// server/src/diagnostics/ui.ts: each is used, and what the lenses and the CLI
// say is one of them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { counted, Nouns, UiPhrases } from '../../server/src/diagnostics/ui.js';
import { testLenses } from '../../server/src/lsp/features/tests.js';
import { formatHuman } from '../../server/src/cli/format-human.js';
import { analyse, protocol } from '../helpers/lsp-fixtures.js';
import { repoPath } from '../helpers/repo.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !full.endsWith(path.join('diagnostics', 'ui.ts')) ? [full] : [];
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A template as a pattern: each {n} stands for any text. */
const patternOf = (template: string) => new RegExp('^' + template.split(/\{\d+\}/).map(escape).join('.+') + '$');
const templates = Object.values(UiPhrases).map(patternOf);
const isUiPhrase = (text: string) => templates.some((pattern) => pattern.test(text));

describe('wording: the UI phrases of lenses and the CLI', () => {
  const sources = sourceFiles(repoPath('server', 'src')).map((file) => fs.readFileSync(file, 'utf8')).join('\n');

  it('every UI phrase and counted noun is used by the server or the CLI', () => {
    for (const name of Object.keys(UiPhrases)) assert.ok(sources.includes(`'${name}'`), `${name} is never used`);
    for (const noun of Object.keys(Nouns)) assert.ok(sources.includes(`'${noun}')`), `the noun ${noun} is never counted`);
  });

  it('counts nouns: one, many, none', () => {
    assert.deepEqual([counted(1, 'step'), counted(2, 'step'), counted(0, 'error')], ['1 step', '2 steps', '0 errors']);
  });

  it('every CodeLens title is a UI phrase', () => {
    const text = protocol(`  rule low: when platelets < 50000 /uL then hold
  test "right" { given platelets = 40000 /uL expect hold }
  test "wrong" { given platelets = 40000 /uL expect dose 4 mg }
  scenario "course" {
    cycle 1 day 1: expect dose 4 mg
    cycle 1 day 2: platelets = 40000 /uL expect dose 4 mg
  }`);
    const titles = testLenses(analyse(text)).map((lens) => lens.title);
    assert.ok(titles.length >= 7, titles.join(' | '));
    for (const title of titles) assert.ok(isUiPhrase(title), `not a UI phrase: ${title}`);
    assert.ok(titles.includes('▶ Run all tests (2 tests, 1 scenario)'), titles.join(' | '));
  });

  it("the CLI's summary lines are UI phrases, and `posology test` ends with `N passed, N failed`", () => {
    const test = { file: 'p.dose', line: 1, column: 1, protocol: 'p', title: 't', passed: false, expected: 'hold', actual: 'dose 4 mg', decidedBy: 'start dose' };
    const out = formatHuman({ command: 'test', findings: [], tests: [test, { ...test, title: 'u', passed: true }], verifications: [], filesChecked: 1, emptyAllowed: false } as unknown as Parameters<typeof formatHuman>[0]);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[lines.length - 1], '1 passed, 1 failed');
    for (const line of lines.filter((item) => !item.startsWith('     '))) assert.ok(isUiPhrase(line), `not a UI phrase: ${line}`);
    const check = formatHuman({ command: 'check', findings: [], tests: [], verifications: [], filesChecked: 1, emptyAllowed: false } as unknown as Parameters<typeof formatHuman>[0]);
    assert.equal(check, '1 file checked: 0 errors, 0 warnings, 0 information\n');
  });
});
