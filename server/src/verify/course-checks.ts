// What the label finds wrong with one day of a course: the protocol machine's
// outcome for the day against the label machine's verdict (eval/label-course.ts
// decides both; this file only compares them, with the line behind each
// requirement so counterexamples can be grouped and reported on it):
//   - a requirement (discontinue, hold, a cycle gate, a rest day of the label's
//     schedule) the decision is weaker than; against discontinue only a dose is
//     weaker: a hold or no dose gives none of the drug that day, and the label's
//     machine requires discontinue on every later day until a dose is given, so a
//     dose after the hold breaks the line that discontinued;
//   - a dose above the most the label allows (its dose for the indication, every
//     cap in force, the ceiling a `resume at most` left), or missing a timing;
//   - a `with` drug against the label's `requires` that day: another amount, a
//     dose the label does not give that day, or none where the label requires one
//     and the drug is not held (skipped when the protocol documents `deviation with`).
// A rest day of the label's schedule is not required when the protocol documents
// `deviation cycle` or `deviation days` (its own schedule was accepted).
import { becausePhrase, brokenEarlier, formatDecision, rankOf, type Because, type DayOutcome, type LabelVerdict } from '../eval/index.js';
import { phraseText } from '../diagnostics/finding.js';
import type { ConstraintInfo, Decision, GateInfo, RequirementInfo, ResolvedProtocol } from '../semantics/model.js';
import { labelText } from '../semantics/label-text.js';
import { convert, parseUnit } from '../units/index.js';

/** The label line a violation breaks. */
export interface BrokenLine {
  /** Identity for grouping: the line's offset in the label, or a name for lines without a node. */
  id: string;
  /** The label line, on one line: "hold when ANC < 500 /uL or febrile_neutropenia". */
  text: string;
  node?: { span: { start: number; end: number }; source?: unknown };
  constraint?: ConstraintInfo;
  gate?: GateInfo;
  requirement?: RequirementInfo;
}

export interface DayViolation {
  line: BrokenLine;
  /** What the label requires, in words: "hold", "at most 3 mg", "dexamethasone 20 mg". */
  required: string;
  /** The decision the label requires instead, for the step a quick fix adds. */
  expected: Decision;
  /** For a companion: the drug, what it got and what the label requires of it. */
  companion?: { drug: string; given: string; required?: { value: number; unit: string } };
}

export interface CheckContext {
  protocol: ResolvedProtocol;
  /** The protocol documents `deviation cycle` or `deviation days`. */
  scheduleDeviates: boolean;
  /** The protocol documents `deviation with`. */
  companionsDeviate: boolean;
  /** The label's dose line for the indication, as written. */
  doseLine?: BrokenLine;
}

interface LineNode {
  span: { start: number; end: number };
  source?: { span: { start: number } };
  notes?: readonly { span: { start: number } }[];
}

/** A label line as written, up to its `source` and `note` clauses. */
export function nodeLine(protocol: ResolvedProtocol, node: LineNode): string {
  const cuts = [node.span.end, ...(node.source ? [node.source.span.start] : []), ...(node.notes ?? []).map((note) => note.span.start)];
  return labelText(protocol.label, { start: node.span.start, end: Math.max(node.span.start, Math.min(...cuts)) });
}

function constraintLine(protocol: ResolvedProtocol, constraint: ConstraintInfo): BrokenLine {
  return { id: `c${constraint.node.span.start}`, text: nodeLine(protocol, constraint.node), node: constraint.node, constraint };
}

export function checkContext(protocol: ResolvedProtocol): CheckContext {
  const context: CheckContext = {
    protocol,
    scheduleDeviates: protocol.deviations.has('cycle') || protocol.deviations.has('days'),
    companionsDeviate: protocol.deviations.has('with'),
  };
  const dose = protocol.indication.dose;
  if (dose) {
    const schedule = dose.node.schedule;
    const parts = [dose.node.amount?.span, schedule.route?.span, schedule.frequency?.span, schedule.daysSpan, schedule.cycle?.span];
    const end = Math.max(dose.node.span.start, ...parts.map((span) => span?.end ?? 0));
    context.doseLine = { id: 'dose', text: labelText(protocol.label, { start: dose.node.span.start, end }), node: dose.node };
  }
  return context;
}

