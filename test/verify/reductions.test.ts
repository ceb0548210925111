// The course search's reductions are exact (docs/verification.md, "Speed"): with
// each of them on, and with none, the search breaks the same label lines, and the
// shortest course that breaks each is as long. Checked on correct protocols and on
// unsafe ones (a resume at the same dose, no gate, companion mistakes on a day, by
// age and only from cycle 3), with companions checked and unchecked, fixed holds
// (held roots) and dose rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/checks/analysis.js';
import type { ResolvedProtocol } from '../../server/src/semantics/model.js';
import { makeBudget } from '../../server/src/verify/budget.js';
import { checkContext } from '../../server/src/verify/course-checks.js';
import { exploreCourses, machinesOf } from '../../server/src/verify/course-explore.js';
import { ALL_REDUCTIONS, buildCourseSpace, type Reductions } from '../../server/src/verify/course-space.js';
import { coursePd, root, type CoursePdVariant } from './helpers.js';

const label = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'test', 'fixtures', 'v2', 'verify-label.dose'), 'utf8') };

function protocolOf(text: string): ResolvedProtocol {
  const [file] = analyze([{ path: 'p.dose', text }], [label]);
  assert.equal(file.protocols.length, 1, file.findings.map((item) => item.message).join('; '));
  return file.protocols[0];
}

type Variant = CoursePdVariant;

const DEXAMETHASONE = ['with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a'];

/** The course-search Pd with two facts of its own, which the variants' extra rules read. */
function pd(variant: Variant = {}): string {
  return coursePd({ facts: ['fact frail "Frail": boolean', 'fact infection "Active infection": boolean'], ...variant });
}

/** Per broken label line: the length of the shortest course that breaks it, over every course root. */
function shortest(protocol: ResolvedProtocol, reductions: Reductions): { lines: Map<string, number>; states: number } {
  const lines = new Map<string, number>();
  const space = buildCourseSpace(protocol, reductions);
  const run = exploreCourses(protocol, machinesOf(protocol), checkContext(protocol), space, makeBudget({ timeBudgetMs: 120_000, maxStates: 2_000_000 }), {
    mergeInputs: true,
    observe: (days, violation) => lines.set(violation.line.id, Math.min(days, lines.get(violation.line.id) ?? Infinity)),
  });
  assert.equal(run.stopped, undefined);
  assert.equal(run.completed, space.roots.length);
  return { lines, states: run.nodes.length };
}

const NONE: Reductions = { cone: false, mergeRoots: false, variants: false };

const VARIANTS: [string, Variant, boolean][] = [
  ['the correct Pd', {}, false],
  ['resume at same dose', { neutropenia: 'same dose' }, true],
  ['no cycle gate', { gate: null }, true],
  ['dexamethasone 40 mg at any age', { dexamethasone: ['with dexamethasone 40 mg oral days 1, 8, 15, 22'] }, true],
  ['dexamethasone only in cycles 1-2 (a mistake only a course shows)', { dexamethasone: DEXAMETHASONE.map((line) => line.replace(' when', ' cycles 1-2 when')) }, true],
  [
    'an unchecked companion by cycles, fixed holds and dose rules, correct',
    { extra: ['with bortezomib 1.3 mg/m2 sc days 1, 8 cycles 1-3', 'rule frail: when frail then dose 3 mg', 'rule infection: when infection then hold', 'rule late: when infection and age > 75 a then hold bortezomib'] },
    false,
  ],
  [
    'the same with the resume at the same dose and dexamethasone 40 mg held with the drug',
    {
      neutropenia: 'same dose',
      extra: ['with bortezomib 1.3 mg/m2 sc days 1, 8 cycles 1-3', 'rule frail: when frail then dose 3 mg', 'rule infection: when infection then hold pomalidomide, dexamethasone'],
    },
    true,
  ],
];

describe('verify: the course search\'s reductions are exact', () => {
  for (const [name, variant, unsafe] of VARIANTS) {
    it(`${name}: the same broken lines, each by an equally short course, with every reduction and with none`, function () {
      this.timeout(120_000);
      const protocol = protocolOf(pd(variant));
      const reduced = shortest(protocol, ALL_REDUCTIONS);
      const plain = shortest(protocol, NONE);
      assert.deepEqual([...reduced.lines].sort(), [...plain.lines].sort());
      assert.equal(reduced.lines.size > 0, unsafe, `broken: ${[...reduced.lines.keys()].join(', ')}`);
      for (const alone of ['cone', 'mergeRoots', 'variants'] as const) {
        const one = shortest(protocol, { ...NONE, [alone]: true });
        assert.deepEqual([...one.lines].sort(), [...plain.lines].sort(), `${alone} alone`);
      }
      assert.ok(reduced.states <= plain.states, `${reduced.states} <= ${plain.states}`);
    });
  }

  it('they shrink the search: fewer course states than with none', () => {
    const protocol = protocolOf(pd(VARIANTS[5][1]));
    const reduced = shortest(protocol, ALL_REDUCTIONS);
    const plain = shortest(protocol, NONE);
    assert.ok(reduced.states * 3 < plain.states, `${reduced.states} x 3 < ${plain.states}`);
  });
});
