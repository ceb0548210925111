// A finding is a diagnostic in plain data: offsets into one file's text, never
// LSP positions. The server and the CLI convert it for their own audiences.
import type { Span } from '../syntax/ast.js';
import { timeInWords } from '../units/format.js';
import { formatMessage, Messages, type MessageName, type Severity } from './messages.js';

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

export interface Finding {
  file: string;
  span: Span;
  code: string;
  severity: Severity;
  message: string;
  related: RelatedInfo[];
  fixes: QuickFix[];
}

export interface FindingOptions {
  related?: RelatedInfo[];
  fixes?: QuickFix[];
  severity?: Severity;
  /** Appended to the message, e.g. a deviation's reason. */
  suffix?: string;
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
  return {
    file,
    span,
    code: entry.code,
    severity: options.severity ?? entry.severity,
    message: timeInWords(formatMessage(entry.message, args) + (options.suffix ?? '')),
    related: (options.related ?? []).map((related) => ({ ...related, message: timeInWords(related.message) })),
    fixes: options.fixes ?? [],
  };
}
