import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Addenda, DEVIABLE_TOPICS, diagnosticsByCode, Messages, Phrases, type MessageEntry } from '../../server/src/diagnostics/messages.js';
import { renderDiagnosticsDoc } from '../../server/src/diagnostics/docs.js';
import { syntaxMessage, unitMessage } from '../../server/src/diagnostics/problems.js';
import type { Finding } from '../../server/src/diagnostics/finding.js';
import { analyze } from '../../server/src/checks/analysis.js';
import { parse } from '../../server/src/syntax/parse.js';
import { parseUnit } from '../../server/src/units/index.js';
import { COURSE_LABEL, COURSE_LABEL_PATH } from '../helpers/course-label.js';
import { readRepo, repoPath } from '../helpers/repo.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function doseFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return doseFiles(full);
    return entry.name.endsWith('.dose') ? [full] : [];
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = (template: string) => escape(template).replace(/\\\{\d+\\\}/g, '[^]*');
const addenda = Object.values(Addenda).map(pattern).join('|');

/** Whether `message` is what one of the entries of `code` says, with any arguments and addenda. */
function worded(code: string, message: string): boolean {
  const entries = (Object.values(Messages) as MessageEntry[]).filter((entry) => entry.code === code);
  return entries.some((entry) => new RegExp(`^${pattern(entry.message)}(?:${addenda})*$`).test(message));
}

const PROTOCOL = (body: string) => `protocol "p" {\n  drug coursedrug\n  indication mm\n  start 4 mg oral once daily days 1-21 cycle 28 days\n${body}\n}\n`;

/** A protocol line (or a whole text), and the message it must get under `code`: the words users saw before the table held them. */
const WORDINGS: [string, string, string][] = [
  ['POS1001', 'stray "x" protocol "p" { }', "Expected 'label' or 'protocol' to start a block"],
  ['POS1001', 'label x "X" { } extra', "Unexpected 'extra' after the end of the block"],
  ['POS1001', PROTOCOL('  rule a: when ANC < 500 /uL hold'), "Expected 'then', found 'hold'"],
  ['POS2005', PROTOCOL('  rule a: when ANC < 500 foo then hold'), "'foo' is not a unit UCUM knows"],
  ['POS2005', PROTOCOL('  rule a: when ANC < 500 mg/kilo then hold'), "'mg/kilo' is not a unit UCUM knows ('kilo' is not recognized) (did you mean mg/(k[IU]/L), mg/(k[IU]/mL), mg/kU?)"],
  ['POS2008', PROTOCOL('  rule a: when ANC then hold'), 'ANC is a measured quantity: it is not a yes/no condition on its own; compare it with a value'],
  ['POS2008', PROTOCOL('  rule a: when febrile_neutropenia = maybe then hold'), "febrile_neutropenia is a yes/no fact: compare it with true or false, not 'maybe'"],
  ['POS3017', PROTOCOL('  with dexamethasone 40 mg oral days 21-1 cycle 28 days'), 'Days 21-1 run backwards, so no day is dosed: write 1-21'],
  ['POS3017', PROTOCOL('  with dexamethasone 40 mg oral days 0-2 cycle 28 days'), 'Day 0 is not a day of a cycle: the first day of a cycle is day 1'],
  ['POS3017', PROTOCOL('  with dexamethasone 40 mg oral days 1, 29 cycle 28 days'), "Day 29 is outside its 28-day cycle: dexamethasone is never given on it"],
  ['POS3017', PROTOCOL('  with dexamethasone 40 mg oral days 27-30 cycle 28 days'), "Days 29-30 are outside its 28-day cycle: dexamethasone is never given on them"],
  ['POS3020', PROTOCOL('  levels 4 mg, 0 mg'), 'A dose level of 0 mg is no dose: below the last level the course discontinues'],
  ['POS3020', PROTOCOL('  rule a: when hepatotoxicity then dose 0 mg'), "Rule 'a' gives 0 mg: write no dose, hold or discontinue instead"],
  ['POS3020', PROTOCOL('  rule a: when hepatotoxicity then dose previous - 5 mg'), "Rule 'a' gives -1 mg from the start dose of 4 mg: write no dose, hold or discontinue instead"],
  ['POS3020', PROTOCOL('  with dexamethasone 0 mg oral days 1, 8, 15, 22'), 'dexamethasone 0 mg is no dose: leave the line out, or use a condition'],
  ['POS5002', PROTOCOL('  test "t" { given febrile_neutropenia = 3 mg expect hold }'), "febrile_neutropenia is a yes/no fact: write 'febrile_neutropenia' or 'not febrile_neutropenia'"],
  ['POS5002', PROTOCOL('  test "t" { given ANC expect hold }'), 'Give ANC a value, e.g. ANC = 1 /uL'],
  ['POS5002', PROTOCOL('  test "t" { given ANC = low expect hold }'), 'ANC needs a number with a unit'],
];

