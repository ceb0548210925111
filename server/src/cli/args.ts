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
  /** With `test`: accept a protocol without tests (by default it fails). */
  allowEmpty: boolean;
  maxStates?: number;
}

export type ParsedArgs = { kind: 'run'; options: Options } | { kind: 'help' } | { kind: 'version' } | { kind: 'usage'; message: string };

const COMMANDS: readonly Command[] = ['check', 'test', 'verify'];
const FORMATS: readonly Format[] = ['human', 'json', 'sarif'];

export const HELP = `Usage: posology <command> [options] PATHS...

Commands:
  check PATHS    check .dose files against their labels (syntax, names, units,
                 label checks, embedded tests) and verify every protocol
                 (--no-verify skips the verification)
  test PATHS     run the embedded test blocks; ends with "N passed, N failed";
                 a protocol without tests fails (--allow-empty accepts it)
  verify PATHS   explore every patient state that matters and report each
                 state where a protocol breaks its label, as a counterexample

PATHS are .dose files or folders (searched recursively). A protocol's drug is
looked up in the files given, in every --labels DIR, and in the nearest labels/
folder found from the file's own folder upwards (not from the working directory).

Options:
  --labels DIR        also load the labels in DIR (repeatable)
  --format FORMAT     human (default), json or sarif
  --no-verify         with check: skip the verification (faster, less safe)
  --verify            with test: also run verification
  --allow-empty       with test: accept a protocol that has no tests
  --explain           with verify: print a test block for each counterexample
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
  // `check` verifies by default: what CI runs must catch what the verifier catches.
  const options: Options = { command: command as Command, paths: [], labels: [], format: 'human', verify: command !== 'test', explain: false, allowEmpty: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--verify') options.verify = true;
    else if (arg === '--no-verify') {
      if (command !== 'check') return { kind: 'usage', message: `--no-verify is an option of check, not of ${command}` };
      options.verify = false;
    } else if (arg === '--allow-empty') {
      if (command !== 'test') return { kind: 'usage', message: `--allow-empty is an option of test, not of ${command}` };
      options.allowEmpty = true;
    }
    else if (arg === '--explain') options.explain = true;
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
