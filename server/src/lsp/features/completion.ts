// Completion: what may come next at the cursor, from the tokens before it and
// the labels the file sees. Keywords by position (a protocol item, a label item,
// an indication line, a test clause), drugs and indications from the labels,
// the label's facts with their types, enum values after `=` and `in (`, units
// of the right dimension after a number, the label's thresholds after a
// comparison, actions after `then`, and snippets written from the label (a
// protocol skeleton, a missing rule).
import type { ProtocolBlock, Span } from '../../syntax/ast.js';
import { factsOf } from '../../semantics/conditions.js';
import { labelText } from '../../print/label-lines.js';
import { actionFor } from '../../print/rules.js';
import type { FactInfo, IndicationInfo, ResolvedLabel } from '../../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY } from '../../semantics/model.js';
import { DEVIABLE_TOPICS } from '../../diagnostics/messages.js';
import { Messages } from '../../diagnostics/messages.js';
import { parseUnit, sameDimension, type Unit } from '../../units/index.js';
import { labelNamed } from './lookup.js';
import { codeBlock, codeSpan, escapeMarkdown } from './markdown.js';
import { protocolSkeleton } from './skeleton.js';
import { braceKind, startsItem, type BlockKind } from './blocks.js';
import { isKeyword, lexed, tokenBefore, type Token } from './tokens.js';
import { keywordsAfter } from '../../syntax/expected.js';
import { isComparison, SyntaxKind } from '../../syntax/syntax-kind.js';
import type { AnalysedDocument } from './document.js';

export type CompletionEntryKind = 'keyword' | 'drug' | 'indication' | 'fact' | 'value' | 'unit' | 'snippet' | 'action' | 'quantity';

export interface CompletionEntry {
  label: string;
  kind: CompletionEntryKind;
  detail?: string;
  documentation?: string;
  insertText?: string;
  snippet?: boolean;
  sortText?: string;
  filterText?: string;
  /** The text the entry replaces (the word being typed); the client's word otherwise. */
  replace?: Span;
}

export interface CompletionConfig {
  /** Whether the client accepts snippets (`${1:...}` placeholders). */
  snippets: boolean;
}

interface Presentation {
  label: string;
  insert: string;
  detail: string;
}

/**
 * How a keyword that starts an item is offered (its snippet and detail), by
 * keyword, wherever the grammar accepts it; `IN_PROTOCOL` where a protocol's
 * item of the same keyword differs from a label's. Which keywords are offered,
 * and where, is the grammar's answer (`itemStarts`), so a keyword the grammar
 * adds is offered with no change here.
 */
