// The course evaluator (server/src/eval/course.ts, label-course.ts,
// scenario.ts): one test per rule of SPEC-v2 "Meaning: one evaluator over a
// course", on small protocols against a small label in the same file.
import assert from 'node:assert/strict';
import {
  PRECEDENCE,
  courseMachine,
  decide,
  formatDecision,
  initialLabelState,
  initialState,
  key,
  labelMachine,
  labelStep,
  runCourse,
  runScenario,
  step,
  type DayOutcome,
  type TimelineEntry,
} from '../../server/src/eval/index.js';
import type { FactValue, ResolvedProtocol } from '../../server/src/semantics/model.js';
import { checkAlone, describeFindings, saidWhy } from '../helpers/dose.js';
import { becauseText } from '../../server/src/verify/course-checks.js';

const LABEL = `label coursedrug "A drug for testing courses" {
  fact ANC "Absolute neutrophil count": quantity /uL normal 4000 /uL
  fact platelets "Platelets": quantity /uL normal 250000 /uL
  fact age "Age": quantity a normal 60 a
  fact bsa "Body surface area": quantity m2 normal 1.8 m2
  fact rash "Rash": boolean
  indication ind {
    dose 4 mg oral once daily days 1-21 cycle 28 days
      source "test: dose"
    lowest dose 2 mg
      source "test: lowest"
    before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL
      source "test: gate"
    hold when ANC < 500 /uL until ANC >= 500 /uL then resume at most previous - 1 mg
      source "test: neutropenia"
    hold when platelets < 25000 /uL until platelets >= 50000 /uL then resume at most same dose
      on recurrence resume at most previous - 1 mg
      source "test: platelets"
    discontinue when rash
      source "test: rash"
    requires dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a
      source "test: dex"
  }
}
`;

const START = 'start 4 mg oral once daily days 1-21 cycle 28 days';

function protocol(lines: string[]): ResolvedProtocol {
  const body = lines.some((line) => line.startsWith('start')) ? lines : [START, ...lines];
  const text = `${LABEL}protocol "p" {\n  drug coursedrug\n  indication ind\n${body.map((line) => `  ${line}`).join('\n')}\n}\n`;
  const result = checkAlone(text);
  const errors = result.findings.filter((finding) => /^POS[12]/.test(finding.code));
  assert.deepEqual(errors, [], `the fixture does not resolve:\n${describeFindings(errors, text)}`);
  assert.equal(result.protocols.length, 1);
  return result.protocols[0];
}

/** A timeline from `{ day: { fact: value } }`. */
function timeline(days: Record<number, Record<string, FactValue>>): TimelineEntry[] {
  return Object.entries(days).map(([day, facts]) => ({ day: Number(day), observations: new Map(Object.entries(facts)) }));
}

/** Each day's decision, "dose 4 mg" / "hold" / ..., from day 1. */
function decisions(outcomes: DayOutcome[]): string[] {
  return outcomes.map((outcome) => formatDecision(outcome.decision));
}

const NEUTROPENIA = 'rule neutropenia: when ANC < 500 /uL then hold until ANC >= 1000 /uL then resume at previous - 1 level';

