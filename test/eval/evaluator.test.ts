// The one evaluator (server/src/eval/index.ts), one rule of the Meaning at a
// time (SPEC "Meaning", docs/semantics.md). Protocols are written as small .dose
// texts against a small label in the same file, resolved through analyze(), and
// decided by calling `decide` directly.
import assert from 'node:assert/strict';
import { decide, formatDecision, sameDecision, type Outcome } from '../../server/src/eval/index.js';
import type { Decision, FactValue, ResolvedProtocol } from '../../server/src/semantics/model.js';
import { checkAlone, describeFindings, saidWhy } from '../helpers/dose.js';

const LABEL = `label evaldrug "A drug for testing the evaluator" {
  fact flag "A yes/no fact": boolean
  fact other "Another yes/no fact": boolean
  fact count "A count with a neutral value": quantity /uL normal 4000 /uL
  fact level "A level with no neutral value": quantity mg/dL
  fact grade "A choice": one of A, B, C
  indication ind {
    dose 10 mg oral once daily days 1-21 cycle 28 days
      source "test: dose"
  }
}
`;

const START = 'start 10 mg oral once daily days 1-21 cycle 28 days';

/** A protocol of `lines` (after drug and indication; a start line unless one is given) against LABEL. */
function protocol(lines: string[]): ResolvedProtocol {
  const body = lines.some((line) => line.startsWith('start')) ? lines : [START, ...lines];
  const text = `${LABEL}protocol "p" {\n  drug evaldrug\n  indication ind\n${body.map((line) => `  ${line}`).join('\n')}\n}\n`;
  const result = checkAlone(text);
  // Checks against the label (3xxx) may object; the text itself must resolve.
  const errors = result.findings.filter((finding) => /^POS[12]/.test(finding.code));
  assert.deepEqual(errors, [], `the fixture does not resolve:\n${describeFindings(errors, text)}`);
  assert.equal(result.protocols.length, 1);
  return result.protocols[0];
}

function decideIn(p: ResolvedProtocol, state: Record<string, FactValue> = {}): Outcome {
  return decide(p, new Map(Object.entries(state)));
}

/** The decision as `posology test` prints it. */
function decision(p: ResolvedProtocol, state: Record<string, FactValue> = {}): string {
  return formatDecision(decideIn(p, state).decision);
}

