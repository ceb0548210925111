// Hover: the label text behind what is under the cursor. On a drug, indication,
// fact, threshold, dose or unit it shows the encoded label line with its source
// (file and section); on a quantity, its value in the fact's unit
// (`0.4 10*9/L = 400 /uL`); on a rule, what it does, evaluated by the one
// evaluator; on a test, its result; on a scenario step, the state of the course
// that day (`stepState` in eval/scenario.ts: nothing is decided here); on a
// deviation, its reason.
import path from 'node:path';
import type * as ast from '../../syntax/ast.js';
import { decide, formatDecision, stepState, whyPhrase } from '../../eval/index.js';
import { factsOf } from '../../semantics/conditions.js';
import type { ConstraintInfo, FactInfo, IndicationInfo, ResolvedLabel, ResolvedProtocol, RuleInfo } from '../../semantics/model.js';
import { describeSource } from '../../semantics/resolve/label.js';
import { phraseText, wording } from '../../diagnostics/finding.js';
import { DEVIABLE_TOPICS, diagnosticsByCode, type DeviationTopic } from '../../diagnostics/messages.js';
import { unitMessage } from '../../diagnostics/problems.js';
import { convert, formatQuantity, parseUnit, type Unit } from '../../units/index.js';
import { locate, type LabelLine, type ScenarioStepAt, type Scope, type Target } from './locate.js';
import { factOf, indicationOf, labelNamed, labelOf, linesAbout, quote, resolvedProtocol, whereInLabel } from './lookup.js';
import { witnessState } from './witness.js';
import { stateText } from '../../print/dose-text.js';
import type { AnalysedDocument } from './document.js';
import { codeSpan, escapeMarkdown } from './markdown.js';
import { counted, uiText } from '../../diagnostics/ui.js';

export interface HoverConfig {
  /** Turns a file path into a link target; without it, locations are plain text. */
  uriOf?: (file: string) => string;
}

export interface HoverResult {
  markdown: string;
  span: ast.Span;
}

export function hover(doc: AnalysedDocument, offset: number, config: HoverConfig = {}): HoverResult | undefined {
  const target = locate(doc.parsed.parse.file, offset);
  if (!target) return undefined;
  const render = new Render(doc, config);
  const markdown = render.target(target);
  if (!markdown) return undefined;
  return { markdown, span: spanOf(target) };
}

function spanOf(target: Target): ast.Span {
  switch (target.kind) {
    case 'quantity':
      return target.part === 'unit' && target.quantity.unit ? target.quantity.unit.span : target.quantity.span;
    case 'factUnit':
      return target.unit.span;
    case 'rule':
    case 'test':
    case 'scenario':
    case 'step':
      return target.span;
    case 'action':
      return target.action.span;
    case 'deviation':
      return target.deviation.span;
    case 'start':
      return target.start.span;
    case 'labelLine':
      return target.line.span;
    case 'timing':
      return target.timing.span;
    default:
      return target.name.span;
  }
}

// Text from a file is escaped (markdown.ts): it is shown, never rendered as Markdown or HTML.
const code = codeSpan;
const t = escapeMarkdown;
const italic = (text: string): string => `_${escapeMarkdown(text)}_`;

class Render {
  constructor(
    private readonly doc: AnalysedDocument,
    private readonly config: HoverConfig,
  ) {}

  target(target: Target): string | undefined {
    switch (target.kind) {
      case 'label':
        return this.drug(labelOf(this.doc, target.scope));
      case 'drug':
        return this.drug(labelNamed(this.doc, target.name.text), target.name.text);
      case 'combination':
        return this.combination(target.name.text, target.scope);
      case 'requiredDrug':
        return this.requiredDrug(target.requires, target.scope);
      case 'indication':
        return this.indication(target.name.text, target.scope);
      case 'fact':
        return this.fact(target.name.text, target.scope);
      case 'value':
        return this.value(target.name.text, target.fact, target.scope);
      case 'quantity':
        return this.quantity(target);
      case 'factUnit':
        return this.unit(target.unit.text);
      case 'rule':
        return this.rule(target.rule, target.scope);
      case 'action':
        if (target.rule) return this.rule(target.rule, target.scope);
        if (target.step) return this.step(target.step, target.scope);
        return target.test ? this.test(target.test, target.scope) : undefined;
      case 'test':
        return this.test(target.test, target.scope);
      case 'scenario':
        return this.scenario(target.scenario, target.scope);
      case 'step':
        return this.step(target.step, target.scope);
      case 'deviation':
        return this.deviation(target.deviation, target.scope);
      case 'start':
        return this.labelDose(target.scope);
      case 'labelLine':
        return this.labelLine(target.line, target.scope);
      case 'timing':
        return this.timing(target.timing, target.scope);
    }
  }

