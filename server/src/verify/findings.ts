// Verification's findings: POS4001 per one-day counterexample (quick fix "Add as
// test"), POS4003 per course counterexample (quick fix "Add as scenario"), both
// on the deciding rule with the label line as related information, and POS4002
// when the search stopped before the end.
import { fixTitle, finding, phrase, phraseText, type Finding, type QuickFix } from '../diagnostics/finding.js';
import type { Phrase } from '../diagnostics/messages.js';
import type { ResolvedProtocol } from '../semantics/model.js';
import { labelRelated } from '../print/label-lines.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import type { LabelLine } from './label-checks.js';
import type { Counterexample, StopReason } from './types.js';

/** The offset of the protocol's closing brace, or undefined when the text shows none there. */
function closingBrace(protocol: ResolvedProtocol, text: string | undefined): number | undefined {
  const offset = protocol.node.span.end - 1;
  if (offset < 0) return undefined;
  if (text !== undefined && text[offset] !== '}') return undefined;
  return offset;
}

/** Inserts the block on its own line just before the closing brace. */
function addBlock(protocol: ResolvedProtocol, title: string, block: string, text: string | undefined): QuickFix[] {
  const brace = closingBrace(protocol, text);
  if (brace === undefined) return [];
  const lineStart = text === undefined ? brace : text.lastIndexOf('\n', brace - 1) + 1;
  const onOwnLine = text === undefined || text.slice(lineStart, brace).trim() === '';
  const at = onOwnLine ? lineStart : brace;
  const eol = text?.includes('\r\n') ? '\r\n' : '\n';
  const newText = (onOwnLine ? `${block}\n` : `\n${block}\n`).replace(/\n/g, eol);
  return [{ title, edits: [{ span: { start: at, end: at }, newText }] }];
}

function countSuffix(count: number, what: 'StatesBreakIt' | 'DaysBreakIt'): string {
  return count > 1 ? phraseText(phrase(what, count)) : '';
}

export function counterexampleFinding(protocol: ResolvedProtocol, example: Counterexample, line: { span: { start: number; end: number }; source?: unknown } | undefined, text?: string): Finding {
  // Reported on the line to change; the rule that decided, when it is another one, as related information.
  const decider = example.decidedBy;
  const decidedElsewhere = decider && decider.node.span.start !== example.span.start;
  const decidedBy = decidedElsewhere ? [{ file: protocol.file, span: decider.node.span, message: phraseText(phrase('RelatedDecidingRuleGiving', decider.name, example.given)) }] : [];
  const related = [...(line ? [labelRelated(protocol.label, line as LabelLine)] : []), ...decidedBy];
  if (example.kind === 'test') {
    const args = [`${example.stateText} (${protocol.indication.name})`, example.given, example.required, example.constraintText, countSuffix(example.count, 'StatesBreakIt')];
    return finding(protocol.file, example.span, 'Counterexample', args, { related, fixes: addBlock(protocol, fixTitle('FixAddTest'), example.testText, text) });
  }
  const args = [example.days, protocol.indication.name, example.stateText, example.given, example.required, example.constraintText, countSuffix(example.count, 'DaysBreakIt')];
  return finding(protocol.file, example.span, 'CourseCounterexample', args, { related, fixes: addBlock(protocol, fixTitle('FixAddScenario'), example.testText, text) });
}

/** POS4002: the exploration stopped after `where` (a phrase of the table) for `reason`. */
export function incompleteFinding(protocol: ResolvedProtocol, where: Phrase, reason: StopReason): Finding {
  return finding(protocol.file, headerSpan(protocol.node), 'VerificationIncomplete', [phraseText(where), phraseText(stopPhrase(reason))]);
}

/** The table's phrase that says why an exploration stopped. */
export function stopPhrase(reason: StopReason): Phrase {
  const why = stopKindPhrase(reason);
  if (reason.during === 'minimizing') return phrase('StopWhileMinimizing', why);
  if (reason.during === 'shrinking') return phrase('StopWhileShrinking', why);
  return why;
}

function stopKindPhrase(reason: StopReason): Phrase {
  switch (reason.kind) {
    case 'cancelled':
      return phrase('StopCancelled');
    case 'time':
      return phrase('StopTimeBudget', reason.limitMs);
    case 'states':
      return phrase(reason.of === 'course' ? 'StopCourseStates' : 'StopEvaluatedStates', reason.limit);
    case 'numbering':
      return phrase('StopNumbering');
    case 'walk unfinished':
      return phrase('StopWalkUnfinished');
    case 'search unfinished':
      return phrase('StopSearchUnfinished');
  }
}

/** The indentation of the protocol's items, read from the text when there is one. */
export function itemIndent(protocol: ResolvedProtocol, text: string | undefined): string {
  const first = protocol.node.rules[0] ?? protocol.node.tests[0] ?? protocol.node.start;
  if (!text || !first) return '  ';
  const lineStart = text.lastIndexOf('\n', first.span.start - 1) + 1;
  const indent = text.slice(lineStart, first.span.start);
  return /^[ \t]+$/.test(indent) ? indent : '  ';
}
