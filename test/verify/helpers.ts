// Shared by the verification tests: the pomalidomide label, protocols built from
// text, and the Pd rule set of examples/pd-multiple-myeloma.dose to vary.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, type FileAnalysis, type SourceText } from '../../server/src/checks/analysis.js';
import type { ResolvedProtocol } from '../../server/src/semantics/model.js';
import type { TextEdit } from '../../server/src/diagnostics/finding.js';

// Compiled to out/test/verify/, three levels below the repository root.
export const root = fileURLToPath(new URL('../../../', import.meta.url));

export const labelSource: SourceText = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'labels', 'pomalidomide.dose'), 'utf8') };

export function analyzeText(text: string, path = 'p.dose', label: SourceText = labelSource): FileAnalysis {
  const [file] = analyze([{ path, text }], [label]);
  return file;
}

/** The pomalidomide label with `lines` added at the top of the multiple_myeloma indication. */
export function labelWith(lines: string): SourceText {
  const anchor = labelSource.text.indexOf('    lowest dose 1 mg');
  assert.ok(anchor > 0, 'the label has no `lowest dose 1 mg` line');
  return { path: labelSource.path, text: labelSource.text.slice(0, anchor) + lines + labelSource.text.slice(anchor) };
}

export function protocolOf(text: string, path = 'p.dose', label: SourceText = labelSource): ResolvedProtocol {
  const file = analyzeText(text, path, label);
  assert.equal(file.protocols.length, 1, `expected one protocol in ${path}: ${file.findings.map((item) => item.message).join('; ')}`);
  return file.protocols[0];
}

/** The rules of examples/pd-multiple-myeloma.dose, by name. */
export const PD_RULES: Record<string, string> = {
  neutropenia: 'when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 mg',
  thrombocytopenia: 'when platelets < 25000 /uL then hold until platelets >= 50000 /uL then resume at previous - 1 mg',
  dialysis: 'when dialysis then dose 3 mg after dialysis',
  hepatic_mild: 'when child_pugh in (A, B) then dose 3 mg',
  hepatic_severe: 'when child_pugh = C then dose 2 mg',
  cyp1a2: 'when strong_cyp1a2_inhibitor then dose 2 mg',
  skin: 'when sjs_ten then discontinue',
  pregnancy: 'when pregnant then discontinue',
  renal: 'when renal_impairment then dose 3 mg',
  liver_toxicity: 'when hepatotoxicity then hold',
  lactation: 'when breastfeeding then hold',
};

export interface PdVariant {
  start?: string;
  rules?: Record<string, string>;
  /** Rules to leave out, by name. */
  drop?: string[];
  extra?: string[];
  /** The cycle-start gate line; `false` leaves it out (then a low count on day 1 is not a delayed cycle). */
  gate?: string | false;
}

/** The Pd protocol with some rules or the start line replaced. */
export function pdText(variant: PdVariant = {}): string {
  const rules = Object.fromEntries(Object.entries({ ...PD_RULES, ...variant.rules }).filter(([name]) => !variant.drop?.includes(name)));
  return [
    'protocol "Pd variant" {',
    '  drug pomalidomide',
    '  indication multiple_myeloma',
    `  start ${variant.start ?? '4 mg oral once daily days 1-21 cycle 28 days'}`,
    '  with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a',
    '  with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a',
    ...(variant.gate === false ? [] : [`  ${variant.gate ?? 'before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL'}`]),
    ...(variant.extra ?? []).map((line) => `  ${line}`),
    ...Object.entries(rules).map(([name, rule]) => `  rule ${name}: ${rule}`),
    '}',
    '',
  ].join('\n');
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.span.start - a.span.start).reduce((result, edit) => result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end), text);
}

export function ruleNamed(protocol: ResolvedProtocol, name: string) {
  const rule = protocol.rules.find((item) => item.name === name);
  assert.ok(rule, `no rule ${name}`);
  return rule;
}

/** A variant of the course-search Pd protocol (`coursePd`). */
export interface CoursePdVariant {
  neutropenia?: string;
  /** The cycle gate's condition; null for none. */
  gate?: string | null;
  dexamethasone?: string[];
  /** Lines added after `levels` (protocol facts) and before the closing brace. */
  facts?: string[];
  extra?: string[];
}

/** The Pd protocol the course-search tests start from; by default it keeps to the test label on every course. */
export function coursePd(variant: CoursePdVariant = {}): string {
  const dexamethasone = variant.dexamethasone ?? ['with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a'];
  return [
    'protocol "Pd course" {',
    '  drug pomalidomide',
    '  indication multiple_myeloma',
    '  start 4 mg oral once daily days 1-21 cycle 28 days',
    '  levels 4 mg, 3 mg, 2 mg, 1 mg',
    ...(variant.facts ?? []).map((line) => `  ${line}`),
    ...dexamethasone.map((line) => `  ${line}`),
    ...(variant.gate === null ? [] : [`  before each cycle require ${variant.gate ?? 'ANC >= 500 /uL and platelets >= 50000 /uL'}`]),
    `  rule neutropenia: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at ${variant.neutropenia ?? 'previous - 1 level'}`,
    '  rule thrombocytopenia: when platelets < 25000 /uL then hold until platelets >= 50000 /uL then resume at previous - 1 level',
    '  rule skin: when sjs_ten then discontinue',
    ...(variant.extra ?? []).map((line) => `  ${line}`),
    '}',
    '',
  ].join('\n');
}
