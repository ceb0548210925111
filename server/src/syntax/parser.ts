// The grammar of `.dose` files as a chevrotain parser with embedded actions that
// build the syntax tree in `ast.ts` directly. Recovery is on, so any rule may
// come back incomplete: every action tolerates missing tokens and children.
// One instance is built at load time and reused for every parse.
import { EmbeddedActionsParser, type IOrAlt, type IToken, type TokenType } from 'chevrotain';
import type * as ast from './ast.js';
import * as t from './tokens.js';
import { syntaxErrorMessages } from './error-messages.js';

type Maybe<T> = T | undefined;

/** A placeholder span, replaced once the rule knows where it ends. */
const NO_SPAN: ast.Span = { start: 0, end: 0 };

/** A token that really is in the text (recovery inserts tokens that are not). */
function real(token: Maybe<IToken>): Maybe<IToken> {
  if (!token || token.isInsertedInRecovery || typeof token.image !== 'string') return undefined;
  if (typeof token.startOffset !== 'number' || Number.isNaN(token.startOffset)) return undefined;
  return token;
}

function tokenSpan(token: IToken): ast.Span {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

function nameOf(token: Maybe<IToken>): Maybe<ast.Name> {
  const tok = real(token);
  return tok ? { text: tok.image, span: tokenSpan(tok) } : undefined;
}

function unescape(body: string): string {
  return body.replace(/\\(.)/g, '$1');
}

function stringOf(token: Maybe<IToken>): Maybe<ast.StringLit> {
  const tok = real(token);
  if (!tok) return undefined;
  const body = tok.image.slice(1, t.isClosedString(tok.image) ? -1 : undefined);
  return { value: unescape(body), span: tokenSpan(tok) };
}

const compareOps = new Map<TokenType, ast.CompareOp>([
  [t.Less, '<'],
  [t.LessEq, '<='],
  [t.Greater, '>'],
  [t.GreaterEq, '>='],
  [t.Equals, '='],
  [t.NotEq, '!='],
]);

type LabelItem = ast.FactDecl | ast.IndicationDecl | { kind: 'alias'; values: ast.StringLit[] } | Annotation;
type IndicationItem = ast.LabelDose | ast.Requires | ast.LabelConstraint | Annotation;
type ProtocolItem =
  | { kind: 'drug' | 'indication'; name: Maybe<ast.Name> }
  | ast.Start
  | ast.Combination
  | ast.Rule
  | ast.TestCase
  | ast.Deviation
  | Annotation;
type Annotation = { kind: 'source' | 'note'; text: Maybe<ast.StringLit>; span: ast.Span };

export class DoseParser extends EmbeddedActionsParser {
  /**
   * `validate` runs chevrotain's grammar checks (ambiguities, left recursion)
   * while building the parser. They cost tens of milliseconds at every start, so
   * the shared instance skips them and a test builds one with them on.
   */
  constructor({ validate = false } = {}) {
    super(t.allTokens, {
      skipValidations: !validate,
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: syntaxErrorMessages,
    });
    this.performSelfAnalysis();
  }

  /** Offset just past the last token consumed so far. */
  private endHere(fallback: number): number {
    const last = real(this.LA(0));
    return last ? last.startOffset + last.image.length : fallback;
  }

  private startHere(): number {
    const next = this.LA(1);
    return Number.isNaN(next.startOffset) ? 0 : next.startOffset;
  }

  private spanFrom(start: number): ast.Span {
    return { start, end: Math.max(start, this.endHere(start)) };
  }

  /**
   * The block being parsed, as far as it got. When recovery cannot finish a
   * block (a file being typed has no `}` yet), the block rules return this
   * instead of nothing, so the half-typed block keeps its tree.
   */
  private partialBlock: (() => ast.Block) | undefined;
  private readonly recoverBlock = { recoveryValueFunc: () => this.partialBlock?.() };
  // The partial block is always of the kind of the rule that is recovering.
  private readonly recoverLabel = this.recoverBlock as { recoveryValueFunc: () => ast.LabelBlock };
  private readonly recoverProtocol = this.recoverBlock as { recoveryValueFunc: () => ast.ProtocolBlock };

  /** Errors the grammar reports itself where chevrotain's recovery would skip too far. */
  public softErrors: { span: ast.Span; message: string }[] = [];

  public resetBlockState(): void {
    this.partialBlock = undefined;
    this.softErrors = [];
  }

  // ---- top level -----------------------------------------------------------

  public block = this.RULE('block', (): Maybe<ast.Block> => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.label) },
      { ALT: () => this.SUBRULE(this.protocol) },
    ]);
  }, this.recoverBlock);

  private label = this.RULE('label', (): ast.LabelBlock => {
    const start = this.startHere();
    this.CONSUME(t.Label);
    const name = nameOf(this.CONSUME(t.Name));
    const title = this.OPTION(() => stringOf(this.CONSUME(t.StringLiteral)));
    const items: LabelItem[] = [];
    this.ACTION(() => {
      this.partialBlock = () => buildLabel(items, name, title, this.spanFrom(start));
    });
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      items.push(this.SUBRULE(this.labelItem));
    });
    this.CONSUME(t.RBrace);
    return this.ACTION(() => buildLabel(items, name, title, this.spanFrom(start)));
  }, this.recoverLabel);

  private labelItem = this.RULE('labelItem', (): LabelItem => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.factDecl) },
      { ALT: () => this.SUBRULE(this.indicationDecl) },
      { ALT: () => this.SUBRULE(this.alias) },
      { ALT: () => this.SUBRULE(this.annotation) },
    ]);
  });

  private alias = this.RULE('alias', () => {
    this.CONSUME(t.Alias);
    const values: ast.StringLit[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        const value = stringOf(this.CONSUME(t.StringLiteral));
        if (value) values.push(value);
      },
    });
    return { kind: 'alias' as const, values };
  });

  private annotation = this.RULE('annotation', (): Annotation => {
    const start = this.startHere();
    const keyword = this.OR([
      { ALT: () => this.CONSUME(t.Source) },
      { ALT: () => this.CONSUME(t.Note) },
    ]);
    const text = stringOf(this.CONSUME(t.StringLiteral));
    const kind = keyword.tokenType === t.Note ? 'note' : 'source';
    return { kind, text, span: this.spanFrom(start) };
  });

  private factDecl = this.RULE('factDecl', (): ast.FactDecl => {
    const start = this.startHere();
    this.CONSUME(t.Fact);
    const name = nameOf(this.CONSUME(t.Name));
    const title = this.OPTION(() => stringOf(this.CONSUME(t.StringLiteral)));
    this.CONSUME(t.Colon);
    const type = this.SUBRULE(this.factType);
    return { kind: 'fact', name, title, type, notes: [], span: this.spanFrom(start) };
  });

  private factType = this.RULE('factType', (): Maybe<ast.FactType> => {
    const start = this.startHere();
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(t.QuantityKw);
          const unit = this.SUBRULE(this.bareUnit);
          const normal = this.OPTION(() => {
            this.CONSUME(t.Normal);
            return this.SUBRULE(this.quantity);
          });
          return { kind: 'quantity' as const, unit, normal, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.BooleanKw);
          return { kind: 'boolean' as const, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.One);
          this.CONSUME(t.Of);
          const values = this.SUBRULE(this.nameList);
          return { kind: 'enum' as const, values, span: this.spanFrom(start) };
        },
      },
    ]);
  });

  /** A fact's unit: the lexer reads a unit after `quantity` as it does after a number. */
  private bareUnit = this.RULE('bareUnit', (): Maybe<ast.Name> => nameOf(this.CONSUME(t.Unit)));

  private nameList = this.RULE('nameList', (): ast.Name[] => {
    const names: ast.Name[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        const name = nameOf(this.CONSUME(t.Name));
        if (name) names.push(name);
      },
    });
    return names;
  });

  private indicationDecl = this.RULE('indicationDecl', (): ast.IndicationDecl => {
    const start = this.startHere();
    this.CONSUME(t.Indication);
    const name = nameOf(this.CONSUME(t.Name));
    const title = this.OPTION(() => stringOf(this.CONSUME(t.StringLiteral)));
    const items: IndicationItem[] = [];
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      items.push(this.SUBRULE(this.indicationItem));
    });
    this.CONSUME(t.RBrace);
    return this.ACTION(() => buildIndication(items, name, title, this.spanFrom(start)));
  });

  private indicationItem = this.RULE('indicationItem', (): IndicationItem => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.labelDose) },
      { ALT: () => this.SUBRULE(this.requires) },
      { ALT: () => this.SUBRULE(this.stopConstraint) },
      { ALT: () => this.SUBRULE(this.doseCap) },
      { ALT: () => this.SUBRULE(this.take) },
      { ALT: () => this.SUBRULE(this.annotation) },
    ]);
  });

  private labelDose = this.RULE('labelDose', (): ast.LabelDose => {
    const start = this.startHere();
    this.CONSUME(t.Dose);
    const amount = this.SUBRULE(this.amount);
    const schedule = this.SUBRULE(this.schedule);
    return { kind: 'dose', amount, schedule: schedule ?? {}, notes: [], span: this.spanFrom(start) };
  });

  private requires = this.RULE('requires', (): ast.Requires => {
    const start = this.startHere();
    this.CONSUME(t.Requires);
    const drug = nameOf(this.CONSUME(t.Name));
    const amount = this.OPTION(() => this.SUBRULE(this.quantity));
    const condition = this.OPTION2(() => {
      this.CONSUME(t.When);
      return this.SUBRULE(this.expr);
    });
    return { kind: 'requires', drug, amount, condition, notes: [], span: this.spanFrom(start) };
  });

  private stopConstraint = this.RULE('stopConstraint', (): ast.StopConstraint => {
    const start = this.startHere();
    const keyword = this.OR([
      { ALT: () => this.CONSUME(t.Hold) },
      { ALT: () => this.CONSUME(t.Discontinue) },
    ]);
    this.CONSUME(t.When);
    const condition = this.SUBRULE(this.expr);
    const kind = keyword.tokenType === t.Discontinue ? 'discontinue' : 'hold';
    const keywordSpan = real(keyword) ? tokenSpan(keyword) : { start, end: start };
    return { kind, keywordSpan, condition, notes: [], span: this.spanFrom(start) };
  });

  private doseCap = this.RULE('doseCap', (): ast.DoseCap => {
    const start = this.startHere();
    this.CONSUME(t.At);
    this.CONSUME(t.Most);
    const amount = this.SUBRULE(this.amount);
    this.CONSUME(t.When);
    const condition = this.SUBRULE(this.expr);
    return { kind: 'cap', amount, condition, notes: [], span: this.spanFrom(start) };
  });

  private take = this.RULE('take', (): ast.TimingConstraint => {
    const start = this.startHere();
    this.CONSUME(t.Take);
    const timing = this.SUBRULE(this.timing);
    this.CONSUME(t.When);
    const condition = this.SUBRULE(this.expr);
    return { kind: 'take', timing, condition, notes: [], span: this.spanFrom(start) };
  });

  // ---- protocols -----------------------------------------------------------

  private protocol = this.RULE('protocol', (): ast.ProtocolBlock => {
    const start = this.startHere();
    this.CONSUME(t.Protocol);
    const title = this.OPTION(() => stringOf(this.CONSUME(t.StringLiteral)));
    const items: ProtocolItem[] = [];
    this.ACTION(() => {
      this.partialBlock = () => buildProtocol(items, title, this.spanFrom(start));
    });
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      items.push(this.SUBRULE(this.protocolItem));
    });
    this.CONSUME(t.RBrace);
    return this.ACTION(() => buildProtocol(items, title, this.spanFrom(start)));
  }, this.recoverProtocol);

  // Alternatives are built once, not per call: chevrotain's performance guide.
  private readonly protocolItemAlts: IOrAlt<ProtocolItem>[] = [
      {
        ALT: () => {
          this.CONSUME(t.Drug);
          return { kind: 'drug' as const, name: nameOf(this.CONSUME1(t.Name)) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Indication);
          return { kind: 'indication' as const, name: nameOf(this.CONSUME2(t.Name)) };
        },
      },
      { ALT: () => this.SUBRULE(this.start) },
      { ALT: () => this.SUBRULE(this.combination) },
      { ALT: () => this.SUBRULE(this.rule) },
      { ALT: () => this.SUBRULE(this.testCase) },
      { ALT: () => this.SUBRULE(this.deviation) },
      { ALT: () => this.SUBRULE(this.annotation) },
  ];

  private protocolItem = this.RULE('protocolItem', (): ProtocolItem => this.OR(this.protocolItemAlts));

  private start = this.RULE('start', (): ast.Start => {
    const start = this.startHere();
    this.CONSUME(t.Start);
    const amount = this.SUBRULE(this.amount);
    const schedule = this.SUBRULE(this.schedule);
    return { kind: 'start', amount, schedule: schedule ?? {}, span: this.spanFrom(start) };
  });

  private combination = this.RULE('combination', (): ast.Combination => {
    const start = this.startHere();
    this.CONSUME(t.With);
    const drug = nameOf(this.CONSUME(t.Name));
    const amount = this.OPTION(() => this.SUBRULE(this.quantity));
    const schedule = this.SUBRULE(this.schedule);
    return { kind: 'with', drug, amount, schedule: schedule ?? {}, span: this.spanFrom(start) };
  });

  private rule = this.RULE('rule', (): ast.Rule => {
    const start = this.startHere();
    this.CONSUME(t.Rule);
    const name = nameOf(this.CONSUME(t.Name));
    this.CONSUME(t.Colon);
    this.CONSUME(t.When);
    const condition = this.SUBRULE(this.expr);
    this.CONSUME(t.Then);
    const action = this.SUBRULE(this.action);
    return { kind: 'rule', name, condition, action, span: this.spanFrom(start) };
  });

  private readonly actionAlts: IOrAlt<ast.Action>[] = [
    {
      ALT: () => {
        this.CONSUME(t.Hold);
        return { kind: 'hold', span: NO_SPAN };
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.Discontinue);
        return { kind: 'discontinue', span: NO_SPAN };
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.No);
        this.CONSUME1(t.Dose);
        return { kind: 'no dose', span: NO_SPAN };
      },
    },
    {
      ALT: () => {
        this.CONSUME2(t.Dose);
        const amount = this.SUBRULE(this.amount);
        const timing = this.OPTION(() => this.SUBRULE(this.timing));
        return { kind: 'dose', amount, timing, span: NO_SPAN };
      },
    },
  ];

  private action = this.RULE('action', (): Maybe<ast.Action> => {
    const start = this.startHere();
    const action = this.OR(this.actionAlts);
    this.ACTION(() => {
      if (action) action.span = this.spanFrom(start);
    });
    return action;
  });

  private testCase = this.RULE('testCase', (): ast.TestCase => {
    const start = this.startHere();
    this.CONSUME(t.Test);
    const title = stringOf(this.CONSUME(t.StringLiteral));
    this.CONSUME(t.LBrace);
    const given: ast.Given[] = [];
    this.OPTION(() => {
      this.CONSUME(t.Given);
      this.AT_LEAST_ONE_SEP({
        SEP: t.Comma,
        DEF: () => {
          const item = this.SUBRULE(this.given);
          if (item) given.push(item);
        },
      });
    });
    const expectStart = this.startHere();
    this.CONSUME(t.Expect);
    const expect = this.SUBRULE(this.action);
    const expectSpan = this.spanFrom(expectStart);
    this.CONSUME(t.RBrace);
    return { kind: 'test', title, given, expect, expectSpan, span: this.spanFrom(start) };
  });

  private given = this.RULE('given', (): Maybe<ast.Given> => {
    const start = this.startHere();
    return this.OR([
      {
        ALT: () => {
          const keyword = this.CONSUME(t.Day);
          const number = real(this.CONSUME(t.NumberLiteral));
          const fact = { text: 'day', span: real(keyword) ? tokenSpan(keyword) : { start, end: start } };
          const value = number ? dayQuantity(number) : undefined;
          return { fact, value, negated: false, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const negated = this.OPTION(() => this.CONSUME(t.Not)) !== undefined;
          const fact = nameOf(this.CONSUME(t.Name)) ?? { text: '', span: { start, end: start } };
          const value = this.OPTION2(() => {
            this.CONSUME(t.Equals);
            return this.SUBRULE(this.value);
          });
          return { fact, value, negated, span: this.spanFrom(start) };
        },
      },
    ]);
  });

  private deviation = this.RULE('deviation', (): ast.Deviation => {
    const start = this.startHere();
    this.CONSUME(t.Deviation);
    const topic = this.SUBRULE(this.deviationTopic);
    const reason = this.OPTION(() => stringOf(this.CONSUME(t.StringLiteral)));
    return { kind: 'deviation', topic, reason, span: this.spanFrom(start) };
  });

  /** A deviation names a check; some check names are also keywords. */
  private deviationTopic = this.RULE('deviationTopic', (): Maybe<ast.Name> => {
    const token = this.OR([
      { ALT: () => this.CONSUME(t.Name) },
      { ALT: () => this.CONSUME(t.Cycle) },
      { ALT: () => this.CONSUME(t.Days) },
      { ALT: () => this.CONSUME(t.Start) },
      { ALT: () => this.CONSUME(t.With) },
      { ALT: () => this.CONSUME(t.Dose) },
    ]);
    return nameOf(token);
  });

  // ---- doses and schedules -------------------------------------------------

  private readonly amountAlts: IOrAlt<ast.DoseAmount>[] = [
    { ALT: () => ({ kind: 'absolute', amount: this.SUBRULE(this.quantity), span: NO_SPAN }) },
    {
      ALT: () => {
        this.CONSUME(t.Previous);
        this.CONSUME(t.Minus);
        return { kind: 'relative', amount: this.SUBRULE2(this.quantity), span: NO_SPAN };
      },
    },
  ];

  private amount = this.RULE('amount', (): Maybe<ast.DoseAmount> => {
    const start = this.startHere();
    const amount = this.OR(this.amountAlts);
    this.ACTION(() => {
      if (amount) amount.span = this.spanFrom(start);
    });
    return amount;
  });

  private schedule = this.RULE('schedule', (): ast.Schedule => {
    const schedule: ast.Schedule = {};
    this.OPTION(() => {
      schedule.route = nameOf(this.CONSUME(t.Name));
    });
    this.OPTION2(() => {
      const start = this.startHere();
      const count = this.OR([{ ALT: () => this.CONSUME(t.Once) }, { ALT: () => this.CONSUME(t.Twice) }]);
      const period = this.OR2([{ ALT: () => this.CONSUME(t.Daily) }, { ALT: () => this.CONSUME(t.Weekly) }]);
      schedule.frequency = { text: `${count.image} ${period.image}`, span: this.spanFrom(start) };
    });
    this.OPTION3(() => {
      const start = this.startHere();
      schedule.days = this.SUBRULE(this.days);
      schedule.daysSpan = this.spanFrom(start);
    });
    this.OPTION4(() => {
      this.CONSUME(t.Cycle);
      schedule.cycle = this.SUBRULE(this.quantity);
    });
    return schedule;
  });

  private days = this.RULE('days', (): ast.DayRange[] => {
    this.OR([{ ALT: () => this.CONSUME(t.Days) }, { ALT: () => this.CONSUME(t.Day) }]);
    const ranges: ast.DayRange[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        const start = this.startHere();
        const from = this.CONSUME(t.NumberLiteral);
        const to = this.OPTION(() => {
          this.CONSUME(t.Minus);
          return this.CONSUME2(t.NumberLiteral);
        });
        const first = Number(from.image);
        const last = to ? Number(to.image) : first;
        if (real(from)) ranges.push({ from: first, to: real(to) ? last : first, span: this.spanFrom(start) });
      },
    });
    return ranges;
  });

  private timing = this.RULE('timing', (): Maybe<ast.Timing> => {
    const start = this.startHere();
    const relation = nameOf(this.CONSUME(t.After));
    const event = nameOf(this.CONSUME(t.Name));
    return relation ? { relation, event, span: this.spanFrom(start) } : undefined;
  });

  private quantity = this.RULE('quantity', (): Maybe<ast.Quantity> => {
    const start = this.startHere();
    const number = this.CONSUME(t.NumberLiteral);
    // Optional here so the resolver can say which unit fits ("ANC 500 needs a unit, e.g. /uL").
    const unit = this.OPTION(() => nameOf(this.CONSUME(t.Unit)));
    const tok = real(number);
    if (!tok) return undefined;
    return {
      kind: 'quantity',
      value: Number(tok.image),
      valueText: tok.image,
      valueSpan: tokenSpan(tok),
      unit,
      span: this.spanFrom(start),
    };
  });

  // ---- expressions ---------------------------------------------------------

  private expr = this.RULE('expr', (): Maybe<ast.Expr> => {
    const start = this.startHere();
    const operands: ast.Expr[] = [];
    const first = this.SUBRULE(this.andExpr);
    if (first) operands.push(first);
    this.MANY(() => {
      this.CONSUME(t.Or);
      const next = this.SUBRULE2(this.andExpr);
      if (next) operands.push(next);
    });
    return junction('or', operands, this.spanFrom(start));
  });

  private andExpr = this.RULE('andExpr', (): Maybe<ast.Expr> => {
    const start = this.startHere();
    const operands: ast.Expr[] = [];
    const first = this.SUBRULE(this.notExpr);
    if (first) operands.push(first);
    this.MANY(() => {
      this.CONSUME(t.And);
      const next = this.SUBRULE2(this.notExpr);
      if (next) operands.push(next);
    });
    return junction('and', operands, this.spanFrom(start));
  });

  private notExpr = this.RULE('notExpr', (): Maybe<ast.Expr> => {
    const nots: number[] = [];
    this.MANY(() => {
      const keyword = real(this.CONSUME(t.Not));
      if (keyword) nots.push(keyword.startOffset);
    });
    const operand = this.SUBRULE(this.primary);
    // `not not x` is x: folding keeps the tree shallow whatever the input.
    if (nots.length % 2 === 0) return operand;
    return { kind: 'not', operand, span: { start: nots[0], end: this.endHere(0) } };
  });

  private readonly primaryAlts: IOrAlt<Maybe<ast.Expr>>[] = [
    {
      ALT: () => {
        this.CONSUME(t.LParen);
        const inner = this.SUBRULE(this.expr);
        this.CONSUME(t.RParen);
        return inner;
      },
    },
    { ALT: () => this.SUBRULE(this.condition) },
  ];

  private primary = this.RULE('primary', (): Maybe<ast.Expr> => this.OR(this.primaryAlts));

  private condition = this.RULE('condition', (): Maybe<ast.Expr> => {
    const start = this.startHere();
    const fact = nameOf(this.CONSUME(t.Name));
    const tail = this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            const op = this.SUBRULE(this.compareOp);
            const value = this.SUBRULE(this.value);
            return { kind: 'compare' as const, op, value };
          },
        },
        { ALT: () => ({ kind: 'in' as const, values: this.SUBRULE(this.inValues) }) },
      ]),
    );
    if (!fact) return undefined;
    const span = this.spanFrom(start);
    if (!tail) return { kind: 'fact', name: fact, span };
    if (tail.kind === 'in') return { kind: 'in', fact, values: tail.values ?? [], span };
    const op = tail.op ?? { op: '=' as const, span };
    return { kind: 'compare', fact, op: op.op, opSpan: op.span, value: tail.value, span };
  });

  /**
   * `in (A, B)`. A half-typed list (`in (A,` at the end of a line) must not
   * make recovery skip to the next `then`, past the following rule, so a
   * missing `)` is a soft error and the list ends where the names end.
   */
  private inValues = this.RULE('inValues', (): ast.Name[] => {
    const names: ast.Name[] = [];
    this.CONSUME(t.In);
    this.CONSUME(t.LParen);
    const first = nameOf(this.CONSUME(t.Name));
    if (first) names.push(first);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.OPTION(() => {
        const next = nameOf(this.CONSUME2(t.Name));
        if (next) names.push(next);
      });
    });
    const close = this.OPTION2(() => this.CONSUME(t.RParen));
    this.ACTION(() => {
      if (real(close)) return;
      const end = this.endHere(0);
      this.softErrors.push({ span: { start: end, end }, message: `Expected ')' to close the list of values, found ${describeNext(this.LA(1))}` });
    });
    return names;
  });

  private compareOp = this.RULE('compareOp', (): { op: ast.CompareOp; span: ast.Span } => {
    const token = this.CONSUME(t.CompareOperator);
    const span = real(token) ? tokenSpan(token) : { start: 0, end: 0 };
    return { op: compareOps.get(token?.tokenType) ?? "=", span };
  });

  private readonly valueAlts: IOrAlt<Maybe<ast.Quantity | ast.Name>>[] = [
    { ALT: () => this.SUBRULE(this.quantity) },
    { ALT: () => nameOf(this.CONSUME(t.Name)) },
    { ALT: () => nameOf(this.CONSUME(t.True)) },
    { ALT: () => nameOf(this.CONSUME(t.False)) },
  ];

  private value = this.RULE('value', (): Maybe<ast.Quantity | ast.Name> => this.OR(this.valueAlts));
}

