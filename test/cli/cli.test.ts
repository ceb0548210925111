import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { posology } from '../helpers/cli.js';
import { readRepo, repoPath } from '../helpers/repo.js';

const require = createRequire(import.meta.url);
const MISTAKES = 'examples/mistakes/pd-with-mistakes.dose';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

function tempProject(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function assertNoStackTrace(run: { stdout: string; stderr: string }): void {
  assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at .+:\d+:\d+/);
}

describe('cli', () => {
  describe('check', () => {
    it('exits 0 with a clean summary for a clean protocol', () => {
      const run = posology(['check', 'examples/pd-multiple-myeloma.dose']);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.equal(lastLine(run.stdout), '1 file checked: 0 errors, 0 warnings, 0 information');
    });

    it('prints file:line:col, severity, code, message, the source line and the label line', () => {
      const run = posology(['check', MISTAKES]);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /pd-with-mistakes\.dose:20:18: error POS3004: Rule 'anc' is less safe than the label: at ANC = 400 \/uL/);
      assert.match(run.stdout, /= Label \(pomalidomide\): hold when ANC < 500 \/uL or febrile_neutropenia until ANC >= 500 \/uL then resume at most previous - 1 mg \[source: Pomalidomide label summary, section "Neutropenia, MM Patients"\] \(labels\/pomalidomide\.dose:\d+\)/);
      assert.match(run.stdout, /20 \|   rule anc: when ANC < 400\/μL/);
    });

    it('--format json lists file, line, column, end, severity, code and message', () => {
      const run = posology(['check', MISTAKES, '--format', 'json']);
      assert.equal(run.status, 1);
      const output = JSON.parse(run.stdout) as { findings: Record<string, unknown>[]; summary: { errors: number } };
      const finding = output.findings.find((item) => item.code === 'POS3004');
      assert.ok(finding);
      assert.equal(finding.file, MISTAKES);
      assert.equal(finding.line, 20);
      assert.equal(finding.column, 18);
      assert.deepEqual(finding.end, { line: 20, column: 30 });
      assert.equal(finding.severity, 'error');
      assert.match(String(finding.message), /less safe/);
      assert.equal(output.summary.errors, output.findings.filter((item) => item.severity === 'error').length);
    });

    it('--format sarif validates against the SARIF 2.1.0 schema', () => {
      const run = posology(['check', 'examples', '--format', 'sarif']);
      assert.equal(run.status, 1);
      const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
      const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
      const ajv = new AjvDraft04.default({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
      const validate = ajv.compile(schema);
      assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
      const results = log.runs[0].results;
      assert.ok(results.some((result) => result.ruleId === 'POS3004' && result.level === 'error'));
      assert.ok(results.some((result) => result.ruleId === 'POS3005' && result.level === 'note'));
    });

    it('--labels adds a label folder for protocols outside the project', () => {
      const dir = tempProject({ 'p.dose': readRepo('examples', 'pd-multiple-myeloma.dose') });
      const without = posology(['check', path.join(dir, 'p.dose')]);
      assert.equal(without.status, 1);
      assert.match(without.stdout, /POS2001: No label defines the drug 'pomalidomide'/);
      const withLabels = posology(['check', path.join(dir, 'p.dose'), '--labels', repoPath('labels')]);
      assert.equal(withLabels.status, 0, withLabels.stdout);
    });

    it('finds the labels from each file\'s own folder upwards, not from the working directory', () => {
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'examples/p.dose': readRepo('examples', 'pd-multiple-myeloma.dose'), 'elsewhere/readme.txt': '' });
      const inside = posology(['check', 'p.dose'], path.join(dir, 'examples'));
      assert.equal(inside.status, 0, inside.stdout);
      const fromElsewhere = posology(['check', path.join(dir, 'examples', 'p.dose')], path.join(dir, 'elsewhere'));
      assert.equal(fromElsewhere.status, 0, fromElsewhere.stdout);
      // A labels/ folder in the working directory is not the protocol's: it is not read.
      const other = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': '' });
      const stray = tempProject({ 'p.dose': readRepo('examples', 'pd-multiple-myeloma.dose') });
      const run = posology(['check', path.join(stray, 'p.dose')], other);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stdout, /POS2001: No label defines the drug 'pomalidomide'; looked in the files given, no labels folder in [^\n]*posology-cli-[^/\n]+\/labels, [^\n]*; add a label folder with --labels DIR/);
      assert.doesNotMatch(run.stdout.split('\n')[0], new RegExp(`${path.basename(other)}/labels`));
    });

    it('POS2001 names the labels folder it used when the drug is not in it', () => {
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': readRepo('examples', 'pd-multiple-myeloma.dose').replace('drug pomalidomide', 'drug lenalidomide') });
      const run = posology(['check', 'p.dose', '--no-verify'], dir);
      assert.match(run.stdout, /POS2001: No label defines the drug 'lenalidomide'; looked in the files given, the nearest labels folder, labels; add a label folder with --labels DIR/);
    });

    it('checks a file given twice (./x.dose x.dose) once', () => {
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'x.dose': readRepo('examples', 'pd-multiple-myeloma.dose').replace('start 4 mg', 'start 5 mg') });
      const run = posology(['check', './x.dose', 'x.dose', '--no-verify'], dir);
      assert.equal(run.status, 1);
      assert.equal(run.stdout.match(/POS3001/g)?.length, 1, run.stdout);
      assert.match(lastLine(run.stdout), /^1 file checked: /);
    });

    it('finds labels/ in the nearest ancestor folder', () => {
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'a/b/p.dose': readRepo('examples', 'pd-multiple-myeloma.dose') });
      const run = posology(['check', '.'], dir);
      assert.equal(run.status, 0, run.stdout);
      assert.match(lastLine(run.stdout), /^2 files checked: 0 errors/);
    });

    it('withholds checks against a label with errors and says why', () => {
      const broken = readRepo('labels', 'pomalidomide.dose').replace('quantity /uL normal 4000 /uL', 'quantity /uL normal 4000 furlongs');
      const dir = tempProject({ 'labels/l.dose': broken, 'p.dose': readRepo('examples', 'pd-multiple-myeloma.dose') });
      const run = posology(['check', 'p.dose'], dir);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /POS2012: The pomalidomide label has 1 error\(s\) of its own; checks and tests against it are withheld/);
      assert.doesNotMatch(run.stdout, /POS3\d{3}|POS5001/);
    });

    it('reports binary garbage as diagnostics, not a crash', () => {
      const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
      const dir = tempProject({ 'g.dose': garbage });
      const run = posology(['check', 'g.dose'], dir);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /g\.dose:\d+:\d+: error POS100[12]/);
      assertNoStackTrace(run);
    });

    it('accepts an empty file', () => {
      const dir = tempProject({ 'empty.dose': '' });
      const run = posology(['check', 'empty.dose'], dir);
      assert.equal(run.status, 0, run.stdout + run.stderr);
    });
  });

  describe('fail closed', () => {
    const unsafe = (rules: string) =>
      readRepo('examples', 'pd-multiple-myeloma.dose')
        .replace(/^  rule [^\n]*\n/gm, '')
        .replace(/^  test "[^"]*" \{[^}]*\}\n/gm, '')
        .replace('  with dexamethasone', `${rules}\n  with dexamethasone`);

    // The label of the treatment courses has no `resuming_after_neutropenia` fact any more (a
    // resume is `hold ... until ... then resume at most previous - 1 mg`, checked by scenarios),
    // so the dose the verifier must catch here is one above a cap.
    it('check verifies by default: a dose above the strong CYP1A2 inhibitor cap fails with a counterexample', () => {
      const text = readRepo('examples', 'pd-multiple-myeloma.dose').replace('when strong_cyp1a2_inhibitor then dose 2 mg', 'when strong_cyp1a2_inhibitor then dose 3 mg');
      assert.ok(text.includes('then dose 3 mg\n'), 'the mutation applies');
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': text });
      const run = posology(['check', 'p.dose'], dir);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stdout, /error POS4001: .*strong_cyp1a2_inhibitor/);
      assert.match(run.stdout, /counterexample/);
      const skipped = posology(['check', 'p.dose', '--no-verify'], dir);
      assert.doesNotMatch(skipped.stdout, /POS4001/);
    });

    it('check searches courses by default: dexamethasone stopped after cycle 4 passes every single day and every line check, and fails the course', () => {
      const text = readRepo('examples', 'pd-multiple-myeloma.dose').replace('with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'with dexamethasone 40 mg oral days 1, 8, 15, 22 cycles 1-4 when age <= 75 a');
      assert.ok(text.includes('cycles 1-4 when'), 'the mutation applies');
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': text });
      const run = posology(['check', 'p.dose'], dir);
      assert.equal(run.status, 1, run.stdout);
      // Found only on a course: cycle 5 day 1 gives no dexamethasone; written as a test that gives the cycle and the day.
      assert.match(run.stdout, /p\.dose:20:3: error POS4001: cycle 5, day 1 \(multiple_myeloma\): this protocol gives no dexamethasone; the label requires dexamethasone 40 mg/);
      const single = posology(['check', 'p.dose', '--no-courses'], dir);
      assert.equal(single.status, 0, `single days and the line checks pass it: ${single.stdout}`);
    });

    it('check searches courses by default: a second resume to the same amount breaks the label on a course (POS4003), as the line check says (POS3023)', () => {
      const text = readRepo('examples', 'pd-multiple-myeloma.dose').replace('until platelets >= 50000 /uL then resume at previous - 1 level', 'until platelets >= 50000 /uL then resume at 3 mg');
      assert.ok(text.includes('then resume at 3 mg'), 'the mutation applies');
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': text });
      const run = posology(['check', 'p.dose'], dir);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stdout, /error POS4003: A course of \d+ days \(multiple_myeloma\): .*platelets = 24999 \/uL -> hold; .*this protocol gives dose 3 mg; the label requires at most 2 mg/);
      assert.match(run.stdout, /error POS3023: Rule 'thrombocytopenia' resumes at 3 mg after a hold from 3 mg/);
      const single = posology(['check', 'p.dose', '--no-courses'], dir);
      assert.doesNotMatch(single.stdout, /POS4003/);
    });

    it('check fails `and` written for `or` in the neutropenia rule', () => {
      const text = readRepo('examples', 'pd-multiple-myeloma.dose').replace('when ANC < 500 /uL or febrile_neutropenia then hold', 'when ANC < 500 /uL and febrile_neutropenia then hold');
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': text });
      const run = posology(['check', 'p.dose'], dir);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stdout, /POS4001/);
    });

    it('check fails a protocol with no safety rules: every uncovered hold, discontinue and cap is an error', () => {
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': unsafe('') });
      const run = posology(['check', 'p.dose', '--no-verify', '--format', 'json'], dir);
      assert.equal(run.status, 1, run.stdout);
      const output = JSON.parse(run.stdout) as { findings: { code: string; severity: string }[] };
      const uncovered = output.findings.filter((item) => item.code === 'POS3006');
      assert.ok(uncovered.length >= 10);
      assert.ok(uncovered.every((item) => item.severity === 'error'));
    });

    it('test fails a protocol without tests and says so; --allow-empty accepts it', () => {
      // Tests and scenarios both: a scenario's steps are run as tests.
      const text = readRepo('examples', 'pd-multiple-myeloma.dose')
        .replace(/^  test "[^"]*" \{[^}]*\}\n/gm, '')
        .replace(/^  test "[^"]*" \{\n[^}]*\}\n/gm, '')
        .replace(/^  scenario "[^"]*" \{\n[\s\S]*?^  \}\n/gm, '');
      assert.doesNotMatch(text, /^\s*(test|scenario) "/m);
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': text });
      const run = posology(['test', 'p.dose'], dir);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stdout, /error POS5003: The protocol "Pd: pomalidomide \+ low-dose dexamethasone" has no tests/);
      assert.match(run.stdout, /No test was run/);
      assert.match(lastLine(run.stdout), /^0 passed, 0 failed$/);
      const allowed = posology(['test', 'p.dose', '--allow-empty'], dir);
      assert.equal(allowed.status, 0, allowed.stdout);
      assert.doesNotMatch(allowed.stdout, /POS5003|No test was run/);
    });

    it('test accepts a protocol whose only tests are scenarios: no POS5003', () => {
      const text = readRepo('examples', 'pd-multiple-myeloma.dose').replace(/^  test "[^"]*" \{[^}]*\}\n/gm, '').replace(/^  test "[^"]*" \{\n[^}]*\}\n/gm, '');
      assert.doesNotMatch(text, /^\s*test "/m);
      assert.match(text, /^\s*scenario "/m);
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': text });
      const run = posology(['test', 'p.dose'], dir);
      assert.equal(run.status, 0, run.stdout);
      assert.doesNotMatch(run.stdout, /POS5003/);
    });

    it('test on a file with no protocol at all fails unless --allow-empty', () => {
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'empty.dose': '// nothing yet\n' });
      assert.equal(posology(['test', 'empty.dose'], dir).status, 1);
      assert.equal(posology(['test', 'empty.dose', '--allow-empty'], dir).status, 0);
    });
  });

  describe('boundaries', () => {
    it('refuses a symlink that leads outside the folders given, with a diagnostic on the link', () => {
      const outside = tempProject({ 'elsewhere.dose': readRepo('examples', 'pd-multiple-myeloma.dose') });
      const dir = tempProject({ 'labels/l.dose': readRepo('labels', 'pomalidomide.dose'), 'p.dose': readRepo('examples', 'pd-multiple-myeloma.dose') });
      fs.symlinkSync(path.join(outside, 'elsewhere.dose'), path.join(dir, 'link.dose'));
      const run = posology(['check', '.'], dir);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stdout, /link\.dose:1:1: error POS1006: This file leads outside the workspace \(it links to .*elsewhere\.dose\); Posology does not read it/);
      assert.match(run.stdout, /^2 files checked|1 file checked/m);
    });

    it('gives a file over the size limit one diagnostic instead of reading it', () => {
      const dir = tempProject({ 'huge.dose': `// ${'x'.repeat(5 * 1024 * 1024 + 10)}\n` });
      const run = posology(['check', 'huge.dose'], dir);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /huge\.dose:1:1: error POS1005: This file is 5\.0 MB; Posology checks files up to 5 MB/);
    });
  });

  describe('test', () => {
    it('ends with "N passed, N failed" and exits 0 when all pass', () => {
      const run = posology(['test', 'examples/pd-multiple-myeloma.dose', 'examples/ks-kaposi-sarcoma.dose']);
      assert.equal(run.status, 0, run.stdout);
      assert.match(lastLine(run.stdout), /^\d+ passed, 0 failed$/);
      assert.match(run.stdout, /PASS Pd: pomalidomide \+ low-dose dexamethasone > grade 4 neutropenia/);
    });

    it('shows a failure at the expect line with expected, actual and the deciding rule, and exits 1', () => {
      const run = posology(['test', MISTAKES]);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /FAIL .* > ANC 450 \/uL is held\n\s+examples\/mistakes\/pd-with-mistakes\.dose:39:\d+: expected hold, got dose 5 mg \(decided by start dose\)/);
      assert.match(lastLine(run.stdout), /^2 passed, 1 failed$/);
    });

    it('counts scenario steps, says how many tests, scenarios and steps, and lists steps in JSON', () => {
      const run = posology(['test', 'examples/pd-multiple-myeloma.dose']);
      assert.equal(run.status, 0, run.stdout);
      assert.match(run.stdout, /PASS Pd: pomalidomide \+ low-dose dexamethasone > two neutropenia episodes > cycle 1 day 15\n/);
      const [counts, summary] = run.stdout.trimEnd().split('\n').slice(-2);
      const match = /^(\d+) tests, (\d+) scenarios of (\d+) steps$/.exec(counts);
      assert.ok(match, counts);
      assert.equal(summary, `${Number(match[1]) + Number(match[3])} passed, 0 failed`);
      const json = posology(['test', 'examples/pd-multiple-myeloma.dose', '--format', 'json']);
      const rows = (JSON.parse(json.stdout) as { tests: { title: string; scenario?: string; step?: number; line: number; passed: boolean }[] }).tests;
      const step = rows.find((row) => row.title === 'a cycle start waits for platelets > day 36');
      assert.deepEqual(step && { scenario: step.scenario, step: step.step, passed: step.passed }, { scenario: 'a cycle start waits for platelets', step: 2, passed: true });
      assert.equal(rows.filter((row) => row.scenario !== undefined).length, Number(match[3]));
    });

    it('a failing scenario step fails the run at its expect', () => {
      const dir = tempProject({
        'labels/pomalidomide.dose': readRepo('labels', 'pomalidomide.dose'),
        'p.dose': readRepo('examples', 'pd-multiple-myeloma.dose').replace('cycle 1 day 15: ANC = 700 /uL expect dose 3 mg', 'cycle 1 day 15: ANC = 700 /uL expect dose 4 mg'),
      });
      const run = posology(['test', 'p.dose'], dir);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stdout, /FAIL .* > two neutropenia episodes > cycle 1 day 15\n\s+p\.dose:\d+:\d+: expected dose 4 mg, got dose 3 mg \(decided by rule neutropenia \(resumed at 3 mg\)\)/);
      assert.match(lastLine(run.stdout), /^\d+ passed, 1 failed$/);
    });

    describe('scenarios', () => {
      // The SPEC-v2 protocol with one wrong step: the second episode's hold written as a dose.
      const fixture = readRepo('test/fixtures/v2/spec-v2-pd.dose').replace('cycle 2 day 8: ANC = 300 /uL expect hold', 'cycle 2 day 8: ANC = 300 /uL expect dose 3 mg');
      const project = () => tempProject({ 'labels/pomalidomide.dose': readRepo('labels/pomalidomide.dose'), 'pd.dose': fixture });
      const wrongLine = fixture.split('\n').findIndex((line) => line.includes('cycle 2 day 8:')) + 1;

      it('counts steps and scenarios; a failing step is one FAIL line at its expect, the summary line unchanged', () => {
        const run = posology(['test', 'pd.dose'], project());
        assert.equal(run.status, 1, run.stdout);
        assert.match(run.stdout, /PASS Pd with the full dose-modification table > two neutropenia episodes > cycle 1 day 15/);
        assert.match(run.stdout, new RegExp(`FAIL Pd with the full dose-modification table > two neutropenia episodes > cycle 2 day 8\\n\\s+pd\\.dose:${wrongLine}:\\d+: expected dose 3 mg, got hold \\(decided by rule neutropenia`));
        assert.doesNotMatch(run.stdout, /POS5005/, 'the failing step is shown once, as its FAIL line');
        // The SPEC-v2 fixture leaves label lines uncovered (POS3006 errors); those are the only errors counted.
        const printed = (run.stdout.match(/: error POS/g) ?? []).length;
        const counted = Number(/(\d+) errors? in the files tested/.exec(run.stdout)?.[1] ?? 0);
        assert.equal(counted, printed, 'a failing step is a failure, not an error besides it');
        assert.match(run.stdout, /\n2 tests, 2 scenarios of 9 steps\n10 passed, 1 failed\n$/);
      });

      it('--format json carries scenario and step on each row, on the failure, and counts them', () => {
        const run = posology(['test', 'pd.dose', '--format', 'json'], project());
        const json = JSON.parse(run.stdout) as {
          tests: { title: string; scenario?: string; step?: number; passed: boolean; line: number }[];
          findings: { code: string; line: number; test?: { protocol: string; test: string; scenario?: string; step?: number } }[];
          summary: Record<string, number>;
        };
        const failed = json.tests.filter((row) => !row.passed);
        assert.deepEqual(failed.map((row) => [row.scenario, row.step, row.line]), [['two neutropenia episodes', 4, wrongLine]]);
        assert.equal(json.tests.find((row) => row.title === 'day 1')?.scenario, undefined);
        const finding = json.findings.find((row) => row.code === 'POS5005');
        assert.deepEqual(finding?.test, { protocol: 'Pd with the full dose-modification table', test: 'two neutropenia episodes > cycle 2 day 8', scenario: 'two neutropenia episodes', step: 4 });
        assert.equal(finding?.line, wrongLine);
        assert.deepEqual(
          { passed: json.summary.passed, failed: json.summary.failed, tests: json.summary.tests, scenarios: json.summary.scenarios, steps: json.summary.steps },
          { passed: 10, failed: 1, tests: 2, scenarios: 2, steps: 9 },
        );
      });

      it('--format sarif names the scenario and step of a failing step in its properties', () => {
        const run = posology(['test', 'pd.dose', '--format', 'sarif'], project());
        const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; properties?: Record<string, unknown>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
        const result = log.runs[0].results.find((item) => item.ruleId === 'POS5005');
        assert.ok(result, 'the failing step is a SARIF result');
        assert.deepEqual(result.properties, { protocol: 'Pd with the full dose-modification table', test: 'two neutropenia episodes > cycle 2 day 8', scenario: 'two neutropenia episodes', step: 4 });
        assert.equal(result.locations[0].physicalLocation.region.startLine, wrongLine);
      });
    });
  });

  describe('verify', () => {
    it('says "verified" for a protocol whose every state was explored clean, exit 0', () => {
      const run = posology(['verify', 'examples/pd-multiple-myeloma.dose']);
      assert.equal(run.status, 0, run.stdout);
      // Courses are searched by default: "verified" covers courses of any length.
      assert.match(run.stdout, /Pd: pomalidomide \+ low-dose dexamethasone: verified \((\d+) of \1 states explored, no counterexample; \d+ course states over day segments, courses of any length\)/);
    });

    it('--no-courses verifies single days only and says so; --courses (the default) is still accepted', () => {
      const single = posology(['verify', 'examples/ks-kaposi-sarcoma.dose', '--no-courses']);
      assert.equal(single.status, 0, single.stdout);
      assert.match(single.stdout, /: verified \((\d+) of \1 states explored, no counterexample; single days only, courses not searched \(--no-courses\)\)/);
      const both = posology(['verify', 'examples/ks-kaposi-sarcoma.dose', '--courses']);
      assert.equal(both.status, 0, both.stdout);
      assert.match(both.stdout, /: verified \(\d+ of \d+ states explored, no counterexample; \d+ course states( over day segments| \(exact search after \d+ over day segments\))?, courses of any length\)/);
    });

    it('reports counterexamples on the deciding rule and exits 1; --explain prints a test for each', () => {
      const run = posology(['verify', MISTAKES, '--explain']);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /pd-with-mistakes\.dose:24:3: error POS4001: dialysis \(multiple_myeloma\): this protocol gives dose 4 mg after dialysis; the label requires at most 3 mg/);
      assert.match(run.stdout, /test "[^"]+" \{\s+given dialysis\s+expect dose 3 mg after dialysis\s+\}/);
      assert.match(run.stdout, /: \d+ counterexamples \(\d+ of \d+ states explored; \d+ course states( over day segments| \(exact search after \d+ over day segments\))?, courses of any length\)/);
    });

    it('says where it stopped, and never "verified", when the state budget runs out', () => {
      const run = posology(['verify', 'examples/pd-multiple-myeloma.dose', '--max-states', '10']);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /stopped after \d+ of \d+ patient states: state budget of 10 evaluated states reached; not verified/);
      assert.doesNotMatch(run.stdout, /: verified/);
      assert.match(run.stdout, /POS4002/);
    });

    it('check --verify --format json carries the counterexamples and a row per protocol', () => {
      const run = posology(['check', MISTAKES, '--verify', '--format', 'json']);
      assert.equal(run.status, 1);
      const output = JSON.parse(run.stdout) as { findings: { code: string }[]; verifications: { status: string; counterexamples: number }[] };
      assert.ok(output.findings.some((item) => item.code === 'POS4001'));
      assert.equal(output.verifications.length, 1);
      assert.equal(output.verifications[0].status, 'counterexamples');
    });
  });

  describe('usage errors', () => {
    const cases: [string, string[], RegExp][] = [
      ['no such path', ['check', 'no/such/file.dose'], /^posology: no such file or folder: no\/such\/file\.dose$/m],
      ['invalid format', ['check', 'examples', '--format', 'xml'], /invalid --format 'xml'/],
      ['not a .dose file', ['check', 'package.json'], /not a \.dose file: package\.json/],
      ['folder without .dose files', ['check', 'docs'], /no \.dose files in docs/],
      ['unknown command', ['lint', 'examples'], /unknown command 'lint'/],
      ['no command', [], /no command given/],
      ['no paths', ['check'], /no PATHS given/],
      ['missing --labels folder', ['check', 'examples', '--labels', 'nowhere'], /--labels: no such folder: nowhere/],
      ['bad --max-states', ['verify', 'examples', '--max-states', 'many'], /--max-states needs a positive whole number/],
      ['unknown option', ['check', 'examples', '--fast'], /unknown option '--fast'/],
      ['--no-verify on verify', ['verify', 'examples', '--no-verify'], /--no-verify is an option of check, not of verify/],
      ['--allow-empty on check', ['check', 'examples', '--allow-empty'], /--allow-empty is an option of test, not of check/],
    ];
    for (const [name, args, message] of cases) {
      it(`${name}: exit 2 with a one-line message`, () => {
        const run = posology(args);
        assert.equal(run.status, 2);
        assert.match(run.stderr, message);
        assert.equal(run.stdout, '');
        assertNoStackTrace(run);
      });
    }

    it('permission denied: exit 2 with a one-line message', () => {
      const dir = tempProject({ 'secret.dose': 'protocol {}' });
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(path.join(dir, 'secret.dose'), 0o000);
      // root reads anything, so as root the binary runs as nobody to meet the refusal.
      const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
      const run = posology(['check', 'secret.dose'], dir, nobody);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /^posology: cannot read secret\.dose: permission denied$/m);
      assertNoStackTrace(run);
    });

    it('--help prints usage and exits 0', () => {
      const run = posology(['--help']);
      assert.equal(run.status, 0);
      assert.match(run.stdout, /^Usage: posology <command>/);
    });

    it('each command has its own --help, with its own options', () => {
      const check = posology(['check', '--help']);
      assert.equal(check.status, 0);
      assert.match(check.stdout, /^Usage: posology check \[options\] PATHS/);
      assert.match(check.stdout, /--no-verify/);
      assert.doesNotMatch(check.stdout, /--allow-empty|--explain/);
      const test = posology(['help', 'test']);
      assert.match(test.stdout, /^Usage: posology test \[options\] PATHS/);
      assert.match(test.stdout, /--allow-empty/);
      const verify = posology(['verify', '-h']);
      assert.match(verify.stdout, /^Usage: posology verify \[options\] PATHS/);
      assert.match(verify.stdout, /--explain/);
    });
  });
});
