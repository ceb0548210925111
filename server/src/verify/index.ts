// Verification with counterexamples (SPEC "Beyond the line-by-line checks",
// docs/verification.md): explore every partition of the patient states that
// matter, run each through the one evaluator, check the decision against the
// label, and report each broken label line as a minimal counterexample, or say
// plainly where the exploration stopped.
import type { Finding } from '../diagnostics/finding.js';
import type { FactValue, ResolvedProtocol } from '../semantics/model.js';
import { makeBudget, type Budget } from './budget.js';
import { makeCounterexample } from './counterexample.js';
import { explore, type Exploration } from './explore.js';
import { counterexampleFinding, incompleteFinding, itemIndent } from './findings.js';
import { labelSpec, type LabelCheck, type LabelSpec } from './label-checks.js';
import { minimize, recheck } from './minimize.js';
import { buildPruner } from './pruning.js';
import { buildSpace, type Space } from './space.js';
import type { Counterexample, VerificationResult, VerifyOptions } from './types.js';

export type { Counterexample, VerificationResult, VerificationStatus, VerifyOptions } from './types.js';
export { DEFAULT_MAX_STATES, DEFAULT_TIME_BUDGET_MS } from './budget.js';

interface Reported {
  example: Counterexample;
  check: LabelCheck;
}

function withheld(protocol: ResolvedProtocol): VerificationResult {
  const label = protocol.label;
  return {
    status: 'withheld', statesExplored: 0, statesTotal: 0, statesEvaluated: 0, counterexamples: [], exploredFacts: [], defaultedFacts: [], findings: [],
    reason: `the ${label.name} label has ${label.errorCount} error(s) of its own; verification against it is withheld`,
  };
}

/**
 * Minimizes each group's state and merges groups that shrink to the same (deciding
 * rule, label line). Once the budget runs out, the remaining groups are reported
 * with their states as found (still real counterexamples) and the run counts as stopped.
 */
function counterexamples(protocol: ResolvedProtocol, spec: LabelSpec, space: Space, run: Exploration, budget: Budget, indent: string): Reported[] {
  const merged = new Map<string, Reported>();
  for (const group of run.groups) {
    const check = group.violation.check;
    const interrupted = run.stopped ? undefined : budget.interrupted();
    if (interrupted) run.stopped = `${interrupted} while minimizing counterexamples`;
    const state: Map<string, FactValue> = run.stopped ? group.state : minimize(protocol, spec, space, group.state, check);
    const decided = recheck(protocol, spec, state, check);
    if (!decided) continue; // cannot happen: minimizing keeps the violation
    const rule = decided.outcome.decidedBy ? protocol.rules.indexOf(decided.outcome.decidedBy) : -1;
    const key = `${rule}:${check.id}`;
    const known = merged.get(key);
    if (known) known.example.count += group.count;
    else merged.set(key, { example: makeCounterexample(protocol, state, decided, group.count, indent), check });
  }
  return [...merged.values()].sort((a, b) => a.example.span.start - b.example.span.start || a.check.id - b.check.id);
}

function statusOf(run: Exploration, space: Space, found: number): { status: VerificationResult['status']; reason?: string } {
  const where = `after ${run.explored} of ${space.total} patient states`;
  if (run.stopped) return { status: 'stopped', reason: `stopped ${where}: ${run.stopped}` };
  if (run.explored !== space.total) return { status: 'stopped', reason: `stopped ${where}: the walk did not cover every state` };
  return { status: found > 0 ? 'counterexamples' : 'verified' };
}

export function verifyProtocol(protocol: ResolvedProtocol, options: VerifyOptions = {}): VerificationResult {
  if (protocol.label.errorCount > 0) return withheld(protocol);
  const budget = makeBudget(options);
  const spec = labelSpec(protocol);
  const space = buildSpace(protocol, spec);
  const run = explore(protocol, spec, space, buildPruner(protocol, space), budget);
  const reported = counterexamples(protocol, spec, space, run, budget, itemIndent(protocol, options.text));
  const { status, reason } = statusOf(run, space, reported.length);
  const findings: Finding[] = reported.map(({ example, check }) => counterexampleFinding(protocol, example, check, options.text));
  if (status === 'stopped') findings.push(incompleteFinding(protocol, run.explored, space.total, run.stopped ?? 'incomplete walk'));
  return {
    status,
    statesExplored: run.explored,
    statesTotal: space.total,
    statesEvaluated: run.evaluated,
    counterexamples: reported.map(({ example }) => example),
    exploredFacts: space.partitions.map((partition) => partition.fact.name),
    defaultedFacts: space.defaulted,
    reason,
    findings,
  };
}