const PRESENTATIONS: Record<string, Presentation> = {
  protocol: { label: 'protocol', insert: 'protocol "${1:title}" {\n  $0\n}', detail: 'a protocol: rules checked against a label' },
  label: { label: 'label', insert: 'label ${1:drug} "${2:title}" {\n  $0\n}', detail: 'a label: the specification' },
  fact: { label: 'fact', insert: 'fact ${1:name} "${2:title}": ${3|boolean,quantity,one of|}', detail: 'a patient fact the label reads' },
  indication: { label: 'indication', insert: 'indication ${1:name} "${2:title}" {\n  $0\n}', detail: 'an indication with its dose and constraints' },
  alias: { label: 'alias', insert: 'alias "${1:name}"', detail: 'other names of the drug' },
  document: { label: 'document', insert: 'document "${1:file}" "${2:title}"', detail: 'the title messages give a source file' },
  note: { label: 'note', insert: 'note "$1"', detail: 'a note for the reviewer' },
  source: { label: 'source', insert: 'source "${1:file}: ${2:section}"', detail: 'where the line before comes from' },
  dose: { label: 'dose', insert: 'dose ${1:4} ${2:mg} ${3:oral once daily}', detail: 'the label dose' },
  requires: { label: 'requires', insert: 'requires ${1:drug}', detail: 'a required combination drug' },
  hold: { label: 'hold when', insert: 'hold when $1', detail: 'interrupt treatment when ...' },
  discontinue: { label: 'discontinue when', insert: 'discontinue when $1', detail: 'stop treatment for good when ...' },
  at: { label: 'at most', insert: 'at most ${1:3} ${2:mg} when $3', detail: 'a dose cap when ...' },
  take: { label: 'take after', insert: 'take after ${1:dialysis} when $2', detail: 'a timing the label prescribes' },
  lowest: { label: 'lowest dose', insert: 'lowest dose ${1:1} ${2:mg}', detail: 'below it: discontinue' },
  before: { label: 'before each cycle require', insert: 'before each cycle require $1', detail: 'a cycle starts only when ...' },
  drug: { label: 'drug', insert: 'drug ', detail: 'the drug (a label name)' },
  start: { label: 'start', insert: 'start ', detail: 'the start dose and schedule' },
  levels: { label: 'levels', insert: 'levels ${1:4 mg, 3 mg, 2 mg, 1 mg}', detail: 'the dose levels, highest first' },
  with: { label: 'with', insert: 'with ', detail: 'a combination drug' },
  rule: { label: 'rule', insert: 'rule ${1:name}: when $2 then ${3|hold,discontinue,no dose,dose|}', detail: 'when <condition> then <action>' },
  test: { label: 'test', insert: 'test "${1:title}" { given $2 expect ${3|hold,discontinue,no dose,dose|} }', detail: 'a patient state and the decision it must get' },
  scenario: { label: 'scenario', insert: 'scenario "${1:title}" {\n  cycle 1 day 1: expect $0\n}', detail: 'a course, step by step' },
  deviation: { label: 'deviation', insert: 'deviation ${1|' + DEVIABLE_TOPICS.join(',') + '|} "${2:reason}"', detail: 'a documented deviation from the label' },
  given: { label: 'given', insert: 'given ', detail: 'the patient state' },
  expect: { label: 'expect', insert: 'expect ', detail: 'the decision the protocol must reach' },
  cycle: { label: 'cycle', insert: 'cycle ${1:1} day ${2:1}: $3expect $0', detail: 'a step on a planned day of a cycle' },
  day: { label: 'day', insert: 'day ${1:1}: $2expect $0', detail: 'a step on a day of treatment' },
};

const IN_PROTOCOL: Record<string, Presentation> = {
  fact: { label: 'fact', insert: 'fact ${1:name} "${2:title}": ${3|boolean,quantity,one of|}', detail: "a fact of the protocol's own" },
  indication: { label: 'indication', insert: 'indication ', detail: "an indication on the drug's label" },
};

/** How some keywords are offered when the grammar accepts them inside an item, in this order; others plainly, after these. */
const CONTINUATIONS: { word: string; label?: string; insert?: string; detail?: string; sort?: string }[] = [
  { word: 'then', insert: 'then ', sort: '0' },
  { word: 'and', insert: 'and ' },
  { word: 'or', insert: 'or ' },
  { word: 'when', insert: 'when ' },
  { word: 'expect', insert: 'expect ' },
  { word: 'boolean', detail: 'yes/no' },
  { word: 'quantity', detail: 'a number with a unit', insert: 'quantity ' },
  { word: 'one', label: 'one of', detail: 'a choice of values', insert: 'one of ' },
];

/**
 * How an action is presented, by the keyword that starts it (`no` starts `no dose`), in this
 * order. Which actions are offered is the grammar's (`keywordsAfter`); these are shown for all
 * of them when what is written so far is not a start the grammar knows (a half-written condition).
 */
const ACTIONS: { word: string; entry: CompletionEntry }[] = [
  { word: 'hold', entry: { label: 'hold', kind: 'action', detail: 'interrupt treatment' } },
  { word: 'discontinue', entry: { label: 'discontinue', kind: 'action', detail: 'stop treatment for good' } },
  { word: 'no', entry: { label: 'no dose', kind: 'action', detail: 'no dose today' } },
  { word: 'dose', entry: { label: 'dose', kind: 'action', detail: 'dose <amount> [after <event>]' } },
];

/** Common clinical units; only those of the right dimension are offered. */
export const COMMON_UNITS = [
  'mg', 'g', 'ug', 'ng', 'mg/m2', 'mg/kg', 'ug/kg', '/uL', '10*9/L', '10*3/uL', '/mm3', 'cells/uL', '/L',
  'g/dL', 'g/L', 'mg/dL', 'mg/L', 'umol/L', 'mmol/L', 'mL/min', 'mL/min/1.73m2', '%', 'U/L', '[IU]',
  'd', 'wk', 'mo', 'a', 'h', 'min', 'kg', 'cm', 'm2', 'mm[Hg]', 'Cel', '/min',
];

