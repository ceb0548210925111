// Collects the findings of one file. Checks call `add`; nothing computes
// offsets or builds Finding objects by hand.
import type { Span } from '../syntax/ast.js';
import { finding, type Finding, type FindingOptions } from '../diagnostics/finding.js';
import type { MessageName } from '../diagnostics/messages.js';

export class Report {
  readonly findings: Finding[] = [];
  constructor(readonly file: string) {}

  add(span: Span, name: MessageName, args: readonly (string | number)[], options?: FindingOptions): Finding {
    const result = finding(this.file, span, name, args, options);
    this.findings.push(result);
    return result;
  }

  get errorCount(): number {
    return this.findings.filter((item) => item.severity === 'error').length;
  }
}