function findingsOf(text: string): Finding[] {
  return analyze([{ path: 'p.dose', text }], [{ path: COURSE_LABEL_PATH, text: COURSE_LABEL }])[0].findings;
}

describe('diagnostics/messages', () => {
  const entries = Object.entries(Messages) as [string, MessageEntry][];

  it('gives every diagnostic one code in its phase range; the wordings of a code are adjacent and share its severity and deviation topics', () => {
    const diagnostics = diagnosticsByCode();
    assert.equal(new Set(diagnostics.map((diagnostic) => diagnostic.code)).size, diagnostics.length);
    for (const { code, severity, deviation, entries: wordings } of diagnostics) {
      assert.match(code, /^POS[1-5]\d{3}$/);
      for (const [name, entry] of wordings) {
        assert.equal(entry.severity, severity, name);
        assert.deepEqual(entry.deviation, deviation, name);
      }
      const at = entries.findIndex(([, entry]) => entry.code === code);
      assert.ok(entries.slice(at, at + wordings.length).every(([, entry]) => entry.code === code), `${code}: its wordings are not adjacent`);
    }
  });

  it('holds every message whole: none is a placeholder alone (text made elsewhere)', () => {
    const passThrough = entries.filter(([, entry]) => entry.message.replace(/\{\d+\}/g, '').replace(/[^A-Za-z]/g, '') === '').map(([name]) => name);
    assert.deepEqual(passThrough, []);
  });

  it('lists the deviation topics once: the table gives them, in alphabetical order', () => {
    assert.deepEqual(DEVIABLE_TOPICS, ['cycle', 'days', 'start', 'with']);
    assert.deepEqual(Messages.RouteDiffers.deviation, ['start']);
    assert.equal((Messages.NoRestDays as MessageEntry).deviation, undefined);
  });

  it('uses every entry, addendum and phrase somewhere in the source', () => {
    const source = sourceFiles(repoPath('server', 'src'))
      .filter((file) => !file.endsWith(path.join('diagnostics', 'messages.ts')))
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
    const names = [...entries.map(([name]) => name), ...Object.keys(Addenda), ...Object.keys(Phrases)];
    const unused = names.filter((name) => !source.includes(`'${name}'`));
    assert.deepEqual(unused, []);
  });

  it('keeps docs/diagnostics.md in step with the table', () => {
    assert.equal(readRepo('docs', 'diagnostics.md'), renderDiagnosticsDoc(), 'run npm run docs:diagnostics');
  });

  describe('each finding says what the table says', () => {
    for (const [code, text, message] of WORDINGS) {
      it(`${code}: ${message}`, () => {
        const found = findingsOf(text).filter((item) => item.code === code).map((item) => item.message);
        assert.ok(found.includes(message), `${JSON.stringify(found)} has no ${JSON.stringify(message)}`);
        assert.ok(worded(code, message));
      });
    }

    it('every finding of the examples and fixtures is worded by an entry of its code', () => {
      const files = [...doseFiles(repoPath('examples')), ...doseFiles(repoPath('test', 'fixtures')), ...doseFiles(repoPath('labels'))];
      const sources = files.map((file) => ({ path: file, text: fs.readFileSync(file, 'utf8') }));
      const findings = [...analyze(sources).flatMap((result) => result.findings), ...WORDINGS.flatMap(([, text]) => findingsOf(text))];
      assert.ok(findings.length > 50, `only ${findings.length} findings`);
      const strays = findings.filter((item) => !worded(item.code, item.message)).map((item) => `${item.code} ${item.message}`);
      assert.deepEqual(strays, []);
    });

    it('words syntax errors and unit problems, which syntax/ and units/ return as data', () => {
      const [error] = parse('label x "X" { fact a "A" boolean }').errors;
      assert.deepEqual([error.kind, error.args], ['Expected', ["':'", "'boolean'"]]);
      assert.equal(syntaxMessage(error), "Expected ':', found 'boolean'");
      const unit = parseUnit('mg/ kg');
      assert.ok(!unit.ok);
      assert.deepEqual(unit.problem, { kind: 'space', written: 'mg/ kg' });
      assert.equal(unitMessage(unit.problem), "'mg/ kg' is not a unit UCUM knows (units are written without spaces)");
    });
  });
});
