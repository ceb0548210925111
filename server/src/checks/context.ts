// What the checks share: the resolved protocol, the report, how a documented
// deviation lowers a finding, and a few ways to build conditions and write
// states. Quoting the label lives in semantics/label-text.ts (the verifier and
// the editor quote it too), re-exported here for the checks.
import type * as ast from '../syntax/ast.js';
import type { FindingOptions } from '../diagnostics/finding.js';
import type { Condition, ResolvedProtocol } from '../semantics/model.js';
import type { LabelIndex } from '../semantics/label-index.js';
import type { Report } from '../semantics/report.js';
import { formatQuantity } from '../units/index.js';

export interface CheckContext {
  protocol: ResolvedProtocol;
  report: Report;
  /** The protocol file's text, for quick fixes that reuse what is written. */
  text: string;
  /** Every label in reach, for the labels of `with` drugs; absent: only the protocol's own. */
  labels?: LabelIndex;
}

export { labelRelated, labelText } from '../semantics/label-text.js';
export { factsOf } from '../semantics/conditions.js';

/** Severity and message suffix for a finding the protocol may have documented as a deviation. */
export function deviationOptions(protocol: ResolvedProtocol, topic: string): FindingOptions {
  const deviation = protocol.deviations.get(topic);
  if (!deviation?.reason) return {};
  usedTopics(protocol).add(topic);
  return { severity: 'warning', suffix: ` (documented deviation: ${deviation.reason.value})` };
}

/** Atoms that on their own make the condition true: the condition itself or the arms of a top-level `or`. */
export function sufficientAtoms(condition: Condition): Condition[] {
  if (condition.kind === 'or') return condition.operands.flatMap(sufficientAtoms);
  return [condition];
}

export function formatAmount(value: number, unit: string): string {
  return `${value} ${unit}`;
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
export function describeState(state: ReadonlyMap<string, unknown>, protocol: ResolvedProtocol): string {
  const parts: string[] = [];
  for (const [fact, value] of state) {
    if (value === true) parts.push(fact);
    else if (value === false) parts.push(`not ${fact}`);
    else if (typeof value === 'number') {
      const unit = protocol.facts.get(fact)?.unit;
      parts.push(`${fact} = ${unit ? formatQuantity(value, unit) : value}`);
    } else parts.push(`${fact} = ${String(value)}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'the neutral state';
}
