// Diagnostic: POS3027 an action weaker than the label's for the same condition
// For each label `hold` or `discontinue` line, the protocol's rules that fire
// where it applies: in a state where the rule fires (from its own thresholds)
// and the label line holds, the protocol's whole decision (the evaluator's
// `decide`, so another rule that stops the patient counts) is compared with
// the label's requirement by the one precedence table. `when sjs_ten then
// hold` where the label discontinues is reported on the rule's action.
import { atLeastAsStrong, decide, rankOf } from '../eval/index.js';
import type { Decision, RuleInfo } from '../semantics/model.js';
import { both, rulesFor, type CheckContext } from './context.js';
import { labelRelated } from '../print/label-lines.js';
import { firstSatisfyingState } from './satisfying-states.js';
import { fixTitle } from '../diagnostics/finding.js';

function kindOf(rule: RuleInfo): Decision['kind'] {
  return rule.action.kind;
}

export function checkWeakerActions(context: CheckContext): void {
  const { protocol, report } = context;
  const reported = new Set<RuleInfo>();
  for (const constraint of protocol.indication.constraints) {
    if (constraint.kind !== 'hold' && constraint.kind !== 'discontinue') continue;
    for (const rule of rulesFor(context, constraint.condition)) {
      if (reported.has(rule) || atLeastAsStrong(kindOf(rule), constraint.kind)) continue;
      const state = firstSatisfyingState(both(rule.condition, constraint.condition), protocol.facts,
        (candidate) => rankOf(decide(protocol, candidate).decision.kind) > rankOf(constraint.kind),
      );
      const action = rule.node.action;
      if (!state || !action) continue;
      reported.add(rule);
      const fix = { title: fixTitle(constraint.kind === 'discontinue' ? 'FixDiscontinueAsLabel' : 'FixHoldAsLabel'), edits: [{ span: action.span, newText: constraint.kind }] };
      const given = rule.action.kind === 'dose' ? 'a dose' : rule.action.kind;
      report.add(action.span, 'ActionWeaker', [rule.name, given, context.text.slice(rule.condition.span.start, rule.condition.span.end).replace(/\s+/g, ' '), constraint.kind], {
        related: [labelRelated(protocol.label, constraint.node)], fixes: [fix],
      });
    }
  }
}
