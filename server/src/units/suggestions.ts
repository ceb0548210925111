// Alternatives offered for a unit UCUM does not know: a code UCUM would substitute,
// nearby alias spellings ("dayz" -> "days"), then UCUM's own suggestions, kept
// only when the suggested unit really is valid.
import { ALIASES, applyAliases } from './aliases.js';
import { lookupUcum, type UcumRejected } from './ucum.js';

const MAX_SUGGESTIONS = 8;

/** Suggestions for `written` (as typed), whose aliased form `code` UCUM `rejected`. */
export function suggestionsFor(written: string, code: string, rejected: UcumRejected): string[] {
  const substitute = rejected.substitute ? [rejected.substitute] : [];
  const candidates = new Set([...substitute, ...nearbySpellings(written, rejected.invalidPart), ...fromUcum(code, rejected)]);
  const valid: string[] = [];
  for (const candidate of candidates) {
    if (valid.length === MAX_SUGGESTIONS) break;
    if (lookupUcum(applyAliases(candidate)).found) valid.push(candidate);
  }
  return valid;
}

/** Alias spellings close to the whole text or to its unreadable part, put back in place. */
function nearbySpellings(written: string, part: string | undefined): string[] {
  const spellings = ALIASES.flatMap((alias) => alias.spellings).filter((s) => s.length >= 3);
  const whole = spellings.filter((s) => isNear(s, written));
  const inPlace =
    part && part !== written && written.includes(part)
      ? spellings.filter((s) => isNear(s, part)).map((s) => written.replace(part, s))
      : [];
  return [...whole, ...inPlace];
}

/** UCUM's codes for the unreadable part, substituted into the whole code. */
function fromUcum(code: string, rejected: UcumRejected): string[] {
  return rejected.suggestions.flatMap((group) =>
    group.codes.map((suggested) => substitute(code, group.invalidPart, suggested)),
  );
}

function substitute(code: string, part: string, suggested: string): string {
  if (part === code) return suggested;
  const grouped = /[./]/.test(suggested) ? `(${suggested})` : suggested;
  return code.replace(part, grouped);
}

/** Close enough to be a typo: case aside, one edit for short words, two for longer. */
function isNear(spelling: string, text: string): boolean {
  const allowed = spelling.length >= 5 ? 2 : 1;
  if (Math.abs(spelling.length - text.length) > allowed) return false;
  return editDistance(spelling.toLowerCase(), text.toLowerCase()) <= allowed;
}

/** Edits (insert, delete, replace, swap two neighbours) turning `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// Lab-report shorthand for a count scale: `K/uL` (which UCUM reads as kelvin per
// microliter), `thou/uL`, `M/uL`. Each becomes the power of ten UCUM writes.
const SCALE_WORDS: readonly [RegExp, string][] = [
  [/^(?:K|k|thou|thousand)(?=\/)/, '10*3'],
  [/^(?:M|mill|million)(?=\/)/, '10*6'],
  [/^(?:G|bill|billion)(?=\/)/, '10*9'],
];

/** `written` with a scale word spelt as UCUM's power of ten (`K/uL` -> `10*3/uL`), when that is a unit. */
export function scaleRespelling(written: string): string | undefined {
  for (const [pattern, power] of SCALE_WORDS) {
    if (!pattern.test(written)) continue;
    const candidate = written.replace(pattern, power);
    if (lookupUcum(applyAliases(candidate)).found) return candidate;
  }
  return undefined;
}
