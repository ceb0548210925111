// Translation between the core's plain data (offsets, findings, spans) and LSP
// types (positions, ranges, diagnostics, URIs). Nothing here decides anything:
// every feature returns offsets and this file turns them into protocol shapes.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  SemanticTokensBuilder,
  SymbolKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type Position,
  type Range,
  type SemanticTokens,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { Finding, QuickFix } from '../../diagnostics/finding.js';
import type { Severity } from '../../diagnostics/messages.js';
import type { Span } from '../../syntax/ast.js';
import { LineIndex, lineIndexFor } from '../../syntax/line-index.js';
import type { QuickFixAction } from '../features/code-actions.js';
import type { CompletionEntry, CompletionEntryKind } from '../features/completion.js';
import type { FoldingSpan } from '../features/folding.js';
import type { FormatEdit, FormatOptions } from '../features/formatting.js';
import type { HoverResult } from '../features/hover.js';
import { TOKEN_MODIFIERS, TOKEN_TYPES, type SemanticToken } from '../features/semantic-tokens.js';
import type { SymbolEntry, SymbolEntryKind } from '../features/symbols.js';
import type { LensEntry, ProtocolTests, TestFilter, TestOutcome } from '../features/tests.js';
import type { UnverifiedProtocol } from '../features/unverified.js';
import type {
  ProtocolTestsWire,
  ProtocolVerificationWire,
  RunTestsParams,
  RunTestsResult,
  ScenarioResultWire,
  TestResultWire,
} from './custom-requests.js';
import { RUN_TESTS_COMMAND } from './custom-requests.js';

// ---- offsets and positions ---------------------------------------------------

export { LineIndex, lineIndexFor };

// ---- URIs and paths ----------------------------------------------------------

/** The file path of a URI; non-file URIs (untitled:) keep their URI text as a name. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return path.normalize(fileURLToPath(uri));
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !path.isAbsolute(file)) return file;
  return pathToFileURL(file).href;
}

// ---- diagnostics -------------------------------------------------------------

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** What a diagnostic's `data` carries: the finding's fixes as LSP edits, for clients that echo it. */
export interface DiagnosticData {
  fixes: { title: string; edits: TextEdit[] }[];
}

export interface DiagnosticContext {
  /** The line index of the finding's own file. */
  lines: LineIndex;
  /** URI and line index of another file (a label), when known. */
  locate: (file: string) => { uri: string; lines: LineIndex } | undefined;
  relatedInformation: boolean;
}

export function toTextEdits(fix: QuickFix, lines: LineIndex): TextEdit[] {
  return fix.edits.map((edit) => ({ range: lines.range(edit.span), newText: edit.newText }));
}

export function toDiagnostic(finding: Finding, context: DiagnosticContext): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const item of finding.related) {
    const target = context.locate(item.file);
    if (target) related.push({ location: { uri: target.uri, range: target.lines.range(item.span) }, message: item.message });
  }
  const data: DiagnosticData = { fixes: finding.fixes.map((fix) => ({ title: fix.title, edits: toTextEdits(fix, context.lines) })) };
  const diagnostic: Diagnostic = {
    range: context.lines.range(finding.span),
    severity: severities[finding.severity],
    code: finding.code,
    source: 'posology',
    message: finding.message,
    data,
  };
  if (context.relatedInformation) {
    if (related.length > 0) diagnostic.relatedInformation = related;
  } else if (finding.related.length > 0) {
    // Clients without related information still see the label line in the message.
    diagnostic.message += finding.related.map((item) => `\n${item.message}`).join('');
  }
  return diagnostic;
}

// ---- feature results ---------------------------------------------------------

export function toHover(result: HoverResult, lines: LineIndex): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: lines.range(result.span) };
}

export function toLocation(uri: string, lines: LineIndex, span: Span): Location {
  return { uri, range: lines.range(span) };
}

