// Verification over courses (docs/verification.md, "Phase 2"): the product of the
// protocol's and the label's machines, searched breadth-first to the end.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type FileAnalysis } from '../../server/src/checks/analysis.js';
import type { ResolvedProtocol } from '../../server/src/semantics/model.js';
import { DEFAULT_MAX_STATES, makeBudget } from '../../server/src/verify/budget.js';
import { checkContext } from '../../server/src/verify/course-checks.js';
import { exploreCourses, machinesOf, type CourseExploration } from '../../server/src/verify/course-explore.js';
import { ALL_REDUCTIONS, buildCourseSpace } from '../../server/src/verify/course-space.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { applyEdits, coursePd, root, type CoursePdVariant } from './helpers.js';

const label = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'test', 'fixtures', 'v2', 'verify-label.dose'), 'utf8') };
const LONG = { timeBudgetMs: 60_000, courses: true };

function analyzed(text: string): FileAnalysis {
  const [file] = analyze([{ path: 'p.dose', text }], [label]);
  return file;
}

function protocolOf(text: string): ResolvedProtocol {
  const file = analyzed(text);
  assert.equal(file.protocols.length, 1, file.findings.map((item) => item.message).join('; '));
  return file.protocols[0];
}


describe('verify: courses', () => {
  it('a correct course protocol verifies: every course root searched to the end, a finite number of states', () => {
    const text = coursePd();
    assert.deepEqual(analyzed(text).findings.filter((item) => item.severity === 'error'), []);
    const result = verifyProtocol(protocolOf(text), { text, ...LONG });
    assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
    assert.equal(result.coverage, 'courses');
    assert.deepEqual(result.counterexamples, []);
    const courses = result.courses;
    assert.ok(courses);
    assert.equal(courses.complete, true);
    assert.equal(courses.coursesCompleted, courses.courses);
    assert.deepEqual(courses.varyingFacts, ['ANC', 'platelets']);
    assert.deepEqual(courses.fixedFacts, ['sjs_ten', 'age']);
    assert.equal(courses.inputsPerDay, 2 * 3);
    // 2 x 2 combinations of sjs_ten and age; the two with SJS/TEN act alike (the protocol discontinues on day 1): one course.
    // Age is read only by the dexamethasone lines and requires: one search compares both ages (a variant), so 2 courses, not 3.
    assert.equal(courses.combinations, 2 * 2);
    assert.equal(courses.courses, 2);
    assert.equal(courses.statesExplored, courses.statesReached);
    // Decided over day segments: days 1, 2-21, 22-28 are 3 classes of days (dexamethasone's days 8 and 15
    // differ from 2-21 only in a companion schedule: checked on day 8; day 23 likewise stands for 23-28 in the class of 22).
    assert.equal(courses.decidedBy, 'day segments');
    assert.equal(courses.segmentStates, undefined);
    const segments = buildCourseSpace(protocolOf(text)).segments;
    assert.equal(segments?.classes, 3);
    assert.deepEqual([...(segments?.companionDays ?? [])], [[2, [8]], [22, [23]]]);
    assert.equal(buildCourseSpace(protocolOf(text), { ...ALL_REDUCTIONS, companionDays: false }).segments?.classes, 5);
    // More than a cycle's classes of days per course (the calendar and the dose levels), and finite.
    assert.ok(courses.statesExplored > 4 * 5, String(courses.statesExplored));
    assert.ok(courses.depth > 5, String(courses.depth));
    // The exact search: more than a cycle's days.
    const protocol = protocolOf(text);
    const exact = exploreCourses(protocol, machinesOf(protocol), checkContext(protocol), buildCourseSpace(protocol), makeBudget(LONG));
    assert.equal(exact.stopped, undefined);
    assert.ok(exact.expanded > 4 * 28 && exact.expanded > courses.statesExplored, String(exact.expanded));
    assert.ok(exact.depth > 28, String(exact.depth));
  });

  describe('resuming at the same dose where the label says previous - 1 mg', () => {
    const text = coursePd({ neutropenia: 'same dose' });

    it('gives the shortest course: a hold, then the resume at the old dose', () => {
      const protocol = protocolOf(text);
      const result = verifyProtocol(protocol, { text, ...LONG });
      assert.equal(result.status, 'counterexamples');
      const [example] = result.counterexamples;
      assert.equal(result.counterexamples.length, 1, result.findings.map((item) => item.message).join('\n'));
      assert.equal(example.kind, 'scenario');
      assert.equal(example.days, 2);
      // ANC below 500 on a cycle's first day also fails the gate: the cycle waits, then starts on day 2 at the old dose.
      assert.deepEqual(example.timeline, ['cycle 1 day 1: ANC = 499 /uL -> hold (cycle 1 delayed)', 'day 2 (cycle 1 day 1): ANC = 4000 /uL -> dose 4 mg']);
      assert.equal(example.given, 'dose 4 mg');
      assert.equal(example.required, 'at most 3 mg');
      assert.equal(example.constraintText, 'hold when ANC < 500 /uL until ANC >= 500 /uL then resume at most previous - 1 mg');
      assert.equal(example.decidedBy?.name, 'neutropenia');
    });

    it('reports POS4003 on the rule that decided, with the timeline and the label line', () => {
      const result = verifyProtocol(protocolOf(text), { text, ...LONG });
      const [finding] = result.findings;
      assert.equal(finding.code, 'POS4003');
      assert.equal(finding.severity, 'error');
      assert.match(text.slice(finding.span.start, finding.span.end), /^rule neutropenia:/);
      assert.equal(
        finding.message,
        'A course of 2 days (multiple_myeloma): cycle 1 day 1: ANC = 499 /uL -> hold (cycle 1 delayed); day 2 (cycle 1 day 1): ANC = 4000 /uL -> this protocol gives dose 4 mg; the label requires at most 3 mg (label: hold when ANC < 500 /uL until ANC >= 500 /uL then resume at most previous - 1 mg); '
          + `${result.counterexamples[0].count} of the explored days break it this way`,
      );
      assert.equal(finding.related[0].file, 'labels/pomalidomide.dose');
    });

    it('"Add as scenario": the scenario parses, and fails at its last step (it reproduces the bug)', () => {
      const [finding] = verifyProtocol(protocolOf(text), { text, ...LONG }).findings;
      assert.equal(finding.fixes[0].title, 'Add as scenario');
      const fixed = applyEdits(text, finding.fixes[0].edits);
      assert.match(fixed, /  scenario "counterexample: 2 days \(label: hold when ANC < 500 \/uL until ANC >= 500 \/uL then resume at most previous - 1 mg\)" \{\n    cycle 1 day 1: ANC = 499 \/uL expect hold\n    day 2: ANC = 4000 \/uL expect dose 3 mg\n  \}\n\}\n$/);
      const analysis = analyzed(fixed);
      assert.deepEqual(analysis.findings.filter((item) => item.code.startsWith('POS1')), []);
      assert.deepEqual(analysis.findings.filter((item) => item.severity === 'error').map((item) => item.code), ['POS3023', 'POS5005']);
      // With the protocol fixed, the same scenario passes and the protocol verifies.
      const corrected = fixed.replace('resume at same dose', 'resume at previous - 1 level');
      assert.deepEqual(analyzed(corrected).findings.filter((item) => item.severity === 'error'), []);
      assert.equal(verifyProtocol(protocolOf(corrected), { text: corrected, ...LONG }).status, 'verified');
    });
  });

  it('a protocol with no cycle gate: the label holds the cycle, the protocol doses', () => {
    const text = coursePd({ gate: null });
    const result = verifyProtocol(protocolOf(text), { text, ...LONG });
    assert.equal(result.status, 'counterexamples');
    const example = result.counterexamples.find((item) => item.gate);
    assert.ok(example, result.findings.map((item) => item.message).join('\n'));
    assert.equal(example.constraintText, 'before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL');
    assert.equal(example.required, 'hold');
    assert.equal(example.given, 'dose 4 mg');
    // History does not matter on the first day: a one-day counterexample, a test.
    assert.equal(example.kind, 'test');
    assert.match(example.testText, /given platelets = 25000 \/uL\n {4}expect hold\n/);
  });

  it('a gate weaker than the label\'s lets a cycle start that the label holds', () => {
    const text = coursePd({ gate: 'ANC >= 500 /uL and platelets >= 30000 /uL' });
    const result = verifyProtocol(protocolOf(text), { text, ...LONG });
    const example = result.counterexamples.find((item) => item.gate);
    assert.ok(example);
    assert.equal(example.required, 'hold');
    assert.deepEqual(example.state, new Map([['platelets', 30000]]));
  });

  it('a companion dose against the label\'s requires with its condition (dexamethasone 40 mg over 75)', () => {
    const text = coursePd({ dexamethasone: ['with dexamethasone 40 mg oral days 1, 8, 15, 22'] });
    const protocol = protocolOf(text);
    const result = verifyProtocol(protocol, { text, ...LONG });
    const example = result.counterexamples.find((item) => item.requirement);
    assert.ok(example, result.findings.map((item) => item.message).join('\n'));
    assert.equal(example.given, 'dexamethasone 40 mg');
    assert.equal(example.required, 'dexamethasone 20 mg');
    assert.equal(example.constraintText, 'requires dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a');
    assert.deepEqual(example.state, new Map([['age', 76]]));
    assert.match(text.slice(example.span.start, example.span.end), /^with dexamethasone 40 mg/);
    assert.match(example.testText, /given age = 76 a\n {4}expect dose 4 mg, dexamethasone 20 mg\n/);
  });

  it('without `courses`, only single days are searched, and "verified" says so', () => {
    const text = coursePd({ neutropenia: 'same dose' });
    const result = verifyProtocol(protocolOf(text), { text });
    assert.equal(result.status, 'verified');
    assert.equal(result.coverage, 'single days');
    assert.equal(result.courses, undefined);
  });

  it('the Kaposi sarcoma example: every course searched, verified (a resume counts from the dose received, as the label does)', () => {
    const labelFile = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'labels', 'pomalidomide.dose'), 'utf8') };
    const text = readFileSync(join(root, 'examples', 'ks-kaposi-sarcoma.dose'), 'utf8');
    const [file] = analyze([{ path: 'examples/ks-kaposi-sarcoma.dose', text }], [labelFile]);
    const result = verifyProtocol(file.protocols[0], { text, ...LONG });
    assert.equal(result.courses?.complete, true);
    assert.equal(result.courses?.combinations, 256);
    // 29 courses before the held roots were merged (a hold rule on a fixed fact holds every day: one course stands for all such roots).
    assert.equal(result.courses?.courses, 9);
    // A CYP1A2 inhibitor (2 mg) or Child-Pugh (3 mg) and two neutropenia episodes: the protocol's
    // `previous - 1 mg` counts from the dose received, as the label's `at most previous - 1 mg` does.
    assert.deepEqual(result.counterexamples.map((example) => example.stateText), []);
    assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
    assert.equal(result.coverage, 'courses');
  });

  describe('every example finishes the course search within the default state budget, with margin', () => {
    const labelFile = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'labels', 'pomalidomide.dose'), 'utf8') };
    for (const name of ['pd-multiple-myeloma.dose', 'pvd-multiple-myeloma.dose', 'dpd-multiple-myeloma.dose', 'ks-kaposi-sarcoma.dose']) {
      it(`${name}: verified over courses of any length in under a quarter of ${DEFAULT_MAX_STATES} course states`, function () {
        this.timeout(120_000);
        const text = readFileSync(join(root, 'examples', name), 'utf8');
        const [file] = analyze([{ path: `examples/${name}`, text }], [labelFile]);
        const result = verifyProtocol(file.protocols[0], { text, ...LONG });
        assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
        assert.equal(result.coverage, 'courses');
        assert.ok(result.courses && result.courses.complete && result.courses.statesExplored * 4 < DEFAULT_MAX_STATES, String(result.courses?.statesExplored));
      });
    }
  });

  describe('inputs merged per state (input-classes.ts) are exact', () => {
    /** What a search reaches and breaks: its product states (by machine states) and its (rule, label line) groups. */
    function reached(protocol: ResolvedProtocol, mergeInputs: boolean): { run: CourseExploration; states: Set<string>; groups: string[] } {
      const machines = machinesOf(protocol);
      const run = exploreCourses(protocol, machines, checkContext(protocol), buildCourseSpace(protocol), makeBudget({ timeBudgetMs: 60_000 }), { mergeInputs });
      assert.equal(run.stopped, undefined);
      const states = new Set(run.nodes.map((node) => `${node.root}:${node.pid}:${node.lid}:${node.depth}`));
      const groups = run.groups.map((group) => `${group.decidedBy?.name ?? '-'}:${group.violation.line.id}`).sort();
      return { run, states, groups };
    }

    for (const [name, variant] of [
      ['the correct Pd', {}],
      ['resume at same dose', { neutropenia: 'same dose' }],
      ['no cycle gate', { gate: null }],
      ['dexamethasone 40 mg at any age', { dexamethasone: ['with dexamethasone 40 mg oral days 1, 8, 15, 22'] }],
    ] as [string, CoursePdVariant][]) {
      it(`${name}: the same states at the same depths and the same broken lines as stepping every input, in fewer days`, () => {
        const protocol = protocolOf(coursePd(variant));
        const merged = reached(protocol, true);
        const every = reached(protocol, false);
        assert.deepEqual(merged.groups, every.groups);
        // The same ids: both searches intern states in the same breadth-first order of first reach.
        assert.deepEqual([...merged.states].sort(), [...every.states].sort());
        assert.ok(merged.run.transitions < every.run.transitions, `${merged.run.transitions} < ${every.run.transitions}`);
      });
    }
  });

  describe('budgets', () => {
    it('a state budget that stops the course search says how far it got, never "verified"', () => {
      const text = coursePd();
      const full = verifyProtocol(protocolOf(text), { text, ...LONG });
      assert.ok(full.courses && full.courses.statesExplored > full.statesEvaluated);
      const result = verifyProtocol(protocolOf(text), { text, ...LONG, maxStates: full.statesEvaluated });
      assert.equal(result.status, 'stopped');
      assert.equal(result.coverage, 'single days');
      assert.equal(result.courses?.complete, false);
      assert.match(result.reason ?? '', /^stopped after \d+ course states \(\d+ of 2 courses searched to the end\): state budget of \d+ course states reached$/);
      const incomplete = result.findings.filter((item) => item.code === 'POS4002');
      assert.equal(incomplete.length, 1);
      assert.match(incomplete[0].message, /^Verification stopped after \d+ course states/);
    });

    it('a cancellation during the course search stops it', () => {
      const text = coursePd();
      let calls = 0;
      const result = verifyProtocol(protocolOf(text), { text, ...LONG, isCancelled: () => ++calls > 3 });
      assert.equal(result.status, 'stopped');
      assert.match(result.reason ?? '', /cancelled$/);
    });
  });
});
