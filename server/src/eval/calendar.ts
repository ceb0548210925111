// The calendar of a course: day of treatment, cycle number and day of the
// cycle. A cycle whose gate is not met on its day 1 waits there (the days of
// treatment go on, the cycle's days do not) until the first day it is met.
import type { DosingSchedule } from '../semantics/model.js';
import { dosesByWeek } from './frequency.js';

export interface Calendar {
  /** Day of treatment, 1 on the first day of the course. */
  readonly treatmentDay: number;
  /** Cycle number, 1 for the first cycle. */
  readonly cycle: number;
  /** Day of the cycle, 1-based; stays 1 while the cycle waits for its gate. */
  readonly cycleDay: number;
  /** Whether the cycle's day 1 has not started yet (its gate was not met on an earlier day). */
  readonly waiting: boolean;
}

export const FIRST_DAY: Calendar = Object.freeze({ treatmentDay: 1, cycle: 1, cycleDay: 1, waiting: false });

/** The next day: the cycle advances only if it started (`started`), and wraps after `cycleDays`. */
export function nextDay(calendar: Calendar, cycleDays: number | undefined, started: boolean): Calendar {
  const treatmentDay = calendar.treatmentDay + 1;
  if (!started) return { treatmentDay, cycle: calendar.cycle, cycleDay: 1, waiting: true };
  if (cycleDays && cycleDays > 0 && calendar.cycleDay >= cycleDays) return { treatmentDay, cycle: calendar.cycle + 1, cycleDay: 1, waiting: false };
  return { treatmentDay, cycle: calendar.cycle, cycleDay: calendar.cycleDay + 1, waiting: false };
}

/** The calendar as planned (no delay) on day `cycleDay` of cycle `cycle`. */
export function plannedCalendar(cycle: number, cycleDay: number, cycleDays: number | undefined): Calendar {
  const length = cycleDays && cycleDays > 0 ? cycleDays : 0;
  return { treatmentDay: (cycle - 1) * length + cycleDay, cycle, cycleDay, waiting: false };
}

/** Whether day `cycleDay` is a dosing day of `schedule` (every day when it gives no days). */
export function isScheduledDay(schedule: DosingSchedule | undefined, cycleDay: number): boolean {
  const days = schedule?.days;
  if (!days || days.length === 0) return true;
  // Indexed, no closure: the course search asks this for every day it steps.
  for (let i = 0; i < days.length; i++) if (cycleDay >= days[i].from && cycleDay <= days[i].to) return true;
  return false;
}

/** Whether `value` is in one of the ranges. */
function inRanges(ranges: readonly { from: number; to: number }[], value: number): boolean {
  for (let i = 0; i < ranges.length; i++) if (value >= ranges[i].from && value <= ranges[i].to) return true;
  return false;
}

/**
 * The day of the course a week schedule counts from: day D of cycle C is day
 * (C - 1) x length + D, the cycle calendar (days a cycle waits for its gate do
 * not count, so a delay shifts every drug alike); without a cycle length, the
 * day of treatment.
 */
export function courseDay(calendar: Calendar, cycleDays: number | undefined): number {
  return cycleDays && cycleDays > 0 ? (calendar.cycle - 1) * cycleDays + calendar.cycleDay : calendar.treatmentDay;
}

/** The week of the course (days 1-7 of the course are week 1), counted as `courseDay`. */
export function courseWeek(calendar: Calendar, cycleDays: number | undefined): number {
  return Math.floor((courseDay(calendar, cycleDays) - 1) / 7) + 1;
}

/**
 * Whether a companion line's schedule doses on this day: its cycles, weeks,
 * week period and days. Weeks are weeks of the course on the cycle calendar
 * (`courseWeek`): week 1 is cycle 1 days 1-7. `once weekly` or `every N weeks`
 * with no `days` doses on the first day of a week (course days 1, 8, 15, ...),
 * every Nth week counted from the first week of the line's `weeks`; with `days`,
 * the days of the cycle decide within the weeks it applies to.
 */
export function companionDoses(schedule: DosingSchedule, calendar: Calendar, cycleDays?: number): boolean {
  const { cycles, weeks, everyWeeks } = schedule;
  if (cycles && (calendar.cycle < cycles.from || (cycles.to !== undefined && calendar.cycle > cycles.to))) return false;
  const day = courseDay(calendar, cycleDays);
  const week = courseWeek(calendar, cycleDays);
  if (weeks && weeks.length > 0 && !inRanges(weeks, week)) return false;
  const byWeek = dosesByWeek(schedule);
  if (byWeek && (!schedule.days || schedule.days.length === 0)) {
    if ((day - 1) % 7 !== 0) return false;
    const first = weeks && weeks.length > 0 ? Math.min(...weeks.map((range) => range.from)) : 1;
    if (everyWeeks && (week - first) % everyWeeks !== 0) return false;
    return true;
  }
  return isScheduledDay(schedule, calendar.cycleDay);
}
