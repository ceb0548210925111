// Diagnostic: POS3021 a dose level above the start dose
// Diagnostic: POS3022 a dose level below the label's lowest dose
// `levels` are the doses `previous - 1 level` steps through, highest first: a
// level above the start dose is never reached by a step down and reads as a
// mistake; a level below the label's `lowest dose` is a dose the label does
// not allow (the label requires discontinuing instead).
import type * as ast from '../syntax/ast.js';
import { fixTitle, type QuickFix } from '../diagnostics/finding.js';
import { resolveQuantity } from '../semantics/resolve/quantity.js';
import { Report } from '../semantics/report.js';
import { type CheckContext } from './context.js';
import { labelRelated } from '../print/label-lines.js';

/** Removes the level at `index` with its comma. */
function removeLevel(levels: ast.Levels, index: number, written: string): QuickFix {
  const amounts = levels.amounts;
  const span = index > 0 ? { start: amounts[index - 1].span.end, end: amounts[index].span.end } : { start: amounts[index].span.start, end: amounts[index + 1]?.span.start ?? amounts[index].span.end };
  return { title: fixTitle('FixRemoveLevel', written), edits: [{ span, newText: '' }] };
}

export function checkLevels({ protocol, report }: CheckContext): void {
  const node = protocol.node.levels;
  const unit = protocol.label.doseUnit;
  if (!node || !unit) return;
  const start = protocol.start?.amount;
  const lowest = protocol.indication.lowestDose;
  const lowestNode = protocol.indication.node.lowest[0];
  const scratch = new Report(protocol.file);
  node.amounts.forEach((amount, index) => {
    const value = resolveQuantity(amount, unit, 'a dose level', scratch)?.value;
    if (value === undefined) return;
    const written = `${amount.valueText} ${amount.unit?.text ?? ''}`.trim();
    const fixes = node.amounts.length > 1 ? [removeLevel(node, index, written)] : [];
    if (start !== undefined && value > start) {
      report.add(amount.span, 'LevelAboveStart', [written, `${start} ${unit.written}`], { fixes });
    } else if (lowest !== undefined && value < lowest && value > 0 && lowestNode) {
      report.add(amount.span, 'LevelBelowLowest', [written, `${lowest} ${unit.written}`, protocol.indication.name], {
        related: [labelRelated(protocol.label, lowestNode)], fixes,
      });
    }
  });
}
