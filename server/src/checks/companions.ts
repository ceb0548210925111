// Diagnostic: POS3012 a `with` dose above every dose the label allows for it
// Diagnostic: POS3028 a `with` line overlapping a band of the label's `requires` with a lower dose
// Diagnostic: POS3030 a dose per body size against an absolute one: incomparable, said in words
// Diagnostic: POS3031 a `with` drug no label in reach checks (once per drug, information)
// Diagnostic: POS3032 two `with` lines dosing one drug twice on a day for the same patient
// Diagnostic: POS3038 under `deviation with`: a band's companion amount in a cycle above the label's
// Diagnostic: POS3039 under `deviation with`: a band that gets no companion in a whole cycle
// Every `with` line, on its own schedule: against the `requires` lines of the
// protocol's label for that drug, with their conditions (the age bands), and
// against the drug's own label when one is in reach (the same checks as the
// protocol's drug: schedule.ts). Conditions overlap when some patient state
// satisfies both, found through the one evaluator (satisfying-states.ts).
import type * as ast from '../syntax/ast.js';
import { fixTitle, phrase, phraseText, type QuickFix } from '../diagnostics/finding.js';
import { companionDoses, dosesPerDay, holds, plannedCalendar } from '../eval/index.js';
import { convert, type Unit } from '../units/index.js';
import type { CompanionInfo, Condition, IndicationInfo, RequirementInfo, ResolvedLabel } from '../semantics/model.js';
import { always, both, type CheckContext } from './context.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { firstSatisfyingState } from './satisfying-states.js';
import { checkAgainstLabel, checkFrequency, checkOwnDays, type DoseLine, type LabelLine } from './schedule.js';

const PER_BODY_SIZE = /\/(m2|kg)$/;

function conditionOf(line: { condition?: Condition; node: { span: ast.Span } }): Condition {
  return line.condition ?? always(line.node.span);
}

/** A patient state in which both conditions hold, if there is one. */
function overlap(context: CheckContext, a: Condition, b: Condition): Map<string, unknown> | undefined {
  return firstSatisfyingState(both(a, b), context.protocol.facts);
}

function doseLine(companion: CompanionInfo): DoseLine {
  const line: DoseLine = { drug: companion.drug, topic: 'with', schedule: companion.schedule, node: companion.node.schedule, span: companion.node.span };
  const written = companion.node.amount;
  if (companion.amount && written) {
    line.amount = { value: companion.amount.value, unit: companion.amount.unit, text: companion.amount.text, span: written.span, perBodySize: companion.amount.per !== undefined };
  }
  return line;
}

function requirementLine(label: ResolvedLabel, requirement: RequirementInfo): LabelLine {
  const target: LabelLine = { label, schedule: requirement.schedule, node: requirement.node, context: phraseText(phrase('LabelQuoted', labelText(label, requirement.node.span))), kind: 'requires' };
  if (requirement.amount) target.amount = { ...requirement.amount, perBodySize: PER_BODY_SIZE.test(requirement.amount.text) };
  return target;
}

export function checkCompanions(context: CheckContext): void {
  const { protocol } = context;
  const cycleDays = protocol.start?.schedule.cycleDays;
  const unlabelled = new Set<string>();
  for (const companion of protocol.companions) {
    const line = doseLine(companion);
    const ownCycle = companion.schedule.cycleDays;
    checkOwnDays(context, line, ownCycle ?? cycleDays, ownCycle !== undefined ? 'its' : "the protocol's");
    const requirements = protocol.indication.requires.filter((requirement) => requirement.drug === companion.drug);
    const labelDays = requirements.find((requirement) => requirement.node.schedule.daysSpan)?.node.schedule.daysSpan;
    checkFrequency(context, line, false, labelDays ? labelText(protocol.label, labelDays) : undefined);
    if (requirements.length > 0) checkAgainstRequirements(context, companion, line, requirements, ownCycle ?? cycleDays);
    const own = ownLabel(context, companion.drug);
    if (own) checkAgainstOwnLabel(context, line, own.label, own.indication, ownCycle ?? cycleDays);
    if (!own && requirements.length === 0 && !unlabelled.has(companion.drug) && companion.node.drug) {
      unlabelled.add(companion.drug);
      context.report.add(companion.node.drug.span, 'NoLabelForDrug', [companion.drug, protocol.label.name]);
    }
  }
  checkTwiceADay(context);
  if (protocol.deviations.has('with')) checkCycleTotals(context);
}