  // ---- pieces ------------------------------------------------------------------

  private location(label: ResolvedLabel, span: ast.Span): string {
    const where = whereInLabel(label, span);
    const name = `${path.basename(where.file)}:${where.line}`;
    return this.config.uriOf ? `[${name}](${this.config.uriOf(where.file)}#L${where.line})` : name;
  }

  /** One label line: its text, its source and where it is. */
  private line(label: ResolvedLabel, node: { span: ast.Span; source?: ast.SourceClause; notes?: ast.StringLit[] }, withNotes = false): string {
    const written = node.source?.text?.value;
    const source = written && describeSource(label, written, true);
    const parts = [code(quote(label, node.span))];
    parts.push(source ? `— ${italic(`source: ${source}`)}` : `— ${italic('no source given')}`);
    parts.push(`(${this.location(label, node.span)})`);
    let text = parts.join(' ');
    if (withNotes && node.notes && node.notes.length > 0) text += '\n' + node.notes.map((note) => `  - ${t(note.value)}`).join('\n');
    return text;
  }

  private constraintList(label: ResolvedLabel, constraints: readonly ConstraintInfo[]): string {
    return constraints.map((constraint) => `- ${this.line(label, constraint.node)}`).join('\n');
  }

  private factType(fact: FactInfo): string {
    switch (fact.kind) {
      case 'boolean':
        return 'yes/no (false unless a state says so)';
      case 'enum':
        return `one of ${fact.values?.join(', ')} (unknown unless a state says so)`;
      case 'quantity': {
        const unit = fact.unit ? `${code(fact.unit.written)} (${fact.unit.name})` : 'an unknown unit';
        const normal = fact.normal !== undefined && fact.unit ? `; normal ${formatQuantity(fact.normal, fact.unit)}` : '';
        return `quantity in ${unit}${normal}`;
      }
    }
  }

  // ---- targets -----------------------------------------------------------------

  private drug(label: ResolvedLabel | undefined, written?: string): string | undefined {
    if (!label) {
      if (!written) return undefined;
      const same = this.doc.labels.index.find(written);
      if (same.length > 1) return `${t(wording('DuplicateLabel', [written]))}: ${same.map((item) => code(path.basename(item.file))).join(', ')}.`;
      const known = this.doc.labels.index.names();
      const reach = known.length > 0 ? `the drugs in reach are ${known.join(', ')}` : 'no labels were found (Posology looks in the nearest labels/ folder)';
      return `${t(wording('UnknownDrug', [written, '', reach]))}.`;
    }
    const lines = [`**${label.name}** — ${t(label.title)}`];
    const aliasSource = label.node.aliasSource?.text?.value;
    if (label.aliases.length > 0) lines.push(`Also known as: ${t(label.aliases.join(', '))}${aliasSource ? ` — ${italic(`source: ${aliasSource}`)}` : ''}`);
    const source = label.node.source?.text?.value;
    if (source) lines.push(italic(`source: ${source}`));
    if (label.indications.size > 0) {
      lines.push('**Indications:**\n' + [...label.indications.values()].map((indication) => `- ${code(indication.name)} — ${t(indication.title)}`).join('\n'));
    }
    if (label.node.notes.length > 0) lines.push('**Notes:**\n' + label.node.notes.map((note) => `- ${t(note.value)}`).join('\n'));
    if (label.errorCount > 0) lines.push(`⚠ ${t(wording('LabelHasErrors', [label.name, label.errorCount]))}.`);
    lines.push(`Label: ${this.location(label, label.node.name?.span ?? label.node.span)}`);
    return lines.join('\n\n');
  }

  private indication(name: string, scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    if (!label) return undefined;
    const indication = label.indications.get(name);
    if (!indication) {
      return `${t(wording('UnknownIndication', [label.name, name, '']))}. It lists: ${[...label.indications.keys()].map(code).join(', ')}.`;
    }
    const lines = [`**${indication.name}** (${label.name}) — ${t(indication.title)}`];
    if (indication.dose) lines.push(`**Dose:** ${this.line(label, indication.dose.node)}`);
    if (indication.requires.length > 0) {
      lines.push('**Requires:**\n' + indication.requires.map((requirement) => `- ${this.line(label, requirement.node)}`).join('\n'));
    }
    if (indication.constraints.length > 0) lines.push('**Constraints:**\n' + this.constraintList(label, indication.constraints));
    if (indication.node.notes.length > 0) lines.push('**Notes:**\n' + indication.node.notes.map((note) => `- ${t(note.value)}`).join('\n'));
    return lines.join('\n\n');
  }

