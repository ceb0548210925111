// What a frequency means on the calendar, for the evaluator and every check:
// the count it was read into (`semantics/resolve/frequency.ts`) is honoured
// here, or the schedule is refused with the reason, so that no frequency is
// accepted and then ignored. The evaluator doses by days of the cycle (and by
// weeks for `with` lines with no days); a frequency that would need other days
// (every other day, every 36 h) cannot be honoured and is refused.
import type { DosingSchedule } from '../semantics/model.js';

/** Doses on one dosing day: `twice daily` 2, `every 8 h` 3; weekly schedules dose once on a dosing day. */
export function dosesPerDay(schedule: DosingSchedule): number {
  const meaning = schedule.counts;
  return meaning?.kind === 'daily' ? meaning.perDay : 1;
}

/** Whether a schedule is counted by weeks (`once weekly`, `every 3 wk`): with no days, it doses on the first day of a week. */
export function dosesByWeek(schedule: DosingSchedule): boolean {
  return schedule.counts?.kind === 'weekly';
}

/**
 * Why a schedule's frequency cannot mean what it says, or undefined when it can.
 * `refused`: the frequency has no meaning here; `needs days`: it does not say
 * which days (`twice weekly`, or any weekly frequency of the protocol's drug,
 * which is dosed on the days its start line writes); `too many` / `too few`: the
 * days written dose more, or less, often than the frequency says.
 */
export type FrequencyProblem =
  | { kind: 'refused'; reason: 'not a time' | 'zero' | 'period' }
  | { kind: 'needs days' }
  | { kind: 'too many'; count: number; from: number; to: number }
  | { kind: 'too few'; perWeek: number };

export function frequencyProblem(schedule: DosingSchedule, protocolDrug: boolean): FrequencyProblem | undefined {
  const meaning = schedule.counts;
  if (!meaning || meaning.kind === 'daily') return undefined;
  if (meaning.kind === 'refused') return { kind: 'refused', reason: meaning.reason };
  const days = schedule.days ?? [];
  if (days.length === 0) return protocolDrug || meaning.perWeek > 1 ? { kind: 'needs days' } : undefined;
  const dosing = dosingDays(days);
  if (dosing.length === 0) return undefined;
  // Days of the cycle, in windows of the frequency's period (7 days, or 7N for every N weeks), from day 1.
  const window = 7 * meaning.everyWeeks;
  let most = 0;
  for (const first of dosing) {
    const count = dosing.filter((day) => day >= first && day < first + window).length;
    if (count > meaning.perWeek) return { kind: 'too many', count, from: first, to: first + window - 1 };
    most = Math.max(most, count);
  }
  if (most < meaning.perWeek) return { kind: 'too few', perWeek: meaning.perWeek };
  return undefined;
}

/** The dosing days of the written ranges, in order, each once (reversed or huge ranges are another check's). */
function dosingDays(days: readonly { from: number; to: number }[]): number[] {
  const set = new Set<number>();
  for (const range of days) for (let day = Math.max(1, range.from); day <= Math.min(range.to, range.from + 400); day++) set.add(day);
  return [...set].sort((a, b) => a - b);
}
