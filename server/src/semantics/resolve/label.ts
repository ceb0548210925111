// Resolves one `label` block: its facts, indications, doses and constraints.
// The label's own problems (unknown units, unknown facts, numbers without a
// unit, duplicated names) are findings on the label file; any error there
// withholds every check against this label.
import type * as ast from '../../syntax/ast.js';
import { parseUnit, type Unit } from '../../units/index.js';
import type {
  Amount,
  ConstraintInfo,
  DosingSchedule,
  FactInfo,
  GateInfo,
  ResumeInfo,
  ResumeTarget,
  UntilInfo,
  IndicationInfo,
  RequirementInfo,
  ResolvedLabel,
} from '../model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../model.js';
import type { Report } from '../report.js';
import type { Finding } from '../../diagnostics/finding.js';
import { resolveCondition, type FactScope } from './condition.js';
import { resolveQuantity, resolveUnit } from './quantity.js';
import { readFrequency } from './frequency.js';

let days: Unit | undefined;
/** Loaded on first use: UCUM's tables take a while to load and a server should start fast. */
const daysUnit = (): Unit => (days ??= unitOrThrow('days'));

function unitOrThrow(code: string): Unit {
  const result = parseUnit(code);
  if (!result.ok) throw new Error(`UCUM does not know the built-in unit ${code}`);
  return result.unit;
}

let unity: Unit | undefined;
/** The unit of the built-in `cycle` fact: a plain count. */
const countUnit = (): Unit => (unity ??= unitOrThrow('1'));

export function resolveSchedule(schedule: ast.Schedule, report: Report): DosingSchedule {
  const cycle = schedule.cycle ? resolveQuantity(schedule.cycle, daysUnit(), 'the cycle', report) : undefined;
  const resolved: DosingSchedule = {
    days: schedule.days,
    cycleDays: cycle?.value,
    route: schedule.route?.text,
    frequency: schedule.frequency?.text,
  };
  if (schedule.cycles) resolved.cycles = { from: schedule.cycles.from, to: schedule.cycles.to };
  if (schedule.weeks) resolved.weeks = schedule.weeks;
  const counts = readFrequency(schedule.frequency?.text);
  if (counts) resolved.counts = counts;
  if (counts?.kind === 'weekly' && /^every /.test(schedule.frequency?.text ?? '')) resolved.everyWeeks = counts.everyWeeks;
  return resolved;
}

/** A resume target in the dose unit; undefined (reported) when its amount does not resolve. */
export function resolveResume(node: ast.Resume | undefined, doseUnit: Unit | undefined, report: Report): ResumeInfo | undefined {
  const target = node?.target;
  if (!node || !target) return undefined;
  switch (target.kind) {
    case 'same':
      return { target: { kind: 'same' }, atMost: node.atMost, node };
    case 'levels':
      return { target: { kind: 'levels', count: target.count }, atMost: node.atMost, node };
    case 'amount':
    case 'minus': {
      if (!target.amount || !doseUnit) return undefined;
      const value = resolveQuantity(target.amount, doseUnit, 'the dose', report)?.value;
      if (value === undefined) return undefined;
      const resolved: ResumeTarget = target.kind === 'amount' ? { kind: 'amount', value } : { kind: 'minus', minus: value };
      return { target: resolved, atMost: node.atMost, node };
    }
  }
}

/** `until EXPR then resume at ... [on recurrence resume at ...]`. */
export function resolveUntil(node: ast.Until, scope: FactScope, doseUnit: Unit | undefined, report: Report): UntilInfo {
  const info: UntilInfo = { condition: resolveCondition(node.condition, scope, report, node.span), node };
  const resume = resolveResume(node.resume, doseUnit, report);
  if (resume) info.resume = resume;
  const recurrence = resolveResume(node.recurrence, doseUnit, report);
  if (recurrence) info.recurrence = recurrence;
  return info;
}

export function resolveGate(node: ast.CycleGate, scope: FactScope, report: Report): GateInfo {
  return { condition: resolveCondition(node.condition, scope, report, node.span), node };
}

/** An amount of drug in the label's dose unit. */
export function resolveAmount(amount: ast.DoseAmount | undefined, doseUnit: Unit | undefined, report: Report): Amount | undefined {
  if (!amount?.amount || !doseUnit) return undefined;
  const resolved = resolveQuantity(amount.amount, doseUnit, 'the dose', report);
  if (!resolved) return undefined;
  return amount.kind === 'relative' ? { kind: 'relative', minus: resolved.value } : { kind: 'absolute', value: resolved.value };
}

