// Character codes and classes the lexer tests, in one place. The classes are
// bit flags in a table indexed by UTF-16 code, so each test is one table read;
// the lexer's hot loops read the table directly, with no call per character.

export const enum Ch {
  Tab = 9,
  LineFeed = 10,
  VerticalTab = 11,
  FormFeed = 12,
  CarriageReturn = 13,
  Space = 32,
  Bang = 33,
  Quote = 34,
  Percent = 37,
  Apostrophe = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Digit0 = 48,
  Digit1 = 49,
  Digit9 = 57,
  Colon = 58,
  Less = 60,
  Equals = 61,
  Greater = 62,
  UpperA = 65,
  UpperE = 69,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  LowerA = 97,
  LowerE = 101,
  LowerX = 120,
  LowerZ = 122,
  LBrace = 123,
  RBrace = 125,
  NoBreakSpace = 0xa0,
  Micro = 0xb5,
  GreekMu = 0x3bc,
  ByteOrderMark = 0xfeff,
}

/** Bit flags, a const enum so that the loops test literal numbers, not imported bindings. */
export const enum CharClass {
  WhiteSpace = 1,
  WordStart = 2,
  Digit = 4,
  WordPart = WordStart | Digit,
}

export const charClass = new Uint8Array(0x10000);
for (const c of [Ch.Space, Ch.LineFeed, Ch.CarriageReturn, Ch.Tab, Ch.VerticalTab, Ch.FormFeed, Ch.NoBreakSpace, Ch.ByteOrderMark]) {
  charClass[c] = CharClass.WhiteSpace;
}
for (let c = Ch.UpperA; c <= Ch.UpperZ; c++) charClass[c] = CharClass.WordStart;
for (let c = Ch.LowerA; c <= Ch.LowerZ; c++) charClass[c] = CharClass.WordStart;
charClass[Ch.Underscore] = CharClass.WordStart;
for (let c = Ch.Digit0; c <= Ch.Digit9; c++) charClass[c] = CharClass.Digit;

/** `c | 0` reads code 0 (no class) for the NaN that `charCodeAt` gives past the end. */
export const isDigit = (c: number) => (charClass[c | 0] & CharClass.Digit) !== 0;
export const isLetter = (c: number) => (charClass[c | 0] & CharClass.WordStart) !== 0 && c !== Ch.Underscore;
export const isLineBreak = (c: number) => c === Ch.LineFeed || c === Ch.CarriageReturn;