describe('course evaluator: holds', () => {
  it('a hold with until lasts through days where its when no longer holds, and ends when until holds on a later day', () => {
    const p = protocol(['levels 4 mg, 3 mg, 2 mg', NEUTROPENIA]);
    // ANC 400 on day 3, 700 on day 5 (when false, until false), 1200 on day 8.
    const out = runCourse(p, timeline({ 3: { ANC: 400 }, 5: { ANC: 700 }, 8: { ANC: 1200 } }), 9);
    assert.deepEqual(decisions(out), ['dose 4 mg', 'dose 4 mg', 'hold', 'hold', 'hold', 'hold', 'hold', 'dose 3 mg', 'dose 3 mg']);
    assert.deepEqual(out[5].holding, ['neutropenia']);
    assert.equal(out[5].decidedBy?.name, 'neutropenia');
    assert.deepEqual(out[7].holding, []);
  });

  it('until is not looked at on the day the hold starts', () => {
    const p = protocol(['levels 4 mg, 3 mg, 2 mg', 'rule low: when ANC < 500 /uL then hold until ANC < 600 /uL then resume at same dose']);
    const out = runCourse(p, timeline({ 2: { ANC: 400 }, 3: { ANC: 550 } }), 3);
    assert.deepEqual(decisions(out), ['dose 4 mg', 'hold', 'dose 4 mg']);
  });

  it('a hold with until does not end on a day its when still holds: a patient still febrile when ANC recovers stays held', () => {
    const fever = ['levels 4 mg, 3 mg, 2 mg', 'fact fever "Febrile neutropenia": boolean', 'rule neutropenia: when ANC < 500 /uL or fever then hold until ANC >= 500 /uL then resume at previous - 1 level'];
    const out = runCourse(protocol(fever), timeline({ 2: { ANC: 800, fever: true }, 5: { fever: false } }), 6);
    assert.deepEqual(decisions(out), ['dose 4 mg', 'hold', 'hold', 'hold', 'dose 3 mg', 'dose 3 mg']);
    assert.deepEqual(out[3].holding, ['neutropenia']);
    // one episode, not one per day of fever
    const recurring = [...fever.slice(0, 2), `${fever[2]} on recurrence resume at previous - 2 level`];
    assert.deepEqual(decisions(runCourse(protocol(recurring), timeline({ 2: { ANC: 800, fever: true }, 5: { fever: false } }), 6)), ['dose 4 mg', 'hold', 'hold', 'hold', 'dose 3 mg', 'dose 3 mg']);
  });

  it('a hold without until lasts while its when holds and resumes at the current dose (the v1 meaning)', () => {
    const p = protocol(['rule low: when ANC < 500 /uL then hold']);
    const out = runCourse(p, timeline({ 2: { ANC: 400 }, 3: { ANC: 700 } }), 3);
    assert.deepEqual(decisions(out), ['dose 4 mg', 'hold', 'dose 4 mg']);
  });
});

