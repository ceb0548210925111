// `npm run fuzz`: the long fuzz run (docs/reliability.md). At least a million
// inputs through the same invariants as the fuzz tests (harness.ts):
//
//   1. the pathological shapes (100,000 parentheses, a 1 MB line, NUL bytes...);
//   2. every prefix and every suffix of every example and label (half-typed files);
//   3. seeded chunks of random inputs: random bytes, binary UTF-16, Unicode,
//      token soup, spliced edits, half-typed files, token-level mutations, and
//      protocols next to a mutated or half-typed copy of their label.
//
// Every input goes through parse + resolve + check + tests; every
// `--features-every`-th input also through the verifier, the formatter and
// every LSP feature function at random offsets. Runs on worker threads (one per
// core by default), prints progress and the final count, and lists every
// finding with a command that replays it. A worker that stops making progress
// for `--stall-ms` is a hang: it is reported with its input and replaced.
//
//   node out/test/fuzz/long-run.js [--inputs 1000000] [--workers 2] [--seed 20261122]
//                                  [--features-every 5] [--chunk 1000] [--stall-ms 60000]
//   node out/test/fuzz/long-run.js --replay mutated:20261190:417
//
// Exit code 0 when nothing was found, 1 otherwise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { checkCore, checkFeatures, DEFAULT_BOUNDS, offsetsFor } from './harness.js';
import { binaryText, EXAMPLE_FILES, examples, halfTyped, labelTrouble, mutated, pathological, randomBytes, spliced, tokenSoup, unicodeText } from './inputs.js';
import { REPO } from '../helpers/repo.js';
import { random } from '../../bench/generate.js';

// ---- the inputs ----------------------------------------------------------------------

type GeneratorName = 'bytes' | 'binary' | 'unicode' | 'soup' | 'spliced' | 'half-typed' | 'mutated' | 'label-trouble';

const GENERATORS: Record<GeneratorName, () => fc.Arbitrary<string>> = {
  bytes: () => randomBytes('medium'),
  binary: () => binaryText('medium'),
  unicode: () => unicodeText('medium'),
  soup: () => tokenSoup('medium'),
  spliced,
  'half-typed': halfTyped,
  mutated,
  'label-trouble': labelTrouble,
};

/** Which generator chunk k uses: mostly the cheap random ones, a third edits of real files. */
const CYCLE: GeneratorName[] = [
  'bytes', 'binary', 'unicode', 'soup', 'spliced', 'half-typed', 'mutated',
  'bytes', 'binary', 'unicode', 'soup', 'spliced', 'label-trouble', 'mutated',
  'bytes', 'binary', 'unicode', 'soup', 'soup', 'bytes',
];

type Task =
  | { kind: 'pathological' }
  | { kind: 'cuts'; file: string; prefix: boolean }
  | { kind: 'chunk'; generator: GeneratorName; seed: number; size: number };

function describeTask(task: Task): string {
  if (task.kind === 'pathological') return 'pathological';
  if (task.kind === 'cuts') return `${task.prefix ? 'prefixes' : 'suffixes'} of ${task.file}`;
  return `${task.generator}:${task.seed}`;
}

/** The inputs of a task, lazily (a chunk is drawn from its seed, so it replays exactly). */
function* inputsOf(task: Task, arbitraries: Map<GeneratorName, fc.Arbitrary<string>>): Generator<{ text: string; name?: string }> {
  if (task.kind === 'pathological') {
    for (const item of pathological()) yield { text: item.text, name: item.name };
  } else if (task.kind === 'cuts') {
    const text = examples()[EXAMPLE_FILES.indexOf(task.file)];
    for (let cut = 0; cut <= text.length; cut++) yield { text: task.prefix ? text.slice(0, cut) : text.slice(cut) };
  } else {
    let arbitrary = arbitraries.get(task.generator);
    if (!arbitrary) {
      arbitrary = GENERATORS[task.generator]();
      arbitraries.set(task.generator, arbitrary);
    }
    for (const text of fc.sample(arbitrary, { seed: task.seed, numRuns: task.size })) yield { text };
  }
}


