// Unit tests of the smaller feature functions: definition, symbols, folding,
// semantic tokens, code actions, test results and lenses, the protocol skeleton.
import assert from 'node:assert/strict';
import { codeActions } from '../../../server/src/lsp/features/code-actions.js';
import { definition } from '../../../server/src/lsp/features/definition.js';
import { foldingRanges } from '../../../server/src/lsp/features/folding.js';
import { hover } from '../../../server/src/lsp/features/hover.js';
import { semanticTokens } from '../../../server/src/lsp/features/semantic-tokens.js';
import { protocolSkeleton } from '../../../server/src/lsp/features/skeleton.js';
import { documentSymbols } from '../../../server/src/lsp/features/symbols.js';
import { testLenses, testResults } from '../../../server/src/lsp/features/tests.js';
import { lex } from '../../../server/src/lsp/features/tokens.js';
import { analyse, cursor, LABEL_PATH, labelText, protocol } from '../../helpers/lsp-fixtures.js';

describe('lsp: definition', () => {
  const at = (marked: string) => {
    const { text, offset } = cursor(marked);
    return definition(analyse(text), offset).map((target) => ({ file: target.file, text: target.text.slice(target.span.start, target.span.end) }));
  };

  it('from a fact, an enum value, the drug and the indication to the label line', () => {
    assert.deepEqual(at(protocol('  rule r: when plate<|>lets < 25000 /uL then hold')), [{ file: LABEL_PATH, text: 'platelets' }]);
    assert.deepEqual(at(protocol('  rule r: when child_pugh = <|>C then dose 2 mg')), [{ file: LABEL_PATH, text: 'C' }]);
    assert.deepEqual(at('protocol "p" {\n  drug pomali<|>domide\n}'), [{ file: LABEL_PATH, text: 'pomalidomide' }]);
    assert.deepEqual(at('protocol "p" {\n  drug pomalidomide\n  indication kaposi<|>_sarcoma\n}'), [{ file: LABEL_PATH, text: 'kaposi_sarcoma' }]);
  });

  it('from a threshold to the label constraints on its fact, from a combination to its requirement', () => {
    assert.deepEqual(at(protocol('  rule r: when platelets < 2<|>5000 /uL then hold')).map((item) => item.text), ['hold when platelets < 25000 /uL\n      until platelets >= 50000 /uL then resume at most previous - 1 mg']);
    assert.deepEqual(at(protocol('  with dexa<|>methasone 40 mg')).map((item) => item.text), ['requires dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a', 'requires dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a']);
  });
});

describe('lsp: document symbols', () => {
  it('an outline of labels (facts, indications, lines) and protocols (settings, rules, tests)', () => {
    const label = documentSymbols(analyse(labelText, LABEL_PATH).parsed.parse.file, labelText)[0];
    assert.equal(label.name, 'pomalidomide');
    assert.equal(label.kind, 'label');
    assert.ok(label.children.some((child) => child.kind === 'fact' && child.name === 'ANC' && child.detail === 'quantity /uL normal 4000 /uL'));
    const mm = label.children.find((child) => child.name === 'multiple_myeloma')!;
    assert.equal(mm.children[0].name, 'dose 4 mg oral once daily days 1-21 cycle 28 days');
    assert.equal(mm.children[0].detail, '000_60b36539cf3d3ced.txt: Recommended Dosage for MM');
    const text = protocol('  rule r: when dialysis then dose 3 mg\n  test "t" { given dialysis expect dose 3 mg }');
    const outline = documentSymbols(analyse(text).parsed.parse.file, text)[0];
    assert.deepEqual(outline.children.map((child) => [child.kind, child.name]), [
      ['setting', 'drug pomalidomide'], ['setting', 'indication multiple_myeloma'], ['setting', 'start'], ['rule', 'r'], ['test', 't'],
    ]);
    const withScenario = protocol('  scenario "s" {\n    cycle 1 day 8: ANC = 450 /uL expect hold\n    day 29: expect dose 4 mg\n  }');
    const scenario = documentSymbols(analyse(withScenario).parsed.parse.file, withScenario)[0].children.find((child) => child.kind === 'scenario')!;
    assert.deepEqual([scenario.name, scenario.detail], ['s', '2 steps']);
    assert.deepEqual(scenario.children.map((child) => [child.kind, child.name, child.detail]), [['step', 'cycle 1 day 8', 'expect hold'], ['step', 'day 29', 'expect dose 4 mg']]);
  });
});

