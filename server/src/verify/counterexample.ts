// Turning a violating state into a counterexample a pharmacist can read and
// paste: the state in the `given` syntax, the protocol's decision, what the label
// requires, and a `test` block that expects it.
import { formatDecision } from '../eval/index.js';
import type { Decision, FactInfo, FactValue, ResolvedProtocol } from '../semantics/model.js';
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

/** Where a counterexample is reported: the deciding rule, else the start line, else the header. */
export function spanFor(protocol: ResolvedProtocol, decided: Recheck): Span {
  return decided.outcome.decidedBy?.node.span ?? protocol.start?.node.span ?? headerSpan(protocol.node);
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
