// The kinds of token in `.dose` text, the keywords by their text, and how each
// kind is named in an error message. Keywords are words the lexer recognises
// whole: `dose_level` and `holding` stay names.

export enum SyntaxKind {
  EndOfFile,
  Name,
  NumberLiteral,
  StringLiteral,
  /** The unit after a number or after `quantity`: `/uL`, `10*9/L`, `mg`, `28 days`. */
  Unit,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Colon,
  Minus,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  Equals,
  NotEq,
  LineComment,
  BlockComment,
  // Keywords, from here to the end.
  LabelKeyword,
  ProtocolKeyword,
  FactKeyword,
  IndicationKeyword,
  DoseKeyword,
  RequiresKeyword,
  HoldKeyword,
  DiscontinueKeyword,
  AtKeyword,
  MostKeyword,
  WhenKeyword,
  SourceKeyword,
  NoteKeyword,
  AliasKeyword,
  QuantityKeyword,
  BooleanKeyword,
  OneKeyword,
  OfKeyword,
  NormalKeyword,
  DrugKeyword,
  StartKeyword,
  WithKeyword,
  RuleKeyword,
  ThenKeyword,
  TestKeyword,
  GivenKeyword,
  ExpectKeyword,
  NoKeyword,
  DeviationKeyword,
  AndKeyword,
  OrKeyword,
  NotKeyword,
  InKeyword,
  PreviousKeyword,
  AfterKeyword,
  TakeKeyword,
  OnceKeyword,
  TwiceKeyword,
  DailyKeyword,
  WeeklyKeyword,
  DaysKeyword,
  DayKeyword,
  CycleKeyword,
  TrueKeyword,
  FalseKeyword,
  DocumentKeyword,
  // Treatment courses (SPEC-v2).
  LevelsKeyword,
  LowestKeyword,
  UntilKeyword,
  ResumeKeyword,
  RecurrenceKeyword,
  SameKeyword,
  BeforeKeyword,
  EachKeyword,
  RequireKeyword,
  ScenarioKeyword,
  OnKeyword,
  EveryKeyword,
  WeeksKeyword,
  CyclesKeyword,
  FromKeyword,
}

const FIRST_KEYWORD = SyntaxKind.LabelKeyword;

/** Every keyword, by its text: the member name without `Keyword`, lower-cased. */
export const keywords: ReadonlyMap<string, SyntaxKind> = new Map(
  Object.entries(SyntaxKind)
    .filter((entry): entry is [string, SyntaxKind] => typeof entry[1] === 'number' && entry[1] >= FIRST_KEYWORD)
    .map(([member, kind]) => [member.slice(0, -'Keyword'.length).toLowerCase(), kind]),
);

/**
 * Each keyword's text by its kind, '' for the other kinds. A dense array, so
 * the lexer's keyword lookup reads it as a plain array read.
 */
export const keywordTexts: readonly string[] = Array.from(
  { length: Math.max(...keywords.values()) + 1 },
  (_, kind) => [...keywords].find(([, k]) => k === kind)?.[0] ?? '',
);

export function isKeyword(kind: SyntaxKind): boolean {
  return kind >= FIRST_KEYWORD;
}

/**
 * The keywords SPEC-v2 added (from `levels` on). They are soft: where the
 * grammar expects a name (a fact, a rule, a drug), they are read as one, so
 * v1 files that used them as names (`rule resume: ...`) keep parsing.
 */
export function isSoftKeyword(kind: SyntaxKind): boolean {
  return kind >= SyntaxKind.LevelsKeyword;
}

export function isComparison(kind: SyntaxKind): boolean {
  return kind >= SyntaxKind.Less && kind <= SyntaxKind.NotEq;
}

const punctuation: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.LBrace]: '{',
  [SyntaxKind.RBrace]: '}',
  [SyntaxKind.LParen]: '(',
  [SyntaxKind.RParen]: ')',
  [SyntaxKind.Comma]: ',',
  [SyntaxKind.Colon]: ':',
  [SyntaxKind.Minus]: '-',
  [SyntaxKind.Less]: '<',
  [SyntaxKind.LessEq]: '<=',
  [SyntaxKind.Greater]: '>',
  [SyntaxKind.GreaterEq]: '>=',
  [SyntaxKind.Equals]: '=',
  [SyntaxKind.NotEq]: '!=',
};

/** The text of an operator or punctuation kind. */
export function punctuationOf(kind: SyntaxKind): string | undefined {
  return punctuation[kind];
}

/** How an expected token reads in an error message: "a name", "'then'", "a unit". */
export function describeKind(kind: SyntaxKind): string {
  switch (kind) {
    case SyntaxKind.EndOfFile:
      return 'the end of the file';
    case SyntaxKind.Name:
      return 'a name';
    case SyntaxKind.NumberLiteral:
      return 'a number';
    case SyntaxKind.StringLiteral:
      return 'text in quotes';
    case SyntaxKind.Unit:
      return 'a unit';
    default:
      return `'${keywordTexts[kind] || punctuationOf(kind) || SyntaxKind[kind]}'`;
  }
}

/** "'a', 'b' or 'c'", at most six, for "Expected ... found ..." messages. */
export function oneOf(expected: readonly string[]): string {
  if (expected.length <= 1) return expected[0] ?? 'something else';
  if (expected.length > 6) return `${expected.slice(0, 6).join(', ')}, ...`;
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
}
