// Diagnostic: POS3008 a required combination missing
// Diagnostic: POS3012 a combination dose above every dose the label allows
// Diagnostic: POS2006 a combination dose in a unit the label's cannot be converted to (mg/m2 for mg)
import { convert } from '../../units/index.js';
import { parseUnit } from '../../units/index.js';
import type { RequirementInfo } from '../model.js';
import { headerSpan } from '../resolve/protocol.js';
import { deviationOptions, labelRelated, labelText, type CheckContext } from './context.js';

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
      const amount = requirements[0].amount?.text ?? '';
      const start = protocol.node.start ?? protocol.node.indication;
      const at = start?.span.end ?? headerSpan(protocol.node).end;
      const fix = { title: `Add 'with ${drug}' from the label`, edits: [{ span: { start: at, end: at }, newText: `\n  with ${drug} ${amount}`.trimEnd() }] };
      const span = protocol.node.indication?.span ?? headerSpan(protocol.node);
      report.add(span, 'CombinationMissing', [drug, protocol.indication.name], { related, fixes: [fix], ...deviationOptions(protocol, 'with') });
      continue;
    }
    checkCombinationDose(context, combination, requirements, related);
  }
}

function checkCombinationDose(
  { protocol, report }: CheckContext,
  combination: NonNullable<CheckContext['protocol']['node']['combinations'][number]>,
  requirements: RequirementInfo[],
  related: ReturnType<typeof labelRelated>[],
): void {
  const written = combination.amount;
  if (!written?.unit) return;
  const unitResult = parseUnit(written.unit.text);
  if (!unitResult.ok) return;
  const allowed = requirements.filter((requirement) => requirement.amount);
  if (allowed.length === 0) return;
  // `20 mg/m2` against the label's `40 mg`: not "above", not comparable at all.
  if (!allowed.some((requirement) => convert(1, requirement.amount!.unit, unitResult.unit) !== undefined)) {
    const labelUnit = allowed[0].amount!.unit;
    report.add(written.unit.span, 'WrongDimension', [`The ${combination.drug?.text} dose`, `${labelUnit.written} (${labelUnit.name}) on the label`, written.unit.text, ''], { related });
    return;
  }
  const highest = allowed.reduce((best, requirement) => {
    const value = convert(requirement.amount!.value, requirement.amount!.unit, unitResult.unit) ?? -Infinity;
    return value > best.value ? { value, requirement } : best;
  }, { value: -Infinity, requirement: allowed[0] });
  if (written.value <= highest.value) return;
  const label = protocol.label;
  const highestText = highest.requirement.amount?.text ?? '';
  const fix = { title: `Set the ${combination.drug?.text} dose to the label's ${highestText}`, edits: [{ span: written.span, newText: highestText }] };
  report.add(written.span, 'CombinationDoseAboveLabel', [combination.drug?.text ?? '', `${written.valueText} ${written.unit.text}`, labelText(label, highest.requirement.node.span), protocol.indication.name], {
    related, fixes: [fix], ...deviationOptions(protocol, 'with'),
  });
}