describe('lsp: folding', () => {
  it('folds blocks, comment runs, block comments and regions', () => {
    const text = '// one\n// two\nprotocol "p" {\n  /* a\n  b */\n  // region tests\n  test "t" {\n    expect hold\n  }\n  // endregion\n}\n';
    const folds = foldingRanges(lex(text).tokens, text).map((fold) => ({ kind: fold.kind, text: text.slice(fold.span.start, fold.span.end) }));
    assert.deepEqual(folds, [
      { kind: 'comment', text: '// one\n// two' },
      { kind: 'block', text: 'protocol "p" {\n  /* a\n  b */\n  // region tests\n  test "t" {\n    expect hold\n  }\n  // endregion\n' },
      { kind: 'comment', text: '/* a\n  b */' },
      { kind: 'region', text: '// region tests\n  test "t" {\n    expect hold\n  }\n  // endregion' },
      { kind: 'block', text: '  test "t" {\n    expect hold\n  ' },
    ]);
  });
});

describe('lsp: semantic tokens', () => {
  it('classifies names by what the tree says they are', () => {
    const text = protocol('  rule r: when child_pugh = C then dose 3 mg after dialysis // c');
    const tokens = semanticTokens(analyse(text).parsed.parse.file, lex(text).tokens);
    const of = (word: string, from = 0) => {
      const start = text.indexOf(word, from);
      const token = tokens.find((item) => item.start === start);
      return token ? [token.type, ...token.modifiers].join('.') : undefined;
    };
    assert.equal(of('pomalidomide'), 'namespace');
    assert.equal(of('multiple_myeloma'), 'class');
    assert.equal(of('rule'), 'keyword');
    assert.equal(of('r:'), 'function.declaration');
    assert.equal(of('child_pugh'), 'property');
    assert.equal(of('C then'), 'enumMember');
    assert.equal(of('mg after'), 'type');
    assert.equal(of('dialysis //'), 'event');
    assert.equal(of('// c'), 'comment');
    assert.equal(of('oral'), 'parameter');
    assert.equal(of('<', text.indexOf('rule')), undefined);
  });
});

describe('lsp: code actions', () => {
  it('offers the fixes of the findings the range touches', () => {
    const text = protocol('  rule r: when ANC < 400 /uL then hold').replace('start 4 mg', 'start 5 mg');
    const doc = analyse(text);
    const at = text.indexOf('400');
    const actions = codeActions(doc.analysis.findings, { start: at, end: at });
    assert.deepEqual(actions.map((action) => action.title), ["Set the threshold to the label's: ANC < 500 /uL"]);
    assert.equal(actions[0].preferred, true);
    const everywhere = codeActions(doc.analysis.findings, { start: 0, end: text.length }).map((action) => action.title);
    assert.ok(everywhere.includes("Set the start dose to the label's 4 mg"));
    assert.ok(everywhere.includes("Add 'with dexamethasone' from the label"));
    assert.ok(everywhere.some((title) => title.startsWith('Add the rule from the label: hold when platelets < 25000 /uL')));
  });
});

describe('lsp: tests and lenses', () => {
  const text = protocol('  rule r: when ANC < 500 /uL then hold\n  test "low" { given ANC = 0.4 10*9/L expect hold }\n  test "wrong" { given ANC = 450 /uL expect dose 4 mg }');

  it('reports each test with expected, actual, what decided and the expect range', () => {
    const [results] = testResults(analyse(text));
    assert.equal(results.title, 'fixture');
    assert.deepEqual(results.tests.map((test) => [test.title, test.passed, test.expected, test.actual, test.decidedBy]), [
      ['low', true, 'hold', 'hold', 'rule r (hold)'],
      ['wrong', false, 'dose 4 mg', 'hold', 'rule r (hold)'],
    ]);
    const wrong = results.tests[1];
    assert.equal(text.slice(wrong.expectSpan.start, wrong.expectSpan.end), 'expect dose 4 mg');
    assert.deepEqual(testResults(analyse(text), { protocolIndex: 0, testTitle: 'low' })[0].tests.map((test) => test.title), ['low']);
  });

  it('says why tests cannot run when the protocol does not resolve', () => {
    const [results] = testResults(analyse(text.replace('drug pomalidomide', 'drug aspirin')));
    assert.equal(results.tests[0].passed, undefined);
    assert.match(results.error ?? '', /No label defines the drug 'aspirin'/);
  });

  it('puts Run all tests over the protocol and Run test over each test', () => {
    const lenses = testLenses(analyse(text));
    assert.deepEqual(lenses.map((lens) => lens.title), ['▶ Run all tests (2)', '✗ 1 failed, 1 passed', '▶ Run test', '▶ Run test', '✗ got hold']);
    assert.deepEqual(lenses[3].run, { protocolIndex: 0, testTitle: 'wrong' });
  });
});

