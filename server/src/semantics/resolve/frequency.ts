// Reading a frequency as written into what it counts: every frequency the
// grammar accepts either gets a count (doses on a dosing day, or doses in a
// week, every Nth week) or a reason it is refused. What the count means on the
// calendar is the evaluator's (`eval/frequency.ts`).
import type { Frequency } from '../model.js';
import { convert, parseUnit, type Unit } from '../../units/index.js';

const WORDS: Readonly<Record<string, Frequency>> = {
  'once daily': { kind: 'daily', perDay: 1 },
  'twice daily': { kind: 'daily', perDay: 2 },
  'once weekly': { kind: 'weekly', perWeek: 1, everyWeeks: 1 },
  'twice weekly': { kind: 'weekly', perWeek: 2, everyWeeks: 1 },
};

const HOURS_A_DAY = 24;
const HOURS_A_WEEK = 168;
let hour: Unit | undefined;

/** The meaning of a frequency as written (the parser's words); undefined when none is written (once on a dosing day). */
export function readFrequency(text: string | undefined): Frequency | undefined {
  if (!text) return undefined;
  const words = WORDS[text];
  if (words) return words;
  const every = /^every (\S+) (\S+)$/.exec(text);
  if (!every) return { kind: 'refused', reason: 'period' };
  const count = Number(every[1]);
  if (!Number.isFinite(count) || count <= 0) return { kind: 'refused', reason: 'zero' };
  const hours = every[2] === 'weeks' || every[2] === 'week' ? count * HOURS_A_WEEK : inHours(count, every[2]);
  if (hours === undefined) return { kind: 'refused', reason: 'not a time' };
  if (hours <= 0) return { kind: 'refused', reason: 'zero' };
  if (hours <= HOURS_A_DAY && Number.isInteger(HOURS_A_DAY / hours)) return { kind: 'daily', perDay: HOURS_A_DAY / hours };
  if (Number.isInteger(hours / HOURS_A_WEEK)) return { kind: 'weekly', perWeek: 1, everyWeeks: hours / HOURS_A_WEEK };
  return { kind: 'refused', reason: 'period' };
}

function inHours(count: number, unitText: string): number | undefined {
  const parsed = parseUnit(unitText);
  if (!parsed.ok) return undefined;
  if (!hour) {
    const h = parseUnit('h');
    if (!h.ok) return undefined;
    hour = h.unit;
  }
  return convert(count, parsed.unit, hour);
}

