// Resolves a written condition against a label's facts: names, enum values,
// units. Whatever does not resolve becomes an `invalid` node that never matches.
import type * as ast from '../../syntax/ast.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, type Condition, type FactInfo } from '../model.js';
import type { Report } from '../report.js';
import { didYouMean } from '../suggest.js';
import { resolveQuantity } from './quantity.js';

export interface FactScope {
  labelName: string;
  facts: ReadonlyMap<string, FactInfo>;
}

/** A fact's kind as the messages name it (POS2008's {1}). */
const describeKind = { quantity: 'a measured quantity', boolean: 'a yes/no fact', enum: 'a choice of values' } as const;

export function lookupFact(name: ast.Name, scope: FactScope, report: Report): FactInfo | undefined {
  if (name.text === '') return undefined; // a gap left by error recovery, already reported
  const fact = scope.facts.get(name.text);
  if (!fact) report.add(name.span, 'UnknownFact', [scope.labelName, name.text, didYouMean(name.text, scope.facts.keys())]);
  return fact;
}

function invalid(span: ast.Span): Condition {
  return { kind: 'invalid', span };
}

export function resolveCondition(expr: ast.Expr | undefined, scope: FactScope, report: Report, at: ast.Span): Condition {
  if (!expr) return invalid(at);
  switch (expr.kind) {
    case 'fact':
      return resolveBare(expr, scope, report);
    case 'compare':
      return resolveComparison(expr, scope, report);
    case 'in':
      return resolveMembership(expr, scope, report);
    case 'not':
      return { kind: 'not', operand: resolveCondition(expr.operand, scope, report, expr.span), span: expr.span };
    case 'and':
    case 'or':
      return {
        kind: expr.kind,
        operands: expr.operands.map((operand) => resolveCondition(operand, scope, report, expr.span)),
        span: expr.span,
      };
  }
}

function resolveBare(expr: ast.FactRef, scope: FactScope, report: Report): Condition {
  const fact = lookupFact(expr.name, scope, report);
  if (!fact) return invalid(expr.span);
  if (fact.kind !== 'boolean') {
    report.add(expr.span, 'WrongFactType', [fact.name, describeKind[fact.kind]]);
    return invalid(expr.span);
  }
  return { kind: 'bool', fact: fact.name, span: expr.span };
}

function resolveComparison(expr: ast.Comparison, scope: FactScope, report: Report): Condition {
  const fact = lookupFact(expr.fact, scope, report);
  if (!fact || !expr.value) return invalid(expr.span);
  const value = expr.value;
  if (fact.kind === 'quantity') {
    if (!('kind' in value)) {
      report.add(value.span, 'QuantityComparedWithWord', [fact.name, describeKind.quantity, value.text]);
      return invalid(expr.span);
    }
    // `day = 1`, `cycle >= 2`: the calendar is counted, a bare number is enough.
    if (!value.unit && fact.unit && (fact.name === BUILTIN_DAY || fact.name === BUILTIN_CYCLE)) {
      return { kind: 'compare', fact: fact.name, op: expr.op, value: value.value, unit: fact.unit, span: expr.span, valueSpan: value.span };
    }
    const resolved = fact.unit ? resolveQuantity(value, fact.unit, fact.name, report, fact.normal) : undefined;
    if (!resolved) return invalid(expr.span);
    return { kind: 'compare', fact: fact.name, op: expr.op, value: resolved.value, unit: resolved.unit, span: expr.span, valueSpan: value.span };
  }
  if ('kind' in value) {
    report.add(value.span, 'ComparedWithNumber', [fact.name, describeKind[fact.kind]]);
    return invalid(expr.span);
  }
  if (expr.op !== '=' && expr.op !== '!=') {
    report.add(expr.opSpan, 'WrongComparison', [fact.name, describeKind[fact.kind], expr.op]);
    return invalid(expr.span);
  }
  const negated = expr.op === '!=';
  if (fact.kind === 'boolean') return resolveBooleanEquals(fact, value, negated, expr.span, report);
  if (!checkEnumValue(value, fact, report)) return invalid(expr.span);
  return { kind: 'enum', fact: fact.name, values: [value.text], negated, span: expr.span };
}

function resolveBooleanEquals(fact: FactInfo, value: ast.Name, negated: boolean, span: ast.Span, report: Report): Condition {
  if (value.text !== 'true' && value.text !== 'false') {
    report.add(value.span, 'YesNoComparedWithWord', [fact.name, describeKind.boolean, value.text]);
    return invalid(span);
  }
  const positive: Condition = { kind: 'bool', fact: fact.name, span };
  return (value.text === 'false') !== negated ? { kind: 'not', operand: positive, span } : positive;
}

export function checkEnumValue(value: ast.Name, fact: FactInfo, report: Report): boolean {
  const values = fact.values ?? [];
  if (values.includes(value.text)) return true;
  if (value.text !== '') report.add(value.span, 'UnknownValue', [value.text, fact.name, values.join(', ')]);
  return false;
}

function resolveMembership(expr: ast.Membership, scope: FactScope, report: Report): Condition {
  const fact = lookupFact(expr.fact, scope, report);
  if (!fact) return invalid(expr.span);
  if (fact.kind !== 'enum') {
    report.add(expr.span, 'InNeedsChoice', [fact.name, describeKind[fact.kind]]);
    return invalid(expr.span);
  }
  const valid = expr.values.filter((value) => checkEnumValue(value, fact, report));
  if (valid.length !== expr.values.length) return invalid(expr.span);
  return { kind: 'enum', fact: fact.name, values: valid.map((value) => value.text), negated: false, span: expr.span };
}
