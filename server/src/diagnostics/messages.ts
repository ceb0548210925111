// Every diagnostic Posology reports: its stable code, severity and message, in
// one table, with the deviation topics that may lower it. `docs/diagnostics.md`
// is generated from this table (`npm run docs:diagnostics`) and a test fails
// when the two differ. Codes are grouped by phase: 1xxx syntax, 2xxx names and
// units, 3xxx checks against the label, 4xxx counterexamples from verification,
// 5xxx embedded tests. Messages use {0}, {1}... placeholders and speak to a
// pharmacist, not a programmer; no message is a placeholder alone.
//
// A code is one diagnostic, and users search for it, so it stays stable. A
// diagnostic that reads differently by case (a day 0, a reversed range) has
// one entry per wording, adjacent, under the same code, severity and
// deviation topics; the first entry's name is the diagnostic's name.

export type Severity = 'error' | 'warning' | 'information';

/** What a `deviation` line may name: each lowers the findings whose entry lists it. */
export type DeviationTopic = 'cycle' | 'days' | 'start' | 'with';

export interface MessageEntry {
  code: string;
  severity: Severity;
  message: string;
  /** One line for the docs: when it is reported. */
  explain: string;
  /**
   * The topics a documented `deviation` (with its reason) lowers this finding
   * for, to a warning; absent: no deviation lowers it.
   */
  deviation?: readonly DeviationTopic[];
}