function describeNext(token: IToken): string {
  return token.tokenType.name === 'EOF' ? 'the end of the file' : `'${token.image}'`;
}

// ---- building nodes from items ----------------------------------------------

function junction(kind: 'and' | 'or', operands: ast.Expr[], span: ast.Span): Maybe<ast.Expr> {
  if (operands.length <= 1) return operands[0];
  return { kind, operands, span };
}

function dayQuantity(number: IToken): ast.Quantity {
  const span = tokenSpan(number);
  return { kind: 'quantity', value: Number(number.image), valueText: number.image, valueSpan: span, span };
}

type Annotated = { source?: ast.SourceClause; notes: ast.StringLit[] };

/** `source` and `note` lines belong to the item before them (or to the block if first). */
function attach(annotation: Annotation, target: Annotated): void {
  if (annotation.kind === 'note') {
    if (annotation.text) target.notes.push(annotation.text);
  } else {
    target.source = { text: annotation.text, span: annotation.span };
  }
}

function buildLabel(items: LabelItem[], name: Maybe<ast.Name>, title: Maybe<ast.StringLit>, span: ast.Span) {
  const label: ast.LabelBlock = { kind: 'label', name, title, aliases: [], facts: [], indications: [], notes: [], span };
  const aliases: Annotated = { notes: label.notes };
  let previous: Annotated = label;
  for (const item of items) {
    if (!item) continue;
    switch (item.kind) {
      case 'fact':
        label.facts.push(item);
        previous = item;
        break;
      case 'indication':
        label.indications.push(item);
        previous = label;
        break;
      case 'alias':
        label.aliases.push(...item.values);
        previous = aliases;
        break;
      default:
        attach(item, previous);
    }
  }
  label.aliasSource = aliases.source;
  return label;
}

