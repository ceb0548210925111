// Translation between the core's plain data (offsets, findings, spans) and LSP
// types (positions, ranges, diagnostics, URIs). Nothing here decides anything:
// every feature returns offsets and this file turns them into protocol shapes.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompletionItemKind,
  DiagnosticSeverity,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { Finding, QuickFix } from '../../diagnostics/finding.js';
import type { Severity } from '../../diagnostics/messages.js';
import type { Span } from '../../syntax/ast.js';
import { LineIndex, lineIndexFor } from '../../syntax/line-index.js';
import type { CompletionEntry, CompletionEntryKind } from '../features/completion.js';
import type { FoldingSpan } from '../features/folding.js';
import type { HoverResult } from '../features/hover.js';
import type { SymbolEntry, SymbolEntryKind } from '../features/symbols.js';

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
