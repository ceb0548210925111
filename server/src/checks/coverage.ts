// Diagnostic: POS3006 a label hold, discontinue or cap that no rule covers (error)
// Diagnostic: POS3033 a label timing that no rule covers (warning)
// A constraint is covered when every fact it mentions appears in a protocol
// rule of the matching kind: stop rules (hold/discontinue) for hold and
// discontinue, dose rules for timings, dose or stop rules for caps. Whether the rules are right is
// for the other checks and the verifier; this one finds what is missing.
import type * as ast from '../syntax/ast.js';
import { stops } from '../eval/index.js';
import { fixTitle, type QuickFix } from '../diagnostics/finding.js';
import { BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE, type ConstraintInfo, type RuleInfo } from '../semantics/model.js';
import { labelRelated, labelText } from '../print/label-lines.js';
import { ruleFromConstraint } from '../print/rules.js';
import { atomsOfLine, mentions } from '../semantics/conditions.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import type { CheckContext } from './context.js';

function ruleKindCovers(constraint: ConstraintInfo, rule: RuleInfo): boolean {
  // Any stop rule (hold or stronger) covers a stop line: whether it is strong enough is weaker-action.ts's.
  if (constraint.kind === 'hold' || constraint.kind === 'discontinue') return stops(rule.action.kind);
  if (constraint.kind === 'take') return rule.action.kind === 'dose' && rule.action.timing === constraint.timing;
  // A cap is covered by a dose rule, or by a stop: the precedence (eval/precedence.ts) puts a hold
  // or a discontinue above any dose, so no dose at all keeps under `at most`.
  return rule.action.kind === 'dose' || stops(rule.action.kind);
}

function isCovered(constraint: ConstraintInfo, rules: readonly RuleInfo[]): boolean {
  for (const { fact } of atomsOfLine(constraint.condition)) {
    if (fact !== BUILTIN_DAY && fact !== BUILTIN_PREVIOUS_DOSE && !factCovered(constraint, fact, rules)) return false;
  }
  return true;
}

function factCovered(constraint: ConstraintInfo, fact: string, rules: readonly RuleInfo[]): boolean {
  for (const rule of rules) if (ruleKindCovers(constraint, rule) && mentions(rule.condition, fact)) return true;
  return false;
}

/** The rule a quick fix inserts, written from the label line itself; named apart from the protocol's rules (`taken`). */
function ruleFor({ protocol }: CheckContext, constraint: ConstraintInfo, taken: (name: string) => boolean): string {
  const dose = protocol.start?.amount ?? protocol.indication.dose?.amount;
  return ruleFromConstraint(protocol.label, protocol.indication, constraint, { taken, dose }).text;
}

/** Where a new rule goes: after the last rule, else before the first test, else before the closing brace. */
export function insertionPoint(node: ast.ProtocolBlock, text: string): { offset: number; indent: string } {
  const anchor = node.rules[node.rules.length - 1]?.span.end ?? node.start?.span.end ?? node.indication?.span.end;
  const indent = '  ';
  if (anchor !== undefined) return { offset: anchor, indent };
  const close = text.lastIndexOf('}', node.span.end);
  return { offset: close >= 0 ? close : node.span.end, indent };
}

export function checkCoverage(context: CheckContext): void {
  const { protocol, report, text } = context;
  const span = protocol.node.indication?.span ?? headerSpan(protocol.node);
  // The rules that can cover a stop line and a dose line, and the rule names, found once per protocol.
  const stopRules = protocol.rules.filter((rule) => stops(rule.action.kind));
  const doseRules = protocol.rules.filter((rule) => rule.action.kind === 'dose');
  const capRules = protocol.rules.filter((rule) => rule.action.kind === 'dose' || stops(rule.action.kind));
  let names: Set<string> | undefined;
  const taken = (name: string) => (names ??= new Set(protocol.rules.map((rule) => rule.name))).has(name);
  for (const constraint of protocol.indication.constraints) {
    const rules = constraint.kind === 'hold' || constraint.kind === 'discontinue' ? stopRules : constraint.kind === 'take' ? doseRules : capRules;
    if (isCovered(constraint, rules)) continue;
    const where = insertionPoint(protocol.node, text);
    const fix: QuickFix = {
      title: fixTitle('FixAddRule', labelText(protocol.label, constraint.node.span)),
      edits: [{ span: { start: where.offset, end: where.offset }, newText: `\n${where.indent}${ruleFor(context, constraint, taken)}` }],
    };
    const constraintText = labelText(protocol.label, { start: constraint.node.span.start, end: constraint.condition.span.end });
    report.add(span, constraint.kind === 'take' ? 'TimingNotCovered' : 'ConstraintNotCovered', [constraintText, protocol.indication.name], {
      related: [labelRelated(protocol.label, constraint.node)],
      fixes: [fix],
    });
  }
}
