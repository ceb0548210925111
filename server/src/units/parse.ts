// Reading a unit as written in a .dose file: aliases first, then UCUM.
// Never throws; every answer is frozen and cached per written string.
import { applyAliases } from './aliases.js';
import { missingUnitMessage, reasons, unknownUnitMessage } from './messages.js';
import { suggestionsFor } from './suggestions.js';
import type { UnitResult } from './types.js';
import { lookupUcum } from './ucum.js';

/** Longer text is not sent to UCUM (real units are a few characters long). */
export const MAX_UNIT_LENGTH = 100;
const MAX_CACHED = 10_000;
const cache = new Map<string, UnitResult>();

/** Parses a unit as written ("x10^9/L", "mcg", "days"); cached per string. */
export function parseUnit(written: string): UnitResult {
  if (typeof written !== 'string') return failure(missingUnitMessage());
  const cached = cache.get(written);
  if (cached) return cached;
  const result = deepFreeze(parseUncached(written));
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(written, result);
  return result;
}

function parseUncached(written: string): UnitResult {
  const trimmed = written.trim();
  if (trimmed === '') return failure(missingUnitMessage());
  if (trimmed.length > MAX_UNIT_LENGTH) return failure(unknownUnitMessage(written, reasons.tooLong(MAX_UNIT_LENGTH)));
  const code = applyAliases(trimmed);
  const stray = /[^\x21-\x7E]/u.exec(code)?.[0];
  if (stray !== undefined) return failure(unknownUnitMessage(written, strayReason(stray)));
  const lookup = lookupUcum(code, true);
  if (lookup.found) return { ok: true, unit: { written, ucum: lookup.code, name: lookup.name, dimension: lookup.dimension } };
  const part = lookup.invalidPart && lookup.invalidPart !== code ? reasons.part(lookup.invalidPart) : undefined;
  return failure(unknownUnitMessage(written, part), suggestionsFor(trimmed, code, lookup));
}

/** UCUM units are printable ASCII without spaces. */
function strayReason(character: string): string {
  return /\s/u.test(character) ? reasons.space() : reasons.character(character);
}

function failure(message: string, suggestions: string[] = []): UnitResult {
  return { ok: false, message, suggestions };
}

function deepFreeze(result: UnitResult): UnitResult {
  Object.freeze(result.ok ? result.unit : result.suggestions);
  return Object.freeze(result);
}
