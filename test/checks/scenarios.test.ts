// Scenarios run where tests run (checks/embedded-tests.ts): step by
// step through the course evaluator, each step a result of its own, failures
// reported at the step's `expect` with expected, actual and what decided.
import assert from 'node:assert/strict';
import { checkAlone, describeFindings } from '../helpers/dose.js';

const LABEL = `label scendrug "A drug for scenarios" {
  fact ANC "Absolute neutrophil count": quantity /uL normal 4000 /uL
  fact platelets "Platelets": quantity /uL normal 250000 /uL
  fact age "Age": quantity a normal 60 a
  indication ind {
    dose 4 mg oral once daily days 1-21 cycle 28 days
      source "test: dose"
  }
}
`;

function run(body: string) {
  const text = `${LABEL}protocol "p" {
  drug scendrug
  indication ind
  start 4 mg oral once daily days 1-21 cycle 28 days
  levels 4 mg, 3 mg, 2 mg
  with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a
  with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a
  before each cycle require platelets >= 50000 /uL
  rule neutropenia: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at previous - 1 level
${body}
}
`;
  const result = checkAlone(text);
  return { text, result, described: describeFindings(result.findings, text) };
}

describe('scenarios in the embedded-tests check', () => {
  it('the SPEC-v2 forms pass: holds, resumes, a delayed cycle with its position, companions', () => {
    const { result, described } = run(`
  scenario "neutropenia" {
    cycle 1 day 1: expect dose 4 mg, dexamethasone 40 mg
    cycle 1 day 8: ANC = 450 /uL expect hold
    cycle 1 day 10: expect hold
    cycle 1 day 15: ANC = 700 /uL expect dose 3 mg, dexamethasone 40 mg
    cycle 2 day 1: expect dose 3 mg
  }
  scenario "a cycle start waits" {
    cycle 1 day 21: expect dose 4 mg
    day 29: platelets = 40000 /uL expect hold, no dexamethasone
    day 36: platelets = 80000 /uL expect dose 4 mg (cycle 2 day 1)
  }
  test "over 75" { given age = 80 a expect dose 4 mg, dexamethasone 20 mg }`);
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error'), [], described);
    assert.equal(result.tests.length, 9);
    assert.ok(result.tests.every((t) => t.passed));
    const step = result.tests.find((t) => t.title === 'neutropenia > cycle 1 day 15');
    assert.equal(step?.scenario, 'neutropenia');
    assert.equal(step?.step, 3);
    assert.equal(step?.actual, 'dose 3 mg, dexamethasone 40 mg');
  });

  it('a failing step is reported at its expect with expected, actual and the state that decided', () => {
    const { text, result } = run(`
  scenario "wrong" {
    cycle 1 day 8: ANC = 450 /uL expect hold
    cycle 1 day 15: ANC = 700 /uL expect dose 4 mg
  }`);
    const failures = result.findings.filter((f) => f.code === 'POS5005');
    assert.equal(failures.length, 1);
    assert.equal(text.slice(failures[0].span.start, failures[0].span.end), 'expect dose 4 mg');
    assert.match(failures[0].message, /Scenario "wrong", cycle 1 day 15 \(day 15 of treatment, cycle 1 day 15\): expected dose 4 mg, got dose 3 mg \(decided by rule neutropenia \(resumed at 3 mg\); dose 3 mg\)/);
    assert.deepEqual(result.tests.map((t) => t.passed), [true, false]);
  });

  it('a wrong companion dose or calendar position fails the step', () => {
    const { result } = run(`
  scenario "companion" {
    cycle 1 day 8: age = 80 a expect dose 4 mg, dexamethasone 40 mg
    day 9: expect dose 4 mg (cycle 1 day 8)
  }`);
    const messages = result.findings.filter((f) => f.code === 'POS5005').map((f) => f.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /expected dexamethasone 40 mg, got dexamethasone 20 mg/);
    assert.match(messages[1], /expected cycle 1 day 8, the calendar is at cycle 1 day 9/);
  });

  it('cycle C day D after a delayed cycle is a finding, and the steps after it do not run', () => {
    const { text, result } = run(`
  scenario "late" {
    day 29: platelets = 40000 /uL expect hold
    cycle 2 day 3: platelets = 80000 /uL expect dose 4 mg
    day 40: expect dose 4 mg
  }`);
    const placement = result.findings.filter((f) => f.code === 'POS5004');
    assert.equal(placement.length, 1);
    assert.equal(text.slice(placement[0].span.start, placement[0].span.end), 'cycle 2 day 3');
    assert.match(placement[0].message, /a cycle was delayed before it; write the day of treatment/);
    assert.deepEqual(result.tests.map((t) => [t.passed, t.error === undefined]), [[true, true], [false, false], [false, false]]);
  });

  it('steps out of order are a finding', () => {
    const { result } = run(`
  scenario "backwards" {
    day 10: expect dose 4 mg
    cycle 1 day 5: expect dose 4 mg
  }`);
    const placement = result.findings.filter((f) => f.code === 'POS5004');
    assert.equal(placement.length, 1);
    assert.match(placement[0].message, /cycle 1 day 5 is day 5 of treatment, not after day 10/);
  });
});