describe('course evaluator: the current dose', () => {
  it('a resume lowers the dose for the rest of the course, into the next cycle', () => {
    const p = protocol(['levels 4 mg, 3 mg, 2 mg', NEUTROPENIA]);
    const out = runCourse(p, timeline({ 2: { ANC: 400 }, 3: { ANC: 1500 } }), 30);
    assert.equal(formatDecision(out[2].decision), 'dose 3 mg');
    assert.equal(formatDecision(out[20].decision), 'dose 3 mg');
    assert.equal(formatDecision(out[21].decision), 'no dose');
    assert.equal(out[28].calendar.cycle, 2);
    assert.equal(formatDecision(out[28].decision), 'dose 3 mg');
    assert.equal(out[28].dose, 3);
  });

  it('previous - 1 mg subtracts, same dose keeps, an amount sets', () => {
    for (const [target, expected] of [['previous - 1 mg', 'dose 3 mg'], ['same dose', 'dose 4 mg'], ['2.5 mg', 'dose 2.5 mg']] as const) {
      const p = protocol([`rule low: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at ${target}`]);
      const out = runCourse(p, timeline({ 2: { ANC: 400 }, 3: { ANC: 600 } }), 4);
      assert.deepEqual(decisions(out), ['dose 4 mg', 'hold', expected, expected], target);
    }
  });

  it('a dose rule still gives the smallest of the current dose and the rule', () => {
    const p = protocol(['levels 4 mg, 3 mg, 2 mg', NEUTROPENIA, 'rule kids: when age < 18 a then dose 3.5 mg', 'rule old: when age > 80 a then dose 2 mg']);
    const out = runCourse(p, timeline({ 1: { age: 10 }, 2: { ANC: 400 }, 3: { ANC: 1500 }, 4: { age: 90 } }), 4);
    assert.deepEqual(decisions(out), ['dose 3.5 mg', 'hold', 'dose 3 mg', 'dose 2 mg']);
    assert.equal(out[3].decidedBy?.name, 'old');
  });

  it('previous in a resume is the dose last received before the hold began, not the current dose (a dose rule lowered it)', () => {
    // rash: a dose rule gives 3 mg (like a CYP1A2 inhibitor); the current dose stays 4 mg.
    const reduce = 'rule reduce: when rash then dose 3 mg';
    const levels = protocol(['levels 4 mg, 3 mg, 2 mg', NEUTROPENIA, reduce]);
    const out = runCourse(levels, timeline({ 1: { rash: true }, 2: { ANC: 400 }, 3: { ANC: 1500 }, 4: { rash: false } }), 5);
    // Received 3 mg before the hold: previous - 1 level is the level below 3 mg, for the rest of the course.
    assert.deepEqual(decisions(out), ['dose 3 mg', 'hold', 'dose 2 mg', 'dose 2 mg', 'dose 2 mg']);
    assert.equal(out[2].dose, 2);
    for (const [target, expected] of [['previous - 1 mg', 'dose 2 mg'], ['same dose', 'dose 3 mg']] as const) {
      const p = protocol([`rule low: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at ${target}`, reduce]);
      const run = runCourse(p, timeline({ 1: { rash: true }, 2: { ANC: 400 }, 3: { ANC: 600, rash: false } }), 4);
      assert.deepEqual(decisions(run), ['dose 3 mg', 'hold', expected, expected], target);
    }
  });

  it('previous is what was received before the hold began, not on the days it was held or rested', () => {
    // Day 22 is a rest day, the hold starts on day 23: previous is day 21's 4 mg, then a rest-day dose of none is no "previous".
    const p = protocol(['levels 4 mg, 3 mg, 2 mg', NEUTROPENIA]);
    const out = runCourse(p, timeline({ 23: { ANC: 400 }, 30: { ANC: 1500 } }), 30);
    assert.equal(formatDecision(out[20].decision), 'dose 4 mg');
    assert.equal(formatDecision(out[29].decision), 'dose 3 mg');
  });

  it('a resume below the last level discontinues, for good', () => {
    const p = protocol(['levels 4 mg, 3 mg', NEUTROPENIA]);
    const out = runCourse(p, timeline({ 2: { ANC: 400 }, 3: { ANC: 1500 }, 4: { ANC: 300 }, 5: { ANC: 2000 } }), 7);
    assert.deepEqual(decisions(out), ['dose 4 mg', 'hold', 'dose 3 mg', 'hold', 'discontinue', 'discontinue', 'discontinue']);
    assert.match(saidWhy(out[4].reason), /below the lowest dose level/);
  });

  it("a resume below the label's lowest dose discontinues", () => {
    const p = protocol(['rule low: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at previous - 1 mg']);
    const out = runCourse(p, timeline({ 2: { ANC: 400 }, 3: { ANC: 600 }, 4: { ANC: 400 }, 5: { ANC: 600 }, 6: { ANC: 400 }, 7: { ANC: 600 } }), 7);
    // 4 -> 3 -> 2 (the label's lowest) -> 1: below it.
    assert.deepEqual(decisions(out), ['dose 4 mg', 'hold', 'dose 3 mg', 'hold', 'dose 2 mg', 'hold', 'discontinue']);
  });
});

describe('course evaluator: recurrence', () => {
  it('on recurrence applies from the second episode, and episodes are counted', () => {
    const p = protocol([
      'levels 4 mg, 3 mg, 2 mg, 1 mg',
      'rule low: when ANC < 500 /uL then hold until ANC >= 500 /uL then resume at same dose',
      '  on recurrence resume at previous - 1 level',
    ]);
    const out = runCourse(p, timeline({ 2: { ANC: 400 }, 3: { ANC: 600 }, 5: { ANC: 400 }, 6: { ANC: 600 }, 8: { ANC: 400 }, 9: { ANC: 600 } }), 9);
    assert.deepEqual(decisions(out), ['dose 4 mg', 'hold', 'dose 4 mg', 'dose 4 mg', 'hold', 'dose 3 mg', 'dose 3 mg', 'hold', 'dose 2 mg']);
  });
});

