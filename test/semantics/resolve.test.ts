// server/src/semantics/resolve/*: names, units and values of protocols and labels,
// labels that cannot be used, and documented deviations.
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/checks/analysis.js';
import {
  LABEL_PATH,
  PROTOCOL_PATH,
  analyzeProtocol,
  check,
  dedent,
  describeFindings,
  expectFindings,
  expectFindingsIn,
  fixture,
  labelSource,
  mm,
  protocolText,
} from '../helpers/dose.js';

const TEST_LABEL = dedent(`
  label testdrug "Test drug" {
    fact ANC "Absolute neutrophil count": quantity /uL normal 4000 /uL
    fact flag: boolean
    indication ind {
      dose 10 mg oral once daily days 1-14 cycle 21 days
        source "seed: dosage"
      hold when ANC < 1000 /uL
        source "seed: neutropenia"
    }
  }
`);

/** A protocol against TEST_LABEL that breaks the label three ways (start, threshold, test). */
const TEST_PROTOCOL = dedent(`
  protocol "p" {
    drug testdrug
    indication ind
    start 12 mg oral once daily days 1-14 cycle 21 days
    rule anc: when ANC < 500 /uL then hold
    test "t" { given ANC = 900 /uL expect hold }
  }
`);

const LABEL_FILE = '/virtual/labels/testdrug.dose';
const OTHER_LABEL_FILE = '/virtual/other/testdrug.dose';
const PROTOCOL_FILE = '/virtual/p.dose';

