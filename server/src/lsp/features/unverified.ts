// The protocols of a file that verification did not run on, and why: against a
// label with errors of its own it is withheld (as the verifier says it);
// otherwise the error that kept the protocol from resolving against a label.
import { phrase, phraseText } from '../../diagnostics/finding.js';
import type { ProtocolBlock } from '../../syntax/ast.js';
import type { AnalysedDocument } from './document.js';

export interface UnverifiedProtocol {
  title: string;
  status: 'withheld' | 'not checked';
  reason: string;
}

/** Protocol blocks that did not resolve and are not among `verifiedTitles`. */
export function unverifiedProtocols(doc: AnalysedDocument, verifiedTitles: ReadonlySet<string>): UnverifiedProtocol[] {
  return doc.parsed.parse.file.blocks
    .filter((block): block is ProtocolBlock => block.kind === 'protocol' && !doc.analysis.protocols.some((protocol) => protocol.node === block) && !verifiedTitles.has(block.title?.value ?? ''))
    .map((block) => ({ title: block.title?.value ?? '(untitled protocol)', ...whyUnverified(doc, block) }));
}

function whyUnverified(doc: AnalysedDocument, block: ProtocolBlock): Pick<UnverifiedProtocol, 'status' | 'reason'> {
  const labels = block.drug?.text ? doc.labels.index.find(block.drug.text) : [];
  if (labels.length === 1 && labels[0].errorCount > 0) {
    return { status: 'withheld', reason: phraseText(phrase('VerificationWithheld', labels[0].name, labels[0].errorCount)) };
  }
  const first = doc.analysis.findings.find((item) => item.severity === 'error' && item.span.start >= block.span.start && item.span.start <= block.span.end);
  return { status: 'not checked', reason: phraseText(first ? phrase('NotResolvedBecause', first.message) : phrase('NotResolved')) };
}
