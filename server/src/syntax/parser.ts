// The grammar of `.dose` files (docs/language.md) as a recursive-descent parser
// that builds the syntax tree of `ast.ts` directly. Every rule tolerates missing
// tokens: recovery (cursor.ts) may leave any child undefined.
import type * as ast from './ast.js';
import { buildIndication, buildLabel, buildProtocol, type Annotation, type IndicationItem, type LabelItem, type ProtocolItem } from './assemble.js';
import { ABORT, Cursor, type ListKind } from './cursor.js';
import { describeKind, isComparison, oneOf, punctuationOf, SyntaxKind as K } from './syntax-kind.js';

type Maybe<T> = T | undefined;

/** Deeper parentheses are cut out with one diagnostic, so recursion depth stays bounded. */
export const MAX_NESTING = 64;

function listOf(starts: K[], what: string): ListKind {
  const words = starts.map(describeKind);
  return { starts: new Set(starts), expected: `${what} (${words.join(', ')}) or '}'` };
}

const LABEL_ITEMS = listOf([K.FactKeyword, K.IndicationKeyword, K.AliasKeyword, K.DocumentKeyword, K.SourceKeyword, K.NoteKeyword], 'a label line');
const INDICATION_ITEMS = listOf(
  [K.DoseKeyword, K.RequiresKeyword, K.HoldKeyword, K.DiscontinueKeyword, K.AtKeyword, K.TakeKeyword, K.SourceKeyword, K.NoteKeyword],
  'an indication line',
);
const PROTOCOL_ITEMS = listOf(
  [K.DrugKeyword, K.IndicationKeyword, K.StartKeyword, K.WithKeyword, K.RuleKeyword, K.TestKeyword, K.DeviationKeyword, K.SourceKeyword, K.NoteKeyword],
  'a protocol line',
);
const EXPECT_OR_CLOSE = new Set([K.ExpectKeyword]);
const NOTHING = new Set<K>();

const expected = (...kinds: K[]) => oneOf(kinds.map(describeKind));

/**
 * A copy exactly as long as `items`. An array grown by `push` keeps room for
 * 16 more; the tree keeps its lists, so the slack would be kept too.
 */
const exact = <T>(items: T[]): T[] => items.slice();

export class DoseParser extends Cursor {
  /** Open parentheses around the expression being read. */
  private depth = 0;

  /** The block at the cursor: `label ... { }` or `protocol ... { }`. */
  block(): Maybe<ast.Block> {
    const start = this.startHere();
    const kind = this.kind();
    this.advance();
    try {
      const block = kind === K.LabelKeyword ? this.label(start) : this.protocol(start);
      if (!this.atEnd()) this.unexpectedAfterBlock();
      return block;
    } catch (error) {
      if (error !== ABORT) throw error;
      return undefined;
    }
  }

  private unexpectedAfterBlock(): void {
    this.report(`Unexpected ${this.describeCurrent()} after the end of the block`, 'unexpected');
  }

  // ---- labels ---------------------------------------------------------------

  private label(start: number): ast.LabelBlock {
    const name = this.name();
    const title = this.optionalString();
    this.expectOrReport(K.LBrace);
    const items = this.list<LabelItem>(LABEL_ITEMS, (kind) => this.labelItem(kind));
    this.expectOrReport(K.RBrace);
    return buildLabel(items, name, title, this.spanFrom(start));
  }

  private labelItem(kind: K): Maybe<LabelItem> {
    switch (kind) {
      case K.FactKeyword:
        return this.factDecl();
      case K.IndicationKeyword:
        return this.indicationDecl();
      case K.AliasKeyword:
        return this.alias();
      case K.DocumentKeyword:
        return this.document();
      default:
        return this.annotation();
    }
  }

  private alias(): LabelItem {
    this.advance();
    const values: ast.StringLit[] = [];
    do {
      const value = this.string();
      if (value) values.push(value);
    } while (this.eat(K.Comma));
    return { kind: 'alias', values: exact(values) };
  }