function builtinFacts(doseUnit: Unit | undefined): FactInfo[] {
  const day: FactInfo = { name: BUILTIN_DAY, title: 'Day of the cycle', kind: 'quantity', unit: daysUnit() };
  const cycle: FactInfo = { name: BUILTIN_CYCLE, title: 'Cycle number', kind: 'quantity', unit: countUnit() };
  if (!doseUnit) return [day, cycle];
  return [day, cycle, { name: BUILTIN_PREVIOUS_DOSE, title: 'The dose given before (for relative doses)', kind: 'quantity', unit: doseUnit }];
}

export function resolveFact(decl: ast.FactDecl, file: string, report: Report): FactInfo | undefined {
  if (!decl.name || !decl.type) return undefined;
  const title = decl.title?.value ?? decl.name.text;
  const base = { name: decl.name.text, title, decl, file };
  switch (decl.type.kind) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'enum':
      return { ...base, kind: 'enum', values: decl.type.values.map((value) => value.text) };
    case 'quantity': {
      const unit = decl.type.unit ? resolveUnit(decl.type.unit, report) : undefined;
      const normal = unit && decl.type.normal ? resolveQuantity(decl.type.normal, unit, decl.name.text, report)?.value : undefined;
      return { ...base, kind: 'quantity', unit, normal };
    }
  }
}

function collectFacts(label: ast.LabelBlock, file: string, report: Report, doseUnit: Unit | undefined): Map<string, FactInfo> {
  const facts = new Map<string, FactInfo>();
  const declared = new Set<string>();
  for (const builtin of builtinFacts(doseUnit)) facts.set(builtin.name, builtin);
  // A label may declare a built-in fact itself (to document it); that declaration wins.
  for (const decl of label.facts) {
    if (!decl.name) continue;
    if (declared.has(decl.name.text)) {
      report.add(decl.name.span, 'DuplicateName', [decl.name.text, 'label']);
      continue;
    }
    declared.add(decl.name.text);
    const fact = resolveFact(decl, file, report);
    if (fact) facts.set(fact.name, fact);
  }
  return facts;
}

/** The dose unit is the unit of the first dose the label gives. */
function findDoseUnit(label: ast.LabelBlock): Unit | undefined {
  for (const indication of label.indications) {
    for (const dose of indication.doses) {
      const unit = dose.amount?.amount?.unit;
      if (!unit) continue;
      const result = parseUnit(unit.text);
      if (result.ok) return result.unit;
    }
  }
  return undefined;
}

function resolveRequirement(node: ast.Requires, scope: FactScope, report: Report): RequirementInfo | undefined {
  if (!node.drug) return undefined;
  let amount: RequirementInfo['amount'];
  if (node.amount?.unit) {
    const unit = resolveUnit(node.amount.unit, report);
    if (unit) amount = { value: node.amount.value, unit, text: `${node.amount.valueText} ${node.amount.unit.text}` };
  } else if (node.amount) {
    report.add(node.amount.span, 'MissingUnit', [`the ${node.drug.text} dose ${node.amount.valueText}`, 'mg']);
  }
  const condition = node.condition ? resolveCondition(node.condition, scope, report, node.span) : undefined;
  return { drug: node.drug.text, amount, schedule: resolveSchedule(node.schedule, report), condition, node };
}

function resolveConstraint(node: ast.LabelConstraint, scope: FactScope, doseUnit: Unit | undefined, report: Report): ConstraintInfo | undefined {
  const condition = resolveCondition(node.condition, scope, report, node.span);
  switch (node.kind) {
    case 'hold':
      return node.until
        ? { kind: 'hold', condition, until: resolveUntil(node.until, scope, doseUnit, report), node }
        : { kind: 'hold', condition, node };
    case 'discontinue':
      return { kind: 'discontinue', condition, node };
    case 'cap': {
      const amount = resolveAmount(node.amount, doseUnit, report);
      return amount ? { kind: 'cap', amount, condition, node } : undefined;
    }
    case 'take':
      return node.timing?.event ? { kind: 'take', timing: timingText(node.timing), condition, node } : undefined;
  }
}

export function timingText(timing: ast.Timing): string {
  return `${timing.relation.text} ${timing.event?.text ?? ''}`.trim();
}