describe('course evaluator: cycle-start gates', () => {
  it('a failed gate delays the cycle: hold, the calendar waits, the cycle starts on the first day the gate holds', () => {
    const p = protocol(['before each cycle require ANC >= 500 /uL and platelets >= 50000 /uL']);
    const out = runCourse(p, timeline({ 27: { platelets: 40000 }, 31: { platelets: 80000 } }), 33);
    assert.equal(out[28].calendar.cycle, 2);
    assert.equal(out[28].calendar.cycleDay, 1);
    assert.equal(formatDecision(out[28].decision), 'hold');
    assert.equal(out[28].delayed, true);
    assert.match(saidWhy(out[28].reason), /cycle 2 is delayed: its start requires ANC >= 500 \/uL and platelets >= 50000 \/uL/);
    // Days 29, 30 wait; day 31 is cycle 2 day 1.
    assert.deepEqual(out.slice(28, 33).map((o) => [o.calendar.treatmentDay, o.calendar.cycle, o.calendar.cycleDay, formatDecision(o.decision)]), [
      [29, 2, 1, 'hold'],
      [30, 2, 1, 'hold'],
      [31, 2, 1, 'dose 4 mg'],
      [32, 2, 2, 'dose 4 mg'],
      [33, 2, 3, 'dose 4 mg'],
    ]);
    // Low platelets on days 27-28 (rest days) do not matter inside the cycle.
    assert.equal(formatDecision(out[26].decision), 'no dose');
  });

  it('cycle and day are facts in conditions', () => {
    const p = protocol(['rule day1: when day = 1 and ANC < 1000 /uL then hold', 'rule later: when cycle >= 2 then dose 3 mg']);
    const out = runCourse(p, timeline({ 1: { ANC: 800 } }), 30);
    assert.equal(formatDecision(out[0].decision), 'hold');
    assert.equal(formatDecision(out[1].decision), 'dose 4 mg');
    assert.equal(formatDecision(out[28].decision), 'hold');
    assert.equal(formatDecision(out[29].decision), 'dose 3 mg');
  });
});

describe('course evaluator: the state machine', () => {
  it('step is pure, and key tells states apart', () => {
    const machine = courseMachine(protocol(['levels 4 mg, 3 mg, 2 mg', NEUTROPENIA]));
    const start = initialState(machine);
    const before = key(start);
    const low = new Map<string, FactValue>([['ANC', 400]]);
    const a = step(machine, start, low);
    const b = step(machine, start, low);
    assert.equal(key(start), before);
    assert.equal(key(a.next), key(b.next));
    assert.notEqual(key(a.next), key(step(machine, start, new Map()).next));
    assert.deepEqual(a.next.holding, [true]);
    assert.deepEqual(a.next.episodes, [1]);
  });

  it('a v1 test is a course of one day; previous_dose is the current dose before it', () => {
    const p = protocol(['rule low: when ANC < 500 /uL then hold', 'rule cut: when age > 80 a then dose previous - 1 mg']);
    const state = (facts: Record<string, FactValue>) => new Map(Object.entries(facts));
    assert.equal(formatDecision(decide(p, state({})).decision), 'dose 4 mg');
    assert.equal(formatDecision(decide(p, state({ previous_dose: 3 })).decision), 'dose 3 mg');
    assert.equal(formatDecision(decide(p, state({ previous_dose: 3, age: 85 })).decision), 'dose 2 mg');
    assert.equal(formatDecision(decide(p, state({ day: 24 })).decision), 'no dose');
    assert.equal(formatDecision(decide(p, state({ ANC: 400 })).decision), 'hold');
  });

  it('the precedence is one ordered table', () => {
    assert.deepEqual(PRECEDENCE.map((row) => row.decision), ['discontinue', 'hold', 'no dose', 'dose']);
  });
});