const symbolKinds: Record<SymbolEntryKind, SymbolKind> = {
  label: SymbolKind.Namespace,
  fact: SymbolKind.Field,
  indication: SymbolKind.Class,
  labelLine: SymbolKind.Event,
  protocol: SymbolKind.Module,
  setting: SymbolKind.Property,
  rule: SymbolKind.Function,
  test: SymbolKind.Method,
  scenario: SymbolKind.Method,
  step: SymbolKind.Event,
  deviation: SymbolKind.Key,
};

export function toDocumentSymbol(entry: SymbolEntry, lines: LineIndex): DocumentSymbol {
  const range = lines.range(entry.span);
  const selection = lines.range(entry.selectionSpan);
  return {
    name: entry.name || '(unnamed)',
    detail: entry.detail,
    kind: symbolKinds[entry.kind],
    range,
    // The selection must lie inside the range.
    selectionRange: entry.selectionSpan.start >= entry.span.start && entry.selectionSpan.end <= entry.span.end ? selection : range,
    children: entry.children.map((child) => toDocumentSymbol(child, lines)),
  };
}

export function toFoldingRange(fold: FoldingSpan, lines: LineIndex): FoldingRange | undefined {
  const startLine = lines.lineOf(fold.span.start);
  let endLine = lines.lineOf(fold.span.end);
  // A block keeps its closing brace visible; a comment folds to its last line.
  if (fold.kind === 'block') endLine -= 1;
  if (endLine <= startLine) return undefined;
  return { startLine, endLine, kind: fold.kind === 'comment' ? FoldingRangeKind.Comment : fold.kind === 'region' ? FoldingRangeKind.Region : undefined };
}

const completionKinds: Record<CompletionEntryKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  drug: CompletionItemKind.Module,
  indication: CompletionItemKind.Class,
  fact: CompletionItemKind.Field,
  value: CompletionItemKind.EnumMember,
  unit: CompletionItemKind.Unit,
  snippet: CompletionItemKind.Snippet,
  action: CompletionItemKind.Operator,
  quantity: CompletionItemKind.Value,
};

export function toCompletionItem(entry: CompletionEntry, lines: LineIndex): CompletionItem {
  const item: CompletionItem = {
    label: entry.label,
    kind: completionKinds[entry.kind],
    detail: entry.detail,
    sortText: entry.sortText,
    filterText: entry.filterText,
    insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (entry.documentation) item.documentation = { kind: MarkupKind.Markdown, value: entry.documentation };
  const insert = entry.insertText ?? entry.label;
  if (entry.replace) item.textEdit = { range: lines.range(entry.replace), newText: insert };
  else item.insertText = insert;
  return item;
}

// ---- formatting ----------------------------------------------------------------

/** The editor's formatting options as the formatter's: an indent of tabSize spaces (1 to 8), or a tab. */
export function fromFormattingOptions(options: { tabSize: number; insertSpaces: boolean }): FormatOptions {
  return { indent: options.insertSpaces ? ' '.repeat(Math.max(1, Math.min(options.tabSize, 8))) : '\t' };
}

/** A range to format as a span from the start of its first line. */
export function fromFormattingRange(range: Range, lines: LineIndex): Span {
  const span = lines.span(range);
  return { start: lines.lineStart(lines.lineOf(span.start)), end: span.end };
}

export function toEdits(edits: readonly FormatEdit[], lines: LineIndex): TextEdit[] {
  return edits.map((edit) => ({ range: lines.range(edit.span), newText: edit.newText }));
}

// ---- semantic tokens ----------------------------------------------------------------

/** Tokens in the relative encoding; a token that spans lines (a block comment) is sent one line at a time. */
export function toSemanticTokens(tokens: readonly SemanticToken[], lines: LineIndex): SemanticTokens {
  const text = lines.text;
  const builder = new SemanticTokensBuilder();
  for (const token of tokens) {
    const type = TOKEN_TYPES.indexOf(token.type);
    const modifiers = token.modifiers.reduce((bits, modifier) => bits | (1 << TOKEN_MODIFIERS.indexOf(modifier)), 0);
    let start = token.start;
    while (start < token.end) {
      const line = lines.lineOf(start);
      const lineEnd = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
      const end = Math.min(token.end, lineEnd);
      const piece = text.slice(start, end).replace(/\r?\n$/, '');
      if (piece.length > 0) builder.push(line, start - lines.lineStart(line), piece.length, type, modifiers);
      start = end;
    }
  }
  return builder.build();
}

// ---- code actions and lenses ----------------------------------------------------------

/** Whether a code action request's `only` filter lets quick fixes through. */
export function wantsQuickFixes(only: readonly string[] | undefined): boolean {
  return !only || only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty);
}

