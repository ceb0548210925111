// Resolves one `protocol` block against the labels it can see: its drug, its
// indication, rules, tests and deviations. Returns undefined (after saying why)
// when there is no usable label to check it against.
import { phrase, phraseText, type RelatedInfo } from '../../diagnostics/finding.js';
import type * as ast from '../../syntax/ast.js';
import type { Unit } from '../../units/index.js';
import type {
  CompanionAmount,
  CompanionExpectation,
  CompanionInfo,
  ScenarioInfo,
  StepDay,
  StepInfo,
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
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE, type FactInfo } from '../model.js';
import type { Report } from '../report.js';
import { didYouMean } from '../suggest.js';
import { checkEnumValue, lookupFact, resolveCondition, type FactScope } from './condition.js';
import { resolveAmount, resolveFact, resolveGate, resolveSchedule, resolveUntil, timingText } from './label.js';
import { resolveQuantity, resolveUnit } from './quantity.js';
import type { LabelIndex } from '../label-index.js';
import { DEVIABLE_TOPICS } from '../../diagnostics/messages.js';

/** A drug name this close to a label's is a typo; farther, it may be another drug (two drugs of one class often differ by a few letters). */
export const DRUG_TYPO_DISTANCE = 2;

/** Where the caller looked for labels, for POS2001; the core itself only knows the files it was given. */
export const LOOKED_IN_FILES = phraseText(phrase('LookedInFiles'));

