// Text to tokens in one pass over the character codes, into a TokenList. Token
// text is sliced only where the parser needs it (names, numbers, strings).
import type { Span } from './ast.js';
import { Ch, CharClass, charClass, isDigit, isLineBreak } from './char-codes.js';
import { wordKind } from './keyword-table.js';
import { SyntaxKind } from './syntax-kind.js';
import { TokenList } from './token-list.js';
import { unitEnd } from './unit-shape.js';

export { TokenList } from './token-list.js';

export interface LexError {
  span: Span;
  name: 'UnrecognizedText' | 'UnterminatedString';
}

export interface Lexed {
  /** What the parser reads: every token but comments. */
  tokens: TokenList;
  comments: TokenList;
  errors: LexError[];
}

// A unit is only a unit right after a number (`500 /uL`, `0.4 10*9/L`, `28 days`)
// or after `quantity` in a fact declaration (`quantity /uL`). Deciding this in
// the lexer keeps `10*9/L` from lexing as a number.
/** Words that may follow a number as its unit even though they are keywords. */
const keywordUnits = new Set([SyntaxKind.DayKeyword, SyntaxKind.DaysKeyword]);

/**
 * `into` is a list to reuse: its tokens are replaced. The parser reuses one
 * list for every parse, since it keeps no token past the parse; a new list per
 * parse of a large file made the garbage collector run far more often.
 */
export function lex(text: string, into = new TokenList((text.length >> 2) + 16)): Lexed {
  return new Scanner(text, into.clear()).run();
}

class Scanner {
  private readonly comments = new TokenList(16);
  private readonly errors: LexError[] = [];
  /** Where the current run of unreadable characters began, or -1. */
  private unreadableFrom = -1;
  /** Whether the last token read was a number or `quantity`, so a unit may come next. */
  private unitMayFollow = false;

  constructor(
    private readonly text: string,
    private readonly tokens: TokenList,
  ) {}

  run(): Lexed {
    this.readAll();
    this.endUnreadable(this.text.length);
    return { tokens: this.tokens, comments: this.comments, errors: this.errors };
  }

