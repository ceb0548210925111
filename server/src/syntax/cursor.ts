// The parser's view of one block's tokens: where it is, what it consumed, and
// how it reports and recovers from errors.
//
// Recovery, in the spirit of chevrotain's (which this replaced):
// - a missing token is reported and assumed present (insertion), or a stray
//   token is skipped when the expected one follows it (deletion);
// - when the current token starts an item of an enclosing list (`rule` while a
//   condition is being read, `}`, the end of the file), the item being read is
//   abandoned and that list goes on from there (`ABORT` unwinds to it);
// - after one error, further errors are not reported until a token is read
//   as expected, so one mistake gives one diagnostic.
import type { Span } from './ast.js';
import type { TokenList } from './lexer.js';
import { describeKind, SyntaxKind } from './syntax-kind.js';
import type { MessageName } from '../diagnostics/messages.js';

export interface SyntaxError {
  span: Span;
  name: MessageName;
  args: string[];
}

/** Thrown to abandon an item; caught by the innermost list that can resume at the current token. */
export const ABORT = Object.freeze({ abort: true });

/** The items one list accepts, and how to name them in "Expected ..., found ...". */
export interface ListKind {
  starts: ReadonlySet<SyntaxKind>;
  expected: string;
}

const LONGEST_QUOTE = 30;

/**
 * Recently read short words, shared by all parses. Only strings short enough
 * to be copied when sliced are kept, so no old document text stays reachable.
 */
const INTERNED_LENGTH = 12;
const interned: (string | undefined)[] = new Array(4096).fill(undefined);

export class Cursor {
  protected pos: number;
  private recovering = false;
  /** The lists being read, innermost last. */
  private readonly lists: ListKind[] = [];

  constructor(
    protected readonly text: string,
    protected readonly tokens: TokenList,
    private readonly first: number,
    private readonly end: number,
    protected readonly errors: SyntaxError[],
  ) {
    this.pos = first;
  }

  protected kind(ahead = 0): SyntaxKind {
    const index = this.pos + ahead;
    return index < this.end ? this.tokens.kinds[index] : SyntaxKind.EndOfFile;
  }

  protected at(kind: SyntaxKind): boolean {
    return this.pos < this.end && this.tokens.kinds[this.pos] === kind;
  }

  protected atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Consumes the current token and returns its index. */
  protected advance(): number {
    this.recovering = false;
    return this.pos++;
  }

  protected image(index: number): string {
    return this.text.slice(this.tokens.starts[index], this.tokens.ends[index]);
  }

  /**
   * The text of a name, number or unit token. Short ones are interned: the
   * same few names and units recur on every line, and one string each saves
   * most of the allocation (and garbage collection) a large file costs.
   */
  protected word(index: number): string {
    const start = this.tokens.starts[index];
    const end = this.tokens.ends[index];
    if (end - start > INTERNED_LENGTH) return this.text.slice(start, end);
    let hash = end - start;
    for (let i = start; i < end; i++) hash = (hash * 31 + this.text.charCodeAt(i)) | 0;
    const slot = hash & (interned.length - 1);
    const known = interned[slot];
    if (known !== undefined && known.length === end - start && this.text.startsWith(known, start)) return known;
    return (interned[slot] = this.text.slice(start, end));
  }

  protected spanOf(index: number): Span {
    return { start: this.tokens.starts[index], end: this.tokens.ends[index] };
  }

  /** Where the next node starts: the current token, or just after the last one at the end. */
  protected startHere(): number {
    return this.pos < this.end ? this.tokens.starts[this.pos] : this.endHere(0);
  }

  /** Offset just past the last token consumed. */
  protected endHere(fallback: number): number {
    return this.pos > this.first ? this.tokens.ends[this.pos - 1] : fallback;
  }

