// Quoting a label line: its text on one line, and the source it cites (by the
// title the label's `document` line gives). The one place a label line is
// quoted, for the checks' related information, the verifier, hover and
// completion.
import type * as ast from '../syntax/ast.js';
import { phrase, phraseText, type RelatedInfo } from '../diagnostics/finding.js';
import type { ResolvedLabel } from '../semantics/model.js';
import { describeSource } from '../semantics/resolve/label.js';
import { labelText } from '../semantics/label-text.js';

export { labelText };

/** A label line: a span of the label and the `source` under it, if any. */
export type LabelLine = { span: ast.Span; source?: ast.SourceClause };

/**
 * A label line as quoted: its text, and its source as the label's documents
 * name it (`withFile`: the document's file too), or undefined when it cites none.
 */
export function quoteLabelLine(label: ResolvedLabel, line: LabelLine, withFile = false): { text: string; source?: string } {
  const written = line.source?.text?.value;
  const text = labelText(label, line.span);
  return written ? { text, source: describeSource(label, written, withFile) } : { text };
}

const relatedMessages = new WeakMap<ResolvedLabel, WeakMap<LabelLine, string>>();

/**
 * Related information quoting the label line and its source. The message is
 * cached per label and line: each of a file's protocols quotes the same lines
 * (900 times in the benchmark's 10,050-line file).
 */
export function labelRelated(label: ResolvedLabel, line: LabelLine): RelatedInfo {
  let cache = relatedMessages.get(label);
  if (!cache) relatedMessages.set(label, (cache = new WeakMap()));
  let message = cache.get(line);
  if (message === undefined) {
    const { text, source } = quoteLabelLine(label, line);
    message = phraseText(phrase('RelatedLabelLine', label.name, text)) + (source ? phraseText(phrase('RelatedLabelSource', source)) : '');
    cache.set(line, message);
  }
  return { file: label.file, span: line.span, message };
}