interface Context {
  doc: AnalysedDocument;
  config: CompletionConfig;
  tokens: Token[];
  /** Index of the last token before the word being typed. */
  prev: number;
  block: BlockKind;
  /** Index of the first token of the current item in its block. */
  itemStart: number;
  replace?: Span;
  atLineStart: boolean;
  label?: ResolvedLabel;
  indication?: IndicationInfo;
  /** In a protocol that resolves: the label's facts and the protocol's own. */
  facts?: ReadonlyMap<string, FactInfo>;
  /** The protocol around the cursor, when there is one. */
  protocol?: ProtocolBlock;
}

export function completion(doc: AnalysedDocument, offset: number, config: CompletionConfig = { snippets: true }): CompletionEntry[] {
  const tokens = lexed(doc.parsed).tokens;
  let index = tokenBefore(tokens, offset);
  const current = tokens[index];
  let replace: Span | undefined;
  if (current && offset <= current.end) {
    if (current.kind === 'comment' || current.kind === 'string') return [];
    if (current.kind === 'name' || current.kind === 'keyword' || current.kind === 'unit' || current.kind === 'number') {
      replace = { start: current.start, end: current.end };
      index -= 1;
    }
  }
  while (index >= 0 && tokens[index].kind === 'comment') index--;
  const lineStart = doc.text.lastIndexOf('\n', (replace?.start ?? offset) - 1) + 1;
  const atLineStart = doc.text.slice(lineStart, replace?.start ?? offset).trim() === '';
  const { block, itemStart, protocolStart } = blockContext(tokens, index);
  const context: Context = { doc, config, tokens, prev: index, block, itemStart, replace, atLineStart };
  resolveLabelContext(context, protocolStart);
  const entries = dispatch(context);
  return entries.map((entry) => (replace && !entry.replace ? { ...entry, replace } : entry));
}

// ---- where are we -----------------------------------------------------------------

function blockContext(tokens: Token[], last: number): { block: BlockKind; itemStart: number; protocolStart: number } {
  const stack: { kind: BlockKind; open: number }[] = [];
  let protocolStart = -1;
  for (let i = 0; i <= last; i++) {
    const token = tokens[i];
    if (token.type === 'LBrace') {
      stack.push({ kind: braceKind(tokens, i, stack[stack.length - 1]?.kind ?? 'top'), open: i });
    } else if (token.type === 'RBrace') {
      stack.pop();
    } else if ((isKeyword(token, 'protocol') || isKeyword(token, 'label')) && stack.length > 0) {
      // A new top-level block while braces are unbalanced: the old one is over.
      stack.length = 0;
    }
    if (isKeyword(token, 'protocol') && stack.length === 0) protocolStart = i;
    if (isKeyword(token, 'label') && stack.length === 0) protocolStart = -1;
  }
  const top = stack[stack.length - 1];
  const block = top?.kind ?? 'top';
  const floor = top?.open ?? -1;
  let itemStart = last + 1;
  for (let i = last; i > floor; i--) {
    const token = tokens[i];
    if (token.type === 'RBrace' || token.type === 'LBrace') break;
    if (startsItem(tokens, i, block)) {
      itemStart = i;
      break;
    }
  }
  return { block, itemStart, protocolStart };
}

function resolveLabelContext(context: Context, protocolStart: number): void {
  const { doc, tokens } = context;
  if (context.block === 'protocol' || context.block === 'test' || context.block === 'scenario') {
    const block = doc.parsed.parse.file.blocks.find((item) => item.kind === 'protocol' && tokens[protocolStart] && item.span.start === tokens[protocolStart].start);
    if (block?.kind === 'protocol') {
      context.protocol = block;
      const resolved = doc.analysis.protocols.find((protocol) => protocol.node === block);
      context.label = resolved?.label ?? labelNamed(doc, block.drug?.text);
      context.facts = resolved?.facts;
      context.indication = resolved?.indication ?? (block.indication ? context.label?.indications.get(block.indication.text) : undefined);
    }
  } else if (context.block === 'label' || context.block === 'indication') {
    const offset = tokens[context.prev]?.start ?? 0;
    const block = doc.parsed.parse.file.blocks.find((item) => item.kind === 'label' && item.span.start <= offset && offset <= item.span.end);
    if (block) context.label = doc.labels.index.labels().find((label) => label.node === block);
    if (context.block === 'indication' && block?.kind === 'label') {
      const decl = block.indications.find((item) => item.span.start <= offset && offset <= item.span.end);
      if (decl?.name) context.indication = context.label?.indications.get(decl.name.text);
    }
  }
}

