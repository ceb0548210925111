// Turns a written quantity into a number in a target unit, reporting a missing
// unit, an unknown unit or a unit of the wrong dimension at the unit's range.
import type * as ast from '../../syntax/ast.js';
import { convert, parseUnit, sameDimension, type Unit } from '../../units/index.js';
import type { Report } from '../report.js';

export function resolveUnit(name: ast.Name, report: Report): Unit | undefined {
  const result = parseUnit(name.text);
  if (result.ok) return result.unit;
  const hint = result.suggestions.length > 0 ? ` (did you mean ${result.suggestions.slice(0, 3).join(', ')}?)` : '';
  report.add(name.span, 'UnknownUnit', [result.message + hint]);
  return undefined;
}

/**
 * The quantity's value in `target`, or undefined (with a finding) when it has
 * no usable unit. `what` names the thing measured, for the messages.
 */
export function resolveQuantity(
  quantity: ast.Quantity,
  target: Unit,
  what: string,
  report: Report,
): { value: number; unit: Unit } | undefined {
  if (!quantity.unit) {
    report.add(quantity.span, 'MissingUnit', [`${what} ${quantity.valueText}`, target.written]);
    return undefined;
  }
  const unit = resolveUnit(quantity.unit, report);
  if (!unit) return undefined;
  if (!sameDimension(unit, target)) {
    report.add(quantity.unit.span, 'WrongDimension', [what, `${target.written} (${target.name})`, quantity.unit.text]);
    return undefined;
  }
  const value = convert(quantity.value, unit, target);
  return value === undefined ? undefined : { value, unit };
}