export const Messages = {
  // ---- 1xxx syntax ----
  SyntaxError: { code: 'POS1001', severity: 'error', message: 'Expected {0}, found {1}', explain: 'The text does not follow the grammar of .dose files.' },
  TextAfterBlock: { code: 'POS1001', severity: 'error', message: 'Unexpected {0} after the end of the block', explain: "Text after a block's closing brace that starts no `label` or `protocol`." },
  TextBeforeBlock: { code: 'POS1001', severity: 'error', message: "Expected 'label' or 'protocol' to start a block", explain: "Text before the file's first `label` or `protocol`." },
  UnrecognizedText: { code: 'POS1002', severity: 'error', message: "Posology does not understand '{0}' here", explain: 'Characters that are not part of the language (for example a stray symbol).' },
  NestingTooDeep: { code: 'POS1003', severity: 'error', message: 'This condition nests more than {0} parentheses deep; simplify it', explain: 'Parentheses nested deeper than the parser accepts; the nested part is ignored.' },
  UnterminatedString: { code: 'POS1004', severity: 'error', message: 'This text has no closing quote (")', explain: 'A string that runs to the end of the line without a closing quote.' },
  FileTooLarge: { code: 'POS1005', severity: 'error', message: 'This file is {0}; Posology checks files up to {1}', explain: 'Files over the size limit are not parsed, so that nothing hangs.' },
  OutsideWorkspace: { code: 'POS1006', severity: 'error', message: 'This file leads outside the workspace ({0}); Posology does not read it', explain: 'A symlink or `..` that points outside the workspace folders (or the paths and --labels folders given to the CLI) is refused.' },
  UnreadableFile: { code: 'POS1007', severity: 'error', message: 'Posology cannot read this file ({0})', explain: 'A `.dose` file in the workspace that cannot be read, such as a dangling symlink in `labels/` or a file without read permission; the editor reports it here, the CLI stops with exit code 2.' },
  UntilAfterDiscontinue: { code: 'POS1008', severity: 'error', message: "'discontinue' stops the drug for good, so it takes no 'until ... then resume' (only a hold ends): remove the 'until' clause, or write 'hold' if treatment is only interrupted", explain: 'An `until` clause after `discontinue` (in a label or a rule): only `hold` ends and resumes. The line is read as a discontinuation without it; the quick fix removes the clause (it never turns the line into a hold, which would let patients resume).' },

  // ---- 2xxx names and units ----
  UnknownDrug: { code: 'POS2001', severity: 'error', message: "No label defines the drug '{0}'{1}; {2}", explain: "A protocol's `drug` does not match any label in the files checked or in the nearest `labels/` folder above the file. The message names the folders searched; on the command line, `--labels DIR` adds a label folder." },
  UnknownIndication: { code: 'POS2002', severity: 'error', message: "The {0} label has no indication '{1}'{2}", explain: 'The indication is not on the label (check table: indication not on the label).' },
  UnknownFact: { code: 'POS2003', severity: 'error', message: "The {0} label has no fact '{1}'{2}", explain: 'A condition or test names a fact the label does not declare.' },
  UnknownValue: { code: 'POS2004', severity: 'error', message: "'{0}' is not a value of {1}; it is one of {2}", explain: 'An enumerated fact compared with a value it cannot take.' },
  UnknownUnit: { code: 'POS2005', severity: 'error', message: "'{0}' is not a unit UCUM knows", explain: 'A unit that is neither UCUM nor one of the documented aliases.' },
  UnitPartUnknown: { code: 'POS2005', severity: 'error', message: "'{0}' is not a unit UCUM knows ('{1}' is not recognized)", explain: 'A unit with a part UCUM does not know (`mg/kilo`).' },
  UnitWithSpace: { code: 'POS2005', severity: 'error', message: "'{0}' is not a unit UCUM knows (units are written without spaces)", explain: 'A unit written with a space in it (`mg/ kg`).' },
  UnitBadCharacter: { code: 'POS2005', severity: 'error', message: "'{0}' is not a unit UCUM knows ('{1}' cannot appear in a UCUM unit)", explain: 'A unit with a character UCUM units never contain (UCUM units are printable ASCII).' },
  UnitTooLong: { code: 'POS2005', severity: 'error', message: "'{0}' is not a unit UCUM knows (it is longer than {1} characters)", explain: 'Text too long to be a unit; it is not sent to UCUM.' },
  UnitNotWritten: { code: 'POS2005', severity: 'error', message: 'No unit is written here (for example mg, /uL or 10*9/L)', explain: 'A place that needs a unit where none is written.' },
  WrongDimension: { code: 'POS2006', severity: 'error', message: "{0} is measured in {1}; '{2}' cannot be converted to it{3}", explain: 'A unit of the wrong kind for the fact or dose (ANC < 500 mg).' },
  MissingUnit: { code: 'POS2007', severity: 'error', message: '{0} needs a unit (for example {1})', explain: 'A number that must carry a unit has none.' },
  WrongFactType: { code: 'POS2008', severity: 'error', message: '{0} is {1}: it is not a yes/no condition on its own; compare it with a value', explain: 'A boolean compared with a number, a quantity used as a yes/no condition, and similar.' },
  QuantityComparedWithWord: { code: 'POS2008', severity: 'error', message: "{0} is {1}: compare it with a number and a unit, not '{2}'", explain: 'A quantity compared with a word.' },
  ComparedWithNumber: { code: 'POS2008', severity: 'error', message: '{0} is {1}: it cannot be compared with a number', explain: 'A yes/no fact or a choice of values compared with a number.' },
  WrongComparison: { code: 'POS2008', severity: 'error', message: "{0} is {1}: it cannot be compared with '{2}'; use = or in (...)", explain: 'A choice of values compared with `<`, `>` and the like.' },
  YesNoComparedWithWord: { code: 'POS2008', severity: 'error', message: "{0} is {1}: compare it with true or false, not '{2}'", explain: 'A yes/no fact compared with a word other than true or false.' },
  InNeedsChoice: { code: 'POS2008', severity: 'error', message: '{0} is {1}: only a choice of values can be tested with in (...)', explain: '`in (...)` on a fact that is not a choice of values.' },
  DuplicateName: { code: 'POS2009', severity: 'error', message: "'{0}' is declared more than once in this {1}", explain: 'Two facts, indications, rules or tests with the same name.' },
  MissingDeclaration: { code: 'POS2010', severity: 'error', message: 'This protocol has no `{0}` line', explain: 'A protocol without `drug`, `indication` or `start`.' },
  DuplicateLabel: { code: 'POS2011', severity: 'error', message: "Two labels are named '{0}'; Posology cannot tell which one this protocol means", explain: 'The same label name defined twice among the files checked.' },
  LabelHasErrors: { code: 'POS2012', severity: 'error', message: "The {0} label has {1} error(s) of its own; checks and tests against it are withheld until it is fixed", explain: 'A protocol whose label does not check cleanly: nothing is judged against a broken specification. The finding points at the label and at its first error, so checking the protocol alone shows what to fix.' },

  UnknownTiming: { code: 'POS2013', severity: 'error', message: "The label gives no timing '{0}'{1}", explain: 'A dose timing (`after hemodialysis`) that is not one the label writes (`after dialysis`): the checks and the verifier compare timings word for word.' },
  CombinationMisspelled: { code: 'POS2014', severity: 'error', message: "'{0}' is not a drug the label requires with this one; did you mean '{1}'?", explain: 'A `with` drug spelled close to a drug the label requires (`dexamethason`).' },
  RouteShorthand: { code: 'POS2015', severity: 'warning', message: "'{0}' is order-set shorthand; Posology and the label write '{1}'", explain: 'The start line\'s route written as an abbreviation (`po`) where the label writes the word (`oral`).' },
  UnitImplausible: { code: 'POS2016', severity: 'error', message: '{0} {1} is {2}, far from any plausible {3} (normal {4}); did you mean {0} {5}?', explain: 'A value whose unit converts, but to a number a thousand times away from the fact\'s normal value, while the number read in the label\'s unit is plausible (`ANC < 500 /L` for `/uL`).' },
  LevelsNotDescending: { code: 'POS2017', severity: 'error', message: 'Dose levels go from the highest down: {0} cannot follow {1}', explain: 'A `levels` line whose amounts do not strictly decrease, so `previous - 1 level` has no meaning.' },
  ResumeNeedsLevels: { code: 'POS2018', severity: 'error', message: '`previous - {0} level` steps down the protocol\'s dose levels, and this protocol has no `levels` line', explain: 'A resume by levels in a protocol (or a label) that declares no `levels`.' },

  // ---- 3xxx checks against the label ----
  StartDoseAboveLabel: { code: 'POS3001', severity: 'error', message: 'The start dose {0} is above the label dose of {1} for {2}', explain: 'Start dose above the label dose for the indication.', deviation: ['start'] },
  CycleDiffers: { code: 'POS3002', severity: 'error', message: 'The cycle is {0}; the label gives {1} for {2}', explain: 'Cycle length differs from the label (a documented `deviation cycle` lowers it to a warning).', deviation: ['cycle'] },
  DaysOutsideLabel: { code: 'POS3003', severity: 'error', message: 'Dosing on {0} is outside the label\'s {1} for {2}', explain: 'Dosing days outside the label days (a `deviation days` lowers it to a warning).', deviation: ['days'] },
  ThresholdLessSafe: { code: 'POS3004', severity: 'error', message: "Rule '{0}' is less safe than the label: at {1} the label requires {2} and this rule does not", explain: 'A hold or discontinue threshold that lets through patients the label would stop.' },
  ThresholdStricter: { code: 'POS3005', severity: 'information', message: 'This threshold is stricter than the label\'s ({0}): it also stops patients at {1}', explain: 'A threshold that stops more patients than the label requires.' },
  ConstraintNotCovered: { code: 'POS3006', severity: 'error', message: 'No rule covers the label\'s "{0}" for {1}', explain: 'A label hold, discontinue or dose cap that no protocol rule addresses: patients the label would stop or limit would get the full dose.' },
  DoseAboveCap: { code: 'POS3007', severity: 'error', message: 'This rule gives {0}; the label allows at most {1} when {2}', explain: 'An adjusted dose above the label cap for that condition.' },
  CombinationMissing: { code: 'POS3008', severity: 'warning', message: 'The label requires {0} with this drug for {1}; this protocol has no `with {0}`', explain: 'A required combination drug is missing.', deviation: ['with'] },
  DeviationWithoutReason: { code: 'POS3009', severity: 'error', message: 'A deviation must give its reason in quotes, e.g. deviation {0} "OPTIMISMM regimen, per protocol committee"', explain: 'A `deviation` line without a reason.' },
  UnknownDeviation: { code: 'POS3010', severity: 'error', message: "'{0}' is not a finding that can be documented as a deviation; use one of {1}", explain: 'A `deviation` naming something that is not a deviable check.' },
  TimingMissing: { code: 'POS3011', severity: 'warning', message: 'The label says to give it {0} when {1}; this dose has no timing', explain: 'A dose rule for a condition where the label prescribes a timing (after dialysis) without that timing.' },
  CombinationDoseAboveLabel: { code: 'POS3012', severity: 'error', message: '{0} {1} is above the label\'s {2} for {3}', explain: 'A `with` combination dose above every dose the label allows for it (for the patient\'s band). Never lowered by a deviation: `deviation with` documents other days, not more drug.' },
  MissingSource: { code: 'POS3014', severity: 'warning', message: 'This label line has no `source`: every number in a label must cite the document and section it comes from', explain: 'A label dose, requirement or constraint without a `source "file: section"` line.' },
  TimingNotCovered: { code: 'POS3033', severity: 'warning', message: 'No rule covers the label\'s "{0}" for {1}', explain: 'A label timing (`take after dialysis when dialysis`) that no dose rule with that timing addresses.' },
  UnusedDeviation: { code: 'POS3013', severity: 'information', message: 'Nothing in this protocol deviates from the label\'s {0}; this deviation is not needed', explain: 'A documented deviation for a check that finds nothing.' },
  RouteDiffers: { code: 'POS3015', severity: 'error', message: 'The route of {0} is {1}; the label gives {2}{3}', explain: 'A `start` or `with` line whose route differs from the label\'s (`start 4 mg iv` for an oral drug); a documented `deviation start` lowers it to a warning for the protocol\'s drug; no deviation lowers it for a `with` drug.', deviation: ['start'] },
  DailyAmountAboveLabel: { code: 'POS3016', severity: 'error', message: '{0} {1} gives {2} a day; the label gives at most {3} a day{4}', explain: 'The amount a day (the dose times the doses a day: `twice daily` doubles it) is above the label\'s; a documented `deviation start` lowers it to a warning for the protocol\'s drug; no deviation lowers it for a `with` drug.', deviation: ['start'] },
  DayOutsideCycle: { code: 'POS3017', severity: 'error', message: 'Day {0} is outside {1} {2}-day cycle: {3} is never given on it', explain: 'A dosing day of a `start` or `with` line outside its own cycle, a day 0, or a reversed range (`days 21-1`): the schedule contradicts itself, so no deviation lowers it.' },
  DaysOutsideCycle: { code: 'POS3017', severity: 'error', message: 'Days {0} are outside {1} {2}-day cycle: {3} is never given on them', explain: 'Dosing days of a `start` or `with` line past the end of its own cycle.' },
  DaysBackwards: { code: 'POS3017', severity: 'error', message: 'Days {0}-{1} run backwards, so no day is dosed: write {1}-{0}', explain: 'A reversed range of days (`days 21-1`).' },
  DayZero: { code: 'POS3017', severity: 'error', message: 'Day 0 is not a day of a cycle: the first day of a cycle is day 1', explain: 'A range of days that starts at day 0.' },
  NoRestDays: { code: 'POS3018', severity: 'error', message: 'Days {0} dose every day of the {1}-day cycle; the label\'s {2} leaves rest days', explain: 'A schedule with no rest day where the label has some, also under `deviation cycle` (days 1-21 of a 21-day cycle); no deviation lowers it.' },
  CycleMissing: { code: 'POS3019', severity: 'error', message: 'This schedule has no `cycle`; the label gives {0} for {1}', explain: 'A `start` (or a `with` line checked against its own label) without a cycle where the label has one; `deviation cycle` lowers it to a warning.', deviation: ['cycle'] },
  DoseNotPositive: { code: 'POS3020', severity: 'error', message: 'The start dose is {0}: a course must start with a dose', explain: 'A dose of 0 or less: `dose 0 mg`, a level or a resume at 0 mg, or `previous - 5 mg` from 4 mg. Never lowered by a deviation.' },
  LevelNotPositive: { code: 'POS3020', severity: 'error', message: 'A dose level of {0} is no dose: below the last level the course discontinues', explain: 'A `levels` amount of 0 or less.' },
  CompanionDoseNotPositive: { code: 'POS3020', severity: 'error', message: '{0} {1} is no dose: leave the line out, or use a condition', explain: 'A `with` line whose dose is 0 or less.' },
  RuleDoseNotPositive: { code: 'POS3020', severity: 'error', message: "Rule '{0}' gives {1}: write no dose, hold or discontinue instead", explain: "A rule's dose of 0 or less." },
  RuleDoseNotPositiveFromStart: { code: 'POS3020', severity: 'error', message: "Rule '{0}' gives {1} from the start dose of {2}: write no dose, hold or discontinue instead", explain: "A rule's relative dose that from the start dose leads to 0 or less (`previous - 5 mg` from 4 mg)." },
  ResumeNotPositive: { code: 'POS3020', severity: 'error', message: "Rule '{0}' resumes at {1}: a resume must give a dose; to stop, write discontinue", explain: 'A resume at 0 or less.' },
  ResumeNotPositiveFromStart: { code: 'POS3020', severity: 'error', message: "Rule '{0}' resumes at {1} from the start dose of {2}: a resume must give a dose; to stop, write discontinue", explain: 'A relative resume that from the start dose leads to 0 or less.' },
  LevelAboveStart: { code: 'POS3021', severity: 'error', message: 'The dose level {0} is above the start dose of {1}', explain: 'A `levels` amount above the protocol\'s start dose.' },
  LevelBelowLowest: { code: 'POS3022', severity: 'error', message: 'The dose level {0} is below the label\'s lowest dose of {1} for {2}: below it, the label requires discontinuing', explain: 'A `levels` amount below the label\'s `lowest dose`.' },
  ResumeLessSafe: { code: 'POS3023', severity: 'error', message: "Rule '{0}' resumes at {1} after {2}; the label allows at most {3}", explain: 'A resume (or a hold without `until`, which resumes at the same dose) that gives more than the label\'s `resume at most` for some dose the course can be at.' },
  HoldEndsBeforeRecovery: { code: 'POS3024', severity: 'error', message: "Rule '{0}' ends its hold at {1}, before the label's recovery ({2})", explain: 'A hold whose `until` (or, without `until`, the end of its `when`) lets the patient resume before the label\'s recovery threshold (`until ANC >= 300 /uL` against `ANC >= 500 /uL`).' },
  GateMissing: { code: 'POS3025', severity: 'error', message: 'This protocol has no `before each cycle require`; the label starts a cycle only when {0}', explain: 'The label gates each cycle\'s start and the protocol does not.' },
  GateWeaker: { code: 'POS3026', severity: 'error', message: 'The cycle-start gate lets a cycle start at {0}; the label requires {1}', explain: 'A conjunct of the label\'s cycle-start gate that the protocol\'s gates do not imply.' },
  ActionWeaker: { code: 'POS3027', severity: 'error', message: "Rule '{0}' gives {1} when {2}; the label requires {3} there", explain: 'A rule whose action is weaker than the label\'s for the same condition (`when sjs_ten then hold` where the label discontinues), on the line itself.' },
  CompanionBandAbove: { code: 'POS3028', severity: 'error', message: '{0} {1} is also given when {2}, where the label gives {3}', explain: 'A `with` line whose condition overlaps a band of the label\'s `requires` lines (the age bands) with a lower dose: an unconditional 40 mg where the label says 20 mg over 75. Never lowered by a deviation.' },
  CompanionDaysOutsideLabel: { code: 'POS3029', severity: 'error', message: '{0} on {1} is outside the label\'s {2}{3}', explain: 'A `with` line dosing on days the label\'s `requires` line for that drug (or the drug\'s own label) does not give; `deviation with` lowers it to a warning against the protocol\'s label, never against the drug\'s own label.', deviation: ['with'] },
  CompanionDaysMissing: { code: 'POS3034', severity: 'error', message: '{0} is not given on {1}; the label gives it on {2}{3}', explain: 'A `with` line that leaves out dosing days the label\'s `requires` line for that drug gives, within the protocol\'s cycle (dexamethasone on days 1, 8, 15 where the label requires 1, 8, 15, 22); `deviation with` lowers it to a warning.', deviation: ['with'] },
  IncomparableDose: { code: 'POS3030', severity: 'warning', message: '{0} {1} is per body size and the label gives {2}: they cannot be compared, so this dose is not checked against it', explain: 'A dose per m2 or per kg against an absolute label dose (or the reverse): said in words, never called above or below.' },
  NoLabelForDrug: { code: 'POS3031', severity: 'information', message: 'No label for {0} is in reach and the {1} label asks nothing of it: its doses are not checked', explain: 'A `with` drug that has no label among the files and `labels/` folders checked, and no `requires` line in the protocol\'s label; said once per drug.' },
  DrugTwiceADay: { code: 'POS3032', severity: 'error', message: 'This line and the {0} line above both dose {1} on {2}{3}', explain: 'Two `with` lines for one drug whose conditions overlap and whose days, cycles or weeks overlap: the same patient would get two doses that day. Never lowered by a deviation.' },
  CompanionCycleTotalAbove: { code: 'POS3038', severity: 'error', message: '{0} gives {1} in cycle {2} when {3}; the label\'s line ({4}) gives {5} a cycle', explain: 'Under `deviation with` (the day-by-day companion checks are off): the companion\'s amount over a cycle for a patient of a label band (its doses times doses a day, on the days the `with` lines give) is above what the label\'s `requires` line gives in a cycle. A deviation documents other days, not more drug, so it never lowers this.' },
  CompanionBandMissing: { code: 'POS3039', severity: 'error', message: 'No `with {0}` line gives {0} in cycle {1} when {2}; the label says: {3}', explain: 'Under `deviation with`: a patient of a label band for whom no `with` line gives the required companion in a whole cycle (an age band left out). Other days are documented by the deviation; none at all is not.' },
  CompanionSpansBands: { code: 'POS3041', severity: 'error', message: '{0} {1} is given alike to patients the label doses differently: {2}', explain: 'A `with` line whose condition takes in patients of two bands of the label\'s `requires` lines with different amounts (10 mg `when age >= 75 a` where the label gives 40 mg up to 75 and 20 mg above): the patients at the boundary get the other band\'s amount. More than a band allows is POS3028. Never lowered by a deviation.' },

  FrequencyNeedsDays: { code: 'POS3035', severity: 'error', message: "'{0}' does not say on which days {1} is given: write its days{2}", explain: 'A `twice weekly` line with no `days` (which two days of the week?), or a weekly frequency on the `start` line with no `days` (the protocol\'s drug is dosed on the days its start line writes). Never lowered by a deviation.' },
  FrequencyTooFewDays: { code: 'POS3036', severity: 'error', message: "'{0}' but days {1} give {2} at most one dose a week", explain: 'A `twice weekly` line whose days never dose twice in a week (`twice weekly days 1, 8, 15, 22`): the frequency and the days say different things. Never lowered by a deviation.' },
  FrequencyTooManyDays: { code: 'POS3036', severity: 'error', message: "'{0}' but days {1} give {2} {3} doses in days {4}-{5} of the cycle", explain: 'A weekly frequency whose days dose more often than it says (`twice weekly days 1-21`, `once weekly days 1, 4`, `every 2 weeks days 1, 8`): the frequency and the days say different things. Never lowered by a deviation.' },
  FrequencyRefused: { code: 'POS3037', severity: 'error', message: "'{0}' cannot be honoured: {1}", explain: 'An `every N ...` frequency Posology cannot dose by: not a time (`every 2 mg`), zero, or a period that is neither a whole number of doses a day nor of weeks (`every 2 d`, `every 36 h`): write the dosing days instead. Never lowered by a deviation.' },
  FrequencyDiffersFromLabel: { code: 'POS3040', severity: 'error', message: "{0} '{1}' gives {2} doses a day where the label gives {3}{4}: the label's doses and caps are per dose at its frequency, so they cannot be checked against this schedule", explain: 'The protocol\'s drug at another number of doses a day than the label\'s, with no more drug a day (more is POS3016): its rules, levels and the label\'s caps are amounts per dose, so `then dose 3 mg` twice daily would be 6 mg a day against a cap of 3 mg. A documented `deviation start` lowers it to a warning.', deviation: ['start'] },

  // ---- 4xxx counterexamples ----
  Counterexample: { code: 'POS4001', severity: 'error', message: '{0}: this protocol gives {1}; the label requires {2} (label: {3}){4}', explain: 'Verification found a patient state where the protocol breaks a label constraint on a single day, whatever happened before: a course of one day, reproduced by a `test` (quick fix: Add as test).' },
  VerificationIncomplete: { code: 'POS4002', severity: 'warning', message: 'Verification stopped after {0} ({1}); the rest were not explored', explain: 'The exploration hit its state or time budget, or was cancelled; nothing beyond the states it explored is claimed, and it never says verified.' },
  CourseCounterexample: { code: 'POS4003', severity: 'error', message: 'A course of {0} days ({1}): {2} -> this protocol gives {3}; the label requires {4} (label: {5}){6}', explain: 'Verification found the shortest course (a timeline of days with what was observed and decided) after which the protocol breaks a label line, for example resuming at the same dose where the label says previous - 1 mg. Quick fix: Add as scenario.' },

  // ---- 5xxx embedded tests ----
  TestFailed: { code: 'POS5001', severity: 'error', message: 'Test "{0}" failed: expected {1}, got {2} (decided by {3})', explain: 'An embedded test whose expected decision differs from the protocol decision.' },
  NoTests: { code: 'POS5003', severity: 'error', message: 'The protocol "{0}" has no tests, so `posology test` has nothing to run and fails it; add a `test` block (or pass --allow-empty)', explain: 'Reported by `posology test` only: a protocol without any test block or scenario. A protocol nobody tested does not pass.' },
  TestGivenInvalid: { code: 'POS5002', severity: 'error', message: '{0} takes one of {1}', explain: 'A `given` that cannot be turned into a patient state (wrong value for the fact).' },
  GivenYesNo: { code: 'POS5002', severity: 'error', message: "{0} is a yes/no fact: write '{0}' or 'not {0}'", explain: 'A yes/no fact given a value other than true or false.' },
  GivenNoValue: { code: 'POS5002', severity: 'error', message: 'Give {0} a value, e.g. {0} = {1}', explain: 'A fact that needs a value, given none.' },
  GivenNeedsQuantity: { code: 'POS5002', severity: 'error', message: '{0} needs a number with a unit', explain: 'A quantity given a word instead of a number with a unit.' },
  ScenarioStepPlacement: { code: 'POS5004', severity: 'error', message: 'Scenario "{0}": {1}', explain: 'A scenario step that cannot be placed on the course: `cycle C day D` after a cycle was delayed, or a step not after the one before it. The steps after it are not run.' },
  ScenarioStepFailed: { code: 'POS5005', severity: 'error', message: 'Scenario "{0}", {1} (day {2} of treatment, cycle {3} day {4}): {5} (decided by {6}; dose {7}{8})', explain: 'A scenario step whose expected decision, companion dose or calendar position differs from what the protocol does on that day of the course.' },
} as const satisfies Record<string, MessageEntry>;