/** A requirement's or limit's line in words: the label's quote, or the table's phrase. */
export function becauseText(because: Because): string {
  return phraseText(becausePhrase(because));
}

function requirementLine(context: CheckContext, verdict: LabelVerdict): BrokenLine | undefined {
  const required = verdict.requires;
  if (!required) return undefined;
  if (required.constraint) return constraintLine(context.protocol, required.constraint);
  if (required.gate) {
    const gate = required.gate;
    return { id: `g${gate.node.span.start}`, text: nodeLine(context.protocol, gate.node), node: gate.node, gate };
  }
  if (required.kind === 'no dose') return context.doseLine ?? { id: 'rest', text: becauseText(required.because) };
  return { id: `r:${required.kind}`, text: becauseText(required.because) };
}

function companionAmount(value: number, from: string, to: string): number {
  if (from === to) return value;
  const source = parseUnit(from);
  const target = parseUnit(to);
  return (source.ok && target.ok ? convert(value, source.unit, target.unit) : undefined) ?? value;
}

/**
 * What the label finds wrong with the day; empty when the day keeps to it. `companions` and
 * `required`: the protocol's companion decisions and what the label requires of them, when
 * another slot's (variant, companion day) than the outcome's and the verdict's own.
 */
export function dayViolations(
  context: CheckContext,
  outcome: DayOutcome,
  verdict: LabelVerdict,
  companions: DayOutcome['companions'] = outcome.companions,
  required: LabelVerdict['companions'] = verdict.companions,
): DayViolation[] {
  const decision = outcome.decision;
  const found: DayViolation[] = [];
  const requires = verdict.requires;
  const restDay = requires?.kind === 'no dose' && !requires.constraint && !requires.gate;
  // Discontinued on an earlier day after which a dose was given: that day broke a line already; not again.
  const earlier = brokenEarlier(requires);
  // No drug given (hold, no dose) keeps a discontinue that day; the companions are still compared.
  const noDrug = requires?.kind === 'discontinue' && decision.kind !== 'dose';
  if (requires && !earlier && !noDrug && !(restDay && context.scheduleDeviates) && rankOf(decision.kind) > rankOf(requires.kind)) {
    const line = requirementLine(context, verdict);
    if (line) found.push({ line, required: requires.kind, expected: { kind: requires.kind } });
    return found;
  }
  if (decision.kind === 'dose') {
    let most = verdict.atMost?.amount ?? Infinity;
    const labelDose = context.protocol.indication.dose?.amount;
    // The label's dose for the indication is the most it allows on any day.
    const byLabelDose = labelDose !== undefined && labelDose < most;
    if (byLabelDose) most = labelDose;
    // The line (and its words) only for a dose above it.
    const atMost = verdict.atMost;
    const line: BrokenLine | undefined =
      decision.amount <= most ? undefined : byLabelDose ? context.doseLine : atMost ? (atMost.constraint ? constraintLine(context.protocol, atMost.constraint) : { id: `m:${becauseText(atMost.because)}`, text: becauseText(atMost.because) }) : undefined;
    const missing = verdict.timings.length > 0 ? verdict.timings.filter((item) => !decision.timing.includes(item.timing)) : NONE_MISSING;
    // Built only for a broken line: most days break none (the search compares tens of thousands).
    if ((line && decision.amount > most) || missing.length > 0) {
      const timing = [...decision.timing];
      for (const item of missing) timing.push(item.timing);
      const expected: Decision = { kind: 'dose', amount: Math.min(decision.amount, most), unit: decision.unit, timing };
      if (line && decision.amount > most) found.push({ line, required: `at most ${most} ${decision.unit}`, expected });
      for (const item of missing) found.push({ line: constraintLine(context.protocol, item.constraint), required: formatDecision(expected), expected });
    }
  }
  if (!context.companionsDeviate && companions.length > 0) companionViolations(context, outcome.decision, companions, required, found);
  return found;
}

