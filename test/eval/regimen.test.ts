// Whole regimens in the course evaluator (server/src/eval/companions.ts,
// calendar.ts, course.ts): every drug decided day by day, schedules by week,
// rules naming the drugs they act on, a discontinued regimen dosing nothing,
// body-size doses shown per m2 or kg and computed when the fact is given, and
// companion expectations in tests and scenarios.
import assert from 'node:assert/strict';
import { phraseText } from '../../server/src/diagnostics/finding.js';
import {
  companionProblems,
  courseWeek,
  formatActual,
  formatCompanion,
  formatDecision,
  runCourse,
  type CompanionOutcome,
  type DayOutcome,
  type TimelineEntry,
} from '../../server/src/eval/index.js';
import type { FactValue, ResolvedProtocol } from '../../server/src/semantics/model.js';
import { parseUnit, type Unit } from '../../server/src/units/index.js';
import { checkAlone, describeFindings } from '../helpers/dose.js';

const LABEL = `label regdrug "A drug for testing regimens" {
  fact ANC "Absolute neutrophil count": quantity /uL normal 4000 /uL
  fact platelets "Platelets": quantity /uL normal 250000 /uL
  fact age "Age": quantity a normal 60 a
  fact rash "Rash": boolean
  indication ind {
    dose 4 mg oral once daily days 1-21 cycle 28 days
      source "test: dose"
    before each cycle require ANC >= 500 /uL
      source "test: gate"
  }
}
`;

const START = 'start 4 mg oral once daily days 1-21 cycle 28 days';

function protocol(lines: string[], start = START): ResolvedProtocol {
  const body = [start, 'fact bsa "Body surface area": quantity m2 normal 1.8 m2', 'fact weight "Body weight": quantity kg normal 70 kg', ...lines];
  const text = `${LABEL}protocol "p" {\n  drug regdrug\n  indication ind\n${body.map((line) => `  ${line}`).join('\n')}\n}\n`;
  const result = checkAlone(text);
  const errors = result.findings.filter((finding) => /^POS[12]/.test(finding.code));
  assert.deepEqual(errors, [], `the fixture does not resolve:\n${describeFindings(errors, text)}`);
  return result.protocols[0];
}

function timeline(days: Record<number, Record<string, FactValue>>): TimelineEntry[] {
  return Object.entries(days).map(([day, facts]) => ({ day: Number(day), observations: new Map(Object.entries(facts)) }));
}

/** The 1-based treatment days on which `drug` is dosed, with the amount: "1:16 mg/kg". */
function dosingDays(outcomes: DayOutcome[], drug: string): string[] {
  return outcomes.flatMap((outcome) => {
    const companion = outcome.companions.find((item) => item.drug === drug);
    return companion?.decision.kind === 'dose' ? [`${outcome.calendar.treatmentDay}:${companion.decision.amount} ${companion.decision.unit}`] : [];
  });
}

function companion(outcome: DayOutcome, drug: string): CompanionOutcome {
  const found = outcome.companions.find((item) => item.drug === drug);
  assert.ok(found, `no decision for ${drug}`);
  return found;
}