  private fact(name: string, scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    const fact = label?.facts.get(name);
    if (!label || !fact) return undefined;
    const lines = [`**${fact.name}** — ${t(fact.title)}`, `Type: ${this.factType(fact)}`];
    if (!fact.decl) lines.push(italic('Built in: every protocol can use it.'));
    const notes = fact.decl?.notes ?? [];
    if (notes.length > 0) lines.push(notes.map((note) => `- ${t(note.value)}`).join('\n'));
    const indication = indicationOf(this.doc, scope);
    const indications = indication ? [indication] : [...label.indications.values()];
    for (const item of indications) {
      const about = linesAbout(item, name);
      if (about.length > 0) lines.push(`**Label lines about ${fact.name}** (${item.name}):\n` + this.constraintList(label, about));
    }
    if (fact.decl) lines.push(`Declared at ${this.location(label, fact.decl.span)}`);
    return lines.join('\n\n');
  }

  private value(value: string, factName: string, scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    const fact = label?.facts.get(factName);
    if (!label || !fact) return undefined;
    if (fact.kind === 'boolean') return `${code(value)} — a value of ${code(fact.name)} (${t(fact.title)}: yes/no)`;
    const known = fact.values ?? [];
    const head = known.includes(value)
      ? `${code(value)} — a value of ${code(fact.name)} (${t(fact.title)}: one of ${known.join(', ')})`
      : `${code(value)} is not a value of ${code(fact.name)}; it is one of ${known.join(', ')}`;
    const indication = indicationOf(this.doc, scope);
    const about = indication ? linesAbout(indication, fact.name).filter((constraint) => quote(label, constraint.condition.span).match(new RegExp(`\\b${value}\\b`))) : [];
    return about.length > 0 ? `${head}\n\n**Label lines for ${value}:**\n${this.constraintList(label, about)}` : head;
  }

  private unit(written: string, extra?: string): string {
    const result = parseUnit(written);
    if (!result.ok) return `${code(written)}: ${unitMessage(result.problem)}`;
    const unit = result.unit;
    const alias = unit.ucum !== written.trim() ? ` (written for UCUM ${code(unit.ucum)})` : '';
    return `${code(written)} — ${unit.name}${alias}${extra ? `\n\n${extra}` : ''}`;
  }

  private quantity(target: Extract<Target, { kind: 'quantity' }>): string | undefined {
    const { quantity, role, scope } = target;
    const written = `${quantity.valueText}${quantity.unit ? ` ${quantity.unit.text}` : ''}`;
    const label = labelOf(this.doc, scope);
    const fact = factOf(this.doc, scope, target.fact);
    const sections: string[] = [];
    const converted = fact?.unit ? this.converted(quantity, fact.unit) : undefined;
    // A conversion is worth showing only when it changes something (`0.4 10*9/L` = `400 /uL`).
    if (converted && converted !== written) sections.push(`${code(written)} = **${converted}** (${fact!.name} is measured in ${code(fact!.unit!.written)})`);
    else if (fact?.unit) sections.push(`${code(written)} (${fact.name} is measured in ${code(fact.unit.written)})`);
    switch (role) {
      case 'threshold':
      case 'given':
      case 'normal':
        if (label && fact) sections.push(...this.thresholdContext(label, fact.name, scope, role));
        break;
      case 'start':
      case 'cycle': {
        if (role === 'start') sections.push(this.startAmount(quantity, written, scope));
        const dose = this.labelDose(scope);
        if (dose) sections.push(dose);
        break;
      }
      case 'ruleDose':
        sections.push(...this.doseContext(scope, quantity));
        break;
      case 'expectDose':
        break;
      case 'combination': {
        const combination = scope.protocol?.combinations.find((item) => item.amount === quantity);
        const text = combination?.drug ? this.combination(combination.drug.text, scope) : undefined;
        if (text) sections.push(text);
        break;
      }
      case 'labelDose':
      case 'cap':
      case 'requires':
        break;
    }
    if (target.part === 'unit' && quantity.unit) return this.unit(quantity.unit.text, sections.join('\n\n') || undefined);
    if (sections.length === 0 && quantity.unit) return this.unit(quantity.unit.text);
    return sections.join('\n\n') || undefined;
  }

