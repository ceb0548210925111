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

export interface Schedule {
  route?: Name;
  /** e.g. "once daily"; free words kept for display and comparison. */
  frequency?: Name;
  days?: DayRange[];
  daysSpan?: Span;
  cycle?: Quantity;
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
  condition?: Expr;
  source?: SourceClause;
  notes: StringLit[];
  span: Span;
}

/** `hold when ...` or `discontinue when ...`. */
export interface StopConstraint {
  kind: 'hold' | 'discontinue';
  keywordSpan: Span;
  condition?: Expr;
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

export interface IndicationDecl {
  kind: 'indication';
  name?: Name;
  title?: StringLit;
  doses: LabelDose[];
  requires: Requires[];
  constraints: LabelConstraint[];
  notes: StringLit[];
  span: Span;
}

/** `document "000_60b36539cf3d3ced.txt" "Pomalidomide label summary"`. */
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
  span: Span;
}

export type Action =
  | { kind: 'hold'; span: Span }
  | { kind: 'discontinue'; span: Span }
  | { kind: 'no dose'; span: Span }
  | { kind: 'dose'; amount?: DoseAmount; timing?: Timing; span: Span };

export interface Rule {
  kind: 'rule';
  name?: Name;
  condition?: Expr;
  action?: Action;
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
  expectSpan?: Span;
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
  combinations: Combination[];
  rules: Rule[];
  tests: TestCase[];
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
