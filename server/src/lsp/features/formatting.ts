// Formatting: indentation by block, one space between tokens, at most one
// blank line, no trailing whitespace, one newline at the end. It only ever
// rewrites the whitespace between tokens, so comments and text the lexer cannot
// read are kept as written, and the result lexes to the same tokens (checked,
// or nothing is changed). Line breaks stay where the author put them; a line
// that continues an item (`oral once daily` under `start 4 mg`, a `source`
// under its constraint) is indented one step further. Idempotent: the layout
// depends only on tokens and line breaks, which formatting keeps.
import type { Span } from '../../syntax/ast.js';
import { braceKind, startsItem, type BlockKind } from './blocks.js';
import { lex, type Token } from './tokens.js';

export interface FormatOptions {
  /** One level of indentation: two spaces by default. */
  indent: string;
}

export interface FormatEdit {
  span: Span;
  newText: string;
}

const WHITESPACE = /^[ \t\r\n\f\v\uFEFF\u00A0]*$/;
const NO_SPACE_BEFORE = new Set(['Comma', 'Colon', 'RParen']);

interface Line {
  /** Index of the line's first token. */
  first: number;
  /** Indentation level, once known. */
  level: number;
  commentOnly: boolean;
}

export function format(text: string, options: FormatOptions = { indent: '  ' }, tokens: readonly Token[] = lex(text).tokens): FormatEdit[] {
  if (tokens.length === 0) return [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const levels = lineLevels(text, tokens);
  const edits: FormatEdit[] = [];
  const replace = (start: number, end: number, newText: string) => {
    if (text.slice(start, end) !== newText) edits.push({ span: { start, end }, newText });
  };
  // Before the first token: nothing but a byte-order mark.
  const leading = text.slice(0, tokens[0].start);
  if (WHITESPACE.test(leading)) replace(0, tokens[0].start, (leading.startsWith('\uFEFF') ? '\uFEFF' : '') + options.indent.repeat(levels.get(0) ?? 0));
  for (let i = 1; i < tokens.length; i++) {
    const before = tokens[i - 1];
    const token = tokens[i];
    const gap = text.slice(before.end, token.start);
    if (!WHITESPACE.test(gap)) continue;
    const breaks = countBreaks(gap);
    if (breaks > 0) {
      replace(before.end, token.start, eol.repeat(Math.min(breaks, 2)) + options.indent.repeat(levels.get(i) ?? 0));
    } else if (token.kind === 'comment') {
      replace(before.end, token.start, gap === '' ? ' ' : gap);
    } else {
      replace(before.end, token.start, spaceBetween(tokens, i));
    }
  }
  const last = tokens[tokens.length - 1];
  const trailing = text.slice(last.end);
  if (WHITESPACE.test(trailing)) replace(last.end, text.length, eol);
  return keepsTokens(text, edits) ? edits : [];
}

/** Range formatting: the edits of `format` that touch `span` (a whole-line span: range formatting reformats the lines it starts on). */
export function formatRange(text: string, options: FormatOptions, tokens: readonly Token[], span: Span): FormatEdit[] {
  return format(text, options, tokens).filter((edit) => edit.span.end >= span.start && edit.span.start <= span.end);
}

/** Applies edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly FormatEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
  }
  return result;
}

export function formatText(text: string, options?: FormatOptions): string {
  return applyEdits(text, format(text, options));
}

function countBreaks(gap: string): number {
  let count = 0;
  for (let i = 0; i < gap.length; i++) {
    const code = gap.charCodeAt(i);
    if (code === 10) count++;
    else if (code === 13 && gap.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}

function spaceBetween(tokens: readonly Token[], i: number): string {
  const before = tokens[i - 1];
  const token = tokens[i];
  if (NO_SPACE_BEFORE.has(token.type) || before.type === 'LParen') return '';
  // Day ranges are written tight: days 1-21 (but `previous - 1 mg` keeps its spaces).
  if (token.type === 'Minus' && before.kind === 'number' && tokens[i + 1]?.kind === 'number') return '';
  if (before.type === 'Minus' && token.kind === 'number' && tokens[i - 2]?.kind === 'number') return '';
  return ' ';
}

/** The indentation level of every token that starts a line, by token index. */
function lineLevels(text: string, tokens: readonly Token[]): Map<number, number> {
  const lines: Line[] = [];
  const levels = new Map<number, number>();
  const stack: BlockKind[] = [];
  let depth = 0;
  let lineStarts = true;
  // Whether the last code line belongs to an item (so a `source`/`note` under it continues it).
  let previousItem: 'none' | 'item' | 'annotation-item' | 'annotation-block' = 'none';
  let blankBefore = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (i > 0) {
      const gap = text.slice(tokens[i - 1].end, token.start);
      const breaks = countBreaks(gap);
      lineStarts = breaks > 0;
      blankBefore = breaks > 1;
    }
    const block = stack[stack.length - 1] ?? 'top';
    if (lineStarts) {
      const commentOnly = token.kind === 'comment';
      let level = depth;
      if (token.type === 'RBrace') level = Math.max(0, depth - 1);
      else if (!commentOnly) {
        if (blankBefore) previousItem = 'none';
        level = codeLevel(tokens, i, block, depth, previousItem);
        previousItem = nextItemState(tokens, i, block, previousItem);
      }
      lines.push({ first: i, level, commentOnly });
    }
    if (token.type === 'LBrace') {
      stack.push(braceKind(tokens, i, block));
      depth++;
      previousItem = 'none';
    } else if (token.type === 'RBrace') {
      stack.pop();
      depth = Math.max(0, depth - 1);
      previousItem = 'none';
    }
  }
  // A comment line takes the indentation of the code after it, but never less than its block's.
  for (let l = lines.length - 1, next = 0; l >= 0; l--) {
    const line = lines[l];
    if (line.commentOnly) line.level = Math.max(line.level, next);
    else next = tokens[line.first].type === 'RBrace' ? line.level + 1 : line.level;
    levels.set(line.first, line.level);
  }
  return levels;
}

function isAnnotation(token: Token): boolean {
  return token.kind === 'keyword' && (token.image === 'note' || token.image === 'source');
}

function codeLevel(tokens: readonly Token[], i: number, block: BlockKind, depth: number, previousItem: string): number {
  const token = tokens[i];
  if (token.type === 'LBrace') return depth;
  if (isAnnotation(token)) return previousItem === 'item' || previousItem === 'annotation-item' ? depth + 1 : depth;
  if (startsItem(tokens, i, block)) return depth;
  return block === 'top' ? depth : depth + 1;
}

function nextItemState(tokens: readonly Token[], i: number, block: BlockKind, previousItem: 'none' | 'item' | 'annotation-item' | 'annotation-block'): typeof previousItem {
  const token = tokens[i];
  if (token.type === 'LBrace') return 'none';
  if (isAnnotation(token)) return previousItem === 'item' || previousItem === 'annotation-item' ? 'annotation-item' : 'annotation-block';
  if (startsItem(tokens, i, block)) return 'item';
  return previousItem === 'none' ? 'none' : previousItem === 'annotation-block' ? 'annotation-block' : 'item';
}

/** Formatting must never change what the file says: the tokens before and after must match. */
function keepsTokens(text: string, edits: readonly FormatEdit[]): boolean {
  if (edits.length === 0) return true;
  const before = lex(text);
  const after = lex(applyEdits(text, edits));
  if (before.errors.length !== after.errors.length || before.tokens.length !== after.tokens.length) return false;
  return before.tokens.every((token, i) => token.type === after.tokens[i].type && token.image === after.tokens[i].image);
}