export type MessageName = keyof typeof Messages;

/** Words added to a finding's message, whatever its code: a deviation's reason, a "did you mean". */
export const Addenda = {
  DocumentedDeviation: ' (documented deviation: {0})',
  ShorthandMeant: "; did you mean '{0}' for '{1}'?",
  UnitsMeant: ' (did you mean {0}?)',
} as const;

export type AddendumName = keyof typeof Addenda;

/**
 * Words that fill a placeholder of a message, and that hover and the test results
 * say on their own: what a scenario step's run found (eval/ returns these as data,
 * a name and its arguments), "did you mean" for a name and what there is instead,
 * how many explored states a counterexample stands for, which indication or label
 * line a finding is about, where labels were looked for (POS2001), why
 * verification was withheld; and the messages of a finding's related information. `phraseText` (finding.ts) says them.
 */
export const Phrases = {
  // A patient state with no fact off its default: a check's example state, a verifier's counterexample.
  StateNeutral: 'the neutral state',
  StateDayOneDefaults: 'day 1, every fact at its default',
  // Why the label's machine requires or limits, where no one label line says it (eval/label-course.ts, `Because`).
  LabelLine: '{0}',
  LabelDiscontinuedEarlier: 'the label required discontinuing on an earlier day',
  LabelGate: 'before each cycle require {0}',
  LabelRestDay: "rest day {0} of the label's schedule",
  LabelBelowLowest: "{0}: at most {1}, below the label's lowest dose {2}",
  StepNeedsCycleLength: '{0} needs a cycle length in the start line',
  StepNotAfterPrevious: '{0} is day {1} of treatment, not after day {2} of the step before',
  StepPlannedAfterDelay: '{0} is a planned date, and a cycle was delayed before it; write the day of treatment (day {1}: ...)',
  StepAfterUnplaced: 'not run: an earlier step could not be placed ({0})',
  NotRunGivenUnread: 'not run: a given fact could not be read (see the error on it)',
  NotRunExpectedUnread: 'not run: the expected decision could not be read',
  NotRunStepUnread: 'not run: a step of this scenario could not be read (see the error on it)',
  ExpectedGot: 'expected {0}, got {1}',
  ExpectedGotDecidedBy: 'expected {0}, got {1} (decided by {2})',
  ExpectedNoCompanion: 'expected no {0}, got {1}',
  ExpectedPosition: 'expected cycle {0} day {1}, the calendar is at cycle {2} day {3}',
  HoldsInForce: ', holds in force: {0}',
  NameMeant: " (did you mean '{0}'?)",
  TimingMeant: "; did you mean '{0}'?",
  TimingsWritten: ' (it writes {0})',
  IndicationsListed: ' (the label lists {0})',
  StatesBreakIt: '; {0} of the explored patient states break it this way',
  DaysBreakIt: '; {0} of the explored days break it this way',
  ForIndication: ' for {0}',
  ForIndicationOfLabel: ' for {0} (the {1} label)',
  LabelQuoted: ' (label: {0})',
  SamePatient: ' for the same patient (when {0})',
  RelatedLabel: 'label {0}',
  RelatedAlsoLabel: 'also label {0}',
  RelatedFirstError: 'its first error: {0}',
  RelatedOtherLine: 'the other {0} line',
  RelatedDecidingRule: 'decided by rule {0}',
  RelatedDelayingGate: 'the cycle-start gate that delayed the cycle',
  RelatedDecidingRuleGiving: 'Decided by rule {0}: {1}',
  RelatedLabelLine: 'Label ({0}): {1}',
  RelatedLabelSource: ' [source: {0}]',
  LookedInFiles: 'looked in the files checked',
  LookedInCommandLine: 'looked in {0}; add a label folder with --labels DIR',
  PlaceFilesGiven: 'the files given',
  PlaceLabelsOption: '--labels {0}',
  PlaceNearestLabelFolder: 'the nearest labels folder, {0}',
  PlaceNoLabelFolder: 'no labels folder in {0}',
  LookedInEditor: 'looked in {0} and the open files',
  LookedInEditorNoFolder: 'looked in the open files; no labels folder is above this file in the workspace: put the label in a labels folder beside it or above it',
  VerificationWithheld: 'the {0} label has {1} error(s) of its own; verification against it is withheld',
  VerificationWithheldFrequency: "'{0}' on the {1} line cannot be dosed as written (the error on that line says why); verification is withheld until it is fixed",
  VerificationWithheldDosesADay: 'the protocol gives {0} {1} times a day and the label {2}: no dose broke a label line, but a dose-by-dose verification does not say what a day gives, so verified is withheld',
  NotResolved: 'the protocol does not resolve against a label',
  NotResolvedBecause: 'the protocol does not resolve against a label: {0}',
  // Why a day's decision is what it is (eval/why.ts returns it as data): the "decided by" of POS5001 and POS5005, and hover.
  WhyDiscontinued: 'discontinued on an earlier day',
  WhyRule: 'rule {0} ({1})',
  WhyHoldUntil: 'rule {0} (hold until {1})',
  WhyResumed: 'rule {0} (resumed at {1})',
  WhyBelowFloor: 'rule {0}: the resume dose is below the lowest dose level ({1})',
  WhyCycleDelayed: 'cycle {0} is delayed',
  WhyCycleDelayedBy: 'cycle {0} is delayed: its start requires {1}',
  WhyRestDay: 'rest day {0}',
  WhyRestDayOf: 'rest day {0} of {1}',
  WhyStartDose: 'start dose',
  WhyCurrentDose: 'current dose',
  WhyRegimenDiscontinued: 'the regimen is discontinued',
  WhyDrugDiscontinued: '{0} was discontinued on an earlier day',
  WhyUnitsNotAdded: '{0}: {1} and {2} on one day cannot be added without the {3} fact',
  WhyNotScheduled: 'not scheduled today',
  WhyWithLine: 'with {0}',
  // Where verification stopped and why (verify/ returns the reason as data, `StopReason`): POS4002 and the result's reason.
  StoppedAfter: 'stopped after {0}: {1}',
  StoppedAtPatientStates: '{0} of {1} patient states',
  StoppedAtCourseStates: '{0} course states ({1} of {2} courses searched to the end)',
  StopCancelled: 'cancelled',
  StopTimeBudget: 'time budget of {0} ms used up',
  StopEvaluatedStates: 'state budget of {0} evaluated states reached',
  StopCourseStates: 'state budget of {0} course states reached',
  StopNumbering: 'more machine states than the search can number',
  StopWalkUnfinished: 'the walk did not cover every state',
  StopSearchUnfinished: 'the search did not finish',
  StopWhileMinimizing: '{0} while minimizing counterexamples',
  StopWhileShrinking: '{0} while shrinking counterexamples',
  // Why a file or folder was not read (project/ returns it as data, `Refusal` in project/refusal.ts): the {0} of POS1006 and POS1007, the CLI's "cannot read" line.
  RefusedPermission: 'permission denied',
  RefusedLoop: 'it is a loop of symlinks',
  RefusedMissing: 'no such file',
  RefusedNoReader: 'it is a socket or a device without a reader',
  RefusedIsFolder: 'it is a folder',
  RefusedSystemError: 'the system reports {0}',
  RefusedOutside: 'it is outside the workspace',
  RefusedLinksOutside: 'it links to {0}',
  RefusedLinkOutside: 'it is a symlink that leads outside the workspace',
  RefusedLinkUnread: 'it is a symlink that cannot be followed',
  RefusedReplaced: 'it was replaced while being opened',
  RefusedReplacedByLink: 'it was replaced by a symlink while being opened',
  RefusedDanglingLink: 'it links to {0}, which does not exist',
  RefusedNotRegular: 'it is {0}, not a regular file',
  RefusedTooLarge: '{0}, over the limit of {1}',
  RefusedUnlistableFolder: 'it is a folder that cannot be listed: {0}',
  SizeMoreThan: 'more than {0}',
  FileIsFolder: 'a folder',
  FileIsFifo: 'a FIFO (named pipe)',
  FileIsSocket: 'a socket',
  FileIsCharacterDevice: 'a character device',
  FileIsBlockDevice: 'a block device',
  FileIsOther: 'a special file',
  FrequencyNotATime: "'{0}' is not a time, so this is no period",
  FrequencyZero: 'a period must be more than zero',
  FrequencyPeriod: 'Posology doses on days of the cycle, a whole number of times a day (every 24, 12, 8, 6 h...) or every whole number of weeks; write the dosing days instead (every other day: days 1, 3, 5, ...)',
  FrequencyStartDays: ": the protocol's drug is dosed on the days its start line writes (days 1, 8, 15, 22 for once a week)",
  FrequencyWeekDays: ' (twice a week: days 1, 4, 8, 11)',
  FixFrequencyToLabelDays: "Replace '{0}' by the label's {1}",
  // The titles of quick fixes (`fixTitle`).
  FixWrite: "Write '{0}'",
  FixWriteQuantity: 'Write {0} {1}',
  FixWriteDays: 'Write days {0}-{1}',
  FixStartDose: "Set the start dose to the label's {0}",
  FixCycle: "Set the cycle to the label's {0} days",
  FixDosingDays: "Set the dosing days to the label's {0}",
  FixDays: "Set the days to the label's {0}",
  FixEndDays: 'End the days at day {0}',
  FixAddCycle: "Add the label's cycle of {0} days",
  FixRoute: "Set the route to the label's {0}",
  FixFrequency: 'Give it {0}, as the label does',
  FixDoseCap: "Set the dose to the label's cap of {0}",
  FixAddTiming: "Add '{0}'",
  FixAddWith: "Add 'with {0}' from the label",
  FixCompanionDose: "Set the {0} dose to the label's {1}",
  FixSplitBands: "Split the line by the label's bands: {0}",
  FixAddRule: 'Add the rule from the label: {0}',
  FixThreshold: "Set the threshold to the label's: {0}",
  FixDiscontinueAsLabel: 'Discontinue, as the label does',
  FixHoldAsLabel: 'Hold, as the label does',
  FixEndHoldAtRecovery: "End the hold at the label's recovery: {0}",
  FixHoldUntilRecovery: "Hold until the label's recovery: {0}",
  FixResumeAt: "Resume at the label's {0}",
  FixAddRecurrence: "Add the label's recurrence: resume at {0}",
  FixRemoveLevel: 'Remove the level {0}',
  FixAddGate: "Add the label's gate: before each cycle require {0}",
  FixAlsoRequire: 'Also require {0}',
  FixAddTest: 'Add as test',
  FixAddScenario: 'Add as scenario',
} as const;