  protected spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.endHere(start)) };
  }

  /** Consumes a token of `kind` and returns its index, or reports it missing and returns -1. */
  protected expect(kind: SyntaxKind): number {
    if (this.at(kind)) return this.advance();
    this.fail(describeKind(kind));
    if (this.kind(1) === kind) {
      this.pos++;
      return this.advance();
    }
    return -1;
  }

  /**
   * Reports "Expected <expected>, found ..." at the current token and
   * abandons the item when an enclosing list can resume here.
   */
  protected fail(expected: string): void {
    this.report(`Expected ${expected}, found ${this.describeCurrent()}`);
    if (this.resumesHere()) throw ABORT;
  }

  /**
   * Reports an error, unless one was reported since the last token read. A
   * missing token is reported where it is missing; an unexpected one, on itself.
   */
  protected report(message: string, on: 'missing' | 'unexpected' = 'missing'): void {
    if (this.recovering) return;
    this.recovering = true;
    const span = on === 'missing' || this.atEnd() ? this.missingSpan() : this.spanOf(this.pos);
    this.errors.push({ span, name: 'SyntaxError', args: [message] });
  }

  protected describeCurrent(): string {
    if (this.atEnd()) return describeKind(SyntaxKind.EndOfFile);
    const image = this.image(this.pos);
    return `'${image.length > LONGEST_QUOTE ? `${image.slice(0, LONGEST_QUOTE)}...` : image}'`;
  }

  /**
   * On the unexpected token, except when something is missing at the end of
   * a line or of the file: then just after the last token of the broken line,
   * not on the next line's first word.
   */
  private missingSpan(): Span {
    const { starts, ends } = this.tokens;
    const previousEnd = this.pos > this.first ? ends[this.pos - 1] : -1;
    if (this.atEnd()) return { start: previousEnd, end: previousEnd };
    const start = starts[this.pos];
    if (previousEnd >= 0 && /[\r\n]/.test(this.text.slice(previousEnd, start))) return { start: previousEnd, end: previousEnd };
    return { start, end: ends[this.pos] };
  }

  /** Whether some enclosing list can go on from the current token. */
  private resumesHere(): boolean {
    const kind = this.kind();
    if (kind === SyntaxKind.EndOfFile || kind === SyntaxKind.RBrace) return true;
    return this.lists.some((list) => list.starts.has(kind));
  }

  /**
   * Reads items until `}` or the end, each starting with one of `list.starts`.
   * A broken item is dropped and reading goes on at the next item; text that
   * starts no item is reported once and skipped. Stops early, without
   * consuming, at a token an enclosing list resumes at.
   */
  protected list<T>(list: ListKind, item: (kind: SyntaxKind) => T | undefined): T[] {
    const items: T[] = [];
    this.lists.push(list);
    try {
      for (;;) {
        const kind = this.kind();
        if (kind === SyntaxKind.RBrace || kind === SyntaxKind.EndOfFile) break;
        if (!list.starts.has(kind)) {
          if (this.resumesHere()) break;
          this.report(`Expected ${list.expected}, found ${this.describeCurrent()}`, 'unexpected');
          this.skipUntil(list.starts);
          continue;
        }
        try {
          const read = item(kind);
          if (read !== undefined) items.push(read);
        } catch (error) {
          if (error !== ABORT) throw error;
        }
      }
    } finally {
      this.lists.pop();
    }
    return items;
  }

  /**
   * Skips tokens until one in `kinds`, or one an enclosing list resumes at,
   * outside any braces skipped on the way.
   */
  protected skipUntil(kinds: ReadonlySet<SyntaxKind>): void {
    let depth = 0;
    while (!this.atEnd()) {
      const kind = this.kind();
      if (depth === 0 && (kinds.has(kind) || this.resumesHere())) return;
      if (kind === SyntaxKind.LBrace) depth++;
      else if (kind === SyntaxKind.RBrace) depth--;
      this.pos++;
    }
  }

  /** A brace around a list: reported if missing, never abandons what was read. */
  protected expectOrReport(kind: SyntaxKind): void {
    if (this.at(kind)) this.advance();
    else this.report(`Expected ${describeKind(kind)}, found ${this.describeCurrent()}`);
  }
}
