// Diagnostic: POS3014 a label line without a source
// Every number in a label must cite the document and section it comes from.
import type { ResolvedLabel } from '../semantics/model.js';
import type { Report } from '../semantics/report.js';

export function checkLabelSources(label: ResolvedLabel, report: Report): void {
  for (const indication of label.node.indications) {
    const lines = [...indication.doses, ...indication.requires, ...indication.constraints];
    for (const line of lines) {
      if (!line.source?.text?.value.trim()) report.add(line.span, 'MissingSource', []);
    }
  }
}