describe('regimens: schedules by week', () => {
  it('weeks are counted on the cycle calendar: week 1 is cycle 1 days 1-7, week 25 is cycle 7 day 1', () => {
    assert.equal(courseWeek({ treatmentDay: 1, cycle: 1, cycleDay: 1, waiting: false }, 28), 1);
    assert.equal(courseWeek({ treatmentDay: 8, cycle: 1, cycleDay: 8, waiting: false }, 28), 2);
    assert.equal(courseWeek({ treatmentDay: 169, cycle: 7, cycleDay: 1, waiting: false }, 28), 25);
    // A delay of 4 days before cycle 2: treatment day 33 is still week 5 (cycle 2 day 1).
    assert.equal(courseWeek({ treatmentDay: 33, cycle: 2, cycleDay: 1, waiting: false }, 28), 5);
    // Without a cycle length, the day of treatment.
    assert.equal(courseWeek({ treatmentDay: 15, cycle: 1, cycleDay: 15, waiting: false }, undefined), 3);
  });

  it('once weekly in weeks 1-8, every 2 weeks in weeks 9-24, every 4 weeks from week 25 (the DPd daratumumab schedule)', () => {
    const p = protocol([
      'with daratumumab 16 mg/kg iv once weekly weeks 1-8',
      'with daratumumab 16 mg/kg iv every 2 weeks weeks 9-24',
      'with daratumumab 16 mg/kg iv every 4 weeks from week 25',
    ]);
    const out = runCourse(p, [], 28 * 9);
    const days = dosingDays(out, 'daratumumab').map((item) => Number(item.split(':')[0]));
    const weekly = [1, 8, 15, 22, 29, 36, 43, 50];
    const twoWeekly = [57, 71, 85, 99, 113, 127, 141, 155];
    const fourWeekly = [169, 197, 225];
    assert.deepEqual(days, [...weekly, ...twoWeekly, ...fourWeekly]);
    // Without the weight fact the decision is per kg.
    assert.equal(dosingDays(out, 'daratumumab')[0], '1:16 mg/kg');
  });

  it('a cycle that waits for its gate holds every drug and shifts the weeks with the cycles', () => {
    const p = protocol(['before each cycle require ANC >= 500 /uL', 'with daratumumab 16 mg/kg iv once weekly weeks 1-8']);
    // ANC below the gate on days 29-31: cycle 2 starts on day 32.
    const out = runCourse(p, timeline({ 29: { ANC: 400 }, 32: { ANC: 900 } }), 40);
    assert.equal(formatDecision(companion(out[28], 'daratumumab').decision), 'hold');
    assert.equal(formatDecision(companion(out[30], 'daratumumab').decision), 'hold');
    assert.deepEqual(dosingDays(out, 'daratumumab').map((item) => Number(item.split(':')[0])), [1, 8, 15, 22, 32, 39]);
  });

  it('cycles 1-8 then from cycle 9 with other days (the PVd bortezomib schedule)', () => {
    const p = protocol(['with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11 cycles 1-2', 'with bortezomib 1.3 mg/m2 sc days 1, 8 from cycle 3'], 'start 4 mg oral once daily days 1-14 cycle 21 days');
    const out = runCourse(p, [], 63);
    const days = dosingDays(out, 'bortezomib').map((item) => Number(item.split(':')[0]));
    assert.deepEqual(days, [1, 4, 8, 11, 22, 25, 29, 32, 43, 50]);
  });
});

describe('regimens: body-size doses', () => {
  it('per m2: shown per m2 without bsa, computed and shown both ways with it', () => {
    const p = protocol(['with bortezomib 1.3 mg/m2 sc days 1, 8']);
    const [without] = runCourse(p, [], 1);
    assert.equal(formatDecision(companion(without, 'bortezomib').decision), 'dose 1.3 mg/m2');
    assert.equal(formatCompanion(companion(without, 'bortezomib')), 'bortezomib 1.3 mg/m2 (no bsa given: the amount per m2)');
    const [given] = runCourse(p, timeline({ 1: { bsa: 1.8 } }), 1);
    assert.equal(formatDecision(companion(given, 'bortezomib').decision), 'dose 2.34 mg');
    assert.equal(formatCompanion(companion(given, 'bortezomib')), 'bortezomib 2.34 mg (1.3 mg/m2 x bsa 1.8 m2)');
  });

  it('per kg: computed from weight, and a new weight changes later doses', () => {
    const p = protocol(['with daratumumab 16 mg/kg iv days 1, 8']);
    const out = runCourse(p, timeline({ 1: { weight: 70 }, 5: { weight: 80 } }), 8);
    assert.equal(formatCompanion(companion(out[0], 'daratumumab')), 'daratumumab 1120 mg (16 mg/kg x weight 70 kg)');
    assert.equal(formatCompanion(companion(out[7], 'daratumumab')), 'daratumumab 1280 mg (16 mg/kg x weight 80 kg)');
  });

  it('an expectation matches the computed amount or the amount per size, and a failure shows both', () => {
    const p = protocol(['with bortezomib 1.3 mg/m2 sc days 1, 8']);
    const given = companion(runCourse(p, timeline({ 1: { bsa: 2 } }), 1)[0], 'bortezomib');
    const without = companion(runCourse(p, [], 1)[0], 'bortezomib');
    const expect = (value: number, unit: string) => [{ drug: 'bortezomib', amount: { value, unit: parse(unit) }, node: {} as never }];
    const problemsOf = (...args: Parameters<typeof companionProblems>) => companionProblems(...args).map(phraseText);
    assert.deepEqual(companionProblems(expect(2.6, 'mg'), [given]), []);
    assert.deepEqual(companionProblems(expect(2600, 'ug'), [given]), []);
    assert.deepEqual(companionProblems(expect(1.3, 'mg/m2'), [given]), []);
    assert.deepEqual(companionProblems(expect(1.3, 'mg/m2'), [without]), []);
    assert.deepEqual(problemsOf(expect(2.34, 'mg'), [given]), ['expected bortezomib 2.34 mg, got bortezomib 2.6 mg (1.3 mg/m2 x bsa 2 m2)']);
    assert.deepEqual(problemsOf(expect(2.34, 'mg'), [without]), ['expected bortezomib 2.34 mg, got bortezomib 1.3 mg/m2 (no bsa given: the amount per m2)']);
    assert.deepEqual(problemsOf(expect(1.5, 'mg/m2'), [given]), ['expected bortezomib 1.5 mg/m2, got bortezomib 2.6 mg (1.3 mg/m2 x bsa 2 m2)']);
    assert.equal(formatActual({ kind: 'dose', amount: 4, unit: 'mg', timing: [] }, [given], expect(2.6, 'mg')), 'dose 4 mg, bortezomib 2.6 mg (1.3 mg/m2 x bsa 2 m2)');
  });
});

