// An `until ... then resume` belongs to a hold: a discontinuation does not end.
// Written after `discontinue` (in a label or a rule) it is one error on the
// clause (POS1008), the line stays a discontinuation, the lines after it parse,
// and the quick fix removes the clause (never turns the line into a hold).
import assert from 'node:assert/strict';
import type * as ast from '../../server/src/syntax/ast.js';
import { analyze, parseFile } from '../../server/src/checks/analysis.js';
import { parse } from '../../server/src/syntax/parse.js';
import { applyEdits, expectSyntaxErrors, labelSource, LABEL_PATH, MM_HEADER, MM_RULES, PROTOCOL_PATH, protocolText } from '../helpers/dose.js';

function indicationOf(text: string): ast.IndicationDecl {
  return (parse(text).file.blocks[0] as ast.LabelBlock).indications[0];
}

describe('syntax: `until` after a discontinue', () => {
  it('in a label: one error on the whole clause; the discontinuation, its source and the next line are kept', () => {
    const { text } = expectSyntaxErrors(`
      label x "X" {
        fact sjs_ten "SJS/TEN": boolean
        fact ANC "ANC": quantity /uL
        indication i {
          discontinue when sjs_ten until not sjs_ten then resume at most same dose
          //                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS1008 'discontinue' stops the drug for good
            source "s.txt: Skin"
          hold when ANC < 500 /uL until ANC >= 500 /uL then resume at most 3 mg
        }
      }
    `);
    const indication = indicationOf(text);
    assert.deepEqual(indication.constraints.map((item) => item.kind), ['discontinue', 'hold']);
    const [stop, hold] = indication.constraints as ast.StopConstraint[];
    assert.equal(stop.until, undefined);
    assert.equal(stop.source?.text?.value, 's.txt: Skin');
    assert.equal(hold.until?.resume?.target?.kind, 'amount');
  });

  it('on a line of its own, with a recurrence, and with a `then` missing inside: still one error', () => {
    expectSyntaxErrors(`
      label x "X" {
        fact a "A": boolean
        indication i {
          discontinue when a
            until not a then resume at most same dose on recurrence resume at most 1 mg
          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS1008
          discontinue when a until not a resume at previous - 1 level
          //                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS1008
        }
      }
    `);
  });

  it('in a rule, also after the drugs it names: one error; the rule stays a discontinue of those drugs', () => {
    const { text } = expectSyntaxErrors(`
      protocol "p" {
        rule skin: when sjs_ten then discontinue lenalidomide until not sjs_ten then resume at same dose
        //                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS1008
        rule next: when dialysis then hold
      }
    `);
    const [skin, next] = (parse(text).file.blocks[0] as ast.ProtocolBlock).rules;
    assert.equal(skin.action?.kind, 'discontinue');
    assert.deepEqual((skin.action as Extract<ast.Action, { kind: 'discontinue' }>).drugs?.map((drug) => drug.text), ['lenalidomide']);
    assert.equal(next.name?.text, 'next');
  });

  it("the label counts one error, and the quick fix gives back the label's own discontinuation", () => {
    const label = labelSource();
    const line = '    discontinue when sjs_ten\n';
    assert.ok(label.text.includes(line));
    const broken = label.text.replace(line, '    discontinue when sjs_ten until not sjs_ten then resume at most same dose\n');
    const protocol = protocolText([...MM_HEADER, ...MM_RULES]);
    const [result] = analyze([{ path: PROTOCOL_PATH, text: protocol }], [{ path: LABEL_PATH, text: broken }]);
    const withheld = result.findings.filter((item) => item.code === 'POS2012');
    assert.equal(withheld.length, 1, result.findings.map((item) => item.message).join('\n'));
    assert.match(withheld[0].message, / 1 error\(s\) of its own/);
    assert.match(withheld[0].related.map((item) => item.message).join('\n'), /its first error: 'discontinue' stops the drug for good/);

    const [error] = parseFile(LABEL_PATH, broken).syntaxFindings;
    assert.equal(error.code, 'POS1008');
    assert.deepEqual(error.fixes.map((fix) => fix.title), ["Remove the 'until' clause"]);
    assert.equal(applyEdits(broken, error.fixes[0].edits), label.text);
  });
});
