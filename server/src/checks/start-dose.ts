// Diagnostic: POS3001 start dose above the label dose
// Diagnostic: POS3002 cycle length differs from the label
// Diagnostic: POS3003 dosing days outside the label's days
import type * as ast from '../syntax/ast.js';
import { deviationOptions, type CheckContext } from './context.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { fixTitle } from '../diagnostics/finding.js';

function describeDays(days: ast.DayRange[]): string {
  return `day${days.length === 1 && days[0].from === days[0].to ? '' : 's'} ${days
    .map((range) => (range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`))
    .join(', ')}`;
}

function inRanges(day: number, ranges: ast.DayRange[]): boolean {
  return ranges.some((range) => day >= range.from && day <= range.to);
}

function daysOutside(protocolDays: ast.DayRange[], labelDays: ast.DayRange[]): number[] {
  const outside: number[] = [];
  for (const range of protocolDays) {
    for (let day = range.from; day <= Math.min(range.to, range.from + 400); day++) {
      if (!inRanges(day, labelDays)) outside.push(day);
    }
  }
  return outside;
}

function compressDays(days: number[]): string {
  const ranges: ast.DayRange[] = [];
  for (const day of days) {
    const last = ranges[ranges.length - 1];
    if (last && last.to === day - 1) last.to = day;
    else ranges.push({ from: day, to: day, span: { start: 0, end: 0 } });
  }
  return describeDays(ranges);
}

export function checkStartDose({ protocol, report }: CheckContext): void {
  const start = protocol.start;
  const labelDose = protocol.indication.dose;
  if (!start || !labelDose) return;
  const label = protocol.label;
  const unit = label.doseUnit?.ucum ?? '';
  const related = [labelRelated(label, labelDose.node)];
  const indication = protocol.indication.name;

  if (start.amount > labelDose.amount && start.node.amount) {
    const fix = { title: fixTitle('FixStartDose', `${labelDose.amount} ${unit}`), edits: [{ span: start.node.amount.span, newText: `${labelDose.amount} ${unit}` }] };
    report.add(start.node.amount.span, 'StartDoseAboveLabel', [`${start.amount} ${unit}`, `${labelDose.amount} ${unit}`, indication], {
      related, fixes: [fix], ...deviationOptions(protocol, 'StartDoseAboveLabel'),
    });
  }

  const cycle = start.schedule.cycleDays;
  const labelCycle = labelDose.schedule.cycleDays;
  const cycleNode = start.node.schedule.cycle;
  if (cycle !== undefined && labelCycle !== undefined && cycle !== labelCycle && cycleNode) {
    const fix = { title: fixTitle('FixCycle', labelCycle), edits: [{ span: cycleNode.span, newText: `${labelCycle} days` }] };
    report.add(cycleNode.span, 'CycleDiffers', [`${cycle} days`, `${labelCycle} days`, indication], {
      related, fixes: [fix], ...deviationOptions(protocol, 'CycleDiffers'),
    });
  }

  const days = start.schedule.days;
  const labelDays = labelDose.schedule.days;
  const daysSpan = start.node.schedule.daysSpan;
  if (days && labelDays && daysSpan) {
    const outside = daysOutside(days, labelDays);
    if (outside.length > 0) {
      const labelDaysText = labelDose.node.schedule.daysSpan ? labelText(label, labelDose.node.schedule.daysSpan) : describeDays(labelDays);
      const fix = { title: fixTitle('FixDosingDays', labelDaysText), edits: [{ span: daysSpan, newText: labelDaysText }] };
      report.add(daysSpan, 'DaysOutsideLabel', [compressDays(outside), describeDays(labelDays), indication], {
        related, fixes: [fix], ...deviationOptions(protocol, 'DaysOutsideLabel'),
      });
    }
  }
}
