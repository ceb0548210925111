// A small label written with the course forms (SPEC-v2): recovery thresholds,
// resume at most, a cycle-start gate, a lowest dose, dexamethasone by age band
// with its days, and a second drug's own label (bortezomib, per m2). The new
// line checks are tested against it, so their tests do not depend on how far
// labels/pomalidomide.dose has been rewritten.
import { join } from 'node:path';
import type { Finding } from '../../server/src/diagnostics/finding.js';
import { analyze, type SourceText } from '../../server/src/checks/analysis.js';
import assert from 'node:assert/strict';
import { applyFix, expectFindingsIn, fixture, type AnnotationOptions, type Checked } from './dose.js';

export const COURSE_LABEL_PATH = join('labels', 'coursedrug.dose');
export const BORTEZOMIB_LABEL_PATH = join('labels', 'bortezomib.dose');
const PROTOCOL = 'course-fixture.dose';

export const COURSE_LABEL = `label coursedrug "A drug with a course" {
  fact ANC "Absolute neutrophil count": quantity /uL normal 4000 /uL
  fact platelets "Platelet count": quantity /uL normal 250000 /uL
  fact age "Age": quantity a normal 60 a
  fact febrile_neutropenia "Febrile neutropenia": boolean
  fact sjs_ten "SJS or TEN": boolean
  fact hepatotoxicity "Hepatotoxicity": boolean
  indication mm "Multiple myeloma" {
    dose 4 mg oral once daily days 1-21 cycle 28 days
      source "test: dose"
    lowest dose 1 mg
      source "test: lowest"
    requires dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a
      source "test: dex"
    requires dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a
      source "test: dex"
    before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL
      source "test: gate"
    hold when ANC < 500 /uL or febrile_neutropenia
      until ANC >= 500 /uL then resume at most previous - 1 mg
      source "test: neutropenia"
    hold when platelets < 25000 /uL
      until platelets >= 50000 /uL then resume at most previous - 1 mg
      source "test: thrombocytopenia"
    discontinue when sjs_ten
      source "test: skin"
    hold when hepatotoxicity
      source "test: liver"
  }
  indication ks "Kaposi sarcoma" {
    dose 5 mg oral once daily days 1-21 cycle 28 days
      source "test: dose"
    hold when ANC < 1000 /uL until ANC >= 1000 /uL then resume at most same dose
      on recurrence resume at most previous - 1 mg
      source "test: neutropenia"
  }
}
`;

export const BORTEZOMIB_LABEL = `label bortezomib "Bortezomib" {
  fact age "Age": quantity a normal 60 a
  indication mm "Multiple myeloma" {
    dose 1.3 mg/m2 sc days 1, 4, 8, 11 cycle 21 days
      source "test: bortezomib"
  }
}
`;

/** The clean lines of an `mm` protocol against the course label. */
export const COURSE_LINES = [
  'drug coursedrug',
  'indication mm',
  'start 4 mg oral once daily days 1-21 cycle 28 days',
  'levels 4 mg, 3 mg, 2 mg, 1 mg',
  'with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a',
  'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a',
  'before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL',
  'rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 level',
  'rule thrombocytopenia: when platelets < 25000 /uL then hold until platelets >= 50000 /uL then resume at previous - 1 mg',
  'rule skin: when sjs_ten then discontinue',
  'rule liver: when hepatotoxicity then hold',
] as const;

function keyOf(line: string): string | undefined {
  const trimmed = line.trim();
  const rule = /^rule\s+(\w+)\s*:/.exec(trimmed);
  if (rule) return rule[1];
  const withLine = /^with\s+(\w+)/.exec(trimmed);
  if (withLine) return `with ${withLine[1]}`;
  if (/^before each cycle/.test(trimmed)) return 'gate';
  return /^(drug|indication|start|levels)\b/.exec(trimmed)?.[1];
}

/**
 * The clean protocol with `snippet` added (annotations allowed): a line of the
 * snippet replaces the default line of the same key (rule name, `with DRUG`,
 * `drug`, `indication`, `start`, `levels`, the gate); `omit` drops keys.
 */
export function course(snippet = '', omit: string[] = []): string {
  const lines = snippet.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
  const own = lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0));
  const replaced = new Set(omit);
  for (const line of own) {
    if (/^\s*\/\/\s*\^/.test(line)) continue;
    const key = keyOf(line);
    if (key) replaced.add(key);
  }
  const kept = COURSE_LINES.filter((line) => !replaced.has(keyOf(line) ?? ''));
  return ['protocol "course fixture" {', ...kept.map((line) => `  ${line}`), ...own.filter((line) => line.trim() !== '').map((line) => `  ${line}`), '}', ''].join('\n');
}

export function courseLabels(withBortezomib = true): SourceText[] {
  const labels = [{ path: COURSE_LABEL_PATH, text: COURSE_LABEL }];
  if (withBortezomib) labels.push({ path: BORTEZOMIB_LABEL_PATH, text: BORTEZOMIB_LABEL });
  return labels;
}

/** The findings of a protocol text against the course label (and the bortezomib label). */
export function checkCourse(text: string, withBortezomib = true): Finding[] {
  return analyze([{ path: PROTOCOL, text }], courseLabels(withBortezomib))[0].findings;
}

/** `expectFindings` against the course label: caret annotations give range, code, severity, words. */
export function expectCourse(source: string, options: AnnotationOptions = {}, withBortezomib = true): Checked {
  const { text, expected } = fixture(source);
  const all = checkCourse(text, withBortezomib);
  return { text, found: expectFindingsIn(text, expected, all, options), all };
}

/** Applies the finding's (first, or titled) quick fix, re-checks against the course label, and asserts the finding (same code and message) is gone. */
export function courseFixRemoves(text: string, finding: Finding, title?: string): string {
  const result = applyFix(text, finding, title, (fixed) => checkCourse(fixed));
  const still = result.findings.filter((item) => (item.code === finding.code && item.message === finding.message) || item.code === 'POS1001');
  assert.deepEqual(still.map((item) => `${item.code} ${item.message}`), [], `after "${result.fix.title}":\n${result.text}`);
  return result.text;
}
