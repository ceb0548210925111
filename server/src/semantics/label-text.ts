// Quoting the label: a label line's text on one line, and the related
// information that points a finding at it (with its source, by the title the
// label's `document` line gives). The checks, the verifier and the editor's
// features all quote the label through these.
import type * as ast from '../syntax/ast.js';
import type { RelatedInfo } from '../diagnostics/finding.js';
import type { ResolvedLabel } from './model.js';
import { describeSource } from './resolve/label.js';

type LabelLine = { span: ast.Span; source?: ast.SourceClause };

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const quoted = new WeakMap<ResolvedLabel, Map<number, string>>();

/** The label's text at `span` on one line; cached, since every protocol quotes the same lines. */
export function labelText(label: ResolvedLabel, span: ast.Span): string {
  let cache = quoted.get(label);
  if (!cache) quoted.set(label, (cache = new Map()));
  const key = span.start * 1e7 + span.end;
  let text = cache.get(key);
  if (text === undefined) cache.set(key, (text = oneLine(label.text.slice(span.start, span.end))));
  return text;
}

/** Related information quoting the label line and its source. */
export function labelRelated(label: ResolvedLabel, line: LabelLine, prefix = 'Label'): RelatedInfo {
  const written = line.source?.text?.value;
  const source = written && describeSource(label, written);
  const quoted = labelText(label, line.span);
  return {
    file: label.file,
    span: line.span,
    message: `${prefix} (${label.name}): ${quoted}${source ? ` [source: ${source}]` : ''}`,
  };
}
