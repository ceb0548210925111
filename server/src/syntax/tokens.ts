// The chevrotain token types of `.dose` text: one per syntax kind
// (syntax-kind.ts holds the vocabulary and the keywords), the categories the
// grammar reads as one token, and the lexer's patterns.
//
// Keywords are not lexed on their own: the lexer reads every word as a Name and
// `tokenize` gives a Name whose text is a keyword its keyword type afterwards.
// One word pattern and a keyword lookup are faster than forty `longer_alt`
// keyword patterns, and `dose_level` can never lex as `dose` + `_level`.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import { describeKind, isSoftKeyword, keywords, SyntaxKind as K } from './syntax-kind.js';
import { unitEnd } from './unit-shape.js';

/** The token type of each syntax kind, indexed by kind. */
const byKind: TokenType[] = [];
/** The syntax kind of each token type, indexed by `tokenTypeIdx`. */
const kindByIndex: K[] = [];

function token(kind: K, config: Omit<Parameters<typeof createToken>[0], 'name' | 'label' | 'categories'>): TokenType {
  const type = createToken({ name: K[kind], label: describeKind(kind), categories: categoriesOf(kind), ...config });
  byKind[kind] = type;
  return type;
}

/** The kinds each category matches. */
const members = new Map<TokenType, K[]>();
/** How each category reads in an error message and in completion: its members, or fewer. */
const shown = new Map<TokenType, K[]>();

/**
 * A category: matches every token type listed in it, so the grammar consumes
 * any of them in one step. `shownAs`: the members an error message names and
 * completion offers, when not all of them (a soft keyword read as a name is
 * "a name", and is not offered wherever a name may go).
 */
function category(name: string, kinds: K[], shownAs: K[] = kinds): TokenType {
  const type = createToken({ name, pattern: Lexer.NA });
  members.set(type, kinds);
  shown.set(type, shownAs);
  return type;
}

/**
 * The soft keywords (SPEC-v2's, syntax-kind.ts): each is a keyword token that
 * is also in the name categories below, so where the grammar expects a name
 * (`rule resume: ...`, `fact levels ...`) it reads one, and where it expects
 * the keyword it reads the keyword. Where a name is optional and the keyword
 * may follow (a route, the drugs a hold names), the grammar asks for a plain
 * `Name`, so `then hold until ...` reads `until` as the keyword.
 */
const SOFT = [...keywords.values()].filter(isSoftKeyword);

/** A name where one is required: a plain name or a soft keyword. */
export const AnyName = category('AnyName', [K.Name, ...SOFT], [K.Name]);
/** The fact a condition starts with: a name, or `day` and `cycle`, the built-in facts of a course. */
/** A value that is a word: a name (an enum value may be a soft keyword: `status = on`), `true` or `false`. */
export const ValueWord = category('ValueWord', [K.Name, ...SOFT, K.TrueKeyword, K.FalseKeyword], [K.Name, K.TrueKeyword, K.FalseKeyword]);
export const FactName = category('FactName', [K.Name, ...SOFT, K.DayKeyword, K.CycleKeyword], [K.Name, K.DayKeyword, K.CycleKeyword]);

export const CompareOperator = category('CompareOperator', [K.Less, K.LessEq, K.Greater, K.GreaterEq, K.Equals, K.NotEq]);
/** `hold` and `discontinue` starting a label line; the grammar tells them apart by type. */
export const StopKeyword = category('StopKeyword', [K.HoldKeyword, K.DiscontinueKeyword]);
export const AnnotationKeyword = category('AnnotationKeyword', [K.SourceKeyword, K.NoteKeyword]);
export const FrequencyCount = category('FrequencyCount', [K.OnceKeyword, K.TwiceKeyword]);
export const FrequencyPeriod = category('FrequencyPeriod', [K.DailyKeyword, K.WeeklyKeyword]);
export const DaysKeyword = category('DaysKeyword', [K.DaysKeyword, K.DayKeyword]);
/** `day` or `cycle` as a given fact in a test (`given cycle 3, day 1`). */
export const DayOrCycle = category('DayOrCycle', [K.DayKeyword, K.CycleKeyword]);
/** `cycles 1-8` or `from cycle 9`: the lines of a schedule limited to some cycles. */
export const CycleRangeKeyword = category('CycleRangeKeyword', [K.CyclesKeyword, K.FromKeyword]);
/** What a deviation may name: a check's name, some of which are keywords. */
export const DeviationTopic = category('DeviationTopic', [K.Name, K.CycleKeyword, K.DaysKeyword, K.StartKeyword, K.WithKeyword, K.DoseKeyword]);


/** The members of a category token type as messages and completion show them, none for the other types. */
export function membersOf(type: TokenType): readonly K[] | undefined {
  return shown.get(type);
}

function categoriesOf(kind: K): TokenType[] {
  return [...members].filter(([, kinds]) => kinds.includes(kind)).map(([type]) => type);
}

// Every pattern says which characters it can start with (`start_chars_hint`, or
// a string pattern): the lexer indexes the patterns by first character, and
// working that out from the regular expressions cost more at start-up than all
// the rest of building the lexer.
const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const DIGITS = [...'0123456789'];

