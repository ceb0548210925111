// Diagnostic: POS3015 route differs from the label's
// Diagnostic: POS3016 the amount a day above the label's (frequency counts)
// Diagnostic: POS3017 a dosing day outside the line's own cycle, a day 0, a reversed range
// Diagnostic: POS3018 no rest days where the label has some (also under `deviation cycle`)
// Diagnostic: POS3019 no `cycle` where the label has one
// Diagnostic: POS3035 a frequency that does not say its days (`twice weekly`, a weekly start line)
// Diagnostic: POS3036 a weekly frequency its days contradict (`twice weekly days 1-21`)
// Diagnostic: POS3037 a frequency that cannot be honoured (`every 2 d`, `every 36 h`)
// The schedule checks, for the protocol's drug (`start`, against the label's
// `dose`) and for every `with` line (against the `requires` lines of the
// protocol's label for that drug, and against the drug's own label when one is
// in reach: see companions.ts). Findings that compare with the label are
// lowered by a documented deviation; findings about the line's own
// consistency (its days against its own cycle, no rest days) never are.
import { fixTitle, phrase, phraseText } from '../diagnostics/finding.js';
import type * as ast from '../syntax/ast.js';
import { convert, type Unit } from '../units/index.js';
import type { DosingSchedule, ResolvedLabel } from '../semantics/model.js';
import { deviationOptions, type CheckContext } from './context.js';
import type { Report } from '../semantics/report.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { dosesPerDay, frequencyProblem } from '../eval/index.js';

/** One dosing line of the protocol: its drug, amount and schedule as written. */
export interface DoseLine {
  drug: string;
  /** The deviation topic that documents a difference from the label: `start` or `with`. */
  topic: 'start' | 'with';
  amount?: { value: number; unit: Unit; text: string; span: ast.Span; perBodySize: boolean };
  schedule: DosingSchedule;
  node: ast.Schedule;
  span: ast.Span;
}

/** What a line is compared with: a label `dose` or a `requires` line. */
export interface LabelLine {
  label: ResolvedLabel;
  amount?: { value: number; unit: Unit; text: string; perBodySize: boolean };
  schedule: DosingSchedule;
  node: { span: ast.Span; source?: ast.SourceClause; schedule: ast.Schedule };
  /** " for multiple_myeloma", or the requires line quoted. */
  context: string;
  /** A label `dose` (cycle and rest days are compared) or a `requires` line (days only). */
  kind: 'dose' | 'requires';
}