  /** `document "000_60b36539cf3d3ced.txt" "Pomalidomide label summary"`: a source file's title. */
  private document(): LabelItem {
    const start = this.startHere();
    this.advance();
    const file = this.string();
    const title = this.string();
    return { kind: 'document', file, title, span: this.spanFrom(start) };
  }

  private annotation(): Annotation {
    const start = this.startHere();
    const kind = this.kind() === K.NoteKeyword ? 'note' : 'source';
    this.advance();
    const text = this.string();
    return { kind, text, span: this.spanFrom(start) };
  }

  private factDecl(): ast.FactDecl {
    const start = this.startHere();
    this.advance();
    const name = this.name();
    const title = this.optionalString();
    this.expect(K.Colon);
    const type = this.factType();
    return { kind: 'fact', name, title, type, notes: [], span: this.spanFrom(start) };
  }

  private factType(): Maybe<ast.FactType> {
    const start = this.startHere();
    switch (this.kind()) {
      case K.QuantityKeyword: {
        this.advance();
        const unit = this.nameAt(this.expect(K.Unit));
        const normal = this.eat(K.NormalKeyword) ? this.quantity() : undefined;
        return { kind: 'quantity', unit, normal, span: this.spanFrom(start) };
      }
      case K.BooleanKeyword:
        this.advance();
        return { kind: 'boolean', span: this.spanFrom(start) };
      case K.OneKeyword: {
        this.advance();
        this.expect(K.OfKeyword);
        const values = this.nameList();
        return { kind: 'enum', values, span: this.spanFrom(start) };
      }
      default:
        this.fail(expected(K.QuantityKeyword, K.BooleanKeyword, K.OneKeyword));
        return undefined;
    }
  }

  private nameList(): ast.Name[] {
    const names: ast.Name[] = [];
    do {
      const name = this.name();
      if (name) names.push(name);
    } while (this.eat(K.Comma));
    return exact(names);
  }

  private indicationDecl(): ast.IndicationDecl {
    const start = this.startHere();
    this.advance();
    const name = this.name();
    const title = this.optionalString();
    this.expectOrReport(K.LBrace);
    const items = this.list<IndicationItem>(INDICATION_ITEMS, (kind) => this.indicationItem(kind));
    this.expectOrReport(K.RBrace);
    return buildIndication(items, name, title, this.spanFrom(start));
  }

  private indicationItem(kind: K): IndicationItem {
    switch (kind) {
      case K.DoseKeyword:
        return this.labelDose();
      case K.RequiresKeyword:
        return this.requires();
      case K.HoldKeyword:
      case K.DiscontinueKeyword:
        return this.stopConstraint();
      case K.AtKeyword:
        return this.doseCap();
      case K.TakeKeyword:
        return this.take();
      default:
        return this.annotation();
    }
  }

  private labelDose(): ast.LabelDose {
    const start = this.startHere();
    this.advance();
    const amount = this.amount();
    const schedule = this.schedule();
    return { kind: 'dose', amount, schedule, notes: [], span: this.spanFrom(start) };
  }

  private requires(): ast.Requires {
    const start = this.startHere();
    this.advance();
    const drug = this.name();
    const amount = this.at(K.NumberLiteral) ? this.quantity() : undefined;
    const condition = this.eat(K.WhenKeyword) ? this.expr() : undefined;
    return { kind: 'requires', drug, amount, condition, notes: [], span: this.spanFrom(start) };
  }

  private stopConstraint(): ast.StopConstraint {
    const start = this.startHere();
    const kind = this.kind() === K.DiscontinueKeyword ? 'discontinue' : 'hold';
    const keywordSpan = this.spanOf(this.advance());
    this.expect(K.WhenKeyword);
    const condition = this.expr();
    return { kind, keywordSpan, condition, notes: [], span: this.spanFrom(start) };
  }

