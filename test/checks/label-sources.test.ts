// server/src/checks/label-sources.ts: POS3014 a label line without a source.
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/checks/analysis.js';
import { LABEL_PATH, dedent, expectFindingsIn, fixture, labelSource } from '../helpers/dose.js';

const LABEL_FILE = '/virtual/labels/testdrug.dose';

function labelFindings(source: string) {
  const { text, expected } = fixture(source);
  const [result] = analyze([{ path: LABEL_FILE, text }]);
  return { text, expected, findings: result.findings };
}

describe('checks: label sources (label-sources.ts)', () => {
  it('finds no line without a source in labels/pomalidomide.dose', () => {
    const [result] = analyze([labelSource()]);
    assert.equal(result.path, LABEL_PATH);
    assert.deepEqual(result.findings, []);
  });

  it('reports each dose, requirement and constraint without a source, as a warning on the whole line', () => {
    const { text, expected, findings } = labelFindings(`
      label testdrug "Test drug" {
        fact ANC: quantity /uL normal 4000 /uL
        fact flag: boolean
        indication ind {
          dose 10 mg oral once daily days 1-14 cycle 21 days
        //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3014 warning This label line has no \`source\`
          requires helper 20 mg
        //^^^^^^^^^^^^^^^^^^^^^ POS3014 warning
          hold when ANC < 1000 /uL
        //^^^^^^^^^^^^^^^^^^^^^^^^ POS3014 warning
            note "a note is not a source"
          at most 5 mg when flag
            source "seed: caps"
          discontinue when flag
        //^^^^^^^^^^^^^^^^^^^^^ POS3014 warning
            source ""
        }
      }
    `);
    expectFindingsIn(text, expected, findings, { codes: 'all' });
  });

  it('does not withhold checks: a missing source is a warning, not an error in the label', () => {
    const label = dedent(`
      label testdrug {
        fact flag: boolean
        indication ind {
          dose 10 mg oral days 1-14 cycle 21 days
          hold when flag
            source "seed: hold"
        }
      }
    `);
    const protocol = 'protocol "p" {\n  drug testdrug\n  indication ind\n  start 12 mg oral days 1-14 cycle 21 days\n  rule r: when flag then hold\n}\n';
    const [, result] = analyze([{ path: LABEL_FILE, text: label }, { path: '/virtual/p.dose', text: protocol }]);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['POS3001']);
  });
});
