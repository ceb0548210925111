// A companion's dosing day the label requires and the protocol's `with` line lacks
// (docs/verification.md, "What is checked each day"): found over courses also on a rest
// day of the protocol's drug (dexamethasone day 22 of a 28-day Pd cycle, a pomalidomide
// rest day), where the check once looked only at days the drug was dosed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/checks/analysis.js';
import { verifyProtocol } from '../../server/src/verify/index.js';
import { root } from './helpers.js';

const LONG = { timeBudgetMs: 60_000, courses: true };
const labelFile = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'labels', 'pomalidomide.dose'), 'utf8') };
const v2Label = { path: 'labels/pomalidomide.dose', text: readFileSync(join(root, 'test', 'fixtures', 'v2', 'spec-v2-label.dose'), 'utf8') };
const DEX40 = 'with dexamethasone 40 mg oral days 1, 8, 15, 22 when age <= 75 a';

/** The file without its own `test` and `scenario` blocks: a committee that makes the mistake writes tests matching it. */
function bare(text: string): string {
  const out: string[] = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const opens = (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
    if (depth === 0 && (trimmed.startsWith('test "') || trimmed.startsWith('scenario "'))) depth = opens;
    else if (depth > 0) depth += opens;
    else out.push(line);
  }
  return out.join('\n');
}

function verify(path: string, text: string, label = labelFile) {
  const [file] = analyze([{ path, text }], [label]);
  assert.equal(file.protocols.length, 1);
  return { file, result: verifyProtocol(file.protocols[0], { text, ...LONG }) };
}

const cases = [
  { name: 'examples/pd-multiple-myeloma.dose', label: labelFile },
  { name: 'examples/dpd-multiple-myeloma.dose', label: labelFile },
  { name: 'test/fixtures/v2/spec-v2-pd.dose', label: v2Label },
];

describe('verify: a companion day the label requires on a rest day of the drug', () => {
  for (const { name, label } of cases) {
    const original = readFileSync(join(root, name), 'utf8');
    it(`${name} without its tests still verifies`, function () {
      this.timeout(120_000);
      const { result } = verify(name, bare(original), label);
      assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
    });
    it(`${name} with dexamethasone 40 mg on days 1, 8, 15 only (no day 22) is not verified: day 22 is named`, function () {
      this.timeout(120_000);
      assert.equal(original.split(DEX40).length, 2, 'the example doses dexamethasone 40 mg on days 1, 8, 15, 22');
      const text = bare(original.replace(DEX40, DEX40.replace('1, 8, 15, 22', '1, 8, 15')));
      const { result } = verify(name, text, label);
      assert.equal(result.status, 'counterexamples', result.findings.map((item) => item.message).join('\n'));
      const found = result.findings.filter((item) => item.severity === 'error' && /requires dexamethasone 40 mg/.test(item.message));
      assert.ok(found.some((item) => /day 22/.test(item.message)), result.findings.map((item) => item.message).join('\n'));
    });
  }
});

describe('verify: weekly companion schedules count weeks on the cycle calendar', () => {
  const original = bare(readFileSync(join(root, 'test', 'fixtures', 'v2', 'spec-v2-pd.dose'), 'utf8'));
  const weekly = (schedule: string) => original.replace(DEX40, DEX40.replace('days 1, 8, 15, 22', schedule));

  it('dexamethasone 40 mg once weekly (days 1, 8, 15, 22 of each 28-day cycle) verifies', function () {
    this.timeout(120_000);
    const { result } = verify('p.dose', weekly('once weekly'), v2Label);
    assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
  });

  it('once weekly in weeks 1-4 only (cycle 1) is not verified: cycle 2 day 1 is named (cycle numbers were merged past the last cycle a condition named)', function () {
    this.timeout(120_000);
    const { result } = verify('p.dose', weekly('once weekly weeks 1-4'), v2Label);
    assert.equal(result.status, 'counterexamples', result.findings.map((item) => item.message).join('\n'));
    assert.ok(result.findings.some((item) => item.severity === 'error' && /cycle 2/.test(item.message) && /requires dexamethasone 40 mg/.test(item.message)), result.findings.map((item) => item.message).join('\n'));
  });
});

describe('verify: a weekly companion in cycles of whole weeks is searched without the day of treatment', () => {
  const DEX20 = 'with dexamethasone 20 mg oral days 1, 8, 15, 22 when age > 75 a';
  for (const schedule of ['once weekly', 'every 1 weeks']) {
    it(`examples/dpd-multiple-myeloma.dose with dexamethasone ${schedule} (its days 1, 8, 15, 22) verifies within the default budget`, function () {
      this.timeout(120_000);
      const original = bare(readFileSync(join(root, 'examples', 'dpd-multiple-myeloma.dose'), 'utf8'));
      const text = original.replace(DEX40, DEX40.replace('days 1, 8, 15, 22', schedule)).replace(DEX20, DEX20.replace('days 1, 8, 15, 22', schedule));
      assert.ok(text.includes(`40 mg oral ${schedule}`) && text.includes(`20 mg oral ${schedule}`));
      const { result } = verify('p.dose', text);
      assert.equal(result.status, 'verified', result.findings.map((item) => item.message).join('\n'));
      assert.ok(result.courses && result.courses.statesExplored * 4 < 200_000, String(result.courses?.statesExplored));
    });
  }
});