  private doseCap(): ast.DoseCap {
    const start = this.startHere();
    this.advance();
    this.expect(K.MostKeyword);
    const amount = this.amount();
    this.expect(K.WhenKeyword);
    const condition = this.expr();
    return { kind: 'cap', amount, condition, notes: [], span: this.spanFrom(start) };
  }

  private take(): ast.TimingConstraint {
    const start = this.startHere();
    this.advance();
    const timing = this.timing();
    this.expect(K.WhenKeyword);
    const condition = this.expr();
    return { kind: 'take', timing, condition, notes: [], span: this.spanFrom(start) };
  }

  // ---- protocols -------------------------------------------------------------

  private protocol(start: number): ast.ProtocolBlock {
    const title = this.optionalString();
    this.expectOrReport(K.LBrace);
    const items = this.list<ProtocolItem>(PROTOCOL_ITEMS, (kind) => this.protocolItem(kind));
    this.expectOrReport(K.RBrace);
    return buildProtocol(items, title, this.spanFrom(start));
  }

  private protocolItem(kind: K): ProtocolItem {
    switch (kind) {
      case K.DrugKeyword:
        this.advance();
        return { kind: 'drug', name: this.name() };
      case K.IndicationKeyword:
        this.advance();
        return { kind: 'indication', name: this.name() };
      case K.StartKeyword:
        return this.start();
      case K.WithKeyword:
        return this.combination();
      case K.RuleKeyword:
        return this.rule();
      case K.TestKeyword:
        return this.testCase();
      case K.DeviationKeyword:
        return this.deviation();
      default:
        return this.annotation();
    }
  }

  private start(): ast.Start {
    const start = this.startHere();
    this.advance();
    const amount = this.amount();
    const schedule = this.schedule();
    return { kind: 'start', amount, schedule, span: this.spanFrom(start) };
  }

  private combination(): ast.Combination {
    const start = this.startHere();
    this.advance();
    const drug = this.name();
    const amount = this.at(K.NumberLiteral) ? this.quantity() : undefined;
    const schedule = this.schedule();
    return { kind: 'with', drug, amount, schedule, span: this.spanFrom(start) };
  }

  private rule(): ast.Rule {
    const start = this.startHere();
    this.advance();
    const name = this.name();
    this.expect(K.Colon);
    this.expect(K.WhenKeyword);
    const condition = this.expr();
    this.expect(K.ThenKeyword);
    const action = this.action();
    return { kind: 'rule', name, condition, action, span: this.spanFrom(start) };
  }

  private action(): Maybe<ast.Action> {
    const start = this.startHere();
    switch (this.kind()) {
      case K.HoldKeyword:
        this.advance();
        return { kind: 'hold', span: this.spanFrom(start) };
      case K.DiscontinueKeyword:
        this.advance();
        return { kind: 'discontinue', span: this.spanFrom(start) };
      case K.NoKeyword:
        this.advance();
        this.expect(K.DoseKeyword);
        return { kind: 'no dose', span: this.spanFrom(start) };
      case K.DoseKeyword: {
        this.advance();
        const amount = this.amount();
        const timing = this.at(K.AfterKeyword) ? this.timing() : undefined;
        return { kind: 'dose', amount, timing, span: this.spanFrom(start) };
      }
      default:
        this.fail(expected(K.HoldKeyword, K.DiscontinueKeyword, K.NoKeyword, K.DoseKeyword));
        return undefined;
    }
  }

  /** `test "title" { given ..., ... expect <action> }`; a broken test is kept up to its `}`. */
  private testCase(): ast.TestCase {
    const start = this.startHere();
    this.advance();
    const title = this.string();
    this.expect(K.LBrace);
    let given: ast.Given[] = [];
    let expect: Maybe<ast.Action>;
    let expectSpan: Maybe<ast.Span>;
    try {
      if (this.eat(K.GivenKeyword)) given = this.givens();
      this.skipToAndReport(EXPECT_OR_CLOSE);
      const expectStart = this.startHere();
      this.expect(K.ExpectKeyword);
      expect = this.action();
      expectSpan = this.spanFrom(expectStart);
      this.skipToAndReport(NOTHING);
    } catch (error) {
      if (error !== ABORT || !this.at(K.RBrace)) throw error;
    }
    this.expect(K.RBrace);
    return { kind: 'test', title, given, expect, expectSpan, span: this.spanFrom(start) };
  }

