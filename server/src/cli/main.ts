// `posology check|test|verify PATHS`: the same analysis as the editor, for CI.
// Exit 0 when clean, 1 on any error, failed test or counterexample, 2 on a
// usage error or a path that cannot be read. Never a stack trace.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { finding, phrase, phraseText, type Finding } from '../diagnostics/finding.js';
import { headerSpan } from '../semantics/resolve/protocol.js';
import { analyze, type FileAnalysis } from '../checks/analysis.js';
import { COMMAND_HELP, HELP, parseArgs, type Options } from './args.js';
import { collect, UsageError, type Collected } from './collect.js';
import { refusalFinding, refusalReason, refusalText } from '../project/refusal.js';
import { formatHuman } from './format-human.js';
import { formatJson } from './format-json.js';
import { formatSarif, type ToolInfo } from './format-sarif.js';
import { escapeTerminal } from './terminal.js';
import { display, Locator, summarize, type RunOutput } from './rows.js';
import { verifyAll } from './verify.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

interface PackageJson {
  version?: string;
  homepage?: string;
  repository?: { url?: string } | string;
}

/** The nearest package.json above this file (compiled or bundled). */
function packageJson(): PackageJson {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return {};
      dir = parent;
    }
  }
}

function version(): string {
  return packageJson().version ?? 'unknown';
}

/** What SARIF says about the tool: its version and home page (package.json `homepage`, else the repository). */
function toolInfo(): ToolInfo {
  const json = packageJson();
  const repository = typeof json.repository === 'string' ? json.repository : json.repository?.url;
  const informationUri = json.homepage ?? repository?.replace(/^git\+/, '').replace(/\.git$/, '') ?? 'https://www.npmjs.com/package/posology';
  return { version: json.version ?? 'unknown', informationUri };
}

function run(options: Options): { text: string; exit: number } {
  const collected = collect(options.paths, options.labels);
  const unreadable = collected.refused.filter((item) => refusalReason(item.refusal) === 'unreadable');
  if (unreadable.length > 0) {
    throw new UsageError(unreadable.map((item) => `posology: cannot read ${item.path}: ${refusalText(item.refusal)}`).join('\n'));
  }
  const analyses: FileAnalysis[] = analyze(collected.sources, collected.labels, (file) => lookedIn(collected, options, file));
  const refusals = collected.refused.map((item) => refusalFinding(item.path, item.refusal));
  const texts = new Map([...collected.sources, ...collected.labels].map((source) => [source.path, source.text]));
  const locator = new Locator(texts);
  const verified = options.verify ? verifyAll(analyses, texts, options, locator) : { findings: [], rows: [] };
  const untested = options.command === 'test' && !options.allowEmpty ? untestedProtocols(analyses) : [];
  const findings = [...refusals, ...analyses.flatMap((analysis) => analysis.findings), ...untested, ...verified.findings];
  const output: RunOutput = {
    command: options.command,
    findings: findings.map((item) => locator.findingRow(item)),
    tests: options.command === 'test' ? analyses.flatMap((analysis) => analysis.tests.map((test) => locator.testRow(test))) : [],
    verifications: verified.rows,
    filesChecked: collected.sources.length,
    emptyAllowed: options.allowEmpty,
  };
  const unverified = output.verifications.some((row) => row.status !== 'verified');
  const summary = summarize(output);
  // `test` with nothing tested fails unless --allow-empty: "0 passed, 0 failed" is not a pass.
  const empty = options.command === 'test' && !options.allowEmpty && output.tests.length === 0;
  const failed = unverified || empty || summary.errors > 0 || summary.failed > 0;
  return { text: render(output, options), exit: failed ? EXIT_FINDINGS : EXIT_CLEAN };
}

/** POS2001's "where": the folders searched for this file's labels, and how to add one. */
function lookedIn(collected: Collected, options: Options, file: string): string {
  const search = collected.searches.get(file);
  const places = [phrase('PlaceFilesGiven'), ...options.labels.map((dir) => phrase('PlaceLabelsOption', display(path.resolve(dir))))];
  if (search?.folder) places.push(phrase('PlaceNearestLabelFolder', display(search.folder)));
  else if (search) places.push(phrase('PlaceNoLabelFolder', search.searched.map((folder) => display(folder)).join(', ')));
  return phraseText(phrase('LookedInCommandLine', places.map(phraseText).join(', ')));
}

/** `posology test`: one error per protocol without a test block or a scenario (a scenario's steps are tests). */
function untestedProtocols(analyses: FileAnalysis[]): Finding[] {
  return analyses.flatMap((analysis) =>
    analysis.protocols.filter((protocol) => protocol.tests.length === 0 && protocol.scenarios.length === 0).map((protocol) => finding(analysis.path, headerSpan(protocol.node), 'NoTests', [protocol.title])),
  );
}

function render(output: RunOutput, options: Options): string {
  if (options.format === 'json') return formatJson(output);
  if (options.format === 'sarif') return formatSarif(output, toolInfo());
  return formatHuman(output);
}

export interface Output {
  write(chunk: string): unknown;
}

/**
 * A closed pipe (`posology check . | head -1`) or a full disk (`> /dev/full`) ends the
 * process quietly with the exit status it already has (process.exitCode, set from
 * main's result): no stack trace. A full disk gets one line on stderr; a closed pipe nothing.
 */
function endQuietlyOnWriteErrors(): void {
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      try {
        process.stderr.write(`posology: cannot write the output: ${error.code === 'ENOSPC' ? 'no space left on device' : error.message}\n`);
      } catch {
        // stderr is gone too
      }
    }
    process.exit();
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', () => process.exit());
}

export async function main(argv: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  if (out === process.stdout) endQuietlyOnWriteErrors();
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    out.write(`${parsed.command ? COMMAND_HELP[parsed.command] : HELP}\n`);
    return EXIT_CLEAN;
  }
  if (parsed.kind === 'version') {
    out.write(`posology ${version()}\n`);
    return EXIT_CLEAN;
  }
  if (parsed.kind === 'usage') {
    err.write(escapeTerminal(`posology: ${parsed.message}\nRun 'posology --help' for usage.\n`));
    return EXIT_USAGE;
  }
  try {
    const { text, exit } = run(parsed.options);
    out.write(text);
    return exit;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(escapeTerminal(error.message.startsWith('posology:') ? `${error.message}\n` : `posology: ${error.message}\n`));
      return EXIT_USAGE;
    }
    err.write(escapeTerminal(`posology: internal error: ${(error as Error)?.message ?? String(error)}\n`));
    return EXIT_USAGE;
  }
}
