// Parser errors in words a pharmacist can act on ("expected a unit after 500")
// instead of chevrotain's token lists.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { NumberLiteral, Unit } from './tokens.js';

function describe(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the file';
  return `'${token.image}'`;
}

function labelOf(type: TokenType): string {
  if (type === Unit) return 'a unit';
  if (type === NumberLiteral) return 'a number';
  if (type.name === 'Name') return 'a name';
  if (type.name === 'StringLiteral') return 'text in quotes';
  return type.LABEL ?? type.name;
}

function oneOf(paths: TokenType[][][]): string {
  const firsts = new Set<string>();
  for (const alternative of paths) for (const path of alternative) if (path[0]) firsts.add(labelOf(path[0]));
  const list = [...firsts];
  if (list.length <= 1) return list[0] ?? 'something else';
  if (list.length > 6) return `${list.slice(0, 6).join(', ')}, ...`;
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `Expected ${labelOf(expected)}, found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Unexpected ${describe(firstRedundant)} after the end of the block`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    return `Expected ${oneOf(expectedPathsPerAlt)}, found ${describe(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return `Expected ${oneOf([expectedIterationPaths])}, found ${describe(actual[0])}`;
  },
};