  // The loop is a method of its own: V8 optimises it while it runs, and code
  // after a loop that has never run yet makes that optimised code bail out.
  private readAll(): void {
    const { text } = this;
    const classes = charClass;
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if ((classes[c] & CharClass.WhiteSpace) !== 0) {
        this.endUnreadable(i);
        do i++;
        while (i < text.length && (classes[text.charCodeAt(i)] & CharClass.WhiteSpace) !== 0);
        continue;
      }
      const end = this.scan(i, c);
      if (end < 0) {
        if (this.unreadableFrom < 0) this.unreadableFrom = i;
        i++;
      } else {
        this.endUnreadable(i);
        i = end;
      }
    }
  }

  private endUnreadable(at: number): void {
    if (this.unreadableFrom < 0) return;
    this.errors.push({ span: { start: this.unreadableFrom, end: at }, name: 'UnrecognizedText' });
    this.unreadableFrom = -1;
  }

  /** Reads the token at `i` (whose first code is `c`) and returns where it ends, or -1 if none starts here. */
  private scan(i: number, c: number): number {
    if (c === Ch.Slash) {
      const next = this.text.charCodeAt(i + 1);
      if (next === Ch.Slash) return this.lineComment(i);
      if (next === Ch.Star) return this.blockComment(i);
    }
    if (this.unitMayFollow) {
      const end = this.unit(i);
      if (end > 0) return end;
    }
    const kind = charClass[c];
    if ((kind & CharClass.WordStart) !== 0) return this.word(i);
    if ((kind & CharClass.Digit) !== 0) return this.number(i);
    if (c === Ch.Quote) return this.string(i);
    return this.operator(i, c);
  }

  private add(kind: SyntaxKind, start: number, end: number): number {
    this.tokens.push(kind, start, end);
    this.unitMayFollow = kind === SyntaxKind.NumberLiteral || kind === SyntaxKind.QuantityKeyword;
    return end;
  }

  private unit(i: number): number {
    const end = unitEnd(this.text, i);
    if (end < 0) return -1;
    const asWord = wordKind(this.text, i, end);
    if (asWord !== SyntaxKind.Name && !keywordUnits.has(asWord)) return -1;
    return this.add(SyntaxKind.Unit, i, end);
  }

  private word(i: number): number {
    const { text } = this;
    const classes = charClass;
    let end = i + 1;
    while (end < text.length && (classes[text.charCodeAt(end)] & CharClass.WordPart) !== 0) end++;
    return this.add(wordKind(text, i, end), i, end);
  }

  /** `12`, `0.4`, `1.5e3`: digits, then a fraction and an exponent if complete. */
  private number(i: number): number {
    const { text } = this;
    let end = this.digits(i);
    if (text.charCodeAt(end) === Ch.Dot && isDigit(text.charCodeAt(end + 1))) end = this.digits(end + 1);
    const e = text.charCodeAt(end);
    if (e === Ch.LowerE || e === Ch.UpperE) {
      let digitsAt = end + 1;
      const sign = text.charCodeAt(digitsAt);
      if (sign === Ch.Plus || sign === Ch.Minus) digitsAt++;
      if (isDigit(text.charCodeAt(digitsAt))) end = this.digits(digitsAt);
    }
    return this.add(SyntaxKind.NumberLiteral, i, end);
  }

  private digits(i: number): number {
    const { text } = this;
    const classes = charClass;
    while (i < text.length && (classes[text.charCodeAt(i)] & CharClass.Digit) !== 0) i++;
    return i;
  }

  /** A string runs to its closing quote or, unterminated, to the end of the line. */
  private string(i: number): number {
    const { text } = this;
    let end = i + 1;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c === Ch.Quote) {
        this.add(SyntaxKind.StringLiteral, i, end + 1);
        return end + 1;
      }
      if (isLineBreak(c)) break;
      if (c === Ch.Backslash) {
        if (end + 1 >= text.length || isLineBreak(text.charCodeAt(end + 1))) {
          end++;
          break;
        }
        end += 2;
      } else end++;
    }
    this.errors.push({ span: { start: i, end }, name: 'UnterminatedString' });
    return this.add(SyntaxKind.StringLiteral, i, end);
  }

  private lineComment(i: number): number {
    const { text } = this;
    let end = i + 2;
    while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
    this.comments.push(SyntaxKind.LineComment, i, end);
    return end;
  }

  /** An unclosed block comment runs to the end of the file. */
  private blockComment(i: number): number {
    const close = this.text.indexOf('*/', i + 2);
    const end = close < 0 ? this.text.length : close + 2;
    this.comments.push(SyntaxKind.BlockComment, i, end);
    return end;
  }

  private operator(i: number, c: number): number {
    const equalsNext = this.text.charCodeAt(i + 1) === Ch.Equals;
    switch (c) {
      case Ch.LBrace:
        return this.add(SyntaxKind.LBrace, i, i + 1);
      case Ch.RBrace:
        return this.add(SyntaxKind.RBrace, i, i + 1);
      case Ch.LParen:
        return this.add(SyntaxKind.LParen, i, i + 1);
      case Ch.RParen:
        return this.add(SyntaxKind.RParen, i, i + 1);
      case Ch.Comma:
        return this.add(SyntaxKind.Comma, i, i + 1);
      case Ch.Colon:
        return this.add(SyntaxKind.Colon, i, i + 1);
      case Ch.Minus:
        return this.add(SyntaxKind.Minus, i, i + 1);
      case Ch.Less:
        return equalsNext ? this.add(SyntaxKind.LessEq, i, i + 2) : this.add(SyntaxKind.Less, i, i + 1);
      case Ch.Greater:
        return equalsNext ? this.add(SyntaxKind.GreaterEq, i, i + 2) : this.add(SyntaxKind.Greater, i, i + 1);
      case Ch.Equals:
        return this.add(SyntaxKind.Equals, i, i + 1);
      case Ch.Bang:
        return equalsNext ? this.add(SyntaxKind.NotEq, i, i + 2) : -1;
      default:
        return -1;
    }
  }
}
