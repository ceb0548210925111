// The `with` drugs of a day: each dosed on its own schedule when its condition
// holds and the regimen is not discontinued. A rule that names the drug
// (`then hold lenalidomide, bortezomib`) acts on it: a `discontinue` stops it
// for good (the rest of the regimen goes on), a hold with `until` holds it
// from the day its `when` holds until its `until` holds on a later day (and its
// `when` no longer does), a hold
// or `no dose` without `until` while its `when` holds. A cycle that waits for
// its gate waits for every drug. A dose per m2 or per kg is shown as written
// and, when the day's observations give the `bsa` or `weight` fact, multiplied
// by it; without the fact the decision stays per m2 or per kg (never computed
// from the fact's `normal`: that is not this patient).
import type { Decision, PatientState, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';
import { companionDoses, type Calendar } from './calendar.js';
import { holds } from './condition.js';
import type { Why } from './why.js';

/** What the companions read of the protocol's machine (course.ts's CourseMachine), named here so neither file imports the other. */
export interface RegimenMachine {
  protocol: ResolvedProtocol;
  companionDrugs: readonly string[];
  untilRules: readonly RuleInfo[];
  cycleDays?: number;
}

/** A dose per body size: the amount per m2 or kg as written, and the size it was multiplied by, when given. */
export interface BodySizeDose {
  /** The amount per m2 or kg, e.g. 1.3. */
  amount: number;
  /** The unit as written, e.g. mg/m2. */
  unit: string;
  /** The fact it is multiplied by: bsa (m2) or weight (kg). */
  fact: 'bsa' | 'weight';
  /** The patient's size that day, in the fact's unit, when observed; the decision is then the computed amount. */
  size?: number;
  /** The fact's unit, e.g. m2. */
  sizeUnit?: string;
}

export interface CompanionOutcome {
  drug: string;
  decision: Decision;
  /** Why, as data (eval/why.ts: "with dexamethasone", "rule skin (hold)", "not scheduled today"). */
  reason: Why;
  /** For a dose per m2 or kg: the amount as written, e.g. "1.3 mg/m2". */
  written?: string;
  /** For a dose per m2 or kg: the lines' amounts per body size (one per dosing line that day). */
  perSize?: BodySizeDose[];
}

const BODY_FACT = { bsa: 'bsa', weight: 'weight' } as const;

/** What the regimen's state says about the companions on this day. */
export interface RegimenDay {
  discontinued: boolean;
  delayed: boolean;
  /** Per `machine.untilRules`: holds with `until` in force after today's starts and ends. */
  holding: readonly boolean[];
  /** The `with` drugs discontinued before today, sorted. */
  stopped: readonly string[];
}

export function companionDecisions(
  machine: RegimenMachine,
  facts: PatientState,
  calendar: Calendar,
  regimen: RegimenDay,
): { outcomes: CompanionOutcome[]; stopped: readonly string[] } {
  const { protocol } = machine;
  const named = (drug: string, kind: 'discontinue' | 'hold' | 'no dose') =>
    protocol.rules.find((r) => r.action.kind === kind && !(kind === 'hold' && r.action.kind === 'hold' && r.action.until) && r.action.drugs?.includes(drug) && holds(r.condition, facts, protocol.facts));
  let stopped = regimen.stopped;
  const outcomes = machine.companionDrugs.map((drug): CompanionOutcome => {
    if (regimen.discontinued) return { drug, decision: { kind: 'discontinue' }, reason: { kind: 'regimen discontinued' } };
    if (stopped.includes(drug)) return { drug, decision: { kind: 'discontinue' }, reason: { kind: 'drug discontinued', drug } };
    const stop = named(drug, 'discontinue');
    if (stop) {
      stopped = [...stopped, drug].sort();
      return { drug, decision: { kind: 'discontinue' }, reason: { kind: 'rule', rule: stop, action: 'discontinue' } };
    }
    const inForce = machine.untilRules.findIndex((rule, i) => regimen.holding[i] && rule.action.kind === 'hold' && rule.action.drugs?.includes(drug));
    if (inForce >= 0) return { drug, decision: { kind: 'hold' }, reason: { kind: 'rule', rule: machine.untilRules[inForce], action: 'hold' } };
    for (const kind of ['hold', 'no dose'] as const) {
      const rule = named(drug, kind);
      if (rule) return { drug, decision: { kind }, reason: { kind: 'rule', rule, action: kind } };
    }
    if (regimen.delayed) return { drug, decision: { kind: 'hold' }, reason: { kind: 'delayed', cycle: calendar.cycle } };
    return scheduled(machine, drug, facts, calendar);
  });
  return { outcomes, stopped };
}

/** The drug's dose from its `with` lines that dose today (their amounts add up; lines that would double a dose are a check's business). */
function scheduled(machine: RegimenMachine, drug: string, facts: PatientState, calendar: Calendar): CompanionOutcome {
  const { protocol } = machine;
  let total = 0;
  let unit = '';
  const perSize: BodySizeDose[] = [];
  for (const line of protocol.companions) {
    if (line.drug !== drug || !line.amount) continue;
    if (line.condition && !holds(line.condition, facts, protocol.facts)) continue;
    if (!companionDoses(line.schedule, calendar, machine.cycleDays)) continue;
    let value = line.amount.value;
    let lineUnit = line.amount.doseUnit;
    if (line.amount.per) {
      const factName = BODY_FACT[line.amount.per];
      const size = facts.get(factName);
      const part: BodySizeDose = { amount: line.amount.value, unit: line.amount.unit.written, fact: factName };
      if (typeof size === 'number') {
        part.size = size;
        const sizeUnit = protocol.facts.get(factName)?.unit?.written;
        if (sizeUnit) part.sizeUnit = sizeUnit;
        value = roundSignificant(value * size);
      } else {
        lineUnit = line.amount.unit.written;
      }
      perSize.push(part);
    }
    if (unit && unit !== lineUnit) {
      // One line per m2 without the size, another absolute: the sum has no unit; say so rather than add.
      return { drug, decision: { kind: 'no dose' }, reason: { kind: 'units not added', drug, units: [unit, lineUnit], fact: perSize[0]?.fact ?? 'body size' }, perSize };
    }
    total = roundSignificant(total + value);
    unit = lineUnit;
  }
  if (!unit) return { drug, decision: { kind: 'no dose' }, reason: { kind: 'not scheduled' } };
  const outcome: CompanionOutcome = { drug, decision: { kind: 'dose', amount: total, unit, timing: [] }, reason: { kind: 'with line', drug } };
  if (perSize.length > 0) {
    outcome.written = perSize.map((part) => `${part.amount} ${part.unit}`).join(' + ');
    outcome.perSize = perSize;
  }
  return outcome;
}

/** A companion's decision in words: "bortezomib 2.34 mg (1.3 mg/m2 x bsa 1.8 m2)", "bortezomib 1.3 mg/m2 (no bsa given)", "no bortezomib", "bortezomib hold". */
export function formatCompanion(outcome: CompanionOutcome | undefined, drug = outcome?.drug ?? ''): string {
  if (!outcome) return `no ${drug} (no with line for it)`;
  const { decision } = outcome;
  if (decision.kind === 'no dose') return `no ${drug}`;
  if (decision.kind !== 'dose') return `${decision.kind} of ${drug}`;
  const amount = `${drug} ${decision.amount} ${decision.unit}`;
  const parts = outcome.perSize ?? [];
  if (parts.length === 0) return amount;
  const sized = parts.filter((part) => part.size !== undefined);
  if (sized.length === parts.length) return `${amount} (${parts.map((part) => `${part.amount} ${part.unit} x ${part.fact} ${part.size} ${part.sizeUnit ?? ''}`.trim()).join(' + ')})`;
  return `${amount} (no ${parts[0].fact} given: the amount per ${parts[0].fact === 'bsa' ? 'm2' : 'kg'})`;
}
