// Code actions: the quick fixes the checks (and the verifier) attach to their
// findings, for the findings that touch the requested range. The fixes are
// plain text edits keyed by finding; this file only selects and names them.
import type { Finding } from '../../diagnostics/finding.js';
import type { Span } from '../../syntax/ast.js';

export interface QuickFixAction {
  title: string;
  finding: Finding;
  edits: { span: Span; newText: string }[];
  /** The only fix for its finding: the editor may apply it with one key. */
  preferred: boolean;
}

function touches(span: Span, range: Span): boolean {
  return span.start <= range.end && range.start <= span.end;
}

export function codeActions(findings: readonly Finding[], range: Span): QuickFixAction[] {
  const actions: QuickFixAction[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    if (!touches(finding.span, range)) continue;
    for (const fix of finding.fixes) {
      if (fix.edits.length === 0) continue;
      const key = `${fix.title}\u0000${JSON.stringify(fix.edits)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      actions.push({ title: fix.title, finding, edits: fix.edits, preferred: finding.fixes.length === 1 });
    }
  }
  return actions;
}
