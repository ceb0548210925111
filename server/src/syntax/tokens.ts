// The token vocabulary of `.dose` files, in the order the lexer tries them.
// Keywords are not lexed on their own: the lexer reads every word as a Name and
// `asKeyword` gives a Name whose text is a keyword its keyword type afterwards.
// One word pattern instead of forty keyword patterns makes lexing several times
// faster, and `dose_level` can never lex as `dose` + `_level`.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\uFEFF\u00A0]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?(?:\*\/|(?![\s\S]))/,
  group: 'comments',
  line_breaks: true,
});
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"?/ });
/** Whether a StringLiteral token has its closing quote (the pattern lets it run to the end of the line). */
export function isClosedString(image: string): boolean {
  if (image.length < 2 || !image.endsWith('"')) return false;
  let backslashes = 0;
  for (let i = image.length - 2; i > 0 && image[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/ });
export const Name = createToken({ name: 'Name', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Every keyword, by its text. */
export const keywordTokens = new Map<string, TokenType>();
const keyword = (word: string): TokenType => {
  const token = createToken({ name: `Kw_${word}`, pattern: Lexer.NA, label: `'${word}'` });
  keywordTokens.set(word, token);
  return token;
};

export const Label = keyword('label');
export const Protocol = keyword('protocol');
export const Fact = keyword('fact');
export const Indication = keyword('indication');
export const Dose = keyword('dose');
export const Requires = keyword('requires');
export const Hold = keyword('hold');
export const Discontinue = keyword('discontinue');
export const At = keyword('at');
export const Most = keyword('most');
export const When = keyword('when');
export const Source = keyword('source');
export const Note = keyword('note');
export const Alias = keyword('alias');
export const QuantityKw = keyword('quantity');
export const BooleanKw = keyword('boolean');
export const One = keyword('one');
export const Of = keyword('of');
export const Normal = keyword('normal');
export const Drug = keyword('drug');
export const Start = keyword('start');
export const With = keyword('with');
export const Rule = keyword('rule');
export const Then = keyword('then');
export const Test = keyword('test');
export const Given = keyword('given');
export const Expect = keyword('expect');
export const No = keyword('no');
export const Deviation = keyword('deviation');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const In = keyword('in');
export const Previous = keyword('previous');
export const After = keyword('after');
export const Take = keyword('take');
export const Once = keyword('once');
export const Twice = keyword('twice');
export const Daily = keyword('daily');
export const Weekly = keyword('weekly');
export const Days = keyword('days');
export const Day = keyword('day');
export const Cycle = keyword('cycle');
export const True = keyword('true');
export const False = keyword('false');

/** Words that may follow a number as its unit even though they are keywords. */
const keywordUnits = new Set(['day', 'days']);

// A unit is only a unit right after a number (`500 /uL`, `0.4 10*9/L`, `28 days`)
// or after `quantity` in a fact declaration (`quantity /uL`).
// Deciding this in the lexer keeps `10*9/L` from lexing as a number.
const unitShape =
  /(?:x?10[*^][+-]?\d+|\{[^}\s]*\}|[A-Za-z%\u00B5\u03BC[']|\/(?![/*]))(?:[A-Za-z0-9%\u00B5\u03BC.*^/[\]_']|\{[^}\s]*\})*/y;

function matchUnit(text: string, offset: number, tokens: IToken[]): [string] | null {
  const previous = tokens[tokens.length - 1];
  if (previous?.tokenType !== NumberLiteral && previous?.image !== 'quantity') return null;
  unitShape.lastIndex = offset;
  const match = unitShape.exec(text);
  if (!match) return null;
  const word = match[0];
  if (keywordTokens.has(word) && !keywordUnits.has(word)) return null;
  return [word];
}

export const Unit = createToken({
  name: 'Unit',
  pattern: { exec: matchUnit },
  line_breaks: false,
  start_chars_hint: [
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
    '%', '/', '[', '{', '1', "'", '\u00B5', '\u03BC',
  ],
  label: 'a unit',
});

export const LBrace = createToken({ name: 'LBrace', pattern: /{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/, label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
/** Every comparison operator is also a CompareOperator, so the parser consumes them in one step. */
export const CompareOperator = createToken({ name: 'CompareOperator', pattern: Lexer.NA, label: 'a comparison (<, <=, >, >=, =, !=)' });
const comparison = { categories: [CompareOperator] };
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/, label: "'<='", ...comparison });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/, label: "'>='", ...comparison });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, label: "'!='", ...comparison });
export const Less = createToken({ name: 'Less', pattern: /</, label: "'<'", ...comparison });
export const Greater = createToken({ name: 'Greater', pattern: />/, label: "'>'", ...comparison });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='", ...comparison });

/** Gives a Name token whose text is a keyword that keyword's type, in place. */
export function asKeyword(token: IToken): void {
  const type = keywordTokens.get(token.image);
  if (!type) return;
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
}

export const lexerTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  Unit,
  StringLiteral,
  NumberLiteral,
  Name,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Colon,
  Minus,
  LessEq,
  GreaterEq,
  NotEq,
  Less,
  Greater,
  Equals,
];

/** What the parser sees: the lexer's tokens and the keywords. */
export const allTokens: TokenType[] = [...lexerTokens, CompareOperator, ...keywordTokens.values()];
