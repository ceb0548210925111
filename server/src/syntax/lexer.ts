// Text to tokens with chevrotain's lexer (the patterns are in tokens.ts), then
// one pass that gives keywords their type and finds unterminated strings.
// `lex` gives the same tokens as plain arrays for the features that read the
// text rather than the tree (colouring, folding, completion context).
import type { IToken } from 'chevrotain';
import type { Span } from './ast.js';
import { TokenList } from './token-list.js';
import { asKeyword, endOf, kindOf, Name, sharedLexer, StringLiteral } from './tokens.js';

export { TokenList } from './token-list.js';

export interface LexError {
  span: Span;
  kind: 'UnrecognizedText' | 'UnterminatedString';
}

export interface Tokenized {
  /** What the parser reads: every token but comments, keywords typed as keywords. */
  tokens: IToken[];
  comments: IToken[];
  errors: LexError[];
}

export function tokenize(text: string): Tokenized {
  const lexed = sharedLexer().tokenize(text);
  const errors: LexError[] = [];
  for (const error of lexed.errors) errors.push({ span: { start: error.offset, end: error.offset + error.length }, kind: 'UnrecognizedText' });
  const { tokens } = lexed;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.tokenType === Name) asKeyword(token);
    else if (token.tokenType === StringLiteral && !isClosedString(token.image)) {
      errors.push({ span: { start: token.startOffset, end: endOf(token) }, kind: 'UnterminatedString' });
    }
  }
  if (errors.length > 1) errors.sort((a, b) => a.span.start - b.span.start);
  return { tokens, comments: lexed.groups.comments ?? [], errors };
}

/** Whether a string token has its closing quote, not escaped by a backslash. */
export function isClosedString(image: string): boolean {
  if (image.length < 2 || image.charCodeAt(image.length - 1) !== 34) return false;
  let backslashes = 0;
  for (let i = image.length - 2; i > 0 && image.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0;
}

export interface Lexed {
  tokens: TokenList;
  comments: TokenList;
  errors: LexError[];
}

function toList(tokens: IToken[]): TokenList {
  const list = new TokenList(tokens.length);
  for (const token of tokens) list.push(kindOf(token.tokenType), token.startOffset, endOf(token));
  return list;
}

/** The tokens of `text` as (kind, start, end) arrays. */
export function lex(text: string): Lexed {
  const { tokens, comments, errors } = tokenize(text);
  return { tokens: toList(tokens), comments: toList(comments), errors };
}

