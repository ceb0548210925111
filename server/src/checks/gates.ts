// Diagnostic: POS3025 no cycle-start gate where the label has one
// Diagnostic: POS3026 a cycle-start gate weaker than the label's
// Each conjunct of the label's `before each cycle require` must be implied by
// the protocol's own gates together: a patient state where every protocol gate
// holds and the conjunct does not is a cycle the protocol starts and the label
// does not. States come from the thresholds of both (satisfying-states.ts),
// judged by the one evaluator's `holds`.
import { fixTitle, type QuickFix } from '../diagnostics/finding.js';
import type { Condition } from '../semantics/model.js';
import { factsOf } from '../semantics/conditions.js';
import { butNot, describeState, type CheckContext } from './context.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { firstSatisfyingState } from './satisfying-states.js';

function conjuncts(condition: Condition): Condition[] {
  return condition.kind === 'and' ? condition.operands.flatMap(conjuncts) : [condition];
}

export function checkGates({ protocol, report }: CheckContext): void {
  const label = protocol.label;
  const labelGates = protocol.indication.gates;
  if (labelGates.length === 0) return;
  const anchor = protocol.node.start ?? protocol.node.indication;
  if (protocol.gates.length === 0) {
    const text = labelGates.map((gate) => labelText(label, gate.condition.span)).join(' and ');
    const at = anchor?.span.end ?? protocol.node.span.start;
    const fix: QuickFix = { title: fixTitle('FixAddGate', text), edits: [{ span: { start: at, end: at }, newText: `\n  before each cycle require ${text}` }] };
    const span = protocol.node.start?.span ?? protocol.node.indication?.span ?? protocol.node.span;
    report.add(span, 'GateMissing', [text], { related: labelGates.map((gate) => labelRelated(label, gate.node)), fixes: [fix] });
    return;
  }
  const ours: Condition = protocol.gates.length === 1 ? protocol.gates[0].condition : { kind: 'and', operands: protocol.gates.map((gate) => gate.condition), span: protocol.gates[0].condition.span };
  const last = protocol.gates[protocol.gates.length - 1];
  for (const gate of labelGates) {
    for (const conjunct of conjuncts(gate.condition)) {
      const state = firstSatisfyingState(butNot(ours, conjunct), protocol.facts);
      if (!state) continue;
      const facts = factsOf(conjunct);
      const shown = new Map([...state].filter(([fact]) => facts.includes(fact)));
      const required = labelText(label, conjunct.span);
      // Point at the protocol gate that speaks of the same fact, else at the last gate.
      const same = protocol.gates.find((item) => factsOf(item.condition).some((fact) => facts.includes(fact))) ?? last;
      const end = same.condition.span.end;
      const fix: QuickFix = { title: fixTitle('FixAlsoRequire', required), edits: [{ span: { start: end, end }, newText: ` and ${required}` }] };
      report.add(same.condition.span, 'GateWeaker', [describeState(shown.size > 0 ? shown : state, protocol), required], { related: [labelRelated(label, gate.node)], fixes: [fix] });
    }
  }
}
