// Shared helpers for the syntax, evaluator and semantics tests: the repository
// root, the pomalidomide label, `check(text)` against it, and caret-annotated
// fixtures in the style of rust-analyzer:
//
//   rule anc: when ANC < 400 /uL then hold
//   //             ^^^^^^^^^^^^^ POS3004 error less safe
//
// An annotation line is `//`, spaces, one or more `^` under the expected range of
// the line above it (the nearest line that is not itself an annotation), the code,
// optionally a severity, optionally words the message must contain. A lone `^`
// followed by `|` (`^| POS3008`) marks an empty range at the caret's column.
// Several annotation lines may follow one line. To point at a line's first
// columns, indent that line two more than its annotation (`  deviation cycle`
// over `//^^^^^^^^^^^^^^^`). Annotation lines are removed before analysis, and
// fixtures are dedented, so they can be indented with the test code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finding, phraseText, type Finding, type QuickFix, type TextEdit } from '../../server/src/diagnostics/finding.js';
import { whyPhrase, type Why } from '../../server/src/eval/why.js';
import { analyze, type FileAnalysis, type SourceText } from '../../server/src/checks/analysis.js';
import { LineIndex } from '../../server/src/syntax/line-index.js';
import { parse } from '../../server/src/syntax/parse.js';
import { syntaxFinding } from '../../server/src/diagnostics/problems.js';

/** The repository root (this file compiles to out/test/helpers/dose.js). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const LABEL_PATH = join(repoRoot, 'labels', 'pomalidomide.dose');
export const PROTOCOL_PATH = join(repoRoot, 'test-fixture.dose');

let cachedLabel: SourceText | undefined;

/** labels/pomalidomide.dose as a source for `analyze`. */
/** Why a day's decision is what it is, as the message table says it. */
export function saidWhy(why: Why): string {
  return phraseText(whyPhrase(why));
}

export function labelSource(): SourceText {
  cachedLabel ??= { path: LABEL_PATH, text: readFileSync(LABEL_PATH, 'utf8') };
  return cachedLabel;
}

/**
 * The pomalidomide label with extra lines at the top of its multiple_myeloma
 * indication: for checks of label forms the label itself no longer uses
 * (a relative cap, `at most previous - 1 mg when ...`).
 */
export function labelWithLines(lines: string): SourceText {
  const base = labelSource().text;
  const anchor = base.indexOf('    lowest dose 1 mg');
  if (anchor < 0) throw new Error('the label has no `lowest dose 1 mg` line to insert after');
  return { path: LABEL_PATH, text: `${base.slice(0, anchor)}${lines}${base.slice(anchor)}` };
}

/** The findings of a protocol text against a given label source. */
export function checkAgainst(label: SourceText, text: string): Finding[] {
  return analyze([{ path: PROTOCOL_PATH, text }], [label])[0].findings;
}

/** The whole analysis of one protocol text against the pomalidomide label. */
export function analyzeProtocol(text: string, extraLabels: SourceText[] = []): FileAnalysis {
  const [result] = analyze([{ path: PROTOCOL_PATH, text }], [labelSource(), ...extraLabels]);
  return result;
}

/** The findings of a protocol text analysed against the pomalidomide label. */
export function check(text: string): Finding[] {
  return analyzeProtocol(text).findings;
}

/** The analysis of a text on its own: only the labels in the text itself (and `labels`). */
export function checkAlone(text: string, labels: SourceText[] = []): FileAnalysis {
  const [result] = analyze([{ path: PROTOCOL_PATH, text }], labels);
  return result;
}

/** The syntax errors of a text, as findings (so they can be caret-annotated). */
export function syntaxFindings(text: string): Finding[] {
  return parse(text).errors.map((error) => syntaxFinding(PROTOCOL_PATH, error));
}

// ---- caret annotations ------------------------------------------------------

export interface Expected {
  line: number;
  start: number;
  end: number;
  code: string;
  severity?: string;
  words?: string;
}

export interface Fixture {
  /** The text with annotation lines removed. */
  text: string;
  expected: Expected[];
}

const ANNOTATION = /^(\s*\/\/\s*)(\^+)(\|?)\s+(POS\d{4})(?:\s+(error|warning|information)\b)?\s*(.*)$/;

/** Splits a fixture into its text and its expectations. */
export function fixture(source: string): Fixture {
  const lines = dedent(source).split('\n');
  const kept: string[] = [];
  const expected: Expected[] = [];
  for (const line of lines) {
    const match = ANNOTATION.exec(line);
    if (!match) {
      kept.push(line);
      continue;
    }
    assert.ok(kept.length > 0, `annotation before any line: ${line}`);
    const [, lead, carets, empty, code, severity, words] = match;
    const start = lead.length;
    const end = empty ? start : start + carets.length;
    expected.push({ line: kept.length - 1, start, end, code, severity, words: words.trim() || undefined });
  }
  return { text: kept.join('\n'), expected };
}

/**
 * Removes the first line if blank, trailing blank space, and the indentation
 * common to all non-blank lines (annotations keep their columns relative to
 * the code above them).
 */