// ---- one worker ------------------------------------------------------------------------

interface Finding {
  task: string;
  index: number;
  phase: 'core' | 'features' | 'hang';
  message: string;
  length: number;
  input: string;
}

interface TaskResult {
  type: 'done';
  inputs: number;
  /** Inputs over a time bound once that passed when checked again (the machine was busy). */
  slowOnce: number;
  featured: number;
  protocolsVerified: number;
  slowestCoreMs: number;
  slowestFeaturesMs: number;
  findings: Finding[];
}

/** The harness's time-bound assertions all say "took N ms". */
const isTiming = (error: unknown) => error instanceof Error && /\btook \d+ ms\b/.test(error.message);

const firstLines = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n').slice(0, 6).join('\n');

function runTask(task: Task, featuresEvery: number, progress: Int32Array, arbitraries: Map<GeneratorName, fc.Arbitrary<string>>): TaskResult {
  const result: TaskResult = { type: 'done', inputs: 0, slowOnce: 0, featured: 0, protocolsVerified: 0, slowestCoreMs: 0, slowestFeaturesMs: 0, findings: [] };
  const bounds = task.kind === 'pathological' ? { ...DEFAULT_BOUNDS, coreMs: 5000, featuresMs: 10000 } : DEFAULT_BOUNDS;
  const next = random(task.kind === 'chunk' ? task.seed : 7);
  let index = 0;
  for (const { text, name } of inputsOf(task, arbitraries)) {
    Atomics.store(progress, 0, index);
    Atomics.add(progress, 1, 1);
    const where = name ? `${describeTask(task)} (${name})` : describeTask(task);
    let phase: Finding['phase'] = 'core';
    const withFeatures = task.kind === 'pathological' || index % featuresEvery === 0;
    const picks = withFeatures ? Array.from({ length: 6 }, () => Math.floor(next() * (text.length + 1))) : [];
    const check = () => {
      phase = 'core';
      result.slowestCoreMs = Math.max(result.slowestCoreMs, checkCore(text, bounds));
      if (withFeatures) {
        phase = 'features';
        const cost = checkFeatures(text, offsetsFor(text.length, picks), { bounds });
        result.featured += 1;
        result.protocolsVerified += cost.protocolsVerified;
        result.slowestFeaturesMs = Math.max(result.slowestFeaturesMs, cost.featuresMs);
      }
    };
    try {
      check();
    } catch (error) {
      // A time bound missed once on a busy machine is noise if the same input then passes.
      let again: unknown = error;
      if (isTiming(error)) {
        try {
          check();
          again = undefined;
          result.slowOnce += 1;
        } catch (retry) {
          again = retry;
        }
      }
      if (again !== undefined) result.findings.push({ task: where, index, phase, message: firstLines(again), length: text.length, input: text.length > 1_000_000 ? `${text.slice(0, 1_000_000)}…` : text });
    }
    result.inputs += 1;
    index += 1;
  }
  return result;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { featuresEvery, progress } = workerData as { featuresEvery: number; progress: SharedArrayBuffer };
  const counters = new Int32Array(progress);
  const arbitraries = new Map<GeneratorName, fc.Arbitrary<string>>();
  port.on('message', (task: Task) => port.postMessage(runTask(task, featuresEvery, counters, arbitraries)));
}

// ---- the main thread ---------------------------------------------------------------------