describe('course evaluator: companions', () => {
  it('a with drug follows its own days and its condition, and stops with the regimen', () => {
    const p = protocol([
      'with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a',
      'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a',
      'rule skin: when rash then discontinue',
    ]);
    const out = runCourse(p, timeline({ 8: { age: 80 }, 10: { rash: true } }), 15);
    const dex = out.map((o) => formatDecision(o.companions[0].decision));
    assert.equal(dex[0], 'dose 40 mg');
    assert.equal(dex[1], 'no dose');
    assert.equal(dex[7], 'dose 20 mg');
    assert.equal(dex[14], 'discontinue');
  });

  it('a dose per m2 is computed from bsa; a rule may name the drugs it holds', () => {
    const p = protocol(['with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11 cycles 1-8', 'rule both: when ANC < 500 /uL then hold coursedrug, bortezomib']);
    const out = runCourse(p, timeline({ 1: { bsa: 2 }, 4: { ANC: 400 } }), 4);
    assert.equal(formatDecision(out[0].companions[0].decision), 'dose 2.6 mg');
    assert.equal(out[0].companions[0].written, '1.3 mg/m2');
    assert.equal(formatDecision(out[3].companions[0].decision), 'hold');
    assert.equal(formatDecision(out[3].decision), 'hold');
  });
});

describe('scenarios', () => {
  it('observations carry forward between steps, and the days between steps are evaluated', () => {
    const p = protocol(['levels 4 mg, 3 mg, 2 mg', NEUTROPENIA]);
    const text = p.node;
    assert.ok(text);
    const scenario = {
      title: 's',
      complete: true,
      node: p.node.scenarios[0] ?? ({} as never),
      steps: [
        { at: { kind: 'cycle' as const, cycle: 1, day: 2 }, observations: new Map<string, FactValue>([['ANC', 400]]), expected: { kind: 'hold' as const }, companions: [], node: {} as never },
        // ANC is still 400 on day 6: the hold goes on.
        { at: { kind: 'day' as const, day: 6 }, observations: new Map<string, FactValue>(), expected: { kind: 'hold' as const }, companions: [], node: {} as never },
        { at: { kind: 'day' as const, day: 7 }, observations: new Map<string, FactValue>([['ANC', 1500]]), expected: { kind: 'dose' as const, amount: 3, unit: 'mg', timing: [] }, companions: [], node: {} as never },
      ],
    };
    const run = runScenario(p, scenario);
    assert.deepEqual(run.steps.map((s) => s.passed), [true, true, true]);
    assert.equal(run.days.length, 7);
    assert.deepEqual(decisions(run.days), ['dose 4 mg', 'hold', 'hold', 'hold', 'hold', 'hold', 'dose 3 mg']);
  });
});

