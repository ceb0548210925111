// The one evaluator: the meaning of a protocol, used by `posology test`, the
// checker, the verifier and hover. Nothing else decides what a protocol does.
//
// The meaning is a course evaluator (course.ts: `step`, `runCourse`), with the
// label's machine beside it (label-course.ts), scenarios run step by step
// (scenario.ts), companions (companions.ts), conditions (condition.ts), the
// precedence of a day's decision written once as data (precedence.ts), and the
// one-day questions (day.ts: `decide` for the protocol, `labelDay` for the
// label: a course of one day). This file is only the facade.
export { formatCondition, holds, holdsWithout, sideOf, valueOf } from './condition.js';
export { PRECEDENCE, STOPS, atLeastAsStrong, rankOf, stops, type PrecedenceRow, type PrecedenceStep } from './precedence.js';
export { FIRST_DAY, companionDoses, courseDay, courseWeek, isScheduledDay, nextDay, plannedCalendar, type Calendar } from './calendar.js';
export {
  actsOn,
  amountOf,
  courseMachine,
  dayFacts,
  holdEnd,
  initialState,
  key,
  resumeDose,
  runCourse,
  step,
  type CourseMachine,
  type CourseState,
  type DayOutcome,
  type StepOptions,
  type TimelineEntry,
} from './course.js';
export { companionDecisions, formatCompanion, type BodySizeDose, type CompanionOutcome } from './companions.js';
export { becausePhrase, brokenEarlier, initialLabelState, labelCompanions, labelKey, labelMachine, labelStep, type LabelMachine, type LabelState, type Because, type LabelVerdict, type Requirement } from './label-course.js';
export { companionProblems, describeStepDay, formatActual, formatExpected, runScenario, stepState, type ScenarioRun, type StepResult, type StepState } from './scenario.js';

export { amountIn, cycleDay, decide, decideDay, isDosingDay, labelCalendar, labelDay, labelMachineOf, machineOf, type Outcome } from './day.js';
export { formatDecision, sameDecision } from './decision.js';
export { whyPhrase, type Why } from './why.js';
export { dosesByWeek, dosesPerDay, frequencyProblem, type FrequencyProblem } from './frequency.js';
