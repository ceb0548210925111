// Command-line arguments: `posology <command> [options] PATHS`.

export type Command = 'check' | 'test' | 'verify';
export type Format = 'human' | 'json' | 'sarif';

export interface Options {
  command: Command;
  paths: string[];
  labels: string[];
  format: Format;
  verify: boolean;
  explain: boolean;
  maxStates?: number;
  /** With verify: also search courses (phase 2). */
  courses?: boolean;
}

export type ParsedArgs = { kind: 'run'; options: Options } | { kind: 'help' } | { kind: 'version' } | { kind: 'usage'; message: string };

const COMMANDS: readonly Command[] = ['check', 'test', 'verify'];
const FORMATS: readonly Format[] = ['human', 'json', 'sarif'];

export const HELP = `Usage: posology <command> [options] PATHS...

Commands:
  check PATHS    check .dose files against their labels (syntax, names, units,
                 label checks, embedded tests); add --verify to also verify
  test PATHS     run the embedded test blocks; ends with "N passed, N failed"
  verify PATHS   explore every patient state and every course that matters and
                 report each place where a protocol breaks its label, as a
                 counterexample (a test for one day, a scenario for a course)

PATHS are .dose files or folders (searched recursively). A protocol's drug is
looked up in the files given and in the labels/ folder of the nearest ancestor
folder that has one.

Options:
  --labels DIR        also load the labels in DIR (repeatable)
  --format FORMAT     human (default), json or sarif
  --verify            with check: also run verification
  --explain           with verify: print a test block for each one-day counterexample
                      and a scenario block for each course
  --courses           with verify: also search whole courses (holds until recovery,
                      resumes, cycle gates); slow on a full label, see docs/verification.md
  --max-states N      with verify: stop after N patient states per protocol
  -h, --help          show this help
  -v, --version       show the version

Exit status: 0 clean, 1 any error, failed test, counterexample or protocol
not verified completely,
2 a usage error or a path that cannot be read.`;

function takeValue(argv: string[], index: number, flag: string): string | { error: string } {
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) return { error: `${flag} needs a value` };
  return value;
}

export function parseArgs(argv: string[]): ParsedArgs {
  if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') return { kind: 'help' };
  if (argv.includes('-v') || argv.includes('--version')) return { kind: 'version' };
  const [command, ...rest] = argv;
  if (!command) return { kind: 'usage', message: 'no command given (try: posology check PATHS)' };
  if (!COMMANDS.includes(command as Command)) return { kind: 'usage', message: `unknown command '${command}' (use check, test or verify)` };
  const options: Options = { command: command as Command, paths: [], labels: [], format: 'human', verify: command === 'verify', explain: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--verify') options.verify = true;
    else if (arg === '--explain') options.explain = true;
    else if (arg === '--courses') options.courses = true;
    else if (arg === '--labels' || arg === '--format' || arg === '--max-states') {
      const value = takeValue(rest, i, arg);
      if (typeof value !== 'string') return { kind: 'usage', message: value.error };
      i++;
      const problem = applyValue(options, arg, value);
      if (problem) return { kind: 'usage', message: problem };
    } else if (arg.startsWith('-')) return { kind: 'usage', message: `unknown option '${arg}'` };
    else options.paths.push(arg);
  }
  if (options.paths.length === 0) return { kind: 'usage', message: `no PATHS given (try: posology ${command} examples)` };
  return { kind: 'run', options };
}

function applyValue(options: Options, flag: string, value: string): string | undefined {
  if (flag === '--labels') options.labels.push(value);
  else if (flag === '--format') {
    if (!FORMATS.includes(value as Format)) return `invalid --format '${value}' (use human, json or sarif)`;
    options.format = value as Format;
  } else {
    const count = Number(value);
    if (!Number.isInteger(count) || count <= 0) return `--max-states needs a positive whole number, not '${value}'`;
    options.maxStates = count;
  }
  return undefined;
}
