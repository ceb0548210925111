// Where a unit written at an offset ends: `/uL`, `10*9/L`, `x10^9/L`, `mg/m2`,
// `{cells}/uL`, `%`, `µg`. The shape is UCUM's alphabet, loosely: checking that
// the unit exists is for `units/`. In the words of a regular expression:
//
//   (x?10[*^][+-]?\d+ | \{[^}\s]*\} | [A-Za-z%µμ['] | /(?![/*]))
//   ([A-Za-z0-9%µμ.*^/[\]_'] | \{[^}\s]*\})*
//
// written out by hand because it runs after every number of a file.
import { Ch, isDigit, isLetter } from './char-codes.js';

const isSymbol = (c: number) => c === Ch.Percent || c === Ch.Micro || c === Ch.GreekMu || c === Ch.LBracket || c === Ch.Apostrophe;

/** `\s` of a regular expression, as far as text between braces can contain it. */
function isSpace(c: number): boolean {
  return c === Ch.Space || (c >= Ch.Tab && c <= Ch.CarriageReturn) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 ||
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Where a unit that starts at `start` ends, or -1 if no unit starts there. */
export function unitEnd(text: string, start: number): number {
  let i = unitHead(text, start);
  if (i < 0) return -1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isLetter(c) || isDigit(c) || isSymbol(c) || c === Ch.Dot || c === Ch.Star || c === Ch.Caret || c === Ch.Slash ||
      c === Ch.RBracket || c === Ch.Underscore) {
      i++;
    } else if (c === Ch.LBrace) {
      const close = braced(text, i);
      if (close < 0) return i;
      i = close;
    } else return i;
  }
}

function unitHead(text: string, start: number): number {
  const c = text.charCodeAt(start);
  const power = powerOfTen(text, c === Ch.LowerX ? start + 1 : start);
  if (power > 0) return power;
  if (c === Ch.LBrace) return braced(text, start);
  if (isLetter(c) || isSymbol(c)) return start + 1;
  if (c === Ch.Slash) {
    const next = text.charCodeAt(start + 1);
    return next === Ch.Slash || next === Ch.Star ? -1 : start + 1;
  }
  return -1;
}

/** `10*9`, `10^-3`: where it ends, or -1. */
function powerOfTen(text: string, i: number): number {
  if (text.charCodeAt(i) !== Ch.Digit1 || text.charCodeAt(i + 1) !== Ch.Digit0) return -1;
  const operator = text.charCodeAt(i + 2);
  if (operator !== Ch.Star && operator !== Ch.Caret) return -1;
  let j = i + 3;
  const sign = text.charCodeAt(j);
  if (sign === Ch.Plus || sign === Ch.Minus) j++;
  if (!isDigit(text.charCodeAt(j))) return -1;
  while (isDigit(text.charCodeAt(j))) j++;
  return j;
}

/** `{cells}`: the offset after the closing brace, or -1 if white space or the end comes first. */
function braced(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.RBrace) return i + 1;
    if (isSpace(c)) return -1;
  }
  return -1;
}
