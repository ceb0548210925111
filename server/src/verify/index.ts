// Verification with counterexamples (SPEC "Beyond the line-by-line checks",
// SPEC-v2 "Verification over courses", docs/verification.md), in two phases that
// share one budget:
//   1. single days (one-day.ts): every partition of every fact, the calendar and
//      previous_dose included, from a fresh course: exhaustive and fast;
//   2. courses (courses.ts), when a label or protocol line carries state from day
//      to day (a hold with `until`, a cycle gate): a breadth-first search over the
//      product of both machines, visited states remembered, so it ends when no new
//      state is reachable and covers courses of any length.
// "verified" only when both finished with nothing found; a budget that stops
// either says how far it got. `verifyProtocol` runs phase 2 when asked
// (`courses: true`); the product's entry point, verifyFile (pipeline/verify-file.ts), always asks
// unless told not to.
import { phrase, phraseText, type Finding } from '../diagnostics/finding.js';
import { dosesPerDay, frequencyProblem } from '../eval/index.js';
import type { DosingSchedule, ResolvedProtocol } from '../semantics/model.js';
import { makeBudget } from './budget.js';
import { hasHistory, verifyCourses, type CourseReported } from './courses.js';
import { counterexampleFinding, incompleteFinding, itemIndent, stopPhrase } from './findings.js';
import { verifyDays, type Reported } from './one-day.js';
import type { Counterexample, StopReason, VerificationResult, VerifyOptions } from './types.js';

export type { Counterexample, CourseSearch, StopReason, VerificationResult, VerificationStatus, VerifyOptions } from './types.js';
export { DEFAULT_MAX_STATES, DEFAULT_TIME_BUDGET_MS } from './budget.js';

const SEARCH_UNFINISHED: StopReason = { kind: 'search unfinished' };

function withheld(reason: string): VerificationResult {
  return { status: 'withheld', statesExplored: 0, statesTotal: 0, statesEvaluated: 0, coverage: 'single days', counterexamples: [], exploredFacts: [], defaultedFacts: [], findings: [], reason };
}

/** Why exploring this protocol would explore another one than written: a frequency the evaluator cannot honour (POS3035-3037 say why on the line). */
function unfaithful(protocol: ResolvedProtocol): string | undefined {
  const lines: [DosingSchedule | undefined, boolean, string][] = [
    [protocol.start?.schedule, true, 'start'],
    ...protocol.companions.map((line): [DosingSchedule, boolean, string] => [line.schedule, false, `with ${line.drug}`]),
  ];
  for (const [schedule, protocolDrug, where] of lines) {
    if (schedule && frequencyProblem(schedule, protocolDrug)) return phraseText(phrase('VerificationWithheldFrequency', schedule.frequency ?? '', where));
  }
  return undefined;
}

/**
 * Why "verified" would not mean what it says though the search found nothing: the drug at
 * another number of doses a day than its label (POS3016, POS3040), where comparing one dose
 * at a time says nothing of the amount a day. Its counterexamples are still real ones.
 */
function perDoseOnly(protocol: ResolvedProtocol): string | undefined {
  const start = protocol.start?.schedule;
  const dose = protocol.indication.dose?.schedule;
  if (!start || !dose || dosesPerDay(start) === dosesPerDay(dose)) return undefined;
  return phraseText(phrase('VerificationWithheldDosesADay', protocol.label.name, dosesPerDay(start), dosesPerDay(dose)));
}

interface Both {
  example: Counterexample;
  /** The label line's node, for related information. */
  line?: { span: { start: number; end: number }; source?: unknown };
}

function ruleOf(protocol: ResolvedProtocol, example: Counterexample): number {
  return example.decidedBy ? protocol.rules.indexOf(example.decidedBy) : -1;
}

export function verifyProtocol(protocol: ResolvedProtocol, options: VerifyOptions = {}): VerificationResult {
  // A protocol whose label has errors of its own does not resolve (POS2012), so the
  // CLI and the editor never get here with one; a caller building its own model might.
  if (protocol.label.errorCount > 0) return withheld(phraseText(phrase('VerificationWithheld', protocol.label.name, protocol.label.errorCount)));
  const unlike = unfaithful(protocol);
  if (unlike) return withheld(unlike);
  const budget = makeBudget(options);
  const indent = itemIndent(protocol, options.text);
  const days = verifyDays(protocol, budget, indent);
  const all: Both[] = days.reported.map((item: Reported) => ({ example: item.example, line: item.check.line }));
  let courses: ReturnType<typeof verifyCourses> | undefined;
  const history = hasHistory(protocol);
  if (history && options.courses === true && !days.stopped) {
    courses = verifyCourses(protocol, budget, indent);
    // A line phase 1 reported for the same deciding rule is not reported again.
    const seen = new Set(all.map(({ example, line }) => `${ruleOf(protocol, example)}:${line?.span.start}`));
    for (const item of courses.reported as CourseReported[]) {
      const key = `${ruleOf(protocol, item.example)}:${item.line.node?.span.start}`;
      if (item.line.node && seen.has(key)) continue;
      seen.add(key);
      all.push({ example: item.example, line: item.line.node });
    }
  }
  all.sort((a, b) => a.example.span.start - b.example.span.start || a.example.days - b.example.days || a.example.constraintText.localeCompare(b.example.constraintText));
  const findings: Finding[] = all.map(({ example, line }) => counterexampleFinding(protocol, example, line, options.text));
  let status: VerificationResult['status'] = all.length > 0 ? 'counterexamples' : 'verified';
  let reason: string | undefined;
  const perDose = status === 'verified' ? perDoseOnly(protocol) : undefined;
  if (perDose) {
    status = 'withheld';
    reason = perDose;
  }
  const stop = days.stopped
    ? { where: phrase('StoppedAtPatientStates', days.statesExplored, days.statesTotal), why: days.stopped }
    : courses && !courses.search.complete
      ? { where: phrase('StoppedAtCourseStates', courses.search.statesExplored, courses.search.coursesCompleted, courses.search.courses), why: courses.search.stopped ?? SEARCH_UNFINISHED }
      : undefined;
  if (stop) {
    status = 'stopped';
    reason = phraseText(phrase('StoppedAfter', stop.where, stopPhrase(stop.why)));
    findings.push(incompleteFinding(protocol, stop.where, stop.why));
  }
  const result: VerificationResult = {
    status,
    statesExplored: days.statesExplored,
    statesTotal: days.statesTotal,
    statesEvaluated: days.statesEvaluated,
    coverage: !history || courses?.search.complete ? 'courses' : 'single days',
    counterexamples: all.map(({ example }) => example),
    exploredFacts: days.exploredFacts,
    defaultedFacts: days.defaultedFacts,
    findings,
  };
  if (courses) result.courses = courses.search;
  if (reason) result.reason = reason;
  return result;
}