function buildIndication(
  items: IndicationItem[],
  name: Maybe<ast.Name>,
  title: Maybe<ast.StringLit>,
  span: ast.Span,
): ast.IndicationDecl {
  const indication: ast.IndicationDecl = {
    kind: 'indication', name, title, doses: [], requires: [], constraints: [], notes: [], span,
  };
  let previous: Annotated = indication as unknown as Annotated;
  for (const item of items) {
    if (!item) continue;
    switch (item.kind) {
      case 'dose':
        indication.doses.push(item);
        break;
      case 'requires':
        indication.requires.push(item);
        break;
      case 'hold':
      case 'discontinue':
      case 'cap':
      case 'take':
        indication.constraints.push(item);
        break;
      default:
        attach(item, previous);
        continue;
    }
    previous = item;
  }
  return indication;
}

function buildProtocol(items: ProtocolItem[], title: Maybe<ast.StringLit>, span: ast.Span): ast.ProtocolBlock {
  const protocol: ast.ProtocolBlock = {
    kind: 'protocol', title, combinations: [], rules: [], tests: [], deviations: [], notes: [], span,
  };
  for (const item of items) {
    if (!item) continue;
    switch (item.kind) {
      case 'drug':
        protocol.drug = item.name;
        break;
      case 'indication':
        protocol.indication = item.name;
        break;
      case 'start':
        protocol.start = item;
        break;
      case 'with':
        protocol.combinations.push(item);
        break;
      case 'rule':
        protocol.rules.push(item);
        break;
      case 'test':
        protocol.tests.push(item);
        break;
      case 'deviation':
        protocol.deviations.push(item);
        break;
      case 'note':
        if (item.text) protocol.notes.push(item.text);
        break;
      case 'source':
        break;
    }
  }
  return protocol;
}

/** The one parser instance; building it is expensive, resetting its input is not. */
export const doseParser = new DoseParser();