  private startAmount(quantity: ast.Quantity, written: string, scope: Scope): string {
    const unit = labelOf(this.doc, scope)?.doseUnit;
    const labelDose = indicationOf(this.doc, scope)?.dose;
    const parsed = quantity.unit ? parseUnit(quantity.unit.text) : undefined;
    const amount = unit && parsed?.ok ? convert(quantity.value, parsed.unit, unit) : undefined;
    if (!unit || !labelDose || amount === undefined) return `${code(written)} — the start dose`;
    const labelAmount = formatQuantity(labelDose.amount, unit);
    const comparison = amount > labelDose.amount ? `**above** the label dose of ${labelAmount}` : amount < labelDose.amount ? `below the label dose of ${labelAmount}` : 'the label dose';
    return `${code(written)} — the start dose: ${comparison}`;
  }

  private converted(quantity: ast.Quantity, target: Unit): string | undefined {
    if (!quantity.unit) return undefined;
    const parsed = parseUnit(quantity.unit.text);
    if (!parsed.ok) return undefined;
    const value = convert(quantity.value, parsed.unit, target);
    return value === undefined ? undefined : formatQuantity(value, target);
  }

  private thresholdContext(label: ResolvedLabel, fact: string, scope: Scope, role: string): string[] {
    const indication = indicationOf(this.doc, scope);
    if (!indication) return [];
    const about = linesAbout(indication, fact);
    if (about.length === 0) return [`The label has no constraint on ${code(fact)} for ${indication.name}.`];
    const heading = role === 'given' ? `**What the label says about ${fact}** (${indication.name}):` : `**Label constraints on ${fact}** (${indication.name}):`;
    return [heading + '\n' + this.constraintList(label, about)];
  }

  private doseContext(scope: Scope, quantity: ast.Quantity): string[] {
    const label = labelOf(this.doc, scope);
    const indication = indicationOf(this.doc, scope);
    const rule = scope.protocol?.rules.find((item) => item.action?.kind === 'dose' && item.action.amount?.amount === quantity);
    if (!label || !indication) return [];
    const sections: string[] = [];
    const relative = rule?.action?.kind === 'dose' && rule.action.amount?.kind === 'relative';
    if (relative) sections.push(`A relative dose: ${code(quantity.valueText + ' ' + (quantity.unit?.text ?? ''))} less than ${code('previous_dose')} (the dose before the interruption).`);
    const resolved = resolvedProtocol(this.doc, scope.protocol);
    const ruleFacts = rule && resolved ? factsOf(resolved.rules.find((item) => item.node === rule)?.condition ?? { kind: 'invalid', span: rule.span }) : [];
    const caps = indication.constraints.filter((constraint) => constraint.kind === 'cap' || constraint.kind === 'take');
    const relevant = ruleFacts.length > 0 ? caps.filter((constraint) => factsOf(constraint.condition).some((fact) => ruleFacts.includes(fact))) : caps;
    if (relevant.length > 0) sections.push(`**The label's limits** (${indication.name}):\n` + this.constraintList(label, relevant));
    if (indication.dose) sections.push(`**Label dose:** ${this.line(label, indication.dose.node)}`);
    return sections;
  }

  private labelDose(scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    const indication = indicationOf(this.doc, scope);
    if (!label || !indication?.dose) return undefined;
    return `**Label dose for ${indication.name}:** ${this.line(label, indication.dose.node)}`;
  }

  private combination(drug: string, scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    const indication = indicationOf(this.doc, scope);
    if (!label || !indication) return undefined;
    const required = indication.requires.filter((requirement) => requirement.drug === drug);
    if (required.length === 0) return `The ${label.name} label does not require ${code(drug)} for ${indication.name}.`;
    return `**${drug}** — required with ${label.name} for ${indication.name}:\n` + required.map((requirement) => `- ${this.line(label, requirement.node, true)}`).join('\n');
  }

  private requiredDrug(requires: ast.Requires, scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    if (!label) return undefined;
    return `**${requires.drug?.text ?? ''}** — a required combination\n\n${this.line(label, requires, true)}`;
  }

