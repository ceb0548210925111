// Printing a quantity for a pharmacist: the rounded number, a space, the unit.
import { roundSignificant } from './rounding.js';
import type { Unit } from './types.js';

/** "400 /uL", "0.4 x10^9/L": a Unit prints as its author wrote it, a string as given. */
export function formatQuantity(value: number, unit: Unit | string): string {
  const label = typeof unit === 'string' ? unit : unit.written.trim();
  return `${String(roundSignificant(value))} ${label}`;
}

const TIME_WORDS: Record<string, [string, string]> = {
  a: ['year', 'years'],
  mo: ['month', 'months'],
  wk: ['week', 'weeks'],
  d: ['day', 'days'],
  h: ['hour', 'hours'],
  min: ['minute', 'minutes'],
};

// A number, a space, a UCUM time code standing alone: `75 a`, `2 wk`, `0.5 d`.
const TIME_QUANTITY = /(?<![\w.*^])(\d+(?:\.\d+)?)\s+(a|mo|wk|d|h|min)(?![\w/*.^\[{])/g;

/**
 * Time quantities in a message as a pharmacist says them: `75 a` -> `75 years`,
 * `1 wk` -> `1 week`. Only messages: the code (quick fixes, tests) keeps UCUM.
 */
export function timeInWords(message: string): string {
  if (!/\d\s+(?:a|mo|wk|d|h|min)\b/.test(message)) return message;
  return message.replace(TIME_QUANTITY, (_, value: string, code: string) => {
    const [one, many] = TIME_WORDS[code];
    return `${value} ${Number(value) === 1 ? one : many}`;
  });
}
