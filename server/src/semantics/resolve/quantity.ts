// Turns a written quantity into a number in a target unit, reporting a missing
// unit, an unknown unit or a unit of the wrong dimension at the unit's range.
import type * as ast from '../../syntax/ast.js';
import { convert, formatQuantity, parseUnit, sameDimension, scaleRespelling, type Unit } from '../../units/index.js';
import type { Report } from '../report.js';
import { unitEntry } from '../../diagnostics/problems.js';
import { fixTitle } from '../../diagnostics/finding.js';

export function resolveUnit(name: ast.Name, report: Report): Unit | undefined {
  const result = parseUnit(name.text);
  if (result.ok) return result.unit;
  const scaled = scaleRespelling(name.text);
  const suggestions = [...(scaled ? [scaled] : []), ...result.suggestions.filter((item) => item !== scaled)];
  const { name: entry, args } = unitEntry(result.problem);
  report.add(name.span, entry, args, suggestions.length > 0 ? { also: { name: 'UnitsMeant', args: [suggestions.slice(0, 3).join(', ')] } } : {});
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
  normal?: number,
): { value: number; unit: Unit } | undefined {
  if (!quantity.unit) {
    report.add(quantity.span, 'MissingUnit', [`${what} ${quantity.valueText}`, target.written]);
    return undefined;
  }
  const unit = resolveUnit(quantity.unit, report);
  if (!unit) return undefined;
  if (!sameDimension(unit, target)) {
    report.add(quantity.unit.span, 'WrongDimension', [what, `${target.written} (${target.name})`, quantity.unit.text, dimensionHint(quantity.unit.text, unit, target)]);
    return undefined;
  }
  const value = convert(quantity.value, unit, target);
  if (value !== undefined && normal !== undefined) checkPlausible(quantity, value, target, what, normal, report);
  return value === undefined ? undefined : { value, unit };
}

/** `K/uL` is kelvin per microliter to UCUM: say so, and write the count scale UCUM reads. */
function dimensionHint(written: string, unit: Unit, target: Unit): string {
  const scaled = scaleRespelling(written);
  const scaledUnit = scaled ? parseUnit(scaled) : undefined;
  if (!scaled || !scaledUnit?.ok || !sameDimension(scaledUnit.unit, target)) return '';
  return `: UCUM reads '${written}' as ${unit.name.replace(/[[\]]/g, '')}; did you mean '${scaled}' (${scaledUnit.unit.name})?`;
}

/** A factor this large between a value and the fact's normal value is a unit mistake, not a patient. */
const IMPLAUSIBLE_FACTOR = 1000;

function plausible(value: number, normal: number): boolean {
  if (value === 0 || normal === 0) return true;
  const ratio = Math.abs(value / normal);
  return ratio <= IMPLAUSIBLE_FACTOR && ratio >= 1 / IMPLAUSIBLE_FACTOR;
}

/**
 * `ANC < 500 /L`: it converts (0.0005 /uL), but to nothing a patient has,
 * while 500 read in the fact's own unit is plausible: "did you mean 500 /uL?".
 */
function checkPlausible(quantity: ast.Quantity, value: number, target: Unit, what: string, normal: number, report: Report): void {
  if (!quantity.unit || plausible(value, normal) || !plausible(quantity.value, normal)) return;
  const fix = { title: fixTitle('FixWriteQuantity', quantity.valueText, target.written), edits: [{ span: quantity.unit.span, newText: target.written }] };
  report.add(quantity.span, 'UnitImplausible', [quantity.valueText, quantity.unit.text, formatQuantity(value, target), what, formatQuantity(normal, target), target.written], { fixes: [fix] });
}
