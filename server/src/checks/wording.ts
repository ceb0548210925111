// Diagnostic: POS2013 a dose timing the label does not know, with the label's closest timing
// Diagnostic: POS2014 a combination drug spelled close to one the label requires
// Diagnostic: POS2015 the start's route in order-set shorthand (po), where the label writes the word (oral)
// "Did you mean" for the words a pharmacist writes that Posology reads literally:
// `after hemodialysis` is not the label's `after dialysis`, `with dexamethason`
// is not `dexamethasone`, and `po` is not `oral`. Each finding carries the fix.
import { fixTitle, phrase, phraseText } from '../diagnostics/finding.js';
import type * as ast from '../syntax/ast.js';
import { closest } from '../semantics/suggest.js';
import { ROUTE_WORDS } from '../semantics/shorthand.js';
import { timingText } from '../semantics/resolve/label.js';
import type { ResolvedLabel } from '../semantics/model.js';
import { type CheckContext } from './context.js';
import { labelRelated } from '../print/label-lines.js';

/** Every timing the label writes (`after dialysis`), in any indication. */
export function labelTimings(label: ResolvedLabel): Set<string> {
  const timings = new Set<string>();
  for (const indication of label.indications.values()) {
    for (const constraint of indication.constraints) if (constraint.kind === 'take') timings.add(constraint.timing);
  }
  return timings;
}

/** The label timing meant by `written`: one that its words contain (hemodialysis, dialysis) or a near spelling. */
function closestTiming(written: string, timings: Set<string>): string | undefined {
  const words = written.toLowerCase();
  for (const timing of timings) {
    const [relation, ...event] = timing.toLowerCase().split(' ');
    if (words.startsWith(`${relation} `) && event.length > 0 && words.includes(event.join(' '))) return timing;
  }
  return closest(written, timings);
}

function checkTimings({ protocol, report }: CheckContext): void {
  const timings = labelTimings(protocol.label);
  if (timings.size === 0) return;
  for (const rule of protocol.rules) {
    const action = rule.node.action;
    if (action?.kind !== 'dose' || !action.timing?.event) continue;
    const written = timingText(action.timing);
    if (timings.has(written)) continue;
    const meant = closestTiming(written, timings);
    const related = protocol.indication.constraints.filter((item) => item.kind === 'take').map((item) => labelRelated(protocol.label, item.node));
    const hint = phraseText(meant ? phrase('TimingMeant', meant) : phrase('TimingsWritten', [...timings].map((timing) => `'${timing}'`).join(', ')));
    const fixes = (meant ? [meant] : [...timings]).map((timing) => ({ title: fixTitle('FixWrite', timing), edits: [{ span: action.timing!.span, newText: timing }] }));
    report.add(action.timing.span, 'UnknownTiming', [written, hint], { related, fixes });
  }
}

function checkCombinationNames({ protocol, report }: CheckContext): void {
  const required = new Set(protocol.indication.requires.map((requirement) => requirement.drug));
  for (const combination of protocol.node.combinations) {
    const drug = combination.drug;
    if (!drug?.text || required.has(drug.text)) continue;
    const meant = closest(drug.text, required, 2);
    if (!meant) continue;
    const related = protocol.indication.requires.filter((requirement) => requirement.drug === meant).map((requirement) => labelRelated(protocol.label, requirement.node));
    report.add(drug.span, 'CombinationMisspelled', [drug.text, meant], { related, fixes: [{ title: fixTitle('FixWrite', meant), edits: [{ span: drug.span, newText: meant }] }] });
  }
}

/** `start 4 mg po ...` where the label writes `oral`; companion drugs' routes are not the label's to name. */
function checkRoute({ protocol, report }: CheckContext, schedule: ast.Schedule | undefined): void {
  const route = schedule?.route;
  const meant = route ? ROUTE_WORDS.get(route.text.toLowerCase()) : undefined;
  if (!route || !meant || meant !== protocol.indication.dose?.schedule.route) return;
  report.add(route.span, 'RouteShorthand', [route.text, meant], { fixes: [{ title: fixTitle('FixWrite', meant), edits: [{ span: route.span, newText: meant }] }] });
}

export function checkWording(context: CheckContext): void {
  checkTimings(context);
  checkCombinationNames(context);
  checkRoute(context, context.protocol.node.start?.schedule);
}
