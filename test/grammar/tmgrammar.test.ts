// Tests for the TextMate grammar in grammar/dose.tmLanguage.json, tokenized with the same
// engine VS Code uses (vscode-textmate + the Oniguruma regex engine compiled to wasm).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { readRepo } from '../helpers/repo.js';
import { keywords as lexerKeywords } from '../../server/src/syntax/syntax-kind.js';

// This file is compiled to out/test/grammar/, four levels below the repo root.
const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const grammarPath = path.join(repoRoot, 'grammar', 'dose.tmLanguage.json');
const languageConfigPath = path.join(repoRoot, 'grammar', 'language-configuration.json');
const languageDocPath = path.join(repoRoot, 'docs', 'language.md');

/** One token: its text and its scopes, outermost first, without the `source.dose` root. */
type Tok = [text: string, scopes: string[]];

let grammar: vsctm.IGrammar;

async function loadGrammar(): Promise<vsctm.IGrammar> {
  const require = createRequire(import.meta.url);
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.dose'
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const g = await registry.loadGrammar('source.dose');
  assert.ok(g, 'grammar source.dose did not load');
  return g;
}

/** Tokenizes lines (a string is split on newlines), carrying the state from line to line. */
function tokenizeLines(text: string | string[]): Tok[][] {
  const lines = typeof text === 'string' ? text.split('\n') : text;
  let state = vsctm.INITIAL;
  const out: Tok[][] = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    out.push(
      r.tokens.map((t): Tok => {
        assert.equal(t.scopes[0], 'source.dose');
        return [line.slice(t.startIndex, t.endIndex), t.scopes.slice(1)];
      }),
    );
  }
  return out;
}

/** Tokenizes one line; whitespace-only tokens that carry no scope are dropped. */
function tokenize(line: string): Tok[] {
  return tokenizeLines([line])[0].filter(([text, scopes]) => scopes.length > 0 || text.trim() !== '');
}

/** The scopes of the n-th token whose text is exactly `text`. */
function scopesOf(tokens: Tok[], text: string, nth = 0): string[] {
  const hits = tokens.filter(([t]) => t === text);
  assert.ok(
    hits.length > nth,
    `no token ${JSON.stringify(text)} (#${nth}) in ${JSON.stringify(tokens.map(([t]) => t))}`,
  );
  return hits[nth][1];
}

/** Asserts that each [text, scope] pair names a token that carries that scope (in order of occurrence). */
function expectScopes(line: string, expected: Array<[string, string]>): Tok[] {
  const tokens = tokenize(line);
  const seen = new Map<string, number>();
  for (const [text, scope] of expected) {
    const nth = seen.get(text) ?? 0;
    seen.set(text, nth + 1);
    const scopes = scopesOf(tokens, text, nth);
    assert.ok(
      scopes.includes(scope),
      `${JSON.stringify(text)} in ${JSON.stringify(line)}: expected ${scope}, got [${scopes.join(', ')}]`,
    );
  }
  return tokens;
}

const KEYWORDISH = /^(keyword|storage|support\.type|constant\.language)\./;
const isKeywordish = (scopes: string[]) => scopes.some((s) => KEYWORDISH.test(s));

const NUM = 'constant.numeric.dose';
const UNIT = 'keyword.other.unit.dose';
const VAR = 'variable.other.dose';
const CTRL = 'keyword.control.dose';
const OTHER = 'keyword.other.dose';
const DECL = 'keyword.other.declaration.dose';
const LOGIC = 'keyword.operator.logical.dose';
const CMP = 'keyword.operator.comparison.dose';
const STR = 'string.quoted.double.dose';
const LINE_COMMENT = 'comment.line.double-slash.dose';
const BLOCK_COMMENT = 'comment.block.dose';

const SPEC_LABEL = readRepo('test', 'fixtures', 'spec-label.dose');

const SPEC_PROTOCOL = readRepo('test', 'fixtures', 'spec-protocol.dose');

