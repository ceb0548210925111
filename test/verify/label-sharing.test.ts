// The course search shares the label's days across roots and inputs that its
// conditions cannot tell apart (course-explore.ts, `labelInputs`). That must be
// exact: with sharing on and off the search expands the same states in the same
// order, breaks the same lines in the same days and keeps the same first
// counterexample of each, and every label day it reuses is the day stepped anew in
// the reusing root and input (`checkShared` throws otherwise). Checked on the
// examples, on named and random variants of the Pd, and on labels whose conditions
// read `day`, `cycle` and `previous_dose` beside the varying facts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../server/src/checks/analysis.js';
import type { ResolvedProtocol } from '../../server/src/semantics/model.js';
import { makeBudget } from '../../server/src/verify/budget.js';
import { checkContext } from '../../server/src/verify/course-checks.js';
import { exploreCourses, machinesOf } from '../../server/src/verify/course-explore.js';
import { buildCourseSpace } from '../../server/src/verify/course-space.js';
import { coursePd, root, type CoursePdVariant } from './helpers.js';

const LONG = { timeBudgetMs: 120_000, maxStates: 2_000_000 };
const testLabel = readFileSync(join(root, 'test', 'fixtures', 'v2', 'verify-label.dose'), 'utf8');

/** The test label with `lines` added after its `lowest dose` line. */
function labelWith(lines: string[]): { path: string; text: string } {
  const anchor = '    lowest dose 1 mg\n';
  assert.ok(testLabel.includes(anchor));
  return { path: 'labels/pomalidomide.dose', text: testLabel.replace(anchor, anchor + lines.map((line) => `    ${line}\n`).join('')) };
}

function protocolOf(text: string, label = labelWith([]), path = 'p.dose'): ResolvedProtocol {
  const [file] = analyze([{ path, text }], [label]);
  assert.equal(file.protocols.length, 1, file.findings.map((item) => item.message).join('; '));
  return file.protocols[0];
}

/** Everything the search did, in order: the nodes, the broken lines (each day that broke one), the groups kept. */
function run(protocol: ResolvedProtocol, segments: boolean, shareLabel: boolean) {
  const broken: string[] = [];
  const result = exploreCourses(protocol, machinesOf(protocol), checkContext(protocol), buildCourseSpace(protocol), makeBudget(LONG), {
    mergeInputs: true,
    segments,
    shareLabel,
    checkShared: shareLabel,
    observe: (days, violation, fixed) => broken.push(`${days}:${violation.line.id}:${violation.required}:${JSON.stringify([...fixed])}`),
  });
  assert.equal(result.stopped, undefined);
  return {
    nodes: result.nodes.map((node) => [node.pid, node.root, node.parent, node.input, node.depth].join(',')),
    groups: result.groups.map((group) => ({ rule: group.decidedBy?.name, line: group.violation.line.id, required: group.violation.required, node: group.node, input: group.input, variant: group.variant, count: group.count })),
    broken,
    expanded: result.expanded,
    transitions: result.transitions,
    depth: result.depth,
    completed: result.completed,
    unsafeRoots: result.unsafeRoots,
  };
}

/** Sharing on and off search alike, exactly and over day segments (when the space has them); the number of lines broken. */
function assertSameSearch(protocol: ResolvedProtocol): number {
  let lines = 0;
  const space = buildCourseSpace(protocol);
  for (const segments of space.segments ? [false, true] : [false]) {
    const shared = run(protocol, segments, true);
    const apart = run(protocol, segments, false);
    assert.deepEqual(shared, apart, `segments ${segments}`);
    lines = Math.max(lines, new Set(shared.groups.map((group) => group.line)).size);
  }
  return lines;
}

const FACTS = ['fact frail "Frail": boolean', 'fact infection "Active infection": boolean'];
const DEXAMETHASONE = ['with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a'];
/** Label lines that read the calendar and the last dose beside the varying facts. */
const CALENDAR_LINES = ['at most 3 mg when cycle >= 3 and ANC < 1000 /uL', 'hold when day >= 25 and platelets < 100000 /uL', 'at most 2 mg when previous_dose <= 2 mg and ANC < 800 /uL'];

const VARIANTS: [string, CoursePdVariant, string[], boolean][] = [
  ['the correct Pd', {}, [], false],
  ['resume at same dose', { neutropenia: 'same dose' }, [], true],
  ['no cycle gate', { gate: null }, [], true],
  ['dexamethasone 40 mg at any age', { dexamethasone: ['with dexamethasone 40 mg oral days 1, 8, 15, 22'] }, [], true],
  ['fixed facts the label never reads (roots that share label days), correct', { facts: FACTS, extra: ['rule frail: when frail then dose 3 mg', 'rule infection: when infection then hold'] }, [], false],
  ['fixed facts the label never reads, dexamethasone on day 9', { facts: FACTS, dexamethasone: DEXAMETHASONE.map((line) => line.replace('8,', '9,')), extra: ['rule frail: when frail then dose 3 mg'] }, [], true],
  ['a label reading day, cycle and previous dose', { facts: FACTS, extra: ['rule frail: when frail then dose 3 mg'] }, CALENDAR_LINES, true],
  ['a label reading day, cycle and previous dose, resume at same dose', { neutropenia: 'same dose', facts: FACTS }, CALENDAR_LINES, true],
];

describe('verify: the label days shared across roots and inputs', () => {
  for (const [name, variant, labelLines, unsafe] of VARIANTS) {
    it(`${name}: the same search with sharing on and off`, function () {
      this.timeout(120_000);
      const lines = assertSameSearch(protocolOf(coursePd(variant), labelWith(labelLines)));
      assert.equal(lines > 0, unsafe);
    });
  }

  it('random variants of the Pd and its label: the same search with sharing on and off', function () {
    this.timeout(300_000);
    const resume = fc.constantFrom('previous - 1 level', 'same dose', 'at 1 mg');
    const gate = fc.constantFrom<string | null>(null, 'ANC >= 500 /uL and platelets >= 50000 /uL', 'platelets >= 50000 /uL');
    const extra = fc.subarray(['rule frail: when frail then dose 3 mg', 'rule early: when day < 5 and frail then dose 2 mg', 'rule late: when day >= 15 and infection then no dose', 'rule infection: when infection then hold']);
    const labelLines = fc.subarray([...CALENDAR_LINES, 'hold when ANC < 700 /uL', 'at most 2 mg when platelets < 75000 /uL']);
    fc.assert(
      fc.property(resume, gate, fc.boolean(), extra, labelLines, (neutropenia, gateLine, banded, lines, label) => {
        const dexamethasone = banded ? DEXAMETHASONE : ['with dexamethasone 40 mg oral days 1, 8, 15, 22'];
        assertSameSearch(protocolOf(coursePd({ neutropenia: neutropenia.replace(/^at /, ''), gate: gateLine, dexamethasone, facts: FACTS, extra: lines }), labelWith(label)));
      }),
      { numRuns: 8, seed: 20261208 },
    );
  });

  it('the examples: the same search with sharing on and off', function () {
    this.timeout(300_000);
    const labelFile = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'labels', 'pomalidomide.dose'), 'utf8') };
    for (const name of ['pd-multiple-myeloma.dose', 'pvd-multiple-myeloma.dose', 'dpd-multiple-myeloma.dose', 'ks-kaposi-sarcoma.dose']) {
      const text = readFileSync(join(root, 'examples', name), 'utf8');
      assert.equal(assertSameSearch(protocolOf(text, labelFile, `examples/${name}`)), 0, name);
    }
  });
});
