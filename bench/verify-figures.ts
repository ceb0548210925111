// Verification of every example protocol: time and the number of states explored.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../server/src/checks/analysis.js';
import { verifyProtocol } from '../server/src/verify/index.js';
import { timeMedian, under, type Figure } from './measure.js';

const repo = path.resolve(fileURLToPath(import.meta.url), '../../..');

export function verifyExamples(): Figure[] {
  const label = { path: 'labels/pomalidomide.dose', text: fs.readFileSync(path.join(repo, 'labels/pomalidomide.dose'), 'utf8') };
  const files = fs.readdirSync(path.join(repo, 'examples')).filter((name) => name.endsWith('.dose'));
  return files.map((name) => {
    const text = fs.readFileSync(path.join(repo, 'examples', name), 'utf8');
    const [analysis] = analyze([{ path: name, text }], [label]);
    const protocol = analysis.protocols[0];
    const result = verifyProtocol(protocol, { text });
    const ms = timeMedian(() => verifyProtocol(protocol, { text }), 21, 5);
    const note = `${result.status}, ${result.statesExplored} of ${result.statesTotal} states explored (${result.statesEvaluated} evaluated); spec bar 50 ms`;
    return under(`verification of examples/${name}`, ms, 20, 'ms', note);
  });
}
