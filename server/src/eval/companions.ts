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
import type { CompanionInfo, Decision, PatientState, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';
import { companionDoses, type Calendar } from './calendar.js';
import { compileCondition, type CompiledCondition } from './condition.js';
import type { Why } from './why.js';

/** What the companions read of the protocol's machine (course.ts's CourseMachine), named here so neither file imports the other. */
export interface RegimenMachine {
  protocol: ResolvedProtocol;
  companionDrugs: readonly string[];
  untilRules: readonly RuleInfo[];
  cycleDays?: number;
  companionPlan: CompanionPlan;
}

/** A rule that names a `with` drug, compiled, with the drug's outcome when it decides. */
interface NamedRule {
  readonly when: CompiledCondition;
  readonly outcome: CompanionOutcome;
}

/** What `companionDecisions` reads of one `with` drug, compiled once per machine; the outcomes that say no dose are shared (frozen). */
interface DrugPlan {
  readonly drug: string;
  readonly regimenDiscontinued: CompanionOutcome;
  readonly discontinuedEarlier: CompanionOutcome;
  /** The `discontinue` rules naming the drug, then the `hold` and `no dose` rules without `until`, in the protocol's order. */
  readonly stops: readonly NamedRule[];
  readonly holds: readonly NamedRule[];
  readonly noDoses: readonly NamedRule[];
  /** The holds with `until` that name the drug: their indices in `untilRules`, and the outcome while in force. */
  readonly untilHolds: readonly { readonly index: number; readonly outcome: CompanionOutcome }[];
  /** The drug's `with` lines that have an amount, with their conditions compiled. */
  readonly lines: readonly { readonly line: CompanionInfo; readonly when?: CompiledCondition }[];
  /** No line is per body size: a day's outcome depends only on which lines dose, kept by their bits. */
  readonly fixed: boolean;
  readonly byLines: Map<number, CompanionOutcome>;
  readonly delayed: Map<number, CompanionOutcome>;
}

export interface CompanionPlan {
  readonly drugs: readonly DrugPlan[];
}

function frozen(drug: string, decision: Decision, reason: Why): CompanionOutcome {
  return Object.freeze({ drug, decision: Object.freeze(decision), reason });
}

export function companionPlan(protocol: ResolvedProtocol, companionDrugs: readonly string[], untilRules: readonly RuleInfo[]): CompanionPlan {
  const facts = protocol.facts;
  const drugs = companionDrugs.map((drug): DrugPlan => {
    const named = (kind: 'discontinue' | 'hold' | 'no dose'): NamedRule[] =>
      protocol.rules
        .filter((r) => r.action.kind === kind && !(kind === 'hold' && r.action.kind === 'hold' && r.action.until) && r.action.drugs?.includes(drug))
        .map((r) => ({ when: compileCondition(r.condition, facts), outcome: frozen(drug, { kind }, { kind: 'rule', rule: r, action: kind }) }));
    const untilHolds: DrugPlan['untilHolds'][number][] = [];
    untilRules.forEach((rule, index) => {
      if (rule.action.kind === 'hold' && rule.action.drugs?.includes(drug)) untilHolds.push({ index, outcome: frozen(drug, { kind: 'hold' }, { kind: 'rule', rule, action: 'hold' }) });
    });
    const lines = protocol.companions
      .filter((line) => line.drug === drug && line.amount)
      .map((line) => (line.condition ? { line, when: compileCondition(line.condition, facts) } : { line }));
    return {
      drug,
      regimenDiscontinued: frozen(drug, { kind: 'discontinue' }, { kind: 'regimen discontinued' }),
      discontinuedEarlier: frozen(drug, { kind: 'discontinue' }, { kind: 'drug discontinued', drug }),
      stops: named('discontinue'),
      holds: named('hold'),
      noDoses: named('no dose'),
      untilHolds,
      lines,
      fixed: lines.length <= 30 && lines.every(({ line }) => !line.amount?.per),
      byLines: new Map(),
      delayed: new Map(),
    };
  });
  return { drugs };
}

function firstNamed(rules: readonly NamedRule[], facts: PatientState): CompanionOutcome | undefined {
  for (let i = 0; i < rules.length; i++) if (rules[i].when(facts)) return rules[i].outcome;
  return undefined;
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

/**
 * Each `with` drug's decision for the day, in the order of the plan, and the drugs
 * discontinued after it. `only`: the outcomes of these drugs alone (the others are
 * still stopped by their rules, so `stopped` is the same).
 */
export function companionDecisions(
  machine: RegimenMachine,
  facts: PatientState,
  calendar: Calendar,
  regimen: RegimenDay,
  only?: ReadonlySet<string>,
): { outcomes: CompanionOutcome[]; stopped: readonly string[] } {
  let stopped = regimen.stopped;
  const drugs = machine.companionPlan.drugs;
  const outcomes: CompanionOutcome[] = only ? [] : new Array<CompanionOutcome>(drugs.length);
  for (let d = 0; d < drugs.length; d++) {
    const plan = drugs[d];
    const wanted = !only || only.has(plan.drug);
    let outcome: CompanionOutcome | undefined;
    if (regimen.discontinued) outcome = plan.regimenDiscontinued;
    else if (stopped.includes(plan.drug)) outcome = plan.discontinuedEarlier;
    else {
      const stop = firstNamed(plan.stops, facts);
      if (stop) stopped = [...stopped, plan.drug].sort();
      outcome = stop ?? (wanted ? decideDrug(machine, plan, facts, calendar, regimen) : undefined);
    }
    if (!only) outcomes[d] = outcome as CompanionOutcome;
    else if (wanted) outcomes.push(outcome as CompanionOutcome);
  }
  return { outcomes, stopped };
}

/** A drug neither discontinued nor stopped today: a hold in force, a hold or no-dose rule, the delayed cycle, or its schedule. */
function decideDrug(machine: RegimenMachine, plan: DrugPlan, facts: PatientState, calendar: Calendar, regimen: RegimenDay): CompanionOutcome {
  for (const hold of plan.untilHolds) if (regimen.holding[hold.index]) return hold.outcome;
  const rule = firstNamed(plan.holds, facts) ?? firstNamed(plan.noDoses, facts);
  if (rule) return rule;
  if (regimen.delayed) {
    let known = plan.delayed.get(calendar.cycle);
    if (!known) plan.delayed.set(calendar.cycle, (known = frozen(plan.drug, { kind: 'hold' }, { kind: 'delayed', cycle: calendar.cycle })));
    return known;
  }
  if (!plan.fixed) return scheduled(machine, plan, facts, calendar);
  let bits = 0;
  for (let i = 0; i < plan.lines.length; i++) if (doses(machine, plan.lines[i], facts, calendar)) bits |= 1 << i;
  let known = plan.byLines.get(bits);
  if (!known) {
    known = scheduled(machine, plan, facts, calendar);
    Object.freeze(known.decision);
    if (known.decision.kind === 'dose') Object.freeze(known.decision.timing);
    plan.byLines.set(bits, Object.freeze(known));
  }
  return known;
}

function doses(machine: RegimenMachine, { line, when }: DrugPlan['lines'][number], facts: PatientState, calendar: Calendar): boolean {
  return (!when || when(facts)) && companionDoses(line.schedule, calendar, machine.cycleDays);
}

/** The drug's dose from its `with` lines that dose today (their amounts add up; lines that would double a dose are a check's business). */
function scheduled(machine: RegimenMachine, plan: DrugPlan, facts: PatientState, calendar: Calendar): CompanionOutcome {
  const { protocol } = machine;
  const drug = plan.drug;
  let total = 0;
  let unit = '';
  const perSize: BodySizeDose[] = [];
  for (const planned of plan.lines) {
    if (!doses(machine, planned, facts, calendar)) continue;
    const amount = planned.line.amount;
    if (!amount) continue;
    let value = amount.value;
    let lineUnit = amount.doseUnit;
    if (amount.per) {
      const factName = BODY_FACT[amount.per];
      const size = facts.get(factName);
      const part: BodySizeDose = { amount: amount.value, unit: amount.unit.written, fact: factName };
      if (typeof size === 'number') {
        part.size = size;
        const sizeUnit = protocol.facts.get(factName)?.unit?.written;
        if (sizeUnit) part.sizeUnit = sizeUnit;
        value = roundSignificant(value * size);
      } else {
        lineUnit = amount.unit.written;
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
