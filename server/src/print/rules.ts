// Writing a protocol's lines from the label's: a rule from a label constraint
// (hold, discontinue, cap, timing), a hold's `until` clause, a `with` line from
// a `requires` line. The label's own words are reused (its conditions,
// amounts, timings), so a rule written here checks clean against its line.
// Used by the coverage check's quick fix and by the protocol skeleton.
import type { ConstraintInfo, IndicationInfo, RequirementInfo, ResolvedLabel } from '../semantics/model.js';
import { factsOf } from '../semantics/conditions.js';
import { labelText } from './label-lines.js';

/** A label hold's `until ... then resume at ...` as a protocol writes it (`resume at`, not `resume at most`). */
export function untilClause(label: ResolvedLabel, hold: ConstraintInfo): string {
  if (hold.kind !== 'hold' || !hold.until) return '';
  const until = hold.until;
  const resume = until.resume?.node.target ? ` then resume at ${labelText(label, until.resume.node.target.span)}` : '';
  const recurrence = until.recurrence?.node.target ? ` on recurrence resume at ${labelText(label, until.recurrence.node.target.span)}` : '';
  return `until ${labelText(label, until.condition.span)}${resume}${recurrence}`;
}

/** What follows `with` for a `requires` line: the drug, its amount, schedule and condition, as the label writes them. */
export function withLineText(label: ResolvedLabel, requirement: RequirementInfo): string {
  const node = requirement.node;
  const ends = [node.drug?.span.end, node.amount?.span.end, node.schedule.route?.span.end, node.schedule.frequency?.span.end, node.schedule.daysSpan?.end, node.condition?.span.end];
  const end = Math.max(...ends.filter((value): value is number => value !== undefined));
  return labelText(label, { start: node.drug?.span.start ?? node.span.start, end });
}

/** The other constraint of `kind` on the same condition as `constraint` (a cap and a timing for one condition). */
function sameCondition<K extends ConstraintInfo['kind']>(label: ResolvedLabel, indication: IndicationInfo, constraint: ConstraintInfo, kind: K): Extract<ConstraintInfo, { kind: K }> | undefined {
  const condition = labelText(label, constraint.condition.span);
  return indication.constraints.find((other): other is Extract<ConstraintInfo, { kind: K }> => other.kind === kind && labelText(label, other.condition.span) === condition);
}

/**
 * The action of a rule that answers `constraint`: a hold with the label's
 * recovery, a discontinue, a cap's amount (with the timing the label gives
 * for the same condition), a timing's dose (the cap for the same condition,
 * else `dose`, the start dose).
 */
export function actionFor(label: ResolvedLabel, indication: IndicationInfo, constraint: ConstraintInfo, dose = indication.dose?.amount): string {
  switch (constraint.kind) {
    case 'hold':
      return constraint.until ? `hold ${untilClause(label, constraint)}` : 'hold';
    case 'discontinue':
      return constraint.kind;
    case 'cap': {
      const take = sameCondition(label, indication, constraint, 'take');
      const amount = constraint.node.amount ? labelText(label, constraint.node.amount.span) : '';
      return `dose ${amount}${take ? ` ${take.timing}` : ''}`.trim();
    }
    case 'take': {
      const cap = sameCondition(label, indication, constraint, 'cap');
      const amount = cap?.node.amount ? labelText(label, cap.node.amount.span) : `${dose ?? ''} ${label.doseUnit?.written.trim() ?? 'mg'}`;
      return `dose ${amount} ${constraint.timing}`;
    }
  }
}

/** A rule name for `constraint`: its first fact (or its kind), numbered past the names `taken` already has. */
export function ruleNameFor(constraint: ConstraintInfo, taken: (name: string) => boolean): string {
  const base = (factsOf(constraint.condition)[0] ?? constraint.kind).replace(/[^A-Za-z0-9_]/g, '_');
  let name = base;
  for (let i = 2; taken(name); i++) name = `${base}_${i}`;
  return name;
}

/** `rule name: when <the label's condition> then <action>`. */
export function ruleText(name: string, condition: string, action: string): string {
  return `rule ${name}: when ${condition} then ${action}`;
}

/** The rule that answers a label constraint, written from the label line itself. */
export function ruleFromConstraint(
  label: ResolvedLabel,
  indication: IndicationInfo,
  constraint: ConstraintInfo,
  { taken, dose }: { taken: (name: string) => boolean; dose?: number },
): { name: string; text: string } {
  const name = ruleNameFor(constraint, taken);
  return { name, text: ruleText(name, labelText(label, constraint.condition.span), actionFor(label, indication, constraint, dose)) };
}
