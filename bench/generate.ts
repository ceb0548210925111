// Writes labels and protocols of any size from a seed, for the benchmark and
// the fuzz tests: many facts, indications, rules and tests, valid or with errors.

/** A small deterministic generator (mulberry32), so a seed always gives the same files. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LabelShape {
  name: string;
  quantityFacts: number;
  booleanFacts: number;
  indications: number;
  constraintsPerIndication: number;
}

export interface GeneratedLabel {
  text: string;
  name: string;
  indications: string[];
  quantityFacts: { name: string; threshold: number }[];
  booleanFacts: string[];
}

export function generateLabel(shape: LabelShape, seed = 1): GeneratedLabel {
  const next = random(seed);
  const quantityFacts = Array.from({ length: shape.quantityFacts }, (_, i) => ({ name: `lab_${i}`, threshold: 100 * (1 + Math.floor(next() * 50)) }));
  const booleanFacts = Array.from({ length: shape.booleanFacts }, (_, i) => `condition_${i}`);
  const indications = Array.from({ length: shape.indications }, (_, i) => `indication_${i}`);
  const lines = [`label ${shape.name} "Generated label ${shape.name}" {`];
  for (const fact of quantityFacts) lines.push(`  fact ${fact.name} "Lab ${fact.name}": quantity /uL normal ${fact.threshold * 10} /uL`);
  for (const fact of booleanFacts) lines.push(`  fact ${fact} "Condition ${fact}": boolean`);
  lines.push('  fact grade "A graded finding": one of G1, G2, G3');
  for (const indication of indications) {
    lines.push(`  indication ${indication} "Indication ${indication}" {`);
    lines.push('    dose 10 mg oral once daily days 1-21 cycle 28 days', `      source "generated: dosage"`);
    for (let c = 0; c < shape.constraintsPerIndication; c++) {
      const kind = c % 3;
      if (kind === 0 && quantityFacts.length > 0) {
        const fact = quantityFacts[c % quantityFacts.length];
        lines.push(`    hold when ${fact.name} < ${fact.threshold} /uL`);
      } else if (kind === 1 && booleanFacts.length > 0) {
        lines.push(`    at most ${5 + (c % 4)} mg when ${booleanFacts[c % booleanFacts.length]}`);
      } else {
        lines.push(`    discontinue when grade = G3`);
      }
      lines.push(`      source "generated: section ${c}"`);
    }
    lines.push('  }');
  }
  lines.push('}');
  return { text: lines.join('\n') + '\n', name: shape.name, indications, quantityFacts, booleanFacts };
}

export interface ProtocolShape {
  rules: number;
  testsPerRule: number;
  /** Share of rules written with a deliberate mistake (0..1). */
  mistakes: number;
}

/** A protocol that covers the label's first indication; `mistakes` makes some thresholds unsafe. */
export function generateProtocol(label: GeneratedLabel, shape: ProtocolShape, seed = 1, title = 'Generated protocol'): string {
  const next = random(seed);
  const lines = [`protocol "${title}" {`, `  drug ${label.name}`, `  indication ${label.indications[0]}`, '  start 10 mg oral once daily days 1-21 cycle 28 days'];
  for (let r = 0; r < shape.rules; r++) {
    const broken = next() < shape.mistakes;
    if (r % 2 === 0 && label.quantityFacts.length > 0) {
      const fact = label.quantityFacts[r % label.quantityFacts.length];
      const threshold = broken ? fact.threshold - 50 : fact.threshold;
      lines.push(`  rule hold_${r}: when ${fact.name} < ${threshold} /uL then hold`);
      for (let t = 0; t < shape.testsPerRule; t++) lines.push(`  test "hold ${r}.${t}" { given ${fact.name} = ${fact.threshold - 1 - t} /uL expect hold }`);
    } else if (label.booleanFacts.length > 0) {
      const fact = label.booleanFacts[r % label.booleanFacts.length];
      const dose = broken ? 20 : 5;
      lines.push(`  rule reduce_${r}: when ${fact} then dose ${dose} mg`);
      for (let t = 0; t < shape.testsPerRule; t++) lines.push(`  test "reduce ${r}.${t}" { given ${fact}, day ${1 + (t % 21)} expect dose ${Math.min(dose, 10)} mg }`);
    }
  }
  lines.push('  rule graded: when grade = G3 then discontinue');
  lines.push('  test "rest day" { given day 25 expect no dose }');
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Protocol blocks appended until the text has at least `lines` lines. */
export function generateFileOfLines(label: GeneratedLabel, lines: number, seed = 1): string {
  const blocks: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const block = generateProtocol(label, { rules: 20, testsPerRule: 2, mistakes: 0.05 }, seed + i, `Generated protocol ${i}`);
    blocks.push(block);
    count += block.split('\n').length - 1;
  }
  return blocks.join('');
}
