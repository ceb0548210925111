// The lexer on its own: which kind each piece of text becomes, where the
// unreadable runs and unterminated strings are, and that every character of
// any text ends up in exactly one place (a token, a comment, white space or
// an error), whatever the input.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lex, type TokenList } from '../../server/src/syntax/lexer.js';
import { SyntaxKind } from '../../server/src/syntax/syntax-kind.js';

function list(text: string, tokens: TokenList): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i < tokens.count; i++) result.push([SyntaxKind[tokens.kinds[i]], text.slice(tokens.starts[i], tokens.ends[i])]);
  return result;
}

const kinds = (text: string) => list(text, lex(text).tokens);

describe('syntax: lexer', () => {
  it('reads a rule line into names, keywords, operators, a number and a unit', () => {
    assert.deepEqual(kinds('rule hold_anc: when ANC < 500 /uL then hold'), [
      ['RuleKeyword', 'rule'],
      ['Name', 'hold_anc'],
      ['Colon', ':'],
      ['WhenKeyword', 'when'],
      ['Name', 'ANC'],
      ['Less', '<'],
      ['NumberLiteral', '500'],
      ['Unit', '/uL'],
      ['ThenKeyword', 'then'],
      ['HoldKeyword', 'hold'],
    ]);
  });

  it('reads every operator, the two-character ones whole', () => {
    assert.deepEqual(kinds('< <= > >= = != - , : ( ) { }').map(([kind]) => kind), [
      'Less', 'LessEq', 'Greater', 'GreaterEq', 'Equals', 'NotEq', 'Minus', 'Comma', 'Colon', 'LParen', 'RParen', 'LBrace', 'RBrace',
    ]);
  });

  it('reads a keyword only as a whole word', () => {
    assert.deepEqual(kinds('dose dose_level doses holding Hold'), [
      ['DoseKeyword', 'dose'],
      ['Name', 'dose_level'],
      ['Name', 'doses'],
      ['Name', 'holding'],
      ['Name', 'Hold'],
    ]);
  });

  it('reads a unit only after a number or `quantity`, and a keyword there only if it is day or days', () => {
    assert.deepEqual(kinds('fact a: quantity /uL'), [['FactKeyword', 'fact'], ['Name', 'a'], ['Colon', ':'], ['QuantityKeyword', 'quantity'], ['Unit', '/uL']]);
    assert.deepEqual(kinds('28 days 3 when'), [['NumberLiteral', '28'], ['Unit', 'days'], ['NumberLiteral', '3'], ['WhenKeyword', 'when']]);
    assert.deepEqual(kinds('ANC mg'), [['Name', 'ANC'], ['Name', 'mg']]);
    assert.deepEqual(kinds('0.4 10*9/L 1 2'), [['NumberLiteral', '0.4'], ['Unit', '10*9/L'], ['NumberLiteral', '1'], ['NumberLiteral', '2']]);
  });

  it('reads a number with a fraction and an exponent, and leaves an incomplete one out', () => {
    assert.deepEqual(kinds('1.5e3 2e-2 7. 3e'), [
      ['NumberLiteral', '1.5e3'],
      ['NumberLiteral', '2e-2'],
      ['NumberLiteral', '7'],
      ['NumberLiteral', '3'],
      ['Unit', 'e'],
    ]);
    assert.equal(lex('7.').errors.length, 1, "the lone '.' is unreadable");
  });

  it('reports each run of unreadable characters once, with its span', () => {
    const text = 'drug $$ x # ! µ';
    const { errors } = lex(text);
    assert.deepEqual(errors.map((error) => [error.kind, text.slice(error.span.start, error.span.end)]), [
      ['UnrecognizedText', '$$'],
      ['UnrecognizedText', '#'],
      ['UnrecognizedText', '!'],
      ['UnrecognizedText', 'µ'],
    ]);
  });

  it('ends an unterminated string at the end of its line and reports it', () => {
    const text = 'note "open\nnote "shut"';
    const { tokens, errors } = lex(text);
    assert.deepEqual(list(text, tokens), [['NoteKeyword', 'note'], ['StringLiteral', '"open'], ['NoteKeyword', 'note'], ['StringLiteral', '"shut"']]);
    assert.deepEqual(errors.map((error) => [error.kind, text.slice(error.span.start, error.span.end)]), [['UnterminatedString', '"open']]);
  });

  it('reads escaped quotes inside a string and a quote escaped at the end as unterminated', () => {
    assert.deepEqual(kinds('"a \\"b\\" c" x'), [['StringLiteral', '"a \\"b\\" c"'], ['Name', 'x']]);
    assert.equal(lex('"ends in \\"').errors[0]?.kind, 'UnterminatedString');
  });

  it('keeps comments apart from the tokens, an unclosed block comment running to the end', () => {
    const text = 'a // line\nb /* block */ c /* open';
    const { tokens, comments } = lex(text);
    assert.deepEqual(list(text, tokens), [['Name', 'a'], ['Name', 'b'], ['Name', 'c']]);
    assert.deepEqual(list(text, comments), [['LineComment', '// line'], ['BlockComment', '/* block */'], ['BlockComment', '/* open']]);
  });

  it('does not read a comment after a number as a unit', () => {
    assert.deepEqual(kinds('21 // rest\n21 /* rest */ cycle'), [['NumberLiteral', '21'], ['NumberLiteral', '21'], ['CycleKeyword', 'cycle']]);
  });

  it('puts every character of any text in exactly one token, comment, error or white space', () => {
    const alphabet = fc.constantFrom(...'ab_ 09.e+-*/^%{}()[],:<>=!"\\\n\r\tµμ#$\u00A0\uFEFF\u{1F600}'.split(''), 'rule', 'days', 'quantity', '10*9', '//', '/*', '*/');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')), (text) => {
        const { tokens, comments, errors } = lex(text);
        const owner = new Array<string>(text.length).fill('');
        const claim = (start: number, end: number, what: string) => {
          assert.ok(start < end || (what === 'error' && start === end), `empty ${what} at ${start}`);
          for (let i = start; i < end; i++) {
            assert.ok(owner[i] === '' || (owner[i] === 'token' && what === 'error'), `${JSON.stringify(text)}: offset ${i} is in a ${owner[i]} and a ${what}`);
            owner[i] = what;
          }
        };
        for (let i = 0; i < tokens.count; i++) claim(tokens.starts[i], tokens.ends[i], 'token');
        for (let i = 0; i < comments.count; i++) claim(comments.starts[i], comments.ends[i], 'comment');
        for (const error of errors) if (error.kind === 'UnrecognizedText') claim(error.span.start, error.span.end, 'error');
        owner.forEach((what, i) => assert.ok(what !== '' || /[ \t\r\n\f\v\u00A0\uFEFF]/.test(text[i]), `${JSON.stringify(text)}: offset ${i} belongs nowhere`));
      }),
      { seed: 20261122, numRuns: 2000 },
    );
  });
});
