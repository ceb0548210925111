// Go to definition: from a protocol's drug, indication, fact, value or
// combination drug to the label line that declares it; from a threshold or a
// dose to the label lines that constrain it. Returns file paths and spans.
import type { Span } from '../../syntax/ast.js';
import type { ResolvedLabel } from '../../semantics/model.js';
import { locate, type Target } from './locate.js';
import { factOf, indicationOf, labelNamed, labelOf, linesAbout } from './lookup.js';
import type { AnalysedDocument } from './document.js';

export interface DefinitionTarget {
  file: string;
  span: Span;
  /** The text the spans refer to, so the caller can compute lines without reading the disk. */
  text: string;
}

export function definition(doc: AnalysedDocument, offset: number): DefinitionTarget[] {
  const target = locate(doc.parsed.parse.file, offset);
  return target ? targetsOf(doc, target) : [];
}

function at(label: ResolvedLabel, span: Span | undefined): DefinitionTarget[] {
  return span ? [{ file: label.file, span, text: label.text }] : [];
}

function targetsOf(doc: AnalysedDocument, target: Target): DefinitionTarget[] {
  switch (target.kind) {
    case 'drug': {
      const label = labelNamed(doc, target.name.text);
      return label ? at(label, label.node.name?.span ?? label.node.span) : [];
    }
    case 'indication': {
      const label = labelOf(doc, target.scope);
      const indication = label?.indications.get(target.name.text);
      return label && indication ? at(label, indication.node.name?.span ?? indication.node.span) : [];
    }
    case 'fact': {
      const label = labelOf(doc, target.scope);
      const fact = factOf(doc, target.scope, target.name.text);
      return label && fact?.decl ? at(label, fact.decl.name?.span ?? fact.decl.span) : [];
    }
    case 'value': {
      const label = labelOf(doc, target.scope);
      const fact = factOf(doc, target.scope, target.fact);
      const type = fact?.decl?.type;
      const value = type?.kind === 'enum' ? type.values.find((item) => item.text === target.name.text) : undefined;
      return label ? at(label, value?.span ?? fact?.decl?.span) : [];
    }
    case 'combination': {
      const label = labelOf(doc, target.scope);
      const indication = indicationOf(doc, target.scope);
      if (!label || !indication) return [];
      return indication.requires.filter((requirement) => requirement.drug === target.name.text).flatMap((requirement) => at(label, requirement.node.span));
    }
    case 'quantity': {
      const label = labelOf(doc, target.scope);
      const indication = indicationOf(doc, target.scope);
      if (!label || !indication || target.scope.label) return [];
      if (target.fact) return linesAbout(indication, target.fact).flatMap((constraint) => at(label, constraint.node.span));
      if (target.role === 'start' || target.role === 'cycle') return at(label, indication.dose?.node.span);
      if (target.role === 'ruleDose') return indication.constraints.filter((constraint) => constraint.kind === 'cap').flatMap((constraint) => at(label, constraint.node.span));
      return [];
    }
    case 'start': {
      const label = labelOf(doc, target.scope);
      const indication = indicationOf(doc, target.scope);
      return label && indication ? at(label, indication.dose?.node.span) : [];
    }
    case 'timing': {
      const label = labelOf(doc, target.scope);
      const indication = indicationOf(doc, target.scope);
      if (!label || !indication || target.scope.label) return [];
      return indication.constraints.filter((constraint) => constraint.kind === 'take').flatMap((constraint) => at(label, constraint.node.span));
    }
    default:
      return [];
  }
}
