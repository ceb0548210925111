// The tokens of a document, comments included, for the features that work on
// the text itself rather than the tree: completion context, semantic tokens,
// formatting and folding. Uses the language's own token list, so it can never
// disagree with the parser about what a word is; cached per parsed file.
import { lex as lexText, type TokenList } from '../../syntax/lexer.js';
import { isComparison, isKeyword as isKeywordKind, SyntaxKind } from '../../syntax/syntax-kind.js';
import type { ParsedFile } from '../../checks/analysis.js';

export type TokenKind = 'keyword' | 'name' | 'number' | 'unit' | 'string' | 'comment' | 'punctuation' | 'operator';

export interface Token {
  kind: TokenKind;
  /** The syntax kind's name: 'RuleKeyword', 'Name', 'LBrace', 'LineComment'... */
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

function kindOf(kind: SyntaxKind): TokenKind {
  if (isKeywordKind(kind)) return 'keyword';
  switch (kind) {
    case SyntaxKind.Name:
      return 'name';
    case SyntaxKind.NumberLiteral:
      return 'number';
    case SyntaxKind.Unit:
      return 'unit';
    case SyntaxKind.StringLiteral:
      return 'string';
    case SyntaxKind.LineComment:
    case SyntaxKind.BlockComment:
      return 'comment';
    case SyntaxKind.Minus:
      return 'operator';
    default:
      return isComparison(kind) ? 'operator' : 'punctuation';
  }
}

function toTokens(text: string, list: TokenList): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < list.count; i++) {
    const kind = list.kinds[i] as SyntaxKind;
    const start = list.starts[i];
    const end = list.ends[i];
    tokens.push({ kind: kindOf(kind), type: SyntaxKind[kind], image: text.slice(start, end), start, end });
  }
  return tokens;
}

export function lex(text: string): Lexed {
  const result = lexText(text);
  const tokens = [...toTokens(text, result.tokens), ...toTokens(text, result.comments)].sort((a, b) => a.start - b.start);
  const errors = result.errors.filter((error) => error.kind === 'UnrecognizedText').map((error) => error.span);
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
