// The state space: which facts are explored, in which order, with which
// partitions. Facts come in groups so that whole subtrees can be settled early
// (pruning.ts): one per stop of the precedence table, strongest first (the facts
// of the label lines that can require discontinue and of the protocol rules that
// decide it, then the same for hold), then the rest (dose rules, caps, timings,
// `requires`, day, previous_dose). Within a group, in order of mention.
import type { Condition, FactInfo, ResolvedProtocol } from '../semantics/model.js';
import { BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { STOPS } from '../eval/index.js';
import { factsOf } from '../semantics/conditions.js';
import { atomsByFact } from './atoms.js';
import { relativeAmounts } from './candidates.js';
import { labelLinesRequiring, type LabelSpec } from './label-checks.js';
import { partitionFor, type Partition } from './partitions.js';

export interface Space {
  partitions: Partition[];
  /** Index of each explored fact in `partitions`. */
  position: Map<string, number>;
  /** The product of the partition sizes. */
  total: number;
  /** subtree[d]: states below a fixed choice of facts 0..d (the product of the later sizes). */
  subtree: number[];
  /** Facts the label declares that nothing checked or explored mentions. */
  defaulted: string[];
}


function orderedFacts(protocol: ResolvedProtocol): string[] {
  const order: string[] = [];
  const collect = (conditions: Condition[]) => {
    for (const condition of conditions) for (const fact of factsOf(condition)) if (!order.includes(fact)) order.push(fact);
  };
  // Rules of a stop that name only a `with` drug decide nothing here, but their facts come early all the same.
  for (const kind of STOPS) collect([...labelLinesRequiring(protocol, kind), ...protocol.rules.filter((rule) => rule.action.kind === kind).map((rule) => rule.condition)]);
  collect(protocol.indication.constraints.map((constraint) => constraint.condition));
  collect(protocol.rules.map((rule) => rule.condition));
  collect(requiresConditions(protocol));
  if (!order.includes(BUILTIN_DAY)) order.push(BUILTIN_DAY);
  if (relativeAmounts(protocol).length > 0 && !order.includes(BUILTIN_PREVIOUS_DOSE)) order.push(BUILTIN_PREVIOUS_DOSE);
  return order;
}

function checkedConditions(protocol: ResolvedProtocol, spec: LabelSpec): Condition[] {
  return [...spec.conditions, ...protocol.rules.map((rule) => rule.condition)];
}

function requiresConditions(protocol: ResolvedProtocol): Condition[] {
  return protocol.indication.requires.flatMap((requirement) => (requirement.condition ? [requirement.condition] : []));
}

export function buildSpace(protocol: ResolvedProtocol, spec: LabelSpec): Space {
  const facts = protocol.facts;
  const checked = checkedConditions(protocol, spec);
  const context = { protocol, spec, atoms: atomsByFact(checked), mentioned: atomsByFact([...checked, ...requiresConditions(protocol)]) };
  const infos = orderedFacts(protocol).map((name) => facts.get(name)).filter((info): info is FactInfo => info !== undefined);
  const partitions = infos.map((info) => partitionFor(info, context));
  const position = new Map(partitions.map((partition, index) => [partition.fact.name, index]));
  const subtree = new Array<number>(partitions.length);
  let total = 1;
  for (let depth = partitions.length - 1; depth >= 0; depth--) {
    subtree[depth] = total;
    total *= partitions[depth].values.length;
  }
  const defaulted = [...facts.values()].filter((info) => info.decl && !position.has(info.name)).map((info) => info.name);
  return { partitions, position, total, subtree, defaulted };
}