describe('semantics: resolve', () => {
  it('checks a protocol against a label in another file (the baseline for the cases below)', () => {
    const [, protocol] = analyze([{ path: LABEL_FILE, text: TEST_LABEL }, { path: PROTOCOL_FILE, text: TEST_PROTOCOL }]);
    assert.deepEqual(protocol.findings.map((finding) => finding.code), ['POS3001', 'POS3004', 'POS5001']);
  });

  describe('drugs', () => {
    it('POS2001 unknown drug, with a suggestion', () => {
      expectFindings(
        mm(`
          drug pomalidomid
          //   ^^^^^^^^^^^ POS2001 error No label defines the drug 'pomalidomid' (did you mean 'pomalidomide'?)
        `),
        { codes: 'all' },
      );
    });

    it('POS2001 unknown drug, without a suggestion when nothing is close', () => {
      const { found } = expectFindings(
        mm(`
          drug aspirin
          //   ^^^^^^^ POS2001 error
        `),
        { codes: 'all' },
      );
      assert.equal(found[0].message, "No label defines the drug 'aspirin'; looked in the files checked");
    });

    it('finds the label by an alias or by its name in any case', () => {
      for (const name of ['Pomalyst', 'pomalyst', 'Imnovid', 'CC4047', 'POMALIDOMIDE']) {
        assert.deepEqual(check(mm(`drug ${name}`)), [], name);
      }
    });
  });

  describe('indications', () => {
    it('POS2002 unknown indication, with a suggestion and the label as related information', () => {
      const { found } = expectFindings(
        mm(`
          indication multiple_myelom
          //         ^^^^^^^^^^^^^^^ POS2002 error The pomalidomide label has no indication 'multiple_myelom' (did you mean 'multiple_myeloma'?)
        `),
        { codes: 'all' },
      );
      assert.equal(found[0].finding.related[0].file, LABEL_PATH);
    });

    it('POS2002 unknown indication lists the label indications when nothing is close', () => {
      expectFindings(
        mm(`
          indication breast_cancer
          //         ^^^^^^^^^^^^^ POS2002 error (the label lists multiple_myeloma, kaposi_sarcoma)
        `),
        { codes: 'all' },
      );
    });
  });

  describe('facts and values', () => {
    it('POS2003 unknown fact in a rule and in a test, with a suggestion', () => {
      expectFindings(mm(`
        rule typo: when ANK < 500 /uL then hold
        //              ^^^ POS2003 error The pomalidomide label has no fact 'ANK' (did you mean 'ANC'?)
        test "t" { given platelet = 1000 /uL expect hold }
        //               ^^^^^^^^ POS2003 error did you mean 'platelets'?
      `));
    });

    it('POS2003 unknown fact without a suggestion', () => {
      const { found } = expectFindings(mm(`
        rule crcl: when creatinine_clearance < 30 mL/min then dose 3 mg
        //              ^^^^^^^^^^^^^^^^^^^^ POS2003 error
      `));
      assert.ok(!found[0].message.includes('did you mean'), found[0].message);
    });

    it('POS2004 unknown enum value, with `=` and with `in`', () => {
      expectFindings(mm(`
        rule hepatic_severe: when child_pugh = D then dose 2 mg
        //                                     ^ POS2004 error 'D' is not a value of child_pugh; it is one of A, B, C
        rule hepatic_mild: when child_pugh in (A, E) then dose 3 mg
        //                                        ^ POS2004 error 'E' is not a value
      `));
    });

    it('POS2008 a fact used as the wrong kind of value', () => {
      expectFindings(mm(`
        rule a: when ANC then hold
        //           ^^^ POS2008 error ANC is a measured quantity
        rule b: when child_pugh < A then hold
        //                      ^ POS2008 error use = or in (...)
        rule c: when dialysis = yes then hold
        //                      ^^^ POS2008 error compare it with true or false
        rule d: when dialysis < 3 mg then hold
        //                      ^^^^ POS2008 error dialysis is a yes/no fact
        rule e: when ANC = high then hold
        //                 ^^^^ POS2008 error compare it with a number and a unit
        rule f: when dialysis in (A) then hold
        //           ^^^^^^^^^^^^^^^ POS2008 error only a choice of values
      `));
    });
  });

  describe('units', () => {
    it('POS2006 a unit of the wrong dimension, at the unit', () => {
      expectFindings(mm(`
        rule neutropenia: when ANC < 500 mg or febrile_neutropenia then hold
        //                               ^^ POS2006 error ANC is measured in /uL (per microliter); 'mg' cannot be converted to it
        test "t" { given platelets = 1000 mg expect hold }
        //                                ^^ POS2006 error platelets is measured in /uL
      `));
      expectFindings(mm(`
        start 4 /uL oral once daily days 1-21 cycle 28 days
        //      ^^^ POS2006 error the dose is measured in mg
      `));
      expectFindings(mm(`
        start 4 mg oral once daily days 1-21 cycle 28 kg
        //                                            ^^ POS2006 error the cycle is measured in d
      `));
    });

    it('POS2005 an unknown unit, at the unit', () => {
      expectFindings(mm(`
        rule thrombocytopenia: when platelets < 25 thou/uL then hold
        //                                         ^^^^^^^ POS2005 error thou
      `));
    });

    it('a missing unit is one error on the number, not two', () => {
      const { text } = fixture(mm('rule neutropenia: when ANC < 500 or febrile_neutropenia then hold'));
      const line = text.split('\n').findIndex((item) => item.includes('rule neutropenia:'));
      const start = text.split('\n').slice(0, line).join('\n').length + 1;
      const end = start + text.split('\n')[line].length;
      const errors = check(text).filter((finding) => finding.severity === 'error' && finding.span.start >= start && finding.span.start <= end);
      assert.equal(errors.length, 1, describeFindings(errors, text));
      assert.match(errors[0].message, /unit/);
      assert.match(errors[0].message, /500/);
    });
  });

  describe('declarations', () => {
    it('POS2009 a rule name declared twice, on the second', () => {
      expectFindings(
        mm(
          `
          rule skin: when sjs_ten then discontinue
          rule skin: when pregnant then discontinue
          //   ^^^^ POS2009 error 'skin' is declared more than once in this protocol
        `,
          { omit: ['pregnancy'] },
        ),
      );
    });

    it('POS2009 a test title used twice, on the second', () => {
      expectFindings(mm(`
        test "day 1" { given day 1 expect dose 4 mg }
        test "day 1" { given day 2 expect dose 4 mg }
        //   ^^^^^^^ POS2009 error 'day 1' is declared more than once in this protocol
      `));
    });

    it('POS2009 a fact or an indication declared twice in a label, on the second', () => {
      const { text, expected } = fixture(`
        label testdrug {
          fact flag: boolean
          fact flag: boolean
          //   ^^^^ POS2009 error 'flag' is declared more than once in this label
          indication ind {
            dose 10 mg
              source "s"
          }
          indication ind {
          //         ^^^ POS2009 error 'ind' is declared more than once in this label
            dose 5 mg
              source "s"
          }
        }
      `);
      const [result] = analyze([{ path: LABEL_FILE, text }]);
      expectFindingsIn(text, expected, result.findings, { codes: 'all' });
    });

    it('POS2010 a protocol without drug, indication or start, on its header', () => {
      const header = (omit: string) =>
        protocolText(['drug pomalidomide', 'indication multiple_myeloma', 'start 4 mg oral once daily days 1-21 cycle 28 days'].filter((line) => !line.startsWith(omit)));
      for (const missing of ['drug', 'indication', 'start']) {
        const text = header(missing);
        const findings = check(text).filter((finding) => finding.code === 'POS2010');
        assert.equal(findings.length, 1, `${missing}: ${describeFindings(findings, text)}`);
        assert.equal(text.slice(findings[0].span.start, findings[0].span.end), 'protocol "fixture"');
        assert.equal(findings[0].message, `This protocol has no \`${missing}\` line`);
      }
    });
  });

  describe('labels that cannot be used', () => {
    it('POS2012 withholds every check and test against a label with errors of its own', () => {
      const broken = TEST_LABEL.replace('hold when ANC < 1000 /uL', 'hold when ANC < 1000 mg');
      const [label, protocol] = analyze([{ path: LABEL_FILE, text: broken }, { path: PROTOCOL_FILE, text: TEST_PROTOCOL }]);
      assert.deepEqual(label.findings.map((finding) => finding.code), ['POS2006']);
      const { expected } = fixture(`
        protocol "p" {
          drug testdrug
          //   ^^^^^^^^ POS2012 error The testdrug label has 1 error(s) of its own; checks and tests against it are withheld
      `);
      expectFindingsIn(TEST_PROTOCOL, expected, protocol.findings, { codes: 'all' });
      assert.deepEqual(protocol.tests, []);
      const [related] = protocol.findings[0].related;
      assert.equal(related.file, LABEL_FILE);
      assert.equal(broken.slice(related.span.start, related.span.end), 'testdrug');
    });

    it('POS2012 also for a label with a syntax error', () => {
      const broken = TEST_LABEL.replace('fact flag: boolean', 'fact flag boolean');
      const [, protocol] = analyze([{ path: LABEL_FILE, text: broken }, { path: PROTOCOL_FILE, text: TEST_PROTOCOL }]);
      assert.deepEqual(protocol.findings.map((finding) => finding.code), ['POS2012']);
    });

    it('POS2011 two labels with the same name: on both labels and on the protocol', () => {
      const results = analyze([
        { path: LABEL_FILE, text: TEST_LABEL },
        { path: OTHER_LABEL_FILE, text: TEST_LABEL },
        { path: PROTOCOL_FILE, text: TEST_PROTOCOL },
      ]);
      const [first, second, protocol] = results;
      for (const [result, other] of [[first, OTHER_LABEL_FILE], [second, LABEL_FILE]] as const) {
        assert.deepEqual(result.findings.map((finding) => finding.code), ['POS2011']);
        const [finding] = result.findings;
        assert.equal(TEST_LABEL.slice(finding.span.start, finding.span.end), 'testdrug');
        assert.deepEqual(finding.related.map((related) => related.file), [other]);
      }
      assert.deepEqual(protocol.findings.map((finding) => finding.code), ['POS2011']);
      const [finding] = protocol.findings;
      assert.equal(TEST_PROTOCOL.slice(finding.span.start, finding.span.end), 'testdrug');
      assert.match(finding.message, /Two labels are named 'testdrug'/);
      assert.deepEqual(finding.related.map((related) => related.file).sort(), [LABEL_FILE, OTHER_LABEL_FILE].sort());
    });

    it('POS2011 when a label name is also another label alias', () => {
      const aliased = TEST_LABEL.replace('label testdrug "Test drug" {', 'label otherdrug "Other" {\n  alias "testdrug"');
      const [, , protocol] = analyze([
        { path: LABEL_FILE, text: TEST_LABEL },
        { path: OTHER_LABEL_FILE, text: aliased },
        { path: PROTOCOL_FILE, text: TEST_PROTOCOL },
      ]);
      assert.deepEqual(protocol.findings.map((finding) => finding.code), ['POS2011']);
    });

    it('uses labels/pomalidomide.dose given as a label source', () => {
      const [result] = analyze([{ path: PROTOCOL_PATH, text: mm() }], [labelSource()]);
      assert.deepEqual(result.findings, []);
      assert.equal(result.protocols[0].label.file, LABEL_PATH);
    });
  });

  describe('deviations', () => {
    it('a deviation with a reason lowers the finding to a warning and shows the reason', () => {
      const { found } = expectFindings(
        mm(`
          start 4 mg oral once daily days 1-14 cycle 21 days
          //                                         ^^^^^^^ POS3002 warning (documented deviation: OPTIMISMM regimen, per protocol committee)
          deviation cycle "OPTIMISMM regimen, per protocol committee"
        `, { omit: ['with dexamethasone'] }),
        { codes: ['POS3002', 'POS3013', 'POS3017'] },
      );
      assert.ok(found[0].message.startsWith('The cycle is 21 days; the label gives 28 days'));
    });

    it('lowers only the finding it names', () => {
      expectFindings(
        mm(`
          start 5 mg oral once daily days 1-21 cycle 21 days
          //    ^^^^ POS3001 error
          //                         ^^^^^^^^^ POS3018 error
          //                                         ^^^^^^^ POS3002 warning
          deviation cycle "OPTIMISMM"
        `),
        { codes: ['POS3001', 'POS3002', 'POS3018'] },
      );
    });

    it('POS3009 a deviation without a reason, and the finding stays an error', () => {
      expectFindings(
        mm(`
          start 4 mg oral once daily days 1-21 cycle 21 days
          //                                         ^^^^^^^ POS3002 error
            deviation cycle
          //^^^^^^^^^^^^^^^ POS3009 error A deviation must give its reason in quotes, e.g. deviation cycle "
        `),
        { codes: ['POS3002', 'POS3009'] },
      );
    });

    it('POS3009 for an empty reason', () => {
      expectFindings(
        mm(`
          start 4 mg oral once daily days 1-21 cycle 21 days
          //                                         ^^^^^^^ POS3002 error
            deviation cycle "  "
          //^^^^^^^^^^^^^^^^^^^^ POS3009 error
        `),
        { codes: ['POS3002', 'POS3009'] },
      );
    });

    it('POS3010 a deviation on something that cannot deviate, listing what can', () => {
      expectFindings(
        mm(`
          deviation threshold "committee decision"
          //        ^^^^^^^^^ POS3010 error 'threshold' is not a finding that can be documented as a deviation; use one of cycle, days, start, with
        `),
        { codes: 'all' },
      );
    });

    it('POS3013 a deviation that nothing needs', () => {
      expectFindings(
        mm(`
            deviation days "days 1-21 as on the label"
          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3013 information Nothing in this protocol deviates from the label's days
        `),
        { codes: 'all' },
      );
    });

    it('POS3013 also for `start` and `with`: a deviation counts as needed only when a finding its table entry lists was reported', () => {
      expectFindings(
        mm(`
            deviation start "the label's start"
          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3013 information Nothing in this protocol deviates from the label's start
            deviation with "the label's dexamethasone"
          //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS3013 information Nothing in this protocol deviates from the label's with
        `),
        { codes: 'all' },
      );
    });
  });

  it('resolves what it can in a protocol whose indication is unknown', () => {
    const result = analyzeProtocol(mm('indication breast_cancer\nrule typo: when ANK < 500 /uL then hold'));
    assert.deepEqual(result.findings.map((finding) => finding.code).sort(), ['POS2002', 'POS2003']);
    assert.deepEqual(result.protocols, []);
  });
});