/** Related information pointing at a label's name. */
function labelMention(label: ResolvedLabel): RelatedInfo {
  return { file: label.file, span: label.node.name?.span ?? label.node.span, message: phraseText(phrase('RelatedLabel', label.name)) };
}

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
    const related = candidates.map(labelMention);
    report.add(node.drug.span, 'DuplicateLabel', [node.drug.text], { related });
    return undefined;
  }
  const label = candidates[0];
  if (label.errorCount > 0) {
    const related = [labelMention(label)];
    if (label.firstError) related.push({ file: label.file, span: label.firstError.span, message: phraseText(phrase('RelatedFirstError', label.firstError.message)) });
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
    const known = suggestion || phraseText(phrase('IndicationsListed', [...label.indications.keys()].join(', ')));
    const related = [labelMention(label)];
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

/** A rule's action with the drugs it names and, for a hold, how it ends. */
function resolveRuleAction(action: ast.Action | undefined, context: RuleContext, report: Report): RuleAction | undefined {
  const resolved = resolveAction(action, context.doseUnit, report);
  if (!resolved || !action || resolved.kind === 'dose' || action.kind === 'dose') return resolved;
  if (action.drugs && action.drugs.length > 0) resolved.drugs = action.drugs.map((drug) => drug.text);
  if (resolved.kind === 'hold' && action.kind === 'hold' && action.until) {
    const until = resolveUntil(action.until, context.scope, context.doseUnit, report);
    for (const resume of [until.resume, until.recurrence]) {
      if (resume?.target.kind === 'levels' && context.levels.length === 0) {
        const target = resume.node.target;
        report.add(target?.span ?? resume.node.span, 'ResumeNeedsLevels', [resume.target.count]);
      }
    }
    resolved.until = until;
  }
  return resolved;
}

interface RuleContext {
  scope: FactScope;
  doseUnit: Unit | undefined;
  levels: number[];
}

function resolveRules(node: ast.ProtocolBlock, context: RuleContext, report: Report): RuleInfo[] {
  const rules: RuleInfo[] = [];
  const seen = new Set<string>();
  for (const rule of node.rules) {
    if (!rule.name) continue;
    if (seen.has(rule.name.text)) report.add(rule.name.span, 'DuplicateName', [rule.name.text, 'protocol']);
    seen.add(rule.name.text);
    const condition = resolveCondition(rule.condition, context.scope, report, rule.span);
    const action = resolveRuleAction(rule.action, context, report);
    if (action) rules.push({ name: rule.name.text, condition, action, node: rule });
  }
  return rules;
}

/** `levels`, in the dose unit; they must strictly decrease. */
function resolveLevels(node: ast.Levels | undefined, doseUnit: Unit | undefined, report: Report): number[] {
  if (!node || !doseUnit) return [];
  const levels: number[] = [];
  for (const amount of node.amounts) {
    const value = resolveQuantity(amount, doseUnit, 'a dose level', report)?.value;
    if (value === undefined) continue;
    const previous = levels[levels.length - 1];
    if (previous !== undefined && value >= previous) {
      report.add(amount.span, 'LevelsNotDescending', [`${amount.valueText} ${amount.unit?.text ?? ''}`.trim(), `${previous} ${doseUnit.written}`]);
      continue;
    }
    levels.push(value);
  }
  return levels;
}

/** The label's facts, then the protocol's own; a protocol fact cannot redefine one of the label's. */
function mergeFacts(node: ast.ProtocolBlock, label: ResolvedLabel, file: string, report: Report): ReadonlyMap<string, FactInfo> {
  if (node.facts.length === 0) return label.facts;
  const facts = new Map(label.facts);
  for (const decl of node.facts) {
    if (!decl.name) continue;
    if (facts.has(decl.name.text)) {
      report.add(decl.name.span, 'DuplicateName', [decl.name.text, label.facts.has(decl.name.text) ? 'protocol and its label' : 'protocol']);
      continue;
    }
    const fact = resolveFact(decl, file, report);
    if (fact) facts.set(fact.name, fact);
  }
  return facts;
}

const BODY_SIZE: Record<string, 'bsa' | 'weight'> = { m2: 'bsa', kg: 'weight' };

/** A `with` amount: its unit as written, and whether it is per m2 (bsa) or per kg (weight). */
function companionAmount(quantity: ast.Quantity | undefined, what: string, report: Report): CompanionAmount | undefined {
  if (!quantity) return undefined;
  if (!quantity.unit) {
    report.add(quantity.span, 'MissingUnit', [`the ${what} dose ${quantity.valueText}`, 'mg']);
    return undefined;
  }
  const unit = resolveUnit(quantity.unit, report);
  if (!unit) return undefined;
  const slash = quantity.unit.text.lastIndexOf('/');
  const per = slash > 0 ? BODY_SIZE[quantity.unit.text.slice(slash + 1)] : undefined;
  const doseUnit = per ? quantity.unit.text.slice(0, slash) : quantity.unit.text;
  const amount: CompanionAmount = { value: quantity.value, unit, text: `${quantity.valueText} ${quantity.unit.text}`, doseUnit };
  if (per) amount.per = per;
  return amount;
}

function resolveCompanions(node: ast.ProtocolBlock, scope: FactScope, report: Report): CompanionInfo[] {
  const companions: CompanionInfo[] = [];
  for (const line of node.combinations) {
    if (!line.drug || line.drug.text === '') continue;
    const info: CompanionInfo = { drug: line.drug.text, schedule: resolveSchedule(line.schedule, report), node: line };
    const amount = companionAmount(line.amount, line.drug.text, report);
    if (amount) info.amount = amount;
    if (line.condition) info.condition = resolveCondition(line.condition, scope, report, line.span);
    companions.push(info);
  }
  return companions;
}

function resolveExpectations(items: ast.CompanionExpect[], report: Report): CompanionExpectation[] {
  const expectations: CompanionExpectation[] = [];
  for (const item of items) {
    if (!item.drug || item.drug.text === '') continue;
    if (item.none) {
      expectations.push({ drug: item.drug.text, node: item });
      continue;
    }
    const unit = item.amount?.unit ? resolveUnit(item.amount.unit, report) : undefined;
    if (item.amount && !item.amount.unit) report.add(item.amount.span, 'MissingUnit', [`the ${item.drug.text} dose ${item.amount.valueText}`, 'mg']);
    if (item.amount && unit) expectations.push({ drug: item.drug.text, amount: { value: item.amount.value, unit }, node: item });
  }
  return expectations;
}

function resolveStep(step: ast.ScenarioStep, scope: FactScope, doseUnit: Unit | undefined, report: Report): StepInfo | undefined {
  if (!step.at) return undefined;
  const at: StepDay = step.at.kind === 'cycle' ? { kind: 'cycle', cycle: step.at.cycle, day: step.at.day } : { kind: 'day', day: step.at.day };
  const observations = new Map<string, FactValue>();
  let complete = true;
  for (const given of step.observations) {
    const value = givenValue(given, scope, report);
    if (value === undefined) complete = false;
    else observations.set(given.fact.text, value);
  }
  if (!complete) return undefined;
  const info: StepInfo = { at, observations, companions: resolveExpectations(step.companions, report), node: step };
  const expected = expectedDecision(step.expect, doseUnit, report);
  if (expected) info.expected = expected;
  if (step.position) info.position = { cycle: step.position.cycle, day: step.position.day };
  return info;
}

function resolveScenarios(node: ast.ProtocolBlock, scope: FactScope, doseUnit: Unit | undefined, titles: Set<string>, report: Report): ScenarioInfo[] {
  return node.scenarios.map((scenario) => {
    const title = scenario.title?.value ?? '';
    if (scenario.title) {
      if (titles.has(title)) report.add(scenario.title.span, 'DuplicateName', [title, 'protocol']);
      titles.add(title);
    }
    const steps: StepInfo[] = [];
    let complete = true;
    for (const step of scenario.steps) {
      const info = resolveStep(step, scope, doseUnit, report);
      if (info) steps.push(info);
      else complete = false;
    }
    return { title, steps, complete, node: scenario };
  });
}

function givenValue(given: ast.Given, scope: FactScope, report: Report): FactValue | undefined {
  const fact = lookupFact(given.fact, scope, report);
  if (!fact) return undefined;
  const value = given.value;
  if (fact.kind === 'boolean') {
    if (!value) return !given.negated;
    if ('kind' in value || (value.text !== 'true' && value.text !== 'false')) {
      report.add(value.span, 'GivenYesNo', [fact.name]);
      return undefined;
    }
    return (value.text === 'true') !== given.negated;
  }
  if (!value) {
    report.add(given.span, 'GivenNoValue', [fact.name, fact.kind === 'enum' ? fact.values?.[0] ?? 'X' : `1 ${fact.unit?.written ?? ''}`]);
    return undefined;
  }
  if (fact.kind === 'enum') {
    if ('kind' in value) report.add(value.span, 'TestGivenInvalid', [fact.name, fact.values?.join(', ') ?? '']);
    else if (checkEnumValue(value, fact, report)) return value.text;
    return undefined;
  }
  if (!('kind' in value) || !fact.unit) {
    report.add(value.span, 'GivenNeedsQuantity', [fact.name]);
    return undefined;
  }
  if ((fact.name === BUILTIN_DAY || fact.name === BUILTIN_CYCLE) && !value.unit) return value.value;
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
  const companions = resolveExpectations(test.companions, report);
  return { title: test.title?.value ?? '', state, complete, expected: expectedDecision(test.expect, doseUnit, report), companions, node: test };
}

function resolveTests(node: ast.ProtocolBlock, scope: FactScope, doseUnit: Unit | undefined, titles: Set<string>, report: Report): TestInfo[] {
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

const withStartDose = new WeakMap<ReadonlyMap<string, FactInfo>, Map<number, ReadonlyMap<string, FactInfo>>>();

/**
 * `previous_dose` defaults to the start dose, for conditions as for relative doses.
 * Protocols that declare no facts of their own share their label's map, so the copy
 * is made once per label and start dose, not once per protocol.
 */
function factsWithStartDose(facts: ReadonlyMap<string, FactInfo>, start: StartInfo | undefined): ReadonlyMap<string, FactInfo> {
  const previous = facts.get(BUILTIN_PREVIOUS_DOSE);
  if (!previous || !start || previous.normal !== undefined) return facts;
  let byDose = withStartDose.get(facts);
  if (!byDose) withStartDose.set(facts, (byDose = new Map()));
  let merged = byDose.get(start.amount);
  if (!merged) byDose.set(start.amount, (merged = new Map(facts).set(BUILTIN_PREVIOUS_DOSE, { ...previous, normal: start.amount })));
  return merged;
}

export function resolveProtocol(node: ast.ProtocolBlock, file: string, index: LabelIndex, report: Report, lookedIn = LOOKED_IN_FILES): ResolvedProtocol | undefined {
  const deviations = resolveDeviations(node, report);
  const label = resolveLabelFor(node, index, report, lookedIn);
  if (!label) return undefined;
  const indication = resolveIndicationFor(node, label, report);
  const scope: FactScope = { labelName: label.name, facts: mergeFacts(node, label, file, report) };
  const start = resolveStart(node, label, report);
  const levels = resolveLevels(node.levels, label.doseUnit, report);
  const gates = node.gates.map((gate) => resolveGate(gate, scope, report));
  const companions = resolveCompanions(node, scope, report);
  const rules = resolveRules(node, { scope, doseUnit: label.doseUnit, levels }, report);
  const titles = new Set<string>();
  const tests = resolveTests(node, scope, label.doseUnit, titles, report);
  const scenarios = resolveScenarios(node, scope, label.doseUnit, titles, report);
  if (!indication) return undefined;
  const facts = factsWithStartDose(scope.facts, start);
  return {
    title: node.title?.value ?? '(untitled protocol)', file, label, facts, indication, start, levels, gates, companions, rules, tests, scenarios, deviations, node,
  };
}
