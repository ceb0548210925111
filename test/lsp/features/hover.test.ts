import assert from 'node:assert/strict';
import { hover } from '../../../server/src/lsp/features/hover.js';
import { analyse, cursor, protocol } from '../../helpers/lsp-fixtures.js';

function hoverAt(marked: string): string {
  const { text, offset } = cursor(marked);
  return hover(analyse(text), offset)?.markdown ?? '';
}

describe('lsp: hover', () => {
  it('on a drug: the label title, aliases and indications', () => {
    const text = hoverAt('protocol "p" {\n  drug poma<|>lidomide\n}');
    assert.match(text, /\*\*pomalidomide\*\* — Pomalidomide \(Pomalyst, Imnovid\), oral capsules/);
    assert.match(text, /Also known as: Pomalyst, Imnovid, CC-4047/);
    assert.match(text, /`multiple_myeloma`/);
    assert.match(text, /source: 003/);
  });

  it('on an unknown drug: the drugs the labels know', () => {
    assert.match(hoverAt('protocol "p" {\n  drug aspi<|>rin\n}'), /No label defines the drug 'aspirin'; the drugs in reach are pomalidomide\./);
  });

  it('on an indication: the label dose and every constraint with its source', () => {
    const text = hoverAt('protocol "p" {\n  drug pomalidomide\n  indication multiple_<|>myeloma\n}');
    assert.match(text, /\*\*Dose:\*\* `dose 4 mg oral once daily days 1-21 cycle 28 days`/);
    assert.match(text, /`hold when platelets < 25000 \/uL until platelets >= 50000 \/uL then resume at most previous - 1 mg` — _source: Pomalidomide label summary \(000\\_60b36539cf3d3ced\.txt\), section "Thrombocytopenia, MM Patients"_/);
    assert.match(text, /`requires dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a`/);
  });

  it('on a fact: title, type, unit, normal value and the label lines that use it', () => {
    const text = hoverAt(protocol('  rule r: when AN<|>C < 500 /uL then hold'));
    assert.match(text, /\*\*ANC\*\* — Absolute neutrophil count/);
    assert.match(text, /quantity in `\/uL` \(per microliter\); normal 4000 \/uL/);
    assert.match(text, /`hold when ANC < 500 \/uL or febrile_neutropenia until ANC >= 500 \/uL then resume at most previous - 1 mg`/);
  });

  it('on a threshold: the value in the fact unit and the label constraint', () => {
    const text = hoverAt(protocol('  rule r: when ANC < 0.<|>4 10*9/L then hold'));
    assert.match(text, /`0\.4 10\*9\/L` = \*\*400 \/uL\*\* \(ANC is measured in `\/uL`\)/);
    assert.match(text, /Label constraints on ANC[\s\S]*hold when ANC < 500 \/uL/);
  });

  it('on a unit: its UCUM name, and the alias it stands for', () => {
    assert.match(hoverAt(protocol('  rule r: when ANC < 0.4 x10^9/<|>L then hold')), /`x10\^9\/L` — billion per liter \(written for UCUM `10\*9\/L`\)/);
    assert.match(hoverAt(protocol('  rule r: when ANC < 500 mc<|>g then hold')), /`mcg`/);
  });

  it('on a start dose: the label dose of the indication', () => {
    const { text, offset } = cursor(protocol('').replace('start 4 mg', 'start <|>5 mg'));
    assert.match(hover(analyse(text), offset)!.markdown, /Label dose for multiple_myeloma:\*\* `dose 4 mg oral once daily/);
  });

  it('on a rule dose: the label caps for the rule facts', () => {
    const text = hoverAt(protocol('  rule d: when dialysis then dose <|>3 mg after dialysis'));
    assert.match(text, /`at most 3 mg when dialysis`/);
    assert.match(text, /`take after dialysis when dialysis`/);
  });

  it('on a rule: what it does, evaluated by the evaluator', () => {
    const text = hoverAt(protocol('  rule d<|>ialysis: when dialysis then dose 3 mg after dialysis\n  rule cyp: when strong_cyp1a2_inhibitor then dose 2 mg'));
    assert.match(text, /\*\*rule dialysis\*\* — fires when `dialysis`; gives \*\*dose 3 mg after dialysis\*\*/);
    assert.match(text, /Evaluated: given `dialysis`, this protocol gives \*\*dose 3 mg after dialysis\*\* \(decided by this rule\)/);
  });

  it('on a rule that another rule overrides: who decides', () => {
    const text = hoverAt(protocol('  rule low<|>: when ANC < 500 /uL then dose 3 mg\n  rule stop: when ANC < 1000 /uL then hold'));
    assert.match(text, /this protocol gives \*\*hold\*\* \(decided by rule stop \(hold\)\)/);
  });

  it('on a test: its result and what decided', () => {
    const text = hoverAt(protocol('  test "ne<|>utropenia" { given ANC = 450 /uL expect hold }'));
    assert.match(text, /✗ fails: expected `hold`, got `dose 4 mg`/);
    assert.match(text, /Decided by start dose/);
  });

  it('on a test with a dose per m2: the amount per m2 and the amount computed from bsa', () => {
    const lines = [
      '  fact bsa "Body surface area": quantity m2 normal 1.8 m2',
      '  with bortezomib 1.3 mg/m2 sc days 1, 8',
      '  test "bs<|>a" { given bsa = 2 m2 expect dose 4 mg, bortezomib 2.6 mg }',
      '  test "per m2" { given day 1 expect dose 4 mg, bortezomib 1.3 mg/m2 }',
    ];
    assert.match(hoverAt(protocol(lines.join('\n'))), /✓ passes: `dose 4 mg, bortezomib 2\.6 mg \(1\.3 mg\/m2 x bsa 2 m2\)`/);
    const perM2 = protocol(lines.join('\n').replace('"bs<|>a"', '"bsa"').replace('"per m2"', '"per<|> m2"'));
    assert.match(hoverAt(perM2), /✓ passes: `dose 4 mg, bortezomib 1\.3 mg\/m2 \(no bsa given: the amount per m2\)`/);
  });

  it('on a deviation: its reason', () => {
    const text = hoverAt(protocol('  deviation cy<|>cle "OPTIMISMM regimen, per protocol committee"'));
    assert.match(text, /Reason: OPTIMISMM regimen, per protocol committee/);
    assert.match(text, /shown as warnings, with this reason: POS3002 CycleDiffers, POS3019 CycleMissing\./);
  });

  it('on a deviation without a reason, or of an unknown topic: the table\'s words', () => {
    assert.match(hoverAt(protocol('  deviation cy<|>cle')), /A deviation must give its reason in quotes, e\.g\. deviation cycle "OPTIMISMM regimen, per protocol committee"\./);
    assert.match(hoverAt(protocol('  deviation do<|>se "x"')), /'dose' is not a finding that can be documented as a deviation; use one of cycle, days, start, with\./);
  });

  it('on an enum value: its fact and the label lines for it', () => {
    const text = hoverAt(protocol('  rule h: when child_pugh = <|>C then dose 2 mg'));
    assert.match(text, /`C` — a value of `child_pugh`/);
    assert.match(text, /`at most 2 mg when child_pugh = C`/);
  });

  it('in a label file: a constraint line with its source and notes', () => {
    const { text, offset } = cursor('label demo "Demo" {\n  fact x "X": boolean\n  indication i "I" {\n    dose 1 mg\n      source "s: dose"\n    ho<|>ld when x\n      source "s: hold"\n      note "why"\n  }\n}');
    const result = hover(analyse(text, '/tmp/demo-label.dose'), offset);
    assert.match(result!.markdown, /\*\*hold\*\* — treatment is held[\s\S]*`hold when x` — _source: s: hold_[\s\S]*- why/);
  });

  it('nothing on whitespace and comments', () => {
    assert.equal(hover(analyse(cursor('// a comm<|>ent\n').text), cursor('// a comm<|>ent\n').offset), undefined);
  });
});