export type PhraseName = keyof typeof Phrases;

/** A phrase as data: its name and arguments (which may be phrases themselves). */
export interface Phrase {
  name: PhraseName;
  args: readonly (string | number | Phrase)[];
}

/** The names of the entries a documented deviation may lower. */
export type DeviableName = { [N in MessageName]: (typeof Messages)[N] extends { deviation: readonly DeviationTopic[] } ? N : never }[MessageName];

/** Every topic a `deviation` line may name, in alphabetical order: those the table's entries list. */
export const DEVIABLE_TOPICS: readonly DeviationTopic[] = [
  ...new Set(Object.values(Messages as Record<string, MessageEntry>).flatMap((entry) => entry.deviation ?? [])),
].sort();

/** One diagnostic: a code, and its entries (one per wording) in table order. */
export interface Diagnostic {
  code: string;
  /** The first entry's name. */
  name: MessageName;
  severity: Severity;
  deviation?: readonly DeviationTopic[];
  entries: [MessageName, MessageEntry][];
}

/** The table by code, in table order. */
export function diagnosticsByCode(): Diagnostic[] {
  const byCode = new Map<string, Diagnostic>();
  for (const [name, entry] of Object.entries(Messages) as [MessageName, MessageEntry][]) {
    const known = byCode.get(entry.code);
    if (known) known.entries.push([name, entry]);
    else byCode.set(entry.code, { code: entry.code, name, severity: entry.severity, ...(entry.deviation ? { deviation: entry.deviation } : {}), entries: [[name, entry]] });
  }
  return [...byCode.values()];
}

// Each template split once at its placeholders: ["text", "0", "text", ...].
// A `replace` with a callback cost a microsecond per finding, 1,100 findings per large file.
const templateParts = new Map<string, string[]>();

export function formatMessage(template: string, args: readonly (string | number)[]): string {
  let parts = templateParts.get(template);
  if (!parts) templateParts.set(template, (parts = template.split(/\{(\d+)\}/)));
  let message = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = args[Number(parts[i])];
    message += (value === undefined ? `{${parts[i]}}` : String(value)) + parts[i + 1];
  }
  return message;
}