  private givens(): ast.Given[] {
    const given: ast.Given[] = [];
    do {
      const item = this.given();
      if (item) given.push(item);
    } while (this.eat(K.Comma));
    return exact(given);
  }

  /** Reports and skips anything before one of `kinds` or `}`. */
  private skipToAndReport(kinds: ReadonlySet<K>): void {
    const kind = this.kind();
    if (kind === K.RBrace || kinds.has(kind)) return;
    this.report(`Expected ${oneOf([...kinds, K.RBrace].map(describeKind))}, found ${this.describeCurrent()}`, 'unexpected');
    this.skipUntil(kinds);
  }

  private given(): Maybe<ast.Given> {
    const start = this.startHere();
    if (this.at(K.DayKeyword)) {
      const fact = { text: 'day', span: this.spanOf(this.advance()) };
      const number = this.expect(K.NumberLiteral);
      const span = number < 0 ? undefined : this.spanOf(number);
      const value = span ? this.quantityOf(number, undefined, span, span) : undefined;
      return { fact, value, negated: false, span: this.spanFrom(start) };
    }
    if (!this.at(K.NotKeyword) && !this.at(K.Name)) {
      this.fail(expected(K.DayKeyword, K.NotKeyword, K.Name));
      return undefined;
    }
    const negated = this.eat(K.NotKeyword);
    const fact = this.name() ?? { text: '', span: { start, end: start } };
    const value = this.eat(K.Equals) ? this.value() : undefined;
    const alone = !negated && !value && fact.span.start === start;
    return { fact, value, negated, span: alone ? fact.span : this.spanFrom(start) };
  }

  private deviation(): ast.Deviation {
    const start = this.startHere();
    this.advance();
    const topic = this.deviationTopic();
    const reason = this.optionalString();
    return { kind: 'deviation', topic, reason, span: this.spanFrom(start) };
  }

  /** A deviation names a check; some check names are also keywords. */
  private deviationTopic(): Maybe<ast.Name> {
    switch (this.kind()) {
      case K.Name:
      case K.CycleKeyword:
      case K.DaysKeyword:
      case K.StartKeyword:
      case K.WithKeyword:
      case K.DoseKeyword:
        return this.tokenName(this.advance());
      default:
        this.fail(expected(K.Name, K.CycleKeyword, K.DaysKeyword, K.StartKeyword, K.WithKeyword, K.DoseKeyword));
        return undefined;
    }
  }

  // ---- doses and schedules ---------------------------------------------------

  private amount(): Maybe<ast.DoseAmount> {
    const start = this.startHere();
    if (this.at(K.NumberLiteral)) return { kind: 'absolute', amount: this.quantity(), span: this.spanFrom(start) };
    if (this.eat(K.PreviousKeyword)) {
      this.expect(K.Minus);
      return { kind: 'relative', amount: this.quantity(), span: this.spanFrom(start) };
    }
    this.fail(expected(K.NumberLiteral, K.PreviousKeyword));
    return undefined;
  }

  private schedule(): ast.Schedule {
    const schedule: ast.Schedule = {};
    if (this.at(K.Name)) schedule.route = this.tokenName(this.advance());
    if (this.at(K.OnceKeyword) || this.at(K.TwiceKeyword)) schedule.frequency = this.frequency();
    if (this.at(K.DaysKeyword) || this.at(K.DayKeyword)) {
      const start = this.startHere();
      schedule.days = this.days();
      schedule.daysSpan = this.spanFrom(start);
    }
    if (this.eat(K.CycleKeyword)) schedule.cycle = this.quantity();
    return schedule;
  }

