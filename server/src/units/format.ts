// Printing a quantity for a pharmacist: the rounded number, a space, the unit.
import { roundSignificant } from './rounding.js';
import type { Unit } from './types.js';

/** "400 /uL", "0.4 x10^9/L": a Unit prints as its author wrote it, a string as given. */
export function formatQuantity(value: number, unit: Unit | string): string {
  const label = typeof unit === 'string' ? unit : unit.written.trim();
  return `${String(roundSignificant(value))} ${label}`;
}
