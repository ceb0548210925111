import assert from 'node:assert/strict';
import { completion, type CompletionEntry } from '../../../server/src/lsp/features/completion.js';
import { analyse, cursor, protocol } from '../../helpers/lsp-fixtures.js';
import { keywordsAfter, type ItemPlace } from '../../../server/src/syntax/expected.js';
import { tokenize } from '../../../server/src/syntax/lexer.js';
import { SyntaxKind } from '../../../server/src/syntax/syntax-kind.js';
import { kindOf } from '../../../server/src/syntax/tokens.js';

function complete(marked: string, snippets = true): CompletionEntry[] {
  const { text, offset } = cursor(marked);
  return completion(analyse(text), offset, { snippets });
}

const labels = (entries: CompletionEntry[]) => entries.map((entry) => entry.label);

/** The tokens of one item as `keywordsAfter` reads them. */
const written = (item: string) => tokenize(item).tokens.map((token) => ({ type: SyntaxKind[kindOf(token.tokenType)], image: token.image }));

describe('lsp: completion', () => {
  it('drugs after `drug`, from the labels', () => {
    const entries = complete('protocol "p" {\n  drug <|>\n}');
    assert.deepEqual(labels(entries), ['pomalidomide']);
    assert.match(entries[0].detail ?? '', /Pomalidomide \(Pomalyst/);
  });

  it('indications of the protocol drug after `indication`', () => {
    assert.deepEqual(labels(complete('protocol "p" {\n  drug pomalidomide\n  indication <|>\n}')).sort(), ['kaposi_sarcoma', 'multiple_myeloma']);
  });

  it('the label dose after `start`, and the label schedule after the amount', () => {
    assert.deepEqual(labels(complete('protocol "p" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start <|>\n}')), ['4 mg oral once daily days 1-21 cycle 28 days']);
    const schedule = labels(complete('protocol "p" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start 4 mg <|>\n}'));
    assert.equal(schedule[0], 'oral once daily days 1-21 cycle 28 days');
    assert.ok(schedule.includes('cycle'));
  });

  it('the required combination after `with`, with its label amount', () => {
    const [entry] = complete(protocol('  with <|>'));
    assert.equal(entry.label, 'dexamethasone');
    assert.equal(entry.insertText, 'dexamethasone 40 mg');
  });

  it('facts of the protocol label with their types after `when`, `and`, `(` and `given`', () => {
    for (const marked of [protocol('  rule r: when <|>'), protocol('  rule r: when dialysis and <|>'), protocol('  rule r: when (<|>'), protocol('  test "t" { given <|>')]) {
      const entries = complete(marked);
      const anc = entries.find((entry) => entry.label === 'ANC');
      assert.ok(anc, marked);
      assert.match(anc.detail ?? '', /^quantity \/uL — Absolute neutrophil count/);
      assert.match(entries.find((entry) => entry.label === 'child_pugh')?.detail ?? '', /^one of A, B, C/);
      assert.match(entries.find((entry) => entry.label === 'dialysis')?.detail ?? '', /^boolean/);
      assert.ok(!labels(entries).includes('day') || marked.includes('given'), '`day` is not a fact name in conditions');
    }
  });

  it('enum values after `=` and inside `in (...)`; true and false for yes/no facts', () => {
    assert.deepEqual(labels(complete(protocol('  rule r: when child_pugh = <|>'))), ['A', 'B', 'C']);
    assert.deepEqual(labels(complete(protocol('  rule r: when child_pugh in (<|>'))), ['A', 'B', 'C']);
    assert.deepEqual(labels(complete(protocol('  rule r: when child_pugh in (A, <|>'))), ['A', 'B', 'C']);
    assert.deepEqual(labels(complete(protocol('  test "t" { given child_pugh = <|>'))), ['A', 'B', 'C']);
    assert.deepEqual(labels(complete(protocol('  rule r: when dialysis = <|>'))), ['true', 'false']);
  });

  it("the label's thresholds after a comparison on a quantity", () => {
    const entries = complete(protocol('  rule r: when ANC < <|>'));
    assert.equal(entries[0].label, '500 /uL');
    assert.match(entries[0].detail ?? '', /label: hold when ANC < 500 \/uL or febrile_neutropenia/);
  });

  it('units of the fact dimension after a number, the fact unit first; replacing a half-typed unit', () => {
    const entries = complete(protocol('  rule r: when platelets < 25000 <|>'));
    const names = labels(entries);
    assert.equal(entries.find((entry) => entry.sortText?.startsWith('0'))?.label, '/uL');
    assert.ok(names.includes('10*9/L') && names.includes('/mm3'));
    assert.ok(!names.includes('mg') && !names.includes('mL/min'));
    const { text, offset } = cursor(protocol('  rule r: when platelets < 25000 /u<|>'));
    const typed = completion(analyse(text), offset, { snippets: true });
    assert.deepEqual(typed[0].replace, { start: offset - 2, end: offset });
    assert.equal(typed[0].label, '/uL');
  });

  it('mass units after a dose amount, days after `cycle`', () => {
    assert.ok(labels(complete(protocol('  rule r: when dialysis then dose 3 <|>'))).includes('mg'));
    assert.ok(!labels(complete(protocol('  rule r: when dialysis then dose 3 <|>'))).includes('/uL'));
    const cycle = labels(complete('protocol "p" {\n  drug pomalidomide\n  indication multiple_myeloma\n  start 4 mg cycle 28 <|>\n}'));
    assert.ok(cycle.includes('d') && cycle.includes('wk') && !cycle.includes('mg'));
  });

  it('then, and, or after a complete condition; the label action for the rule facts after then', () => {
    assert.deepEqual(labels(complete(protocol('  rule r: when ANC < 500 /uL <|>'))), ['then', 'and', 'or']);
    const actions = complete(protocol('  rule r: when dialysis then <|>'));
    assert.equal(actions[0].label, 'dose 3 mg after dialysis');
    assert.ok(['hold', 'discontinue', 'no dose', 'dose'].every((action) => labels(actions).includes(action)));
  });

  it('the actions after `then` and `expect` are the ones the grammar accepts there, by their first word', () => {
    const cases: [string, ItemPlace, string][] = [
      [protocol('  rule r: when ANC < 500 /uL then <|>'), 'protocol', 'rule r: when ANC < 500 /uL then'],
      [protocol('  test "t" { given ANC = 400 /uL expect <|>'), 'test', 'given ANC = 400 /uL expect'],
    ];
    for (const [marked, place, item] of cases) {
      const offered = complete(marked).filter((entry) => entry.kind === 'action' && entry.sortText === undefined);
      const grammar = keywordsAfter(place, written(item));
      assert.ok(grammar.length > 0, item);
      assert.deepEqual(new Set(offered.map((entry) => entry.label.split(' ')[0])), new Set(grammar), item);
    }
  });

  it('the timing the label prescribes after `after`', () => {
    assert.deepEqual(labels(complete(protocol('  rule r: when dialysis then dose 3 mg after <|>'))), ['dialysis']);
  });

  it('keywords by position: protocol items, label items, indication lines, test clauses', () => {
    assert.ok(['drug', 'indication', 'start', 'with', 'rule', 'test', 'deviation'].every((word) => labels(complete(protocol('  <|>'))).includes(word)));
    assert.deepEqual(labels(complete('label x "X" {\n  <|>\n}')), ['fact', 'indication', 'source', 'note', 'alias', 'document']);
    assert.deepEqual(labels(complete('label x "X" {\n  indication i {\n    <|>\n  }\n}')), ['dose', 'requires', 'hold when', 'discontinue when', 'at most', 'source', 'note', 'take after', 'lowest dose', 'before each cycle require']);
    assert.deepEqual(labels(complete(protocol('  test "t" { given dialysis <|>'))), ['expect']);
    assert.deepEqual(labels(complete('label x "X" {\n  fact f "F": <|>\n}')), ['boolean', 'quantity', 'one of']);
  });

  it('`source` wherever the grammar takes one: in a protocol too, with its snippet, as in a label', () => {
    for (const marked of [protocol('  <|>'), 'protocol "p" {\n  drug pomalidomide\n  <|>\n}', 'label x "X" {\n  <|>\n}', 'label x "X" {\n  indication i {\n    <|>\n  }\n}']) {
      const source = complete(marked).find((entry) => entry.label === 'source');
      assert.ok(source, marked);
      assert.equal(source.insertText, 'source "${1:file}: ${2:section}"');
      assert.equal(source.detail, 'where the line before comes from');
      assert.equal(complete(marked, false).find((entry) => entry.label === 'source')?.insertText, 'source "file: section"');
    }
  });

  it('offers every keyword the grammar starts an item with, in each block, and no other', () => {
    const places: [string, string][] = [
      ['top', '<|>'], ['label', 'label x "X" {\n  <|>\n}'], ['indication', 'label x "X" {\n  indication i {\n    <|>\n  }\n}'],
      ['protocol', 'protocol "p" {\n  <|>\n}'], ['test', protocol('  test "t" {\n    <|>')], ['scenario', protocol('  scenario "s" {\n    <|>')],
    ];
    for (const [place, marked] of places) {
      const words = complete(marked, false).filter((entry) => entry.kind === 'keyword').map((entry) => entry.label.split(' ')[0]);
      assert.deepEqual(words, keywordsAfter(place as ItemPlace, []), place);
    }
  });

  it('keywords inside an item as the grammar accepts them: a schedule after a combination drug, `most` after `at`, `dose` after `no`', () => {
    assert.deepEqual(labels(complete(protocol('  with dexamethasone <|>'))), ['when', 'once', 'twice', 'days', 'day', 'cycle', 'every', 'weeks', 'cycles', 'from']);
    assert.deepEqual(labels(complete('label x "X" {\n  indication i {\n    at <|>\n  }\n}')), ['most']);
    assert.deepEqual(labels(complete(protocol('  rule r: when dialysis then no <|>'))), ['dose']);
    assert.deepEqual(labels(complete(protocol('  drug pomalidomide <|>'))), []);
  });

  it('the checker\'s missing rules where a rule may go', () => {
    const entries = complete(protocol('  rule neutropenia: when ANC < 500 /uL or febrile_neutropenia then hold\n  <|>'));
    const rules = entries.filter((entry) => entry.kind === 'snippet').map((entry) => entry.label);
    assert.ok(rules.includes('rule platelets: when platelets < 25000 /uL then hold until platelets >= 50000 /uL then resume at previous - 1 mg'));
    assert.ok(!rules.some((rule) => rule.includes('ANC < 500')), 'a covered constraint is not offered');
  });

  it('protocol skeletons from every label indication at the top level, only with snippet support', () => {
    const entries = complete('<|>');
    const skeleton = entries.find((entry) => entry.label === 'protocol for pomalidomide — kaposi_sarcoma');
    assert.ok(skeleton?.snippet);
    assert.match(skeleton.insertText ?? '', /^protocol "\$\{1:pomalidomide for kaposi sarcoma\}" \{\n {2}drug pomalidomide\n {2}indication kaposi_sarcoma\n {2}start 5 mg oral once daily days 1-21 cycle 28 days/);
    assert.ok(!complete('<|>', false).some((entry) => entry.kind === 'snippet'));
    assert.ok(complete('<|>', false).every((entry) => !entry.snippet));
  });

  it('nothing inside comments and strings', () => {
    assert.deepEqual(complete(protocol('  // when <|>')), []);
    assert.deepEqual(complete(protocol('  note "when <|>"')), []);
  });
});