export function describeRanges(days: readonly { from: number; to: number }[]): string {
  return days.map((range) => (range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`)).join(', ');
}

/** Whether a schedule doses every day of a cycle of `cycleDays` days (no days written: every day). */
function coversCycle(days: readonly { from: number; to: number }[] | undefined, cycleDays: number): boolean {
  if (!days || days.length === 0) return true;
  for (let day = 1; day <= cycleDays; day++) if (!inSomeRange(days, day)) return false;
  return true;
}

/** A loop, not `some` with a closure: asked for every day of a cycle, for every start line of a file. */
function inSomeRange(days: readonly { from: number; to: number }[], day: number): boolean {
  for (const range of days) if (day >= range.from && day <= range.to) return true;
  return false;
}

/** Whether every range lies in days 1..cycleDays (otherwise POS3017 says so first). */
function withinCycle(days: readonly { from: number; to: number }[] | undefined, cycleDays: number): boolean {
  return (days ?? []).every((range) => range.from >= 1 && range.from <= range.to && range.to <= cycleDays);
}

/** The line's own consistency: day 0, reversed ranges, days beyond its cycle. Never lowered by a deviation. */
export function checkOwnDays(context: CheckContext, line: DoseLine, cycleDays: number | undefined, cycleWhose: string): void {
  const { report } = context;
  for (const range of line.node.days ?? []) {
    if (range.from > range.to) {
      const fix = { title: fixTitle('FixWriteDays', range.to, range.from), edits: [{ span: range.span, newText: `${range.to}-${range.from}` }] };
      report.add(range.span, 'DaysBackwards', [range.from, range.to], { fixes: [fix] });
      continue;
    }
    if (range.from < 1) {
      report.add(range.span, 'DayZero', []);
      continue;
    }
    if (cycleDays !== undefined && range.to > cycleDays) {
      const outside = range.from > cycleDays ? describeRanges([range]) : describeRanges([{ from: cycleDays + 1, to: range.to }]);
      const fixes = range.from <= cycleDays
        ? [{ title: fixTitle('FixEndDays', cycleDays), edits: [{ span: range.span, newText: range.from === cycleDays ? `${cycleDays}` : `${range.from}-${cycleDays}` }] }]
        : [];
      report.add(range.span, outside.includes('-') ? 'DaysOutsideCycle' : 'DayOutsideCycle', [outside, cycleWhose, cycleDays, line.drug], { fixes });
    }
  }
}

/**
 * The line's frequency against what the evaluator can honour (`eval/frequency.ts`):
 * refused, without its days, or contradicted by its days. About the line's own
 * consistency, so never lowered by a deviation. `labelDays`, the days of the label
 * line it is compared with, is the quick fix of a frequency that needs days.
 */
export function checkFrequency(context: CheckContext, line: DoseLine, protocolDrug: boolean, labelDays?: string): void {
  reportFrequency(context.report, line.node, line.schedule, line.drug, protocolDrug, labelDays);
}

/** The same for a label's lines: its `dose` (the drug's own days) and its `requires` lines, which its machine doses alike. */
export function checkLabelFrequencies(label: ResolvedLabel, report: Report): void {
  for (const indication of label.indications.values()) {
    if (indication.dose) reportFrequency(report, indication.dose.node.schedule, indication.dose.schedule, label.name, true);
    for (const requirement of indication.requires) reportFrequency(report, requirement.node.schedule, requirement.schedule, requirement.drug, false);
  }
}

function reportFrequency(report: Report, node: ast.Schedule, schedule: DosingSchedule, drug: string, protocolDrug: boolean, labelDays?: string): void {
  const frequency = node.frequency;
  if (!frequency) return;
  const problem = frequencyProblem(schedule, protocolDrug);
  if (!problem) return;
  switch (problem.kind) {
    case 'refused': {
      const unit = frequency.text.split(' ')[2] ?? '';
      const why = problem.reason === 'not a time' ? phrase('FrequencyNotATime', unit) : problem.reason === 'zero' ? phrase('FrequencyZero') : phrase('FrequencyPeriod');
      report.add(frequency.span, 'FrequencyRefused', [frequency.text, phraseText(why)]);
      return;
    }
    case 'needs days': {
      const fixes = labelDays && !node.daysSpan
        ? [{ title: fixTitle('FixFrequencyToLabelDays', frequency.text, labelDays), edits: [{ span: frequency.span, newText: labelDays }] }]
        : [];
      report.add(frequency.span, 'FrequencyNeedsDays', [frequency.text, drug, phraseText(phrase(protocolDrug ? 'FrequencyStartDays' : 'FrequencyWeekDays'))], { fixes });
      return;
    }
    case 'too few':
      report.add(frequency.span, 'FrequencyTooFewDays', [frequency.text, describeRanges(schedule.days ?? []), drug]);
      return;
    case 'too many':
      report.add(frequency.span, 'FrequencyTooManyDays', [frequency.text, describeRanges(schedule.days ?? []), drug, problem.count, problem.from, problem.to]);
      return;
  }
}

/** A line against a label line: route, amount a day, rest days, cycle, and (for `requires`) days. */
export function checkAgainstLabel(context: CheckContext, line: DoseLine, target: LabelLine, cycleDays: number | undefined): void {
  const { protocol, report } = context;
  const related = [labelRelated(target.label, target.node)];

  const route = line.schedule.route;
  const labelRoute = target.schedule.route;
  if (route && labelRoute && route.toLowerCase() !== labelRoute.toLowerCase() && line.node.route) {
    const fix = { title: fixTitle('FixRoute', labelRoute), edits: [{ span: line.node.route.span, newText: labelRoute }] };
    report.add(line.node.route.span, 'RouteDiffers', [line.drug, route, labelRoute, target.context], { related, fixes: [fix], ...deviationOptions(protocol, 'RouteDiffers', line.topic, target.label) });
  }

  checkDailyAmount(context, line, target, related);

  const labelDays = target.schedule.days;
  const labelCycle = target.schedule.cycleDays;
  if (target.kind === 'dose' && labelCycle !== undefined) {
    if (cycleDays === undefined) {
      const end = line.span.end;
      const fix = { title: fixTitle('FixAddCycle', labelCycle), edits: [{ span: { start: end, end }, newText: ` cycle ${labelCycle} days` }] };
      report.add(line.span, 'CycleMissing', [`a cycle of ${labelCycle} days`, target.context.replace(/^ for /, '')], { related, fixes: [fix], ...deviationOptions(protocol, 'CycleMissing', undefined, target.label) });
    } else if (!coversCycle(labelDays, labelCycle) && coversCycle(line.schedule.days, cycleDays) && withinCycle(line.schedule.days, cycleDays)) {
      const span = line.node.daysSpan ?? line.span;
      const written = line.schedule.days && line.schedule.days.length > 0 ? describeRanges(line.schedule.days) : `1-${cycleDays}`;
      report.add(span, 'NoRestDays', [written, cycleDays, `days ${describeRanges(labelDays ?? [])} of ${labelCycle}`], { related });
    }
  }
  // Days against a `requires` line, and a `with` line's days against its drug's own label (the protocol's drug's are POS3003).
  const ownLabel = target.kind === 'dose' && line.topic === 'with';
  if ((target.kind === 'requires' || ownLabel) && labelDays && labelDays.length > 0 && line.schedule.days && line.node.daysSpan) {
    const outside: number[] = [];
    for (const range of line.schedule.days) {
      for (let day = range.from; day <= Math.min(range.to, range.from + 400); day++) {
        if (!labelDays.some((allowed) => day >= allowed.from && day <= allowed.to)) outside.push(day);
      }
    }
    // The label's days the line leaves out, within the protocol's cycle (past its end no day can be given).
    const missing: number[] = [];
    for (const range of labelDays) {
      for (let day = range.from; day <= Math.min(range.to, range.from + 400, cycleDays ?? Infinity); day++) {
        if (!line.schedule.days.some((given) => day >= given.from && day <= given.to)) missing.push(day);
      }
    }
    if (outside.length > 0 || missing.length > 0) {
      const labelDaysText = target.node.schedule.daysSpan ? labelText(target.label, target.node.schedule.daysSpan) : `days ${describeRanges(labelDays)}`;
      const fix = { title: fixTitle('FixDays', labelDaysText), edits: [{ span: line.node.daysSpan, newText: labelDaysText }] };
      if (outside.length > 0) report.add(line.node.daysSpan, 'CompanionDaysOutsideLabel', [line.drug, `day${outside.length > 1 ? 's' : ''} ${compress(outside)}`, labelDaysText, target.context], { related, fixes: [fix], ...deviationOptions(protocol, 'CompanionDaysOutsideLabel', undefined, target.label) });
      if (missing.length > 0) report.add(line.node.daysSpan, 'CompanionDaysMissing', [line.drug, `day${missing.length > 1 ? 's' : ''} ${compress(missing)}`, labelDaysText, target.context], { related, fixes: [fix], ...deviationOptions(protocol, 'CompanionDaysMissing') });
    }
  }
}

function compress(days: number[]): string {
  const ranges: { from: number; to: number }[] = [];
  for (const day of days) {
    const last = ranges[ranges.length - 1];
    if (last && last.to === day - 1) last.to = day;
    else ranges.push({ from: day, to: day });
  }
  return describeRanges(ranges);
}

/** The amount a day against the label's, when the frequency makes the difference (a higher single dose is POS3001/POS3012). */
function checkDailyAmount(context: CheckContext, line: DoseLine, target: LabelLine, related: ReturnType<typeof labelRelated>[]): void {
  const { protocol, report } = context;
  if (!line.amount || !target.amount || line.amount.perBodySize !== target.amount.perBodySize) return;
  const value = convert(line.amount.value, line.amount.unit, target.amount.unit);
  if (value === undefined) return;
  const perDay = dosesPerDay(line.schedule);
  const labelPerDay = dosesPerDay(target.schedule);
  if (perDay === labelPerDay) return;
  const daily = value * perDay;
  const labelDaily = target.amount.value * labelPerDay;
  const frequency = line.node.frequency;
  const labelFrequency = target.schedule.frequency;
  const fixes = frequency && labelFrequency ? [{ title: fixTitle('FixFrequency', labelFrequency), edits: [{ span: frequency.span, newText: labelFrequency }] }] : [];
  const span = frequency?.span ?? line.amount.span;
  if (daily <= labelDaily) {
    // The drug's rules, levels and the label's caps are amounts per dose at the label's
    // frequency: split into more doses a day, `then dose 3 mg` would be 6 mg a day against a cap
    // of 3 mg, and no comparison of one dose would see it.
    if (line.topic === 'start') {
      report.add(span, 'FrequencyDiffersFromLabel', [line.drug, line.schedule.frequency ?? `${perDay}`, perDay, labelPerDay, target.context], {
        related, fixes, ...deviationOptions(protocol, 'FrequencyDiffersFromLabel', line.topic, target.label),
      });
    }
    return;
  }
  const unit = target.amount.unit.written;
  report.add(span, 'DailyAmountAboveLabel', [line.drug, `${line.amount.text}${line.schedule.frequency ? ` ${line.schedule.frequency}` : ''}`, `${round(daily)} ${unit}`, `${round(labelDaily)} ${unit}`, target.context], {
    related, fixes, ...deviationOptions(protocol, 'DailyAmountAboveLabel', line.topic, target.label),
  });
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** The protocol's drug: its `start` line against the label's dose. */
export function checkStartSchedule(context: CheckContext): void {
  const { protocol } = context;
  const start = protocol.start;
  if (!start) return;
  const unit = protocol.label.doseUnit;
  const amountNode = start.node.amount?.amount;
  const line: DoseLine = { drug: protocol.label.name, topic: 'start', schedule: start.schedule, node: start.node.schedule, span: start.node.span };
  if (unit && amountNode) line.amount = { value: start.amount, unit, text: `${amountNode.valueText} ${amountNode.unit?.text ?? ''}`.trim(), span: amountNode.span, perBodySize: false };
  checkOwnDays(context, line, start.schedule.cycleDays, 'its');
  checkFrequency(context, line, true);
  const dose = protocol.indication.dose;
  if (!dose) return;
  const target: LabelLine = { label: protocol.label, schedule: dose.schedule, node: dose.node, context: phraseText(phrase('ForIndication', protocol.indication.name)), kind: 'dose' };
  if (unit) target.amount = { value: dose.amount, unit, text: `${dose.amount} ${unit.written}`, perBodySize: false };
  checkAgainstLabel(context, line, target, start.schedule.cycleDays);
}
