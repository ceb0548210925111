// The grammar of `.dose` files (docs/language.md), one rule per rule there, as a
// chevrotain parser with embedded actions that build the tree of `ast.ts`
// directly. Recovery is on, so any rule may come back incomplete: every action
// tolerates missing tokens and children. One instance is built at load time and
// reused for every block of every parse (`parse.ts`).
//
// Shaped for chevrotain's speed (its performance guide): alternatives arrays are
// built once, in fields; one-token choices are token categories (tokens.ts);
// one-token rules are inlined; lists are MANY loops rather than *_SEP; spans
// come from token offsets. No closure per call in the rules that run most: an
// OPTION/MANY body that reads no local is a field, a list is kept in a field
// while its rule runs, a repetition that rarely repeats runs MANY only when its
// first token is next (`mayRepeat`), and an action that only builds a node or
// sets a span tests `RECORDING_PHASE` (what ACTION does) instead of taking a closure.
import { EmbeddedActionsParser, tokenMatcher, type IOrAlt, type IToken, type TokenType } from 'chevrotain';
import type * as ast from './ast.js';
import {
  buildIndication, buildLabel, buildProtocol, type Annotation, type IndicationItem, type LabelItem, type ProtocolItem,
} from './assemble.js';
import { describeToken, expectedText, missingSpan, syntaxErrorProvider, type SyntaxError } from './errors.js';
import { isClosedString } from './lexer.js';
import { punctuationOf, SyntaxKind as K } from './syntax-kind.js';
import * as t from './tokens.js';

type Maybe<T> = T | undefined;

/** Deeper parentheses are cut out with one diagnostic (parse.ts), so recursion depth stays bounded. */
export const MAX_NESTING = 64;

const OR = t.tokenOf(K.OrKeyword);
const AND = t.tokenOf(K.AndKeyword);
const NOT = t.tokenOf(K.NotKeyword);
const UNTIL = t.tokenOf(K.UntilKeyword);

/** A placeholder span, replaced once the rule knows where it ends. */
const NO_SPAN: ast.Span = { start: 0, end: 0 };

/** A token that really is in the text (recovery inserts tokens that are not). */
function real(token: Maybe<IToken>): Maybe<IToken> {
  return token === undefined || token.isInsertedInRecovery || Number.isNaN(token.startOffset) ? undefined : token;
}

const spanOf = (token: IToken): ast.Span => ({ start: token.startOffset, end: t.endOf(token) });

function nameOf(token: Maybe<IToken>): Maybe<ast.Name> {
  const tok = real(token);
  return tok && { text: tok.image, span: spanOf(tok) };
}

function stringOf(token: Maybe<IToken>): Maybe<ast.StringLit> {
  const tok = real(token);
  if (!tok) return undefined;
  const { image } = tok;
  const body = image.slice(1, isClosedString(image) ? -1 : undefined);
  return { value: body.includes('\\') ? body.replace(/\\(.)/g, '$1') : body, span: spanOf(tok) };
}

/** A loop, not `some`: the common case (the expected token is next) builds no closure. */
function matchesAny(token: IToken, types: readonly TokenType[]): boolean {
  for (const type of types) if (tokenMatcher(token, type)) return true;
  return false;
}

function quantityOf(number: IToken, unit: Maybe<ast.Name>): ast.Quantity {
  const valueSpan = spanOf(number);
  const span = unit ? { start: valueSpan.start, end: unit.span.end } : valueSpan;
  return { kind: 'quantity', value: Number(number.image), valueText: number.image, valueSpan, unit, span };
}

/** The items of a braced list, the tokens that start them, and how an error names them. */
interface ItemList {
  starts: ReadonlySet<TokenType>;
  expected: string;
  /** The lists around this one: a token that starts one of their items ends this list. */
  enclosing: ItemList[];
}

function itemList(starts: K[], what: string, enclosing: ItemList[] = []): ItemList {
  return { starts: new Set(starts.map(t.tokenOf)), expected: `${what} (${expectedText(starts.map(t.tokenOf))}) or '}'`, enclosing };
}

const LABEL_ITEMS = itemList([K.FactKeyword, K.IndicationKeyword, K.AliasKeyword, K.DocumentKeyword, K.SourceKeyword, K.NoteKeyword], 'a label line');
const INDICATION_ITEMS = itemList(
  [
    K.DoseKeyword, K.RequiresKeyword, K.HoldKeyword, K.DiscontinueKeyword, K.AtKeyword, K.TakeKeyword,
    K.LowestKeyword, K.BeforeKeyword, K.SourceKeyword, K.NoteKeyword,
  ],
  'an indication line',
  [LABEL_ITEMS],
);
const PROTOCOL_ITEMS = itemList(
  [
    K.DrugKeyword, K.IndicationKeyword, K.StartKeyword, K.LevelsKeyword, K.WithKeyword, K.FactKeyword, K.BeforeKeyword,
    K.RuleKeyword, K.TestKeyword, K.ScenarioKeyword, K.DeviationKeyword, K.SourceKeyword, K.NoteKeyword,
  ],
  'a protocol line',
);
const SCENARIO_STEPS = itemList([K.CycleKeyword, K.DayKeyword], 'a scenario step', [PROTOCOL_ITEMS]);

/** The rules that read a braced list of items, by rule name. */
const LISTS: Record<string, ItemList> = {
  label: LABEL_ITEMS, indicationDecl: INDICATION_ITEMS, protocol: PROTOCOL_ITEMS, scenario: SCENARIO_STEPS,
};