// ---- what comes next ----------------------------------------------------------------

function dispatch(context: Context): CompletionEntry[] {
  const { tokens, prev } = context;
  const before = tokens[prev];
  const item = tokens.slice(context.itemStart, prev + 1);
  if (!before || before.type === 'LBrace' || before.type === 'RBrace') return itemStarts(context);

  const specific = afterToken(context, before, item);
  if (specific) return context.atLineStart && continuable(before) ? [...specific, ...itemStarts(context)] : specific;
  if (context.atLineStart) return itemStarts(context);
  if (context.block === 'scenario' && observing(item)) return [{ label: 'expect', kind: 'keyword', insertText: 'expect ' }];
  return continuation(item, context.block);
}

/** In a scenario step, after its colon and before its `expect`: where observations are written. */
function observing(item: Token[]): boolean {
  return item.some((token) => token.type === 'Colon') && !item.some((token) => isKeyword(token, 'expect'));
}

/** Tokens after which the item may be complete, so a new line may start a new item. */
function continuable(token: Token): boolean {
  return token.kind === 'unit' || token.kind === 'name' || token.kind === 'string' || token.kind === 'number' || token.type === 'RParen' ||
    ['hold', 'discontinue', 'dose', 'true', 'false', 'daily', 'weekly'].includes(token.image);
}

function afterToken(context: Context, before: Token, item: Token[]): CompletionEntry[] | undefined {
  const { tokens, prev, block } = context;
  const first = item[0];
  const word = before.kind === 'keyword' ? before.image : undefined;
  if (block === 'protocol' && item.length === 1) {
    if (word === 'drug') return drugs(context);
    if (word === 'indication') return indications(context);
    if (word === 'with') return combinations(context);
    if (word === 'deviation') return DEVIABLE_TOPICS.map((topic) => ({ label: topic, kind: 'keyword', detail: `deviation ${topic} "<reason>"` }));
    if (word === 'start') return startDose(context);
  }
  if (word === 'then' || word === 'expect') return actions(context, item);
  if (word === 'no' || word === 'at' || word === 'one') return continuation(item, block);
  if (word === 'after') return timings(context);
  if (word === 'previous') return [{ label: '-', kind: 'keyword' }];
  if (before.type === 'Colon') {
    if (block === 'scenario') return [...facts(context, 'observation'), { label: 'expect', kind: 'keyword', insertText: 'expect ', sortText: 'z' }];
    if (isKeyword(first, 'rule') || isKeyword(first, 'fact')) return continuation(item, block);
  }
  if (word === 'quantity') return units(undefined);
  if (before.kind === 'number') return unitsAfterNumber(context, prev);
  if (isComparison(SyntaxKind[before.type as keyof typeof SyntaxKind])) return valuesAfterOperator(context, prev);
  if (before.type === 'LParen' && isKeyword(tokens[prev - 1], 'in')) return enumValues(context, tokens[prev - 2]);
  if (before.type === 'Comma') {
    const open = openParen(tokens, prev);
    if (open >= 0 && isKeyword(tokens[open - 1], 'in')) return enumValues(context, tokens[open - 2]);
    if ((block === 'scenario' || block === 'test') && item.some((token) => isKeyword(token, 'expect'))) return companions(context);
    if (block === 'scenario') return facts(context, 'observation');
    if (block === 'test' || isKeyword(first, 'given')) return facts(context, 'given');
    return undefined;
  }
  if (word === 'given') return facts(context, 'given');
  if (word === 'when' || word === 'and' || word === 'or' || word === 'not' || before.type === 'LParen') {
    return [...facts(context, 'condition'), { label: 'not', kind: 'keyword', insertText: 'not ', sortText: 'z' }];
  }
  if (word === 'in') return [{ label: '(', kind: 'keyword', insertText: '(' }];
  if ((isKeyword(first, 'start') || isKeyword(first, 'dose')) && (before.kind === 'unit' || before.kind === 'name' || before.kind === 'keyword')) {
    return schedule(context, item);
  }
  return undefined;
}

