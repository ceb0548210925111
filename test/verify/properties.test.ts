// Properties: a protocol written from the label's own lines (one rule per label
// constraint, the label's thresholds and amounts, possibly stricter) always
// verifies; one mutation that makes it unsafe (a hold threshold lowered, a capped
// dose raised above its cap) is always caught, on the label line it breaks.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Condition, ConstraintInfo, ResolvedLabel } from '../../server/src/semantics/model.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { pdText, protocolOf } from './helpers.js';

const SETTINGS = { seed: 20240607, numRuns: 50 };
const INDICATIONS = ['multiple_myeloma', 'kaposi_sarcoma'] as const;
type Indication = (typeof INDICATIONS)[number];

const label: ResolvedLabel = protocolOf(pdText()).label;
const slice = (span: { start: number; end: number }) => label.text.slice(span.start, span.end);

type Compare = Extract<Condition, { kind: 'compare' }>;
type Cap = Extract<ConstraintInfo, { kind: 'cap' }>;

interface Mutation {
  kind: 'lower hold' | 'raise cap';
  /** Index of the constraint in the indication. */
  index: number;
  value: number;
}

interface Plan {
  indication: Indication;
  /** Sort keys for the rules, so they come in any order. */
  order: number[];
  /** Per constraint: make its rule stricter than the label. */
  stricter: boolean[];
  lowerStart: boolean;
  mutation?: Mutation;
}

function constraintsOf(indication: Indication): ConstraintInfo[] {
  return label.indications.get(indication)!.constraints;
}

function lessThan(condition: Condition): Compare | undefined {
  if (condition.kind === 'compare' && (condition.op === '<' || condition.op === '<=')) return condition;
  if (condition.kind === 'or') return condition.operands.map(lessThan).find((found) => found !== undefined);
  return undefined;
}

/** The label's condition text with one `<` threshold set to `value` (in the unit written). */
function withThreshold(condition: Condition, value: number): string {
  const atom = lessThan(condition)!;
  const text = slice(condition.span);
  const at = atom.valueSpan.start - condition.span.start;
  const length = atom.valueSpan.end - atom.valueSpan.start;
  return `${text.slice(0, at)}${value} ${atom.unit.written}${text.slice(at + length)}`;
}

function writtenThreshold(condition: Condition): number {
  return Number.parseFloat(slice(lessThan(condition)!.valueSpan));
}

function timingFor(constraints: ConstraintInfo[], condition: Condition): string {
  const take = constraints.find((item) => item.kind === 'take' && slice(item.condition.span) === slice(condition.span));
  return take?.kind === 'take' ? ` ${take.timing}` : '';
}

function capAmount(cap: Cap, strict: boolean, mutation: Mutation | undefined): string {
  if (mutation) return `${mutation.value} mg`;
  if (cap.amount.kind === 'relative') return `previous - ${cap.amount.minus + (strict ? 0.5 : 0)} mg`;
  return `${cap.amount.value - (strict && cap.amount.value > 0.5 ? 0.5 : 0)} mg`;
}

function ruleFor(constraints: ConstraintInfo[], index: number, plan: Plan, labelDose: number): string | undefined {
  const constraint = constraints[index];
  const strict = plan.stricter[index] ?? false;
  const mutation = plan.mutation?.index === index ? plan.mutation : undefined;
  const condition = constraint.condition;
  switch (constraint.kind) {
    case 'hold':
    case 'discontinue': {
      let text = slice(condition.span);
      if (mutation) text = withThreshold(condition, mutation.value);
      else if (strict && lessThan(condition)) text = withThreshold(condition, writtenThreshold(condition) + 100);
      return `when ${text} then ${constraint.kind}`;
    }
    case 'cap':
      return `when ${slice(condition.span)} then dose ${capAmount(constraint, strict, mutation)}${timingFor(constraints, condition)}`;
    case 'take': {
      const capped = constraints.some((item) => item.kind === 'cap' && slice(item.condition.span) === slice(condition.span));
      return capped ? undefined : `when ${slice(condition.span)} then dose ${labelDose} mg ${constraint.timing}`;
    }
  }
}

