// Reading a unit as written in a .dose file: aliases first, then UCUM.
// Never throws; every answer is frozen and cached per written string.
import { applyAliases } from './aliases.js';
import { shown } from './shown.js';
import { suggestionsFor } from './suggestions.js';
import type { UnitProblem, UnitResult } from './types.js';
import { lookupUcum } from './ucum.js';

/** Longer text is not sent to UCUM (real units are a few characters long). */
export const MAX_UNIT_LENGTH = 100;
const MAX_CACHED = 10_000;
const cache = new Map<string, UnitResult>();

/** Parses a unit as written ("x10^9/L", "mcg", "days"); cached per string. */
export function parseUnit(written: string): UnitResult {
  if (typeof written !== 'string') return failure({ kind: 'missing' });
  const cached = cache.get(written);
  if (cached) return cached;
  const result = deepFreeze(parseUncached(written));
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(written, result);
  return result;
}

function parseUncached(written: string): UnitResult {
  const trimmed = written.trim();
  if (trimmed === '') return failure({ kind: 'missing' });
  if (trimmed.length > MAX_UNIT_LENGTH) return failure({ kind: 'tooLong', written: shown(written), limit: MAX_UNIT_LENGTH });
  const code = applyAliases(trimmed);
  const stray = /[^\x21-\x7E]/u.exec(code)?.[0];
  if (stray !== undefined) return failure(/\s/u.test(stray) ? { kind: 'space', written: shown(written) } : { kind: 'character', written: shown(written), character: shown(stray) });
  const lookup = lookupUcum(code, true);
  if (lookup.found) return { ok: true, unit: { written, ucum: lookup.code, name: lookup.name, dimension: lookup.dimension } };
  const problem: UnitProblem = lookup.invalidPart && lookup.invalidPart !== code
    ? { kind: 'part', written: shown(written), part: shown(lookup.invalidPart) }
    : { kind: 'unknown', written: shown(written) };
  return failure(problem, suggestionsFor(trimmed, code, lookup));
}

function failure(problem: UnitProblem, suggestions: string[] = []): UnitResult {
  return { ok: false, problem, suggestions };
}

function deepFreeze(result: UnitResult): UnitResult {
  if (result.ok) Object.freeze(result.unit);
  else {
    Object.freeze(result.problem);
    Object.freeze(result.suggestions);
  }
  return Object.freeze(result);
}
