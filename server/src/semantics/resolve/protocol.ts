// Resolves one `protocol` block against the labels it can see: its drug, its
// indication, rules, tests and deviations. Returns undefined (after saying why)
// when there is no usable label to check it against.
import type * as ast from '../../syntax/ast.js';
import type { Unit } from '../../units/index.js';
import type {
  Decision,
  FactValue,
  IndicationInfo,
  ResolvedLabel,
  ResolvedProtocol,
  RuleAction,
  RuleInfo,
  StartInfo,
  TestInfo,
} from '../model.js';
import { BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE, type FactInfo } from '../model.js';
import type { Report } from '../report.js';
import { didYouMean } from '../suggest.js';
import { checkEnumValue, lookupFact, resolveCondition, type FactScope } from './condition.js';
import { resolveAmount, resolveSchedule, timingText } from './label.js';
import { resolveQuantity } from './quantity.js';
import type { LabelIndex } from '../label-index.js';

/** Findings a protocol may document as deliberate deviations. */
export const DEVIABLE_TOPICS = ['cycle', 'days', 'start', 'with'] as const;

/** A drug name this close to a label's is a typo; farther, it may be another drug (lenalidomide, pomalidomide). */
export const DRUG_TYPO_DISTANCE = 2;

/** Where the caller looked for labels, for POS2001; the core itself only knows the files it was given. */
export const LOOKED_IN_FILES = 'looked in the files checked';

function resolveLabelFor(node: ast.ProtocolBlock, index: LabelIndex, report: Report, lookedIn: string): ResolvedLabel | undefined {
  if (!node.drug) {
    report.add(headerSpan(node), 'MissingDeclaration', ['drug']);
    return undefined;
  }
  if (node.drug.text === '') return undefined;
  const candidates = index.find(node.drug.text);
  if (candidates.length === 0) {
    report.add(node.drug.span, 'UnknownDrug', [node.drug.text, didYouMean(node.drug.text, index.names(), DRUG_TYPO_DISTANCE), lookedIn]);
    return undefined;
  }
  if (candidates.length > 1) {
    const related = candidates.map((label) => ({ file: label.file, span: label.node.name?.span ?? label.node.span, message: `label ${label.name}` }));
    report.add(node.drug.span, 'DuplicateLabel', [node.drug.text], { related });
    return undefined;
  }
  const label = candidates[0];
  if (label.errorCount > 0) {
    const related = [{ file: label.file, span: label.node.name?.span ?? label.node.span, message: `label ${label.name}` }];
    if (label.firstError) related.push({ file: label.file, span: label.firstError.span, message: `its first error: ${label.firstError.message}` });
    report.add(node.drug.span, 'LabelHasErrors', [label.name, label.errorCount], { related });
    return undefined;
  }
  return label;
}

export function headerSpan(node: ast.ProtocolBlock): ast.Span {
  const end = node.title?.span.end ?? node.span.start + 'protocol'.length;
  return { start: node.span.start, end };
}

function resolveIndicationFor(node: ast.ProtocolBlock, label: ResolvedLabel, report: Report): IndicationInfo | undefined {
  if (!node.indication) {
    report.add(headerSpan(node), 'MissingDeclaration', ['indication']);
    return undefined;
  }
  const indication = label.indications.get(node.indication.text);
  if (!indication && node.indication.text !== '') {
    const suggestion = didYouMean(node.indication.text, label.indications.keys());
    const known = suggestion || ` (the label lists ${[...label.indications.keys()].join(', ')})`;
    const related = [{ file: label.file, span: label.node.name?.span ?? label.node.span, message: `label ${label.name}` }];
    report.add(node.indication.span, 'UnknownIndication', [label.name, node.indication.text, known], { related });
  }
  return indication;
}

function resolveStart(node: ast.ProtocolBlock, label: ResolvedLabel, report: Report): StartInfo | undefined {
  if (!node.start) {
    report.add(headerSpan(node), 'MissingDeclaration', ['start']);
    return undefined;
  }
  const amount = resolveAmount(node.start.amount, label.doseUnit, report);
  const schedule = resolveSchedule(node.start.schedule, report);
  if (amount?.kind !== 'absolute') return undefined;
  return { amount: amount.value, schedule, node: node.start };
}

function resolveAction(action: ast.Action | undefined, doseUnit: Unit | undefined, report: Report): RuleAction | undefined {
  if (!action) return undefined;
  if (action.kind !== 'dose') return { kind: action.kind };
  const amount = resolveAmount(action.amount, doseUnit, report);
  if (!amount) return undefined;
  return { kind: 'dose', amount, timing: action.timing?.event ? timingText(action.timing) : undefined };
}

function resolveRules(node: ast.ProtocolBlock, scope: FactScope, doseUnit: Unit | undefined, report: Report): RuleInfo[] {
  const rules: RuleInfo[] = [];
  const seen = new Set<string>();
  for (const rule of node.rules) {
    if (!rule.name) continue;
    if (seen.has(rule.name.text)) report.add(rule.name.span, 'DuplicateName', [rule.name.text, 'protocol']);
    seen.add(rule.name.text);
    const condition = resolveCondition(rule.condition, scope, report, rule.span);
    const action = resolveAction(rule.action, doseUnit, report);
    if (action) rules.push({ name: rule.name.text, condition, action, node: rule });
  }
  return rules;
}

