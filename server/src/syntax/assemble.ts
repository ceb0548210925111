// Blocks from the items read in them: each item goes to its list, and `source`
// and `note` lines attach to the item before them (or to the block if first).
import type * as ast from './ast.js';

type Maybe<T> = T | undefined;

export type Annotation = { kind: 'source' | 'note'; text: Maybe<ast.StringLit>; span: ast.Span };
export type LabelItem = ast.FactDecl | ast.IndicationDecl | { kind: 'alias'; values: ast.StringLit[] } | ast.DocumentDecl | Annotation;
export type IndicationItem = ast.LabelDose | ast.Requires | ast.LabelConstraint | ast.CycleGate | ast.LowestDose | Annotation;
export type ProtocolItem =
  | { kind: 'drug' | 'indication'; name: Maybe<ast.Name> }
  | ast.Start
  | ast.Levels
  | ast.FactDecl
  | ast.CycleGate
  | ast.Scenario
  | ast.Combination
  | ast.Rule
  | ast.TestCase
  | ast.Deviation
  | Annotation;

type Annotated = { source?: ast.SourceClause; notes: ast.StringLit[] };

function attach(annotation: Annotation, target: Annotated): void {
  if (annotation.kind === 'note') {
    if (annotation.text) target.notes.push(annotation.text);
  } else {
    target.source = { text: annotation.text, span: annotation.span };
  }
}

export function buildLabel(items: LabelItem[], name: Maybe<ast.Name>, title: Maybe<ast.StringLit>, span: ast.Span): ast.LabelBlock {
  const label: ast.LabelBlock = { kind: 'label', name, title, aliases: [], documents: [], facts: [], indications: [], notes: [], span };
  const aliases: Annotated = { notes: label.notes };
  let previous: Annotated = label;
  for (const item of items) {
    switch (item.kind) {
      case 'fact':
        label.facts.push(item);
        previous = item;
        break;
      case 'indication':
        label.indications.push(item);
        previous = label;
        break;
      case 'alias':
        label.aliases.push(...item.values);
        previous = aliases;
        break;
      case 'document':
        label.documents.push(item);
        previous = label;
        break;
      default:
        attach(item, previous);
    }
  }
  label.aliasSource = aliases.source;
  return label;
}

export function buildIndication(
  items: IndicationItem[],
  name: Maybe<ast.Name>,
  title: Maybe<ast.StringLit>,
  span: ast.Span,
): ast.IndicationDecl {
  const indication: ast.IndicationDecl = {
    kind: 'indication', name, title, doses: [], requires: [], constraints: [], gates: [], lowest: [], notes: [], span,
  };
  let previous: Annotated = indication as unknown as Annotated;
  for (const item of items) {
    switch (item.kind) {
      case 'dose':
        indication.doses.push(item);
        break;
      case 'requires':
        indication.requires.push(item);
        break;
      case 'hold':
      case 'discontinue':
      case 'cap':
      case 'take':
        indication.constraints.push(item);
        break;
      case 'gate':
        indication.gates.push(item);
        break;
      case 'lowest':
        indication.lowest.push(item);
        break;
      default:
        attach(item, previous);
        continue;
    }
    previous = item;
  }
  return indication;
}

export function buildProtocol(items: ProtocolItem[], title: Maybe<ast.StringLit>, span: ast.Span): ast.ProtocolBlock {
  const protocol: ast.ProtocolBlock = {
    kind: 'protocol', title, combinations: [], facts: [], gates: [], rules: [], tests: [], scenarios: [], deviations: [], notes: [], span,
  };
  let previous: Maybe<Annotated> = undefined;
  for (const item of items) {
    if (item.kind !== 'note' && item.kind !== 'source') previous = undefined;
    switch (item.kind) {
      case 'drug':
        protocol.drug = item.name;
        break;
      case 'indication':
        protocol.indication = item.name;
        break;
      case 'start':
        protocol.start = item;
        break;
      case 'levels':
        protocol.levels = item;
        break;
      case 'fact':
        protocol.facts.push(item);
        previous = item;
        break;
      case 'gate':
        protocol.gates.push(item);
        previous = item;
        break;
      case 'scenario':
        protocol.scenarios.push(item);
        break;
      case 'with':
        protocol.combinations.push(item);
        break;
      case 'rule':
        protocol.rules.push(item);
        break;
      case 'test':
        protocol.tests.push(item);
        break;
      case 'deviation':
        protocol.deviations.push(item);
        break;
      case 'note':
      case 'source':
        // A `source` or `note` after a protocol fact or gate belongs to it, as in a label.
        if (previous) attach(item, previous);
        else if (item.kind === 'note' && item.text) protocol.notes.push(item.text);
        break;
    }
  }
  return protocol;
}
