// From a place in the syntax tree to the resolved model: the protocol's
// resolved form, its label and indication, and the label lines about a fact.
// Falls back to looking the label up by name when the protocol itself did not
// resolve (an unknown indication, a half-typed line), so features keep working.
import type * as ast from '../../syntax/ast.js';
import type { ConstraintInfo, FactInfo, IndicationInfo, ResolvedLabel, ResolvedProtocol } from '../../semantics/model.js';
import { factsOf } from '../../semantics/conditions.js';
import { labelText } from '../../print/label-lines.js';
import { lineIndexFor } from '../../syntax/line-index.js';
import type { Scope } from './locate.js';
import type { AnalysedDocument } from './document.js';

export function resolvedProtocol(doc: AnalysedDocument, block: ast.ProtocolBlock | undefined): ResolvedProtocol | undefined {
  return block ? doc.analysis.protocols.find((protocol) => protocol.node === block) : undefined;
}

/** The single label named `name` (or aliased), if exactly one is known. */
export function labelNamed(doc: AnalysedDocument, name: string | undefined): ResolvedLabel | undefined {
  if (!name) return undefined;
  const found = doc.labels.index.find(name);
  return found.length === 1 ? found[0] : undefined;
}

export function labelOf(doc: AnalysedDocument, scope: Scope): ResolvedLabel | undefined {
  if (scope.label) return doc.labels.index.labels().find((label) => label.node === scope.label);
  const resolved = resolvedProtocol(doc, scope.protocol);
  if (resolved) return resolved.label;
  return labelNamed(doc, scope.protocol?.drug?.text);
}

export function indicationOf(doc: AnalysedDocument, scope: Scope): IndicationInfo | undefined {
  const resolved = resolvedProtocol(doc, scope.protocol);
  if (resolved) return resolved.indication;
  const label = labelOf(doc, scope);
  const name = scope.indication?.name?.text ?? scope.protocol?.indication?.text;
  return label && name ? label.indications.get(name) : undefined;
}

export function factOf(doc: AnalysedDocument, scope: Scope, name: string | undefined): FactInfo | undefined {
  if (!name) return undefined;
  return labelOf(doc, scope)?.facts.get(name);
}

/** Every label line (constraint or requirement) of an indication that mentions `fact`. */
export function linesAbout(indication: IndicationInfo, fact: string): ConstraintInfo[] {
  return indication.constraints.filter((constraint) => factsOf(constraint.condition).includes(fact));
}

/** `label.dose:52`, 1-based, for showing where a label line is. */
export function whereInLabel(label: ResolvedLabel, span: ast.Span): { line: number; file: string } {
  const lines = lineIndexFor(label, label.text);
  return { line: lines.lineOf(span.start) + 1, file: label.file };
}

export function quote(label: ResolvedLabel, span: ast.Span): string {
  return labelText(label, span);
}
