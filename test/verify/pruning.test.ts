// Settled subtrees (pruning.ts) change how many states reach the evaluator, never
// what is found: on random variants of the example protocols (thresholds moved,
// rules dropped, actions weakened, label lines added that stop or cap), the
// single-day walk with the pruner and without it finds the same violations,
// grouped the same way, with the same first state and the same number of states.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Condition, ResolvedProtocol } from '../../server/src/semantics/model.js';
import { makeBudget } from '../../server/src/verify/budget.js';
import { explore, type Exploration } from '../../server/src/verify/explore.js';
import { labelSpec } from '../../server/src/verify/label-checks.js';
import { buildPruner, type Pruner } from '../../server/src/verify/pruning.js';
import { buildSpace } from '../../server/src/verify/space.js';
import { labelSource, labelWith, protocolOf, root } from './helpers.js';

const EXAMPLES = ['pd-multiple-myeloma', 'ks-kaposi-sarcoma', 'pvd-multiple-myeloma', 'dpd-multiple-myeloma'].map((name) => readFileSync(join(root, 'examples', `${name}.dose`), 'utf8'));

/** Label lines a variant may add to the multiple_myeloma indication: stops, and caps that fall below the lowest dose (the label then requires discontinue). */
const LABEL_LINES = [
  '    discontinue when renal_impairment\n',
  '    hold when strong_cyp1a2_inhibitor\n',
  '    at most 0.5 mg when dialysis\n',
  '    at most 0 mg when hepatotoxicity\n',
  '    hold when ANC < 800 /uL\n',
];

const NEVER: Pruner = { depths: [], settled: () => false };

type Edit = { start: number; end: number; text: string };

interface Plan {
  example: number;
  /** Per rule of the example (modulo their number): what to do with it. */
  edits: { rule: number; kind: 'drop' | 'weaken' | 'move'; pick: number }[];
  labelLines: boolean[];
}

const WEAKER: Record<string, string[]> = {
  // `hold dexamethasone` holds only the `with` drug: for the protocol's drug it decides nothing.
  discontinue: ['hold', 'no dose', 'dose 4 mg', 'hold dexamethasone'],
  hold: ['no dose', 'dose 3 mg', 'dose 4 mg', 'hold dexamethasone'],
  'no dose': ['dose 2 mg', 'dose 4 mg'],
  dose: ['dose 4 mg', 'dose 5 mg'],
};

const FACTORS = [0.5, 0.8, 0.999, 1.001, 1.25, 2];

function compares(condition: Condition): Extract<Condition, { kind: 'compare' }>[] {
  if (condition.kind === 'compare') return [condition];
  if (condition.kind === 'not') return compares(condition.operand);
  if (condition.kind === 'and' || condition.kind === 'or') return condition.operands.flatMap(compares);
  return [];
}

function editFor(protocol: ResolvedProtocol, text: string, edit: Plan['edits'][number]): Edit | undefined {
  const rule = protocol.rules[edit.rule % protocol.rules.length];
  if (!rule) return undefined;
  if (edit.kind === 'drop') return { ...rule.node.span, text: '' };
  if (edit.kind === 'weaken') {
    const action = rule.node.action;
    const options = WEAKER[rule.action.kind];
    return action && options ? { ...action.span, text: options[edit.pick % options.length] } : undefined;
  }
  const atoms = compares(rule.condition);
  if (atoms.length === 0) return undefined;
  const atom = atoms[edit.pick % atoms.length];
  const written = Number.parseFloat(text.slice(atom.valueSpan.start, atom.valueSpan.end));
  if (!Number.isFinite(written)) return undefined;
  return { ...atom.valueSpan, text: String(Math.round(written * FACTORS[edit.pick % FACTORS.length] * 1000) / 1000) };
}

/** The example with the plan's edits, the later ones left out where they overlap an earlier one. */
function variantText(plan: Plan): string {
  const text = EXAMPLES[plan.example];
  const protocol = protocolOf(text);
  const edits: Edit[] = [];
  for (const planned of plan.edits) {
    const edit = editFor(protocol, text, planned);
    if (edit && !edits.some((other) => edit.start < other.end && other.start < edit.end)) edits.push(edit);
  }
  edits.sort((a, b) => b.start - a.start);
  return edits.reduce((result, edit) => result.slice(0, edit.start) + edit.text + result.slice(edit.end), text);
}

function walk(protocol: ResolvedProtocol, prune: boolean): { run: Exploration; total: number } {
  const spec = labelSpec(protocol);
  const space = buildSpace(protocol, spec);
  const run = explore(protocol, spec, space, prune ? buildPruner(protocol, space) : NEVER, makeBudget({ maxStates: 1e9, timeBudgetMs: 1e9 }));
  return { run, total: space.total };
}

function found(protocol: ResolvedProtocol, run: Exploration): string[] {
  return run.groups
    .map((group) => `${group.decidedBy ? protocol.rules.indexOf(group.decidedBy) : -1}:${group.violation.check.text} x${group.count} at ${[...group.state].map(([fact, value]) => `${fact}=${value}`).join(',')}`)
    .sort();
}

const plans: fc.Arbitrary<Plan> = fc.record({
  example: fc.integer({ min: 0, max: EXAMPLES.length - 1 }),
  edits: fc.array(fc.record({ rule: fc.nat(40), kind: fc.constantFrom('drop' as const, 'weaken' as const, 'move' as const), pick: fc.nat(20) }), { maxLength: 4 }),
  labelLines: fc.array(fc.boolean(), { minLength: LABEL_LINES.length, maxLength: LABEL_LINES.length }),
});

describe('verify: settled subtrees', () => {
  it('pruned and unpruned single-day walks find the same counterexamples on mutated examples', function () {
    this.timeout(120_000);
    let withFindings = 0;
    let pruned = 0;
    fc.assert(
      fc.property(plans, (plan) => {
        const extra = LABEL_LINES.filter((_, i) => plan.labelLines[i]).join('');
        const protocol = protocolOf(variantText(plan), 'p.dose', extra ? labelWith(extra) : labelSource);
        const fast = walk(protocol, true);
        const full = walk(protocol, false);
        assert.equal(full.run.stopped, undefined);
        assert.equal(fast.run.stopped, undefined);
        assert.equal(fast.run.explored, fast.total);
        assert.equal(full.run.evaluated, full.total);
        assert.deepEqual(found(protocol, fast.run), found(protocol, full.run));
        if (full.run.groups.length > 0) withFindings++;
        if (fast.run.evaluated < full.run.evaluated) pruned++;
      }),
      { seed: 20261207, numRuns: 40 },
    );
    // Not vacuous: variants break the label, and the pruner skips states.
    assert.ok(withFindings > 10, `only ${withFindings} variants had counterexamples`);
    assert.ok(pruned > 10, `the pruner settled states in only ${pruned} variants`);
  });

  it('a pruner that settles too much is caught (the comparison can fail)', () => {
    const protocol = protocolOf(EXAMPLES[0].replace(/rule skin: when sjs_ten then discontinue/, 'rule skin: when sjs_ten then hold'));
    const spec = labelSpec(protocol);
    const space = buildSpace(protocol, spec);
    const everything: Pruner = { depths: [0], settled: () => true };
    const lax = explore(protocol, spec, space, everything, makeBudget({ maxStates: 1e9, timeBudgetMs: 1e9 }));
    const full = walk(protocol, false).run;
    assert.ok(full.groups.length > 0);
    assert.notDeepEqual(found(protocol, lax), found(protocol, full));
  });
});
