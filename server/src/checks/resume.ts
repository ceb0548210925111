// Diagnostic: POS3023 a resume less safe than the label's `resume at most`
// Diagnostic: POS3024 a hold that ends before the label's recovery threshold
// For each label `hold ... until ... then resume at most ...`, the protocol's
// hold rules that fire where it applies (some state in which the rule fires
// also meets the label's `when`). Their end is compared with the label's
// recovery (a state where the rule's hold ends and the label's `until` does not
// hold), and their resume with the label's for every dose the course can be at
// (the start dose, the levels, and what the rule's own resumes lead to), first
// episode and recurrence, through the evaluator's `resumeDose`. A hold without
// `until` lasts while its `when` holds and resumes at the same dose.
import { fixTitle, type QuickFix } from '../diagnostics/finding.js';
import { holds, machineOf, resumeDose } from '../eval/index.js';
import type { Condition, ConstraintInfo, ResolvedLabel, ResumeInfo, RuleInfo } from '../semantics/model.js';
import { factsOf } from '../semantics/conditions.js';
import { both, butNot, describeState, rulesFor, type CheckContext } from './context.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { untilClause } from '../print/rules.js';
import { firstSatisfyingState } from './satisfying-states.js';

type LabelHold = Extract<ConstraintInfo, { kind: 'hold' }>;

const SAME: Omit<ResumeInfo, 'node'> = { target: { kind: 'same' }, atMost: false };

function untilText(context: CheckContext, hold: LabelHold): string {
  return untilClause(context.protocol.label, hold);
}

export function checkResumes(context: CheckContext): void {
  const { protocol } = context;
  for (const hold of protocol.indication.constraints) {
    if (hold.kind !== 'hold' || !hold.until) continue;
    for (const rule of rulesFor(context, hold.condition, ['hold'])) {
      checkRecovery(context, hold, rule);
      checkResume(context, hold, rule);
    }
  }
}

function checkRecovery(context: CheckContext, hold: LabelHold, rule: RuleInfo): void {
  const { protocol, report } = context;
  if (rule.action.kind !== 'hold' || rule.node.action?.kind !== 'hold') return;
  const until = rule.action.until;
  const ends: Condition = until ? until.condition : { kind: 'not', operand: rule.condition, span: rule.condition.span };
  const labelUntil = hold.until!.condition;
  const early = firstSatisfyingState(butNot(ends, labelUntil), protocol.facts);
  if (!early) return;
  const label = protocol.label;
  const shown = new Map([...early].filter(([fact]) => factsOf(labelUntil).includes(fact)));
  const at = describeState(shown.size > 0 ? shown : early, protocol);
  const labelUntilText = labelText(label, labelUntil.span);
  const action = rule.node.action;
  const span = action.until?.condition ? until!.condition.span : action.span;
  const fix: QuickFix = action.until?.condition
    ? { title: fixTitle('FixEndHoldAtRecovery', labelUntilText), edits: [{ span: until!.condition.span, newText: labelUntilText }] }
    : { title: fixTitle('FixHoldUntilRecovery', untilText(context, hold)), edits: [{ span: { start: action.span.end, end: action.span.end }, newText: ` ${untilText(context, hold)}` }] };
  report.add(span, 'HoldEndsBeforeRecovery', [rule.name, at, `until ${labelUntilText}`], { related: [labelRelated(label, hold.node)], fixes: [fix] });
}

/** The doses the course can be at when this rule's hold begins: start, levels, and what its resumes lead to. */
function dosesThatMatter(context: CheckContext, resumes: Omit<ResumeInfo, 'node'>[], floor: number): number[] {
  const { protocol } = context;
  // Levels above the start dose are never reached (POS3021 says so); the others are.
  const start = protocol.start?.amount ?? Infinity;
  const doses = new Set<number>([...(protocol.start ? [protocol.start.amount] : []), ...protocol.levels.filter((level) => level <= start)]);
  let frontier = [...doses];
  while (frontier.length > 0 && doses.size < 64) {
    const next: number[] = [];
    for (const dose of frontier) {
      for (const resume of resumes) {
        const to = resumeDose(resume as ResumeInfo, dose, protocol.levels);
        if (to > 0 && to >= floor && !doses.has(to)) {
          doses.add(to);
          next.push(to);
        }
      }
    }
    frontier = next;
  }
  return [...doses].filter((dose) => dose > 0).sort((a, b) => b - a);
}

function checkResume(context: CheckContext, hold: LabelHold, rule: RuleInfo): void {
  const { protocol, report } = context;
  if (rule.action.kind !== 'hold' || rule.node.action?.kind !== 'hold') return;
  const labelUntil = hold.until!;
  if (!labelUntil.resume) return;
  const until = rule.action.until;
  if (until && !until.resume && until.node.resume) return; // written but unresolved: reported elsewhere
  const first = until?.resume ?? SAME;
  const again = until?.recurrence ?? first;
  const machine = machineOf(protocol);
  const lowest = protocol.indication.lowestDose ?? 0;
  const unit = protocol.label.doseUnit?.written ?? '';
  const doses = dosesThatMatter(context, [first, again], machine.floor);
  // `node`: the protocol's own resume for that episode, when written (its target is what a fix replaces).
  const episodes: { name: string; ours: Omit<ResumeInfo, 'node'>; theirs: ResumeInfo; node?: ResumeInfo }[] = [
    { name: 'a hold', ours: first, theirs: labelUntil.resume, node: until?.resume },
    { name: 'a recurrence', ours: again, theirs: labelUntil.recurrence ?? labelUntil.resume, node: until?.recurrence },
  ];
  for (const episode of episodes) {
    for (const previous of doses) {
      const ours = resumeDose(episode.ours as ResumeInfo, previous, protocol.levels);
      const most = resumeDose(episode.theirs, previous, []);
      const weStop = ours <= 0 || ours < machine.floor;
      if (weStop) continue;
      const theyStop = most <= 0 || most < lowest;
      if (!theyStop && ours <= most) continue;
      const label = protocol.label;
      const theirText = episode.theirs.node.target ? labelText(label, episode.theirs.node.target.span) : '';
      const allowed = theyStop ? `discontinuing (resume at most ${theirText} gives ${most} ${unit}, below the lowest dose${lowest ? ` of ${lowest} ${unit}` : ''})` : `${most} ${unit} (resume at most ${theirText})`;
      const action = rule.node.action;
      const target = episode.node?.node.target;
      const span = target?.span ?? until?.resume?.node.target?.span ?? action.span;
      let fix: QuickFix;
      if (target) fix = { title: fixTitle('FixResumeAt', theirText), edits: [{ span: target.span, newText: theirText }] };
      else if (until && episode.name === 'a recurrence' && until.resume?.node.span) {
        const end = until.resume.node.span.end;
        fix = { title: fixTitle('FixAddRecurrence', theirText), edits: [{ span: { start: end, end }, newText: ` on recurrence resume at ${theirText}` }] };
      } else fix = { title: fixTitle('FixHoldUntilRecovery', untilText(context, hold)), edits: [{ span: { start: action.span.end, end: action.span.end }, newText: ` ${untilText(context, hold)}` }] };
      const ourText = `${ours} ${unit}`;
      report.add(span, 'ResumeLessSafe', [rule.name, ourText, `${episode.name} from ${previous} ${unit}`, allowed], { related: [labelRelated(label, hold.node)], fixes: [fix] });
      return;
    }
  }
}
