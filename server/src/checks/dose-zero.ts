// Diagnostic: POS3020 a dose of zero or less
// `dose 0 mg`, a start, a level, a `with` line or a resume at 0 mg, and a
// relative dose or resume that from the start dose leads to 0 mg or less
// (`previous - 5 mg` from 4 mg). The course evaluator reads a dose of 0 as no
// dose at all, so such a line says something the author did not mean: write
// `no dose`, `hold` or `discontinue`. A fact about the protocol's own
// consistency, so no deviation lowers it.
import { amountOf, resumeDose } from '../eval/index.js';
import type { ResumeInfo } from '../semantics/model.js';
import type { CheckContext } from './context.js';

export function checkZeroDoses({ protocol, report }: CheckContext): void {
  const unit = protocol.label.doseUnit?.written ?? '';
  const start = protocol.start;
  if (start && start.amount <= 0 && start.node.amount) {
    report.add(start.node.amount.span, 'DoseNotPositive', [`${start.amount} ${unit}`]);
  }
  const levels = protocol.node.levels?.amounts ?? [];
  for (const level of levels) {
    if (level.value <= 0) report.add(level.span, 'LevelNotPositive', [`${level.valueText}${level.unit ? ` ${level.unit.text}` : ''}`]);
  }
  for (const companion of protocol.companions) {
    if (companion.amount && companion.amount.value <= 0 && companion.node.amount) {
      report.add(companion.node.amount.span, 'CompanionDoseNotPositive', [companion.drug, companion.amount.text]);
    }
  }
  const from = start?.amount;
  for (const rule of protocol.rules) {
    const action = rule.action;
    if (action.kind === 'dose' && rule.node.action?.kind === 'dose' && rule.node.action.amount) {
      const given = from === undefined ? (action.amount.kind === 'absolute' ? action.amount.value : undefined) : amountOf(action.amount, from);
      const raw = action.amount.kind === 'absolute' ? action.amount.value : from === undefined ? undefined : from - action.amount.minus;
      if (given !== undefined && raw !== undefined && given <= 0) {
        const span = rule.node.action.amount.span;
        if (action.amount.kind === 'absolute') report.add(span, 'RuleDoseNotPositive', [rule.name, `${raw} ${unit}`]);
        else report.add(span, 'RuleDoseNotPositiveFromStart', [rule.name, `${raw} ${unit}`, `${from} ${unit}`]);
      }
    }
    if (action.kind === 'hold' && action.until && from !== undefined) {
      for (const resume of [action.until.resume, action.until.recurrence]) if (resume) checkResume(rule.name, resume, from);
    }
  }

  function checkResume(name: string, resume: ResumeInfo, dose: number): void {
    if (resume.target.kind === 'levels' || resume.target.kind === 'same') return;
    const to = resumeDose(resume, dose, protocol.levels);
    if (to > 0) return;
    const span = resume.node.target?.span ?? resume.node.span;
    if (resume.target.kind === 'amount') report.add(span, 'ResumeNotPositive', [name, `${to} ${unit}`]);
    else report.add(span, 'ResumeNotPositiveFromStart', [name, `${to} ${unit}`, `${dose} ${unit}`]);
  }
}
