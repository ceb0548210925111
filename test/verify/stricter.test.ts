// A protocol stricter than the label where the label discontinues: a hold (no
// drug) on a day the label requires discontinue keeps that day, and any later
// dose is compared with the label's discontinuation (docs/verification.md,
// "Hold where the label discontinues").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialLabelState, initialState } from '../../server/src/eval/index.js';
import type { FactValue } from '../../server/src/semantics/model.js';
import { checkContext } from '../../server/src/verify/course-checks.js';
import { makeBudget } from '../../server/src/verify/budget.js';
import { day, exploreCourses, machinesOf } from '../../server/src/verify/course-explore.js';
import { buildCourseSpace } from '../../server/src/verify/course-space.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { analyzeText, labelWith, protocolOf, root } from './helpers.js';

const LONG = { timeBudgetMs: 60_000, courses: true };
const NEUTROPENIA = 'rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold\n    until ANC >= 500 /uL then resume at previous - 1 level';

/** examples/pd-multiple-myeloma.dose without its tests and scenarios, its neutropenia rule replaced. */
function pd(neutropenia: string): string {
  const kept: string[] = [];
  let depth = 0;
  for (const line of readFileSync(join(root, 'examples', 'pd-multiple-myeloma.dose'), 'utf8').split('\n')) {
    const opens = (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth > 0 || /^\s*(test|scenario) "/.test(line)) {
      depth += opens;
      continue;
    }
    kept.push(line);
  }
  const text = kept.join('\n');
  assert.ok(text.includes(NEUTROPENIA), 'the example has no such neutropenia rule');
  return text.replace(NEUTROPENIA, `rule neutropenia: ${neutropenia}`);
}

function errors(text: string): string[] {
  return analyzeText(text).findings.filter((item) => item.severity === 'error').map((item) => `${item.code}: ${item.message}`);
}