function resolveIndication(node: ast.IndicationDecl, scope: FactScope, doseUnit: Unit | undefined, report: Report): IndicationInfo | undefined {
  if (!node.name) return undefined;
  const info: IndicationInfo = { name: node.name.text, title: node.title?.value ?? node.name.text, requires: [], constraints: [], gates: [], node };
  for (const gate of node.gates) info.gates.push(resolveGate(gate, scope, report));
  node.lowest.forEach((lowest, i) => {
    if (i > 0) report.add(lowest.span, 'DuplicateName', ['lowest dose', 'indication']);
    else if (lowest.amount && doseUnit) info.lowestDose = resolveQuantity(lowest.amount, doseUnit, 'the lowest dose', report)?.value;
  });
  const first = node.doses[0];
  if (first) {
    const amount = resolveAmount(first.amount, doseUnit, report);
    if (amount?.kind === 'absolute') info.dose = { amount: amount.value, schedule: resolveSchedule(first.schedule, report), node: first };
  }
  for (const requirement of node.requires) {
    const resolved = resolveRequirement(requirement, scope, report);
    if (resolved) info.requires.push(resolved);
  }
  for (const constraint of node.constraints) {
    const resolved = resolveConstraint(constraint, scope, doseUnit, report);
    if (resolved) info.constraints.push(resolved);
  }
  return info;
}

/** `syntaxFindings`: the parser's findings inside the block, which count among the label's errors. */
export function resolveLabel(
  node: ast.LabelBlock,
  file: string,
  text: string,
  report: Report,
  syntaxFindings: readonly Finding[],
): ResolvedLabel | undefined {
  if (!node.name) return undefined;
  const findingsBefore = report.findings.length;
  const doseUnit = findDoseUnit(node);
  const facts = collectFacts(node, file, report, doseUnit);
  const scope: FactScope = { labelName: node.name.text, facts };
  const indications = new Map<string, IndicationInfo>();
  for (const decl of node.indications) {
    if (decl.name && indications.has(decl.name.text)) {
      report.add(decl.name.span, 'DuplicateName', [decl.name.text, 'label']);
      continue;
    }
    const indication = resolveIndication(decl, scope, doseUnit, report);
    if (indication) indications.set(indication.name, indication);
  }
  return {
    name: node.name.text,
    title: node.title?.value ?? node.name.text,
    aliases: node.aliases.map((alias) => alias.value),
    documents: resolveDocuments(node, report),
    file,
    text,
    facts,
    indications,
    doseUnit,
    ...ownErrors([...syntaxFindings, ...report.findings.slice(findingsBefore)]),
    node,
  };
}

/** `document "file" "title"` lines, by file; a file named twice is a duplicate. */
function resolveDocuments(node: ast.LabelBlock, report: Report): Map<string, string> {
  const documents = new Map<string, string>();
  for (const document of node.documents) {
    if (!document.file || !document.title) continue;
    if (documents.has(document.file.value)) report.add(document.file.span, 'DuplicateName', [document.file.value, 'label']);
    else documents.set(document.file.value, document.title.value);
  }
  return documents;
}

/**
 * A `source "file: section"` as a pharmacist reads it: the document's title
 * when the label names it (`Label summary, section "Neutropenia, MM Patients"`),
 * else the text as written. `withFile` keeps the file name after the title (hover, for the reviewer).
 */
export function describeSource(label: Pick<ResolvedLabel, 'documents'>, source: string, withFile = false): string {
  const colon = source.indexOf(':');
  const file = colon >= 0 ? source.slice(0, colon).trim() : source.trim();
  const title = label.documents.get(file);
  if (!title) return source;
  const document = withFile ? `${title} (${file})` : title;
  const section = colon >= 0 ? source.slice(colon + 1).trim() : '';
  return section ? `${document}, section "${section}"` : document;
}

/** How many of `findings` are errors, and the first of them in the text. */
function ownErrors(findings: readonly Finding[]): Pick<ResolvedLabel, 'errorCount' | 'firstError'> {
  const errors = findings.filter((item) => item.severity === 'error');
  const first = errors.reduce<Finding | undefined>((earliest, item) => (!earliest || item.span.start < earliest.span.start ? item : earliest), undefined);
  return { errorCount: errors.length, firstError: first && { span: first.span, message: first.message } };
}
