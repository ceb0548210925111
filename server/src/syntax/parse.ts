// `parse(text)` never throws: it returns a syntax tree plus one error (plain
// data: a kind, its arguments, a span) per problem. The file is split at each `label`/`protocol` keyword and every block
// is parsed on its own, so one broken block never hides the next.
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Block, DoseFile, Span } from './ast.js';
import { missingSpan, problemOf, type SyntaxError } from './errors.js';
import { tokenize } from './lexer.js';
import { MAX_NESTING, sharedParser } from './parser.js';
import { SyntaxKind as K } from './syntax-kind.js';
import * as t from './tokens.js';

export { MAX_NESTING } from './parser.js';
export type { SyntaxError, SyntaxErrorKind } from './errors.js';

export interface ParseResult {
  file: DoseFile;
  errors: SyntaxError[];
}

/**
 * Builds the lexer and the parser now instead of at the first parse: the
 * server calls it once it has answered `initialize`, so that the work overlaps
 * the client's side of the handshake.
 */
export function prepareSyntax(): void {
  t.sharedLexer();
  sharedParser();
}

/** After this many, further syntax errors in a file are not reported. */
export const MAX_SYNTAX_ERRORS = 100;

const Label = t.tokenOf(K.LabelKeyword);
const Protocol = t.tokenOf(K.ProtocolKeyword);

/**
 * `reuse`: blocks whose text is unchanged since an earlier parse keep their
 * tree (moved to their new offsets) instead of being parsed again, so a
 * keystroke re-parses one block whatever the size of the file.
 */