describe('regimens: rules naming drugs, a discontinued regimen', () => {
  it('a hold with until that names a companion holds it until recovery, not only while the trigger holds', () => {
    const p = protocol([
      'levels 4 mg, 3 mg, 2 mg',
      'with bortezomib 1.3 mg/m2 sc days 1-21',
      'rule plt: when platelets < 25000 /uL then hold regdrug, bortezomib until platelets >= 50000 /uL then resume at previous - 1 level',
    ]);
    const out = runCourse(p, timeline({ 3: { platelets: 20000 }, 5: { platelets: 40000 }, 7: { platelets: 60000 } }), 7);
    assert.deepEqual(out.map((o) => formatDecision(companion(o, 'bortezomib').decision)), ['dose 1.3 mg/m2', 'dose 1.3 mg/m2', 'hold', 'hold', 'hold', 'hold', 'dose 1.3 mg/m2']);
    assert.deepEqual(out.map((o) => formatDecision(o.decision)), ['dose 4 mg', 'dose 4 mg', 'hold', 'hold', 'hold', 'hold', 'dose 3 mg']);
  });

  it('a hold with until naming only a companion leaves the protocol drug and its dose alone', () => {
    const p = protocol([
      'levels 4 mg, 3 mg, 2 mg',
      'with bortezomib 1.3 mg/m2 sc days 1-21',
      'rule plt: when platelets < 25000 /uL then hold bortezomib until platelets >= 50000 /uL then resume at previous - 1 level',
    ]);
    const out = runCourse(p, timeline({ 2: { platelets: 20000 }, 4: { platelets: 60000 } }), 5);
    assert.deepEqual(out.map((o) => formatDecision(o.decision)), ['dose 4 mg', 'dose 4 mg', 'dose 4 mg', 'dose 4 mg', 'dose 4 mg']);
    assert.deepEqual(out.map((o) => formatDecision(companion(o, 'bortezomib').decision)), ['dose 1.3 mg/m2', 'hold', 'hold', 'dose 1.3 mg/m2', 'dose 1.3 mg/m2']);
  });

  it('a rule naming a companion discontinues it for good; the rest of the regimen goes on', () => {
    const p = protocol(['with daratumumab 16 mg/kg iv days 1, 8, 15', 'with dexamethasone 40 mg oral days 1, 8, 15', 'rule infusion: when rash then discontinue daratumumab']);
    const out = runCourse(p, timeline({ 8: { rash: true }, 9: { rash: false } }), 15);
    assert.equal(formatDecision(companion(out[7], 'daratumumab').decision), 'discontinue');
    assert.equal(formatDecision(companion(out[14], 'daratumumab').decision), 'discontinue');
    assert.equal(formatDecision(companion(out[14], 'dexamethasone').decision), 'dose 40 mg');
    assert.equal(formatDecision(out[14].decision), 'dose 4 mg');
  });

  it('a discontinued regimen doses nothing, whatever the with lines say', () => {
    const p = protocol(['with daratumumab 16 mg/kg iv once weekly', 'with dexamethasone 40 mg oral days 1, 8, 15, 22', 'rule skin: when rash then discontinue']);
    const out = runCourse(p, timeline({ 3: { rash: true }, 4: { rash: false } }), 29);
    for (const outcome of out.slice(2)) {
      assert.equal(formatDecision(outcome.decision), 'discontinue');
      assert.ok(outcome.companions.every((item) => item.decision.kind === 'discontinue'), `day ${outcome.calendar.treatmentDay}`);
    }
    assert.deepEqual(dosingDays(out, 'daratumumab'), ['1:16 mg/kg']);
  });

  it('a hold naming only the protocol drug leaves the companions on their schedule', () => {
    const p = protocol(['levels 4 mg, 3 mg', 'with dexamethasone 40 mg oral days 1, 8', 'rule neutropenia: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at previous - 1 level']);
    const out = runCourse(p, timeline({ 7: { ANC: 400 }, 9: { ANC: 800 } }), 9);
    assert.equal(formatDecision(out[7].decision), 'hold');
    assert.equal(formatDecision(companion(out[7], 'dexamethasone').decision), 'dose 40 mg');
  });
});

function parse(unit: string): Unit {
  const result = parseUnit(unit);
  assert.ok(result.ok, unit);
  return result.unit;
}
