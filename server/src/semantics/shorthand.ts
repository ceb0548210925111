// Order-set shorthand a pharmacist types out of habit (`po daily`, `bid`) and
// the words Posology reads instead. One table, used for "did you mean" both on
// a syntax error (`po daily`: `daily` alone is not a frequency) and on a route
// that parses but is not the label's word (`start 4 mg po once daily`).
import type { Span } from '../syntax/ast.js';
import { fixTitle, type QuickFix } from '../diagnostics/finding.js';

interface Phrase {
  pattern: RegExp;
  words: string;
}

// Longest phrases first: `po daily` is one suggestion, not two.
const PHRASES: readonly Phrase[] = [
  { pattern: /\bpo\s+(?:once\s+)?daily\b/gi, words: 'oral once daily' },
  { pattern: /\bpo\s+(?:qd|od)\b/gi, words: 'oral once daily' },
  { pattern: /\bpo\s+bid\b/gi, words: 'oral twice daily' },
  { pattern: /\bpo\s+(?:once\s+)?weekly\b/gi, words: 'oral once weekly' },
  { pattern: /\b(?:qd|od)\b/gi, words: 'once daily' },
  { pattern: /\bbid\b/gi, words: 'twice daily' },
  { pattern: /(?<!\b(?:once|twice)\s+)\bdaily\b/gi, words: 'once daily' },
  { pattern: /(?<!\b(?:once|twice)\s+)\bweekly\b/gi, words: 'once weekly' },
  { pattern: /\b(?:po|orally|per_os)\b/gi, words: 'oral' },
];

/** Route words and what Posology (and labels) write for them. */
export const ROUTE_WORDS: ReadonlyMap<string, string> = new Map([
  ['po', 'oral'],
  ['orally', 'oral'],
  ['per_os', 'oral'],
  ['iv', 'intravenous'],
  ['sc', 'subcutaneous'],
  ['subq', 'subcutaneous'],
  ['sq', 'subcutaneous'],
]);

export interface Suggestion {
  written: string;
  words: string;
  span: Span;
  fix: QuickFix;
}

/** Longer lines are not protocol lines a person typed (garbage, generated input): no hint. */
const MAX_LINE = 400;

/** The line around `offset`, with comments and quoted text blanked out (same length). */
function codeOfLine(text: string, offset: number): { start: number; code: string } {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  const code = line.replace(/"[^"]*"?/g, (quoted) => ' '.repeat(quoted.length)).replace(/\/\/.*$/, (comment) => ' '.repeat(comment.length));
  return { start, code };
}

/**
 * Shorthand written where a syntax error was found (at `span`), and the words
 * to write instead, with the quick fix that writes them. Undefined when the
 * line around the error has no shorthand touching it.
 */
export function shorthandAt(text: string, span: Span): Suggestion | undefined {
  const { start, code } = codeOfLine(text, span.start);
  if (code.length > MAX_LINE) return undefined;
  for (const phrase of PHRASES) {
    phrase.pattern.lastIndex = 0;
    for (let match = phrase.pattern.exec(code); match; match = phrase.pattern.exec(code)) {
      const from = start + match.index;
      const to = from + match[0].length;
      // The phrase must touch the error: on it, or end just before it.
      if (to < span.start - 1 || from > span.end) continue;
      const found = { start: from, end: to };
      return { written: match[0], words: phrase.words, span: found, fix: { title: fixTitle('FixWrite', phrase.words), edits: [{ span: found, newText: phrase.words }] } };
    }
  }
  return undefined;
}