describe('TextMate grammar (grammar/dose.tmLanguage.json)', function () {
  before(async function () {
    grammar = await loadGrammar();
  });

  it('is valid JSON with scopeName source.dose', function () {
    const raw = JSON.parse(fs.readFileSync(grammarPath, 'utf8')) as { scopeName?: string; patterns?: unknown[] };
    assert.equal(raw.scopeName, 'source.dose');
    assert.ok(Array.isArray(raw.patterns) && raw.patterns.length > 0);
  });

  it('colours a rule with a threshold and a unit', function () {
    expectScopes('  rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold', [
      ['rule', DECL],
      ['neutropenia', 'entity.name.function.dose'],
      [':', 'punctuation.separator.colon.dose'],
      ['when', CTRL],
      ['ANC', VAR],
      ['<', CMP],
      ['500', NUM],
      ['/uL', UNIT],
      ['or', LOGIC],
      ['febrile_neutropenia', VAR],
      ['then', CTRL],
      ['hold', CTRL],
    ]);
  });

  it('colours `in (A, B)` and `at most` in a label cap', function () {
    expectScopes('    at most 3 mg when child_pugh in (A, B)', [
      ['at most', CTRL],
      ['3', NUM],
      ['mg', UNIT],
      ['when', CTRL],
      ['child_pugh', VAR],
      ['in', LOGIC],
      ['(', 'punctuation.section.parens.begin.dose'],
      ['A', VAR],
      [',', 'punctuation.separator.comma.dose'],
      ['B', VAR],
      [')', 'punctuation.section.parens.end.dose'],
    ]);
  });

  it('colours a comment after code, and only from the //', function () {
    const tokens = expectScopes('  drug pomalidomide // the label lives in labels/ (hold when ...)', [
      ['drug', OTHER],
      ['pomalidomide', 'entity.name.type.dose'],
      ['//', LINE_COMMENT],
      [' the label lives in labels/ (hold when ...)', LINE_COMMENT],
    ]);
    assert.ok(scopesOf(tokens, '//').includes('punctuation.definition.comment.dose'));
    assert.ok(!scopesOf(tokens, 'drug').includes(LINE_COMMENT));
    // A unit written without a space before the comment stops at the comment.
    expectScopes('hold when ANC < 500 /uL// neutropenia', [
      ['500', NUM],
      ['/uL', UNIT],
      ['//', LINE_COMMENT],
    ]);
  });

  it('colours strings with escaped quotes and backslashes', function () {
    const tokens = expectScopes('  note "say \\"hold\\" and \\\\ then stop" source "x"', [
      ['note', OTHER],
      ['"', 'punctuation.definition.string.begin.dose'],
      ['say ', STR],
      ['\\"', 'constant.character.escape.dose'],
      ['hold', STR],
      ['\\"', 'constant.character.escape.dose'],
      [' and ', STR],
      ['\\\\', 'constant.character.escape.dose'],
      [' then stop', STR],
      ['"', 'punctuation.definition.string.end.dose'],
      ['source', OTHER],
      ['x', STR],
    ]);
    // Nothing inside the string is a keyword; the escaped quote did not end it.
    assert.ok(!isKeywordish(scopesOf(tokens, 'hold')));
    // Comment markers inside a string are string text, not comments.
    expectScopes('note "see // not a comment /* nor this */"', [['see // not a comment /* nor this */', STR]]);
  });

  it('ends an unterminated string at the end of its line', function () {
    const [first, second] = tokenizeLines(['note "never closed', 'hold when x']);
    assert.ok(first.some(([t, s]) => t === 'never closed' && s.includes(STR)));
    const hold = second.find(([t]) => t === 'hold');
    assert.ok(hold && hold[1].includes(CTRL) && !hold[1].includes(STR));
  });

  it('colours a test block with given and expect', function () {
    expectScopes('  test "grade 4 neutropenia" { given ANC = 0.4 10*9/L expect hold }', [
      ['test', DECL],
      ['grade 4 neutropenia', STR],
      ['{', 'punctuation.section.block.begin.dose'],
      ['given', CTRL],
      ['ANC', VAR],
      ['=', CMP],
      ['0.4', NUM],
      ['10*9/L', UNIT],
      ['expect', CTRL],
      ['hold', CTRL],
      ['}', 'punctuation.section.block.end.dose'],
    ]);
    // A number followed by a keyword has no unit: `1` then `expect`.
    expectScopes('  test "day 1" { given not pregnant, day 1 expect no dose }', [
      ['given', CTRL],
      ['not', LOGIC],
      ['pregnant', VAR],
      ['day', OTHER],
      ['1', NUM],
      ['expect', CTRL],
      ['no', CTRL],
      ['dose', CTRL],
    ]);
  });

  it('colours label and fact declarations', function () {
    expectScopes('label pomalidomide "Pomalidomide (Pomalyst, Imnovid), oral capsules" {', [
      ['label', DECL],
      ['pomalidomide', 'entity.name.type.dose'],
      ['Pomalidomide (Pomalyst, Imnovid), oral capsules', STR],
      ['{', 'punctuation.section.block.begin.dose'],
    ]);
    expectScopes('  fact ANC "Absolute neutrophil count": quantity /uL', [
      ['fact', DECL],
      ['ANC', 'entity.name.function.dose'],
      ['Absolute neutrophil count', STR],
      [':', 'punctuation.separator.colon.dose'],
      ['quantity', 'support.type.dose'],
      ['/uL', UNIT],
    ]);
    expectScopes('  fact child_pugh "Child-Pugh class": one of A, B, C', [
      ['child_pugh', 'entity.name.function.dose'],
      ['one of', 'support.type.dose'],
      ['A', VAR],
      ['C', VAR],
    ]);
    expectScopes('  fact weight: quantity kg normal 70 kg', [
      ['quantity', 'support.type.dose'],
      ['kg', UNIT],
      ['normal', OTHER],
      ['70', NUM],
      ['kg', UNIT],
    ]);
    expectScopes('  fact pregnant "Pregnant": boolean', [['boolean', 'support.type.dose']]);
    expectScopes('  indication multiple_myeloma "Multiple myeloma" {', [
      ['indication', DECL],
      ['multiple_myeloma', 'entity.name.function.dose'],
    ]);
  });

  it('colours a relative dose `previous - 1 mg`', function () {
    expectScopes('  rule resume: when resumed then dose previous - 1 mg', [
      ['dose', CTRL],
      ['previous', OTHER],
      ['-', 'keyword.operator.arithmetic.dose'],
      ['1', NUM],
      ['mg', UNIT],
    ]);
  });

  it('colours a schedule: frequency, day ranges and a cycle in days', function () {
    expectScopes('  start 4 mg oral once daily days 1-21 cycle 28 days', [
      ['start', OTHER],
      ['4', NUM],
      ['mg', UNIT],
      ['oral', VAR],
      ['once', OTHER],
      ['daily', OTHER],
      ['days', OTHER],
      ['1', NUM],
      ['-', 'keyword.operator.range.dose'],
      ['21', NUM],
      ['cycle', OTHER],
      ['28', NUM],
      ['days', UNIT],
    ]);
    expectScopes('  with dexamethasone 40 mg oral twice weekly days 1, 8, 15, 22', [
      ['with', OTHER],
      ['dexamethasone', VAR],
      ['40', NUM],
      ['mg', UNIT],
      ['twice', OTHER],
      ['weekly', OTHER],
      ['22', NUM],
    ]);
  });

  it('does not colour keyword-like prefixes inside identifiers as keywords', function () {
    const line =
      'when holding_pattern and dose_level >= 2 mg and notable and in_range and test_x and days_since_start and true_value and oral_dose then hold';
    const tokens = tokenize(line);
    for (const name of ['holding_pattern', 'dose_level', 'notable', 'in_range', 'test_x', 'days_since_start', 'true_value', 'oral_dose']) {
      assert.deepEqual(scopesOf(tokens, name), [VAR], name);
    }
    for (const fragment of ['holding', 'dose', 'not', 'in', 'test', 'days', 'true', '_pattern', '_level', 'able', 'oral']) {
      assert.ok(!tokens.some(([t]) => t === fragment), `stray token ${fragment}`);
    }
    // The real keywords on the line are still keywords.
    assert.deepEqual(scopesOf(tokens, 'hold'), [CTRL]);
    assert.deepEqual(scopesOf(tokens, 'and'), [LOGIC]);
    // A rule named like a keyword prefix is a name, not a keyword.
    expectScopes('rule dose_cap: when x then hold', [['dose_cap', 'entity.name.function.dose']]);
  });

  it('colours a multi-line block comment, and code after it', function () {
    const lines = tokenizeLines(['rule a: when x /* starts here', '   hold when ANC < 500 /uL', '   ends here */ then hold']);
    assert.ok(lines[0].some(([t, s]) => t === 'x' && s.includes(VAR)));
    assert.ok(lines[0].some(([t, s]) => t === '/*' && s.includes(BLOCK_COMMENT) && s.includes('punctuation.definition.comment.begin.dose')));
    for (const [t, s] of lines[1]) assert.deepEqual(s, [BLOCK_COMMENT], `line 2 ${JSON.stringify(t)}`);
    assert.ok(lines[2].some(([t, s]) => t === '*/' && s.includes('punctuation.definition.comment.end.dose')));
    const after = lines[2].filter(([t]) => t === 'then' || t === 'hold');
    assert.equal(after.length, 2);
    for (const [, s] of after) assert.deepEqual(s, [CTRL]);
    // A block comment on one line between code.
    expectScopes('x = 3 /* three */ and y', [
      ['3', NUM],
      [' three ', BLOCK_COMMENT],
      ['and', LOGIC],
    ]);
  });

  const unitCases: Array<[line: string, number: string, unit: string]> = [
    ['when ANC < 500 /uL then hold', '500', '/uL'],
    ['when ANC < 500/uL then hold', '500', '/uL'],
    ['when ANC < 500/μL then hold', '500', '/μL'],
    ['when ANC < 500 µL then hold', '500', 'µL'],
    ['given ANC = 0.4 10*9/L', '0.4', '10*9/L'],
    ['given ANC = 0.5 x10^9/L', '0.5', 'x10^9/L'],
    ['when age >= 75 a then dose 3 mg', '75', 'a'],
    ['dose 4mg oral', '4', 'mg'],
    ['when crcl < 30 mL/min then hold', '30', 'mL/min'],
    ['when bsa > 2 m2 then hold', '2', 'm2'],
    ['dose 1.5e3 mg/m2', '1.5e3', 'mg/m2'],
    ['when ANC < 500 cells/uL then hold', '500', 'cells/uL'],
    ['when hb < 8 g/dL then hold', '8', 'g/dL'],
    ['when x < 5 [iU]/L then hold', '5', '[iU]/L'],
    ['when x < 50 % then hold', '50', '%'],
    ['start 4 mg cycle 21 days', '21', 'days'],
  ];
  for (const [line, number, unit] of unitCases) {
    it(`colours the unit in ${JSON.stringify(line)}`, function () {
      // The whole number and the whole unit are each one token.
      const tokens = expectScopes(line, [
        [number, NUM],
        [unit, UNIT],
      ]);
      assert.deepEqual(scopesOf(tokens, unit), [UNIT]);
    });
  }

  it('colours comparison operators, booleans and logical operators', function () {
    expectScopes('when a <= 1 mg and b >= 2 mg or not c != D and e > 3 mg and f < 4 mg and g = h', [
      ['<=', CMP],
      ['>=', CMP],
      ['!=', CMP],
      ['>', CMP],
      ['<', CMP],
      ['=', CMP],
      ['not', LOGIC],
      ['or', LOGIC],
    ]);
    expectScopes('  given pregnant = false, dialysis = true', [
      ['false', 'constant.language.boolean.dose'],
      ['true', 'constant.language.boolean.dose'],
      ['pregnant', VAR],
    ]);
  });

  it('colours the protocol header and a documented deviation', function () {
    expectScopes('protocol "Pd: pomalidomide + low-dose dexamethasone" {', [
      ['protocol', DECL],
      ['Pd: pomalidomide + low-dose dexamethasone', STR],
    ]);
    expectScopes('  deviation cycle "OPTIMISMM regimen"', [
      ['deviation', OTHER],
      ['cycle', OTHER],
      ['OPTIMISMM regimen', STR],
    ]);
    expectScopes('  requires dexamethasone when x', [['requires', CTRL]]);
    expectScopes('  take after dialysis when dialysis', [
      ['take', CTRL],
      ['after', OTHER],
    ]);
    expectScopes('  alias "Pomalyst", "Imnovid"', [
      ['alias', OTHER],
      ['Pomalyst', STR],
      [',', 'punctuation.separator.comma.dose'],
    ]);
  });

  it('leaves no text of the spec examples uncoloured and no keyword coloured as a name', function () {
    const keywords = new Set(readDocKeywords() ?? []);
    for (const [name, text] of [
      ['label', SPEC_LABEL],
      ['protocol', SPEC_PROTOCOL],
    ] as const) {
      const lines = tokenizeLines(text);
      lines.forEach((tokens, i) => {
        for (const [t, s] of tokens) {
          if (t.trim() === '') continue;
          assert.ok(s.length > 0, `${name} line ${i + 1}: ${JSON.stringify(t)} has no scope`);
          if (keywords.has(t)) assert.ok(!s.includes(VAR), `${name} line ${i + 1}: keyword ${t} coloured as a name`);
        }
      });
    }
  });

  it('docs/language.md lists exactly the keywords the lexer knows', () => {
    assert.deepEqual([...(readDocKeywords() ?? [])].sort(), [...lexerKeywords.keys()].sort());
  });

  it('colours every keyword the lexer knows as a keyword', () => {
    const keywords = [...lexerKeywords.keys()];
    assert.ok(keywords.length > 30, `only ${keywords.length} keywords`);
    for (const kw of keywords) {
      const tokens = tokenize(`x ${kw} y`);
      const tok = tokens.find(([t]) => t === kw || t.split(/\s+/).includes(kw));
      assert.ok(tok, `keyword ${kw} is not a token of its own`);
      assert.ok(isKeywordish(tok[1]), `keyword ${kw} has scopes [${tok[1].join(', ')}]`);
    }
  });
});

