// What is at an offset: the innermost meaningful element of the syntax tree,
// with the blocks around it. Hover, definition and completion start here.
// Spans are inclusive at the end so a cursor just after a word still finds it.
import type * as ast from '../../syntax/ast.js';

export interface Scope {
  protocol?: ast.ProtocolBlock;
  label?: ast.LabelBlock;
  indication?: ast.IndicationDecl;
}

export type QuantityRole =
  | 'threshold'
  | 'given'
  | 'start'
  | 'ruleDose'
  | 'expectDose'
  | 'cycle'
  | 'combination'
  | 'labelDose'
  | 'cap'
  | 'requires'
  | 'normal';

/** A scenario step with its scenario and its index among the scenario's steps. */
export interface ScenarioStepAt {
  scenario: ast.Scenario;
  step: ast.ScenarioStep;
  index: number;
}

export type LabelLine = ast.LabelDose | ast.Requires | ast.LabelConstraint;

export type Target =
  | { kind: 'label'; name: ast.Name; label: ast.LabelBlock; scope: Scope }
  | { kind: 'drug'; name: ast.Name; scope: Scope }
  | { kind: 'combination'; name: ast.Name; combination: ast.Combination; scope: Scope }
  | { kind: 'requiredDrug'; name: ast.Name; requires: ast.Requires; scope: Scope }
  | { kind: 'indication'; name: ast.Name; decl?: ast.IndicationDecl; scope: Scope }
  | { kind: 'fact'; name: ast.Name; decl?: ast.FactDecl; scope: Scope }
  | { kind: 'value'; name: ast.Name; fact: string; scope: Scope }
  | { kind: 'quantity'; quantity: ast.Quantity; part: 'value' | 'unit'; role: QuantityRole; fact?: string; scope: Scope }
  | { kind: 'factUnit'; unit: ast.Name; decl: ast.FactDecl; scope: Scope }
  | { kind: 'rule'; rule: ast.Rule; span: ast.Span; scope: Scope }
  | { kind: 'action'; action: ast.Action; rule?: ast.Rule; test?: ast.TestCase; step?: ScenarioStepAt; scope: Scope }
  | { kind: 'test'; test: ast.TestCase; span: ast.Span; scope: Scope }
  | { kind: 'scenario'; scenario: ast.Scenario; span: ast.Span; scope: Scope }
  | { kind: 'step'; step: ScenarioStepAt; span: ast.Span; scope: Scope }
  | { kind: 'deviation'; deviation: ast.Deviation; scope: Scope }
  | { kind: 'start'; start: ast.Start; scope: Scope }
  | { kind: 'labelLine'; line: LabelLine; scope: Scope }
  | { kind: 'timing'; timing: ast.Timing; scope: Scope };

export function within(span: ast.Span | undefined, offset: number): span is ast.Span {
  return span !== undefined && offset >= span.start && offset <= span.end;
}

/** The innermost target at `offset`, or undefined on whitespace, comments and keywords with no meaning of their own. */
export function locate(file: ast.DoseFile, offset: number): Target | undefined {
  for (const block of file.blocks) {
    if (!within(block.span, offset)) continue;
    return block.kind === 'label' ? inLabel(block, offset) : inProtocol(block, offset);
  }
  return undefined;
}

/** The block (label or protocol) around `offset`. */
export function blockAt(file: ast.DoseFile, offset: number): ast.Block | undefined {
  return file.blocks.find((block) => within(block.span, offset));
}

// ---- expressions ---------------------------------------------------------------