describe('eval: decide', () => {
  describe('facts not given take a neutral default', () => {
    it('a boolean is false', () => {
      const p = protocol(['rule r: when flag then hold', 'rule s: when not other then dose 8 mg']);
      assert.equal(decision(p), 'dose 8 mg');
      assert.equal(decision(p, { flag: true }), 'hold');
      assert.equal(decision(p, { other: true }), 'dose 10 mg');
    });

    it('a quantity is its declared normal value', () => {
      const below = protocol(['rule r: when count < 5000 /uL then hold']);
      assert.equal(decision(below), 'hold', 'normal 4000 /uL is below 5000 /uL');
      const above = protocol(['rule r: when count < 3000 /uL then hold']);
      assert.equal(decision(above), 'dose 10 mg');
      const equal = protocol(['rule r: when count = 4000 /uL then dose 7 mg']);
      assert.equal(decision(equal), 'dose 7 mg');
    });

    it('a quantity without a normal value is unknown, and every comparison with it is false', () => {
      for (const op of ['<', '<=', '>', '>=', '=', '!=']) {
        const p = protocol([`rule r: when level ${op} 1 mg/dL then hold`]);
        assert.equal(decision(p), 'dose 10 mg', `level ${op} 1 mg/dL`);
      }
      const negated = protocol(['rule r: when not (level > 1 mg/dL) then hold']);
      assert.equal(decision(negated), 'hold', 'not of a false comparison is true');
    });

    it('an enum is unknown: =, != and in are all false, `not (grade = C)` is true', () => {
      const p = protocol([
        'rule eq: when grade = C then dose 9 mg',
        'rule ne: when grade != C then dose 8 mg',
        'rule member: when grade in (A, B, C) then dose 7 mg',
      ]);
      assert.equal(decision(p), 'dose 10 mg');
      const negated = protocol(['rule r: when not (grade = C) then dose 6 mg']);
      assert.equal(decision(negated), 'dose 6 mg');
    });

    it('the day is 1', () => {
      const p = protocol(['start 10 mg oral once daily days 2-21 cycle 28 days']);
      assert.equal(decision(p), 'no dose', 'day 1 is a rest day when dosing starts on day 2');
      assert.equal(decision(p, { day: 2 }), 'dose 10 mg');
    });
  });

  describe('precedence: discontinue, then hold, then a rest day, then the dose', () => {
    const p = () =>
      protocol([
        'rule hold_first: when flag then hold',
        'rule stop: when other then discontinue',
        'rule lower: when grade = A then dose 5 mg',
        'rule rest: when grade = B then no dose',
      ]);

    it('discontinue beats hold, whatever the order of the rules', () => {
      const outcome = decideIn(p(), { flag: true, other: true });
      assert.equal(outcome.decision.kind, 'discontinue');
      assert.equal(outcome.decidedBy?.name, 'stop');
      assert.equal(saidWhy(outcome.reason), 'rule stop (discontinue)');
    });

    it('discontinue beats a rest day', () => {
      assert.equal(decision(p(), { other: true, day: 25 }), 'discontinue');
    });

    it('hold beats a rest day', () => {
      const outcome = decideIn(p(), { flag: true, day: 25 });
      assert.equal(outcome.decision.kind, 'hold');
      assert.equal(saidWhy(outcome.reason), 'rule hold_first (hold)');
    });

    it('hold beats a `no dose` rule and a dose rule', () => {
      assert.equal(decision(p(), { flag: true, grade: 'B' }), 'hold');
      assert.equal(decision(p(), { flag: true, grade: 'A' }), 'hold');
    });

    it('a rest day beats a dose rule', () => {
      const outcome = decideIn(p(), { grade: 'A', day: 22 });
      assert.equal(formatDecision(outcome.decision), 'no dose');
      assert.equal(outcome.decidedBy, undefined);
      assert.equal(saidWhy(outcome.reason), 'rest day 22 of 28');
    });

    it('a `no dose` rule gives no dose on a dosing day, and beats dose rules', () => {
      const outcome = decideIn(p(), { grade: 'B' });
      assert.equal(formatDecision(outcome.decision), 'no dose');
      assert.equal(outcome.decidedBy?.name, 'rest');
      assert.equal(saidWhy(outcome.reason), 'rule rest (no dose)');
      const both = protocol(['rule lower: when flag then dose 5 mg', 'rule rest: when flag then no dose']);
      assert.equal(decision(both, { flag: true }), 'no dose');
    });

    it('otherwise the start dose, decided by no rule', () => {
      const outcome = decideIn(p());
      assert.deepEqual(outcome.decision, { kind: 'dose', amount: 10, unit: 'mg', timing: [] });
      assert.equal(outcome.decidedBy, undefined);
      assert.equal(saidWhy(outcome.reason), 'start dose');
    });
  });

  describe('the dose', () => {
    it('is the smallest of the start dose and every matching dose rule', () => {
      const p = protocol([
        'rule eight: when flag then dose 8 mg',
        'rule five: when other then dose 5 mg',
        'rule six: when grade = A then dose 6 mg',
      ]);
      assert.equal(decision(p, { flag: true }), 'dose 8 mg');
      const outcome = decideIn(p, { flag: true, other: true, grade: 'A' });
      assert.equal(formatDecision(outcome.decision), 'dose 5 mg');
      assert.equal(outcome.decidedBy?.name, 'five');
      assert.equal(saidWhy(outcome.reason), 'rule five (dose)');
    });

    it('never rises above the start dose', () => {
      const p = protocol(['rule more: when flag then dose 12 mg']);
      const outcome = decideIn(p, { flag: true });
      assert.equal(formatDecision(outcome.decision), 'dose 10 mg');
      assert.equal(saidWhy(outcome.reason), 'start dose');
    });

    it('converts a dose written in another unit to the label dose unit', () => {
      const p = protocol(['rule micro: when flag then dose 7500 ug']);
      assert.equal(decision(p, { flag: true }), 'dose 7.5 mg');
    });

    it('reads previous_dose for a relative dose', () => {
      const p = protocol(['rule resume: when flag then dose previous - 2 mg']);
      assert.equal(decision(p, { flag: true, previous_dose: 8 }), 'dose 6 mg');
      assert.equal(decision(p, { flag: true, previous_dose: 6 }), 'dose 4 mg');
    });

    it('takes the start dose as previous_dose when none is given', () => {
      const p = protocol(['rule resume: when flag then dose previous - 2 mg']);
      assert.equal(decision(p, { flag: true }), 'dose 8 mg');
    });

    it('never goes below 0 mg', () => {
      const p = protocol(['rule resume: when flag then dose previous - 2 mg']);
      assert.equal(decision(p, { flag: true, previous_dose: 1 }), 'dose 0 mg');
    });

    it('compares relative and absolute doses: the smaller wins', () => {
      const p = protocol(['rule resume: when flag then dose previous - 1 mg', 'rule cap: when other then dose 6 mg']);
      assert.equal(decision(p, { flag: true, other: true, previous_dose: 8 }), 'dose 6 mg');
      assert.equal(decision(p, { flag: true, other: true, previous_dose: 6 }), 'dose 5 mg');
    });

    it('collects the timings of every matching dose rule, once each', () => {
      const p = protocol([
        'rule a: when flag then dose 8 mg after dialysis',
        'rule b: when other then dose 5 mg',
        'rule c: when grade = A then dose 9 mg after dialysis',
        'rule d: when grade = A then dose 9 mg after breakfast',
        'rule e: when grade = B then dose 9 mg after lunch',
      ]);
      const outcome = decideIn(p, { flag: true, other: true, grade: 'A' });
      assert.equal(outcome.decision.kind, 'dose');
      assert.equal(outcome.decision.kind === 'dose' && outcome.decision.amount, 5, 'the timing of a larger dose still goes with the dose');
      assert.deepEqual(outcome.decision.kind === 'dose' && outcome.decision.timing, ['after dialysis', 'after breakfast']);
      assert.equal(formatDecision(outcome.decision), 'dose 5 mg after dialysis, after breakfast');
      assert.equal(decision(p), 'dose 10 mg', 'no timing without a matching rule');
    });

    it('gives no timing on a rest day', () => {
      const p = protocol(['rule a: when flag then dose 8 mg after dialysis']);
      assert.equal(decision(p, { flag: true, day: 23 }), 'no dose');
    });
  });

  describe('days', () => {
    it('doses on the dosing days and rests on the others', () => {
      const p = protocol([]);
      assert.equal(decision(p, { day: 1 }), 'dose 10 mg');
      assert.equal(decision(p, { day: 21 }), 'dose 10 mg');
      assert.equal(decision(p, { day: 22 }), 'no dose');
      assert.equal(decision(p, { day: 28 }), 'no dose');
    });

    it('wraps days past the cycle length into the next cycle', () => {
      const p = protocol([]);
      assert.equal(decision(p, { day: 29 }), 'dose 10 mg', 'day 29 is day 1 of cycle 2');
      assert.equal(decision(p, { day: 49 }), 'dose 10 mg', 'day 49 is day 21 of cycle 2');
      assert.equal(saidWhy(decideIn(p, { day: 50 }).reason), 'rest day 22 of 28');
      assert.equal(saidWhy(decideIn(p, { day: 56 }).reason), 'rest day 28 of 28');
      assert.equal(decision(p, { day: 57 }), 'dose 10 mg');
    });

    it('reads several day ranges', () => {
      const p = protocol(['start 10 mg oral days 1-3, 8, 15-16 cycle 21 days']);
      const dosed = Array.from({ length: 21 }, (_, i) => i + 1).filter((day) => decision(p, { day }) !== 'no dose');
      assert.deepEqual(dosed, [1, 2, 3, 8, 15, 16]);
    });

    it('doses every day without `days`, and does not wrap without `cycle`', () => {
      const everyDay = protocol(['start 10 mg oral once daily cycle 28 days']);
      assert.equal(decision(everyDay, { day: 27 }), 'dose 10 mg');
      const noCycle = protocol(['start 10 mg oral days 1-21']);
      assert.equal(decision(noCycle, { day: 29 }), 'no dose');
      assert.equal(saidWhy(decideIn(noCycle, { day: 29 }).reason), 'rest day 29');
    });
  });

  describe('conditions', () => {
    it('`in` matches any listed value', () => {
      const p = protocol(['rule r: when grade in (A, B) then hold']);
      assert.equal(decision(p, { grade: 'A' }), 'hold');
      assert.equal(decision(p, { grade: 'B' }), 'hold');
      assert.equal(decision(p, { grade: 'C' }), 'dose 10 mg');
    });

    it('`!=` on an enum and on a quantity', () => {
      const e = protocol(['rule r: when grade != C then hold']);
      assert.equal(decision(e, { grade: 'A' }), 'hold');
      assert.equal(decision(e, { grade: 'C' }), 'dose 10 mg');
      const q = protocol(['rule r: when count != 500 /uL then hold']);
      assert.equal(decision(q, { count: 500 }), 'dose 10 mg');
      assert.equal(decision(q, { count: 501 }), 'hold');
    });

    it('`= true`, `= false` and `!= true` on a boolean', () => {
      const isTrue = protocol(['rule r: when flag = true then hold']);
      assert.equal(decision(isTrue, { flag: true }), 'hold');
      assert.equal(decision(isTrue), 'dose 10 mg');
      const isFalse = protocol(['rule r: when flag = false then hold']);
      assert.equal(decision(isFalse), 'hold');
      assert.equal(decision(isFalse, { flag: true }), 'dose 10 mg');
      const notTrue = protocol(['rule r: when flag != true then hold']);
      assert.equal(decision(notTrue), 'hold');
      assert.equal(decision(notTrue, { flag: true }), 'dose 10 mg');
    });

    it('every comparison operator, at and around its threshold', () => {
      const table: [string, number[]][] = [
        ['<', [499]],
        ['<=', [499, 500]],
        ['>', [501]],
        ['>=', [500, 501]],
        ['=', [500]],
      ];
      for (const [op, matching] of table) {
        const p = protocol([`rule r: when count ${op} 500 /uL then hold`]);
        for (const count of [499, 500, 501]) {
          assert.equal(decision(p, { count }), matching.includes(count) ? 'hold' : 'dose 10 mg', `count = ${count} with ${op} 500 /uL`);
        }
      }
    });

    it('converts thresholds to the unit of the fact: 0.5 10*9/L is 500 /uL', () => {
      const p = protocol(['rule r: when count < 0.5 10*9/L then hold']);
      assert.equal(decision(p, { count: 499 }), 'hold');
      assert.equal(decision(p, { count: 500 }), 'dose 10 mg');
    });

    it('`not`', () => {
      const p = protocol(['rule r: when not flag then hold']);
      assert.equal(decision(p), 'hold');
      assert.equal(decision(p, { flag: true }), 'dose 10 mg');
      const twice = protocol(['rule r: when not not flag then hold']);
      assert.equal(decision(twice, { flag: true }), 'hold');
      assert.equal(decision(twice), 'dose 10 mg');
    });

    it('`and` and `or`, with `and` binding tighter', () => {
      const and = protocol(['rule r: when flag and other then hold']);
      const or = protocol(['rule r: when flag or other then hold']);
      const mixed = protocol(['rule r: when flag or other and grade = A then hold']);
      const grouped = protocol(['rule r: when (flag or other) and grade = A then hold']);
      for (const flag of [false, true]) {
        for (const other of [false, true]) {
          for (const grade of ['A', 'B']) {
            const state = { flag, other, grade };
            const expect = (value: boolean) => (value ? 'hold' : 'dose 10 mg');
            const where = JSON.stringify(state);
            assert.equal(decision(and, state), expect(flag && other), `and ${where}`);
            assert.equal(decision(or, state), expect(flag || other), `or ${where}`);
            assert.equal(decision(mixed, state), expect(flag || (other && grade === 'A')), `mixed ${where}`);
            assert.equal(decision(grouped, state), expect((flag || other) && grade === 'A'), `grouped ${where}`);
          }
        }
      }
    });
  });

  describe('formatDecision and sameDecision', () => {
    const dose = (amount: number, timing: string[] = []): Decision => ({ kind: 'dose', amount, unit: 'mg', timing });

    it('formats each kind of decision', () => {
      assert.equal(formatDecision(dose(4)), 'dose 4 mg');
      assert.equal(formatDecision(dose(2, ['after dialysis'])), 'dose 2 mg after dialysis');
      assert.equal(formatDecision({ kind: 'no dose' }), 'no dose');
      assert.equal(formatDecision({ kind: 'hold' }), 'hold');
      assert.equal(formatDecision({ kind: 'discontinue' }), 'discontinue');
    });

    it('compares kind, amount and the set of timings', () => {
      assert.ok(sameDecision({ kind: 'hold' }, { kind: 'hold' }));
      assert.ok(!sameDecision({ kind: 'hold' }, { kind: 'discontinue' }));
      assert.ok(!sameDecision({ kind: 'no dose' }, dose(4)));
      assert.ok(sameDecision(dose(4), dose(4)));
      assert.ok(!sameDecision(dose(4), dose(3)));
      assert.ok(!sameDecision(dose(2), dose(2, ['after dialysis'])));
      assert.ok(sameDecision(dose(2, ['after a', 'after b']), dose(2, ['after b', 'after a'])));
    });
  });
});
