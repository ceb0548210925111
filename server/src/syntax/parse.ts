// `parse(text)` never throws: it returns a syntax tree plus one diagnostic per
// error. The file is split at each top-level `label`/`protocol` keyword and
// every block is parsed on its own, so one broken block never hides the next.
import { Lexer, type IRecognitionException, type IToken } from 'chevrotain';
import type { Block, DoseFile, Span } from './ast.js';
import { doseParser } from './parser.js';
import * as t from './tokens.js';
import type { MessageName } from '../diagnostics/messages.js';

export interface SyntaxError {
  span: Span;
  name: MessageName;
  args: string[];
}

export interface ParseResult {
  file: DoseFile;
  errors: SyntaxError[];
}

/** Deeper parentheses are cut out before parsing, so recursion depth stays bounded. */
export const MAX_NESTING = 64;
/** After this many, further syntax errors in a file are not reported. */
export const MAX_SYNTAX_ERRORS = 100;

/** `validate` as for the parser: the shared lexer skips the checks, a test runs them. */
export function createLexer({ validate = false } = {}): Lexer {
  return new Lexer(t.lexerTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: !validate });
}

const lexer = createLexer();

export function parse(text: string): ParseResult {
  const errors: SyntaxError[] = [];
  const lexed = lexer.tokenize(text);
  for (const error of lexed.errors) {
    const span = { start: error.offset, end: error.offset + error.length };
    errors.push({ span, name: 'UnrecognizedText', args: [clip(text.slice(span.start, span.end))] });
  }
  const comments = (lexed.groups.comments ?? []).map(spanOf);
  const tokens = screenTokens(lexed.tokens, errors);
  const blocks = parseBlocks(tokens, text, errors);
  return {
    file: { blocks, comments, span: { start: 0, end: text.length } },
    errors: onePerPlace(errors).slice(0, MAX_SYNTAX_ERRORS),
  };
}

/** Sorted by position, keeping the first error reported at each position (a stable sort keeps that order). */
function onePerPlace(errors: SyntaxError[]): SyntaxError[] {
  const sorted = [...errors].sort((a, b) => a.span.start - b.span.start);
  return sorted.filter((error, i) => i === 0 || error.span.start !== sorted[i - 1].span.start);
}

function spanOf(token: IToken): Span {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}...` : text;
}

/** Works before and after keyword conversion, since `screenTokens` looks ahead. */
function isBlockStart(token: IToken): boolean {
  const type = token.tokenType;
  if (type === t.Label || type === t.Protocol) return true;
  return type === t.Name && (token.image === 'label' || token.image === 'protocol');
}

function parseBlocks(tokens: IToken[], text: string, errors: SyntaxError[]): Block[] {
  const blocks: Block[] = [];
  let index = 0;
  if (tokens.length > 0 && !isBlockStart(tokens[0])) {
    while (index < tokens.length && !isBlockStart(tokens[index])) index++;
    const span = { start: tokens[0].startOffset, end: spanOf(tokens[index - 1]).end };
    errors.push({ span, name: 'SyntaxError', args: ["Expected 'label' or 'protocol' to start a block"] });
  }
  while (index < tokens.length) {
    let end = index + 1;
    while (end < tokens.length && !isBlockStart(tokens[end])) end++;
    const block = parseBlock(tokens.slice(index, end), text, errors);
    if (block) blocks.push(block);
    index = end;
  }
  return blocks;
}

function parseBlock(tokens: IToken[], text: string, errors: SyntaxError[]): Block | undefined {
  doseParser.input = tokens;
  doseParser.resetBlockState();
  const block = doseParser.block();
  const lastEnd = spanOf(tokens[tokens.length - 1]).end;
  // The grammar's own errors are the more precise, so they go first and win a tie.
  for (const error of doseParser.softErrors) errors.push({ span: error.span, name: 'SyntaxError', args: [error.message] });
  for (const error of doseParser.errors) errors.push(fromRecognition(error, text, lastEnd));
  return block ?? undefined;
}

/**
 * Where a parse error shows: on the unexpected token, except when something is
 * missing at the end of a line (or of the file): then just after the last token
 * of the broken line, not on the next line's first word.
 */
function fromRecognition(error: IRecognitionException, text: string, fallback: number): SyntaxError {
  const token = error.token;
  const atEnd = token.tokenType.name === 'EOF' || Number.isNaN(token.startOffset);
  const previous = (error as { previousToken?: IToken }).previousToken;
  const brokenLineEnds = !atEnd && previous && !Number.isNaN(previous.startOffset) && /[\r\n]/.test(text.slice(spanOf(previous).end, token.startOffset));
  const span = atEnd || brokenLineEnds
    ? pointAfter(previous, fallback)
    : { start: token.startOffset, end: token.startOffset + token.image.length };
  return { span, name: 'SyntaxError', args: [error.message] };
}

function pointAfter(token: IToken | undefined, fallback: number): Span {
  if (!token || Number.isNaN(token.startOffset)) return { start: fallback, end: fallback };
  const end = token.startOffset + token.image.length;
  return { start: end, end };
}

/**
 * One pass over the tokens before parsing. Turns keyword names into keywords,
 * reports strings without a closing
 * quote, and cuts every parenthesised group that starts deeper than MAX_NESTING
 * out of the stream with one diagnostic per group, putting one empty name in
 * its place (names with no text are recovery artefacts that later phases ignore).
 */
function screenTokens(tokens: IToken[], errors: SyntaxError[]): IToken[] {
  let depth = 0;
  let kept: IToken[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.tokenType === t.Name) t.asKeyword(token);
    if (token.tokenType === t.StringLiteral && !t.isClosedString(token.image)) {
      errors.push({ span: spanOf(token), name: 'UnterminatedString', args: [] });
    } else if (token.tokenType === t.LParen && depth >= MAX_NESTING) {
      kept ??= tokens.slice(0, i);
      const close = matchingClose(tokens, i);
      const last = tokens[Math.min(close, tokens.length - 1)];
      errors.push({ span: { start: token.startOffset, end: spanOf(last).end }, name: 'NestingTooDeep', args: [String(MAX_NESTING)] });
      kept.push({ ...token, image: '', tokenType: t.Name, tokenTypeIdx: t.Name.tokenTypeIdx! });
      i = close;
      continue;
    }
    if (token.tokenType === t.LParen) depth++;
    else if (token.tokenType === t.RParen && depth > 0) depth--;
    else if (isBlockStart(token)) depth = 0;
    kept?.push(token);
  }
  return kept ?? tokens;
}

function matchingClose(tokens: IToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const type = tokens[i].tokenType;
    if (type === t.LParen) depth++;
    else if (type === t.RParen && --depth === 0) return i;
    else if (isBlockStart(tokens[i])) return i - 1;
  }
  return tokens.length - 1;
}
