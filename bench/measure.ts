// Timing helpers: every figure is the median of repeated runs after warm-up.

export interface Figure {
  name: string;
  value: number;
  unit: string;
  goal: string;
  met: boolean;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Collects the garbage earlier figures left (the bench runs with --expose-gc),
 * so a figure does not pay for another's heap, e.g. with marking steps that
 * ride on its allocations.
 */
function startClean(): void {
  global.gc?.();
}

export function timeMedian(run: () => unknown, runs = 15, warmup = 3): number {
  startClean();
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Milliseconds of CPU time the process has used (process.cpuUsage: the collector's threads count too). */
export function cpuNow(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/**
 * Medians of several runs taken in turn, one of each per round, so that a
 * ratio between them does not depend on how busy the machine was when.
 * `clock`: wall time, or `cpuNow`, which another process's load moves less.
 */
export function timeInterleaved<K extends string>(runs: Record<K, () => unknown>, rounds = 15, warmup = 6, clock: () => number = () => performance.now()): Record<K, number> {
  startClean();
  const entries = Object.entries(runs) as [K, () => unknown][];
  for (let i = 0; i < warmup; i++) for (const [, run] of entries) run();
  const times = new Map<K, number[]>(entries.map(([name]) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, run] of entries) {
      const start = clock();
      run();
      times.get(name)!.push(clock() - start);
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, median(times.get(name)!)])) as Record<K, number>;
}

export async function timeMedianAsync(run: () => Promise<unknown>, runs = 7, warmup = 1): Promise<number> {
  startClean();
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function under(name: string, value: number, goal: number, unit = 'ms', note?: string): Figure {
  return { name, value: round(value), unit, goal: `< ${goal} ${unit}`, met: value < goal, note };
}

export function atLeast(name: string, value: number, goal: number, unit: string, note?: string): Figure {
  return { name, value: round(value), unit, goal: `>= ${goal} ${unit}`.trim(), met: value >= goal, note };
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
