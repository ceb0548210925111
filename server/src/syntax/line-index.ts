// Offsets to (line, column) and back, for one text. Columns count UTF-16 code
// units, as JavaScript strings and LSP do; both are 0-based. \n, \r\n and a lone
// \r each end a line. The shapes match LSP's Position and Range, so the server
// uses this class as it is.
import type { Span } from './ast.js';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) this.starts.push(i + 1);
      else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Where `line` ends, before its line break. */
  lineEnd(line: number): number {
    const start = this.lineStart(line);
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  /** The offset of a position; a column past the end of its line stops at the line break. */
  offset(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.starts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  span(range: Range): Span {
    const start = this.offset(range.start);
    const end = this.offset(range.end);
    return { start: Math.min(start, end), end: Math.max(start, end) };
  }

  /** The text of the line holding `offset`, without its line break. */
  lineText(offset: number): string {
    const line = this.lineOf(offset);
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

const indexes = new WeakMap<object, LineIndex>();

/** A line index cached per owner object (a parsed file, a label), built once for its text. */
export function lineIndexFor(owner: object, text: string): LineIndex {
  let index = indexes.get(owner);
  if (!index || index.text !== text) {
    index = new LineIndex(text);
    indexes.set(owner, index);
  }
  return index;
}
