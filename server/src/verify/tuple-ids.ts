// Interns tuples of numbers as small ids (0, 1, 2, ...): the course search's states
// are keyed by their numbers (docs/verification.md, "Speed"), without building a
// string per morning. Two tuples are the same when they have the same length and
// every number is `===` (0 and -0 alike, as their strings were) or both NaN.

const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);

function hashOf(tuple: readonly number[], length: number): number {
  let hash = length | 0;
  for (let i = 0; i < length; i++) {
    const value = tuple[i];
    let word: number;
    if (value === 0 || value !== value) word = value === 0 ? 0 : 0x7ff80000;
    else if ((value | 0) === value) word = value;
    else {
      bits[0] = value;
      word = words[0] ^ Math.imul(words[1], 0x85ebca6b);
    }
    hash = Math.imul(hash ^ word, 0x9e3779b1);
    hash ^= hash >>> 15;
  }
  // A small integer (a Smi): cheap to hash again in the Map.
  return hash & 0x3fffffff;
}

export class TupleIds {
  private values = new Float64Array(1024);
  private used = 0;
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  /** By hash: the one id with it, or the ids (rarely more than one). */
  private readonly buckets = new Map<number, number | number[]>();

  get size(): number {
    return this.starts.length;
  }

  /** The id of the first `length` numbers of `tuple` (a new id when it was not seen). */
  of(tuple: readonly number[], length: number): number {
    const hash = hashOf(tuple, length);
    const bucket = this.buckets.get(hash);
    if (typeof bucket === 'number') {
      if (this.equal(bucket, tuple, length)) return bucket;
    } else if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i++) if (this.equal(bucket[i], tuple, length)) return bucket[i];
    }
    const id = this.add(tuple, length);
    if (bucket === undefined) this.buckets.set(hash, id);
    else if (typeof bucket === 'number') this.buckets.set(hash, [bucket, id]);
    else bucket.push(id);
    return id;
  }

  private equal(id: number, tuple: readonly number[], length: number): boolean {
    if (this.lengths[id] !== length) return false;
    const start = this.starts[id];
    for (let i = 0; i < length; i++) {
      const a = this.values[start + i];
      const b = tuple[i];
      if (a !== b && (a === a || b === b)) return false;
    }
    return true;
  }

  private add(tuple: readonly number[], length: number): number {
    if (this.used + length > this.values.length) {
      const grown = new Float64Array(Math.max(this.values.length * 2, this.used + length));
      grown.set(this.values.subarray(0, this.used));
      this.values = grown;
    }
    for (let i = 0; i < length; i++) this.values[this.used + i] = tuple[i];
    this.starts.push(this.used);
    this.lengths.push(length);
    this.used += length;
    return this.starts.length - 1;
  }
}

/**
 * A map from pairs of non-negative 32-bit integers to non-negative integers, in typed
 * arrays (open addressing): the course search keeps its label days by (row, day key)
 * here, so the collector has no Map or entry objects of it to copy.
 */
export class PairMap {
  private firsts = new Int32Array(1024);
  private seconds = new Int32Array(1024);
  /** The value + 1; 0: an empty slot. */
  private values = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value of (a, b), or -1. */
  get(a: number, b: number): number {
    const mask = this.values.length - 1;
    for (let at = pairHash(a, b) & mask; ; at = (at + 1) & mask) {
      const value = this.values[at];
      if (value === 0) return -1;
      if (this.firsts[at] === a && this.seconds[at] === b) return value - 1;
    }
  }

  /** Sets (a, b) to `value` (a, b and value below 2^31 - 1). */
  set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.values.length) this.grow();
    const mask = this.values.length - 1;
    for (let at = pairHash(a, b) & mask; ; at = (at + 1) & mask) {
      if (this.values[at] === 0) {
        this.firsts[at] = a;
        this.seconds[at] = b;
        this.values[at] = value + 1;
        this.count++;
        return;
      }
      if (this.firsts[at] === a && this.seconds[at] === b) {
        this.values[at] = value + 1;
        return;
      }
    }
  }

  private grow(): void {
    const { firsts, seconds, values } = this;
    const size = values.length * 2;
    this.firsts = new Int32Array(size);
    this.seconds = new Int32Array(size);
    this.values = new Int32Array(size);
    this.count = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) this.set(firsts[i], seconds[i], values[i] - 1);
  }
}

function pairHash(a: number, b: number): number {
  let hash = Math.imul(a ^ 0x2545f491, 0x9e3779b1);
  hash = Math.imul(hash ^ (hash >>> 15) ^ b, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}