export function dedent(source: string): string {
  const lines = source.replace(/^[ \t]*\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return `${lines.map((line) => line.slice(common)).join('\n')}\n`;
}

export interface Located {
  line: number;
  start: number;
  end: number;
  code: string;
  severity: string;
  message: string;
  finding: Finding;
}

/** Findings with line/column ranges (a multi-line range ends at the end of its first line). */
export function locate(findings: Finding[], text: string): Located[] {
  const index = new LineIndex(text);
  return findings.map((finding) => {
    const from = index.position(finding.span.start);
    const to = index.position(finding.span.end);
    const end = to.line === from.line ? to.character : index.lineText(finding.span.start).length;
    return { line: from.line, start: from.character, end, code: finding.code, severity: finding.severity, message: finding.message, finding };
  });
}

function show(item: { line: number; start: number; end: number; code: string; severity?: string }, text: string): string {
  const line = text.split('\n')[item.line] ?? '';
  const width = Math.max(1, item.end - item.start);
  return `${line}\n${' '.repeat(item.start)}${'^'.repeat(width)} ${item.code}${item.severity ? ` ${item.severity}` : ''}`;
}

export function describeFindings(findings: Finding[], text: string): string {
  return locate(findings, text)
    .map((item) => `${show(item, text)}: ${item.message}`)
    .join('\n');
}

export interface AnnotationOptions {
  /**
   * Which findings must match the annotations exactly. Default: those whose code
   * appears in an annotation (other codes are ignored). `'all'` compares every finding.
   */
  codes?: 'all' | string[];
}

export interface Checked {
  /** The analysed text (annotations removed). */
  text: string;
  /** The findings that matched the annotations, in annotation order. */
  found: Located[];
  /** Every finding of the text. */
  all: Finding[];
}

/**
 * Checks a caret-annotated protocol against the pomalidomide label and asserts
 * that the findings (restricted as `options.codes` says) are exactly the
 * annotated ones: same line, columns, code, severity if given, words if given.
 */
export function expectFindings(source: string, options: AnnotationOptions = {}): Checked {
  const { text, expected } = fixture(source);
  const all = check(text);
  return { text, found: expectFindingsIn(text, expected, all, options), all };
}

/** Like `expectFindings`, for the syntax errors of `parse` alone (every code is compared). */
export function expectSyntaxErrors(source: string): Checked {
  const { text, expected } = fixture(source);
  const all = syntaxFindings(text);
  return { text, found: expectFindingsIn(text, expected, all, { codes: 'all' }), all };
}

export function expectFindingsIn(text: string, expected: Expected[], findings: Finding[], options: AnnotationOptions = {}): Located[] {
  const codes = options.codes ?? [...new Set(expected.map((item) => item.code))];
  const actual = locate(findings, text).filter((item) => codes === 'all' || codes.includes(item.code));
  const key = (item: { line: number; start: number; end: number; code: string }) => `${item.line}:${item.start}-${item.end} ${item.code}`;
  const actualKeys = actual.map(key).sort();
  const expectedKeys = expected.map(key).sort();
  assert.deepEqual(
    actualKeys,
    expectedKeys,
    `findings differ from the annotations.\n--- actual:\n${describeFindings(actual.map((item) => item.finding), text) || '(none)'}\n--- expected:\n${expected.map((item) => show(item, text)).join('\n') || '(none)'}`,
  );
  const matched: Located[] = [];
  const remaining = [...actual];
  for (const want of expected) {
    const at = remaining.findIndex((item) => key(item) === key(want));
    const got = remaining.splice(at, 1)[0];
    if (want.severity) assert.equal(got.severity, want.severity, `severity of ${key(want)}: ${got.message}`);
    if (want.words) {
      assert.ok(got.message.includes(want.words), `message of ${key(want)} should contain "${want.words}": ${got.message}`);
    }
    matched.push(got);
  }
  return matched;
}

// ---- quick fixes ------------------------------------------------------------

/** Applies a quick fix's edits (non-overlapping, in any order) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
  return result;
}

/** Applies the (only, or the titled) quick fix of `finding` to `text` and re-checks the result. */
export function applyFix(
  text: string,
  finding: Finding,
  title?: string,
  recheck: (text: string) => Finding[] = check,
): { text: string; fix: QuickFix; findings: Finding[] } {
  assert.ok(finding.fixes.length > 0, `${finding.code} has no quick fix: ${finding.message}`);
  const fix = title ? finding.fixes.find((item) => item.title.includes(title)) : finding.fixes[0];
  assert.ok(fix, `no quick fix titled "${title}" on ${finding.code}`);
  const fixed = applyEdits(text, fix.edits);
  return { text: fixed, fix, findings: recheck(fixed) };
}

export interface FixOptions {
  /** Pick the fix whose title contains this. */
  title?: string;
  /** Also require that no finding of the same code at all remains (default: only this one). */
  wholeCode?: boolean;
  /** Codes that must not appear after the fix (e.g. a syntax error or a duplicate name). */
  forbid?: string[];
}

/**
 * Applies a finding's quick fix, re-checks, and asserts the finding is gone
 * (no finding with the same code and message remains). Returns the fixed text.
 */
export function assertFixRemoves(text: string, finding: Finding, options: FixOptions = {}): string {
  const result = applyFix(text, finding, options.title);
  const still = result.findings.filter(
    (item) => item.code === finding.code && (options.wholeCode || item.message === finding.message),
  );
  const forbidden = result.findings.filter((item) => ['POS1001', ...(options.forbid ?? [])].includes(item.code));
  const bad = [...still, ...forbidden];
  assert.equal(
    bad.length,
    0,
    `after "${result.fix.title}":\n${describeFindings(bad, result.text)}\n--- text:\n${result.text}`,
  );
  return result.text;
}

// ---- protocol texts ---------------------------------------------------------

/** The rules of a multiple-myeloma protocol that the pomalidomide label accepts without findings. */
export const MM_RULES = [
  'rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold until ANC >= 500 /uL then resume at previous - 1 mg',
  'rule thrombocytopenia: when platelets < 25000 /uL then hold until platelets >= 50000 /uL then resume at previous - 1 mg',
  'rule dialysis: when dialysis then dose 3 mg after dialysis',
  'rule renal: when renal_impairment then dose 3 mg',
  'rule hepatic_mild: when child_pugh in (A, B) then dose 3 mg',
  'rule hepatic_severe: when child_pugh = C then dose 2 mg',
  'rule cyp1a2: when strong_cyp1a2_inhibitor then dose 2 mg',
  'rule skin: when sjs_ten then discontinue',
  'rule pregnancy: when pregnant then discontinue',
  'rule liver_toxicity: when hepatotoxicity then hold',
  'rule lactation: when breastfeeding then hold',
] as const;

export const MM_HEADER = [
  'drug pomalidomide',
  'indication multiple_myeloma',
  'start 4 mg oral once daily days 1-21 cycle 28 days',
  'with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a',
  'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a',
  'before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL',
] as const;

/** A protocol text from its lines, each indented by two spaces. */
export function protocolText(lines: readonly string[], title = 'fixture'): string {
  return [`protocol "${title}" {`, ...lines.map((line) => `  ${line}`), '}', ''].join('\n');
}

/** The rules of a Kaposi-sarcoma protocol that the pomalidomide label accepts without findings. */
export const KS_RULES = [
  'rule neutropenia: when ANC < 1000 /uL then hold until ANC >= 1000 /uL then resume at same dose on recurrence resume at previous - 1 mg',
  'rule skin: when sjs_ten then discontinue',
  'rule liver_toxicity: when hepatotoxicity then hold',
  'rule cyp1a2: when strong_cyp1a2_inhibitor then dose 2 mg',
  'rule renal: when renal_impairment then dose 4 mg',
  'rule dialysis: when dialysis then dose 4 mg after dialysis',
  'rule hepatic: when child_pugh in (A, B, C) then dose 3 mg',
  'rule pregnancy: when pregnant then discontinue',
  'rule lactation: when breastfeeding then hold',
] as const;

export const KS_HEADER = [
  'drug pomalidomide',
  'indication kaposi_sarcoma',
  'start 5 mg oral once daily days 1-21 cycle 28 days',
  'before each cycle require ANC >= 1000 /uL and platelets >= 75000 /uL',
] as const;

export interface VariantOptions {
  /** Default lines to leave out: rule names, or `drug`, `indication`, `start`, `with NAME`, `gate` (the cycle-start gate). */
  omit?: string[];
}

function lineKey(line: string): string | undefined {
  const trimmed = line.trim();
  const rule = /^rule\s+(\w+)\s*:/.exec(trimmed);
  if (rule) return rule[1];
  const combination = /^with\s+(\w+)/.exec(trimmed);
  if (combination) return `with ${combination[1]}`;
  if (/^before each cycle\b/.test(trimmed)) return 'gate';
  const header = /^(drug|indication|start)\b/.exec(trimmed);
  return header?.[1];
}

/**
 * A clean protocol with `snippet` (caret annotations allowed) appended. Default
 * lines that the snippet redefines (a rule of the same name, a `drug`,
 * `indication` or `start` line, a `with` of the same drug) or that `omit` names
 * are left out, so the snippet's findings are the only ones.
 */
function variant(header: readonly string[], rules: readonly string[], snippet: string, options: VariantOptions): string {
  const lines = dedent(snippet).replace(/\n$/, '').split('\n');
  const redefined = new Set(options.omit ?? []);
  for (const line of lines) {
    if (ANNOTATION.test(line)) continue;
    const key = lineKey(line);
    if (key) redefined.add(key);
  }
  const kept = [...header, ...rules].filter((line) => !redefined.has(lineKey(line) ?? ''));
  return protocolText([...kept, ...lines]);
}

export function mm(snippet = '', options: VariantOptions = {}): string {
  return variant(MM_HEADER, MM_RULES, snippet, options);
}

export function ks(snippet = '', options: VariantOptions = {}): string {
  return variant(KS_HEADER, KS_RULES, snippet, options);
}
