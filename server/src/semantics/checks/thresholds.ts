// Diagnostic: POS3004 a hold/discontinue threshold less safe than the label's
// Diagnostic: POS3005 a threshold stricter than the label's (information)
// Compares each label threshold that on its own stops treatment (`ANC < 500 /uL`
// in `hold when ANC < 500 /uL or febrile_neutropenia`) with the protocol's stop
// rules on the same fact in the same direction. Thresholds inside `and` are
// left to the verifier, which explores them in combination.
import { formatQuantity } from '../../units/index.js';
import type { Condition, ConstraintInfo, RuleInfo } from '../model.js';
import { sufficientAtoms, type CheckContext } from './context.js';
import { labelRelated, labelText } from '../../print/label-lines.js';

type Threshold = Extract<Condition, { kind: 'compare' }>;

function isThreshold(atom: Condition): atom is Threshold {
  return atom.kind === 'compare' && atom.op !== '=' && atom.op !== '!=';
}

const isLower = (op: string) => op === '<' || op === '<=';

/** A value the label stops and the protocol does not, if any. */
function unsafeWitness(label: Threshold, rule: Threshold): number | undefined {
  const lower = isLower(label.op);
  const [l, p] = lower ? [label.value, rule.value] : [-label.value, -rule.value];
  const labelInclusive = label.op.endsWith('=');
  const ruleInclusive = rule.op.endsWith('=');
  let witness: number | undefined;
  if (p < l) witness = ruleInclusive ? (p + l) / 2 : p;
  else if (p === l && labelInclusive && !ruleInclusive) witness = l;
  return witness === undefined ? undefined : lower ? witness : -witness;
}

function stopsFor(constraint: ConstraintInfo, rule: RuleInfo): boolean {
  if (rule.action.kind === 'discontinue') return constraint.kind === 'hold' || constraint.kind === 'discontinue';
  return rule.action.kind === 'hold' && constraint.kind === 'hold';
}

/** A protocol rule's thresholds that on their own stop treatment, found once per protocol. */
type RuleThresholds = { rule: RuleInfo; atoms: Threshold[] };

function ruleThresholdsOf(rules: RuleInfo[]): RuleThresholds[] {
  const stopRules = rules.filter((rule) => rule.action.kind === 'hold' || rule.action.kind === 'discontinue');
  return stopRules.map((rule) => ({ rule, atoms: sufficientAtoms(rule.condition).filter(isThreshold) })).filter((entry) => entry.atoms.length > 0);
}

function thresholdPairs(constraint: ConstraintInfo, ruleThresholds: RuleThresholds[]) {
  const pairs: { labelAtom: Threshold; rule: RuleInfo; ruleAtom: Threshold }[] = [];
  for (const labelAtom of sufficientAtoms(constraint.condition).filter(isThreshold)) {
    for (const { rule, atoms } of ruleThresholds) {
      if (!stopsFor(constraint, rule)) continue;
      for (const ruleAtom of atoms) {
        if (ruleAtom.fact === labelAtom.fact && isLower(ruleAtom.op) === isLower(labelAtom.op)) pairs.push({ labelAtom, rule, ruleAtom });
      }
    }
  }
  return pairs;
}

export function checkThresholds({ protocol, report }: CheckContext): void {
  const label = protocol.label;
  const ruleThresholds = ruleThresholdsOf(protocol.rules);
  for (const constraint of protocol.indication.constraints) {
    if (constraint.kind !== 'hold' && constraint.kind !== 'discontinue') continue;
    const pairs = thresholdPairs(constraint, ruleThresholds);
    if (pairs.length === 0) continue;
    const related = [labelRelated(label, constraint.node)];
    for (const { labelAtom, rule, ruleAtom } of pairs) {
      const unit = label.facts.get(labelAtom.fact)?.unit ?? labelAtom.unit;
      const labelThreshold = labelText(label, labelAtom.span);
      const unsafe = unsafeWitness(labelAtom, ruleAtom);
      if (unsafe !== undefined) {
        const fix = { title: `Set the threshold to the label's: ${labelThreshold}`, edits: [{ span: ruleAtom.span, newText: labelThreshold }] };
        const at = `${labelAtom.fact} = ${formatQuantity(unsafe, unit)}`;
        report.add(ruleAtom.span, 'ThresholdLessSafe', [rule.name, at, constraint.kind], { related, fixes: [fix] });
        continue;
      }
      // Swapping the roles gives a value the protocol stops and the label does not.
      const stricter = unsafeWitness(ruleAtom, labelAtom);
      if (stricter !== undefined) {
        const at = `${labelAtom.fact} = ${formatQuantity(stricter, unit)}`;
        report.add(ruleAtom.span, 'ThresholdStricter', [labelThreshold, at], { related });
      }
    }
  }
}
