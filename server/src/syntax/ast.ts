// The syntax tree of a `.dose` file. Plain data with offsets; it knows nothing
// about labels, units or the editor. Every node that a diagnostic can point at
// carries a `span`. After error recovery any child may be missing, so optional
// fields are the rule rather than the exception: consumers must tolerate them.

/** A half-open range of character offsets into the document text. */
export interface Span {
  start: number;
  end: number;
}

export interface Name {
  text: string;
  span: Span;
}

export interface StringLit {
  value: string;
  span: Span;
}

/** A number as written plus its unit as written. Conversion happens in `units/`. */
export interface Quantity {
  kind: 'quantity';
  value: number;
  /** The number exactly as written, e.g. "0.4". */
  valueText: string;
  valueSpan: Span;
  unit?: Name;
  span: Span;
}

// ---- expressions -----------------------------------------------------------

export type CompareOp = '<' | '<=' | '>' | '>=' | '=' | '!=';

export interface FactRef {
  kind: 'fact';
  name: Name;
  span: Span;
}

export interface Comparison {
  kind: 'compare';
  fact: Name;
  op: CompareOp;
  opSpan: Span;
  /** A quantity for numeric facts, a name for enum (or boolean) facts. */
  value?: Quantity | Name;
  span: Span;
}

export interface Membership {
  kind: 'in';
  fact: Name;
  values: Name[];
  span: Span;
}

export interface Not {
  kind: 'not';
  operand?: Expr;
  span: Span;
}

export interface Junction {
  kind: 'and' | 'or';
  operands: Expr[];
  span: Span;
}

export type Expr = FactRef | Comparison | Membership | Not | Junction;

// ---- doses and schedules ---------------------------------------------------

export interface DayRange {
  from: number;
  to: number;
  span: Span;
}

/** `cycles 1-8` (to = from when one number) or `from cycle 9` (no `to`: every later cycle). */
export interface CycleRange {
  from: number;
  to?: number;
  span: Span;
}

export interface Schedule {
  route?: Name;
  /** e.g. "once daily", "every 2 weeks"; free words kept for display and comparison. */
  frequency?: Name;
  days?: DayRange[];
  daysSpan?: Span;
  cycle?: Quantity;
  /** `cycles 1-8`, `from cycle 9`: the cycles of the course this line applies to. */
  cycles?: CycleRange;
  /** `weeks 1-8`, `from week 25` (to = Infinity): the weeks of the course this line applies to. */
  weeks?: DayRange[];
  weeksSpan?: Span;
}

/** `4 mg` or `previous - 1 mg`. */
export interface DoseAmount {
  kind: 'absolute' | 'relative';
  amount?: Quantity;
  /** Span of the whole amount, including `previous -`. */
  span: Span;
}

export interface Timing {
  /** `after dialysis` -> relation "after", event "dialysis". */
  relation: Name;
  event?: Name;
  span: Span;
}

/**
 * Where a `resume at` goes: an amount (`3 mg`), `previous - 1 mg` (minus),
 * `previous - 1 level` (levels, a count of `levels` steps down) or `same dose`.
 */
export type ResumeTarget =
  | { kind: 'amount'; amount?: Quantity; span: Span }
  | { kind: 'minus'; amount?: Quantity; span: Span }
  | { kind: 'levels'; count: number; countSpan: Span; span: Span }
  | { kind: 'same'; span: Span };

/** `resume at TARGET` (protocol) or `resume at most TARGET` (label). */
export interface Resume {
  atMost: boolean;
  target?: ResumeTarget;
  span: Span;
}

/**
 * `until EXPR then resume at TARGET [on recurrence resume at TARGET]`: how a
 * hold ends. `recurrence` applies from the hold's second episode.
 */
export interface Until {
  condition?: Expr;
  resume?: Resume;
  recurrence?: Resume;
  /** The `until` keyword. */
  keywordSpan: Span;
  span: Span;
}

