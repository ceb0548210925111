// Figures of the language core: parse, check, tests, throughput, memory.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { runScenario } from '../server/src/eval/index.js';
import { analyze, checkFile, parseFile, resolveLabels, type SourceText } from '../server/src/checks/analysis.js';
import type { ScenarioInfo, StepInfo } from '../server/src/semantics/model.js';
import { forgetBlocks, parse } from '../server/src/syntax/parse.js';
import { tokenize } from '../server/src/syntax/lexer.js';
import { recognise } from './recogniser.js';
import { generateFileOfLines, generateLabel, generateProtocol } from './generate.js';
import { cpuNow, round, timeInterleaved, timeMedian, under, type Figure } from './measure.js';

const label = generateLabel({ name: 'benchdrug', quantityFacts: 12, booleanFacts: 12, indications: 3, constraintsPerIndication: 18 }, 7);
const labelSource: SourceText = { path: 'labels/benchdrug.dose', text: label.text };

export function parseAndCheck10k(): Figure[] {
  const text = generateFileOfLines(label, 10000, 11);
  const lines = text.split('\n').length - 1;
  // Eight warm-up runs: V8 needs about that many on a file this size before its
  // optimised code and young generation settle (docs/performance.md).
  const ms = timeMedian(() => {
    forgetBlocks(); // parsed from scratch, not from the blocks the previous run kept
    return analyze([{ path: 'big.dose', text }], [labelSource]);
  }, 15, 8);
  return [under(`parse + check of a ${lines}-line file`, ms, 60, 'ms', `spec bar 100 ms; load ${loadAverage()}`), parseAndCheckSplit(text)];
}

function loadAverage(): string {
  return os.loadavg().map((load) => load.toFixed(1)).join(' ');
}

/**
 * Where the figure above goes, in CPU time (process.cpuUsage: the collector's
 * parallel threads count too), medians of interleaved runs: chevrotain's lexer,
 * the whole parse (lexer included) and the check of the parsed file
 * (resolving, checks, embedded tests). docs/performance.md, "fourth pass".
 */
function parseAndCheckSplit(text: string): Figure {
  const labelFile = parseFile(labelSource.path, labelSource.text);
  forgetBlocks();
  const parsed = parseFile('big.dose', text);
  const cpu = timeInterleaved({
    lex: () => tokenize(text),
    parse: () => parse(text, { reuse: false }),
    check: () => checkFile(parsed, resolveLabels([parsed, labelFile])),
  }, 15, 6, cpuNow);
  const total = cpu.parse + cpu.check;
  return {
    name: 'parse + check of the same file, CPU split',
    value: round(total),
    unit: 'ms',
    goal: 'reported',
    met: true,
    note: `lexing ${round(cpu.lex)} ms, parse (lexing included) ${round(cpu.parse)} ms, check ${round(cpu.check)} ms; load ${loadAverage()}`,
  };
}

/**
 * A JSON document of the same shape as the protocols (blocks of rules and
 * tests), at least `bytes` long. One block's size says how many are needed, so
 * the whole is stringified once: re-stringifying as it grew left tens of MB of
 * garbage that the timed runs then paid for.
 */
function similarJson(bytes: number): string {
  const block = (i: number) => ({
    protocol: `Generated protocol ${i}`,
    drug: 'benchdrug',
    indication: 'indication_0',
    start: { amount: 10, unit: 'mg', days: [1, 21], cycle: 28 },
    rules: Array.from({ length: 20 }, (_, r) => ({ name: `hold_${r}`, when: { fact: `lab_${r % 12}`, op: '<', value: 100 * r, unit: '/uL' }, then: 'hold' })),
    tests: Array.from({ length: 40 }, (_, t) => ({ title: `hold ${t}`, given: { fact: `lab_${t % 12}`, value: t, unit: '/uL' }, expect: 'hold' })),
  });
  const perBlock = JSON.stringify([block(0)], null, 2).length;
  return JSON.stringify(Array.from({ length: Math.ceil(bytes / perBlock) }, (_, i) => block(i)), null, 2);
}

