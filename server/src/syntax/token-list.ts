// Tokens as three parallel typed arrays (kind, start, end) rather than one
// object each: a 10,000-line file has over 100,000 tokens, and objects for them
// made garbage collection a third of the parse time.
import type { SyntaxKind } from './syntax-kind.js';

/** A growable list of tokens. Index `i` is token `i`; `count` are in use. */
export class TokenList {
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count = 0;

  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** Empties the list for another text, keeping its arrays. */
  clear(): this {
    this.count = 0;
    return this;
  }

  push(kind: SyntaxKind, start: number, end: number): void {
    if (this.count === this.kinds.length) this.grow();
    this.kinds[this.count] = kind;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  private grow(): void {
    const capacity = this.kinds.length * 2 + 16;
    const kinds = new Uint8Array(capacity);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    kinds.set(this.kinds);
    starts.set(this.starts);
    ends.set(this.ends);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
  }
}