  /** `once daily`, `twice weekly`: kept as the words written. */
  private frequency(): ast.Name {
    const start = this.startHere();
    const count = this.image(this.advance());
    let period = '';
    if (this.at(K.DailyKeyword) || this.at(K.WeeklyKeyword)) period = this.image(this.advance());
    else this.fail(expected(K.DailyKeyword, K.WeeklyKeyword));
    return { text: `${count} ${period}`.trim(), span: this.spanFrom(start) };
  }

  private days(): ast.DayRange[] {
    this.advance();
    const ranges: ast.DayRange[] = [];
    do {
      const start = this.startHere();
      const from = this.expect(K.NumberLiteral);
      const to = this.eat(K.Minus) ? this.expect(K.NumberLiteral) : -1;
      if (from < 0) continue;
      const first = Number(this.image(from));
      ranges.push({ from: first, to: to < 0 ? first : Number(this.image(to)), span: this.spanFrom(start) });
    } while (this.eat(K.Comma));
    return exact(ranges);
  }

  private timing(): Maybe<ast.Timing> {
    const start = this.startHere();
    const after = this.expect(K.AfterKeyword);
    const event = this.name();
    if (after < 0) return undefined;
    return { relation: this.tokenName(after), event, span: this.spanFrom(start) };
  }

  /** A number and, if written, its unit (the resolver says which unit fits when it is missing). */
  private quantity(): Maybe<ast.Quantity> {
    const number = this.expect(K.NumberLiteral);
    if (number < 0) return undefined;
    const valueSpan = this.spanOf(number);
    const unit = this.at(K.Unit) ? this.tokenName(this.advance()) : undefined;
    return this.quantityOf(number, unit, valueSpan, unit ? { start: valueSpan.start, end: unit.span.end } : valueSpan);
  }

  private quantityOf(number: number, unit: Maybe<ast.Name>, valueSpan: ast.Span, span: ast.Span): ast.Quantity {
    const valueText = this.word(number);
    return { kind: 'quantity', value: Number(valueText), valueText, valueSpan, unit, span };
  }

  // ---- expressions -----------------------------------------------------------

  private expr(): Maybe<ast.Expr> {
    return this.junction('or', K.OrKeyword, () => this.andExpr());
  }

  private andExpr(): Maybe<ast.Expr> {
    return this.junction('and', K.AndKeyword, () => this.notExpr());
  }

  /** Operands joined by `keyword`; a single operand stands for itself (no array is made for it). */
  private junction(kind: 'and' | 'or', keyword: K, operand: () => Maybe<ast.Expr>): Maybe<ast.Expr> {
    const start = this.startHere();
    const first = operand();
    if (!this.at(keyword)) return first;
    const operands = first ? [first] : [];
    while (this.eat(keyword)) {
      const next = operand();
      if (next) operands.push(next);
    }
    if (operands.length <= 1) return operands[0];
    return { kind, operands: exact(operands), span: this.spanFrom(start) };
  }

  /** `not not x` is x: folding keeps the tree shallow whatever the input. */
  private notExpr(): Maybe<ast.Expr> {
    const start = this.startHere();
    let nots = 0;
    while (this.eat(K.NotKeyword)) nots++;
    const operand = this.primary();
    if (nots % 2 === 0) return operand;
    return { kind: 'not', operand, span: this.spanFrom(start) };
  }

  private primary(): Maybe<ast.Expr> {
    if (this.at(K.Name)) return this.condition();
    if (!this.at(K.LParen)) {
      this.fail(expected(K.LParen, K.Name));
      return undefined;
    }
    if (this.depth >= MAX_NESTING) return this.cutTooDeep();
    this.advance();
    this.depth++;
    try {
      const inner = this.expr();
      this.expect(K.RParen);
      return inner;
    } finally {
      this.depth--;
    }
  }

