// Folding ranges: every `{ ... }` block (labels, indications, protocols, tests),
// block comments, runs of line comments, and `// region` ... `// endregion`.
// Works on tokens, so it folds half-typed files too.
import type { Span } from '../../syntax/ast.js';
import type { Token } from './tokens.js';

export interface FoldingSpan {
  span: Span;
  kind: 'block' | 'comment' | 'region';
}

const REGION_START = /^\/\/\s*#?region\b/;
const REGION_END = /^\/\/\s*#?endregion\b/;

export function foldingRanges(tokens: readonly Token[], text: string): FoldingSpan[] {
  const folds: FoldingSpan[] = [];
  const braces: number[] = [];
  const regions: number[] = [];
  let commentRun: { start: number; end: number; count: number } | undefined;
  const flushComments = () => {
    if (commentRun && commentRun.count >= 2) folds.push({ span: { start: commentRun.start, end: commentRun.end }, kind: 'comment' });
    commentRun = undefined;
  };
  for (const token of tokens) {
    if (token.type === 'LineComment' && startsLine(text, token.start)) {
      if (REGION_START.test(token.image)) {
        flushComments();
        regions.push(token.start);
        continue;
      }
      if (REGION_END.test(token.image)) {
        flushComments();
        const start = regions.pop();
        if (start !== undefined) folds.push({ span: { start, end: token.end }, kind: 'region' });
        continue;
      }
      if (commentRun && onNextLine(text, commentRun.end, token.start)) {
        commentRun.end = token.end;
        commentRun.count++;
      } else {
        flushComments();
        commentRun = { start: token.start, end: token.end, count: 1 };
      }
      continue;
    }
    flushComments();
    if (token.type === 'BlockComment' && text.slice(token.start, token.end).includes('\n')) folds.push({ span: { start: token.start, end: token.end }, kind: 'comment' });
    else if (token.type === 'LBrace') braces.push(token.start);
    else if (token.type === 'RBrace') {
      const start = braces.pop();
      if (start !== undefined) folds.push({ span: { start: lineStartOf(text, start), end: token.start }, kind: 'block' });
    }
  }
  flushComments();
  return folds.sort((a, b) => a.span.start - b.span.start);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStartOf(text, offset), offset).trim() === '';
}

/** True when `next` is on the line right after the one ending at `end`, with nothing else between. */
function onNextLine(text: string, end: number, next: number): boolean {
  const between = text.slice(end, next);
  return /^[ \t]*\r?\n[ \t]*$/.test(between);
}