export function inExpr(expr: ast.Expr | undefined, offset: number, scope: Scope): Target | undefined {
  if (!expr || !within(expr.span, offset)) return undefined;
  switch (expr.kind) {
    case 'fact':
      return within(expr.name.span, offset) ? { kind: 'fact', name: expr.name, scope } : undefined;
    case 'compare': {
      if (within(expr.fact.span, offset)) return { kind: 'fact', name: expr.fact, scope };
      const value = expr.value;
      if (!value) return undefined;
      if ('kind' in value) return inQuantity(value, offset, 'threshold', scope, expr.fact.text);
      return within(value.span, offset) ? { kind: 'value', name: value, fact: expr.fact.text, scope } : undefined;
    }
    case 'in': {
      if (within(expr.fact.span, offset)) return { kind: 'fact', name: expr.fact, scope };
      const value = expr.values.find((item) => within(item.span, offset));
      return value ? { kind: 'value', name: value, fact: expr.fact.text, scope } : undefined;
    }
    case 'not':
      return inExpr(expr.operand, offset, scope);
    case 'and':
    case 'or':
      for (const operand of expr.operands) {
        const found = inExpr(operand, offset, scope);
        if (found) return found;
      }
      return undefined;
  }
}

function inQuantity(quantity: ast.Quantity | undefined, offset: number, role: QuantityRole, scope: Scope, fact?: string): Target | undefined {
  if (!quantity || !within(quantity.span, offset)) return undefined;
  const part = quantity.unit && within(quantity.unit.span, offset) && offset > quantity.valueSpan.end ? 'unit' : 'value';
  return { kind: 'quantity', quantity, part, role, fact, scope };
}

function inAmount(amount: ast.DoseAmount | undefined, offset: number, role: QuantityRole, scope: Scope): Target | undefined {
  if (!amount || !within(amount.span, offset)) return undefined;
  return inQuantity(amount.amount, offset, role, scope);
}

function inSchedule(schedule: ast.Schedule, offset: number, scope: Scope): Target | undefined {
  return inQuantity(schedule.cycle, offset, 'cycle', scope);
}

// ---- labels ----------------------------------------------------------------------

function inLabel(label: ast.LabelBlock, offset: number): Target | undefined {
  const scope: Scope = { label };
  if (label.name && within(label.name.span, offset)) return { kind: 'label', name: label.name, label, scope };
  for (const fact of label.facts) {
    if (!within(fact.span, offset)) continue;
    if (fact.name && within(fact.name.span, offset)) return { kind: 'fact', name: fact.name, decl: fact, scope };
    const type = fact.type;
    if (type?.kind === 'quantity') {
      if (type.unit && within(type.unit.span, offset)) return { kind: 'factUnit', unit: type.unit, decl: fact, scope };
      const normal = inQuantity(type.normal, offset, 'normal', scope, fact.name?.text);
      if (normal) return normal;
    }
    if (type?.kind === 'enum') {
      const value = type.values.find((item) => within(item.span, offset));
      if (value) return { kind: 'value', name: value, fact: fact.name?.text ?? '', scope };
    }
    if (fact.name) return { kind: 'fact', name: fact.name, decl: fact, scope };
    return undefined;
  }
  for (const indication of label.indications) {
    if (!within(indication.span, offset)) continue;
    return inIndication(indication, offset, { label, indication });
  }
  return undefined;
}

function inIndication(indication: ast.IndicationDecl, offset: number, scope: Scope): Target | undefined {
  if (indication.name && within(indication.name.span, offset)) return { kind: 'indication', name: indication.name, decl: indication, scope };
  for (const dose of indication.doses) {
    if (!within(dose.span, offset)) continue;
    return inAmount(dose.amount, offset, 'labelDose', scope) ?? inSchedule(dose.schedule, offset, scope) ?? { kind: 'labelLine', line: dose, scope };
  }
  for (const requires of indication.requires) {
    if (!within(requires.span, offset)) continue;
    if (requires.drug && within(requires.drug.span, offset)) return { kind: 'requiredDrug', name: requires.drug, requires, scope };
    return inQuantity(requires.amount, offset, 'requires', scope) ?? inExpr(requires.condition, offset, scope) ?? { kind: 'labelLine', line: requires, scope };
  }
  for (const constraint of indication.constraints) {
    if (!within(constraint.span, offset)) continue;
    const inCondition = inExpr(constraint.condition, offset, scope);
    if (inCondition) return inCondition;
    if (constraint.kind === 'cap') {
      const amount = inAmount(constraint.amount, offset, 'cap', scope);
      if (amount) return amount;
    }
    if (constraint.kind === 'take' && constraint.timing && within(constraint.timing.span, offset)) return { kind: 'timing', timing: constraint.timing, scope };
    return { kind: 'labelLine', line: constraint, scope };
  }
  return undefined;
}

