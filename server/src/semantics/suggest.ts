// "Did you mean ...?" for unknown names: the closest candidate by edit distance.
import { phrase, phraseText } from '../diagnostics/finding.js';

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length];
}

export function closest(name: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = maxDistance ?? Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/**
 * " (did you mean 'ANC'?)" or "" when nothing is close. Drug names pass a
 * smaller `maxDistance`: two drugs of one class whose names differ by a few letters are not typos of each other.
 */
export function didYouMean(name: string, candidates: Iterable<string>, maxDistance?: number): string {
  const match = closest(name, candidates, maxDistance);
  return match ? phraseText(phrase('NameMeant', match)) : '';
}
