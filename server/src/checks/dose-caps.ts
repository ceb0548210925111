// Diagnostic: POS3007 an adjusted dose above the label's cap
// Diagnostic: POS3011 a dose rule without the timing the label prescribes
// For each dose rule, the states in which it fires (from its own condition)
// are checked against every label cap and timing that also applies there.
import { holds, amountIn } from '../eval/index.js';
import type { Condition, ConstraintInfo, FactInfo, PatientState, RuleInfo } from '../semantics/model.js';
import { labelTimings } from './wording.js';
import { type CheckContext } from './context.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { satisfyingStates } from './satisfying-states.js';
import { fixTitle } from '../diagnostics/finding.js';

type Cap = Extract<ConstraintInfo, { kind: 'cap' }>;
type Take = Extract<ConstraintInfo, { kind: 'take' }>;

export function checkDoseCaps(context: CheckContext): void {
  const { protocol } = context;
  const facts = protocol.facts;
  for (const rule of protocol.rules) {
    if (rule.action.kind !== 'dose') continue;
    const states = satisfyingStates(rule.condition, facts);
    for (const constraint of protocol.indication.constraints) {
      if (constraint.kind === 'cap') checkCap(context, rule, constraint, states);
      else if (constraint.kind === 'take' && holdsInAny(constraint.condition, states, facts)) checkTiming(context, rule, constraint);
    }
  }
}

function holdsInAny(condition: Condition, states: PatientState[], facts: ReadonlyMap<string, FactInfo>): boolean {
  for (const state of states) if (holds(condition, state, facts)) return true;
  return false;
}

/** Reports the first of the rule's states where the cap applies and the rule gives more. */
function checkCap(context: CheckContext, rule: RuleInfo, cap: Cap, states: PatientState[]): void {
  const { protocol, report } = context;
  if (rule.action.kind !== 'dose') return;
  const unit = protocol.label.doseUnit?.ucum ?? '';
  for (const state of states) {
    if (!holds(cap.condition, state, protocol.facts)) continue;
    const given = amountIn(rule.action.amount, state, protocol);
    const allowed = amountIn(cap.amount, state, protocol);
    if (given <= allowed) continue;
    const amountSpan = rule.node.action?.kind === 'dose' ? rule.node.action.amount?.span : undefined;
    const span = amountSpan ?? rule.node.span;
    const fixes = cap.amount.kind === 'absolute' && amountSpan
      ? [{ title: fixTitle('FixDoseCap', `${allowed} ${unit}`), edits: [{ span: amountSpan, newText: `${allowed} ${unit}` }] }]
      : [];
    const when = labelText(protocol.label, cap.condition.span);
    report.add(span, 'DoseAboveCap', [`${given} ${unit}`, `${allowed} ${unit}`, when], { related: [labelRelated(protocol.label, cap.node)], fixes });
    return;
  }
}

function checkTiming(context: CheckContext, rule: RuleInfo, take: Take): void {
  const { protocol, report } = context;
  if (rule.action.kind !== 'dose' || rule.action.timing === take.timing) return;
  const action = rule.node.action;
  if (action?.kind !== 'dose' || !action.amount) return;
  // A timing the label does not know is reported with its "did you mean" (wording.ts), not as missing.
  if (rule.action.timing && !labelTimings(protocol.label).has(rule.action.timing)) return;
  const fix = { title: fixTitle('FixAddTiming', take.timing), edits: [{ span: { start: action.amount.span.end, end: action.timing?.span.end ?? action.amount.span.end }, newText: ` ${take.timing}` }] };
  const when = labelText(protocol.label, take.condition.span);
  report.add(action.span, 'TimingMissing', [take.timing, when], { related: [labelRelated(protocol.label, take.node)], fixes: [fix] });
}