export interface EditTarget {
  uri: string;
  /** The document's version, for clients that take versioned edits (documentChanges). */
  version: number | undefined;
  versioned: boolean;
}

/** A quick fix, tied to the request's diagnostics that it fixes (same code, same range). */
export function toCodeAction(action: QuickFixAction, lines: LineIndex, target: EditTarget, requestDiagnostics: readonly Diagnostic[]): CodeAction {
  const edits = toEdits(action.edits, lines);
  const range = lines.range(action.finding.span);
  return {
    title: action.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: requestDiagnostics.filter((item) => item.code === action.finding.code && sameRange(item.range, range)),
    isPreferred: action.preferred,
    edit: target.versioned && target.version !== undefined
      ? { documentChanges: [{ textDocument: { uri: target.uri, version: target.version }, edits }] }
      : { changes: { [target.uri]: edits } },
  };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function toCodeLens(lens: LensEntry, lines: LineIndex, uri: string): CodeLens {
  return {
    range: lines.range(lens.span),
    command: lens.run
      ? { title: lens.title, command: RUN_TESTS_COMMAND, arguments: [{ uri, ...lens.run } satisfies RunTestsParams] }
      : { title: lens.title, command: '' },
  };
}

// ---- custom requests ------------------------------------------------------------------

/** Which tests `posology/runTests` asks for; fields of the wrong type are ignored. */
export function fromRunTestsParams(params: RunTestsParams): TestFilter {
  return {
    protocolIndex: typeof params.protocolIndex === 'number' ? params.protocolIndex : undefined,
    testTitle: typeof params.testTitle === 'string' ? params.testTitle : undefined,
    scenarioTitle: typeof params.scenarioTitle === 'string' ? params.scenarioTitle : undefined,
  };
}

export function toRunTestsResult(results: readonly ProtocolTests[], lines: LineIndex, uri: string, version: number | undefined): RunTestsResult {
  const wire = (test: TestOutcome): TestResultWire => ({
    title: test.title,
    range: lines.range(test.span),
    expectRange: lines.range(test.expectSpan),
    passed: test.passed,
    expected: test.expected,
    actual: test.actual,
    decidedBy: test.decidedBy,
    message: test.message,
  });
  const protocols = results.map((protocol): ProtocolTestsWire => ({
    index: protocol.index,
    title: protocol.title,
    range: lines.range(protocol.span),
    error: protocol.error,
    tests: protocol.tests.map(wire),
    scenarios: protocol.scenarios.map((scenario): ScenarioResultWire => ({
      title: scenario.title,
      range: lines.range(scenario.span),
      steps: scenario.steps.map((step) => ({ ...wire(step), step: step.step })),
      passed: scenario.passed,
      failedStep: scenario.failed ? scenario.steps.indexOf(scenario.failed) : undefined,
      message: scenario.message,
    })),
  }));
  return { uri, version: version ?? null, protocols };
}

/** A protocol verification did not run on: nothing explored, and why. */
export function toUnverifiedWire(protocol: UnverifiedProtocol): ProtocolVerificationWire {
  return { title: protocol.title, statesExplored: 0, statesTotal: 0, counterexamples: 0, status: protocol.status, reason: protocol.reason };
}
