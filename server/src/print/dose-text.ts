// Writing `.dose` text: a quoted string, a patient state as a `given` list or
// a scenario step's observations, an action as `expect` reads it, and whole
// `test` and `scenario` blocks. The one place these are written, for the
// checks' quick fixes, the verifier's counterexamples, the CLI and the
// editor's skeletons; test/print checks that each parses back to what it says.
import { formatDecision } from '../eval/index.js';
import type { Decision, FactInfo, FactValue } from '../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY } from '../semantics/model.js';
import { formatQuantity } from '../units/index.js';

/** `text` as a string literal: in quotes, with `"` and `\` escaped. */
export function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, (character) => `\\${character}`)}"`;
}

/**
 * One fact of a state as a `given` or a step writes it: `ANC = 400 /uL`,
 * `febrile_neutropenia`, `not dialysis`, `day 8`. A fact without a value (a
 * fact back at its default) is written as its default where that can be
 * written (`not dialysis`, `ANC = 4000 /uL`), else undefined.
 */
export function factText(name: string, value: FactValue | undefined, fact: FactInfo | undefined): string | undefined {
  if (value === undefined) {
    if (fact?.kind === 'boolean') return `not ${name}`;
    if (fact?.kind === 'quantity' && fact.normal !== undefined && fact.unit) return `${name} = ${formatQuantity(fact.normal, fact.unit)}`;
    return undefined;
  }
  if (typeof value === 'boolean') return value ? name : `not ${name}`;
  if (typeof value === 'string') return `${name} = ${value}`;
  if (name === BUILTIN_DAY) return `day ${value}`;
  if (name === BUILTIN_CYCLE) return `cycle ${value}`;
  return `${name} = ${fact?.unit ? formatQuantity(value, fact.unit) : String(value)}`;
}

/** The facts of a state as items of a `given` list (those that can be written). */
export function stateItems(state: ReadonlyMap<string, FactValue | undefined>, facts: ReadonlyMap<string, FactInfo>): string[] {
  const items: string[] = [];
  for (const [name, value] of state) {
    const text = factText(name, value, facts.get(name));
    if (text !== undefined) items.push(text);
  }
  return items;
}

/** "ANC = 499 /uL, dialysis, day 8" as a `given` list writes it; empty for no facts. */
export function stateText(state: ReadonlyMap<string, FactValue>, facts: ReadonlyMap<string, FactInfo>): string {
  return stateItems(state, facts).join(', ');
}

/** A decision as `expect` reads it: a test or a step takes one timing. */
export function expectText(decision: Decision): string {
  if (decision.kind !== 'dose') return decision.kind;
  return formatDecision({ ...decision, timing: decision.timing.slice(0, 1) });
}

export interface TestBlock {
  title: string;
  /** The `given` items (`stateItems`); none: no `given`. */
  given: readonly string[];
  /** What follows `expect`: an action, and companions (`hold, dexamethasone 40 mg`). */
  expect: string;
}

/**
 * A `test` block: on lines, indented by `indent` inside a protocol indented
 * the same, or on one line (`indent` undefined).
 */
export function testBlock({ title, given, expect }: TestBlock, indent?: string): string {
  const givenText = given.length > 0 ? `given ${given.join(', ')}` : undefined;
  if (indent === undefined) return `test ${quoted(title)} { ${givenText ? `${givenText} ` : ''}expect ${expect} }`;
  const lines = [`${indent}test ${quoted(title)} {`];
  if (givenText) lines.push(`${indent}${indent}${givenText}`);
  lines.push(`${indent}${indent}expect ${expect}`, `${indent}}`);
  return lines.join('\n');
}

export interface ScenarioStep {
  /** `cycle 1 day 8` or `day 30`. */
  when: string;
  /** The observations of that day (`stateItems` of what changed). */
  observed: readonly string[];
  expect: string;
}

/** A `scenario` block, one step a line, indented by `indent`. */
export function scenarioBlock(title: string, steps: readonly ScenarioStep[], indent = '  '): string {
  const lines = steps.map((step) => `${indent}${indent}${step.when}:${step.observed.length > 0 ? ` ${step.observed.join(', ')}` : ''} expect ${step.expect}`);
  return [`${indent}scenario ${quoted(title)} {`, ...lines, `${indent}}`].join('\n');
}
