// Diagnostic: POS3008 a required combination missing
// (POS3012, a `with` dose above the label's, is reported by companions.ts.)
import type { RequirementInfo, ResolvedLabel } from '../semantics/model.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import { deviationOptions, type CheckContext } from './context.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { withLineText } from '../print/rules.js';
import { fixTitle } from '../diagnostics/finding.js';

function groupByDrug(requirements: RequirementInfo[]): Map<string, RequirementInfo[]> {
  const groups = new Map<string, RequirementInfo[]>();
  for (const requirement of requirements) {
    const list = groups.get(requirement.drug) ?? [];
    list.push(requirement);
    groups.set(requirement.drug, list);
  }
  return groups;
}

export function checkCombinations(context: CheckContext): void {
  const { protocol, report } = context;
  const label = protocol.label;
  for (const [drug, requirements] of groupByDrug(protocol.indication.requires)) {
    const related = requirements.map((requirement) => labelRelated(label, requirement.node));
    const combination = protocol.node.combinations.find((item) => item.drug?.text === drug);
    if (!combination) {
      const start = protocol.node.start ?? protocol.node.indication;
      const at = start?.span.end ?? headerSpan(protocol.node).end;
      const lines = requirements.map((requirement) => `\n  with ${withLineText(label, requirement)}`).join('');
      const fix = { title: fixTitle('FixAddWith', drug), edits: [{ span: { start: at, end: at }, newText: lines }] };
      const span = protocol.node.indication?.span ?? headerSpan(protocol.node);
      report.add(span, 'CombinationMissing', [drug, protocol.indication.name], { related, fixes: [fix], ...deviationOptions(protocol, 'CombinationMissing') });
    }
  }
}
