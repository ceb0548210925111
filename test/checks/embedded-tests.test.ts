// server/src/checks/embedded-tests.ts: every `test` block runs through
// the one evaluator; POS5001 on the `expect` of a failing test. Also POS5002, a
// `given` that cannot become a patient state.
import assert from 'node:assert/strict';
import { PROTOCOL_PATH, analyzeProtocol, expectFindings, mm } from '../helpers/dose.js';

describe('checks: embedded tests (embedded-tests.ts)', () => {
  it('runs passing tests and reports what decided', () => {
    const result = analyzeProtocol(
      mm(`
        test "day 1" { given day 1 expect dose 4 mg }
        test "rest week" { given day 24 expect no dose }
        test "grade 4 neutropenia" { given ANC = 0.4 10*9/L expect hold }
        test "dialysis with a CYP1A2 inhibitor" {
          given dialysis, strong_cyp1a2_inhibitor
          expect dose 2 mg after dialysis
        }
        test "day 29 is day 1" { given day 29 expect dose 4 mg }
        test "Child-Pugh B, not on dialysis" { given child_pugh = B, not dialysis expect dose 3 mg }
        test "a reduced current dose" { given renal_impairment, previous_dose = 2 mg expect dose 2 mg }
      `),
    );
    assert.deepEqual(result.findings, []);
    assert.deepEqual(
      result.tests.map((test) => [test.title, test.passed, test.actual, test.decidedBy]),
      [
        ['day 1', true, 'dose 4 mg', 'start dose'],
        ['rest week', true, 'no dose', 'rest day 24 of 28'],
        ['grade 4 neutropenia', true, 'hold', 'rule neutropenia (hold)'],
        ['dialysis with a CYP1A2 inhibitor', true, 'dose 2 mg after dialysis', 'rule cyp1a2 (dose)'],
        ['day 29 is day 1', true, 'dose 4 mg', 'start dose'],
        ['Child-Pugh B, not on dialysis', true, 'dose 3 mg', 'rule hepatic_mild (dose)'],
        ['a reduced current dose', true, 'dose 2 mg', 'current dose'],
      ],
    );
    assert.equal(result.tests[0].file, PROTOCOL_PATH);
    assert.equal(result.tests[0].protocol, 'fixture');
  });

  it('reports a failing test on its `expect`, with the rule that decided', () => {
    const { text, found } = expectFindings(mm(`
      test "ANC 450" { given ANC = 450 /uL expect dose 4 mg }
      //                                   ^^^^^^^^^^^^^^^^ POS5001 error Test "ANC 450" failed: expected dose 4 mg, got hold (decided by rule neutropenia (hold))
    `));
    const [related] = found[0].finding.related;
    assert.equal(related.file, PROTOCOL_PATH);
    assert.ok(text.slice(related.span.start, related.span.end).startsWith('rule neutropenia: when ANC < 500 /uL'));
    const [result] = analyzeProtocol(text).tests;
    assert.deepEqual([result.passed, result.expected, result.actual], [false, 'dose 4 mg', 'hold']);
  });

  it('reports a failure on the `expect` line of a multi-line test', () => {
    expectFindings(mm(`
      test "dialysis" {
        given dialysis
        expect dose 3 mg
      //^^^^^^^^^^^^^^^^ POS5001 error expected dose 3 mg, got dose 3 mg after dialysis
      }
    `));
  });

  it('fails a test whose decision is right but whose timing is not', () => {
    expectFindings(mm(`
      test "timing" { given day 3 expect dose 4 mg after dialysis }
      //                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ POS5001 error (decided by start dose)
    `));
  });

  it('says a rest day decided', () => {
    expectFindings(mm(`
      test "rest" { given day 22 expect dose 4 mg }
      //                         ^^^^^^^^^^^^^^^^ POS5001 error got no dose (decided by rest day 22 of 28)
    `));
  });

  it('does not run a test whose expected decision cannot be read', () => {
    const text = mm('test "bad unit" { given day 1 expect dose 4 /uL }');
    const result = analyzeProtocol(text);
    assert.ok(!result.findings.some((finding) => finding.code === 'POS5001'));
    assert.ok(result.findings.some((finding) => finding.code === 'POS2006'));
    const [test] = result.tests;
    assert.equal(test.passed, false);
    assert.ok(test.error, 'the result says the test could not run');
  });

  describe('POS5002 a given that cannot become a patient state', () => {
    const cases: [string, string][] = [
      [
        `
        test "t" { given dialysis = 3 mg expect hold }
        //                          ^^^^ POS5002 error dialysis is a yes/no fact: write 'dialysis' or 'not dialysis'
        `,
        'a number for a yes/no fact',
      ],
      [
        `
        test "t" { given ANC expect hold }
        //               ^^^ POS5002 error Give ANC a value
        `,
        'a quantity without a value',
      ],
      [
        `
        test "t" { given child_pugh = 3 mg expect hold }
        //                            ^^^^ POS5002 error child_pugh takes one of A, B, C
        `,
        'a number for a choice',
      ],
      [
        `
        test "t" { given ANC = high expect hold }
        //                     ^^^^ POS5002 error ANC needs a number with a unit
        `,
        'a name for a quantity',
      ],
    ];
    for (const [snippet, what] of cases) {
      it(what, () => {
        expectFindings(mm(snippet));
      });
    }
  });

  describe('a test whose given is invalid is not run (it would run on a state nobody wrote)', () => {
    const snippets = [
      'test "t" { given dialysis = 3 mg expect hold }',
      'test "t" { given child_pugh = D expect hold }',
      'test "t" { given ANX = 400 /uL expect hold }',
      'test "t" { given ANC = 400 mg expect hold }',
    ];
    it('reports the given, not a failure, and marks the result as not run', () => {
      for (const snippet of snippets) {
        const result = analyzeProtocol(mm(snippet));
        const codes = result.findings.map((finding) => finding.code);
        assert.ok(codes.some((code) => code !== 'POS5001'), `${snippet}: the given itself is reported`);
        assert.ok(!codes.includes('POS5001'), `${snippet}: no failure reported for a test that could not run: ${codes.join(', ')}`);
        assert.equal(result.tests[0].passed, false, snippet);
        assert.ok(result.tests[0].error, `${snippet}: the result says why the test did not run`);
      }
    });

    it('does not pass a test on a state without its misspelled fact', () => {
      const result = analyzeProtocol(mm('test "t" { given ANX = 100 /uL expect dose 4 mg }'));
      assert.ok(result.findings.some((finding) => finding.code === 'POS2003'));
      assert.equal(result.tests[0].passed, false);
    });
  });
});
