// Parser errors in words a pharmacist can act on ("Expected a unit, found
// 'when'") instead of chevrotain's token lists, and where each one shows.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import type { Span } from './ast.js';
import { describeKind, oneOf, SyntaxKind as K } from './syntax-kind.js';
import { endOf, kindOf, membersOf } from './tokens.js';

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

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `Expected ${expectedText([expected])}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Unexpected ${describeToken(firstRedundant)} after the end of the block`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    return `Expected ${expectedText(firstTokens(expectedPathsPerAlt))}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return `Expected ${expectedText(firstTokens([expectedIterationPaths]))}, found ${describeToken(actual[0])}`;
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
