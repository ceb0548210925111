// Which keyword a word spells. A word's length, first two and last letters pick
// at most one candidate keyword from a table (no two keywords share a slot: the
// module refuses to load otherwise), and the letters are compared only when
// there is one: telling `dose` from `dose_level` or `dosage` costs one table
// read, and no substring is made.
import { keywords, keywordTexts, SyntaxKind } from './syntax-kind.js';

const LONGEST = Math.max(...[...keywords.keys()].map((word) => word.length));

const SLOTS = 1 << 16;

function slotOf(length: number, first: number, second: number, last: number): number {
  return (((length * 31 + first) * 31 + second) * 31 + last) & (SLOTS - 1);
}

const candidates = new Uint8Array(SLOTS);
/** A module-local name for the keyword texts: the lookup below is on the lexer's hot path. */
const words = keywordTexts;

for (const [word, kind] of keywords) {
  const slot = slotOf(word.length, word.charCodeAt(0), word.charCodeAt(1), word.charCodeAt(word.length - 1));
  if (candidates[slot] !== 0) throw new Error(`keywords '${word}' and '${keywordTexts[candidates[slot]]}' share a slot`);
  candidates[slot] = kind;
}

/** The keyword that `text[start, end)` spells, or Name: any text may be asked, the letters are compared before a keyword is returned. */
export function wordKind(text: string, start: number, end: number): SyntaxKind {
  const length = end - start;
  if (length < 2 || length > LONGEST) return SyntaxKind.Name;
  const kind = candidates[slotOf(length, text.charCodeAt(start), text.charCodeAt(start + 1), text.charCodeAt(end - 1))];
  if (kind === 0) return SyntaxKind.Name;
  const word = words[kind];
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) return SyntaxKind.Name;
  }
  return kind;
}