interface Options {
  inputs: number;
  workers: number;
  seed: number;
  featuresEvery: number;
  chunk: number;
  stallMs: number;
  replay?: string;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    inputs: 1_000_000,
    workers: Math.max(1, Math.min(2, os.availableParallelism())),
    seed: 20261122,
    featuresEvery: 5,
    chunk: 1000,
    stallMs: 60_000,
    out: path.join(REPO, 'out', 'fuzz-findings.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    const number = () => {
      const parsed = Number(value);
      if (!Number.isFinite(parsed) || parsed < 1) throw new Error(`${flag} needs a positive number`);
      return Math.floor(parsed);
    };
    if (flag === '--inputs') options.inputs = number();
    else if (flag === '--workers') options.workers = number();
    else if (flag === '--seed') options.seed = number();
    else if (flag === '--features-every') options.featuresEvery = number();
    else if (flag === '--chunk') options.chunk = number();
    else if (flag === '--stall-ms') options.stallMs = number();
    else if (flag === '--out') options.out = path.resolve(value);
    else if (flag === '--replay') options.replay = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

/** Every task of the run: the fixed ones, then random chunks until the count is reached. */
function* tasks(options: Options): Generator<Task> {
  yield { kind: 'pathological' };
  let planned = pathological().length;
  for (const [i, file] of EXAMPLE_FILES.entries()) {
    const length = examples()[i].length + 1;
    yield { kind: 'cuts', file, prefix: true };
    yield { kind: 'cuts', file, prefix: false };
    planned += 2 * length;
  }
  for (let k = 0; planned < options.inputs; k++) {
    const size = Math.min(options.chunk, options.inputs - planned);
    yield { kind: 'chunk', generator: CYCLE[k % CYCLE.length], seed: options.seed + k, size };
    planned += size;
  }
}

const format = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

function replay(spec: string): number {
  const [generator, seed, index] = spec.split(':');
  if (!(generator in GENERATORS) || !Number.isFinite(Number(seed)) || !Number.isFinite(Number(index))) {
    console.error(`--replay wants GENERATOR:SEED:INDEX with GENERATOR one of ${Object.keys(GENERATORS).join(', ')}`);
    return 2;
  }
  const task: Task = { kind: 'chunk', generator: generator as GeneratorName, seed: Number(seed), size: Number(index) + 1 };
  const texts = [...inputsOf(task, new Map())];
  const text = texts[Number(index)].text;
  console.log(`input ${spec} (${text.length} characters):\n${JSON.stringify(text)}`);
  const next = random(task.seed);
  const picks = Array.from({ length: 6 }, () => Math.floor(next() * (text.length + 1)));
  checkCore(text);
  checkFeatures(text, offsetsFor(text.length, picks));
  console.log('no finding on this input');
  return 0;
}

async function main(options: Options): Promise<number> {
  if (options.replay) return replay(options.replay);
  const started = performance.now();
  const queue = tasks(options);
  const totals = { inputs: 0, slowOnce: 0, featured: 0, protocolsVerified: 0, slowestCoreMs: 0, slowestFeaturesMs: 0 };
  const byTask = new Map<string, number>();
  const findings: Finding[] = [];
  console.log(`fuzz: ${format(options.inputs)} inputs on ${options.workers} worker(s), seed ${options.seed}, every feature on 1 input in ${options.featuresEvery}`);

  interface Slot {
    worker: Worker;
    counters: Int32Array;
    task?: Task;
    lastBeat: number;
    lastSeen: number;
  }
  const file = fileURLToPath(import.meta.url);

  await new Promise<void>((resolve) => {
    const slots = new Set<Slot>();
    const spawnSlot = () => {
      const progress = new SharedArrayBuffer(8);
      const slot: Slot = { worker: new Worker(file, { workerData: { featuresEvery: options.featuresEvery, progress } }), counters: new Int32Array(progress), lastBeat: -1, lastSeen: performance.now() };
      slots.add(slot);
      slot.worker.on('message', (result: TaskResult) => {
        totals.inputs += result.inputs;
        totals.slowOnce += result.slowOnce;
        totals.featured += result.featured;
        totals.protocolsVerified += result.protocolsVerified;
        totals.slowestCoreMs = Math.max(totals.slowestCoreMs, result.slowestCoreMs);
        totals.slowestFeaturesMs = Math.max(totals.slowestFeaturesMs, result.slowestFeaturesMs);
        const key = slot.task!.kind === 'chunk' ? slot.task!.generator : slot.task!.kind;
        byTask.set(key, (byTask.get(key) ?? 0) + result.inputs);
        for (const item of result.findings) {
          findings.push(item);
          console.log(`FINDING in ${item.task} #${item.index} (${item.phase}, ${item.length} characters): ${item.message.split('\n')[0]}`);
        }
        feed(slot);
      });
      slot.worker.on('error', (error) => {
        findings.push({ task: slot.task ? describeTask(slot.task) : '(none)', index: Atomics.load(slot.counters, 0), phase: 'core', message: `the worker died: ${firstLines(error)}`, length: 0, input: '' });
        console.log(`FINDING: a worker died in ${slot.task ? describeTask(slot.task) : '(no task)'}: ${error.message}`);
        slots.delete(slot);
        spawnSlot();
      });
      feed(slot);
    };
    const feed = (slot: Slot) => {
      const next = queue.next();
      if (next.done) {
        slot.task = undefined;
        slots.delete(slot);
        void slot.worker.terminate();
        if (slots.size === 0) resolve();
        return;
      }
      slot.task = next.value;
      slot.lastSeen = performance.now();
      slot.worker.postMessage(next.value);
    };
    for (let i = 0; i < options.workers; i++) spawnSlot();

    let lastReport = performance.now();
    const watch = setInterval(() => {
      const now = performance.now();
      for (const slot of [...slots]) {
        const beat = Atomics.load(slot.counters, 1);
        if (beat !== slot.lastBeat) {
          slot.lastBeat = beat;
          slot.lastSeen = now;
        } else if (slot.task && now - slot.lastSeen > options.stallMs) {
          const index = Atomics.load(slot.counters, 0);
          const task = slot.task;
          const [input] = [...inputsOf(task, new Map())].slice(index, index + 1);
          findings.push({ task: describeTask(task), index, phase: 'hang', message: `no progress for ${seconds(options.stallMs)}`, length: input?.text.length ?? 0, input: input?.text ?? '' });
          console.log(`FINDING: HANG in ${describeTask(task)} #${index}; the worker is replaced and the rest of its task skipped`);
          slots.delete(slot);
          void slot.worker.terminate();
          spawnSlot();
        }
      }
      if (now - lastReport >= 10_000) {
        lastReport = now;
        const done = totals.inputs + [...slots].reduce((sum, slot) => sum + (slot.task ? Atomics.load(slot.counters, 0) : 0), 0);
        const rate = done / ((now - started) / 1000);
        console.log(`[${seconds(now - started).padStart(6)}] ${format(done)} inputs (${format(Math.round(rate))}/s), ${format(totals.featured)} with every feature, ${findings.length} finding(s)`);
      }
    }, 1000);
    watch.unref();
  });

  const elapsed = performance.now() - started;
  console.log('');
  for (const [key, count] of byTask) console.log(`  ${key.padEnd(14)} ${format(count).padStart(10)} inputs`);
  console.log(`  slowest input: ${totals.slowestCoreMs.toFixed(0)} ms to check, ${totals.slowestFeaturesMs.toFixed(0)} ms for every feature; ${totals.slowOnce} over a time bound once, within it when checked again`);
  console.log(`fuzz: ${format(totals.inputs)} inputs in ${seconds(elapsed)} (${format(Math.round(totals.inputs / (elapsed / 1000)))}/s), ${format(totals.featured)} through every feature, ${format(totals.protocolsVerified)} protocols verified, ${findings.length} finding(s)`);
  if (findings.length > 0) {
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, JSON.stringify(findings, null, 2));
    console.log(`the findings and their inputs are in ${options.out}; replay a chunk input with --replay GENERATOR:SEED:INDEX`);
  }
  return findings.length > 0 ? 1 : 0;
}

if (isMainThread) {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`fuzz: ${(error as Error).message}`);
    process.exit(2);
  }
  main(options).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