export function parseThroughput(): Figure[] {
  const text = generateFileOfLines(label, 10000, 23);
  const bytes = Buffer.byteLength(text);
  const json = similarJson(bytes);
  const jsonBytes = Buffer.byteLength(json);
  if (recognise(text) !== 0 || parse(text, { reuse: false }).errors.length !== 0) throw new Error('the benchmark file does not parse cleanly');
  // Every block parsed from scratch: no tree kept from an earlier parse.
  const times = timeInterleaved({ dose: () => parse(text, { reuse: false }), floor: () => recognise(text), lex: () => tokenize(text), json: () => JSON.parse(json) });
  const { dose: doseMs, floor: floorMs, lex: lexMs, json: jsonMs } = times;
  const doseRate = bytes / 1048576 / (doseMs / 1000);
  const jsonRate = jsonBytes / 1048576 / (jsonMs / 1000);
  return [
    { name: 'parse throughput', value: round(doseRate), unit: 'MB/s', goal: 'reported', met: true, note: `${(bytes / 1024).toFixed(0)} KB in ${round(doseMs)} ms` },
    {
      name: 'parse throughput / JSON.parse throughput',
      value: round(doseRate / jsonRate),
      unit: '',
      goal: 'reported',
      met: true,
      note: `JSON.parse: ${round(jsonRate)} MB/s on ${(jsonBytes / 1024).toFixed(0)} KB of the same structure`,
    },
    {
      name: "parse time / chevrotain's floor (same lexer + recogniser of the same rules, no actions)",
      value: round(doseMs / floorMs),
      unit: 'x',
      goal: '<= 2 x',
      met: doseMs <= 2 * floorMs,
      note: `floor ${round(floorMs)} ms, of which lexing ${round(lexMs)} ms`,
    },
  ];
}

export function thousandTests(): Figure {
  const protocol = generateProtocol(label, { rules: 250, testsPerRule: 4, mistakes: 0 }, 5, 'Thousand tests');
  const [result] = analyze([{ path: 't.dose', text: protocol }], [labelSource]);
  const count = result.tests.length;
  const ms = timeMedian(() => {
    forgetBlocks();
    return analyze([{ path: 't.dose', text: protocol }], [labelSource]);
  }, 9, 2);
  return under(`running ${count} embedded test cases (parse + check + run)`, ms, 50, 'ms', 'spec bar 100 ms');
}

export function workspaceMemory(): Figure {
  const labels: SourceText[] = Array.from({ length: 20 }, (_, i) => ({
    path: `labels/drug${i}.dose`,
    text: generateLabel({ name: `drug${i}`, quantityFacts: 8, booleanFacts: 8, indications: 2, constraintsPerIndication: 10 }, i + 1).text,
  }));
  const protocols: SourceText[] = Array.from({ length: 200 }, (_, i) => ({
    path: `protocols/p${i}.dose`,
    text: generateProtocol(
      generateLabel({ name: `drug${i % 20}`, quantityFacts: 8, booleanFacts: 8, indications: 2, constraintsPerIndication: 10 }, (i % 20) + 1),
      { rules: 12, testsPerRule: 2, mistakes: 0.05 },
      i,
      `Protocol ${i}`,
    ),
  }));
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = analyze(protocols, labels);
  global.gc?.();
  const after = process.memoryUsage().heapUsed;
  const mb = (after - before) / 1048576;
  void kept.length;
  return { name: 'heap for a workspace of 200 protocols and 20 labels', value: round(mb), unit: 'MB', goal: 'reported', met: true, note: global.gc ? 'after gc' : 'run with --expose-gc for exact figures' };
}

/**
 * 10,000 scenario steps through the course evaluator: the Pd example protocol
 * against the pomalidomide label, one step a day (ANC falling below 500 /uL
 * and recovering every few days, so holds start, end and resume one level
 * lower, and the course discontinues after the last level), in scenarios of
 * 100 steps. Goal (issue 12): under 50 ms.
 */
export function scenarioSteps10k(): Figure {
  const root = new URL('../../', import.meta.url);
  const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
  const [file] = analyze([{ path: 'examples/pd-multiple-myeloma.dose', text: read('examples/pd-multiple-myeloma.dose') }], [{ path: 'labels/pomalidomide.dose', text: read('labels/pomalidomide.dose') }]);
  const protocol = file.protocols[0];
  const template = protocol.scenarios[0];
  const scenarios: ScenarioInfo[] = Array.from({ length: 100 }, () => ({
    ...template,
    steps: Array.from({ length: 100 }, (_, i): StepInfo => ({
      ...template.steps[0],
      at: { kind: 'day', day: i + 1 },
      observations: new Map([['ANC', i % 7 === 3 ? 400 : 2000]]),
      companions: [],
    })),
  }));
  const steps = scenarios.reduce((sum, scenario) => sum + scenario.steps.length, 0);
  const ms = timeMedian(() => scenarios.forEach((scenario) => runScenario(protocol, scenario)), 9, 3);
  return under(`running ${steps} scenario steps (course evaluator)`, ms, 50, 'ms', 'issue 12 goal');
}