  private rule(rule: ast.Rule, scope: Scope): string | undefined {
    const resolved = resolvedProtocol(this.doc, scope.protocol);
    const info = resolved?.rules.find((item) => item.node === rule);
    const name = rule.name?.text ?? '(unnamed)';
    const conditionText = rule.condition ? this.doc.text.slice(rule.condition.span.start, rule.condition.span.end).replace(/\s+/g, ' ') : '…';
    const actionText = rule.action ? this.doc.text.slice(rule.action.span.start, rule.action.span.end).replace(/\s+/g, ' ') : '…';
    const lines = [`**rule ${name}** — fires when ${code(conditionText)}; gives **${t(actionText)}**`];
    if (!resolved || !info) {
      lines.push(italic('Not evaluated: the protocol or this rule does not resolve yet (see the diagnostics).'));
      return lines.join('\n\n');
    }
    lines.push(this.evaluated(resolved, info));
    const related = resolved.indication.constraints.filter((constraint) => factsOf(constraint.condition).some((fact) => factsOf(info.condition).includes(fact)));
    if (related.length > 0) lines.push(`**Label lines on the same facts** (${resolved.indication.name}):\n` + this.constraintList(resolved.label, related));
    return lines.join('\n\n');
  }

  /** What the protocol decides in a state where the rule fires, by the one evaluator. */
  private evaluated(protocol: ResolvedProtocol, rule: RuleInfo): string {
    const state = witnessState(rule.condition, protocol.label.facts);
    if (!state) return italic('No patient state makes this rule fire.');
    const outcome = decide(protocol, state);
    const given = stateText(state, protocol.label.facts) || 'no facts given';
    const decided = outcome.decidedBy === rule ? `decided by this rule` : `decided by ${t(phraseText(whyPhrase(outcome.reason)))}`;
    return `Evaluated: given ${code(given)}, this protocol gives **${formatDecision(outcome.decision)}** (${decided}).`;
  }

  private test(test: ast.TestCase, scope: Scope): string | undefined {
    const resolved = resolvedProtocol(this.doc, scope.protocol);
    const title = t(test.title?.value ?? '');
    const result = resolved ? this.doc.analysis.tests.find((item) => item.span.start === test.span.start && item.span.end === test.span.end) : undefined;
    if (!result) return `**test "${title}"** — ${italic('not run: the protocol does not resolve yet (see the diagnostics).')}`;
    if (result.error) return `**test "${title}"** — not run: ${t(result.error)}`;
    const head = result.passed ? `**test "${title}"** — ✓ passes: ${code(result.actual)}` : `**test "${title}"** — ✗ fails: expected ${code(result.expected)}, got ${code(result.actual)}`;
    return `${head}\n\nDecided by ${t(result.decidedBy)}.`;
  }

  /** A scenario: its steps' results, from the check that ran them. */
  private scenario(scenario: ast.Scenario, scope: Scope): string {
    const title = scenario.title?.value ?? '';
    const head = `**scenario "${t(title)}"** — ${counted(scenario.steps.length, 'step')}`;
    const resolved = resolvedProtocol(this.doc, scope.protocol);
    const info = resolved?.scenarios.find((item) => item.node === scenario);
    if (!resolved || !info) return `${head}\n\n${italic('Not run: the protocol does not resolve yet (see the diagnostics).')}`;
    if (!info.complete) return `${head}\n\n${italic('Not run: a step could not be read (see the error on it).')}`;
    const ran = this.doc.analysis.tests.filter((item) => item.scenario !== undefined && scenario.steps.some((step) => step.span.start === item.span.start && step.span.end === item.span.end));
    const failed = ran.filter((item) => !item.passed);
    const first = failed[0];
    const verdict = !first
      ? uiText('StepsPass', counted(ran.length, 'step'))
      : `✗ ${failed.length} of ${ran.length} steps fail; first ${t(first.title.slice(title.length + 3))}: ${first.error !== undefined ? t(first.error) : `expected ${code(first.expected)}, got ${code(first.actual)}`}`;
    return `${head}: ${verdict}\n\nHover on a step to see the state of the course that day.`;
  }

