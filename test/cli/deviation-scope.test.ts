// What a documented deviation may lower, through `posology check` on mutations of the PVd example
// (its tests and scenarios removed: the checker and verifier alone must catch the mistake), with a
// bortezomib label in reach. Each case was found by an adversarial run (2026-12-08) to pass.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { posology } from '../helpers/cli.js';
import { readRepo } from '../helpers/repo.js';

const BORTEZOMIB_LABEL = `label bortezomib "Bortezomib (test label)" {
  fact bsa "Body surface area": quantity m2 normal 1.8 m2
  indication multiple_myeloma "Multiple myeloma" {
    dose 1.3 mg/m2 sc days 1, 4, 8, 11 cycle 21 days
      source "test"
  }
}
`;

function bare(text: string): string {
  const out: string[] = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    const s = line.trim();
    if (depth === 0 && (s.startsWith('test "') || s.startsWith('scenario "'))) {
      depth = line.split('{').length - line.split('}').length;
      continue;
    }
    if (depth > 0) {
      depth += line.split('{').length - line.split('}').length;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

function mutate(subs: Array<[string, string]>): string {
  let text = bare(readRepo('examples', 'pvd-multiple-myeloma.dose'));
  for (const [from, to] of subs) {
    assert.equal(text.split(from).length, 2, `exactly one '${from}'`);
    text = text.replace(from, to);
  }
  return text;
}

interface Finding { code: string; severity: string; message: string }

function check(protocol: string, bortezomib = true): { status: number | null; findings: Finding[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posology-deviation-'));
  fs.mkdirSync(path.join(dir, 'labels'));
  fs.writeFileSync(path.join(dir, 'labels', 'pomalidomide.dose'), readRepo('labels', 'pomalidomide.dose'));
  if (bortezomib) fs.writeFileSync(path.join(dir, 'labels', 'bortezomib.dose'), BORTEZOMIB_LABEL);
  fs.writeFileSync(path.join(dir, 'p.dose'), protocol);
  try {
    const run = posology(['check', '--format', 'json', 'p.dose'], dir);
    return { status: run.status, findings: (JSON.parse(run.stdout) as { findings: Finding[] }).findings };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function errors(run: { findings: Finding[] }): string[] {
  return [...new Set(run.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();
}

const BZ = 'with bortezomib 1.3 mg/m2 sc days 1, 4, 8, 11 cycles 1-8';
const PD20 = 'with dexamethasone 20 mg oral days 1, 2, 4, 5, 8, 9, 11, 12 cycles 1-8 when age <= 75 a';
const PD10 = 'with dexamethasone 10 mg oral days 1, 2, 4, 5, 8, 9, 11, 12 cycles 1-8 when age > 75 a';

describe('deviation scope: `deviation with` lowers only what it documents', function () {
  this.timeout(120000);

  it('the PVd example with a bortezomib label in reach: only the documented warnings (bortezomib days 1, 8 from cycle 9 among them), exit 0', () => {
    const run = check(bare(readRepo('examples', 'pvd-multiple-myeloma.dose')));
    assert.equal(run.status, 0);
    assert.deepEqual(errors(run), []);
    assert.deepEqual([...new Set(run.findings.map((f) => f.code))].sort(), ['POS3002', 'POS3029', 'POS3034']);
  });

  it('never lowers a companion against its own label: bortezomib 13 mg/m2 is an error', () => {
    const run = check(mutate([[BZ, BZ.replace('1.3 mg/m2', '13 mg/m2')]]));
    assert.equal(run.status, 1);
    const found = run.findings.find((f) => f.code === 'POS3012');
    assert.equal(found?.severity, 'error');
    assert.doesNotMatch(found.message, /documented deviation/);
  });

  it('checks a companion\'s days against its own label, never lowered: bortezomib days 1, 2', () => {
    const run = check(mutate([[BZ, BZ.replace('days 1, 4, 8, 11', 'days 1, 2, 8, 11')]]));
    assert.equal(run.status, 1);
    const found = run.findings.find((f) => f.code === 'POS3029' && f.message.startsWith('bortezomib'));
    assert.equal(found?.severity, 'error', JSON.stringify(run.findings));
  });

  it('never lowers a route: dexamethasone iv under `deviation with` is an error', () => {
    const run = check(mutate([[PD20, PD20.replace('oral', 'iv')]]));
    assert.equal(run.status, 1);
    assert.equal(run.findings.find((f) => f.code === 'POS3015')?.severity, 'error');
  });

  it('more drug in a cycle than the label\'s line gives: dexamethasone 40 mg on the eight days', () => {
    const run = check(mutate([[PD20, PD20.replace('20 mg', '40 mg')]]));
    assert.equal(run.status, 1);
    const found = run.findings.find((f) => f.code === 'POS3038');
    assert.equal(found?.severity, 'error');
    assert.match(found.message, /320 mg in cycle 1 \(21 days\) when age <= 75 years/);
  });

  it('twice daily counts: dexamethasone 20 mg twice daily on the eight days (320 mg a cycle)', () => {
    const run = check(mutate([[PD20, PD20.replace('oral', 'oral twice daily')]]));
    assert.equal(run.status, 1);
    assert.ok(errors(run).includes('POS3038'), JSON.stringify(errors(run)));
  });

  it('a band without the companion in a whole cycle: the over-75 line of cycles 1-8 removed', () => {
    const run = check(mutate([[PD10, '']]));
    assert.equal(run.status, 1);
    const found = run.findings.find((f) => f.code === 'POS3039');
    assert.equal(found?.severity, 'error');
    assert.match(found.message, /in cycle 1 when age > 75 years/);
  });

  it('without a bortezomib label in reach the example is unchanged (POS3031 says bortezomib is not checked)', () => {
    const run = check(bare(readRepo('examples', 'pvd-multiple-myeloma.dose')), false);
    assert.equal(run.status, 0);
    assert.deepEqual([...new Set(run.findings.map((f) => f.code))].sort(), ['POS3002', 'POS3029', 'POS3031', 'POS3034']);
  });
});