/** An error the grammar reports itself: something expected and something else found, or an `until` on a discontinuation. */
export type SoftError = SyntaxError & { kind: 'Expected' | 'UntilAfterDiscontinue' };

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
      maxLookahead: 1,
      errorMessageProvider: syntaxErrorProvider,
    });
    this.performSelfAnalysis();
  }

  /** Errors the grammar reports itself, where chevrotain's recovery would say less or skip too far. */
  softErrors: SoftError[] = [];

  /** The block being parsed, as far as it got: what a block that recovery cannot finish returns. */
  private partialBlock: (() => ast.Block) | undefined;

  /** The text the tokens are read from. */
  private text = '';

  declare protected getCurrRuleFullName: () => string;

  // The bodies of OPTION/ACTION calls that read no local, built once: an arrow function in a rule
  // body is a new closure at every call, and the rules run hundreds of thousands of times per file.
  private readonly optionalString = () => stringOf(this.CONSUME(t.StringLiteral));
  private readonly optionalQuantity = () => this.SUBRULE(this.quantity);
  private readonly optionalLevelUnit = () => this.OR2(this.levelUnitAlts);
  private readonly optionalDrugList = () => this.SUBRULE(this.drugList);
  private readonly optionalDrugList2 = () => this.SUBRULE2(this.drugList);
  private readonly optionalDrugList3 = () => this.SUBRULE3(this.drugList);
  private readonly optionalUntil = () => this.SUBRULE(this.until);
  private readonly optionalUntil2 = () => this.SUBRULE2(this.until);
  private readonly optionalTiming = () => this.SUBRULE(this.timing);
  private readonly skipAllStray = () => this.skipStray(NOTHING);
  private readonly optionalComma = () => this.CONSUME(t.Comma);
  private readonly optionalStepPosition = () => this.SUBRULE(this.stepPosition);
  private readonly optionalUnit = () => nameOf(this.CONSUME(t.Unit));
  private readonly optionalRParen = () => this.CONSUME(t.RParen);
  private readonly optionalNot = () => this.CONSUME(t.tokenOf(K.NotKeyword));
  private readonly optionalWhen = () => {
    this.CONSUME(t.tokenOf(K.WhenKeyword));
    return this.SUBRULE(this.expr);
  };

  /** Starts on a block's tokens. */
  startBlock(text: string, tokens: IToken[]): void {
    this.text = text;
    this.input = tokens;
    this.partialBlock = undefined;
    this.softErrors = [];
  }

  // ---- top level -------------------------------------------------------------

  private readonly recoverBlock = { recoveryValueFunc: () => this.partialBlock?.() };

  block = this.RULE('block', (): Maybe<ast.Block> => this.OR(this.blockAlts), this.recoverBlock);

  private readonly blockAlts: IOrAlt<ast.Block>[] = [
    { ALT: () => this.SUBRULE(this.label) },
    { ALT: () => this.SUBRULE(this.protocol) },
  ];

  // ---- labels ----------------------------------------------------------------

  private label = this.RULE('label', (): ast.LabelBlock => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.LabelKeyword));
    const name = nameOf(this.CONSUME(t.AnyName));
    const title = this.OPTION(this.optionalString);
    const items: LabelItem[] = [];
    this.ACTION(() => {
      this.partialBlock = () => buildLabel(items, name, title, this.spanFrom(start));
    });
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      const item = this.SUBRULE(this.labelItem);
      if (item) items.push(item);
    });
    this.CONSUME(t.RBrace);
    return this.ACTION(() => buildLabel(items, name, title, this.spanFrom(start)));
  }, this.recoverBlock as { recoveryValueFunc: () => ast.LabelBlock });

  private labelItem = this.RULE('labelItem', (): Maybe<LabelItem> => this.OR(this.labelItemAlts));

  private readonly labelItemAlts: IOrAlt<Maybe<LabelItem>>[] = [
    { ALT: () => this.SUBRULE(this.fact) },
    { ALT: () => this.SUBRULE(this.indication) },
    { ALT: () => this.SUBRULE(this.alias) },
    { ALT: () => this.SUBRULE(this.document) },
    { ALT: () => this.SUBRULE(this.annotation) },
  ];

  private alias = this.RULE('alias', (): LabelItem => {
    this.CONSUME(t.tokenOf(K.AliasKeyword));
    const values: ast.StringLit[] = [];
    const first = stringOf(this.CONSUME(t.StringLiteral));
    if (first) values.push(first);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      const value = stringOf(this.CONSUME2(t.StringLiteral));
      if (value) values.push(value);
    });
    return { kind: 'alias', values };
  });

  /** `document "000_60b36539cf3d3ced.txt" "Label summary"`: a source file's title. */
  private document = this.RULE('document', (): ast.DocumentDecl => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.DocumentKeyword));
    const file = stringOf(this.CONSUME(t.StringLiteral));
    const title = stringOf(this.CONSUME2(t.StringLiteral));
    return { kind: 'document', file, title, span: this.spanFrom(start) };
  });

  /** `source "..."` and `note "..."`: they belong to the item before them (assemble.ts). */
  private annotation = this.RULE('annotation', (): Annotation => {
    const keyword = this.CONSUME(t.AnnotationKeyword);
    const text = stringOf(this.CONSUME(t.StringLiteral));
    const start = keyword.startOffset;
    return { kind: keyword.tokenType === t.tokenOf(K.NoteKeyword) ? 'note' : 'source', text, span: this.spanFrom(start) };
  });

  private fact = this.RULE('fact', (): ast.FactDecl => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.FactKeyword));
    const name = nameOf(this.CONSUME(t.AnyName));
    const title = this.OPTION(this.optionalString);
    this.CONSUME(t.Colon);
    const type = this.OR(this.factTypeAlts);
    return { kind: 'fact', name, title, type, notes: [], span: this.spanFrom(start) };
  });

  /** factType, inlined: `quantity UNIT [normal QUANTITY]`, `boolean`, `one of A, B`. */
  private readonly factTypeAlts: IOrAlt<ast.FactType>[] = [
    {
      ALT: () => {
        const start = this.CONSUME(t.tokenOf(K.QuantityKeyword)).startOffset;
        // The lexer reads a unit after `quantity` as it does after a number.
        const unit = nameOf(this.CONSUME(t.Unit));
        const normal = this.OPTION2(() => {
          this.CONSUME(t.tokenOf(K.NormalKeyword));
          return this.SUBRULE(this.quantity);
        });
        return { kind: 'quantity', unit, normal, span: this.spanFrom(start) };
      },
    },
    { ALT: () => ({ kind: 'boolean', span: spanOf(this.CONSUME(t.tokenOf(K.BooleanKeyword))) }) },
    {
      ALT: () => {
        const start = this.CONSUME(t.tokenOf(K.OneKeyword)).startOffset;
        this.CONSUME(t.tokenOf(K.OfKeyword));
        const values = this.SUBRULE(this.nameList);
        return { kind: 'enum', values, span: this.spanFrom(start) };
      },
    },
  ];

  private nameList = this.RULE('nameList', (): ast.Name[] => {
    const names: ast.Name[] = [];
    const first = nameOf(this.CONSUME(t.AnyName));
    if (first) names.push(first);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      const name = nameOf(this.CONSUME2(t.AnyName));
      if (name) names.push(name);
    });
    return names;
  });

  private indication = this.RULE('indicationDecl', (): ast.IndicationDecl => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.IndicationKeyword));
    const name = nameOf(this.CONSUME(t.AnyName));
    const title = this.OPTION(this.optionalString);
    const items: IndicationItem[] = [];
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      const item = this.SUBRULE(this.indicationItem);
      if (item) items.push(item);
    });
    this.CONSUME(t.RBrace);
    return this.ACTION(() => buildIndication(items, name, title, this.spanFrom(start)));
  });

  private indicationItem = this.RULE('indicationItem', (): Maybe<IndicationItem> => this.OR(this.indicationItemAlts));

  private readonly indicationItemAlts: IOrAlt<Maybe<IndicationItem>>[] = [
    { ALT: () => this.SUBRULE(this.labelDose) },
    { ALT: () => this.SUBRULE(this.requires) },
    { ALT: () => this.SUBRULE(this.stopConstraint) },
    { ALT: () => this.SUBRULE(this.cap) },
    { ALT: () => this.SUBRULE(this.take) },
    { ALT: () => this.SUBRULE(this.lowestDose) },
    { ALT: () => this.SUBRULE(this.cycleGate) },
    { ALT: () => this.SUBRULE(this.annotation) },
  ];

  private labelDose = this.RULE('labelDose', (): ast.LabelDose => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.DoseKeyword));
    const amount = this.SUBRULE(this.amount);
    const schedule = this.SUBRULE(this.schedule);
    return { kind: 'dose', amount, schedule: schedule ?? {}, notes: [], span: this.spanFrom(start) };
  });

  private requires = this.RULE('requires', (): ast.Requires => {
    const { drug, amount, schedule, condition, start } = this.companionLine(K.RequiresKeyword);
    return { kind: 'requires', drug, amount, schedule, condition, notes: [], span: this.spanFrom(start) };
  });

  /** The label's `requires` and the protocol's `with`: `KEYWORD DRUG [QUANTITY] SCHEDULE [when EXPR]`. */
  private companionLine(keyword: K.RequiresKeyword | K.WithKeyword) {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(keyword));
    const drug = nameOf(this.CONSUME(t.AnyName));
    const amount = this.OPTION(this.optionalQuantity);
    const schedule: ast.Schedule = this.SUBRULE(this.schedule) ?? {};
    const condition = this.OPTION2(this.optionalWhen);
    return { drug, amount, schedule, condition, start };
  }

  /**
   * hold and discontinue, inlined: `hold when ... [until ...]`, `discontinue when ...`.
   * A discontinuation's `until` is read whole and reported once (`untilOfStop`).
   */
  private stopConstraint = this.RULE('stopConstraint', (): ast.StopConstraint => {
    const keyword = this.CONSUME(t.StopKeyword);
    this.CONSUME(t.tokenOf(K.WhenKeyword));
    const condition = this.SUBRULE(this.expr);
    const kind = keyword.tokenType === t.tokenOf(K.DiscontinueKeyword) ? 'discontinue' : 'hold';
    const next = this.LA(1);
    const until = this.untilOfStop(kind, next, this.OPTION(this.optionalUntil));
    return { kind, keywordSpan: spanOf(keyword), condition, until, notes: [], span: this.spanFrom(keyword.startOffset) };
  });

  /** `lowest dose QUANTITY`: a dose the label would allow below it means discontinue. */
  private lowestDose = this.RULE('lowestDose', (): ast.LowestDose => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.LowestKeyword));
    this.CONSUME(t.tokenOf(K.DoseKeyword));
    const amount = this.SUBRULE(this.quantity);
    return { kind: 'lowest', amount, notes: [], span: this.spanFrom(start) };
  });

  /** `before each cycle require EXPR` (a label's indication or a protocol). */
  private cycleGate = this.RULE('cycleGate', (): ast.CycleGate => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.BeforeKeyword));
    this.CONSUME(t.tokenOf(K.EachKeyword));
    this.CONSUME(t.tokenOf(K.CycleKeyword));
    this.CONSUME(t.tokenOf(K.RequireKeyword));
    const condition = this.SUBRULE(this.expr);
    return { kind: 'gate', condition, notes: [], span: this.spanFrom(start) };
  });

  /** `until EXPR then resume [on recurrence resume]`: how a hold ends. */
  private until = this.RULE('until', (): ast.Until => {
    const keyword = this.CONSUME(t.tokenOf(K.UntilKeyword));
    const condition = this.SUBRULE(this.expr);
    this.CONSUME(t.tokenOf(K.ThenKeyword));
    const resume = this.SUBRULE(this.resume);
    const recurrence = this.OPTION(() => {
      this.CONSUME(t.tokenOf(K.OnKeyword));
      this.CONSUME(t.tokenOf(K.RecurrenceKeyword));
      return this.SUBRULE2(this.resume);
    });
    return { condition, resume, recurrence, keywordSpan: spanOf(keyword), span: this.spanFrom(keyword.startOffset) };
  });

  /** `resume at [most] TARGET` (`most` in a label: the most the patient may resume at). */
  private resume = this.RULE('resume', (): Maybe<ast.Resume> => {
    const keyword = real(this.CONSUME(t.tokenOf(K.ResumeKeyword)));
    this.CONSUME(t.tokenOf(K.AtKeyword));
    const atMost = this.OPTION(() => this.CONSUME(t.tokenOf(K.MostKeyword))) !== undefined;
    const target = this.SUBRULE(this.resumeTarget);
    return this.ACTION(() => keyword && { atMost, target, span: this.spanFrom(keyword.startOffset) });
  });

  private resumeTarget = this.RULE('resumeTarget', (): Maybe<ast.ResumeTarget> => {
    const start = this.startHere();
    const target = this.OR(this.resumeTargetAlts);
    if (!this.RECORDING_PHASE && target) target.span = this.spanFrom(start);
    return target;
  });

  /**
   * `same dose` | `previous - N level(s)` | `previous - QUANTITY` | QUANTITY.
   * `level` is no keyword (a fact may be called `level`): after a number it
   * lexes as a unit, as `levels` lexes as the keyword; which of the two the
   * target is shows after the number.
   */
  private readonly resumeTargetAlts: IOrAlt<Maybe<ast.ResumeTarget>>[] = [
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.SameKeyword));
        this.CONSUME(t.tokenOf(K.DoseKeyword));
        return { kind: 'same', span: NO_SPAN };
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.PreviousKeyword));
        this.CONSUME(t.Minus);
        const number = real(this.CONSUME(t.NumberLiteral));
        const after = this.OPTION(this.optionalLevelUnit);
        return this.ACTION(() => {
          const levels = after !== undefined && (after.tokenType !== t.Unit || /^levels?$/.test(after.image));
          if (levels && number) return { kind: 'levels', count: Number(number.image), countSpan: spanOf(number), span: NO_SPAN };
          return { kind: 'minus', amount: number && quantityOf(number, nameOf(after)), span: NO_SPAN };
        });
      },
    },
    { ALT: () => ({ kind: 'amount', amount: this.SUBRULE(this.quantity), span: NO_SPAN }) },
  ];

  private readonly levelUnitAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(t.Unit) },
    { ALT: () => this.CONSUME(t.tokenOf(K.LevelsKeyword)) },
  ];

  private cap = this.RULE('cap', (): ast.DoseCap => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.AtKeyword));
    this.CONSUME(t.tokenOf(K.MostKeyword));
    const amount = this.SUBRULE(this.amount);
    this.CONSUME(t.tokenOf(K.WhenKeyword));
    const condition = this.SUBRULE(this.expr);
    return { kind: 'cap', amount, condition, notes: [], span: this.spanFrom(start) };
  });

  private take = this.RULE('take', (): ast.TimingConstraint => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.TakeKeyword));
    const timing = this.SUBRULE(this.timing);
    this.CONSUME(t.tokenOf(K.WhenKeyword));
    const condition = this.SUBRULE(this.expr);
    return { kind: 'take', timing, condition, notes: [], span: this.spanFrom(start) };
  });

  // ---- protocols -------------------------------------------------------------

  private protocol = this.RULE('protocol', (): ast.ProtocolBlock => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.ProtocolKeyword));
    const title = this.OPTION(this.optionalString);
    const items: ProtocolItem[] = [];
    this.ACTION(() => {
      this.partialBlock = () => buildProtocol(items, title, this.spanFrom(start));
    });
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      const item = this.SUBRULE(this.protocolItem);
      if (item) items.push(item);
    });
    this.CONSUME(t.RBrace);
    return this.ACTION(() => buildProtocol(items, title, this.spanFrom(start)));
  }, this.recoverBlock as { recoveryValueFunc: () => ast.ProtocolBlock });

  private protocolItem = this.RULE('protocolItem', (): Maybe<ProtocolItem> => this.OR(this.protocolItemAlts));

  private readonly protocolItemAlts: IOrAlt<Maybe<ProtocolItem>>[] = [
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.DrugKeyword));
        return { kind: 'drug', name: nameOf(this.CONSUME(t.AnyName)) };
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.IndicationKeyword));
        return { kind: 'indication', name: nameOf(this.CONSUME2(t.AnyName)) };
      },
    },
    { ALT: () => this.SUBRULE(this.start) },
    { ALT: () => this.SUBRULE(this.levels) },
    { ALT: () => this.SUBRULE(this.combination) },
    { ALT: () => this.SUBRULE(this.fact) },
    { ALT: () => this.SUBRULE(this.cycleGate) },
    { ALT: () => this.SUBRULE(this.rule) },
    { ALT: () => this.SUBRULE(this.testCase) },
    { ALT: () => this.SUBRULE(this.scenario) },
    { ALT: () => this.SUBRULE(this.deviation) },
    { ALT: () => this.SUBRULE(this.annotation) },
  ];

  private start = this.RULE('start', (): ast.Start => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.StartKeyword));
    const amount = this.SUBRULE(this.amount);
    const schedule = this.SUBRULE(this.schedule);
    return { kind: 'start', amount, schedule: schedule ?? {}, span: this.spanFrom(start) };
  });

  private combination = this.RULE('combination', (): ast.Combination => {
    const { drug, amount, schedule, condition, start } = this.companionLine(K.WithKeyword);
    return { kind: 'with', drug, amount, schedule, condition, span: this.spanFrom(start) };
  });

  /** `levels QUANTITY { "," QUANTITY }`: the dose levels, highest first. */
  private levels = this.RULE('levels', (): ast.Levels => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.LevelsKeyword));
    const amounts: ast.Quantity[] = [];
    const first = this.SUBRULE(this.quantity);
    if (first) amounts.push(first);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      const next = this.SUBRULE2(this.quantity);
      if (next) amounts.push(next);
    });
    return { kind: 'levels', amounts, span: this.spanFrom(start) };
  });

  private rule = this.RULE('rule', (): ast.Rule => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.RuleKeyword));
    const name = nameOf(this.CONSUME(t.AnyName));
    this.CONSUME(t.Colon);
    this.CONSUME(t.tokenOf(K.WhenKeyword));
    const condition = this.SUBRULE(this.expr);
    this.CONSUME(t.tokenOf(K.ThenKeyword));
    const action = this.SUBRULE(this.ruleAction);
    return { kind: 'rule', name, condition, action, span: this.spanFrom(start) };
  });

  /**
   * An action as a rule writes it: `hold`, `discontinue` and `no dose` may name
   * the drugs they act on, and a hold may say how it ends (`until ...`).
   */
  private ruleAction = this.RULE('ruleAction', (): Maybe<ast.Action> => {
    const start = this.startHere();
    const action = this.OR(this.ruleActionAlts);
    if (!this.RECORDING_PHASE && action) action.span = this.spanFrom(start);
    return action;
  });

  private readonly ruleActionAlts: IOrAlt<ast.Action>[] = [
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.HoldKeyword));
        const drugs = this.OPTION(this.optionalDrugList);
        const until = this.OPTION2(this.optionalUntil);
        return withDrugs({ kind: 'hold', ...(until && { until }), span: NO_SPAN }, drugs);
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.DiscontinueKeyword));
        const drugs = this.OPTION3(this.optionalDrugList2);
        const next = this.LA(1);
        this.untilOfStop('discontinue', next, this.OPTION5(this.optionalUntil2));
        return withDrugs({ kind: 'discontinue', span: NO_SPAN }, drugs);
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.NoKeyword));
        this.CONSUME(t.tokenOf(K.DoseKeyword));
        return withDrugs({ kind: 'no dose', span: NO_SPAN }, this.OPTION4(this.optionalDrugList3));
      },
    },
    { ALT: () => this.SUBRULE(this.doseAction) },
  ];

  /**
   * The drugs an action names: `hold lenalidomide, dexamethasone`. The first is
   * a plain name, so in `hold until ...` the soft keyword is the keyword.
   */
  private drugList = this.RULE('drugList', (): ast.Name[] => {
    const names: ast.Name[] = [];
    const first = nameOf(this.CONSUME(t.Name));
    if (first) names.push(first);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      const next = nameOf(this.CONSUME(t.AnyName));
      if (next) names.push(next);
    });
    return names;
  });

  private action = this.RULE('action', (): Maybe<ast.Action> => {
    const start = this.startHere();
    const action = this.OR(this.actionAlts);
    if (!this.RECORDING_PHASE && action) action.span = this.spanFrom(start);
    return action;
  });

  private readonly actionAlts: IOrAlt<ast.Action>[] = [
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.HoldKeyword));
        return { kind: 'hold', span: NO_SPAN };
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.DiscontinueKeyword));
        return { kind: 'discontinue', span: NO_SPAN };
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.NoKeyword));
        this.CONSUME(t.tokenOf(K.DoseKeyword));
        return { kind: 'no dose', span: NO_SPAN };
      },
    },
    { ALT: () => this.SUBRULE(this.doseAction) },
  ];

  /** `dose AMOUNT [timing]`, as a rule and an expectation write it. */
  private doseAction = this.RULE('doseAction', (): ast.Action => {
    this.CONSUME(t.tokenOf(K.DoseKeyword));
    const amount = this.SUBRULE(this.amount);
    const timing = this.OPTION(this.optionalTiming);
    return { kind: 'dose', amount, timing, span: NO_SPAN };
  });

  /** `test "title" { given ..., ... expect <action> }`; a broken test is kept up to its `}`. */
  private testCase = this.RULE('testCase', (): ast.TestCase => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.TestKeyword));
    const title = stringOf(this.CONSUME(t.StringLiteral));
    this.CONSUME(t.LBrace);
    const given: ast.Given[] = (this.testGiven = []);
    this.OPTION(this.testGivens);
    this.ACTION(this.expectNext);
    const expectStart = this.startHere();
    const expectation = this.OPTION2(this.testExpectation);
    const expectSpan = this.spanFrom(expectStart);
    this.ACTION(this.skipAllStray);
    this.CONSUME(t.RBrace);
    const { action: expect, companions } = expectation ?? { action: undefined, companions: [] };
    return { kind: 'test', title, given, expect, companions, expectSpan, span: this.spanFrom(start) };
  });

  /** The `given` list of the test being read: a test holds no test, so there is one at a time. */
  private testGiven: ast.Given[] = [];

  private readonly testGivens = () => {
    this.CONSUME(t.tokenOf(K.GivenKeyword));
    const first = this.SUBRULE(this.given);
    if (first) this.testGiven.push(first);
    this.MANY(this.moreTestGivens);
  };

  private readonly moreTestGivens = () => {
    this.CONSUME(t.Comma);
    const item = this.SUBRULE2(this.given);
    if (item) this.testGiven.push(item);
  };

  private readonly expectNext = () => {
    this.skipStray(EXPECT);
    if (!tokenMatcher(this.LA(1), EXPECT[0])) this.reportMissing("'expect'");
  };

  private readonly testExpectation = () => {
    this.CONSUME(t.tokenOf(K.ExpectKeyword));
    return this.SUBRULE(this.expectation);
  };

  /** What a test or a step expects: `dose 4 mg, dexamethasone 40 mg, no clarithromycin`. */
  private expectation = this.RULE('expectation', (): Expectation => {
    const action = this.SUBRULE(this.action);
    const companions: ast.CompanionExpect[] = [];
    this.MANY(() => {
      this.CONSUME(t.Comma);
      const companion = this.SUBRULE(this.companion);
      if (companion) companions.push(companion);
    });
    return { action, companions };
  });

  /** An expectation about a companion drug: `dexamethasone 20 mg` or `no dexamethasone`. */
  private companion = this.RULE('companion', (): Maybe<ast.CompanionExpect> => {
    const start = this.startHere();
    const companion = this.OR(this.companionAlts);
    if (!this.RECORDING_PHASE && companion) companion.span = this.spanFrom(start);
    return companion;
  });

  private readonly companionAlts: IOrAlt<ast.CompanionExpect>[] = [
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.NoKeyword));
        return { drug: nameOf(this.CONSUME(t.AnyName)), amount: undefined, none: true, span: NO_SPAN };
      },
    },
    {
      ALT: () => {
        const drug = nameOf(this.CONSUME2(t.AnyName));
        return { drug, amount: this.SUBRULE(this.quantity), none: false, span: NO_SPAN };
      },
    },
  ];

  /** `scenario STRING { step* }`: a course, step by step. */
  private scenario = this.RULE('scenario', (): ast.Scenario => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.ScenarioKeyword));
    const title = stringOf(this.CONSUME(t.StringLiteral));
    const steps: ast.ScenarioStep[] = [];
    this.CONSUME(t.LBrace);
    this.MANY(() => {
      const step = this.SUBRULE(this.scenarioStep);
      if (step) steps.push(step);
    });
    this.CONSUME(t.RBrace);
    return { kind: 'scenario', title, steps, span: this.spanFrom(start) };
  });

  /** `(cycle N day N | day N) ":" { observation [","] } [expect expectation ["(" cycle N day N ")"]]`. */
  private scenarioStep = this.RULE('scenarioStep', (): ast.ScenarioStep => {
    const start = this.startHere();
    const at = this.OR(this.stepDayAlts);
    this.CONSUME(t.Colon);
    const observations: ast.Given[] = [];
    this.MANY(() => {
      const observation = this.SUBRULE(this.observation);
      if (observation) observations.push(observation);
      this.OPTION(this.optionalComma);
    });
    const step: ast.ScenarioStep = { at, observations, expect: undefined, companions: [], expectSpan: undefined, position: undefined, span: NO_SPAN };
    this.OPTION2(() => {
      const expectStart = this.CONSUME(t.tokenOf(K.ExpectKeyword)).startOffset;
      const { action, companions } = this.SUBRULE(this.expectation) ?? { action: undefined, companions: [] };
      step.expect = action;
      step.companions = companions;
      step.expectSpan = this.spanFrom(expectStart);
      step.position = this.OPTION3(this.optionalStepPosition);
    });
    step.span = this.spanFrom(start);
    return step;
  });

  /** Where a step is: `cycle N day N` as planned, or `day N` of treatment. */
  private readonly stepDayAlts: IOrAlt<Maybe<ast.StepDay>>[] = [
    {
      ALT: () => {
        const start = this.CONSUME(t.tokenOf(K.CycleKeyword)).startOffset;
        const { cycle, day } = this.SUBRULE(this.cycleAndDay) ?? {};
        return cycle === undefined || day === undefined ? undefined : { kind: 'cycle', cycle, day, span: this.spanFrom(start) };
      },
    },
    {
      ALT: () => {
        const start = this.CONSUME(t.tokenOf(K.DayKeyword)).startOffset;
        const day = numberOf(this.CONSUME(t.NumberLiteral));
        return day === undefined ? undefined : { kind: 'day', day, span: this.spanFrom(start) };
      },
    },
  ];

  /** `(cycle N day N)` after a step's expectation: the calendar position the step must be at. */
  private stepPosition = this.RULE('stepPosition', (): ast.ScenarioStep['position'] => {
    const start = this.CONSUME(t.LParen).startOffset;
    this.CONSUME(t.tokenOf(K.CycleKeyword));
    const { cycle, day } = this.SUBRULE(this.cycleAndDay) ?? {};
    this.CONSUME(t.RParen);
    return cycle === undefined || day === undefined ? undefined : { cycle, day, span: this.spanFrom(start) };
  });

  /**
   * `N day N` after `cycle`. The lexer reads `1 day` as a number and its unit
   * (`28 days` is a duration), so the word after the first number is either.
   */
  private cycleAndDay = this.RULE('cycleAndDay', (): { cycle?: number; day?: number } => {
    const cycle = numberOf(this.CONSUME(t.NumberLiteral));
    const word = this.OR(this.dayWordAlts);
    this.ACTION(() => {
      if (real(word) && word.image !== 'day') {
        this.softErrors.push({ span: spanOf(word), kind: 'Expected', args: ["'day'", describeToken(word)] });
      }
    });
    const day = numberOf(this.CONSUME2(t.NumberLiteral));
    return { cycle, day };
  });

  private readonly dayWordAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(t.Unit) },
    { ALT: () => this.CONSUME(t.tokenOf(K.DayKeyword)) },
  ];

  /** One observation of a step: `ANC = 450 /uL`, `dialysis`, `not dialysis`. */
  private observation = this.RULE('observation', (): Maybe<ast.Given> => {
    const start = this.startHere();
    const negated = this.OPTION(this.optionalNot) !== undefined;
    const fact = nameOf(this.CONSUME(t.AnyName)) ?? { text: '', span: { start, end: start } };
    const value = this.OPTION2(this.observedValue);
    const alone = !negated && !value && fact.span.start === start;
    return { fact, value, negated, span: alone ? fact.span : this.spanFrom(start) };
  });

  private readonly observedValue = () => {
    this.CONSUME(t.Equals);
    return this.SUBRULE(this.value);
  };

  private given = this.RULE('given', (): Maybe<ast.Given> => this.OR(this.givenAlts));

  /** `day N` and `cycle N` (the built-in facts of a course), or an observation. */
  private readonly givenAlts: IOrAlt<Maybe<ast.Given>>[] = [
    {
      ALT: () => {
        const keyword = this.CONSUME(t.DayOrCycle);
        const number = real(this.CONSUME(t.NumberLiteral));
        const value = number ? quantityOf(number, undefined) : undefined;
        return { fact: { text: keyword.image, span: spanOf(keyword) }, value, negated: false, span: this.spanFrom(keyword.startOffset) };
      },
    },
    { ALT: () => this.SUBRULE(this.observation) },
  ];

  private deviation = this.RULE('deviation', (): ast.Deviation => {
    const start = this.startHere();
    this.CONSUME(t.tokenOf(K.DeviationKeyword));
    // A deviation names a check; some check names are also keywords (tokens.ts).
    const topic = nameOf(this.CONSUME(t.DeviationTopic));
    const reason = this.OPTION(this.optionalString);
    return { kind: 'deviation', topic, reason, span: this.spanFrom(start) };
  });

  // ---- doses and schedules ---------------------------------------------------

  private amount = this.RULE('amount', (): Maybe<ast.DoseAmount> => {
    const start = this.startHere();
    const amount = this.OR(this.amountAlts);
    if (!this.RECORDING_PHASE && amount) amount.span = this.spanFrom(start);
    return amount;
  });

  private readonly amountAlts: IOrAlt<ast.DoseAmount>[] = [
    { ALT: () => ({ kind: 'absolute', amount: this.SUBRULE(this.quantity), span: NO_SPAN }) },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.PreviousKeyword));
        this.CONSUME(t.Minus);
        return { kind: 'relative', amount: this.SUBRULE2(this.quantity), span: NO_SPAN };
      },
    },
  ];

  private schedule = this.RULE('schedule', (): ast.Schedule => {
    const schedule: ast.Schedule = {};
    this.OPTION(() => {
      schedule.route = nameOf(this.CONSUME(t.Name));
    });
    this.OPTION2(() => {
      schedule.frequency = this.SUBRULE(this.frequency);
    });
    this.OPTION3(() => {
      const start = this.startHere();
      schedule.days = this.SUBRULE(this.days);
      schedule.daysSpan = this.spanFrom(start);
    });
    this.OPTION4(() => {
      this.CONSUME(t.tokenOf(K.CycleKeyword));
      schedule.cycle = this.SUBRULE(this.quantity);
    });
    this.OPTION5(() => {
      const range = this.SUBRULE(this.cycleRange);
      this.ACTION(() => {
        if (range && 'week' in range) {
          schedule.weeks = [range.week];
          schedule.weeksSpan = range.week.span;
        } else if (range) schedule.cycles = range;
      });
    });
    this.OPTION6(() => {
      const start = this.CONSUME(t.tokenOf(K.WeeksKeyword)).startOffset;
      schedule.weeks = this.SUBRULE(this.dayItems);
      schedule.weeksSpan = this.spanFrom(start);
    });
    return schedule;
  });

  /** `once daily`, `twice weekly`, `every 2 weeks`: kept as the words written. */
  private frequency = this.RULE('frequency', (): ast.Name => {
    const start = this.startHere();
    const words = this.OR(this.frequencyAlts);
    return this.ACTION(() => ({ text: (words ?? '').replace(/\s+/g, ' ').trim(), span: this.spanFrom(start) }));
  });

  private readonly frequencyAlts: IOrAlt<string>[] = [
    {
      ALT: () => {
        const count = this.CONSUME(t.FrequencyCount);
        const period = this.CONSUME(t.FrequencyPeriod);
        return `${count.image} ${period.image}`;
      },
    },
    {
      ALT: () => {
        this.CONSUME(t.tokenOf(K.EveryKeyword));
        const count = real(this.CONSUME(t.NumberLiteral));
        const period = real(this.OR2(this.periodAlts));
        return `every ${count?.image ?? ''} ${period?.image ?? ''}`;
      },
    },
  ];

  /** The period of `every N ...`: `weeks`, or a unit (`every 3 wk`). */
  private readonly periodAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(t.tokenOf(K.WeeksKeyword)) },
    { ALT: () => this.CONSUME(t.Unit) },
  ];

  /**
   * `cycles N[-N]` or `from cycle N`: the cycles of the course a line applies to; or
   * `from week N` (week is no keyword: a fact or a unit may be called that), the weeks
   * from N on.
   */
  private cycleRange = this.RULE('cycleRange', (): Maybe<ast.CycleRange | { week: ast.DayRange }> => {
    const keyword = this.CONSUME(t.CycleRangeKeyword);
    const from = keyword.tokenType === t.tokenOf(K.FromKeyword);
    let week = false;
    this.OPTION({
      GATE: () => from,
      DEF: () =>
        this.OR([
          { ALT: () => this.CONSUME(t.tokenOf(K.CycleKeyword)) },
          {
            GATE: () => this.LA(1).image === 'week',
            ALT: () => {
              week = true;
              return this.CONSUME(t.Name);
            },
          },
        ]),
    });
    const first = numberOf(this.CONSUME(t.NumberLiteral));
    const last = this.OPTION2({
      GATE: () => !from,
      DEF: () => {
        this.CONSUME(t.Minus);
        return numberOf(this.CONSUME2(t.NumberLiteral));
      },
    });
    if (first === undefined) return undefined;
    const span = this.spanFrom(keyword.startOffset);
    if (week) return { week: { from: first, to: Number.POSITIVE_INFINITY, span } };
    return from ? { from: first, span } : { from: first, to: last ?? first, span };
  });

  private days = this.RULE('days', (): ast.DayRange[] => {
    this.CONSUME(t.DaysKeyword);
    return this.SUBRULE(this.dayItems);
  });

  /** `1, 8, 15-21`: days or weeks. */
  private dayItems = this.RULE('dayItems', (): ast.DayRange[] => {
    const ranges: ast.DayRange[] = [];
    const first = this.SUBRULE(this.dayItem);
    if (first) ranges.push(first);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      const next = this.SUBRULE2(this.dayItem);
      if (next) ranges.push(next);
    });
    return ranges;
  });

  private dayItem = this.RULE('dayItem', (): Maybe<ast.DayRange> => {
    const from = real(this.CONSUME(t.NumberLiteral));
    const to = real(this.OPTION(() => {
      this.CONSUME(t.Minus);
      return this.CONSUME2(t.NumberLiteral);
    }));
    if (!from) return undefined;
    const first = Number(from.image);
    return { from: first, to: to ? Number(to.image) : first, span: this.spanFrom(from.startOffset) };
  });

  private timing = this.RULE('timing', (): Maybe<ast.Timing> => {
    const start = this.startHere();
    const relation = nameOf(this.CONSUME(t.tokenOf(K.AfterKeyword)));
    const event = nameOf(this.CONSUME(t.AnyName));
    return relation && { relation, event, span: this.spanFrom(start) };
  });

  /** A number and, if written, its unit (the resolver says which unit fits when it is missing). */
  private quantity = this.RULE('quantity', (): Maybe<ast.Quantity> => {
    const number = real(this.CONSUME(t.NumberLiteral));
    const unit = this.OPTION(this.optionalUnit);
    return this.RECORDING_PHASE ? undefined : number && quantityOf(number, unit);
  });

  // ---- expressions -----------------------------------------------------------

  private expr = this.RULE('expr', (): Maybe<ast.Expr> => {
    const start = this.startHere();
    const first = this.SUBRULE(this.andExpr);
    // Most conditions have no `or`: the loop (and its closure) only when one follows.
    return this.mayRepeat(OR) ? this.junction('or', OR, this.andExpr, first, start) : first;
  });

  private andExpr = this.RULE('andExpr', (): Maybe<ast.Expr> => {
    const start = this.startHere();
    const first = this.SUBRULE(this.notExpr);
    return this.mayRepeat(AND) ? this.junction('and', AND, this.notExpr, first, start) : first;
  });

  /**
   * The rest of `a or b or c` (or `and`), after its first operand, in the rule
   * that called it; one operand is itself (a span is built only for a junction).
   */
  private junction(kind: 'and' | 'or', separator: TokenType, operand: () => Maybe<ast.Expr>, first: Maybe<ast.Expr>, start: number): Maybe<ast.Expr> {
    let operands: Maybe<ast.Expr[]>;
    this.MANY(() => {
      this.CONSUME(separator);
      const next = this.SUBRULE2(operand);
      operands ??= first ? [first] : [];
      if (next) operands.push(next);
    });
    if (operands === undefined || operands.length <= 1) return operands?.[0] ?? first;
    return { kind, operands, span: this.spanFrom(start) };
  }

  /** `not not x` is x: folding keeps the tree shallow whatever the input. */
  private notExpr = this.RULE('notExpr', (): Maybe<ast.Expr> => {
    const start = this.startHere();
    const nots = this.mayRepeat(NOT) ? this.countNots() : 0;
    const operand = this.SUBRULE(this.primary);
    return nots % 2 === 0 ? operand : { kind: 'not', operand, span: this.spanFrom(start) };
  });

  private countNots(): number {
    let nots = 0;
    this.MANY(() => {
      this.CONSUME(NOT);
      nots++;
    });
    return nots;
  }

  private primary = this.RULE('primary', (): Maybe<ast.Expr> => this.OR(this.primaryAlts));

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

  private condition = this.RULE('condition', (): Maybe<ast.Expr> => {
    const fact = nameOf(this.CONSUME(t.FactName));
    const condition = this.OR(this.conditionAlts);
    // What ACTION would do, without a closure per condition: nothing while the grammar is recorded.
    if (this.RECORDING_PHASE || !fact) return undefined;
    if (!condition) return { kind: 'fact', name: fact, span: fact.span };
    condition.fact = fact;
    condition.span = this.spanFrom(fact.span.start);
    return condition;
  });

  /** What follows a condition's fact: a comparison, `in (...)`, or nothing. */
  private readonly conditionAlts: IOrAlt<Maybe<ast.Comparison | ast.Membership>>[] = [
    {
      ALT: () => {
        const op = this.CONSUME(t.CompareOperator);
        const value = this.SUBRULE(this.value);
        return { kind: 'compare', fact: undefined!, op: punctuationOf(t.kindOf(op.tokenType)) as ast.CompareOp, opSpan: spanOf(op), value, span: NO_SPAN };
      },
    },
    { ALT: () => ({ kind: 'in', fact: undefined!, values: this.SUBRULE(this.inValues), span: NO_SPAN }) },
    { ALT: () => undefined },
  ];

  /**
   * `in (A, B)`. A half-typed list (`in (A,` at the end of a line) must not
   * make recovery skip past the following rule, so the list ends where the
   * names end and a missing `)` is reported there.
   */
  private inValues = this.RULE('inValues', (): ast.Name[] => {
    this.CONSUME(t.tokenOf(K.InKeyword));
    this.CONSUME(t.LParen);
    const names: ast.Name[] = [];
    const first = nameOf(this.CONSUME(t.AnyName));
    if (first) names.push(first);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.OPTION(() => {
        const next = nameOf(this.CONSUME2(t.AnyName));
        if (next) names.push(next);
      });
    });
    const close = this.OPTION2(this.optionalRParen);
    this.ACTION(() => {
      if (!real(close)) this.reportMissing("')' to close the list of values");
    });
    return names;
  });

  private value = this.RULE('value', (): Maybe<ast.Quantity | ast.Name> => this.OR(this.valueAlts));

  private readonly valueAlts: IOrAlt<Maybe<ast.Quantity | ast.Name>>[] = [
    { ALT: () => this.SUBRULE(this.quantity) },
    { ALT: () => nameOf(this.CONSUME(t.ValueWord)) },
  ];

  // ---- positions -------------------------------------------------------------

  /**
   * Whether a repetition whose items start with `first` runs at all: always
   * while chevrotain records the grammar. Rules call their MANY only then, so
   * the closure it takes is not built for the usual case of no repetition.
   * Only for repetitions without in-repetition recovery (`shouldInRepetitionRecoveryBeTried`).
   */
  private mayRepeat(first: TokenType): boolean {
    return this.RECORDING_PHASE || tokenMatcher(this.LA(1), first);
  }

  /** Where the next node starts: the next token, or just after the last one at the end. */
  private startHere(): number {
    const next = this.LA(1);
    return Number.isNaN(next.startOffset) ? this.endHere(0) : next.startOffset;
  }

  /** Offset just past the last token consumed so far. */
  private endHere(fallback: number): number {
    const last = this.LA(0);
    return Number.isNaN(last.startOffset) ? fallback : t.endOf(last);
  }

  private spanFrom(start: number): ast.Span {
    return { start, end: Math.max(start, this.endHere(start)) };
  }

  // ---- recovery --------------------------------------------------------------

  /**
   * A stop's `until` (`next`: the token it would start at): a hold's is kept; a
   * discontinuation's is reported once, on the whole clause, and dropped: a
   * discontinuation does not end. What recovery reported inside the clause goes
   * (nothing after it is parsed yet), so one mistake is one error, also while
   * the clause is half written.
   */
  private untilOfStop(kind: 'hold' | 'discontinue', next: IToken, until: Maybe<ast.Until>): Maybe<ast.Until> {
    if (kind === 'hold' || this.RECORDING_PHASE || !tokenMatcher(next, UNTIL)) return until;
    const start = next.startOffset;
    const inClause = (offset: number) => offset >= start || Number.isNaN(offset);
    this.softErrors = this.softErrors.filter((error) => !inClause(error.span.start));
    this.errors = this.errors.filter((error) => !inClause(error.token.startOffset));
    this.softErrors.push({ span: this.spanFrom(start), kind: 'UntilAfterDiscontinue', args: [] });
    return undefined;
  }

  /** A missing token (`expected` says which), reported where it is missing (`missingSpan`). */
  private reportMissing(expected: string): void {
    this.softErrors.push({ span: missingSpan(this.text, this.LA(0), this.LA(1), this.endHere(0)), kind: 'Expected', args: [expected, describeToken(this.LA(1))] });
  }

  /**
   * Inside a test: reports and skips anything before one of `stops` or `}`
   * (braces skipped whole), or before a line of the protocol.
   */
  private skipStray(stops: TokenType[]): void {
    const next = this.LA(1);
    if (tokenMatcher(next, t.RBrace) || matchesAny(next, stops)) return;
    if (Number.isNaN(next.startOffset)) return;
    this.softErrors.push({ span: spanOf(next), kind: 'Expected', args: [expectedText([...stops, t.RBrace]), describeToken(next)] });
    this.skipUntil((token) => matchesAny(token, stops) || this.resumesAt(token, PROTOCOL_ITEMS));
  }

  /** Skips tokens until `stop` holds at brace depth 0, or the end; braces skipped on the way are skipped whole. */
  private skipUntil(stop: (token: IToken) => boolean): void {
    let depth = 0;
    for (let next = this.LA(1); !Number.isNaN(next.startOffset); next = this.LA(1)) {
      if (depth === 0 && stop(next)) return;
      if (tokenMatcher(next, t.LBrace)) depth++;
      else if (tokenMatcher(next, t.RBrace)) depth--;
      this.SKIP_TOKEN();
    }
  }

  /** Whether `list` or a list around it goes on at `token`: an item's first word, `}` or the end. */
  private resumesAt(token: IToken, list: ItemList): boolean {
    if (Number.isNaN(token.startOffset) || tokenMatcher(token, t.RBrace)) return true;
    return list.starts.has(token.tokenType) || list.enclosing.some((outer) => outer.starts.has(token.tokenType));
  }

  // In a braced list, text that starts no item is reported once and skipped,
  // braced groups whole, up to the next item (the list goes on), its `}`, or a
  // token a list around it goes on at. Other repetitions leave recovery to the
  // rules: chevrotain's single-token insertion and deletion and its re-sync.
  shouldInRepetitionRecoveryBeTried(expected: TokenType, _index: number, notStuck?: boolean): boolean {
    return notStuck !== false && LISTS[this.getCurrRuleFullName()] !== undefined && !tokenMatcher(this.LA(1), expected);
  }

  tryInRepetitionRecovery(repetition: (...args: unknown[]) => void, args: unknown[], startsItem: () => boolean): void {
    const list = LISTS[this.getCurrRuleFullName()];
    const next = this.LA(1);
    if (this.resumesAt(next, list)) return;
    this.softErrors.push({ span: spanOf(next), kind: 'Expected', args: [list.expected, describeToken(next)] });
    this.skipUntil((token) => this.resumesAt(token, list));
    if (startsItem.call(this)) repetition.apply(this, args);
  }
}

const EXPECT = [t.tokenOf(K.ExpectKeyword)];

interface Expectation {
  action: Maybe<ast.Action>;
  companions: ast.CompanionExpect[];
}



function numberOf(token: Maybe<IToken>): Maybe<number> {
  const tok = real(token);
  return tok && Number(tok.image);
}
const NOTHING: TokenType[] = [];

/** An action with the drugs it names, if it names any (no `drugs` key otherwise: v1 trees stay as they were). */
function withDrugs(action: Extract<ast.Action, { kind: 'hold' | 'discontinue' | 'no dose' }>, drugs: Maybe<ast.Name[]>): ast.Action {
  if (drugs) action.drugs = drugs;
  return action;
}

/** Operands joined by `and`/`or`; a single operand stands for itself (no array is made for it). */

let shared: DoseParser | undefined;

/**
 * The one parser instance, built on first use (or by `prepareSyntax`,
 * parse.ts): building it is expensive, resetting its input is not.
 */
export function sharedParser(): DoseParser {
  return (shared ??= new DoseParser());
}