function givenValue(given: ast.Given, scope: FactScope, report: Report): FactValue | undefined {
  const fact = lookupFact(given.fact, scope, report);
  if (!fact) return undefined;
  const value = given.value;
  if (fact.kind === 'boolean') {
    if (!value) return !given.negated;
    if ('kind' in value || (value.text !== 'true' && value.text !== 'false')) {
      report.add(value.span, 'TestGivenInvalid', [`${fact.name} is a yes/no fact: write '${fact.name}' or 'not ${fact.name}'`]);
      return undefined;
    }
    return (value.text === 'true') !== given.negated;
  }
  if (!value) {
    report.add(given.span, 'TestGivenInvalid', [`Give ${fact.name} a value, e.g. ${fact.name} = ${fact.kind === 'enum' ? fact.values?.[0] ?? 'X' : `1 ${fact.unit?.written ?? ''}`}`]);
    return undefined;
  }
  if (fact.kind === 'enum') {
    if ('kind' in value) report.add(value.span, 'TestGivenInvalid', [`${fact.name} takes one of ${fact.values?.join(', ')}`]);
    else if (checkEnumValue(value, fact, report)) return value.text;
    return undefined;
  }
  if (!('kind' in value) || !fact.unit) {
    report.add(value.span, 'TestGivenInvalid', [`${fact.name} needs a number with a unit`]);
    return undefined;
  }
  if (fact.name === BUILTIN_DAY && !value.unit) return value.value;
  return resolveQuantity(value, fact.unit, fact.name, report, fact.normal)?.value;
}

function resolveTest(test: ast.TestCase, scope: FactScope, doseUnit: Unit | undefined, report: Report): TestInfo {
  const state = new Map<string, FactValue>();
  let complete = true;
  for (const given of test.given) {
    const value = givenValue(given, scope, report);
    if (value === undefined) complete = false;
    else state.set(given.fact.text, value);
  }
  return { title: test.title?.value ?? '', state, complete, expected: expectedDecision(test.expect, doseUnit, report), node: test };
}

function resolveTests(node: ast.ProtocolBlock, scope: FactScope, doseUnit: Unit | undefined, report: Report): TestInfo[] {
  const titles = new Set<string>();
  return node.tests.map((test) => {
    if (test.title) {
      if (titles.has(test.title.value)) report.add(test.title.span, 'DuplicateName', [test.title.value, 'protocol']);
      titles.add(test.title.value);
    }
    return resolveTest(test, scope, doseUnit, report);
  });
}

function expectedDecision(action: ast.Action | undefined, doseUnit: Unit | undefined, report: Report): Decision | undefined {
  const resolved = resolveAction(action, doseUnit, report);
  if (!resolved || !action) return undefined;
  if (resolved.kind !== 'dose') return { kind: resolved.kind };
  if (resolved.amount.kind !== 'absolute') return undefined;
  return { kind: 'dose', amount: resolved.amount.value, unit: doseUnit?.ucum ?? '', timing: resolved.timing ? [resolved.timing] : [] };
}

function resolveDeviations(node: ast.ProtocolBlock, report: Report): Map<string, ast.Deviation> {
  const deviations = new Map<string, ast.Deviation>();
  for (const deviation of node.deviations) {
    if (!deviation.topic) continue;
    const topic = deviation.topic.text;
    if (!(DEVIABLE_TOPICS as readonly string[]).includes(topic)) {
      report.add(deviation.topic.span, 'UnknownDeviation', [topic, DEVIABLE_TOPICS.join(', ')]);
      continue;
    }
    if (!deviation.reason || deviation.reason.value.trim() === '') {
      report.add(deviation.span, 'DeviationWithoutReason', [topic]);
      continue;
    }
    deviations.set(topic, deviation);
  }
  return deviations;
}

/** `previous_dose` defaults to the start dose, for conditions as for relative doses. */
function factsWithStartDose(label: ResolvedLabel, start: StartInfo | undefined): ReadonlyMap<string, FactInfo> {
  const previous = label.facts.get(BUILTIN_PREVIOUS_DOSE);
  if (!previous || !start || previous.normal !== undefined) return label.facts;
  return new Map(label.facts).set(BUILTIN_PREVIOUS_DOSE, { ...previous, normal: start.amount });
}

export function resolveProtocol(node: ast.ProtocolBlock, file: string, index: LabelIndex, report: Report, lookedIn = LOOKED_IN_FILES): ResolvedProtocol | undefined {
  const deviations = resolveDeviations(node, report);
  const label = resolveLabelFor(node, index, report, lookedIn);
  if (!label) return undefined;
  const indication = resolveIndicationFor(node, label, report);
  const scope: FactScope = { labelName: label.name, facts: label.facts };
  const start = resolveStart(node, label, report);
  const rules = resolveRules(node, scope, label.doseUnit, report);
  const tests = resolveTests(node, scope, label.doseUnit, report);
  if (!indication) return undefined;
  const facts = factsWithStartDose(label, start);
  return { title: node.title?.value ?? '(untitled protocol)', file, label, facts, indication, start, rules, tests, deviations, node };
}
