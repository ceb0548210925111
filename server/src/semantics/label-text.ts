// A label line's text as quoted everywhere (findings, the label machine's
// verdicts, counterexamples, hover, completion): the label's text at the
// line's span, on one line. Cached per label, since every protocol and every
// day of a course search quotes the same lines.
import type { ResolvedLabel } from './model.js';

const quoted = new WeakMap<ResolvedLabel, Map<number, string>>();

/** The label's text at `span` on one line. */
export function labelText(label: ResolvedLabel, span: { readonly start: number; readonly end: number }): string {
  let cache = quoted.get(label);
  if (!cache) quoted.set(label, (cache = new Map()));
  // Labels are read only below 5 MB (checks/analysis.ts), so start * 1e7 + end is one number per span.
  const key = span.start * 1e7 + span.end;
  let text = cache.get(key);
  if (text === undefined) cache.set(key, (text = label.text.slice(span.start, span.end).replace(/\s+/g, ' ').trim()));
  return text;
}