/**
 * Under `deviation with` the verifier does not compare the companions day by day (the
 * deviation documents other days), so what a days deviation cannot document is checked
 * here, per cycle and per band of the label's `requires`: more of the drug in a cycle than
 * the label's line gives in its cycle, or none in a whole cycle. Judged for real patients
 * (a state of the band and of each line), so no sum mixes two patients.
 */
function checkCycleTotals(context: CheckContext): void {
  const { protocol, report } = context;
  const protocolCycle = protocol.start?.schedule.cycleDays;
  const labelCycle = protocol.indication.dose?.schedule.cycleDays;
  for (const requirement of protocol.indication.requires) {
    const lines = protocol.companions.filter((line) => line.drug === requirement.drug);
    const amount = requirement.amount;
    const days = requirement.schedule.days;
    const cycleOfLabel = requirement.schedule.cycleDays ?? labelCycle;
    if (lines.length === 0 || !amount || !days || days.length === 0 || !cycleOfLabel || PER_BODY_SIZE.test(amount.text)) continue;
    const labelTotal = amount.value * dosesPerDay(requirement.schedule) * countDays(requirement.schedule, cycleOfLabel, 1);
    const band = conditionOf(requirement);
    const bandText = requirement.condition ? labelText(protocol.label, requirement.condition.span) : phraseText(phrase('StateNeutral'));
    const quoted = labelText(protocol.label, requirement.node.span);
    const related = [labelRelated(protocol.label, requirement.node)];
    for (const cycle of cyclesToJudge(lines)) {
      const inForce = lines.filter((line) => countDays(line.schedule, line.schedule.cycleDays ?? protocolCycle ?? cycleOfLabel, cycle) > 0);
      const without = inForce.reduce<Condition>((acc, line) => both(acc, { kind: 'not', operand: conditionOf(line), span: line.node.span }), band);
      if (firstSatisfyingState(without, protocol.facts) !== undefined) {
        const at = lines[0].node.drug?.span ?? lines[0].node.span;
        report.add(at, 'CompanionBandMissing', [requirement.drug, cycle, bandText, quoted], { related });
        continue;
      }
      for (const line of inForce) {
        const patient = overlap(context, band, conditionOf(line));
        if (!patient || !line.amount || !line.node.amount) continue;
        let total = 0;
        let comparable = true;
        for (const other of inForce) {
          if (!holds(conditionOf(other), patient as Parameters<typeof holds>[1], protocol.facts)) continue;
          const value = other.amount ? convert(other.amount.value, other.amount.unit, amount.unit) : undefined;
          if (value === undefined || other.amount!.per !== undefined) { comparable = false; break; }
          total += value * dosesPerDay(other.schedule) * countDays(other.schedule, other.schedule.cycleDays ?? protocolCycle ?? cycleOfLabel, cycle);
        }
        if (!comparable || total <= labelTotal * (1 + 1e-9)) continue;
        const unit = amount.unit.written;
        const length = line.schedule.cycleDays ?? protocolCycle ?? cycleOfLabel;
        report.add(line.node.amount.span, 'CompanionCycleTotalAbove', [requirement.drug, `${round(total)} ${unit}`, `${cycle} (${length} days)`, bandText, quoted, `${round(labelTotal)} ${unit} (${cycleOfLabel} days)`], { related });
        break;
      }
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The days of cycle `cycle` (of `cycleDays` days) on which the schedule doses. */
function countDays(schedule: CompanionInfo['schedule'], cycleDays: number, cycle: number): number {
  let count = 0;
  for (let day = 1; day <= cycleDays; day++) if (companionDoses(schedule, plannedCalendar(cycle, day, cycleDays), cycleDays)) count++;
  return count;
}

/** The first cycle and each cycle where a line starts or stops: between them, the lines in force do not change. */
function cyclesToJudge(lines: readonly CompanionInfo[]): number[] {
  const cycles = new Set<number>([1]);
  for (const line of lines) {
    const range = line.schedule.cycles;
    if (!range) continue;
    cycles.add(range.from);
    if (range.to !== undefined) cycles.add(range.to + 1);
  }
  return [...cycles].filter((cycle) => cycle >= 1 && cycle <= 1000).sort((a, b) => a - b);
}

/** The drug's own label and the indication to read: the protocol's, else the label's only one. */
function ownLabel(context: CheckContext, drug: string): { label: ResolvedLabel; indication: IndicationInfo } | undefined {
  const found = context.labels?.find(drug) ?? [];
  if (found.length !== 1 || found[0] === context.protocol.label || found[0].errorCount > 0) return undefined;
  const label = found[0];
  const indication = label.indications.get(context.protocol.indication.name) ?? (label.indications.size === 1 ? [...label.indications.values()][0] : undefined);
  return indication?.dose ? { label, indication } : undefined;
}

function checkAgainstOwnLabel(context: CheckContext, line: DoseLine, label: ResolvedLabel, indication: IndicationInfo, cycleDays: number | undefined): void {
  const dose = indication.dose;
  if (!dose) return;
  const unit = label.doseUnit;
  const amountText = dose.node.amount?.amount ? labelText(label, dose.node.amount.amount.span) : `${dose.amount} ${unit?.written ?? ''}`;
  const target: LabelLine = { label, schedule: dose.schedule, node: dose.node, context: phraseText(phrase('ForIndicationOfLabel', indication.name, label.name)), kind: 'dose' };
  if (unit) target.amount = { value: dose.amount, unit, text: amountText, perBodySize: PER_BODY_SIZE.test(unit.written) };
  checkAgainstLabel(context, line, target, cycleDays);
  if (!line.amount || !target.amount) return;
  const related = [labelRelated(label, dose.node)];
  const value = comparable(context, line, target.amount, related);
  if (value === undefined || value <= target.amount.value) return;
  const fix = { title: fixTitle('FixCompanionDose', line.drug, amountText), edits: [{ span: line.amount.span, newText: amountText }] };
  context.report.add(line.amount.span, 'CombinationDoseAboveLabel', [line.drug, line.amount.text, labelText(label, dose.node.span), `${indication.name} (the ${label.name} label)`], {
    related, fixes: [fix],
  });
}

/** The line's amount in the label's unit; undefined (and said, once per line) when one is per body size and the other is not. */
function comparable(
  context: CheckContext,
  line: DoseLine,
  target: { value: number; unit: Unit; text: string; perBodySize: boolean },
  related: ReturnType<typeof labelRelated>[],
): number | undefined {
  if (!line.amount) return undefined;
  const value = convert(line.amount.value, line.amount.unit, target.unit);
  if (value !== undefined && line.amount.perBodySize === target.perBodySize) return value;
  if (line.amount.perBodySize || target.perBodySize) {
    const already = context.report.findings.some((item) => item.code === 'POS3030' && item.span.start === line.amount!.span.start);
    if (!already) context.report.add(line.amount.span, 'IncomparableDose', [line.drug, line.amount.text, target.text], { related });
  }
  return undefined;
}

/**
 * A `with` line that gives one amount to patients of two label bands with different amounts
 * (10 mg `when age >= 75 a` where the label gives 40 mg up to 75 and 20 mg above): the
 * boundary is wrong for the patients at it, whatever the amounts are. More than a band allows
 * is POS3028; this is the rest (less, or another amount under `deviation with`). Never lowered:
 * a deviation documents other days, not other bands.
 */
function checkSpansBands(context: CheckContext, companion: CompanionInfo, line: DoseLine, requirements: RequirementInfo[], overlapping: RequirementInfo[]): void {
  const banded = overlapping.filter((requirement) => requirement.condition && requirement.amount);
  const amounts = new Set(banded.map((requirement) => requirement.amount!.value));
  if (!line.amount || banded.length < 2 || amounts.size < 2) return;
  const { protocol, report } = context;
  const label = protocol.label;
  const bands = banded.map((requirement) => `${labelText(label, requirement.condition!.span)} (${requirement.amount!.text})`).join(', ');
  const split = splitByBands(context, companion, requirements);
  report.add(line.amount.span, 'CompanionSpansBands', [companion.drug, line.amount.text, bands], {
    related: banded.map((requirement) => labelRelated(label, requirement.node)), fixes: split ? [split] : [],
  });
}

function checkAgainstRequirements(context: CheckContext, companion: CompanionInfo, line: DoseLine, requirements: RequirementInfo[], cycleDays: number | undefined): void {
  const { protocol, report } = context;
  const label = protocol.label;
  const overlapping = requirements.filter((requirement) => overlap(context, conditionOf(companion), conditionOf(requirement)) !== undefined);
  if (overlapping.length === 0) return;
  checkAgainstLabel(context, line, requirementLine(label, overlapping[0]), cycleDays);
  if (!line.amount) return;
  const related = overlapping.map((requirement) => labelRelated(label, requirement.node));
  const priced = overlapping.flatMap((requirement) => {
    if (!requirement.amount) return [];
    const target = requirementLine(label, requirement).amount!;
    const value = comparable(context, line, target, related);
    return value === undefined ? [] : [{ requirement, value, allowed: requirement.amount.value }];
  });
  if (priced.length === 0) return;
  const highest = priced.reduce((best, item) => (item.allowed > best.allowed ? item : best));
  if (priced[0].value > highest.allowed) {
    const highestText = highest.requirement.amount!.text;
    const split = splitByBands(context, companion, requirements);
    const fix = split ?? { title: fixTitle('FixCompanionDose', companion.drug, highestText), edits: [{ span: line.amount.span, newText: highestText }] };
    report.add(line.amount.span, 'CombinationDoseAboveLabel', [companion.drug, line.amount.text, labelText(label, highest.requirement.node.span), protocol.indication.name], {
      related, fixes: [fix],
    });
    return;
  }
  const band = priced.find((item) => item.value > item.allowed && item.requirement.condition);
  if (!band?.requirement.condition) {
    checkSpansBands(context, companion, line, requirements, priced.map((item) => item.requirement));
    return;
  }
  const bandText = labelText(label, band.requirement.condition.span);
  const split = splitByBands(context, companion, requirements);
  const fixes = split ? [split] : [];
  report.add(line.amount.span, 'CompanionBandAbove', [companion.drug, line.amount.text, bandText, band.requirement.amount!.text], {
    related: [labelRelated(label, band.requirement.node)], fixes,
  });
}

/** For a line without `when` where the label gives bands: one line per band, with the band's amount and condition. */
function splitByBands(context: CheckContext, companion: CompanionInfo, requirements: RequirementInfo[]): QuickFix | undefined {
  const label = context.protocol.label;
  const bands = requirements.filter((requirement) => requirement.amount && requirement.condition);
  if (companion.condition || !companion.node.amount || bands.length < 2) return undefined;
  const rest = context.text.slice(companion.node.amount.span.end, companion.node.span.end);
  const lines = bands.map((requirement) => `with ${companion.drug} ${requirement.amount!.text}${rest} when ${labelText(label, requirement.condition!.span)}`);
  const names = bands.map((requirement) => `${requirement.amount!.text} when ${labelText(label, requirement.condition!.span)}`);
  return { title: fixTitle('FixSplitBands', names.join('; ')), edits: [{ span: companion.node.span, newText: lines.join('\n  ') }] };
}

/** Two lines of one drug that would dose it twice on a day for one patient. */
function checkTwiceADay(context: CheckContext): void {
  const { protocol, report } = context;
  const lines = protocol.companions;
  const cycleDays = protocol.start?.schedule.cycleDays;
  const lastCycle = Math.max(1, ...lines.flatMap((line) => [line.schedule.cycles?.from ?? 1, line.schedule.cycles?.to ?? 1]));
  const lastWeek = Math.max(1, ...lines.flatMap((line) => (line.schedule.weeks ?? []).map((range) => range.to)));
  const horizon = Math.min(2000, Math.max(28, (cycleDays ?? 28) * (lastCycle + 1), 7 * (lastWeek + 1)));
  lines.forEach((line, j) => {
    for (let i = 0; i < j; i++) {
      const other = lines[i];
      if (other.drug !== line.drug) continue;
      const patient = overlap(context, conditionOf(other), conditionOf(line));
      if (!patient) continue;
      const day = firstCommonDay(other, line, cycleDays, horizon);
      if (!day) continue;
      const conditions = [other, line].filter((item) => item.condition).map((item) => context.text.slice(item.condition!.span.start, item.condition!.span.end).replace(/\s+/g, ' '));
      const who = conditions.length > 0 ? phraseText(phrase('SamePatient', conditions.join(' and '))) : '';
      const related = [{ file: protocol.file, span: other.node.span, message: phraseText(phrase('RelatedOtherLine', other.drug)) }];
      report.add(line.node.span, 'DrugTwiceADay', [other.amount?.text ?? other.drug, line.drug, day, who], { related });
      return;
    }
  });
}

function firstCommonDay(a: CompanionInfo, b: CompanionInfo, cycleDays: number | undefined, horizon: number): string | undefined {
  for (let day = 1; day <= horizon; day++) {
    const cycle = cycleDays ? Math.floor((day - 1) / cycleDays) + 1 : 1;
    const cycleDay = cycleDays ? ((day - 1) % cycleDays) + 1 : day;
    const calendar = plannedCalendar(cycle, cycleDay, cycleDays);
    if (companionDoses(a.schedule, calendar) && companionDoses(b.schedule, calendar)) return cycleDays ? `cycle ${cycle} day ${cycleDay}` : `day ${day}`;
  }
  return undefined;
}

