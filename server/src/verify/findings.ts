// Verification's findings: POS4001 per counterexample (on the deciding rule, with
// the label line as related information and an "Add as test" quick fix) and
// POS4002 when the exploration stopped before the end.
import { finding, type Finding, type QuickFix } from '../diagnostics/finding.js';
import type { ResolvedProtocol } from '../semantics/model.js';
import { labelRelated } from '../semantics/checks/context.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import type { LabelCheck } from './label-checks.js';
import type { Counterexample } from './types.js';

/** The offset of the protocol's closing brace, or undefined when the text shows none there. */
function closingBrace(protocol: ResolvedProtocol, text: string | undefined): number | undefined {
  const offset = protocol.node.span.end - 1;
  if (offset < 0) return undefined;
  if (text !== undefined && text[offset] !== '}') return undefined;
  return offset;
}

/** Inserts the test on its own line just before the closing brace. */
function addAsTest(protocol: ResolvedProtocol, testText: string, text: string | undefined): QuickFix[] {
  const brace = closingBrace(protocol, text);
  if (brace === undefined) return [];
  const lineStart = text === undefined ? brace : text.lastIndexOf('\n', brace - 1) + 1;
  const onOwnLine = text === undefined || text.slice(lineStart, brace).trim() === '';
  const at = onOwnLine ? lineStart : brace;
  const eol = text?.includes('\r\n') ? '\r\n' : '\n';
  const newText = (onOwnLine ? `${testText}\n` : `\n${testText}\n`).replace(/\n/g, eol);
  return [{ title: 'Add as test', edits: [{ span: { start: at, end: at }, newText }] }];
}

function countSuffix(count: number): string {
  return count > 1 ? `; ${count} of the explored patient states break it this way` : '';
}

export function counterexampleFinding(protocol: ResolvedProtocol, example: Counterexample, check: LabelCheck, text?: string): Finding {
  const args = [`${example.stateText} (${protocol.indication.name})`, example.given, example.required, example.constraintText, countSuffix(example.count)];
  const decider = example.decidedBy;
  const decidedElsewhere = decider && decider.node.span.start !== example.span.start;
  const decidedBy = decidedElsewhere ? [{ file: protocol.file, span: decider.node.span, message: `Decided by rule ${decider.name}: ${example.given}` }] : [];
  return finding(protocol.file, example.span, 'Counterexample', args, {
    related: [labelRelated(protocol.label, check.line), ...decidedBy],
    fixes: addAsTest(protocol, example.testText, text),
  });
}

export function incompleteFinding(protocol: ResolvedProtocol, explored: number, total: number, reason: string): Finding {
  return finding(protocol.file, headerSpan(protocol.node), 'VerificationIncomplete', [explored, total, reason]);
}

/** The indentation of the protocol's items, read from the text when there is one. */
export function itemIndent(protocol: ResolvedProtocol, text: string | undefined): string {
  const first = protocol.node.rules[0] ?? protocol.node.tests[0] ?? protocol.node.start;
  if (!text || !first) return '  ';
  const lineStart = text.lastIndexOf('\n', first.span.start - 1) + 1;
  const indent = text.slice(lineStart, first.span.start);
  return /^[ \t]+$/.test(indent) ? indent : '  ';
}
