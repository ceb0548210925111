// What every check against the label shares: the resolved protocol, the report,
// and how a documented deviation lowers a finding. Checks report through
// `related` (print/label-lines.ts quotes the label line) so each finding
// points at the label.
import type * as ast from '../syntax/ast.js';
import type { FindingOptions } from '../diagnostics/finding.js';
import { phrase, phraseText } from '../diagnostics/finding.js';
import { Messages, type DeviableName, type DeviationTopic } from '../diagnostics/messages.js';
import type { Condition, Decision, FactValue, PatientState, ResolvedLabel, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import type { LabelIndex } from '../semantics/label-index.js';
import type { Report } from '../semantics/report.js';
import { stateText } from '../print/dose-text.js';
import { actsOn, holds, machineOf } from '../eval/index.js';
import { atomsOf, atomsOfLine, factsOfLine, mentionsAny, type Atom } from '../semantics/conditions.js';
import { firstStateOfBoth } from './satisfying-states.js';

export interface CheckContext {
  protocol: ResolvedProtocol;
  report: Report;
  /** The protocol file's text, for quick fixes that reuse what is written. */
  text: string;
  /** Every label in reach, for the labels of `with` drugs; absent: only the protocol's own. */
  labels?: LabelIndex;
  /** The rules that speak of a label line's condition, once found (`rulesFor`). */
  rulesFor?: Map<Condition, RuleInfo[]>;
  /** Each rule's condition's atoms, walked once for all the label lines `rulesFor` asks about. */
  ruleAtoms?: Map<RuleInfo, readonly Atom[]>;
}

/**
 * Severity and addendum for a finding `name` about to be reported, which the
 * protocol may have documented as a deviation: lowered to a warning when the
 * table lets `topic` lower it (by default the entry's only topic) and the
 * protocol's `deviation topic` gives a reason. The deviation counts as used
 * either way, so it is not also called unneeded.
 *
 * The scope of a deviation, in one place: a protocol's deviation documents how it departs
 * from its own drug's label (`compared`, by default the protocol's label: its dose line and
 * its `requires` lines for the companions). A finding that compares a `with` drug with that
 * drug's own label is never lowered, but for fewer days than it gives (POS3034: less drug, as
 * OPTIMISMM's bortezomib on days 1, 8; schedule.ts leaves `compared` out there on purpose).
 * What `deviation with` may lower at all is the table's:
 * other days and a missing companion, never a route, nor an amount above the label's
 * (those entries do not list `with`).
 */
export function deviationOptions(protocol: ResolvedProtocol, name: DeviableName, topic?: DeviationTopic, compared: ResolvedLabel = protocol.label): FindingOptions {
  if (compared !== protocol.label) return {};
  const topics = Messages[name].deviation;
  const chosen = topic ?? (topics.length === 1 ? topics[0] : undefined);
  if (chosen === undefined || !(topics as readonly string[]).includes(chosen)) return {};
  const deviation = protocol.deviations.get(chosen);
  if (!deviation) return {};
  usedTopics(protocol).add(chosen);
  if (!deviation.reason) return {};
  return { severity: 'warning', also: { name: 'DocumentedDeviation', args: [deviation.reason.value] } };
}

/** Atoms that on their own make the condition true: the condition itself or the arms of a top-level `or`. */
export function sufficientAtoms(condition: Condition): Condition[] {
  if (condition.kind === 'or') return condition.operands.flatMap(sufficientAtoms);
  return [condition];
}

const used = new WeakMap<ResolvedProtocol, Set<string>>();

/** The deviation topics that lowered a finding of this protocol (so they are not reported as unused). */
export function usedTopics(protocol: ResolvedProtocol): Set<string> {
  let topics = used.get(protocol);
  if (!topics) used.set(protocol, (topics = new Set()));
  return topics;
}

/** `a and b`, as a condition the evaluator reads. */
export function both(a: Condition, b: Condition): Condition {
  return { kind: 'and', operands: [a, b], span: a.span };
}

/** `a and not b`. */
export function butNot(a: Condition, b: Condition): Condition {
  return both(a, { kind: 'not', operand: b, span: b.span });
}

/** A condition that always holds, for a line without `when`. */
export function always(span: ast.Span): Condition {
  return { kind: 'and', operands: [], span };
}

/** A patient state in words: "ANC = 499.9995 /uL, febrile_neutropenia". */
export function describeState(state: ReadonlyMap<string, FactValue>, protocol: ResolvedProtocol): string {
  return stateText(state, protocol.facts) || phraseText(phrase('StateNeutral'));
}

/**
 * The protocol's rules (of these kinds, or of any), on its drug, that speak of the label
 * line: they read one of its facts and some state meets both (`platelets <
 * 50000 /uL` speaks of `platelets < 25000 /uL`; `renal_impairment` does not
 * speak of `ANC < 500 /uL`, although a patient may have both).
 */
export function rulesFor(context: CheckContext, condition: Condition, kinds?: readonly Decision['kind'][]): RuleInfo[] {
  // The weaker-action and resume checks ask about the same label lines: the rules that speak of a
  // line (of any kind) are found once per context, and each caller keeps its kinds.
  const cache = (context.rulesFor ??= new Map<Condition, RuleInfo[]>());
  let speaking = cache.get(condition);
  if (speaking === undefined) cache.set(condition, (speaking = rulesSpeakingOf(context, condition)));
  return kinds ? speaking.filter((rule) => kinds.includes(rule.action.kind)) : speaking;
}

const NEUTRAL: PatientState = new Map();

function rulesSpeakingOf(context: CheckContext, condition: Condition): RuleInfo[] {
  const { protocol } = context;
  const machine = machineOf(protocol);
  const found: RuleInfo[] = [];
  // A line that holds in the neutral state is about no rule in particular: the verifier judges it.
  if (holds(condition, NEUTRAL, protocol.facts)) return found;
  const facts = factsOfLine(condition);
  const lineAtoms = atomsOfLine(condition);
  const ruleAtoms = (context.ruleAtoms ??= new Map<RuleInfo, readonly Atom[]>());
  for (const rule of protocol.rules) {
    if (!mentionsAny(rule.condition, facts) || !actsOn(rule, machine.drugNames) || unreadable(rule.condition)) continue;
    let atoms = ruleAtoms.get(rule);
    if (!atoms) ruleAtoms.set(rule, (atoms = atomsOf(rule.condition)));
    if (firstStateOfBoth(rule.condition, atoms, condition, lineAtoms, protocol.facts) !== undefined) found.push(rule);
  }
  return found;
}

/** A condition with a part that did not resolve (already reported): judged by no line check. */
function unreadable(condition: Condition): boolean {
  if (condition.kind === 'invalid') return true;
  if (condition.kind === 'not') return unreadable(condition.operand);
  if (condition.kind === 'and' || condition.kind === 'or') return condition.operands.some(unreadable);
  return false;
}