describe('lsp: scenarios in tests, lenses and hover', () => {
  // A protocol's own gate delays cycle 2; the step after it names a planned date, so it
  // cannot be placed (POS5004) and is not run.
  const text = protocol(`  before each cycle require platelets >= 50000 /uL
  scenario "delayed" {
    cycle 1 day 21: expect dose 4 mg
    day 29: platelets = 40000 /uL expect hold
    cycle 2 day 8: platelets = 90000 /uL expect dose 4 mg
  }
  scenario "only observations" {
    day 3: ANC = 3000 /uL
  }`);

  it('a step that cannot be placed is listed as not run, and the scenario stops there', () => {
    const [results] = testResults(analyse(text));
    const [delayed, quiet] = results.scenarios;
    assert.deepEqual(delayed.steps.map((step) => [step.title, step.passed]), [['cycle 1 day 21', true], ['day 29', true], ['cycle 2 day 8', undefined]]);
    assert.equal(delayed.passed, undefined);
    assert.equal(delayed.failed?.title, 'cycle 2 day 8');
    assert.match(delayed.message ?? '', /^cycle 2 day 8: not run: cycle 2 day 8 is a planned date, and a cycle was delayed before it/);
    assert.deepEqual([quiet.steps, quiet.passed], [[], true], 'a scenario of observations only has no step to check, and nothing failed');
    const lenses = testLenses(analyse(text)).map((lens) => lens.title);
    assert.ok(lenses.includes('⚠ not run at cycle 2 day 8'), lenses.join(' | '));
    assert.deepEqual(testResults(analyse(text), { scenarioTitle: 'only observations' })[0].scenarios.map((scenario) => scenario.title), ['only observations']);
  });

  it('hover on a step that cannot be placed says why; on a scenario title, how its steps went', () => {
    const doc = analyse(text);
    const on = (needle: string) => hover(doc, text.indexOf(needle) + 2)?.markdown ?? '';
    assert.match(on('cycle 2 day 8:'), /step 3 of scenario "delayed"[\s\S]*⚠ Not run: cycle 2 day 8 is a planned date/);
    assert.match(on('day 29:'), /Delayed: cycle 2 is delayed: its start requires platelets >= 50000 \/uL/);
    assert.match(on('"delayed"'), /scenario "delayed"\*\* — 3 steps: ✗ 1 of 3 steps fail; first cycle 2 day 8: cycle 2 day 8 is a planned date/);
    assert.match(on('day 3:'), /Calendar: day 3 of treatment, cycle 1 day 3[\s\S]*Observations in force: `ANC = 3000 \/uL`/);
  });

  it('says why a scenario cannot run when the protocol does not resolve', () => {
    const [results] = testResults(analyse(text.replace('drug pomalidomide', 'drug aspirin')));
    assert.equal(results.scenarios[0].passed, undefined);
    assert.match(results.scenarios[0].message ?? '', /No label defines the drug 'aspirin'/);
    assert.match(hover(analyse(text.replace('drug pomalidomide', 'drug aspirin')), text.indexOf('day 29:') + 2)?.markdown ?? '', /Not run: the protocol does not resolve yet/);
  });
});

describe('lsp: protocol skeleton', () => {
  it('checks clean against its label and its tests pass, for every indication', () => {
    const doc = analyse('');
    const label = doc.labels.index.labels()[0];
    for (const indication of label.indications.values()) {
      const skeleton = protocolSkeleton(doc, label, indication);
      const checked = analyse(skeleton.text);
      assert.deepEqual(checked.analysis.findings.map((finding) => `${finding.code} ${finding.message}`), [], indication.name);
      assert.ok(checked.analysis.tests.length >= indication.constraints.length - 1);
      assert.ok(checked.analysis.tests.every((test) => test.passed), indication.name);
    }
  });
});
