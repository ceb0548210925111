// Inputs a state cannot tell apart (docs/verification.md, "Inputs merged per
// state"). Both machines read the day's observations only through `holds` on
// their conditions (and a companion's mg/m2 or mg/kg through the body fact,
// which is never a varying fact here, else this is off). Which conditions they
// read depends on the morning's state only through the holds with `until` in
// force (a hold's `when` is read while it is not in force; while it is, whether
// it ends: its `until` holds and its `when` no longer does) and whether it is a cycle's first day (the gates). So two inputs whose
// every condition READ in that state comes out the same give the identical day:
// the same decisions, the same next states, the same verdict and violations.
// One representative per class (the first, so the fewest facts off their
// defaults) is stepped; the search reaches exactly the same states and breaks
// exactly the same lines.
import { dayFacts, holdEnd, holds, type CourseMachine, type CourseState, type LabelMachine, type LabelState } from '../eval/index.js';
import type { Condition, FactValue, ResolvedProtocol } from '../semantics/model.js';
import { BUILTIN_CYCLE, BUILTIN_DAY, BUILTIN_PREVIOUS_DOSE } from '../semantics/model.js';
import { atomsOf } from './atoms.js';
import type { CourseSpace } from './course-space.js';

const BUILTIN = new Set<string>([BUILTIN_DAY, BUILTIN_CYCLE, BUILTIN_PREVIOUS_DOSE]);
const BODY_FACTS = new Set(['bsa', 'weight']);

type Need = (p: CourseState, l: LabelState) => boolean;

interface Read {
  condition: Condition;
  /** Whether a machine reads it from this pair of morning states. */
  need: Need;
  /** It reads `day`, `cycle` or `previous_dose` and a varying fact: its value depends on the state too. */
  builtin: boolean;
}

const always: Need = () => true;

/** Up to this many reads, the set a state needs is keyed by its bits (a small integer). */
const MASKED = 30;

const firstDay: Need = (p) => p.calendar.cycleDay === 1;

export class InputClasses {
  private readonly reads: Read[] = [];
  /** Merging is off (every input stepped) when a varying fact is read other than through a condition. */
  readonly off: boolean;
  /** Per root, per input: the truth of each read without builtins (1/0), lazily. */
  private readonly truth: (Uint8Array[] | undefined)[] = [];
  /** Representatives by root and what of the state decides the reads: by the reads' bits when there are at most MASKED reads, else by their list. */
  private readonly cache = new Map<string, number[]>();
  private readonly byMask: Map<number, number[]>[] = [];
  private readonly all: number[];

  constructor(private readonly protocol: ResolvedProtocol, machines: { protocol: CourseMachine; label: LabelMachine }, space: CourseSpace, private readonly observations: ReadonlyMap<string, FactValue>[][]) {
    const varying = new Set(space.varying.map((partition) => partition.fact.name));
    this.off = [...varying].some((fact) => BODY_FACTS.has(fact));
    this.all = space.inputs.map((_, index) => index);
    const add = (condition: Condition, need: Need) => {
      const facts = atomsOf(condition).map((atom) => atom.fact);
      // A condition on no varying fact is the same for every input: it tells none apart.
      if (!facts.some((fact) => varying.has(fact))) return;
      this.reads.push({ condition, need, builtin: facts.some((fact) => BUILTIN.has(fact)) });
    };
    machines.protocol.untilRules.forEach((rule, i) => {
      // A rule that also holds a `with` drug: the companions read its `when` every day.
      add(rule.condition, rule.action.kind === 'hold' && rule.action.drugs && protocol.companions.length > 0 ? always : (p) => !p.holding[i]);
      if (rule.action.kind === 'hold' && rule.action.until) add(holdEnd(rule.condition, rule.action.until.condition), (p) => p.holding[i] === true);
    });
    for (const rule of protocol.rules) if (!machines.protocol.untilRules.includes(rule)) add(rule.condition, always);
    for (const gate of protocol.gates) add(gate.condition, firstDay);
    for (const line of protocol.companions) if (line.condition) add(line.condition, always);
    const label = machines.label;
    label.untilHolds.forEach((hold, i) => {
      add(hold.condition, (_, l) => !l.holding[i]);
      if (hold.until) add(holdEnd(hold.condition, hold.until.condition), (_, l) => l.holding[i] === true);
    });
    for (const constraint of protocol.indication.constraints) if (!label.untilHolds.includes(constraint as never)) add(constraint.condition, always);
    for (const gate of protocol.indication.gates) add(gate.condition, firstDay);
    for (const requirement of protocol.indication.requires) if (requirement.condition) add(requirement.condition, always);
  }

  /** The inputs to step from this pair of morning states: one per class of inputs the state cannot tell apart. */
  representatives(root: number, p: CourseState, l: LabelState): readonly number[] {
    if (this.off) return this.all;
    const reads = this.reads;
    const masked = reads.length <= MASKED;
    let mask = 0;
    let builtin = false;
    if (masked) {
      // Most states meet a set of reads met before: looked up by its bits, no list built.
      for (let i = 0; i < reads.length; i++) {
        if (!reads[i].need(p, l)) continue;
        mask |= 1 << i;
        if (reads[i].builtin) builtin = true;
      }
      if (!builtin) {
        const known = this.byMask[root]?.get(mask);
        if (known) return known;
      }
    }
    const needed: number[] = [];
    for (let i = 0; i < reads.length; i++) {
      if (!reads[i].need(p, l)) continue;
      needed.push(i);
      if (reads[i].builtin) builtin = true;
    }
    const cacheKey = builtin || masked ? '' : `${root}|${needed.join(',')}`;
    const known = builtin || masked ? undefined : this.cache.get(cacheKey);
    if (known) return known;
    const truth = this.truthOf(root);
    const inputs = this.observations[root];
    const seen = new Set<string>();
    const chosen: number[] = [];
    for (let input = 0; input < inputs.length; input++) {
      let signature = '';
      for (const i of needed) {
        const read = this.reads[i];
        if (!read.builtin) signature += truth[input][i];
        else {
          // Both machines' day facts: the protocol's previous_dose is its current dose, the label's the dose last received.
          const { condition } = read;
          signature += holds(condition, dayFacts(inputs[input], p.calendar, p.dose), this.protocol.facts) ? '1' : '0';
          signature += holds(condition, dayFacts(inputs[input], p.calendar, l.lastDose), this.protocol.facts) ? '1' : '0';
        }
      }
      if (seen.has(signature)) continue;
      seen.add(signature);
      chosen.push(input);
    }
    if (!builtin && masked) (this.byMask[root] ?? (this.byMask[root] = new Map())).set(mask, chosen);
    else if (!builtin) this.cache.set(cacheKey, chosen);
    return chosen;
  }

  private truthOf(root: number): Uint8Array[] {
    const known = this.truth[root];
    if (known) return known;
    const table = this.observations[root].map((observations) => {
      const row = new Uint8Array(this.reads.length);
      this.reads.forEach((read, i) => {
        if (!read.builtin) row[i] = holds(read.condition, observations, this.protocol.facts) ? 1 : 0;
      });
      return row;
    });
    this.truth[root] = table;
    return table;
  }
}