function openParen(tokens: Token[], from: number): number {
  let depth = 0;
  for (let i = from; i >= 0; i--) {
    const type = tokens[i].type;
    if (type === 'RParen') depth++;
    else if (type === 'LParen') {
      if (depth === 0) return i;
      depth--;
    } else if (type === 'LBrace' || type === 'RBrace') return -1;
  }
  return -1;
}

// ---- entries -------------------------------------------------------------------------

function keywordEntry(label: string, insert: string, detail: string, config: CompletionConfig): CompletionEntry {
  const plain = insert.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d/g, '');
  return config.snippets && insert.includes('$')
    ? { label, kind: 'keyword', detail, insertText: insert, snippet: true, sortText: `1${label}` }
    : { label, kind: 'keyword', detail, insertText: plain, sortText: `1${label}` };
}

/** The keywords the grammar accepts at the start of an item here, in its order, as PRESENTATIONS offers them. */
function itemStarts(context: Context): CompletionEntry[] {
  const entries = keywordsAfter(context.block, []).map((word) => {
    const shown = (context.block === 'protocol' ? IN_PROTOCOL[word] : undefined) ?? PRESENTATIONS[word];
    return shown ? keywordEntry(shown.label, shown.insert, shown.detail, context.config) : keywordEntry(word, `${word} `, '', context.config);
  });
  if (context.block === 'top' && context.config.snippets) entries.push(...skeletons(context));
  if (context.block === 'protocol') entries.push(...missingRules(context));
  return entries;
}

function skeletons(context: Context): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  for (const label of context.doc.labels.index.labels()) {
    if (label.errorCount > 0) continue;
    for (const indication of label.indications.values()) {
      const skeleton = protocolSkeleton(context.doc, label, indication);
      entries.push({
        label: `protocol for ${label.name} — ${indication.name}`,
        kind: 'snippet',
        detail: 'a protocol skeleton written from the label',
        documentation: codeBlock(skeleton.text, 'dose'),
        insertText: skeleton.snippet,
        snippet: true,
        filterText: `protocol ${label.name} ${indication.name}`,
        sortText: `0${label.name}${indication.name}`,
      });
    }
  }
  return entries;
}

/** The checker's "add the missing rule" fixes, offered where a rule may go. */
function missingRules(context: Context): CompletionEntry[] {
  const codes: string[] = [Messages.ConstraintNotCovered.code, Messages.TimingNotCovered.code];
  return context.doc.analysis.findings
    .filter((finding) => codes.includes(finding.code) && finding.fixes.length > 0)
    .map((finding, i) => {
      const text = finding.fixes[0].edits[0]?.newText.trim() ?? '';
      return { label: text, kind: 'snippet' as const, detail: 'a rule for a label constraint no rule covers', documentation: finding.related[0] && escapeMarkdown(finding.related[0].message), insertText: text, sortText: `0${String(i).padStart(3, '0')}`, filterText: `rule ${text}` };
    });
}

function drugs(context: Context): CompletionEntry[] {
  return context.doc.labels.index.labels().map((label) => ({
    label: label.name,
    kind: 'drug',
    detail: label.title,
    documentation: label.aliases.length > 0 ? `Also known as: ${escapeMarkdown(label.aliases.join(', '))}` : undefined,
  }));
}

function indications(context: Context): CompletionEntry[] {
  const labels = context.label ? [context.label] : context.doc.labels.index.labels();
  return labels.flatMap((label) =>
    [...label.indications.values()].map((indication) => ({
      label: indication.name,
      kind: 'indication' as const,
      detail: context.label ? indication.title : `${label.name}: ${indication.title}`,
      documentation: indication.dose ? `Label dose: ${codeSpan(labelText(label, indication.dose.node.span))}` : undefined,
    })),
  );
}

