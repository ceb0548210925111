// What the layers below report as plain data, in the table's words: the
// syntax errors of `parse` (a kind, its arguments, a span) and the problems of
// `parseUnit`. syntax/ and units/ know no wording; this is where it is chosen.
import type { SyntaxError, SyntaxErrorKind } from '../syntax/parse.js';
import type { UnitProblem } from '../units/index.js';
import { finding, wording, type Finding, type FindingOptions } from './finding.js';
import type { MessageName } from './messages.js';

const SYNTAX_ENTRIES: Record<SyntaxErrorKind, MessageName> = {
  Expected: 'SyntaxError',
  AfterBlock: 'TextAfterBlock',
  BeforeBlock: 'TextBeforeBlock',
  UnrecognizedText: 'UnrecognizedText',
  UnterminatedString: 'UnterminatedString',
  NestingTooDeep: 'NestingTooDeep',
  UntilAfterDiscontinue: 'UntilAfterDiscontinue',
};

/** The finding for a syntax error of `file`. */
export function syntaxFinding(file: string, error: SyntaxError, options?: FindingOptions): Finding {
  return finding(file, error.span, SYNTAX_ENTRIES[error.kind], error.args, options);
}

/** A syntax error's message, as its finding gives it. */
export function syntaxMessage(error: SyntaxError): string {
  return wording(SYNTAX_ENTRIES[error.kind], error.args);
}

/** The table entry and arguments that say a unit problem. */
export function unitEntry(problem: UnitProblem): { name: MessageName; args: (string | number)[] } {
  switch (problem.kind) {
    case 'missing':
      return { name: 'UnitNotWritten', args: [] };
    case 'unknown':
      return { name: 'UnknownUnit', args: [problem.written] };
    case 'part':
      return { name: 'UnitPartUnknown', args: [problem.written, problem.part] };
    case 'space':
      return { name: 'UnitWithSpace', args: [problem.written] };
    case 'character':
      return { name: 'UnitBadCharacter', args: [problem.written, problem.character] };
    case 'tooLong':
      return { name: 'UnitTooLong', args: [problem.written, problem.limit] };
  }
}

/** A unit problem in words (hover, tests). */
export function unitMessage(problem: UnitProblem): string {
  const { name, args } = unitEntry(problem);
  return wording(name, args);
}
