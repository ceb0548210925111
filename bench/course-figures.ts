// Verification over courses (docs/verification.md, "Phase 2"): for each example
// protocol, and the SPEC-v2 protocols of test/fixtures/v2 against their label,
// the time of the whole verification and the number of course states searched.
// Kept apart from verify-figures.ts so the two can change independently.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../server/src/checks/analysis.js';
import { verifyProtocol } from '../server/src/verify/index.js';
import { median, under, type Figure } from './measure.js';

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
    const result = verifyProtocol(protocol, options);
    const runs = result.courses && (result.courses.transitions > 100_000 || !result.courses.complete) ? 1 : 5;
    // CPU time (process.cpuUsage): on the shared, loaded machine wall time says more about the others' work.
    const ms = cpuMedian(() => verifyProtocol(protocol, options), runs, 1);
    const courses = result.courses;
    const note = courses
      ? `${result.status} by the ${courses.decidedBy === 'day segments' ? 'search over day segments' : courses.segmentStates !== undefined ? `exact search (after ${courses.segmentStates} states over day segments)` : 'exact search'}; ${courses.statesExplored} course states explored (${courses.coursesCompleted} of ${courses.courses} courses of ${courses.combinations} combinations x ${courses.inputsPerDay} inputs a day, ${courses.transitions} days evaluated, longest ${courses.depth} days)`
      : `${result.status}; no line carries state from day to day: single days only (${result.statesExplored} states)`;
    return under(`verification over courses of ${file} (CPU)`, ms, 50, 'ms', note);
  });
}

/** The median CPU time (user + system) of `runs` runs after `warmup`, in ms. */
function cpuMedian(run: () => unknown, runs: number, warmup: number): number {
  global.gc?.();
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}
