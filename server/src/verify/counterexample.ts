// Turning a violating state into a counterexample a pharmacist can read and
// paste: the state in the `given` syntax, the protocol's decision, what the label
// requires, and a `test` block that expects it.
import { phrase, phraseText } from '../diagnostics/finding.js';
import { formatDecision, stops } from '../eval/index.js';
import { factsOf, mentions } from '../semantics/conditions.js';
import type { ConstraintInfo, Decision, FactInfo, FactValue, ResolvedProtocol, RuleInfo } from '../semantics/model.js';
import { BUILTIN_DAY } from '../semantics/model.js';
import { expectText, stateItems, stateText as givenText, testBlock } from '../print/dose-text.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import type { Span } from '../syntax/ast.js';
import type { Recheck } from './minimize.js';
import type { Counterexample } from './types.js';

/** How a state with no fact set reads. */
/** A counterexample on day 1 with every fact at its default. */
export const NO_FACTS = phraseText(phrase('StateDayOneDefaults'));

export function stateText(state: ReadonlyMap<string, FactValue>, facts: ReadonlyMap<string, FactInfo>): string {
  return givenText(state, facts) || NO_FACTS;
}

/** A test expecting `expected` in `state`; its title names the label line, so two tests for one state differ. */
export function testText(state: ReadonlyMap<string, FactValue>, facts: ReadonlyMap<string, FactInfo>, expected: Decision, labelLine: string, indent = '  '): string {
  const title = `counterexample: ${stateText(state, facts)} (label: ${labelLine})`;
  return testBlock({ title, given: stateItems(state, facts), expect: expectText(expected) }, indent);
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