  /**
   * Skips a group that opens deeper than MAX_NESTING, up to its matching `)`
   * (or the end of the block), with one diagnostic, and reads it as a fact
   * with no name: later phases ignore names with no text.
   */
  private cutTooDeep(): ast.Expr {
    const open = this.pos;
    let depth = 0;
    while (!this.atEnd()) {
      const kind = this.kind();
      this.pos++;
      if (kind === K.LParen) depth++;
      else if (kind === K.RParen && --depth === 0) break;
    }
    const start = this.tokens.starts[open];
    const span = { start, end: this.tokens.ends[this.pos - 1] };
    this.errors.push({ span, name: 'NestingTooDeep', args: [String(MAX_NESTING)] });
    const empty = { start, end: start };
    return { kind: 'fact', name: { text: '', span: empty }, span: empty };
  }

  private condition(): ast.Expr {
    const start = this.startHere();
    const fact = this.tokenName(this.advance());
    const kind = this.kind();
    if (isComparison(kind)) {
      const opSpan = this.spanOf(this.advance());
      const value = this.value();
      return { kind: 'compare', fact, op: punctuationOf(kind) as ast.CompareOp, opSpan, value, span: this.spanFrom(start) };
    }
    if (kind === K.InKeyword) return { kind: 'in', fact, values: this.inValues(), span: this.spanFrom(start) };
    return { kind: 'fact', name: fact, span: fact.span };
  }

  /**
   * `in (A, B)`. A half-typed list (`in (A,` at the end of a line) must not
   * make recovery skip past the following rule, so the list ends where the
   * names end and a missing `)` is reported there.
   */
  private inValues(): ast.Name[] {
    this.advance();
    this.expect(K.LParen);
    const names: ast.Name[] = [];
    const first = this.name();
    if (first) names.push(first);
    while (this.eat(K.Comma)) {
      if (this.at(K.Name)) names.push(this.tokenName(this.advance()));
    }
    if (!this.eat(K.RParen)) this.report(`Expected ')' to close the list of values, found ${this.describeCurrent()}`);
    return exact(names);
  }

  private value(): Maybe<ast.Quantity | ast.Name> {
    switch (this.kind()) {
      case K.NumberLiteral:
        return this.quantity();
      case K.Name:
      case K.TrueKeyword:
      case K.FalseKeyword:
        return this.tokenName(this.advance());
      default:
        this.fail(expected(K.NumberLiteral, K.Name, K.TrueKeyword, K.FalseKeyword));
        return undefined;
    }
  }

  // ---- tokens ----------------------------------------------------------------

  /** Consumes the current token if it is of `kind`. */
  private eat(kind: K): boolean {
    if (!this.at(kind)) return false;
    this.advance();
    return true;
  }

  private name(): Maybe<ast.Name> {
    return this.nameAt(this.expect(K.Name));
  }

  /** The name at a token index from `expect`, none for -1. */
  private nameAt(index: number): Maybe<ast.Name> {
    return index < 0 ? undefined : this.tokenName(index);
  }

  private tokenName(index: number): ast.Name {
    return { text: this.word(index), span: this.spanOf(index) };
  }

  private string(): Maybe<ast.StringLit> {
    const index = this.expect(K.StringLiteral);
    return index < 0 ? undefined : this.stringAt(index);
  }

  private optionalString(): Maybe<ast.StringLit> {
    return this.at(K.StringLiteral) ? this.stringAt(this.advance()) : undefined;
  }

  private stringAt(index: number): ast.StringLit {
    const span = this.spanOf(index);
    const closed = span.end - span.start >= 2 && this.text.charCodeAt(span.end - 1) === QUOTE && isClosedString(this.text, span.end);
    const body = this.text.slice(span.start + 1, closed ? span.end - 1 : span.end);
    return { value: body.includes('\\') ? body.replace(/\\(.)/g, '$1') : body, span };
  }
}

const QUOTE = 34;
const BACKSLASH = 92;

/** Whether the quote that ends a string at `end` closes it, not escaped by a backslash. */
function isClosedString(text: string, end: number): boolean {
  let backslashes = 0;
  for (let i = end - 2; text.charCodeAt(i) === BACKSLASH; i--) backslashes++;
  return backslashes % 2 === 0;
}


