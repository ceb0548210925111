// The course search over day segments (docs/verification.md, "Speed") over-approximates
// the courses: whenever the exact search finds a broken line, it finds it too (so "no
// broken line over day segments" is a sound "verified"), every day of a class decides
// alike (`checkSegments` steps each and throws otherwise), the examples are decided by
// it without the exact search, and where it finds a broken line the exact search
// decides: the counterexample is the real shortest course.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../server/src/checks/analysis.js';
import type { ResolvedProtocol } from '../../server/src/semantics/model.js';
import { makeBudget } from '../../server/src/verify/budget.js';
import { checkContext } from '../../server/src/verify/course-checks.js';
import { exploreCourses, machinesOf, type CourseExploration } from '../../server/src/verify/course-explore.js';
import { ALL_REDUCTIONS, buildCourseSpace } from '../../server/src/verify/course-space.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { coursePd, root, type CoursePdVariant } from './helpers.js';

const label = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'test', 'fixtures', 'v2', 'verify-label.dose'), 'utf8') };
const LONG = { timeBudgetMs: 120_000, maxStates: 2_000_000 };

function protocolOf(text: string): ResolvedProtocol {
  const [file] = analyze([{ path: 'p.dose', text }], [label]);
  assert.equal(file.protocols.length, 1, file.findings.map((item) => item.message).join('; '));
  return file.protocols[0];
}

/** The broken lines (each with its shortest course, in steps of the search) and the run; `companionDays` false: days differing in a companion's schedule kept apart. */
function search(protocol: ResolvedProtocol, segments: boolean, companionDays = true): { lines: Map<string, number>; run: CourseExploration } {
  const lines = new Map<string, number>();
  const run = exploreCourses(protocol, machinesOf(protocol), checkContext(protocol), buildCourseSpace(protocol, { ...ALL_REDUCTIONS, companionDays }), makeBudget(LONG), {
    mergeInputs: true,
    segments,
    checkSegments: segments,
    observe: (days, violation) => lines.set(violation.line.id, Math.min(days, lines.get(violation.line.id) ?? Infinity)),
  });
  assert.equal(run.stopped, undefined);
  return { lines, run };
}

/** Over day segments, every line the exact search finds broken, in every root it is broken in, and no more states. */
function assertOverApproximates(protocol: ResolvedProtocol): { exact: ReturnType<typeof search>; segmented: ReturnType<typeof search> } {
  const exact = search(protocol, false);
  const segmented = search(protocol, true);
  for (const line of exact.lines.keys()) assert.ok(segmented.lines.has(line), `line ${line} broken by a course, not over day segments`);
  for (const unsafe of exact.run.unsafeRoots) assert.ok(segmented.run.unsafeRoots.includes(unsafe), `root ${unsafe}`);
  assert.ok(segmented.run.expanded <= exact.run.expanded, `${segmented.run.expanded} <= ${exact.run.expanded}`);
  // Days that differ only in a companion's schedule as one class (their companions checked on each such day): every
  // line broken with those days kept apart is broken, in every root it is broken in, in no more states.
  const apart = search(protocol, true, false);
  for (const line of apart.lines.keys()) assert.ok(segmented.lines.has(line), `line ${line} broken with companion days apart, not merged`);
  for (const unsafe of apart.run.unsafeRoots) assert.ok(segmented.run.unsafeRoots.includes(unsafe), `root ${unsafe} (companion days apart)`);
  assert.ok(segmented.run.expanded <= apart.run.expanded, `${segmented.run.expanded} <= ${apart.run.expanded}`);
  return { exact, segmented };
}

const DEXAMETHASONE = ['with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a'];
const FACTS = ['fact frail "Frail": boolean', 'fact infection "Active infection": boolean'];

const VARIANTS: [string, CoursePdVariant, boolean][] = [
  ['the correct Pd', {}, false],
  ['resume at same dose', { neutropenia: 'same dose' }, true],
  ['no cycle gate', { gate: null }, true],
  ['dexamethasone 40 mg at any age', { dexamethasone: ['with dexamethasone 40 mg oral days 1, 8, 15, 22'] }, true],
  ['dexamethasone only in cycles 1-2', { dexamethasone: DEXAMETHASONE.map((line) => line.replace(' when', ' cycles 1-2 when')) }, true],
  ['dexamethasone on day 9 instead of day 8', { dexamethasone: DEXAMETHASONE.map((line) => line.replace('8,', '9,')) }, true],
  [
    'an unchecked companion by cycles, fixed holds and dose rules, correct',
    { facts: FACTS, extra: ['with bortezomib 1.3 mg/m2 sc days 1, 8 cycles 1-3', 'rule frail: when frail then dose 3 mg', 'rule infection: when infection then hold', 'rule late: when infection and age > 75 a then hold bortezomib'] },
    false,
  ],
  [
    'a rule on the day of the cycle, correct',
    { facts: FACTS, extra: ['rule early: when day <= 3 and frail then dose 3 mg'] },
    false,
  ],
  ['a hold naming the drug and a companion, at the same dose', { neutropenia: 'same dose', facts: FACTS, extra: ['rule infection: when infection then hold pomalidomide, dexamethasone'] }, true],
];