// ---- protocols -------------------------------------------------------------------

function inProtocol(protocol: ast.ProtocolBlock, offset: number): Target | undefined {
  const scope: Scope = { protocol };
  if (protocol.drug && within(protocol.drug.span, offset)) return { kind: 'drug', name: protocol.drug, scope };
  if (protocol.indication && within(protocol.indication.span, offset)) return { kind: 'indication', name: protocol.indication, scope };
  const start = protocol.start;
  if (start && within(start.span, offset)) {
    return inAmount(start.amount, offset, 'start', scope) ?? inSchedule(start.schedule, offset, scope) ?? { kind: 'start', start, scope };
  }
  for (const combination of protocol.combinations) {
    if (!within(combination.span, offset)) continue;
    if (combination.drug && within(combination.drug.span, offset)) return { kind: 'combination', name: combination.drug, combination, scope };
    return inQuantity(combination.amount, offset, 'combination', scope) ?? inSchedule(combination.schedule, offset, scope);
  }
  for (const rule of protocol.rules) {
    if (!within(rule.span, offset)) continue;
    const inCondition = inExpr(rule.condition, offset, scope);
    if (inCondition) return inCondition;
    const action = rule.action;
    if (action && within(action.span, offset)) {
      if (action.kind === 'dose') {
        const amount = inAmount(action.amount, offset, 'ruleDose', scope);
        if (amount) return amount;
        if (action.timing && within(action.timing.span, offset)) return { kind: 'timing', timing: action.timing, scope };
      }
      return { kind: 'action', action, rule, scope };
    }
    return { kind: 'rule', rule, span: rule.name?.span ?? rule.span, scope };
  }
  for (const test of protocol.tests) {
    if (!within(test.span, offset)) continue;
    const given = inGiven(test.given, offset, scope);
    if (given) return given;
    const expect = test.expect;
    if (expect && within(expect.span, offset)) {
      if (expect.kind === 'dose') {
        const amount = inAmount(expect.amount, offset, 'expectDose', scope);
        if (amount) return amount;
      }
      return { kind: 'action', action: expect, test, scope };
    }
    return { kind: 'test', test, span: test.title?.span ?? test.span, scope };
  }
  for (const scenario of protocol.scenarios) {
    if (!within(scenario.span, offset)) continue;
    const index = scenario.steps.findIndex((step) => within(step.span, offset));
    if (index < 0) return { kind: 'scenario', scenario, span: scenario.title?.span ?? scenario.span, scope };
    return inStep({ scenario, step: scenario.steps[index], index }, offset, scope);
  }
  for (const deviation of protocol.deviations) {
    if (within(deviation.span, offset)) return { kind: 'deviation', deviation, scope };
  }
  return undefined;
}

/** In a step: an observation's fact, quantity or value; the expected action; otherwise the step (its day). */
function inStep(at: ScenarioStepAt, offset: number, scope: Scope): Target {
  const observed = inGiven(at.step.observations, offset, scope);
  if (observed) return observed;
  const expect = at.step.expect;
  if (expect && within(expect.span, offset)) {
    if (expect.kind === 'dose') {
      const amount = inAmount(expect.amount, offset, 'expectDose', scope);
      if (amount) return amount;
    }
    return { kind: 'action', action: expect, step: at, scope };
  }
  return { kind: 'step', step: at, span: at.step.at?.span ?? at.step.span, scope };
}

function inGiven(given: readonly ast.Given[], offset: number, scope: Scope): Target | undefined {
  for (const item of given) {
    if (!within(item.span, offset)) continue;
    if (within(item.fact.span, offset) && item.fact.text !== 'day') return { kind: 'fact', name: item.fact, scope };
    const value = item.value;
    if (value && 'kind' in value) {
      const quantity = inQuantity(value, offset, 'given', scope, item.fact.text);
      if (quantity) return quantity;
    } else if (value && within(value.span, offset)) {
      return { kind: 'value', name: value, fact: item.fact.text, scope };
    }
  }
  return undefined;
}