export function parse(text: string, { reuse = true } = {}): ParseResult {
  const lexed = tokenize(text);
  const errors: SyntaxError[] = lexed.errors.map(({ span, kind }) => ({
    span,
    kind,
    args: kind === 'UnrecognizedText' ? [clip(text.slice(span.start, span.end))] : [],
  }));
  const comments = lexed.comments.map(spanOf);
  const blocks: Block[] = [];
  const current = new Map<string, KeptBlock>();
  for (const tokens of splitBlocks(lexed.tokens, errors)) {
    const block = reuse ? reusedBlock(text, tokens, errors, current) : parseBlock(text, cutTooDeep(tokens, errors), errors);
    if (block) blocks.push(block);
  }
  if (reuse) keepParse(current);
  // The file's token array is large enough to live in V8's large-object space,
  // which a scavenge promotes at once. Once promoted and dead it still holds
  // every token until a full collection, so later scavenges would copy the
  // tokens into old space too; emptied, it keeps nothing alive
  // (docs/performance.md, "Parse + check: the third pass").
  lexed.tokens.fill(undefined as unknown as IToken);
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

const spanOf = (token: IToken): Span => ({ start: token.startOffset, end: t.endOf(token) });

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}...` : text;
}

function isBlockStart(token: IToken): boolean {
  return token.tokenType === Label || token.tokenType === Protocol;
}

/** Each block's tokens, from its `label`/`protocol` keyword to the next one; text before the first is reported. */
export function splitBlocks(tokens: IToken[], errors: SyntaxError[]): IToken[][] {
  const blocks: IToken[][] = [];
  let index = 0;
  while (index < tokens.length && !isBlockStart(tokens[index])) index++;
  if (index > 0) {
    const span = { start: tokens[0].startOffset, end: t.endOf(tokens[index - 1]) };
    errors.push({ span, kind: 'BeforeBlock', args: [] });
  }
  while (index < tokens.length) {
    let end = index + 1;
    while (end < tokens.length && !isBlockStart(tokens[end])) end++;
    blocks.push(tokens.slice(index, end));
    index = end;
  }
  return blocks;
}

/** One block's tree, and its errors added to `errors`. */
export function parseBlock(text: string, tokens: IToken[], errors: SyntaxError[]): Block | undefined {
  const doseParser = sharedParser();
  doseParser.startBlock(text, tokens);
  const block = doseParser.block();
  const lastEnd = t.endOf(tokens[tokens.length - 1]);
  // The grammar's own errors are the more precise, so they go first and win a tie.
  for (const error of doseParser.softErrors) errors.push(error);
  for (const error of doseParser.errors) errors.push(fromRecognition(error, text, lastEnd));
  return block;
}

/**
 * Where a parse error shows: on the unexpected token, except when something is
 * missing at the end of a line or of the block (`missingSpan`).
 */
function fromRecognition(error: IRecognitionException, text: string, fallback: number): SyntaxError {
  const previous = (error as { previousToken?: IToken }).previousToken;
  const span = previous !== undefined ? missingSpan(text, previous, error.token, fallback) : Number.isNaN(error.token.startOffset) ? { start: fallback, end: fallback } : spanOf(error.token);
  return { span, ...problemOf(error.message) };
}

/**
 * Cuts every parenthesised group that opens deeper than MAX_NESTING out of a
 * block's tokens, with one diagnostic per group, and puts a name with no text
 * in its place (names with no text are gaps that later phases ignore). That
 * keeps the parser's recursion depth bounded whatever the input.
 */
function cutTooDeep(tokens: IToken[], errors: SyntaxError[]): IToken[] {
  let depth = 0;
  let kept: IToken[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.tokenType === t.LParen && depth >= MAX_NESTING) {
      kept ??= tokens.slice(0, i);
      const close = matchingClose(tokens, i);
      errors.push({ span: { start: token.startOffset, end: t.endOf(tokens[close]) }, kind: 'NestingTooDeep', args: [String(MAX_NESTING)] });
      kept.push({ ...token, image: '', tokenType: t.Name, tokenTypeIdx: t.Name.tokenTypeIdx! });
      i = close;
      continue;
    }
    if (token.tokenType === t.LParen) depth++;
    else if (token.tokenType === t.RParen && depth > 0) depth--;
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
  }
  return tokens.length - 1;
}

// ---- blocks kept from earlier parses ------------------------------------------

/** A block's tree and errors as parsed at `start`. */
interface KeptBlock {
  start: number;
  block: Block | undefined;
  errors: SyntaxError[];
}

/**
 * Blocks by their text, from the last KEPT_PARSES parses. A block's tokens,
 * tree and errors depend on its text alone: it starts at a `label`/`protocol`
 * keyword, which no earlier token can make a unit, and recovery never looks
 * outside it. A file is parsed once per version, so a keystroke finds the
 * blocks of the version before. Only the last parses are kept, not every block
 * seen: a tree takes about 20 times its text in memory (160 KB for the 8 KB
 * example), and blocks of files long closed would pile up. Older parses are let
 * go too once the kept texts pass KEPT_CHARS (the newest parse is always kept).
 */
const recent: { blocks: Map<string, KeptBlock>; chars: number }[] = [];
const KEPT_PARSES = 4;
const KEPT_CHARS = 2 << 20;

/** Lets go of every block kept from earlier parses (the benchmark parses from scratch). */
export function forgetBlocks(): void {
  recent.length = 0;
}

function keptBlock(key: string): KeptBlock | undefined {
  for (let i = recent.length - 1; i >= 0; i--) {
    const entry = recent[i].blocks.get(key);
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/** The blocks of the parse just done join the kept ones; the oldest parses go. */
function keepParse(blocks: Map<string, KeptBlock>): void {
  let chars = 0;
  for (const key of blocks.keys()) chars += key.length;
  recent.push({ blocks, chars });
  let total = recent.reduce((sum, parse) => sum + parse.chars, 0);
  while (recent.length > 1 && (recent.length > KEPT_PARSES || total > KEPT_CHARS)) total -= recent.shift()!.chars;
}

function reusedBlock(text: string, tokens: IToken[], errors: SyntaxError[], current: Map<string, KeptBlock>): Block | undefined {
  const start = tokens[0].startOffset;
  const key = text.slice(start, t.endOf(tokens[tokens.length - 1]));
  let entry = current.get(key) ?? keptBlock(key);
  if (entry === undefined) {
    const own: SyntaxError[] = [];
    const block = parseBlock(text, cutTooDeep(tokens, own), own);
    entry = { start, block, errors: own };
  } else if (entry.start !== start) {
    const delta = start - entry.start;
    entry = { start, block: moved(entry.block, delta), errors: entry.errors.map((error) => ({ ...error, span: moved(error.span, delta) })) };
  }
  current.set(key, entry);
  for (const error of entry.errors) errors.push(error);
  return entry.block;
}

/** A copy of a tree with every span moved by `delta`: a span is an object with numeric `start` and `end`. */
function moved<T>(node: T, delta: number): T {
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) return node.map((item) => moved(item, delta)) as T;
  const copy: Record<string, unknown> = {};
  const span = node as unknown as Partial<Span>;
  const isSpan = typeof span.start === 'number' && typeof span.end === 'number';
  for (const [key, value] of Object.entries(node)) {
    copy[key] = isSpan && (key === 'start' || key === 'end') ? (value as number) + delta : moved(value, delta);
  }
  return copy as T;
}
