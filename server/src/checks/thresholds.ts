// Diagnostic: POS3004 a hold/discontinue threshold less safe than the label's
// Diagnostic: POS3005 a threshold stricter than the label's (information)
// Compares each label threshold that on its own stops treatment (`ANC < 500 /uL`
// in `hold when ANC < 500 /uL or febrile_neutropenia`) with the protocol's stop
// rules on the same fact in the same direction. Thresholds inside `and` are
// left to the verifier, which explores them in combination. What a comparison
// means and which action answers which come from eval/ (`holdsWithout`,
// `sideOf`, the precedence table).
import { atLeastAsStrong, holdsWithout, sideOf, stops } from '../eval/index.js';
import { formatQuantity } from '../units/index.js';
import type { Condition, ConstraintInfo, RuleInfo } from '../semantics/model.js';
import { sufficientAtoms, type CheckContext } from './context.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { fixTitle, type RelatedInfo } from '../diagnostics/finding.js';

type Threshold = Extract<Condition, { kind: 'compare' }>;

function isThreshold(atom: Condition): atom is Threshold {
  return atom.kind === 'compare' && sideOf(atom.op) !== undefined;
}

/** Whether a rule's action answers a label stop line: a decision at least as strong as the line's (discontinue answers hold). */
function stopsFor(constraint: ConstraintInfo, rule: RuleInfo): boolean {
  return (constraint.kind === 'hold' || constraint.kind === 'discontinue') && atLeastAsStrong(rule.action.kind, constraint.kind);
}

/** A protocol rule's thresholds that on their own stop treatment, found once per protocol. */
type RuleThresholds = { rule: RuleInfo; atoms: Threshold[] };

function ruleThresholdsOf(rules: RuleInfo[]): RuleThresholds[] {
  const stopRules = rules.filter((rule) => stops(rule.action.kind));
  return stopRules.map((rule) => ({ rule, atoms: sufficientAtoms(rule.condition).filter(isThreshold) })).filter((entry) => entry.atoms.length > 0);
}

const lineThresholds = new WeakMap<Condition, readonly Threshold[]>();

/** A label line's thresholds that on their own stop treatment: found once per line, for all the protocols checked against it. */
function thresholdsOfLine(condition: Condition): readonly Threshold[] {
  let atoms = lineThresholds.get(condition);
  if (!atoms) lineThresholds.set(condition, (atoms = sufficientAtoms(condition).filter(isThreshold)));
  return atoms;
}

function thresholdPairs(constraint: ConstraintInfo, ruleThresholds: RuleThresholds[]) {
  const pairs: { labelAtom: Threshold; rule: RuleInfo; ruleAtom: Threshold }[] = [];
  for (const labelAtom of thresholdsOfLine(constraint.condition)) {
    for (const { rule, atoms } of ruleThresholds) {
      if (!stopsFor(constraint, rule)) continue;
      for (const ruleAtom of atoms) {
        if (ruleAtom.fact === labelAtom.fact && sideOf(ruleAtom.op) === sideOf(labelAtom.op)) pairs.push({ labelAtom, rule, ruleAtom });
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
    let related: RelatedInfo[] | undefined; // built only for a finding: most pairs report none
    for (const { labelAtom, rule, ruleAtom } of pairs) {
      const unit = label.facts.get(labelAtom.fact)?.unit ?? labelAtom.unit;
      const labelThreshold = labelText(label, labelAtom.span);
      const unsafe = holdsWithout(labelAtom, ruleAtom);
      if (unsafe !== undefined) {
        const fix = { title: fixTitle('FixThreshold', labelThreshold), edits: [{ span: ruleAtom.span, newText: labelThreshold }] };
        const at = `${labelAtom.fact} = ${formatQuantity(unsafe, unit)}`;
        report.add(ruleAtom.span, 'ThresholdLessSafe', [rule.name, at, constraint.kind], { related: (related ??= [labelRelated(label, constraint.node)]), fixes: [fix] });
        continue;
      }
      // Swapping the roles gives a value the protocol stops and the label does not.
      const stricter = holdsWithout(ruleAtom, labelAtom);
      if (stricter !== undefined) {
        const at = `${labelAtom.fact} = ${formatQuantity(stricter, unit)}`;
        report.add(ruleAtom.span, 'ThresholdStricter', [labelThreshold, at], { related: (related ??= [labelRelated(label, constraint.node)]) });
      }
    }
  }
}
