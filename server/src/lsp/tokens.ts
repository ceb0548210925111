// The tokens of a document, comments included, for the features that work on
// the text itself rather than the tree: completion context, semantic tokens,
// formatting and folding. Uses the language's own token list, so it can never
// disagree with the parser about what a word is; cached per parsed file.
import { Lexer, type IToken, type TokenType } from 'chevrotain';
import * as t from '../syntax/tokens.js';
import type { ParsedFile } from '../semantics/analysis.js';

export type TokenKind = 'keyword' | 'name' | 'number' | 'unit' | 'string' | 'comment' | 'punctuation' | 'operator';

export interface Token {
  kind: TokenKind;
  /** The chevrotain token name: 'Kw_rule', 'Name', 'LBrace', 'LineComment'... */
  type: string;
  image: string;
  start: number;
  end: number;
}

export interface Lexed {
  /** Every token including comments, in text order. */
  tokens: Token[];
  /** Spans the lexer could not read. */
  errors: { start: number; end: number }[];
}

// The language lexes every word as a Name and makes keywords of some afterwards (syntax/tokens.ts).
const lexer = new Lexer(t.lexerTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

const keywordTypes = new Set<TokenType>(t.keywordTokens.values());
const operators = new Set<TokenType>([t.Less, t.LessEq, t.Greater, t.GreaterEq, t.Equals, t.NotEq, t.Minus]);

function kindOf(type: TokenType): TokenKind {
  if (keywordTypes.has(type)) return 'keyword';
  if (type === t.Name) return 'name';
  if (type === t.NumberLiteral) return 'number';
  if (type === t.Unit) return 'unit';
  if (type === t.StringLiteral) return 'string';
  if (type === t.LineComment || type === t.BlockComment) return 'comment';
  if (operators.has(type)) return 'operator';
  return 'punctuation';
}

function toToken(token: IToken): Token {
  const type = token.tokenType === t.Name ? t.keywordTokens.get(token.image) ?? token.tokenType : token.tokenType;
  return { kind: kindOf(type), type: type.name, image: token.image, start: token.startOffset, end: token.startOffset + token.image.length };
}

export function lex(text: string): Lexed {
  const result = lexer.tokenize(text);
  const tokens = [...result.tokens, ...(result.groups.comments ?? [])].map(toToken).sort((a, b) => a.start - b.start);
  const errors = result.errors.map((error) => ({ start: error.offset, end: error.offset + error.length }));
  return { tokens, errors };
}

const cache = new WeakMap<ParsedFile, Lexed>();

export function lexed(parsed: ParsedFile): Lexed {
  let result = cache.get(parsed);
  if (!result) {
    result = lex(parsed.text);
    cache.set(parsed, result);
  }
  return result;
}

/** Index of the last token starting before `offset` (-1 when none). */
export function tokenBefore(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (tokens[mid].start < offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

export const isKeyword = (token: Token | undefined, word: string): boolean => token?.kind === 'keyword' && token.image === word;