describe('verify: the course search over day segments', () => {
  for (const [name, variant, unsafe] of VARIANTS) {
    it(`${name}: every line a course breaks is broken over day segments too; every day of a class decides alike`, function () {
      this.timeout(120_000);
      const { exact, segmented } = assertOverApproximates(protocolOf(coursePd(variant)));
      assert.equal(exact.lines.size > 0, unsafe, `broken: ${[...exact.lines.keys()].join(', ')}`);
      // On these, no course of the segments breaks a line no real course breaks.
      assert.deepEqual([...segmented.lines.keys()].sort(), [...exact.lines.keys()].sort());
    });
  }

  it('random variants of the Pd: a line a course breaks is broken over day segments too', function () {
    this.timeout(300_000);
    const resume = fc.constantFrom('previous - 1 level', 'same dose', 'at 1 mg');
    const gate = fc.constantFrom<string | null>(null, 'ANC >= 500 /uL and platelets >= 50000 /uL', 'platelets >= 50000 /uL');
    const days = fc.constantFrom('1, 8, 15, 22', '1, 8, 15', '1-4, 9-12', '2, 8, 15, 22', '1, 8, 15, 22, 28');
    const extra = fc.subarray(['rule frail: when frail then dose 3 mg', 'rule early: when day < 5 and frail then dose 2 mg', 'rule late: when day >= 15 and infection then no dose', 'rule rest: when day > 21 and frail then hold', 'with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11']);
    fc.assert(
      fc.property(resume, gate, days, fc.boolean(), extra, (neutropenia, gateLine, dexDays, banded, lines) => {
        const dexamethasone = banded ? DEXAMETHASONE.map((line) => line.replace('1, 8, 15, 22', dexDays)) : [`with dexamethasone 40 mg oral days ${dexDays}`];
        const protocol = protocolOf(coursePd({ neutropenia: neutropenia.replace(/^at /, ''), gate: gateLine, dexamethasone, facts: FACTS, extra: lines }));
        assertOverApproximates(protocol);
      }),
      { numRuns: 25, seed: 20261207 },
    );
  });

  describe('the examples are decided over day segments, without the exact search', () => {
    const labelFile = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'labels', 'pomalidomide.dose'), 'utf8') };
    for (const name of ['pd-multiple-myeloma.dose', 'pvd-multiple-myeloma.dose', 'dpd-multiple-myeloma.dose', 'ks-kaposi-sarcoma.dose']) {
      it(name, function () {
        this.timeout(120_000);
        const text = readFileSync(join(root, 'examples', name), 'utf8');
        const [file] = analyze([{ path: `examples/${name}`, text }], [labelFile]);
        const protocol = file.protocols[0];
        const result = verifyProtocol(protocol, { text, courses: true, timeBudgetMs: 120_000 });
        assert.equal(result.status, 'verified');
        assert.equal(result.courses?.decidedBy, 'day segments');
        assert.equal(result.courses?.segmentStates, undefined);
        // And every day of each class decides alike on them (the search throws otherwise).
        const run = exploreCourses(protocol, machinesOf(protocol), checkContext(protocol), buildCourseSpace(protocol), makeBudget(LONG), { mergeInputs: true, segments: true, checkSegments: true });
        assert.equal(run.stopped, undefined);
        assert.deepEqual(run.unsafeRoots, []);
        assert.equal(run.expanded, result.courses?.statesExplored);
      });
    }
  });

  it('a protocol unsafe only on the fifth day of a long segment still fails, with the real shortest course', function () {
    this.timeout(120_000);
    // Levels down to 1.5 mg where the label allows at most previous - 1 mg: the third resume (2 -> 1.5 mg) breaks it.
    // Without a gate: hold on day 1, resume on 2, hold on 3, resume on 4, hold on 5, resume on 6 (days 2-7 are one segment).
    const text = coursePd({ gate: null }).replace('levels 4 mg, 3 mg, 2 mg, 1 mg', 'levels 4 mg, 3 mg, 2 mg, 1.5 mg');
    const protocol = protocolOf(text);
    assert.deepEqual(buildCourseSpace(protocol).segments?.starts.slice(0, 3), [1, 2, 8]);
    const { exact, segmented } = assertOverApproximates(protocol);
    assert.ok(segmented.run.unsafeRoots.length > 0);
    const result = verifyProtocol(protocol, { text, courses: true, ...LONG });
    assert.equal(result.status, 'counterexamples');
    assert.equal(result.courses?.decidedBy, 'exact');
    assert.equal(result.courses?.segmentStates, segmented.run.expanded);
    assert.ok(result.courses && result.courses.statesExplored > segmented.run.expanded);
    const late = result.counterexamples.find((example) => /at most 1 mg/.test(example.required));
    assert.ok(late, result.counterexamples.map((example) => example.required).join('; '));
    assert.equal(late.days, 6);
    assert.ok(exact.lines.size > 0);
  });
});
