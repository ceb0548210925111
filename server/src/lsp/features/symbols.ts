// Document symbols (the outline): labels with their facts and indications (and
// each indication's dose and constraints), protocols with their settings,
// rules, tests, scenarios (with their steps) and deviations. Needs only the
// syntax tree.
import type * as ast from '../../syntax/ast.js';
import { counted } from '../../diagnostics/ui.js';

export type SymbolEntryKind = 'label' | 'fact' | 'indication' | 'labelLine' | 'protocol' | 'setting' | 'rule' | 'test' | 'scenario' | 'step' | 'deviation';

export interface SymbolEntry {
  name: string;
  detail?: string;
  kind: SymbolEntryKind;
  span: ast.Span;
  selectionSpan: ast.Span;
  children: SymbolEntry[];
}

function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function documentSymbols(file: ast.DoseFile, text: string): SymbolEntry[] {
  const slice = (span: ast.Span) => oneLine(text.slice(span.start, span.end));
  return file.blocks.map((block) => (block.kind === 'label' ? labelSymbol(block, slice) : protocolSymbol(block, slice)));
}

function entry(name: string, kind: SymbolEntryKind, span: ast.Span, selection: ast.Span | undefined, detail?: string, children: SymbolEntry[] = []): SymbolEntry {
  return { name, kind, span, selectionSpan: selection ?? span, detail, children };
}

function labelSymbol(label: ast.LabelBlock, slice: (span: ast.Span) => string): SymbolEntry {
  const facts = label.facts.map((fact) => entry(fact.name?.text ?? '', 'fact', fact.span, fact.name?.span, fact.type ? slice(fact.type.span) : undefined));
  const indications = label.indications.map((indication) => {
    const lines = [...indication.doses, ...indication.requires, ...indication.constraints]
      .sort((a, b) => a.span.start - b.span.start)
      .map((line) => entry(slice(line.span), 'labelLine', line.span, undefined, line.source?.text?.value));
    return entry(indication.name?.text ?? '', 'indication', indication.span, indication.name?.span, indication.title?.value, lines);
  });
  return entry(label.name?.text ?? '', 'label', label.span, label.name?.span, label.title?.value, [...facts, ...indications]);
}

function protocolSymbol(protocol: ast.ProtocolBlock, slice: (span: ast.Span) => string): SymbolEntry {
  const children: SymbolEntry[] = [];
  if (protocol.drug) children.push(entry(`drug ${protocol.drug.text}`, 'setting', protocol.drug.span, protocol.drug.span));
  if (protocol.indication) children.push(entry(`indication ${protocol.indication.text}`, 'setting', protocol.indication.span, protocol.indication.span));
  if (protocol.start) children.push(entry('start', 'setting', protocol.start.span, undefined, slice(protocol.start.span).replace(/^start\s*/, '')));
  for (const combination of protocol.combinations) children.push(entry(`with ${combination.drug?.text ?? ''}`, 'setting', combination.span, combination.drug?.span, slice(combination.span).replace(/^with\s*/, '')));
  for (const rule of protocol.rules) {
    const detail = rule.action ? slice(rule.action.span) : undefined;
    children.push(entry(rule.name?.text ?? '', 'rule', rule.span, rule.name?.span, detail));
  }
  for (const test of protocol.tests) children.push(entry(test.title?.value ?? '', 'test', test.span, test.title?.span, test.expectSpan ? slice(test.expectSpan) : undefined));
  for (const scenario of protocol.scenarios) {
    const steps = scenario.steps.map((step) => {
      const day = step.at ? (step.at.kind === 'day' ? `day ${step.at.day}` : `cycle ${step.at.cycle} day ${step.at.day}`) : '(step)';
      return entry(day, 'step', step.span, step.at?.span, step.expectSpan ? slice(step.expectSpan) : undefined);
    });
    children.push(entry(scenario.title?.value ?? '', 'scenario', scenario.span, scenario.title?.span, counted(steps.length, 'step'), steps));
  }
  for (const deviation of protocol.deviations) children.push(entry(`deviation ${deviation.topic?.text ?? ''}`, 'deviation', deviation.span, deviation.topic?.span, deviation.reason?.value));
  children.sort((a, b) => a.span.start - b.span.start);
  const header = { start: protocol.span.start, end: protocol.title?.span.end ?? protocol.span.start + 'protocol'.length };
  return entry(protocol.title?.value ?? '(untitled protocol)', 'protocol', protocol.span, header, undefined, children);
}