const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\uFEFF\u00A0]+/,
  group: Lexer.SKIPPED,
  start_chars_hint: [' ', '\t', '\r', '\n', '\f', '\v', '\uFEFF', '\u00A0'],
});
export const LineComment = token(K.LineComment, { pattern: /\/\/[^\r\n]*/, group: 'comments', start_chars_hint: ['/'] });
export const BlockComment = token(K.BlockComment, { pattern: /\/\*[\s\S]*?(?:\*\/|(?![\s\S]))/, group: 'comments', line_breaks: true, start_chars_hint: ['/'] });
/** Runs to its closing quote or, unterminated, to the end of its line (a trailing backslash included). */
export const StringLiteral = token(K.StringLiteral, { pattern: /"(?:[^"\\\r\n]|\\[^\r\n]?)*"?/, start_chars_hint: ['"'] });
export const NumberLiteral = token(K.NumberLiteral, { pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, start_chars_hint: DIGITS });
export const Name = token(K.Name, { pattern: /[A-Za-z_][A-Za-z0-9_]*/, start_chars_hint: [...LETTERS, '_'] });

/** Every keyword's token type, by its text. */
export const keywordTypes = new Map<string, TokenType>();
for (const [word, kind] of keywords) keywordTypes.set(word, token(kind, { pattern: Lexer.NA }));

/** Words that may follow a number as its unit even though they are keywords. */
const keywordUnits = new Set(['day', 'days']);

/**
 * A unit is only a unit right after a number (`500 /uL`, `0.4 10*9/L`, `28 days`)
 * or after `quantity` in a fact declaration (`quantity /uL`). Deciding this in
 * the lexer keeps `10*9/L` from lexing as a number. The shape is `unit-shape.ts`.
 */
function matchUnit(text: string, offset: number, tokens: IToken[]): [string] | null {
  const previous = tokens[tokens.length - 1];
  if (previous === undefined || (previous.tokenType !== NumberLiteral && previous.image !== 'quantity')) return null;
  const end = unitEnd(text, offset);
  if (end < 0) return null;
  const word = text.slice(offset, end);
  if (keywordTypes.has(word) && !keywordUnits.has(word)) return null;
  return [word];
}

export const Unit = token(K.Unit, {
  pattern: { exec: matchUnit },
  line_breaks: false,
  // Without the hint the lexer cannot index this pattern by first character and
  // falls back to trying every pattern at every offset (`ensureOptimizations` says so).
  start_chars_hint: [...LETTERS, '%', '/', '[', '{', '1', "'", '\u00B5', '\u03BC'],
});

export const LBrace = token(K.LBrace, { pattern: '{' });
export const RBrace = token(K.RBrace, { pattern: '}' });
export const LParen = token(K.LParen, { pattern: '(' });
export const RParen = token(K.RParen, { pattern: ')' });
export const Comma = token(K.Comma, { pattern: ',' });
export const Colon = token(K.Colon, { pattern: ':' });
export const Minus = token(K.Minus, { pattern: '-' });
const comparison = (kind: K, pattern: string) => token(kind, { pattern });
export const LessEq = comparison(K.LessEq, '<=');
export const GreaterEq = comparison(K.GreaterEq, '>=');
export const NotEq = comparison(K.NotEq, '!=');
export const Less = comparison(K.Less, '<');
export const Greater = comparison(K.Greater, '>');
export const Equals = comparison(K.Equals, '=');

/** The lexer's patterns in the order it tries them. */
export const lexerTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, Unit, StringLiteral, NumberLiteral, Name,
  LBrace, RBrace, LParen, RParen, Comma, Colon, Minus, LessEq, GreaterEq, NotEq, Less, Greater, Equals,
];

/** What the parser knows: the lexer's tokens, the keywords and the categories. */
export const allTokens: TokenType[] = [
  ...lexerTokens, ...keywordTypes.values(),
  CompareOperator, StopKeyword, AnnotationKeyword, FrequencyCount, FrequencyPeriod, DaysKeyword, DayOrCycle, CycleRangeKeyword,
  DeviationTopic, ValueWord, AnyName, FactName,
];

/** The token type of a keyword or punctuation kind. */
export function tokenOf(kind: K): TokenType {
  return byKind[kind];
}

/** The syntax kind of a token (a keyword's, once `tokenize` has given it its type). */
export function kindOf(type: TokenType): K {
  return kindByIndex[type.tokenTypeIdx!];
}

/** Gives a Name token whose text is a keyword that keyword's type, in place. */
export function asKeyword(token: IToken): void {
  const type = keywordTypes.get(token.image);
  if (type === undefined) return;
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
}

/** Built once and shared; `validate` runs chevrotain's checks of the definition (a test does). */
export function createLexer({ validate = false } = {}): Lexer {
  return new Lexer(lexerTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: !validate });
}

let shared: Lexer | undefined;

/** The one lexer, built on first use (or by `prepareSyntax`, parse.ts). */
export function sharedLexer(): Lexer {
  return (shared ??= createLexer());
}

for (let kind = 0; kind < byKind.length; kind++) if (byKind[kind]) kindByIndex[byKind[kind].tokenTypeIdx!] = kind;

/** The offset just past a token (the lexer tracks start offsets only). */
export function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}