function combinations(context: Context): CompletionEntry[] {
  const { indication, label } = context;
  if (!indication || !label) return [];
  const seen = new Set<string>();
  return indication.requires
    .filter((requirement) => !seen.has(requirement.drug) && seen.add(requirement.drug))
    .map((requirement) => ({
      label: requirement.drug,
      kind: 'drug' as const,
      detail: labelText(label, requirement.node.span),
      insertText: requirement.amount ? `${requirement.drug} ${requirement.amount.text}` : requirement.drug,
    }));
}

/** After `expect ACTION,`: what a companion drug gets (`dexamethasone 40 mg`, `no dexamethasone`), from the protocol's `with` lines. */
function companions(context: Context): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const line of context.protocol?.combinations ?? []) {
    const drug = line.drug?.text;
    if (!drug) continue;
    const amount = line.amount ? `${line.amount.valueText} ${line.amount.unit?.text ?? ''}`.trim() : '';
    const key = `${drug} ${amount}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ label: amount ? `${drug} ${amount}` : drug, kind: 'drug', detail: `what ${drug} gets that day (a with line)` });
  }
  for (const drug of new Set(entries.map((entry) => entry.label.split(' ')[0]))) {
    entries.push({ label: `no ${drug}`, kind: 'drug', detail: `${drug} is not given that day`, sortText: `z${drug}` });
  }
  return entries;
}

function startDose(context: Context): CompletionEntry[] {
  const { indication, label } = context;
  if (!indication?.dose || !label) return [];
  const text = labelText(label, indication.dose.node.span).replace(/^dose\s+/, '');
  return [{ label: text, kind: 'quantity', detail: `the label dose for ${indication.name}`, sortText: '0' }];
}

function schedule(context: Context, item: Token[]): CompletionEntry[] {
  const words = new Set(item.map((token) => token.image));
  const entries: CompletionEntry[] = [];
  const labelDose = context.indication?.dose;
  if (labelDose && context.label && isKeyword(item[0], 'start') && item.length <= 3) {
    const full = labelText(context.label, labelDose.node.span).replace(/^dose\s+\S+\s+\S+\s*/, '');
    if (full) entries.push({ label: full, kind: 'quantity', detail: "the label's schedule", sortText: '0' });
  }
  if (!words.has('once') && !words.has('twice')) entries.push({ label: 'once daily', kind: 'keyword' }, { label: 'twice daily', kind: 'keyword' }, { label: 'once weekly', kind: 'keyword' });
  if (!words.has('days') && !words.has('day')) entries.push({ label: 'days', kind: 'keyword', insertText: 'days ' });
  if (!words.has('cycle')) entries.push({ label: 'cycle', kind: 'keyword', insertText: 'cycle ' });
  return entries;
}

export function factDetail(fact: FactInfo): string {
  switch (fact.kind) {
    case 'boolean':
      return 'boolean';
    case 'enum':
      return `one of ${fact.values?.join(', ')}`;
    case 'quantity':
      return `quantity ${fact.unit?.written ?? ''}`.trim();
  }
}

/** Facts for a condition, a test's `given`, or a scenario step's observations (where the step names the day). */
function facts(context: Context, where: 'condition' | 'given' | 'observation'): CompletionEntry[] {
  const { label, indication } = context;
  if (!label) return [];
  const entries: CompletionEntry[] = [];
  const mentioned = new Set(indication?.constraints.flatMap((constraint) => factsOf(constraint.condition)) ?? []);
  for (const fact of (context.facts ?? label.facts).values()) {
    if (where === 'observation' && fact.name === BUILTIN_CYCLE) continue;
    if (fact.name === BUILTIN_DAY) continue;
    const about = indication?.constraints.filter((constraint) => factsOf(constraint.condition).includes(fact.name)) ?? [];
    entries.push({
      label: fact.name,
      kind: 'fact',
      detail: `${factDetail(fact)} — ${fact.title}`,
      documentation: about.length > 0 ? about.map((constraint) => `- ${codeSpan(labelText(label, constraint.node.span))}`).join('\n') : undefined,
      sortText: `${mentioned.has(fact.name) ? '0' : '1'}${fact.name}`,
    });
  }
  if (where === 'observation') entries.push({ label: 'not', kind: 'keyword', insertText: 'not ', sortText: 'z' });
  if (where === 'given') {
    entries.push(context.config.snippets
      ? { label: 'day', kind: 'keyword', detail: 'day of the cycle', insertText: 'day ${1:1}', snippet: true }
      : { label: 'day', kind: 'keyword', detail: 'day of the cycle', insertText: 'day ' });
    entries.push({ label: 'not', kind: 'keyword', insertText: 'not ', sortText: 'z' });
  }
  return entries;
}

function factNamed(context: Context, token: Token | undefined): FactInfo | undefined {
  if (!token || token.kind !== 'name') return undefined;
  return context.label?.facts.get(token.image);
}

function enumValues(context: Context, factToken: Token | undefined): CompletionEntry[] {
  const fact = factNamed(context, factToken);
  if (!fact || fact.kind !== 'enum') return [];
  return (fact.values ?? []).map((value) => ({ label: value, kind: 'value', detail: `${fact.name}: ${fact.title}` }));
}

function valuesAfterOperator(context: Context, operator: number): CompletionEntry[] {
  const fact = factNamed(context, context.tokens[operator - 1]);
  if (!fact) return [];
  if (fact.kind === 'enum') return enumValues(context, context.tokens[operator - 1]);
  if (fact.kind === 'boolean') return [{ label: 'true', kind: 'value' }, { label: 'false', kind: 'value' }];
  // A quantity: the thresholds the label uses for this fact, then the fact's unit.
  const entries: CompletionEntry[] = [];
  const seen = new Set<string>();
  const label = context.label;
  for (const constraint of context.indication?.constraints ?? []) {
    for (const atom of atoms(constraint.condition)) {
      if (atom.kind !== 'compare' || atom.fact !== fact.name || !label) continue;
      const text = labelText(label, atom.valueSpan);
      if (seen.has(text)) continue;
      seen.add(text);
      entries.push({ label: text, kind: 'quantity', detail: `label: ${labelText(label, constraint.node.span)}`, sortText: `0${text}` });
    }
  }
  if (fact.unit && fact.name !== BUILTIN_DAY) {
    const unit = fact.unit.written.trim();
    entries.push(context.config.snippets
      ? { label: `<number> ${unit}`, kind: 'quantity', detail: `${fact.name} is measured in ${unit}`, insertText: `\${1:0} ${unit}`, snippet: true, filterText: unit, sortText: '1' }
      : { label: unit, kind: 'unit', detail: `${fact.name} is measured in ${unit}`, sortText: '1' });
  }
  return entries;
}

function atoms(condition: import('../../semantics/model.js').Condition): import('../../semantics/model.js').Condition[] {
  if (condition.kind === 'and' || condition.kind === 'or') return condition.operands.flatMap(atoms);
  if (condition.kind === 'not') return atoms(condition.operand);
  return [condition];
}

function unitsAfterNumber(context: Context, number: number): CompletionEntry[] {
  const { tokens } = context;
  const before = tokens[number - 1];
  if (!before) return [];
  if (before.kind === 'operator' && before.image !== '-') {
    const fact = factNamed(context, tokens[number - 2]);
    if (!fact?.unit || fact.name === BUILTIN_DAY) return [];
    return units(fact.unit);
  }
  if (isKeyword(before, 'cycle')) return units(parsed('d'));
  if (isKeyword(before, 'day') || isKeyword(before, 'days') || before.type === 'Comma' || (before.image === '-' && !isKeyword(tokens[number - 2], 'previous'))) return [];
  if (isKeyword(before, 'normal')) {
    const unitToken = tokens[number - 2];
    return units(unitToken?.kind === 'unit' ? parsed(unitToken.image) : undefined);
  }
  const doseUnit = context.label?.doseUnit ?? parsed('mg');
  if (isKeyword(before, 'start') || isKeyword(before, 'dose') || isKeyword(before, 'most') || before.image === '-') return units(doseUnit);
  if (before.kind === 'name' && (isKeyword(tokens[number - 2], 'with') || isKeyword(tokens[number - 2], 'requires'))) return units(doseUnit);
  return units(undefined);
}

function parsed(written: string): Unit | undefined {
  const result = parseUnit(written);
  return result.ok ? result.unit : undefined;
}

function units(target: Unit | undefined): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const seen = new Set<string>();
  const candidates = target ? [target.written.trim(), ...COMMON_UNITS] : COMMON_UNITS;
  for (const written of candidates) {
    if (seen.has(written)) continue;
    seen.add(written);
    const unit = parsed(written);
    if (!unit || (target && !sameDimension(unit, target))) continue;
    const preferred = target !== undefined && written === target.written.trim();
    entries.push({ label: written, kind: 'unit', detail: unit.name + (preferred ? ' (the unit it is measured in)' : ''), sortText: `${preferred ? '0' : '1'}${written}`, filterText: written });
  }
  return entries;
}

function timings(context: Context): CompletionEntry[] {
  const events = new Set<string>();
  for (const constraint of context.indication?.constraints ?? []) {
    if (constraint.kind === 'take') events.add(constraint.timing.replace(/^after\s+/, ''));
  }
  if (events.size === 0) events.add('dialysis');
  return [...events].map((event) => ({ label: event, kind: 'keyword', detail: `the label prescribes: after ${event}` }));
}

function actions(context: Context, item: Token[]): CompletionEntry[] {
  const allowed = new Set(keywordsAfter(context.block, item.filter((token) => token.kind !== 'comment')));
  const offered = allowed.size === 0 ? ACTIONS : ACTIONS.filter((action) => allowed.has(action.word));
  const shown = new Set(offered.map((action) => action.word));
  const others = [...allowed].filter((word) => !shown.has(word)).map((word): CompletionEntry => ({ label: word, kind: 'action' }));
  const entries: CompletionEntry[] = [...offered.map((action) => action.entry), ...others].map((action) =>
    action.label === 'dose' && context.config.snippets ? { ...action, insertText: `dose \${1:${context.indication?.dose?.amount ?? 1}} ${context.label?.doseUnit?.written.trim() ?? 'mg'}`, snippet: true } : action,
  );
  // In a rule, the action the label gives for the rule's facts comes first.
  const { label, indication } = context;
  if (!label || !indication || !isKeyword(item[0], 'rule')) return entries;
  const named = new Set(item.filter((token) => token.kind === 'name').map((token) => token.image));
  const suggested = new Set<string>();
  for (const constraint of indication.constraints) {
    if (!factsOf(constraint.condition).some((fact) => named.has(fact))) continue;
    // A cap's dose (with the label's timing for the same condition) is written as the quick fix writes it.
    const action = constraint.kind === 'cap' ? actionFor(label, indication, constraint) : constraint.kind === 'take' ? undefined : constraint.kind;
    if (!action || suggested.has(action)) continue;
    suggested.add(action);
    entries.unshift({ label: action, kind: 'action', detail: `label: ${labelText(label, constraint.node.span)}`, sortText: '0' });
  }
  return entries;
}

/** The keywords the grammar accepts after the tokens of the item written so far. */
function continuation(item: Token[], block: BlockKind): CompletionEntry[] {
  const words = keywordsAfter(block, item.filter((token) => token.kind !== 'comment'));
  const rank = (word: string) => {
    const at = CONTINUATIONS.findIndex((entry) => entry.word === word);
    return at < 0 ? CONTINUATIONS.length : at;
  };
  return [...words].sort((a, b) => rank(a) - rank(b)).map((word) => {
    const shown = CONTINUATIONS.find((entry) => entry.word === word);
    const entry: CompletionEntry = { label: shown?.label ?? word, kind: 'keyword' };
    if (shown?.detail) entry.detail = shown.detail;
    if (shown?.insert) entry.insertText = shown.insert;
    if (shown?.sort) entry.sortText = shown.sort;
    return entry;
  });
}

/** Completion as the editor asks for it: a space typed at the start of a line is indentation, not a request for keywords. */
export function completionOnTrigger(doc: AnalysedDocument, offset: number, config: CompletionConfig, triggerCharacter: string | undefined): CompletionEntry[] {
  if (triggerCharacter === ' ' && doc.text.slice(doc.text.lastIndexOf('\n', offset - 1) + 1, offset).trim() === '') return [];
  return completion(doc, offset, config);
}
