// Verification over courses (docs/verification.md, "Phase 2"): for each example
// protocol, and the SPEC-v2 protocols of test/fixtures/v2 against their label,
// the time of the whole verification and the number of course states searched.
// Kept apart from verify-figures.ts so the two can change independently.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../server/src/checks/analysis.js';
import { verifyProtocol } from '../server/src/verify/index.js';
import { median, round, under, type Figure } from './measure.js';

const repo = path.resolve(fileURLToPath(import.meta.url), '../../..');
const read = (file: string) => ({ path: file, text: fs.readFileSync(path.join(repo, file), 'utf8') });

/** Protocol files and the label each is verified against. */
function cases(): { protocol: string; label: string }[] {
  const examples = fs.readdirSync(path.join(repo, 'examples')).filter((name) => name.endsWith('.dose')).map((name) => ({ protocol: `examples/${name}`, label: 'labels/pomalidomide.dose' }));
  return [
    ...examples,
    { protocol: 'test/fixtures/v2/spec-v2-pd.dose', label: 'test/fixtures/v2/spec-v2-label.dose' },
    // The parser's fixture of every PVd form: unsafe on purpose (a hold where the label discontinues); it must finish, with counterexamples.
    { protocol: 'test/fixtures/v2/spec-v2-pvd.dose', label: 'test/fixtures/v2/spec-v2-label.dose' },
    { protocol: 'test/fixtures/v2/verify-protocol.dose', label: 'test/fixtures/v2/verify-label.dose' },
  ];
}

export function verifyCourses(): Figure[] {
  return cases().map(({ protocol: file, label }) => {
    const source = read(file);
    const [analysis] = analyze([source], [{ ...read(label), path: 'labels/pomalidomide.dose' }]);
    const protocol = analysis.protocols[0];
    // Up to 30 s each: a search the budget stops is reported as stopped, with how far it got.
    const options = { text: source.text, timeBudgetMs: 30_000, courses: true };
    // CPU time (process.cpuUsage): on the shared, loaded machine wall time says more about the others' work.
    const run = () => verifyProtocol(protocol, options);
    const first = cpuTime(run);
    const result = run();
    const long = result.courses !== undefined && (result.courses.transitions > 100_000 || !result.courses.complete);
    // The goal is for the verification a worker repeats as the author types (warmed up); the first
    // one in a process (code not yet optimised, heap not yet grown) is reported beside it.
    const ms = long ? first : cpuMedian(run, 11, 4);
    const courses = result.courses;
    const note = courses
      ? `${result.status} by the ${courses.decidedBy === 'day segments' ? 'search over day segments' : courses.segmentStates !== undefined ? `exact search (after ${courses.segmentStates} states over day segments)` : 'exact search'}; ${courses.statesExplored} course states explored (${courses.coursesCompleted} of ${courses.courses} courses of ${courses.combinations} combinations x ${courses.inputsPerDay} inputs a day, ${courses.transitions} days evaluated, longest ${courses.depth} days)`
      : `${result.status}; no line carries state from day to day: single days only (${result.statesExplored} states)`;
    const runs = long ? '; one run' : `; median of 11 warm runs, the first in this process ${round(first)} ms`;
    return under(`verification over courses of ${file} (CPU)`, ms, 50, 'ms', note + runs);
  });
}

/** The CPU time (user + system) of one run, in ms. */
function cpuTime(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * The median CPU time of `runs` runs after `warmup`, in ms. No forced collection between
 * runs: after `gc()` V8 starts again from a small young generation, and each run then copies
 * its memo through several scavenges (2 to 3 times the time; docs/performance.md).
 */
function cpuMedian(run: () => unknown, runs: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(cpuTime(run));
  return median(times);
}
