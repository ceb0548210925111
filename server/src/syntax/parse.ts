// `parse(text)` never throws: it returns a syntax tree plus one diagnostic per
// error. The file is split at each `label`/`protocol` keyword and every block
// is parsed on its own, so one broken block never hides the next.
import type { Block, DoseFile, Span } from './ast.js';
import { type SyntaxError } from './cursor.js';
import { lex, TokenList } from './lexer.js';
import { DoseParser } from './parser.js';
import { SyntaxKind } from './syntax-kind.js';

export type { SyntaxError } from './cursor.js';
export { MAX_NESTING } from './parser.js';

export interface ParseResult {
  file: DoseFile;
  errors: SyntaxError[];
}

/** After this many, further syntax errors in a file are not reported. */
export const MAX_SYNTAX_ERRORS = 100;

/**
 * The parse's token list, reused: no token outlives the parse that read it. A
 * list grown past REUSED_TOKENS (a pathological file can have a token per
 * character) is let go after its parse rather than kept for the process's life.
 */
let reused = new TokenList(1024);
const REUSED_TOKENS = 1 << 20;

export function parse(text: string): ParseResult {
  const lexed = lex(text, reused);
  if (reused.kinds.length > REUSED_TOKENS) reused = new TokenList(1024);
  const errors: SyntaxError[] = lexed.errors.map(({ span, name }) => ({
    span,
    name,
    args: name === 'UnrecognizedText' ? [clip(text.slice(span.start, span.end))] : [],
  }));
  const blocks = parseBlocks(text, lexed.tokens, errors);
  const comments: Span[] = [];
  for (let i = 0; i < lexed.comments.count; i++) comments.push({ start: lexed.comments.starts[i], end: lexed.comments.ends[i] });
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

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}...` : text;
}

function isBlockStart(kind: SyntaxKind): boolean {
  return kind === SyntaxKind.LabelKeyword || kind === SyntaxKind.ProtocolKeyword;
}

function parseBlocks(text: string, tokens: TokenList, errors: SyntaxError[]): Block[] {
  const { kinds, count } = tokens;
  const blocks: Block[] = [];
  let index = 0;
  while (index < count && !isBlockStart(kinds[index])) index++;
  if (index > 0) {
    const span = { start: tokens.starts[0], end: tokens.ends[index - 1] };
    errors.push({ span, name: 'SyntaxError', args: ["Expected 'label' or 'protocol' to start a block"] });
  }
  while (index < count) {
    let end = index + 1;
    while (end < count && !isBlockStart(kinds[end])) end++;
    const block = new DoseParser(text, tokens, index, end, errors).block();
    if (block) blocks.push(block);
    index = end;
  }
  return blocks;
}