function protocolText(plan: Plan): string {
  const indication = label.indications.get(plan.indication)!;
  const dose = indication.dose!;
  const constraints = constraintsOf(plan.indication);
  const schedule = slice({ start: dose.node.schedule.route!.span.start, end: dose.node.schedule.cycle!.span.end });
  const start = `${dose.amount - (plan.lowerStart ? 1 : 0)} mg ${schedule}`;
  const rules = constraints
    .map((_, index) => ({ key: plan.order[index] ?? index, text: ruleFor(constraints, index, plan, dose.amount) }))
    .filter((rule): rule is { key: number; text: string } => rule.text !== undefined)
    .sort((a, b) => a.key - b.key)
    .map((rule, index) => `  rule r${index}: ${rule.text}`);
  const combination = plan.indication === 'multiple_myeloma' ? ['  with dexamethasone 40 mg oral days 1, 8, 15, 22'] : [];
  return ['protocol "generated" {', '  drug pomalidomide', `  indication ${plan.indication}`, `  start ${start}`, ...combination, ...rules, '}', ''].join('\n');
}

const basePlan = fc.record({
  indication: fc.constantFrom(...INDICATIONS),
  order: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 20, maxLength: 20 }),
  stricter: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
  lowerStart: fc.boolean(),
});

function holdTargets(indication: Indication): number[] {
  return constraintsOf(indication).flatMap((item, index) => (item.kind === 'hold' && lessThan(item.condition) ? [index] : []));
}

function capTargets(indication: Indication): number[] {
  return constraintsOf(indication).flatMap((item, index) => (item.kind === 'cap' && item.amount.kind === 'absolute' ? [index] : []));
}

/** An unsafe mutation: a hold threshold lowered below the label's, or a capped dose raised above its cap. */
function mutation(indication: Indication): fc.Arbitrary<Mutation> {
  const labelDose = label.indications.get(indication)!.dose!.amount;
  const lowerHold = fc.constantFrom(...holdTargets(indication)).chain((index) => {
    const threshold = writtenThreshold(constraintsOf(indication)[index].condition);
    return fc.integer({ min: 1, max: threshold - 1 }).map((value): Mutation => ({ kind: 'lower hold', index, value }));
  });
  const raiseCap = fc.constantFrom(...capTargets(indication)).chain((index) => {
    const cap = constraintsOf(indication)[index] as Cap;
    const limit = cap.amount.kind === 'absolute' ? cap.amount.value : 0;
    const steps = Math.round((labelDose - limit) / 0.5);
    return fc.integer({ min: 1, max: steps }).map((step): Mutation => ({ kind: 'raise cap', index, value: limit + step * 0.5 }));
  });
  return fc.oneof(lowerHold, raiseCap);
}

const mutatedPlan = basePlan.chain((plan) => mutation(plan.indication).map((found): Plan => ({ ...plan, lowerStart: false, mutation: found })));

describe('verify: properties', () => {
  it('a protocol written from the label\'s own lines (or stricter) always verifies', () => {
    fc.assert(
      fc.property(basePlan, (plan) => {
        const text = protocolText(plan);
        const result = verifyProtocol(protocolOf(text), { text });
        assert.equal(result.status, 'verified', `${text}\n${result.findings.map((item) => item.message).join('\n')}`);
        assert.equal(result.statesExplored, result.statesTotal);
      }),
      SETTINGS,
    );
  });

  it('one unsafe mutation is always caught, on the label line it breaks', () => {
    fc.assert(
      fc.property(mutatedPlan, (plan) => {
        const text = protocolText(plan);
        const protocol = protocolOf(text);
        const result = verifyProtocol(protocol, { text });
        const target = constraintsOf(plan.indication)[plan.mutation!.index];
        assert.equal(result.status, 'counterexamples', text);
        const caught = result.counterexamples.filter((example) => example.constraint?.node.span.start === target.node.span.start);
        assert.ok(caught.length > 0, `${text}\n${result.findings.map((item) => item.message).join('\n')}`);
        const { kind, value } = plan.mutation!;
        if (kind === 'lower hold') {
          const atom = lessThan(target.condition)!;
          const found = caught.map((example) => example.state.get(atom.fact));
          assert.ok(found.some((item) => typeof item === 'number' && item >= value && item < atom.value), `${atom.fact} = ${found.join(', ')}`);
          assert.ok(caught.every((example) => example.required === 'hold'));
        } else {
          const cap = (target as Cap).amount;
          assert.ok(caught.some((example) => example.given.startsWith(`dose ${value} mg`)), caught.map((example) => example.given).join(', '));
          assert.ok(caught.every((example) => example.required === `at most ${cap.kind === 'absolute' ? cap.value : NaN} mg`));
        }
      }),
      SETTINGS,
    );
  });
});
