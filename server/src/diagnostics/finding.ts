// A finding is a diagnostic in plain data: offsets into one file's text, never
// LSP positions. The server and the CLI convert it for their own audiences.
import type { Span } from '../syntax/ast.js';
import { timeInWords } from '../units/format.js';
import { Addenda, formatMessage, Messages, Phrases, type AddendumName, type MessageName, type Phrase, type PhraseName, type Severity } from './messages.js';

export interface RelatedInfo {
  file: string;
  span: Span;
  message: string;
}

/** A text replacement a quick fix applies to the finding's own file. */
export interface TextEdit {
  span: Span;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

/** The embedded test (or scenario step) a failure is about, for machine-readable outputs. */
export interface TestSubject {
  protocol: string;
  /** The test's title; for a scenario step, "scenario title > cycle 1 day 8". */
  test: string;
  /** For a scenario step: the scenario's title and the step's index among its steps (from 0). */
  scenario?: string;
  step?: number;
}

export interface Finding {
  file: string;
  span: Span;
  code: string;
  severity: Severity;
  message: string;
  related: RelatedInfo[];
  fixes: QuickFix[];
  /** Set on a failing test or scenario step (POS5001, POS5004, POS5005). */
  subject?: TestSubject;
}

export interface FindingOptions {
  related?: RelatedInfo[];
  fixes?: QuickFix[];
  severity?: Severity;
  /** Words of the table's `Addenda` appended to the message, e.g. a deviation's reason. */
  also?: { name: AddendumName; args: readonly (string | number)[] };
  subject?: TestSubject;
}

/** A table entry's message with its arguments, as a finding says it (time codes as words). */
export function wording(name: MessageName, args: readonly (string | number)[]): string {
  return timeInWords(formatMessage(Messages[name].message, args));
}

/** A phrase of the table with its arguments, as text (a finding's message words time codes as a whole). */
export function phraseText(phrase: Phrase): string {
  // Most phrases have no phrase among their arguments (each test's "decided by" is one): no copy then.
  let nested = false;
  for (const arg of phrase.args) if (typeof arg === 'object') nested = true;
  const args = nested ? phrase.args.map((arg) => (typeof arg === 'object' ? phraseText(arg) : arg)) : (phrase.args as readonly (string | number)[]);
  return formatMessage(Phrases[phrase.name], args);
}

/** A quick fix's title: a phrase of the table with its arguments. */
export function fixTitle(name: PhraseName, ...args: (string | number)[]): string {
  return formatMessage(Phrases[name], args);
}

/** A phrase as data. */
export function phrase(name: PhraseName, ...args: (string | number | Phrase)[]): Phrase {
  return { name, args };
}

/** The one way a finding is made: from a table entry, its arguments and a span. */
export function finding(
  file: string,
  span: Span,
  name: MessageName,
  args: readonly (string | number)[],
  options: FindingOptions = {},
): Finding {
  const entry = Messages[name];
  const result: Finding = {
    file,
    span,
    code: entry.code,
    severity: options.severity ?? entry.severity,
    message: timeInWords(formatMessage(entry.message, args) + (options.also ? formatMessage(Addenda[options.also.name], options.also.args) : '')),
    related: (options.related ?? []).map((related) => ({ ...related, message: timeInWords(related.message) })),
    fixes: options.fixes ?? [],
  };
  if (options.subject) result.subject = options.subject;
  return result;
}
