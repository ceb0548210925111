// A label's weekly `requires` counts weeks on the cycle calendar (courseWeek), as a
// protocol's `with` line does: a cycle that waits for its gate shifts the weeks with it.
import assert from 'node:assert/strict';
import { labelCompanions, labelMachine } from '../../server/src/eval/index.js';
import { analyze } from '../../server/src/checks/analysis.js';

const LABEL = `label weekdrug "A drug for testing weekly requires" {
  fact ANC "Absolute neutrophil count": quantity /uL normal 4000 /uL
  indication x "X" {
    dose 4 mg oral once daily days 1-21 cycle 28 days
      source "test"
    requires dexamethasone 40 mg oral once weekly
      source "test"
  }
}
`;
const PROTOCOL = `protocol "p" {
  drug weekdrug
  indication x
  start 4 mg oral once daily days 1-21 cycle 28 days
  with dexamethasone 40 mg oral once weekly
}
`;

describe('the label machine: weekly requires', () => {
  const [file] = analyze([{ path: 'p.dose', text: PROTOCOL }], [{ path: 'labels/weekdrug.dose', text: LABEL }]);
  const p = file.protocols[0];
  const machine = labelMachine(p.label, p.indication, p.facts, 28);
  const required = (calendar: { treatmentDay: number; cycle: number; cycleDay: number }) =>
    labelCompanions(machine, new Map(), { ...calendar, waiting: false }).map((item) => item.drug);

  it('counts weeks from the cycle calendar, not the day of treatment, after a delayed start', () => {
    assert.ok(p, file.findings.map((item) => item.message).join('; '));
    // Cycle 1 waited 4 days for its gate: its day 8 (week 2 starts) is day 12 of treatment.
    assert.deepEqual(required({ treatmentDay: 12, cycle: 1, cycleDay: 8 }), ['dexamethasone']);
    assert.deepEqual(required({ treatmentDay: 8, cycle: 1, cycleDay: 4 }), []);
    // Cycle 2 day 1 (week 5), 7 days late.
    assert.deepEqual(required({ treatmentDay: 36, cycle: 2, cycleDay: 1 }), ['dexamethasone']);
  });
});
