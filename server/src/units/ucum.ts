// The only file in Posology that imports the UCUM library (@lhncbc/ucum-lhc).
// It turns the library's answers into plain data; every conversion factor in
// Posology comes from `ucumConvert` below.
import ucum, { type UcumLhcUtils, type UcumSpecifiedUnit, type UcumUnit } from '@lhncbc/ucum-lhc';

export interface UcumFound {
  readonly found: true;
  readonly code: string;
  readonly name: string;
  readonly dimension: string;
}

export interface UcumSuggestionGroup {
  /** The part of the code UCUM could not read (may be the whole code). */
  readonly invalidPart: string;
  readonly codes: readonly string[];
}

export interface UcumRejected {
  readonly found: false;
  /** The part UCUM names as unreadable, when it names one. */
  readonly invalidPart?: string;
  /** A code UCUM would substitute (it reads "Gauss" as "G" but does not accept it). */
  readonly substitute?: string;
  readonly suggestions: readonly UcumSuggestionGroup[];
}

export type UcumLookup = UcumFound | UcumRejected;

let instance: UcumLhcUtils | undefined;

/** The library, loaded on first use (loading its tables takes a moment). */
function library(): UcumLhcUtils {
  instance ??= ucum.UcumLhcUtils.getInstance();
  return instance;
}

/**
 * Calls the library with console.log muted and exceptions turned into undefined:
 * ucum-lhc logs its own internal errors (for example on "()") before reporting them.
 */
function quietly<T>(call: (utils: UcumLhcUtils) => T): T | undefined {
  const log = console.log;
  console.log = () => undefined;
  try {
    return call(library());
  } catch {
    return undefined;
  } finally {
    console.log = log;
  }
}

function unitOf(code: string, suggest: boolean): UcumSpecifiedUnit | undefined {
  return quietly((utils) => utils.getSpecifiedUnit(code, 'validate', suggest));
}

/** Looks a code up in UCUM; `suggest` asks UCUM for alternatives when it fails. */
export function lookupUcum(code: string, suggest = false): UcumLookup {
  const answer = unitOf(code, suggest);
  if (answer?.status === 'valid' && answer.unit) return found(answer.unit, answer.origString ?? code);
  return rejected(answer);
}

function found(unit: UcumUnit, code: string): UcumFound {
  return { found: true, code, name: nameOf(unit, code), dimension: dimensionOf(unit, code) };
}

function rejected(answer: UcumSpecifiedUnit | undefined): UcumRejected {
  const suggestions = (answer?.suggestions ?? []).map((group) => ({
    invalidPart: group.invalidUnit,
    codes: group.units.map(([code]) => code),
  }));
  const substitute = answer?.unit && answer.origString ? answer.origString : undefined;
  const invalidPart = suggestions[0]?.invalidPart ?? invalidPartOf(answer?.retMsg ?? []);
  return { found: false, invalidPart, substitute, suggestions };
}

/** UCUM words its failures "<part> is not a valid UCUM code. ..." */
function invalidPartOf(messages: readonly string[]): string | undefined {
  for (const message of messages) {
    const match = /^(\S+) is not a valid UCUM code/.exec(message);
    if (match) return match[1];
  }
  return undefined;
}

/** UCUM's name without its HTML ("millimeter<sup>3</sup>" -> "millimeter^3"). */
function nameOf(unit: UcumUnit, code: string): string {
  const plain = text(unit.name_).replace(/<sup>(.*?)<\/sup>/g, '^$1').replace(/<[^>]*>/g, '');
  return plain || text(unit.printSymbol_) || code;
}

/** A library field as text: names can be numbers ("500") or null. */
function text(field: unknown): string {
  return typeof field === 'string' || typeof field === 'number' ? String(field) : '';
}

/**
 * The dimension vector, plus what UCUM keeps outside it: moles and equivalents
 * (mmol/L and /L share a vector but do not convert without a molecular weight),
 * and arbitrary units ([IU]) which convert to nothing but themselves.
 */
function dimensionOf(unit: UcumUnit, code: string): string {
  if (unit.isArbitrary_) return `arbitrary ${code}`;
  const vector = unit.dim_?.dimVec_?.join(',') ?? 'none';
  const mole = unit.moleExp_ ? ` mol^${unit.moleExp_}` : '';
  const equivalent = unit.equivalentExp_ ? ` eq^${unit.equivalentExp_}` : '';
  return vector + mole + equivalent;
}

/** True when converting the unit needs a function, not a factor (Cel, [degF], [pH]). */
export function isSpecialUnit(code: string): boolean {
  return unitOf(code, false)?.unit?.isSpecial_ === true;
}

/** UCUM's conversion of `value` `from` into `to`; undefined when UCUM cannot convert. */
export function ucumConvert(value: number, from: string, to: string): number | undefined {
  const answer = quietly((utils) => utils.convertUnitTo(from, value, to));
  const result = answer?.status === 'succeeded' ? answer.toVal : null;
  return typeof result === 'number' && Number.isFinite(result) ? result : undefined;
}
