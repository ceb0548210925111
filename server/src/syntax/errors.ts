// Syntax errors as plain data: a kind, its arguments and a span. The words are
// the diagnostics table's (diagnostics/syntax-errors.ts turns an error into a
// finding); the arguments name what was expected and what was found in the
// grammar's vocabulary ("a unit", "'when'", "the end of the file"), and
// `missingSpan` says where an error shows (just after a broken line, not on
// the next one).
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import type { Span } from './ast.js';
import { describeKind, oneOf, SyntaxKind as K } from './syntax-kind.js';
import { endOf, kindOf, membersOf } from './tokens.js';

/**
 * What went wrong, with its arguments:
 * - `Expected`: [what was expected, what was found]
 * - `AfterBlock`: [what was found after a block's closing brace]
 * - `BeforeBlock`: [] (text before the first `label` or `protocol`)
 * - `UnrecognizedText`: [the text]; `UnterminatedString`: []; `NestingTooDeep`: [the limit]
 * - `UntilAfterDiscontinue`: [] (its span is the whole `until ...` clause of a `discontinue`)
 */
export type SyntaxErrorKind = 'Expected' | 'AfterBlock' | 'BeforeBlock' | 'UnrecognizedText' | 'UnterminatedString' | 'NestingTooDeep' | 'UntilAfterDiscontinue';

export interface SyntaxError {
  span: Span;
  kind: SyntaxErrorKind;
  args: string[];
}

const LONGEST_QUOTE = 30;

/** The token found, as a message quotes it: `'hold'`, or the end of the file. */
export function describeToken(token: IToken): string {
  if (Number.isNaN(token.startOffset)) return describeKind(K.EndOfFile);
  const { image } = token;
  return `'${image.length > LONGEST_QUOTE ? `${image.slice(0, LONGEST_QUOTE)}...` : image}'`;
}

/** How expected tokens read: a category stands for its members. */
function labelsOf(types: readonly TokenType[], into: string[] = []): string[] {
  for (const type of types) {
    const members = membersOf(type);
    const labels = members ? members.map(describeKind) : [describeKind(kindOf(type))];
    for (const label of labels) if (!into.includes(label)) into.push(label);
  }
  return into;
}

/** "'a', 'b' or 'c'" for the tokens `types`. */
export function expectedText(types: readonly TokenType[]): string {
  return oneOf(labelsOf(types));
}

function firstTokens(paths: TokenType[][][]): TokenType[] {
  const firsts: TokenType[] = [];
  for (const alternative of paths) for (const path of alternative) if (path[0] && !firsts.includes(path[0])) firsts.push(path[0]);
  return firsts;
}

// Chevrotain carries a parse error's description as its message string, so
// the provider writes the kind and the arguments into it and `problemOf`
// reads them back; no words are made here.
const SEPARATOR = '\u0000';

function encoded(kind: SyntaxErrorKind, ...args: string[]): string {
  return [kind, ...args].join(SEPARATOR);
}

/** The kind and arguments an error of chevrotain's carries in its message. */
export function problemOf(message: string): Pick<SyntaxError, 'kind' | 'args'> {
  const [kind, ...args] = message.split(SEPARATOR);
  return { kind: kind as SyntaxErrorKind, args };
}

export const syntaxErrorProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return encoded('Expected', expectedText([expected]), describeToken(actual));
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return encoded('AfterBlock', describeToken(firstRedundant));
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    return encoded('Expected', expectedText(firstTokens(expectedPathsPerAlt)), describeToken(actual[0]));
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return encoded('Expected', expectedText(firstTokens([expectedIterationPaths])), describeToken(actual[0]));
  },
};

/**
 * Where a missing token is reported: on the unexpected token that stands in its
 * place, except at the end of a line or of the file: then just after the last
 * token of the broken line, not on the next line's first word.
 */
export function missingSpan(text: string, previous: IToken, next: IToken, fallback: number): Span {
  const havePrevious = !Number.isNaN(previous.startOffset);
  const previousEnd = havePrevious ? endOf(previous) : fallback;
  if (Number.isNaN(next.startOffset)) return { start: previousEnd, end: previousEnd };
  if (havePrevious && /[\r\n]/.test(text.slice(previousEnd, next.startOffset))) return { start: previousEnd, end: previousEnd };
  return { start: next.startOffset, end: endOf(next) };
}