describe('language configuration (grammar/language-configuration.json)', function () {
  interface LanguageConfig {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: Array<[string, string]>;
    autoClosingPairs: Array<{ open: string; close: string }>;
    surroundingPairs: Array<[string, string]>;
    folding: { markers: { start: string; end: string } };
    wordPattern: string;
  }
  const config = (): LanguageConfig => JSON.parse(fs.readFileSync(languageConfigPath, 'utf8')) as LanguageConfig;

  it('declares the comment syntax, brackets and pairs', function () {
    const c = config();
    assert.equal(c.comments.lineComment, '//');
    assert.deepEqual(c.comments.blockComment, ['/*', '*/']);
    for (const pair of [
      ['{', '}'],
      ['(', ')'],
    ]) {
      assert.ok(c.brackets.some((b) => b[0] === pair[0] && b[1] === pair[1]), `bracket ${pair}`);
    }
    for (const [open, close] of [
      ['{', '}'],
      ['(', ')'],
      ['"', '"'],
    ]) {
      assert.ok(c.autoClosingPairs.some((p) => p.open === open && p.close === close), `autoClosingPair ${open}`);
      assert.ok(c.surroundingPairs.some((p) => p[0] === open && p[1] === close), `surroundingPair ${open}`);
    }
    assert.ok(new RegExp(c.folding.markers.start).test('  // #region checks'));
    assert.ok(new RegExp(c.folding.markers.end).test('  // #endregion'));
  });

  it('has a wordPattern that keeps underscores inside names', function () {
    const words = 'when holding_pattern and dose_level >= 2 mg'.match(new RegExp(config().wordPattern, 'g'));
    assert.deepEqual(words, ['when', 'holding_pattern', 'and', 'dose_level', '2', 'mg']);
  });
});

/** The keyword list from docs/language.md ("- **Keywords**: `...`"), or undefined when absent. */
function readDocKeywords(): string[] | undefined {
  if (!fs.existsSync(languageDocPath)) return undefined;
  const doc = fs.readFileSync(languageDocPath, 'utf8');
  const m = /\*\*Keywords\*\*:\s*`([^`]+)`/.exec(doc);
  if (!m) return undefined;
  return m[1].split(/\s+/).filter(Boolean);
}