describe('the label machine', () => {
  const p = protocol([]);
  const machine = labelMachine(p.label, p.indication, p.facts);
  const run = (days: Record<number, Record<string, FactValue>>, received: (day: number) => number | 'hold', last: number) => {
    let state = initialLabelState(machine, 4);
    let observations = new Map<string, FactValue>();
    const verdicts = [];
    for (let day = 1; day <= last; day++) {
      if (days[day]) observations = new Map([...observations, ...Object.entries(days[day])]);
      const calendar = { treatmentDay: day, cycle: Math.floor((day - 1) / 28) + 1, cycleDay: ((day - 1) % 28) + 1, waiting: false };
      const got = received(day);
      const decision = got === 'hold' ? ({ kind: 'hold' } as const) : ({ kind: 'dose' as const, amount: got, unit: 'mg', timing: [] as string[] });
      const result = labelStep(machine, state, observations, calendar, decision);
      verdicts.push(result.verdict);
      state = result.next;
    }
    return verdicts;
  };

  it('keeps requiring a hold with until while its when still holds, even on a day its until holds', () => {
    const text = `label feverdrug "A drug with a compound trigger" {
  fact ANC "Absolute neutrophil count": quantity /uL normal 4000 /uL
  fact fever "Febrile neutropenia": boolean
  indication ind {
    dose 4 mg oral once daily days 1-21 cycle 28 days
      source "test: dose"
    hold when ANC < 500 /uL or fever until ANC >= 500 /uL then resume at most previous - 1 mg
      source "test: neutropenia"
  }
}
protocol "p" {
  drug feverdrug
  indication ind
  ${START}
}
`;
    const fp = checkAlone(text).protocols[0];
    const feverMachine = labelMachine(fp.label, fp.indication, fp.facts);
    let state = initialLabelState(feverMachine, 4);
    const required: (string | undefined)[] = [];
    const days: Record<number, Record<string, FactValue>> = { 2: { ANC: 800, fever: true }, 4: { fever: false } };
    let observations = new Map<string, FactValue>();
    for (let day = 1; day <= 5; day++) {
      if (days[day]) observations = new Map([...observations, ...Object.entries(days[day])]);
      const calendar = { treatmentDay: day, cycle: 1, cycleDay: day, waiting: false };
      const decision = day >= 2 && day <= 3 ? ({ kind: 'hold' } as const) : ({ kind: 'dose' as const, amount: day === 1 ? 4 : 3, unit: 'mg', timing: [] as string[] });
      const result = labelStep(feverMachine, state, observations, calendar, decision);
      required.push(result.verdict.requires?.kind);
      state = result.next;
    }
    assert.deepEqual(required, [undefined, 'hold', 'hold', undefined, undefined]);
  });

  it('requires hold until recovery on a later day, then allows at most previous - 1 mg for the rest of the course', () => {
    const verdicts = run({ 2: { ANC: 400 }, 3: { ANC: 450 }, 4: { ANC: 600 } }, (day) => (day === 2 || day === 3 ? 'hold' : 4), 6);
    assert.equal(verdicts[0].requires, undefined);
    assert.equal(verdicts[1].requires?.kind, 'hold');
    assert.equal(verdicts[2].requires?.kind, 'hold');
    assert.equal(verdicts[3].requires, undefined);
    assert.equal(verdicts[3].atMost?.amount, 3);
    assert.equal(verdicts[5].atMost?.amount, 3);
    assert.match(becauseText(verdicts[5].atMost?.because ?? { quote: '' }), /hold when ANC < 500 \/uL until ANC >= 500 \/uL then resume at most previous - 1 mg/);
  });

  it('same dose first, previous - 1 mg on recurrence, and below the lowest dose: discontinue', () => {
    const low = { platelets: 20000 };
    const ok = { platelets: 60000 };
    // Episodes on days 2, 5 and 8; the patient receives what the label allows.
    const verdicts = run({ 2: low, 3: ok, 5: low, 6: ok, 8: low, 9: ok, 11: low, 12: ok }, (day) => ([2, 5, 8, 11].includes(day) ? 'hold' : day < 6 ? 4 : day < 9 ? 3 : 2), 12);
    assert.equal(verdicts[2].atMost?.amount, 4);
    assert.equal(verdicts[5].atMost?.amount, 3);
    assert.equal(verdicts[8].atMost?.amount, 2);
    assert.equal(verdicts[11].requires?.kind, 'discontinue');
  });

  it("a cycle's day 1 requires the gate; a discontinue line and companions are reported", () => {
    const verdicts = run({ 28: { platelets: 40000 } }, () => 4, 29);
    assert.equal(verdicts[28].requires?.kind, 'hold');
    assert.match(becauseText(verdicts[28].requires?.because ?? { quote: '' }), /before each cycle require ANC >= 500/);
    assert.deepEqual(verdicts[0].companions.map((c) => [c.drug, c.amount?.value]), [['dexamethasone', 40]]);
    assert.deepEqual(verdicts[1].companions, []);
    const rash = run({ 1: { rash: true } }, () => 4, 2);
    assert.equal(rash[0].requires?.kind, 'discontinue');
    assert.equal(rash[1].requires?.kind, 'discontinue');
  });
});
