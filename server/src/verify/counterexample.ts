// Turning a violating state into a counterexample a pharmacist can read and
// paste: the state in the `given` syntax, the protocol's decision, what the label
// requires, and a `test` block that expects it.
import { formatDecision, stops } from '../eval/index.js';
import { factsOf, mentions } from '../semantics/conditions.js';
import type { ConstraintInfo, Decision, FactInfo, FactValue, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { BUILTIN_DAY } from '../semantics/model.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import type { Span } from '../syntax/ast.js';
import { formatQuantity } from '../units/index.js';
import type { Recheck } from './minimize.js';
import type { Counterexample } from './types.js';

const NO_FACTS = 'day 1, every fact at its default';

function givenItem(name: string, value: FactValue, fact: FactInfo | undefined): string {
  if (typeof value === 'boolean') return value ? name : `not ${name}`;
  if (typeof value === 'string') return `${name} = ${value}`;
  if (name === BUILTIN_DAY) return `day ${value}`;
  return `${name} = ${fact?.unit ? formatQuantity(value, fact.unit) : String(value)}`;
}

function givenItems(state: ReadonlyMap<string, FactValue>, facts: ReadonlyMap<string, FactInfo>): string[] {
  return [...state].map(([name, value]) => givenItem(name, value, facts.get(name)));
}

export function stateText(state: ReadonlyMap<string, FactValue>, facts: ReadonlyMap<string, FactInfo>): string {
  const items = givenItems(state, facts);
  return items.length > 0 ? items.join(', ') : NO_FACTS;
}

/** The `expect` action for a decision; a test takes one timing. */
function expectText(decision: Decision): string {
  if (decision.kind !== 'dose') return decision.kind;
  return formatDecision({ ...decision, timing: decision.timing.slice(0, 1) });
}

function quote(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A test expecting `expected` in `state`; its title names the label line, so two tests for one state differ. */
export function testText(state: ReadonlyMap<string, FactValue>, facts: ReadonlyMap<string, FactInfo>, expected: Decision, labelLine: string, indent = '  '): string {
  const items = givenItems(state, facts);
  const title = `counterexample: ${items.length > 0 ? items.join(', ') : NO_FACTS} (label: ${labelLine})`;
  const lines = [`${indent}test "${quote(title)}" {`];
  if (items.length > 0) lines.push(`${indent}${indent}given ${items.join(', ')}`);
  lines.push(`${indent}${indent}expect ${expectText(expected)}`, `${indent}}`);
  return lines.join('\n');
}

/** Whether a rule of this action answers a label line of this kind: stops for stops, doses for caps and timings. */
function answers(kind: ConstraintInfo['kind'], rule: RuleInfo): boolean {
  return kind === 'hold' || kind === 'discontinue' ? stops(rule.action.kind) : rule.action.kind === 'dose';
}

/**
 * The rule a pharmacist must change: one whose condition reads a fact of the
 * label line broken (the deciding rule when it does; else one of the matching
 * kind, else any), so `ANC < 400` is shown on the neutropenia rule, not on the
 * start line, and a CYP1A2 rule that skips dialysis on the CYP1A2 rule. When no
 * rule reads those facts, the deciding rule; undefined when none decided either.
 */
export function ruleToChange(protocol: ResolvedProtocol, decided: Recheck): RuleInfo | undefined {
  const decider = decided.outcome.decidedBy;
  const constraint = decided.violation.check.constraint;
  if (!constraint) return decider;
  const facts = factsOf(constraint.condition).filter((fact) => fact !== BUILTIN_DAY);
  const reads = (rule: RuleInfo) => facts.some((fact) => mentions(rule.condition, fact));
  if (decider && reads(decider)) return decider;
  const reading = protocol.rules.filter(reads);
  return reading.find((rule) => answers(constraint.kind, rule)) ?? reading[0] ?? decider;
}

/** Where a counterexample is reported: the rule to change, else the start line, else the header. */
export function spanFor(protocol: ResolvedProtocol, decided: Recheck): Span {
  return ruleToChange(protocol, decided)?.node.span ?? protocol.start?.node.span ?? headerSpan(protocol.node);
}

export function makeCounterexample(protocol: ResolvedProtocol, state: Map<string, FactValue>, decided: Recheck, count: number, indent?: string): Counterexample {
  const facts = protocol.facts;
  const { violation, outcome } = decided;
  const text = stateText(state, facts);
  return {
    kind: 'test',
    days: 1,
    state,
    stateText: text,
    timeline: [`${text} -> ${formatDecision(outcome.decision)}`],
    given: formatDecision(outcome.decision),
    required: violation.required,
    constraintText: violation.check.text,
    ...(violation.check.constraint ? { constraint: violation.check.constraint } : {}),
    ...(outcome.decidedBy ? { decidedBy: outcome.decidedBy } : {}),
    span: spanFor(protocol, decided),
    testText: testText(state, facts, violation.expected, violation.check.text, indent),
    count,
  };
}
