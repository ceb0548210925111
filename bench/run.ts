// `npm run bench`: every speed goal of the spec as a measured figure on
// generated inputs. Prints one table and writes bench/results.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAndCheck10k, parseThroughput, scenarioSteps10k, thousandTests, workspaceMemory } from './core-figures.js';
import type { Figure } from './measure.js';
import { recheckAfterEdit, serverStart, typingBurst } from './server-figures.js';
import { verifyExamples } from './verify-figures.js';
import { verifyCourses } from './course-figures.js';

function table(figures: Figure[]): string {
  const rows = figures.map((figure) => [figure.name, `${figure.value} ${figure.unit}`.trim(), figure.goal, figure.met ? 'met' : 'NOT MET', figure.note ?? '']);
  const header = ['figure', 'value', 'goal', '', 'note'];
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const THROUGHPUT_ONLY = '--throughput-only';

/**
 * The throughput figures again in a process with Node's default heap, for
 * comparison: the table's own figures are taken under the flags the server and
 * the CLI run with (shared/node-flags.ts).
 */
function throughputWithDefaultHeap(): Figure[] {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--expose-gc', self, THROUGHPUT_ONLY], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the default-heap run failed: ${child.stderr}`);
  const figures = JSON.parse(child.stdout) as Figure[];
  return figures.map((figure) => ({
    ...figure,
    name: `${figure.name}, Node's default heap`,
    goal: 'reported',
    met: true,
    note: `${figure.note ?? ''}; for comparison, no flags`.replace(/^; /, ''),
  }));
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const step = async (make: () => Figure | Figure[] | Promise<Figure | Figure[]>) => {
    const result = await make();
    figures.push(...(Array.isArray(result) ? result : [result]));
  };
  await step(parseAndCheck10k);
  await step(recheckAfterEdit);
  await step(verifyExamples);
  await step(verifyCourses);
  await step(thousandTests);
  await step(scenarioSteps10k);
  await step(typingBurst);
  await step(serverStart);
  await step(parseThroughput);
  await step(throughputWithDefaultHeap);
  await step(workspaceMemory);
  console.log(`node ${process.version}, V8 flags: ${process.execArgv.join(' ') || 'none'}\n`);
  console.log(table(figures));
  const target = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
  fs.writeFileSync(target, JSON.stringify(figures.map(({ name, value, unit, goal, met }) => ({ name, value, unit, goal, met })), null, 2) + '\n');
  console.log(`\n${figures.filter((figure) => figure.met).length} of ${figures.length} goals met; written to bench/results.json (${new Date().toISOString().slice(0, 10)})`);
}

if (process.argv.includes(THROUGHPUT_ONLY)) console.log(JSON.stringify(parseThroughput()));
else await main();