/** `before each cycle require EXPR` (label indication or protocol): a cycle starts only when EXPR holds. */
export interface CycleGate {
  kind: 'gate';
  condition?: Expr;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

export interface SourceClause {
  text?: StringLit;
  span: Span;
}

// ---- label blocks ----------------------------------------------------------

export type FactType =
  | { kind: 'quantity'; unit?: Name; normal?: Quantity; span: Span }
  | { kind: 'boolean'; span: Span }
  | { kind: 'enum'; values: Name[]; span: Span };

export interface FactDecl {
  kind: 'fact';
  name?: Name;
  title?: StringLit;
  type?: FactType;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

export interface LabelDose {
  kind: 'dose';
  amount?: DoseAmount;
  schedule: Schedule;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

export interface Requires {
  kind: 'requires';
  drug?: Name;
  amount?: Quantity;
  /** Route, frequency and days of the companion drug, where written. */
  schedule: Schedule;
  condition?: Expr;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

/** `hold when ... [until ... then resume at most ...]` or `discontinue when ...`. */
export interface StopConstraint {
  kind: 'hold' | 'discontinue';
  keywordSpan: Span;
  condition?: Expr;
  /** Only for `hold`: when the hold ends and the most the patient may resume at. */
  until?: Until;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

/** `at most 3 mg when ...` (amount may be relative: `at most previous - 1 mg when ...`). */
export interface DoseCap {
  kind: 'cap';
  amount?: DoseAmount;
  condition?: Expr;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

/** `take after dialysis when dialysis`: a timing the label requires. */
export interface TimingConstraint {
  kind: 'take';
  timing?: Timing;
  condition?: Expr;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

export type LabelConstraint = StopConstraint | DoseCap | TimingConstraint;

/** `lowest dose 1 mg`: a dose the label would allow below it means discontinue. */
export interface LowestDose {
  kind: 'lowest';
  amount?: Quantity;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

export interface IndicationDecl {
  kind: 'indication';
  name?: Name;
  title?: StringLit;
  doses: LabelDose[];
  requires: Requires[];
  constraints: LabelConstraint[];
  /** `before each cycle require ...` lines. */
  gates: CycleGate[];
  /** `lowest dose ...` lines (one expected; a second is reported by the resolver). */
  lowest: LowestDose[];
  notes: StringLit[];
  span: Span;
}

/** `document "000_60b36539cf3d3ced.txt" "Label summary"`. */
export interface DocumentDecl {
  kind: 'document';
  file?: StringLit;
  title?: StringLit;
  span: Span;
}

export interface LabelBlock {
  kind: 'label';
  name?: Name;
  title?: StringLit;
  aliases: StringLit[];
  /** `document "file" "title"` lines: how messages name a source file. */
  documents: DocumentDecl[];
  /** The `source` line that follows the `alias` line. */
  aliasSource?: SourceClause;
  facts: FactDecl[];
  indications: IndicationDecl[];
  notes: StringLit[];
  source?: SourceClause;
  span: Span;
}

// ---- protocol blocks -------------------------------------------------------

export interface Start {
  kind: 'start';
  amount?: DoseAmount;
  schedule: Schedule;
  span: Span;
}

export interface Combination {
  kind: 'with';
  drug?: Name;
  amount?: Quantity;
  schedule: Schedule;
  /** `with dexamethasone 20 mg ... when age > 75 a`. */
  condition?: Expr;
  span: Span;
}

/** `levels 4 mg, 3 mg, 2 mg, 1 mg`: the dose levels `previous - 1 level` steps through. */
export interface Levels {
  kind: 'levels';
  amounts: Quantity[];
  span: Span;
}

/**
 * A rule's action. `hold`, `discontinue` and `no dose` may name the drugs they
 * act on (`then hold lenalidomide, dexamethasone`; none: the protocol's drug);
 * a hold may say how it ends (`until ...`). In an `expect`, neither is written.
 */
export type Action =
  | { kind: 'hold'; drugs?: Name[]; until?: Until; span: Span }
  | { kind: 'discontinue'; drugs?: Name[]; span: Span }
  | { kind: 'no dose'; drugs?: Name[]; span: Span }
  | { kind: 'dose'; amount?: DoseAmount; timing?: Timing; span: Span };

export interface Rule {
  kind: 'rule';
  name?: Name;
  condition?: Expr;
  action?: Action;
  span: Span;
}

/** An expectation about a companion drug: `dexamethasone 20 mg` or `no dexamethasone`. */
export interface CompanionExpect {
  drug?: Name;
  /** Undefined with `no`. */
  amount?: Quantity;
  none: boolean;
  span: Span;
}

/** One `given` item: `ANC = 0.4 10*9/L`, `dialysis`, `day 24`, `child_pugh = C`. */
export interface Given {
  fact: Name;
  value?: Quantity | Name;
  /** `not dialysis` gives a boolean false. */
  negated: boolean;
  span: Span;
}

export interface TestCase {
  kind: 'test';
  title?: StringLit;
  given: Given[];
  expect?: Action;
  /** `expect dose 4 mg, dexamethasone 40 mg`: what each companion drug gets. */
  companions: CompanionExpect[];
  expectSpan?: Span;
  span: Span;
}

/** `cycle 2 day 1` as planned, or `day 29` of treatment. */
export type StepDay =
  | { kind: 'cycle'; cycle: number; day: number; span: Span }
  | { kind: 'day'; day: number; span: Span };

/** `cycle C day D: OBS expect ACTION [, companions] [(cycle C day D)]`. */
export interface ScenarioStep {
  at?: StepDay;
  /** Observations of that day; they stay in force on later days until changed. */
  observations: Given[];
  expect?: Action;
  companions: CompanionExpect[];
  expectSpan?: Span;
  /** `(cycle 2 day 1)`: the calendar position the step must be at. */
  position?: { cycle: number; day: number; span: Span };
  span: Span;
}

export interface Scenario {
  kind: 'scenario';
  title?: StringLit;
  steps: ScenarioStep[];
  span: Span;
}

export interface Deviation {
  kind: 'deviation';
  topic?: Name;
  reason?: StringLit;
  span: Span;
}

export interface ProtocolBlock {
  kind: 'protocol';
  title?: StringLit;
  drug?: Name;
  indication?: Name;
  start?: Start;
  levels?: Levels;
  combinations: Combination[];
  /** The protocol's own facts, for rules the label leaves to the prescriber. */
  facts: FactDecl[];
  gates: CycleGate[];
  rules: Rule[];
  tests: TestCase[];
  scenarios: Scenario[];
  deviations: Deviation[];
  notes: StringLit[];
  span: Span;
}

export type Block = LabelBlock | ProtocolBlock;

export interface DoseFile {
  blocks: Block[];
  comments: Span[];
  span: Span;
}
