// Converting a value between two parsed units. The factor is UCUM's conversion
// of 1 `from` into `to`, asked once per pair; the result is rounded with
// `roundSignificant` so 0.4 10*9/L is exactly 400 /uL.
import { roundSignificant } from './rounding.js';
import type { Unit } from './types.js';
import { isSpecialUnit, ucumConvert } from './ucum.js';

type Factor = { kind: 'linear'; factor: number } | { kind: 'special' } | { kind: 'none' };

const MAX_CACHED = 10_000;
const factors = new Map<string, Factor>();

/** True when a value in `a` can be converted to `b`. */
export function sameDimension(a: Unit, b: Unit): boolean {
  return a.dimension === b.dimension;
}

/** `value` `from` expressed in `to`, rounded; undefined when the units do not convert. */
export function convert(value: number, from: Unit, to: Unit): number | undefined {
  if (!sameDimension(from, to)) return undefined;
  if (from.ucum === to.ucum) return roundSignificant(value);
  const factor = factorFor(from.ucum, to.ucum);
  if (factor.kind === 'linear') return roundSignificant(value * factor.factor);
  if (factor.kind === 'none') return undefined;
  const converted = ucumConvert(value, from.ucum, to.ucum);
  return converted === undefined ? undefined : roundSignificant(converted);
}

function factorFor(from: string, to: string): Factor {
  const key = `${from}\u0000${to}`;
  const cached = factors.get(key);
  if (cached) return cached;
  const factor = askUcum(from, to);
  if (factors.size >= MAX_CACHED) factors.clear();
  factors.set(key, factor);
  return factor;
}

/** Special units (Cel, [degF]) convert by a function, so each value goes to UCUM. */
function askUcum(from: string, to: string): Factor {
  if (isSpecialUnit(from) || isSpecialUnit(to)) return { kind: 'special' };
  const factor = ucumConvert(1, from, to);
  return factor !== undefined && factor > 0 ? { kind: 'linear', factor } : { kind: 'none' };
}
