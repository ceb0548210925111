// The analysis entry points shared by the CLI, the language server and the
// tests: parse a file, resolve the labels a set of files can see, check a file.
// Nothing here reads the disk; callers hand in text.
import type { Finding } from '../diagnostics/finding.js';
import { finding, phrase, phraseText } from '../diagnostics/finding.js';
import { syntaxFinding } from '../diagnostics/problems.js';
import { limitMegabytes, megabytes } from '../diagnostics/sizes.js';
import { parse, type ParseResult, type SyntaxError, type SyntaxErrorKind } from '../syntax/parse.js';
import type { LabelBlock } from '../syntax/ast.js';
import { checkProtocol, type TestResult } from './index.js';
import { checkLabelSources } from './label-sources.js';
import { checkLabelFrequencies } from './schedule.js';
import { LabelIndex } from '../semantics/label-index.js';
import type { ResolvedLabel, ResolvedProtocol } from '../semantics/model.js';
import { Report } from '../semantics/report.js';
import { shorthandAt } from '../semantics/shorthand.js';
import { resolveLabel } from '../semantics/resolve/label.js';
import { resolveProtocol } from '../semantics/resolve/protocol.js';

/** Larger files get one diagnostic instead of a parse, so nothing hangs. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface SourceText {
  path: string;
  text: string;
}

export interface ParsedFile extends SourceText {
  parse: ParseResult;
  syntaxFindings: Finding[];
}

export interface LabelSet {
  index: LabelIndex;
  /** Findings about the labels, by the file they are in. */
  findings: Map<string, Finding[]>;
}

export interface FileAnalysis {
  path: string;
  findings: Finding[];
  protocols: ResolvedProtocol[];
  tests: TestResult[];
}

const emptyParse = (length: number): ParseResult => ({ file: { blocks: [], comments: [], span: { start: 0, end: length } }, errors: [] });

export function parseFile(path: string, text: string): ParsedFile {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    const tooLarge = finding(path, { start: 0, end: 0 }, 'FileTooLarge', [megabytes(bytes), limitMegabytes(MAX_FILE_BYTES)]);
    return { path, text, parse: emptyParse(text.length), syntaxFindings: [tooLarge] };
  }
  const result = parse(text);
  const syntaxFindings = result.errors.map((error) => syntaxFindingIn(path, text, error));
  return { path, text, parse: result, syntaxFindings };
}

/** Errors of the grammar, as opposed to the lexer's or the nesting limit's. */
const GRAMMAR_ERRORS: ReadonlySet<SyntaxErrorKind> = new Set(['Expected', 'AfterBlock', 'BeforeBlock']);

/**
 * A syntax error, with "did you mean" when order-set shorthand (`po daily`) caused it.
 * A discontinuation's `until` gets the fix that removes the clause (with the space
 * before it), keeping the discontinuation; none turns it into a hold: that would
 * let patients resume, against a label line or a rule that says they stop.
 */
function syntaxFindingIn(path: string, text: string, error: SyntaxError): Finding {
  if (error.kind === 'UntilAfterDiscontinue') {
    let start = error.span.start;
    while (start > 0 && /\s/.test(text[start - 1])) start--;
    return syntaxFinding(path, error, { fixes: [{ title: "Remove the 'until' clause", edits: [{ span: { start, end: error.span.end }, newText: '' }] }] });
  }
  const hint = GRAMMAR_ERRORS.has(error.kind) ? shorthandAt(text, error.span) : undefined;
  if (!hint) return syntaxFinding(path, error);
  return syntaxFinding(path, error, { also: { name: 'ShorthandMeant', args: [hint.words, hint.written] }, fixes: [hint.fix] });
}

function labelBlocks(file: ParsedFile): LabelBlock[] {
  return file.parse.file.blocks.filter((block): block is LabelBlock => block.kind === 'label');
}

function syntaxFindingsWithin(file: ParsedFile, block: LabelBlock): Finding[] {
  return file.syntaxFindings.filter((item) => item.span.start >= block.span.start && item.span.start <= block.span.end);
}

/** Resolves every label block in `files` once; protocols then share the result. */
export function resolveLabels(files: ParsedFile[]): LabelSet {
  const findings = new Map<string, Finding[]>();
  const labels: ResolvedLabel[] = [];
  for (const file of files) {
    const report = new Report(file.path);
    for (const block of labelBlocks(file)) {
      const label = resolveLabel(block, file.path, file.text, report, syntaxFindingsWithin(file, block));
      if (!label) continue;
      checkLabelSources(label, report);
      checkLabelFrequencies(label, report);
      labels.push(label);
    }
    if (report.findings.length > 0) findings.set(file.path, report.findings);
  }
  reportDuplicateLabels(labels, findings);
  return { index: new LabelIndex(labels), findings };
}

function reportDuplicateLabels(labels: ResolvedLabel[], findings: Map<string, Finding[]>): void {
  const byName = new Map<string, ResolvedLabel[]>();
  for (const label of labels) byName.set(label.name, [...(byName.get(label.name) ?? []), label]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    for (const label of same) {
      const others = same.filter((other) => other !== label);
      const related = others.map((other) => ({ file: other.file, span: other.node.name?.span ?? other.node.span, message: phraseText(phrase('RelatedAlsoLabel', name)) }));
      const duplicate = finding(label.file, label.node.name?.span ?? label.node.span, 'DuplicateLabel', [name], { related });
      findings.set(label.file, [...(findings.get(label.file) ?? []), duplicate]);
    }
  }
}

/** Every finding for one file: syntax, its labels' own problems, and its protocols' checks and tests. */
export function checkFile(file: ParsedFile, labels: LabelSet, lookedIn?: string): FileAnalysis {
  const report = new Report(file.path);
  const protocols: ResolvedProtocol[] = [];
  const tests: TestResult[] = [];
  for (const block of file.parse.file.blocks) {
    if (block.kind !== 'protocol') continue;
    const protocol = resolveProtocol(block, file.path, labels.index, report, lookedIn);
    if (!protocol) continue;
    protocols.push(protocol);
    tests.push(...checkProtocol(protocol, report, file.text, labels.index));
  }
  const findings = [...file.syntaxFindings, ...(labels.findings.get(file.path) ?? []), ...report.findings];
  // Codes are all `POS` and four digits, so comparing code units orders them as `localeCompare`
  // did, without the ICU collator that a first `localeCompare` builds (about 30 ms at server start).
  findings.sort((a, b) => a.span.start - b.span.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { path: file.path, findings, protocols, tests };
}

/**
 * Parse, resolve and check a set of files against the labels among them and in `labelSources`.
 * `lookedIn` says, for a file, where its caller looked for labels (for POS2001).
 */
export function analyze(sources: SourceText[], labelSources: SourceText[] = [], lookedIn?: (file: string) => string): FileAnalysis[] {
  const parsed = sources.map((source) => parseFile(source.path, source.text));
  const seen = new Set(sources.map((source) => source.path));
  const extra = labelSources.filter((source) => !seen.has(source.path)).map((source) => parseFile(source.path, source.text));
  const labels = resolveLabels([...parsed, ...extra]);
  return parsed.map((file) => checkFile(file, labels, lookedIn?.(file.path)));
}
