// A protocol written from a label: the drug, the indication, the label's start
// dose and schedule, the required combinations, one rule per label constraint
// and one test per rule. Each test's `expect` is what the one evaluator decides
// for the generated protocol in a state where the rule fires, so the skeleton
// checks clean against its label and its tests pass as written.
import { decide } from '../../eval/index.js';
import { expectText, quoted, stateItems, testBlock } from '../../print/dose-text.js';
import { labelText } from '../../print/label-lines.js';
import { ruleFromConstraint, withLineText } from '../../print/rules.js';
import { checkFile, parseFile, type LabelSet } from '../../checks/analysis.js';
import type { FactValue, IndicationInfo, ResolvedLabel } from '../../semantics/model.js';
import { BUILTIN_PREVIOUS_DOSE } from '../../semantics/model.js';
import { witnessState } from './witness.js';

export interface Skeleton {
  /** The protocol as plain text. */
  text: string;
  /** The same text as a snippet: the title is the first placeholder. */
  snippet: string;
}

export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (character) => `\\${character}`);
}

const cache = new WeakMap<LabelSet, Map<string, Skeleton>>();

interface RuleLine {
  name: string;
  text: string;
}

/** One rule per label constraint; a timing with a cap on the same condition goes into the cap's rule. */
function rulesFrom(label: ResolvedLabel, indication: IndicationInfo): RuleLine[] {
  const rules: RuleLine[] = [];
  const taken = new Set<string>();
  const conditionOf = (constraint: { condition: { span: { start: number; end: number } } }) => labelText(label, constraint.condition.span);
  for (const constraint of indication.constraints) {
    if (constraint.kind === 'take' && indication.constraints.some((other) => other.kind === 'cap' && conditionOf(other) === conditionOf(constraint))) continue;
    const rule = ruleFromConstraint(label, indication, constraint, { taken: (name) => taken.has(name) });
    taken.add(rule.name);
    rules.push(rule);
  }
  return rules;
}

function header(label: ResolvedLabel, indication: IndicationInfo): string[] {
  const lines = [`  drug ${label.name}`, `  indication ${indication.name}`];
  if (indication.dose) lines.push(`  start ${labelText(label, indication.dose.node.span).replace(/^dose\s+/, '')}`);
  // One `with` line per `requires` line, with its schedule and condition (the age bands).
  for (const requirement of indication.requires) lines.push(`  with ${withLineText(label, requirement)}`);
  for (const gate of indication.gates) lines.push(`  before each cycle require ${labelText(label, gate.condition.span)}`);
  return lines;
}

export function protocolSkeleton(doc: { labels: LabelSet }, label: ResolvedLabel, indication: IndicationInfo): Skeleton {
  const key = `${label.name}\u0000${indication.name}`;
  const known = cache.get(doc.labels)?.get(key);
  if (known) return known;
  const title = `${label.name} for ${indication.name.replace(/_/g, ' ')}`;
  const rules = rulesFrom(label, indication);
  const body = [...header(label, indication), '', ...rules.map((rule) => `  ${rule.text}`)];
  const tests = testsFor(doc.labels, label, body, rules);
  const lines = [...body, '', ...tests.map((test) => `  ${test}`)];
  const text = `protocol ${quoted(title)} {\n${lines.join('\n')}\n}`;
  const snippet = `protocol "\${1:${escapeSnippet(quoted(title).slice(1, -1))}}" {\n${escapeSnippet(lines.join('\n'))}\n}$0`;
  const skeleton = { text, snippet };
  let forLabels = cache.get(doc.labels);
  if (!forLabels) cache.set(doc.labels, (forLabels = new Map()));
  forLabels.set(key, skeleton);
  return skeleton;
}

/** A test for day 1, for the first rest day and for each rule, each `expect` decided by the evaluator. */
function testsFor(labels: LabelSet, label: ResolvedLabel, body: string[], rules: RuleLine[]): string[] {
  const draft = parseFile('(skeleton).dose', `protocol "skeleton" {\n${body.join('\n')}\n}`);
  const protocol = checkFile(draft, labels).protocols[0];
  if (!protocol) return [];
  const tests: string[] = [];
  const cases: { title: string; state: Map<string, FactValue> }[] = [{ title: 'day 1: the start dose', state: new Map([['day', 1]]) }];
  const days = protocol.start?.schedule.days;
  const cycle = protocol.start?.schedule.cycleDays;
  if (days && days.length > 0 && cycle) {
    const last = Math.max(...days.map((range) => range.to));
    if (last < cycle) cases.push({ title: `day ${last + 1}: a rest day`, state: new Map([['day', last + 1]]) });
  }
  for (const rule of protocol.rules) {
    const state = witnessState(rule.condition, label.facts);
    if (!state) continue;
    if (rule.action.kind === 'dose' && rule.action.amount.kind === 'relative' && !state.has(BUILTIN_PREVIOUS_DOSE) && protocol.start) {
      state.set(BUILTIN_PREVIOUS_DOSE, protocol.start.amount);
    }
    cases.push({ title: rules.find((line) => line.name === rule.name)?.name ?? rule.name, state });
  }
  const titles = new Set<string>();
  for (const { title, state } of cases) {
    if (titles.has(title)) continue;
    titles.add(title);
    tests.push(testBlock({ title, given: stateItems(state, label.facts), expect: expectText(decide(protocol, state).decision) }));
  }
  return tests;
}