describe('verify: a hold where the label discontinues', () => {
  const stricter: Record<string, string> = {
    'until ANC > 500 /uL': 'when ANC < 500 /uL or febrile_neutropenia then hold until ANC > 500 /uL then resume at previous - 1 level',
    'when ANC <= 500 /uL': 'when ANC <= 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 level',
    'hold at < 1000 until >= 1000': 'when ANC < 1000 /uL or febrile_neutropenia then hold until ANC >= 1000 /uL then resume at previous - 1 level',
  };
  for (const [name, rule] of Object.entries(stricter)) {
    it(`a stricter recovery (${name}) verifies: at the lowest level the protocol holds where the label discontinues, then discontinues itself`, () => {
      const text = pd(rule);
      assert.deepEqual(errors(text), []);
      const result = verifyProtocol(protocolOf(text), { text, ...LONG });
      assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
      assert.equal(result.courses?.complete, true);
    });
  }

  it('the stricter recovery that then resumes at the same dose still fails', () => {
    const text = pd('when ANC < 500 /uL or febrile_neutropenia then hold until ANC > 500 /uL then resume at same dose');
    const result = verifyProtocol(protocolOf(text), { text, ...LONG });
    assert.equal(result.status, 'counterexamples');
    assert.ok(result.findings.some((item) => item.code === 'POS4003'));
  });

  it('a stricter recovery that then resumes at 1 mg, where the label discontinued on a day the protocol held, still fails: the dose after the hold is the counterexample', () => {
    // The label's hold ends at ANC 500 (and at 1 mg discontinues); the protocol's only at 1000, and then doses 1 mg.
    const text = pd('when ANC < 1000 /uL or febrile_neutropenia then hold until ANC >= 1000 /uL then resume at 1 mg');
    const result = verifyProtocol(protocolOf(text), { text, ...LONG });
    assert.equal(result.status, 'counterexamples');
    const example = result.counterexamples.find((item) => item.required === 'discontinue');
    assert.ok(example, result.findings.map((item) => item.message).join('\n'));
    assert.equal(example.given, 'dose 1 mg');
    assert.equal(example.decidedBy?.name, 'neutropenia');
    assert.equal(example.constraintText, 'hold when ANC < 500 /uL or febrile_neutropenia until ANC >= 500 /uL then resume at most previous - 1 mg');
    // The day before the dose the protocol held, on the day the label discontinued.
    const timeline = example.timeline ?? [];
    assert.match(timeline[timeline.length - 2] ?? '', /-> hold$/);
    assert.match(timeline[timeline.length - 1] ?? '', /-> dose 1 mg$/);
  });

  it('a hold at once where the label discontinues at once stays an error: `when sjs_ten then hold` is an action weaker than the label\'s (a line check)', () => {
    const text = pd(`${stricter['until ANC > 500 /uL']}\n  rule skin_hold: when sjs_ten then hold`).replace('  rule skin: when sjs_ten then discontinue\n', '');
    assert.ok(!text.includes('rule skin:'));
    assert.ok(errors(text).length > 0, 'no error for a hold where the label discontinues');
  });

  it('day by day: the label discontinues on a day the protocol holds (no line broken that day); the protocol\'s dose on a later day breaks the line that discontinued', () => {
    const text = pd('when ANC < 1000 /uL or febrile_neutropenia then hold until ANC >= 1000 /uL then resume at 1 mg');
    const protocol = protocolOf(text);
    const machines = machinesOf(protocol);
    const context = checkContext(protocol);
    let p = initialState(machines.protocol);
    let l = initialLabelState(machines.label, 4);
    const days: [string, FactValue][][] = [
      [['toxicity', 'grade3']], [['toxicity', 'none']], [['toxicity', 'grade3']], [['toxicity', 'none']], [['toxicity', 'grade3']], [['toxicity', 'none']],
      [['febrile_neutropenia', true]],
      [['ANC', 600]],
      [['ANC', 600]],
      [['ANC', 1000]],
    ];
    const seen: string[] = [];
    for (const facts of days) {
      const result = day(machines, context, p, l, new Map(facts));
      const decision = result.outcome.decision;
      seen.push(`${decision.kind === 'dose' ? `dose ${decision.amount}` : decision.kind}/${result.verdict.requires?.kind ?? ''}/${result.violations.map((item) => `${item.required}: ${item.line.text}`).join(';')}`);
      p = result.p;
      l = result.l;
    }
    const line = 'hold when ANC < 500 /uL or febrile_neutropenia until ANC >= 500 /uL then resume at most previous - 1 mg';
    assert.deepEqual(seen.slice(5), ['dose 1//', 'hold/hold/', 'hold/discontinue/', 'hold/discontinue/', `dose 1/discontinue/discontinue: ${line}`]);
  });

  describe('a label discontinue line on a fact that varies from day to day, where the protocol holds', () => {
    // A label that discontinues at ANC < 100 for good; the protocol holds there (its neutropenia rule) and resumes one level lower.
    const label = labelWith('    discontinue when ANC < 100 /uL\n');
    const text = pd('when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 level');

    it('the hold that day breaks nothing; the resume after it breaks the discontinue line', () => {
      const protocol = protocolOf(text, 'p.dose', label);
      const machines = machinesOf(protocol);
      const context = checkContext(protocol);
      let p = initialState(machines.protocol);
      let l = initialLabelState(machines.label, 4);
      const seen: string[] = [];
      for (const anc of [50, 4000, 4000]) {
        const result = day(machines, context, p, l, new Map([['ANC', anc]]));
        const decision = result.outcome.decision;
        seen.push(`${decision.kind === 'dose' ? `dose ${decision.amount}` : decision.kind}/${result.verdict.requires?.kind ?? ''}/${result.violations.map((item) => `${item.required}: ${item.line.text}`).join(';')}`);
        p = result.p;
        l = result.l;
      }
      // Once the dose broke the line, later days are not reported again.
      assert.deepEqual(seen, ['hold/discontinue/', 'dose 3/discontinue/discontinue: discontinue when ANC < 100 /uL', 'dose 3/discontinue/']);
    });

    it('the course search finds it: the shortest course is the hold, then the dose (the one-day search reports the hold itself, as the line check does)', () => {
      const protocol = protocolOf(text, 'p.dose', label);
      const oneDay = verifyProtocol(protocol, { text, ...LONG });
      assert.ok(oneDay.counterexamples.some((item) => item.kind === 'test' && item.given === 'hold' && item.constraintText === 'discontinue when ANC < 100 /uL'));
      const search = exploreCourses(protocol, machinesOf(protocol), checkContext(protocol), buildCourseSpace(protocol), makeBudget(LONG));
      assert.equal(search.stopped, undefined);
      const group = search.groups.find((item) => item.violation.line.text === 'discontinue when ANC < 100 /uL');
      assert.ok(group, search.groups.map((item) => item.violation.line.text).join('\n'));
      assert.equal(group.violation.required, 'discontinue');
      assert.equal(group.decidedBy?.name, 'neutropenia');
      // Reached after one day (the hold): the dose is the second.
      assert.equal(search.nodes[group.node].depth, 1);
    });
  });
});
