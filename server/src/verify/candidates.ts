// Candidate values for one fact, before equivalent ones are merged (partitions.ts).
//   quantity: every threshold compared with it (already in the fact's unit), one
//     step below and above it, plus a midpoint between two thresholds that no other
//     candidate separates. The step is one unit in the last decimal place of the
//     threshold as written in the fact's unit: 500 -> 499, 501; 0.4 -> 0.3, 0.5;
//     integers always +-1. Values below zero are left out unless a threshold is negative.
//   day: every day from 2 until both cycles (label and protocol) start together
//     again, and every day a rule names (+-1); day 1 is the default.
//   previous_dose: every dose level (start dose, label dose, each absolute amount in
//     rules and caps) and each level less 1 dose unit and less each relative amount.
// The default (the fact left out of the state: its `normal`, false, unknown or day 1)
// is always a candidate too; partitions.ts puts it first.
import type { Amount, ResolvedProtocol } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';

const MAX_DAY = 1000;

/** One unit in the last decimal place of `value` (1 for integers). */
export function stepOf(value: number): number {
  for (let places = 0; places <= 12; places++) {
    const scaled = value * 10 ** places;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) return roundSignificant(10 ** -places);
  }
  return 1e-12;
}

function ascendingUnique(values: Iterable<number>): number[] {
  return [...new Set(values)].filter(Number.isFinite).sort((a, b) => a - b);
}

export function thresholdCandidates(thresholds: readonly number[]): number[] {
  const values: number[] = [];
  for (const threshold of thresholds) {
    const step = stepOf(threshold);
    values.push(roundSignificant(threshold - step), threshold, roundSignificant(threshold + step));
  }
  const sorted = ascendingUnique(thresholds);
  for (let i = 1; i < sorted.length; i++) {
    const [low, high] = [sorted[i - 1], sorted[i]];
    if (values.some((value) => value > low && value < high)) continue;
    const middle = roundSignificant((low + high) / 2);
    if (middle > low && middle < high) values.push(middle);
  }
  const negativeAllowed = thresholds.some((threshold) => threshold < 0);
  return ascendingUnique(values.filter((value) => negativeAllowed || value >= 0));
}

function scheduleDays(schedule: { days?: { to: number }[]; cycleDays?: number } | undefined): number[] {
  if (!schedule) return [];
  return [schedule.cycleDays ?? 0, ...(schedule.days ?? []).map((range) => range.to + 1)];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Days until both cycles start together again (0 when either is missing). */
function commonCycle(protocol: ResolvedProtocol): number {
  const a = protocol.start?.schedule.cycleDays;
  const b = protocol.indication.dose?.schedule.cycleDays;
  if (!a || !b || !Number.isInteger(a) || !Number.isInteger(b) || a <= 0 || b <= 0) return 0;
  return (a / gcd(a, b)) * b;
}

export function dayCandidates(protocol: ResolvedProtocol, thresholds: readonly number[]): number[] {
  const named = thresholdCandidates(thresholds);
  const ends = [commonCycle(protocol), ...scheduleDays(protocol.start?.schedule), ...scheduleDays(protocol.indication.dose?.schedule), ...named.map((day) => day + 1)];
  const last = Math.min(MAX_DAY, Math.max(1, ...ends));
  const days: number[] = [];
  for (let day = 2; day <= last; day++) days.push(day);
  return ascendingUnique([...days, ...named.filter((day) => day > 1 && day <= MAX_DAY)]);
}

/** Every relative amount (`previous - 1 mg`) in the protocol's rules and the indication's caps. */
export function relativeAmounts(protocol: ResolvedProtocol): Amount[] {
  const amounts: Amount[] = [];
  for (const rule of protocol.rules) if (rule.action.kind === 'dose' && rule.action.amount.kind === 'relative') amounts.push(rule.action.amount);
  for (const constraint of protocol.indication.constraints) if (constraint.kind === 'cap' && constraint.amount.kind === 'relative') amounts.push(constraint.amount);
  return amounts;
}

function absoluteAmounts(protocol: ResolvedProtocol): number[] {
  const levels = [protocol.start?.amount, protocol.indication.dose?.amount];
  for (const rule of protocol.rules) if (rule.action.kind === 'dose' && rule.action.amount.kind === 'absolute') levels.push(rule.action.amount.value);
  for (const constraint of protocol.indication.constraints) if (constraint.kind === 'cap' && constraint.amount.kind === 'absolute') levels.push(constraint.amount.value);
  return levels.filter((level): level is number => level !== undefined);
}

export function doseLevelCandidates(protocol: ResolvedProtocol, thresholds: readonly number[]): number[] {
  const levels = absoluteAmounts(protocol);
  const minus = [1, ...relativeAmounts(protocol).map((amount) => (amount.kind === 'relative' ? amount.minus : 0))];
  const values = [...levels, ...levels.flatMap((level) => minus.map((step) => roundSignificant(level - step)))];
  return ascendingUnique([...values.filter((value) => value > 0), ...thresholdCandidates(thresholds)]);
}