  /** A scenario step: the state of the course that day, by the one course evaluator. */
  private step(at: ScenarioStepAt, scope: Scope): string {
    const when = at.step.at;
    const day = when ? (when.kind === 'day' ? `day ${when.day}` : `cycle ${when.cycle} day ${when.day}`) : 'step';
    const head = `**${day}** — step ${at.index + 1} of scenario "${at.scenario.title?.value ?? ''}"`;
    const resolved = resolvedProtocol(this.doc, scope.protocol);
    const info = resolved?.scenarios.find((item) => item.node === at.scenario);
    if (!resolved || !info) return `${head}\n\n${italic('Not run: the protocol does not resolve yet (see the diagnostics).')}`;
    if (!info.complete) return `${head}\n\n${italic('Not run: a step of this scenario could not be read (see the error on it).')}`;
    const state = stepState(resolved, info, at.index);
    if (!state) return head;
    const { result } = state;
    if (result.error) return `${head}\n\n⚠ Not run: ${phraseText(result.error).replace(/^not run: /, '')}`;
    const lines = [head];
    const checks = result.step.expected !== undefined || result.step.companions.length > 0 || result.step.position !== undefined;
    if (checks) lines.push(result.passed ? `✓ passes: ${code(result.actual)}` : `✗ fails: ${result.problems.map(phraseText).join('; ')}`);
    const calendar = state.calendar;
    if (calendar) {
      const behind = state.daysBehind > 0 ? ` (${counted(state.daysBehind, 'day')} behind the planned calendar: a cycle was delayed)` : '';
      const facts = [`- Calendar: day ${calendar.treatmentDay} of treatment, cycle ${calendar.cycle} day ${calendar.cycleDay}${behind}`];
      if (state.delayed) facts.push(`- Delayed: ${phraseText(whyPhrase(state.delayed))}`);
      facts.push(`- Decision: **${state.decision}** — ${state.reason ? phraseText(whyPhrase(state.reason)) : ''}`);
      facts.push(`- Current dose: ${state.dose}`);
      facts.push(`- Holds in force: ${state.holds.length > 0 ? state.holds.map(code).join(', ') : 'none'}`);
      if (state.companions.length > 0) facts.push(`- With: ${state.companions.join(', ')}`);
      const observed = result.observations && result.observations.size > 0 ? stateText(result.observations, resolved.facts) : '';
      facts.push(`- Observations in force: ${observed ? code(observed) : 'none (normal values)'}`);
      lines.push(`**That day:**\n${facts.join('\n')}`);
    }
    return lines.join('\n\n');
  }

  private deviation(deviation: ast.Deviation, scope: Scope): string {
    const topic = deviation.topic?.text ?? '';
    const reason = deviation.reason?.value.trim();
    const lines = [`**deviation ${topic}**`];
    if (!(DEVIABLE_TOPICS as readonly string[]).includes(topic)) lines.push(`${t(wording('UnknownDeviation', [topic, DEVIABLE_TOPICS.join(', ')]))}.`);
    else if (reason) {
      const lowered = diagnosticsByCode().filter((diagnostic) => diagnostic.deviation?.includes(topic as DeviationTopic));
      lines.push(`Reason: ${t(reason)}`, `These findings are shown as warnings, with this reason: ${lowered.map((diagnostic) => `${diagnostic.code} ${diagnostic.name}`).join(', ')}.`);
    } else lines.push(`${t(wording('DeviationWithoutReason', [topic]))}.`);
    const dose = this.labelDose(scope);
    if (dose && (topic === 'cycle' || topic === 'days' || topic === 'start')) lines.push(dose);
    return lines.join('\n\n');
  }

  private labelLine(line: LabelLine, scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    if (!label) return undefined;
    const kinds: Record<LabelLine['kind'], string> = {
      dose: 'the label dose',
      requires: 'a required combination',
      hold: 'treatment is held (interrupted) when this holds',
      discontinue: 'treatment is stopped for good when this holds',
      cap: 'the dose may not exceed this when this holds',
      take: 'the dose must be given with this timing when this holds',
    };
    return `**${line.kind === 'cap' ? 'at most' : line.kind}** — ${kinds[line.kind]}\n\n${this.line(label, line, true)}`;
  }

  private timing(timing: ast.Timing, scope: Scope): string | undefined {
    const label = labelOf(this.doc, scope);
    const indication: IndicationInfo | undefined = indicationOf(this.doc, scope);
    const text = `${timing.relation.text} ${timing.event?.text ?? ''}`.trim();
    if (!label || !indication) return `${code(text)} — the dose is given ${text}.`;
    const takes = indication.constraints.filter((constraint) => constraint.kind === 'take' && constraint.timing === text);
    if (takes.length === 0) return `${code(text)} — the ${label.name} label prescribes no such timing for ${indication.name}.`;
    return `${code(text)} — the label prescribes it:\n` + this.constraintList(label, takes);
  }
}
