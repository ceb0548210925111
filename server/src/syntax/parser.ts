// The grammar of `.dose` files (docs/language.md) as a recursive-descent parser
// that builds the syntax tree of `ast.ts` directly. Every rule tolerates missing
// tokens: recovery (cursor.ts) may leave any child undefined.
import type * as ast from './ast.js';
import { buildIndication, buildLabel, buildProtocol, type Annotation, type IndicationItem, type LabelItem, type ProtocolItem } from './assemble.js';
import { ABORT, Cursor, type ListKind } from './cursor.js';
import { describeKind, isComparison, isSoftKeyword, oneOf, punctuationOf, SyntaxKind as K } from './syntax-kind.js';

type Maybe<T> = T | undefined;

/** Deeper parentheses are cut out with one diagnostic, so recursion depth stays bounded. */
export const MAX_NESTING = 64;

function listOf(starts: K[], what: string): ListKind {
  const words = starts.map(describeKind);
  return { starts: new Set(starts), expected: `${what} (${words.join(', ')}) or '}'` };
}

const LABEL_ITEMS = listOf([K.FactKeyword, K.IndicationKeyword, K.AliasKeyword, K.SourceKeyword, K.NoteKeyword], 'a label line');
const INDICATION_ITEMS = listOf(
  [
    K.DoseKeyword, K.RequiresKeyword, K.HoldKeyword, K.DiscontinueKeyword, K.AtKeyword, K.TakeKeyword,
    K.LowestKeyword, K.BeforeKeyword, K.SourceKeyword, K.NoteKeyword,
  ],
  'an indication line',
);
const PROTOCOL_ITEMS = listOf(
  [
    K.DrugKeyword, K.IndicationKeyword, K.StartKeyword, K.LevelsKeyword, K.WithKeyword, K.FactKeyword, K.BeforeKeyword,
    K.RuleKeyword, K.TestKeyword, K.ScenarioKeyword, K.DeviationKeyword, K.SourceKeyword, K.NoteKeyword,
  ],
  'a protocol line',
);
const SCENARIO_STEPS = listOf([K.CycleKeyword, K.DayKeyword], 'a scenario step');
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
      case K.LowestKeyword:
        return this.lowestDose();
      case K.BeforeKeyword:
        return this.cycleGate();
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
    const schedule = this.schedule();
    const condition = this.eat(K.WhenKeyword) ? this.expr() : undefined;
    return { kind: 'requires', drug, amount, schedule, condition, notes: [], span: this.spanFrom(start) };
  }

  private stopConstraint(): ast.StopConstraint {
    const start = this.startHere();
    const kind = this.kind() === K.DiscontinueKeyword ? 'discontinue' : 'hold';
    const keywordSpan = this.spanOf(this.advance());
    this.expect(K.WhenKeyword);
    const condition = this.expr();
    const until = kind === 'hold' && this.at(K.UntilKeyword) ? this.until() : undefined;
    return { kind, keywordSpan, condition, until, notes: [], span: this.spanFrom(start) };
  }

  /** `lowest dose QUANTITY`. */
  private lowestDose(): ast.LowestDose {
    const start = this.startHere();
    this.advance();
    this.expect(K.DoseKeyword);
    const amount = this.quantity();
    return { kind: 'lowest', amount, notes: [], span: this.spanFrom(start) };
  }

  /** `before each cycle require EXPR`. */
  private cycleGate(): ast.CycleGate {
    const start = this.startHere();
    this.advance();
    this.expect(K.EachKeyword);
    this.expect(K.CycleKeyword);
    this.expect(K.RequireKeyword);
    const condition = this.expr();
    return { kind: 'gate', condition, notes: [], span: this.spanFrom(start) };
  }

  /** `until EXPR then resume at [most] TARGET [on recurrence resume at [most] TARGET]`. */
  private until(): ast.Until {
    const start = this.startHere();
    const keywordSpan = this.spanOf(this.advance());
    const condition = this.expr();
    this.expect(K.ThenKeyword);
    const resume = this.resume();
    let recurrence: Maybe<ast.Resume>;
    if (this.eat(K.OnKeyword)) {
      this.expect(K.RecurrenceKeyword);
      recurrence = this.resume();
    }
    return { condition, resume, recurrence, keywordSpan, span: this.spanFrom(start) };
  }

  /** `resume at [most] TARGET`. */
  private resume(): Maybe<ast.Resume> {
    const start = this.startHere();
    if (this.expect(K.ResumeKeyword) < 0) return undefined;
    this.expect(K.AtKeyword);
    const atMost = this.eat(K.MostKeyword);
    const target = this.resumeTarget();
    return { atMost, target, span: this.spanFrom(start) };
  }

  /** `same dose` | `previous - N level(s)` | `previous - QUANTITY` | QUANTITY. */
  private resumeTarget(): Maybe<ast.ResumeTarget> {
    const start = this.startHere();
    if (this.eat(K.SameKeyword)) {
      this.expect(K.DoseKeyword);
      return { kind: 'same', span: this.spanFrom(start) };
    }
    if (this.at(K.NumberLiteral)) return { kind: 'amount', amount: this.quantity(), span: this.spanFrom(start) };
    if (!this.eat(K.PreviousKeyword)) {
      this.fail(expected(K.SameKeyword, K.PreviousKeyword, K.NumberLiteral));
      return undefined;
    }
    this.expect(K.Minus);
    // `level` is no keyword (a fact may be called `level`): after a number it lexes as a unit.
    const after = this.kind(1);
    const levelUnit = after === K.Unit && /^levels?$/.test(this.word(this.pos + 1));
    if (this.at(K.NumberLiteral) && (after === K.LevelsKeyword || levelUnit)) {
      const number = this.advance();
      this.advance();
      return { kind: 'levels', count: Number(this.word(number)), countSpan: this.spanOf(number), span: this.spanFrom(start) };
    }
    return { kind: 'minus', amount: this.quantity(), span: this.spanFrom(start) };
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
      case K.LevelsKeyword:
        return this.levels();
      case K.WithKeyword:
        return this.combination();
      case K.FactKeyword:
        return this.factDecl();
      case K.BeforeKeyword:
        return this.cycleGate();
      case K.RuleKeyword:
        return this.rule();
      case K.TestKeyword:
        return this.testCase();
      case K.ScenarioKeyword:
        return this.scenario();
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
    const condition = this.eat(K.WhenKeyword) ? this.expr() : undefined;
    return { kind: 'with', drug, amount, schedule, condition, span: this.spanFrom(start) };
  }

  /** `levels QUANTITY { "," QUANTITY }`. */
  private levels(): ast.Levels {
    const start = this.startHere();
    this.advance();
    const amounts: ast.Quantity[] = [];
    do {
      const amount = this.quantity();
      if (amount) amounts.push(amount);
    } while (this.eat(K.Comma));
    return { kind: 'levels', amounts: exact(amounts), span: this.spanFrom(start) };
  }

  private rule(): ast.Rule {
    const start = this.startHere();
    this.advance();
    const name = this.name();
    this.expect(K.Colon);
    this.expect(K.WhenKeyword);
    const condition = this.expr();
    this.expect(K.ThenKeyword);
    const action = this.ruleAction();
    return { kind: 'rule', name, condition, action, span: this.spanFrom(start) };
  }

  /** An action as a rule writes it: with the drugs it acts on and, for a hold, how it ends. */
  private ruleAction(): Maybe<ast.Action> {
    const action = this.action();
    if (!action || action.kind === 'dose') return action;
    if (this.at(K.Name)) {
      action.drugs = this.nameList();
      action.span = this.spanFrom(action.span.start);
    }
    if (action.kind === 'hold' && this.at(K.UntilKeyword)) {
      action.until = this.until();
      action.span = this.spanFrom(action.span.start);
    }
    return action;
  }

  /** `, dexamethasone 20 mg` or `, no dexamethasone` after an expected action, any number of them. */
  private companions(): ast.CompanionExpect[] {
    const companions: ast.CompanionExpect[] = [];
    while (this.eat(K.Comma)) {
      const start = this.startHere();
      const none = this.eat(K.NoKeyword);
      const drug = this.name();
      const amount = !none && this.at(K.NumberLiteral) ? this.quantity() : undefined;
      if (!none && !amount && drug) this.fail(describeKind(K.NumberLiteral));
      companions.push({ drug, amount, none, span: this.spanFrom(start) });
    }
    return exact(companions);
  }

  /** `scenario STRING { step* }`. */
  private scenario(): ast.Scenario {
    const start = this.startHere();
    this.advance();
    const title = this.string();
    this.expectOrReport(K.LBrace);
    const steps = this.list<ast.ScenarioStep>(SCENARIO_STEPS, () => this.scenarioStep());
    this.expectOrReport(K.RBrace);
    return { kind: 'scenario', title, steps, span: this.spanFrom(start) };
  }

  /** `(cycle N day N | day N) ":" { observation [","] } [expect action companions ["(" cycle N day N ")"]]`. */
  private scenarioStep(): ast.ScenarioStep {
    const start = this.startHere();
    const at = this.stepDay();
    this.expect(K.Colon);
    const observations: ast.Given[] = [];
    while (this.at(K.Name) || this.at(K.NotKeyword)) {
      const item = this.given();
      if (item) observations.push(item);
      this.eat(K.Comma);
    }
    let expect: Maybe<ast.Action>;
    let companions: ast.CompanionExpect[] = [];
    let expectSpan: Maybe<ast.Span>;
    let position: ast.ScenarioStep['position'];
    if (this.at(K.ExpectKeyword)) {
      const expectStart = this.startHere();
      this.advance();
      expect = this.action();
      companions = this.companions();
      expectSpan = this.spanFrom(expectStart);
      if (this.at(K.LParen)) position = this.stepPosition();
    }
    return { at, observations: exact(observations), expect, companions, expectSpan, position, span: this.spanFrom(start) };
  }

  /** `cycle N day N` or `day N` at the head of a step. */
  private stepDay(): Maybe<ast.StepDay> {
    const start = this.startHere();
    if (this.eat(K.DayKeyword)) {
      const day = this.number();
      return day === undefined ? undefined : { kind: 'day', day, span: this.spanFrom(start) };
    }
    this.advance();
    const { cycle, day } = this.cycleAndDay();
    if (cycle === undefined || day === undefined) return undefined;
    return { kind: 'cycle', cycle, day, span: this.spanFrom(start) };
  }

  /** `N day N` after `cycle`. The lexer reads `1 day` as a number and its unit, so both spellings are taken. */
  private cycleAndDay(): { cycle?: number; day?: number } {
    const number = this.expect(K.NumberLiteral);
    const cycle = number < 0 ? undefined : Number(this.word(number));
    if (this.at(K.Unit) && this.word(this.pos) === 'day') this.advance();
    else this.expect(K.DayKeyword);
    return { cycle, day: this.number() };
  }

  /** `(cycle N day N)` after a step's expectation. */
  private stepPosition(): ast.ScenarioStep['position'] {
    const start = this.startHere();
    this.advance();
    this.expect(K.CycleKeyword);
    const { cycle, day } = this.cycleAndDay();
    this.expect(K.RParen);
    if (cycle === undefined || day === undefined) return undefined;
    return { cycle, day, span: this.spanFrom(start) };
  }

  private number(): Maybe<number> {
    const index = this.expect(K.NumberLiteral);
    return index < 0 ? undefined : Number(this.word(index));
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
    let companions: ast.CompanionExpect[] = [];
    try {
      if (this.eat(K.GivenKeyword)) given = this.givens();
      this.skipToAndReport(EXPECT_OR_CLOSE);
      const expectStart = this.startHere();
      this.expect(K.ExpectKeyword);
      expect = this.action();
      companions = this.companions();
      expectSpan = this.spanFrom(expectStart);
      this.skipToAndReport(NOTHING);
    } catch (error) {
      if (error !== ABORT || !this.at(K.RBrace)) throw error;
    }
    this.expect(K.RBrace);
    return { kind: 'test', title, given, expect, companions, expectSpan, span: this.spanFrom(start) };
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
    if (this.at(K.DayKeyword) || this.at(K.CycleKeyword)) {
      const fact = { text: this.at(K.DayKeyword) ? 'day' : 'cycle', span: this.spanOf(this.advance()) };
      const number = this.expect(K.NumberLiteral);
      const span = number < 0 ? undefined : this.spanOf(number);
      const value = span ? this.quantityOf(number, undefined, span, span) : undefined;
      return { fact, value, negated: false, span: this.spanFrom(start) };
    }
    if (!this.at(K.NotKeyword) && !this.at(K.Name)) {
      this.fail(expected(K.DayKeyword, K.CycleKeyword, K.NotKeyword, K.Name));
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

  /** `[ROUTE] [frequency] [days] [cycle QUANTITY] [cycles R | from cycle N] [weeks R | from week N]`. */
  private schedule(): ast.Schedule {
    const schedule: ast.Schedule = {};
    if (this.at(K.Name)) schedule.route = this.tokenName(this.advance());
    if (this.at(K.OnceKeyword) || this.at(K.TwiceKeyword) || this.at(K.EveryKeyword)) schedule.frequency = this.frequency();
    if (this.at(K.DaysKeyword) || this.at(K.DayKeyword)) {
      const start = this.startHere();
      schedule.days = this.days();
      schedule.daysSpan = this.spanFrom(start);
    }
    if (this.eat(K.CycleKeyword)) schedule.cycle = this.quantity();
    // `from week N` (week is no keyword: a fact or unit may be called that) versus `from cycle N`.
    const fromWeek = () => this.at(K.FromKeyword) && this.word(this.pos + 1) === 'week';
    if ((this.at(K.CyclesKeyword) || this.at(K.FromKeyword)) && !fromWeek()) schedule.cycles = this.cycleRange();
    if (this.at(K.WeeksKeyword)) {
      const start = this.startHere();
      schedule.weeks = this.days();
      schedule.weeksSpan = this.spanFrom(start);
    } else if (fromWeek()) {
      const start = this.startHere();
      this.advance();
      this.advance();
      const from = this.number();
      const span = this.spanFrom(start);
      if (from !== undefined) schedule.weeks = [{ from, to: Number.POSITIVE_INFINITY, span }];
      schedule.weeksSpan = span;
    }
    return schedule;
  }

  /** `cycles N[-N]` or `from cycle N`. */
  private cycleRange(): Maybe<ast.CycleRange> {
    const start = this.startHere();
    if (this.eat(K.FromKeyword)) {
      this.expect(K.CycleKeyword);
      const from = this.number();
      return from === undefined ? undefined : { from, span: this.spanFrom(start) };
    }
    this.advance();
    const from = this.number();
    const to = this.eat(K.Minus) ? this.number() : from;
    return from === undefined ? undefined : { from, to, span: this.spanFrom(start) };
  }

  /** `once daily`, `twice weekly`, `every 2 weeks`: kept as the words written. */
  private frequency(): ast.Name {
    const start = this.startHere();
    if (this.eat(K.EveryKeyword)) {
      const count = this.number();
      const period = this.at(K.WeeksKeyword) || this.at(K.Unit) ? this.image(this.advance()) : '';
      if (!period) this.fail(expected(K.WeeksKeyword, K.Unit));
      return { text: `every ${count ?? ''} ${period}`.replace(/\s+/g, ' ').trim(), span: this.spanFrom(start) };
    }
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
    const kind = this.kind();
    if (kind === K.Name || kind === K.DayKeyword || kind === K.CycleKeyword || isSoftKeyword(kind)) return this.condition();
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

  /** A name; the keywords of SPEC-v2 are soft: where a name is expected, they are one (v1 files used them as names). */
  private name(): Maybe<ast.Name> {
    if (isSoftKeyword(this.kind())) return this.tokenName(this.advance());
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


