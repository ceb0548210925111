// The `with` drugs of a day: each dosed on its own schedule when its condition
// holds and the regimen is not discontinued; a rule that names the drug
// (`then hold pomalidomide, dexamethasone`) holds, stops or rests it; a cycle
// that waits for its gate waits for every drug. A dose per m2 or per kg is
// multiplied by the `bsa` or `weight` fact when the day gives it.
import type { Decision, PatientState } from '../semantics/model.js';
import { roundSignificant } from '../units/index.js';
import { companionDoses, type Calendar } from './calendar.js';
import { holds } from './condition.js';
import type { CourseMachine } from './course.js';

export interface CompanionOutcome {
  drug: string;
  decision: Decision;
  /** Why, in words: "with line", "rule skin (hold)", "not scheduled today". */
  reason: string;
  /** For a dose per m2 or kg: the amount as written, e.g. "1.3 mg/m2". */
  written?: string;
}

const BODY_FACT = { bsa: 'bsa', weight: 'weight' } as const;

export function companionDecisions(
  machine: CourseMachine,
  facts: PatientState,
  calendar: Calendar,
  regimen: { discontinued: boolean; delayed: boolean },
): CompanionOutcome[] {
  const { protocol } = machine;
  const drugs = [...new Set(protocol.companions.map((line) => line.drug))];
  return drugs.map((drug) => {
    if (regimen.discontinued) return { drug, decision: { kind: 'discontinue' }, reason: 'the regimen is discontinued' };
    for (const kind of ['discontinue', 'hold', 'no dose'] as const) {
      const rule = protocol.rules.find((r) => r.action.kind === kind && r.action.drugs?.includes(drug) && holds(r.condition, facts, protocol.facts));
      if (rule) return { drug, decision: { kind }, reason: `rule ${rule.name} (${kind})` };
    }
    if (regimen.delayed) return { drug, decision: { kind: 'hold' }, reason: `cycle ${calendar.cycle} is delayed` };
    let total = 0;
    let unit = '';
    const written: string[] = [];
    for (const line of protocol.companions) {
      if (line.drug !== drug || !line.amount) continue;
      if (line.condition && !holds(line.condition, facts, protocol.facts)) continue;
      if (!companionDoses(line.schedule, calendar)) continue;
      let value = line.amount.value;
      if (line.amount.per) {
        const size = facts.get(BODY_FACT[line.amount.per]) ?? protocol.facts.get(BODY_FACT[line.amount.per])?.normal;
        if (typeof size !== 'number') continue;
        value = roundSignificant(value * size);
        written.push(line.amount.text);
      }
      total = roundSignificant(total + value);
      unit = line.amount.doseUnit;
    }
    if (!unit) return { drug, decision: { kind: 'no dose' }, reason: 'not scheduled today' };
    const outcome: CompanionOutcome = { drug, decision: { kind: 'dose', amount: total, unit, timing: [] }, reason: `with ${drug}` };
    if (written.length > 0) outcome.written = written.join(' + ');
    return outcome;
  });
}
