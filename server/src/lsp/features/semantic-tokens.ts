// Semantic tokens: every token of the file, with names classified by what the
// syntax tree says they are (a drug, an indication, a fact, an enum value, a
// rule, a timing event) rather than by their spelling.
import type * as ast from '../../syntax/ast.js';
import { BUILTIN_PREVIOUS_DOSE } from '../../semantics/model.js';
import type { Token } from './tokens.js';

export const TOKEN_TYPES = [
  'namespace', 'class', 'enumMember', 'property', 'function', 'parameter', 'event', 'variable',
  'keyword', 'string', 'number', 'type', 'comment', 'operator',
] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'documentation', 'defaultLibrary'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  start: number;
  end: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

type Classified = { type: TokenType; modifiers: TokenModifier[] };

class Names {
  readonly byStart = new Map<number, Classified>();

  add(name: { span: ast.Span; text?: string } | undefined, type: TokenType, ...modifiers: TokenModifier[]): void {
    if (name) this.byStart.set(name.span.start, { type, modifiers });
  }

  expr(expr: ast.Expr | undefined): void {
    if (!expr) return;
    switch (expr.kind) {
      case 'fact':
        this.fact(expr.name);
        return;
      case 'compare':
        this.fact(expr.fact);
        if (expr.value && !('kind' in expr.value)) this.add(expr.value, 'enumMember');
        return;
      case 'in':
        this.fact(expr.fact);
        for (const value of expr.values) this.add(value, 'enumMember');
        return;
      case 'not':
        this.expr(expr.operand);
        return;
      case 'and':
      case 'or':
        for (const operand of expr.operands) this.expr(operand);
        return;
    }
  }

  fact(name: ast.Name): void {
    if (name.text === BUILTIN_PREVIOUS_DOSE) this.add(name, 'property', 'defaultLibrary');
    else this.add(name, 'property');
  }

  schedule(schedule: ast.Schedule): void {
    this.add(schedule.route, 'parameter');
  }

  timing(timing: ast.Timing | undefined): void {
    this.add(timing?.event, 'event');
  }

  action(action: ast.Action | undefined): void {
    if (action?.kind === 'dose') this.timing(action.timing);
  }

  annotated(node: { source?: ast.SourceClause; notes?: ast.StringLit[] }, documentation: Set<number>): void {
    if (node.source?.text) documentation.add(node.source.text.span.start);
    for (const note of node.notes ?? []) documentation.add(note.span.start);
  }
}

function classify(file: ast.DoseFile): { names: Map<number, Classified>; documentation: Set<number> } {
  const names = new Names();
  const documentation = new Set<number>();
  for (const block of file.blocks) {
    if (block.kind === 'label') {
      names.add(block.name, 'namespace', 'declaration');
      names.annotated(block, documentation);
      for (const fact of block.facts) {
        names.add(fact.name, 'property', 'declaration');
        if (fact.type?.kind === 'enum') for (const value of fact.type.values) names.add(value, 'enumMember', 'declaration');
        names.annotated(fact, documentation);
      }
      for (const indication of block.indications) {
        names.add(indication.name, 'class', 'declaration');
        names.annotated(indication, documentation);
        for (const dose of indication.doses) {
          names.schedule(dose.schedule);
          names.annotated(dose, documentation);
        }
        for (const requires of indication.requires) {
          names.add(requires.drug, 'namespace');
          names.expr(requires.condition);
          names.annotated(requires, documentation);
        }
        for (const constraint of indication.constraints) {
          names.expr(constraint.condition);
          if (constraint.kind === 'take') names.timing(constraint.timing);
          names.annotated(constraint, documentation);
        }
      }
    } else {
      names.add(block.drug, 'namespace');
      names.add(block.indication, 'class');
      if (block.start) names.schedule(block.start.schedule);
      for (const combination of block.combinations) {
        names.add(combination.drug, 'namespace');
        names.schedule(combination.schedule);
      }
      for (const rule of block.rules) {
        names.add(rule.name, 'function', 'declaration');
        names.expr(rule.condition);
        names.action(rule.action);
      }
      for (const test of block.tests) {
        for (const given of test.given) {
          if (given.fact.text !== 'day') names.fact(given.fact);
          if (given.value && !('kind' in given.value)) names.add(given.value, 'enumMember');
        }
        names.action(test.expect);
      }
      for (const deviation of block.deviations) names.add(deviation.topic, 'keyword');
      for (const note of block.notes) documentation.add(note.span.start);
    }
  }
  return { names: names.byStart, documentation };
}

export function semanticTokens(file: ast.DoseFile, tokens: readonly Token[]): SemanticToken[] {
  const { names, documentation } = classify(file);
  const result: SemanticToken[] = [];
  for (const token of tokens) {
    const base = { start: token.start, end: token.end };
    switch (token.kind) {
      case 'keyword': {
        const asName = names.get(token.start);
        result.push({ ...base, type: asName?.type ?? 'keyword', modifiers: asName?.modifiers ?? [] });
        break;
      }
      case 'name': {
        const classified = names.get(token.start) ?? { type: 'variable', modifiers: [] };
        result.push({ ...base, ...classified });
        break;
      }
      case 'number':
        result.push({ ...base, type: 'number', modifiers: [] });
        break;
      case 'unit':
        result.push({ ...base, type: 'type', modifiers: [] });
        break;
      case 'string':
        result.push({ ...base, type: 'string', modifiers: documentation.has(token.start) ? ['documentation'] : [] });
        break;
      case 'comment':
        result.push({ ...base, type: 'comment', modifiers: [] });
        break;
      case 'operator':
        result.push({ ...base, type: 'operator', modifiers: [] });
        break;
      case 'punctuation':
        break;
    }
  }
  return result;
}
