// A fact's partition: its candidate values (candidates.ts) with equivalent ones
// merged. Two values are equivalent when every atom on the fact (in the protocol's
// rules and in the label lines verification checks) comes out the same for both,
// and, for `day`, both schedules dose or rest alike, and, for `previous_dose`,
// every relative amount comes out the same. The evaluator and the label checks
// read a fact only through those, so one value per class decides for the class.
// The representative is the default when it is in the class (so counterexamples
// stay minimal), otherwise the smallest value.
import { amountIn, cycleDay, holds, isDosingDay } from '../eval/index.js';
import type { Amount, FactInfo, FactValue, ResolvedProtocol } from '../semantics/model.js';
import { BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { thresholdsOf, type Atom } from './atoms.js';
import { dayCandidates, doseLevelCandidates, relativeAmounts, thresholdCandidates } from './candidates.js';
import { labelDosingDay, type LabelSpec } from './label-checks.js';

export interface Partition {
  fact: FactInfo;
  /** One value per class; index 0 is the default (undefined: left out of the state). */
  values: (FactValue | undefined)[];
  /** Candidate values considered before merging, the default included. */
  candidates: number;
}

export interface PartitionContext {
  protocol: ResolvedProtocol;
  /** The label's schedule, when `day` is explored as a fact (one-day states); courses take the calendar from the machines. */
  spec?: LabelSpec;
  /** Atoms of the rules and the checked label lines, by fact: they tell values apart. */
  atoms: Map<string, Atom[]>;
  /** Atoms of every condition mentioned (`requires` too), by fact: their thresholds give candidates. */
  mentioned: Map<string, Atom[]>;
}

function candidatesFor(fact: FactInfo, context: PartitionContext): (FactValue | undefined)[] {
  const thresholds = thresholdsOf(context.mentioned.get(fact.name) ?? []);
  if (fact.kind === 'boolean') return [undefined, true];
  if (fact.kind === 'enum') return [undefined, ...(fact.values ?? [])];
  if (fact.name === BUILTIN_DAY) return [undefined, ...dayCandidates(context.protocol, thresholds)];
  if (fact.name === BUILTIN_PREVIOUS_DOSE) return [undefined, ...doseLevelCandidates(context.protocol, thresholds)];
  return [undefined, ...thresholdCandidates(thresholds)];
}

function signer(fact: FactInfo, context: PartitionContext): (state: Map<string, FactValue>) => string {
  const { protocol, spec } = context;
  const atoms = context.atoms.get(fact.name) ?? [];
  const facts = protocol.facts;
  const relative: Amount[] = fact.name === BUILTIN_PREVIOUS_DOSE ? relativeAmounts(protocol) : [];
  const isDay = fact.name === BUILTIN_DAY;
  return (state) => {
    let signature = '';
    for (const atom of atoms) signature += holds(atom, state, facts) ? '1' : '0';
    if (isDay) signature += `|${isDosingDay(protocol, cycleDay(protocol, state)) ? 1 : 0}${!spec || labelDosingDay(spec, protocol, state) ? 1 : 0}`;
    for (const amount of relative) signature += `|${amountIn(amount, state, protocol)}`;
    return signature;
  };
}

export function partitionFor(fact: FactInfo, context: PartitionContext): Partition {
  const candidates = candidatesFor(fact, context);
  const sign = signer(fact, context);
  const scratch = new Map<string, FactValue>();
  const seen = new Set<string>();
  const values: (FactValue | undefined)[] = [];
  for (const value of candidates) {
    scratch.clear();
    if (value !== undefined) scratch.set(fact.name, value);
    const signature = sign(scratch);
    if (seen.has(signature)) continue;
    seen.add(signature);
    values.push(value);
  }
  return { fact, values, candidates: candidates.length };
}