const NONE_MISSING: LabelVerdict['timings'] = [];

function requirementLineOf(protocol: ResolvedProtocol, requirement: RequirementInfo): BrokenLine {
  return { id: `q${requirement.node.span.start}`, text: nodeLine(protocol, requirement.node), node: requirement.node, requirement };
}

function givenText(drug: string, given: Decision): string {
  return given.kind === 'dose' ? `${drug} ${given.amount} ${given.unit}` : `no ${drug}`;
}

/** The first of the label's companion entries for `drug` that `test` accepts. */
function requiredFor(required: LabelVerdict['companions'], drug: string, test: (item: LabelVerdict['companions'][number]) => boolean): LabelVerdict['companions'][number] | undefined {
  for (let i = 0; i < required.length; i++) if (required[i].drug === drug && test(required[i])) return required[i];
  return undefined;
}

const withAmount = (item: LabelVerdict['companions'][number]): boolean => item.amount !== undefined;
const anyEntry = (): boolean => true;
const datedWithAmount = (item: LabelVerdict['companions'][number]): boolean => item.amount !== undefined && item.requirement.schedule.days !== undefined && item.requirement.schedule.days.length > 0;

/**
 * The companions' broken lines of the day, added to `found` (`decision`: the protocol's
 * drug's; `required`: what the label requires of the companions that day). Allocates
 * nothing for a day that breaks none: the search compares tens of thousands.
 */
function companionViolations(context: CheckContext, decision: Decision, companions: DayOutcome['companions'], required: LabelVerdict['companions'], found: DayViolation[]): void {
  const { protocol } = context;
  for (let c = 0; c < companions.length; c++) {
    const companion = companions[c];
    const given = companion.decision;
    if (given.kind === 'dose') {
      const entry = requiredFor(required, companion.drug, withAmount);
      if (entry?.amount) {
        const amount = companionAmount(entry.amount.value, entry.amount.unit, given.unit);
        if (amount !== given.amount) {
          found.push({
            line: requirementLineOf(protocol, entry.requirement),
            required: `${companion.drug} ${entry.amount.value} ${entry.amount.unit}`,
            expected: decision,
            companion: { drug: companion.drug, given: givenText(companion.drug, given), required: entry.amount },
          });
        }
        continue;
      }
      if (requiredFor(required, companion.drug, anyEntry)) continue;
      // A dose on a day the label's dated schedule for the drug does not give it.
      const dated = protocol.indication.requires.find((item) => item.drug === companion.drug && item.schedule.days && item.schedule.days.length > 0);
      if (dated) {
        found.push({ line: requirementLineOf(protocol, dated), required: `no ${companion.drug}`, expected: decision, companion: { drug: companion.drug, given: givenText(companion.drug, given) } });
      }
      continue;
    }
    // None given where the label requires one and the protocol's drug is neither held nor
    // discontinued that day: a dosing day, or a rest day of its schedule (a companion the
    // label gives on day 22 where the drug is dosed on days 1-21 of 28).
    const wanted = requiredFor(required, companion.drug, datedWithAmount);
    if (wanted?.amount && given.kind === 'no dose' && (decision.kind === 'dose' || decision.kind === 'no dose')) {
      found.push({
        line: requirementLineOf(protocol, wanted.requirement),
        required: `${companion.drug} ${wanted.amount.value} ${wanted.amount.unit}`,
        expected: decision,
        companion: { drug: companion.drug, given: givenText(companion.drug, given), required: wanted.amount },
      });
    }
  }
}
