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
  /** With verify: search courses too (phase 2); on unless `--no-courses`. */
  courses?: boolean;
}

export type ParsedArgs = { kind: 'run'; options: Options } | { kind: 'help'; command?: Command } | { kind: 'version' } | { kind: 'usage'; message: string };

const COMMANDS: readonly Command[] = ['check', 'test', 'verify'];
const FORMATS: readonly Format[] = ['human', 'json', 'sarif'];

export const HELP = `Usage: posology <command> [options] PATHS...

Commands:
  check PATHS    check .dose files against their labels (syntax, names, units,
                 label checks, embedded tests) and verify every protocol
                 (--no-verify skips the verification)
  test PATHS     run the embedded test blocks and scenarios; ends with "N passed,
                 N failed"; a protocol without tests fails (--allow-empty accepts it)
  verify PATHS   explore every patient state and every course that matters and
                 report each place where a protocol breaks its label, as a
                 counterexample (a test for one day, a scenario for a course)

PATHS are .dose files or folders (searched recursively). A protocol's drug is
looked up in the files given, in every --labels DIR, and in the nearest labels/
folder found from the file's own folder upwards (not from the working directory).

Options:
  --labels DIR        also load the labels in DIR (repeatable)
  --format FORMAT     human (default), json or sarif
  --no-verify         with check: skip the verification (faster, less safe)
  --verify            with test: also run verification
  --allow-empty       with test: accept a protocol that has no tests
  --explain           with verify: print a test block for each one-day counterexample
                      and a scenario block for each course
  --no-courses        with check or verify: single days only, no search over whole
                      courses (holds until recovery, resumes, cycle gates); then
                      "verified" says so. --courses (the default) is accepted
  --max-states N      with verify: stop after N patient states (or course states)
                      per protocol (default 200000; past it: not verified, exit 1)
  -h, --help          show this help (posology <command> --help for one command)
  -v, --version       show the version

Exit status: 0 clean, 1 any error, failed test, counterexample or protocol
not verified completely,
2 a usage error or a path that cannot be read.`;

const COMMON_OPTIONS = `  --labels DIR        also load the labels in DIR (repeatable)
  --format FORMAT     human (default), json or sarif
  -h, --help          show this help`;

const WHERE_LABELS = `PATHS are .dose files or folders (searched recursively); a file given twice is
checked once. Labels come from the files given, every --labels DIR, and the
nearest labels/ folder from each file's own folder upwards.`;

/** `posology <command> --help`: what that command does and the options it takes. */
export const COMMAND_HELP: Record<Command, string> = {
  check: `Usage: posology check [options] PATHS...

Checks .dose files against their labels (syntax, names, units, label checks,
embedded tests) and verifies every protocol: what CI runs. Exit 1 on any error,
failed test or counterexample.

${WHERE_LABELS}

Options:
  --no-verify         skip the verification (faster, less safe)
  --no-courses        verify single days only, not whole courses
  --max-states N      stop verifying a protocol after N patient states
${COMMON_OPTIONS}

Example: posology check examples --format sarif > posology.sarif`,
  test: `Usage: posology test [options] PATHS...

Runs the embedded test blocks; ends with "N passed, N failed". A protocol with
no test block fails (POS5003), and so does a run in which no test ran.

${WHERE_LABELS}

Options:
  --allow-empty       accept a protocol that has no tests
  --verify            also verify every protocol
${COMMON_OPTIONS}

Example: posology test examples/pd-multiple-myeloma.dose`,
  verify: `Usage: posology verify [options] PATHS...

Explores every patient state and every course that matters and reports each
place where a protocol breaks its label, as a counterexample on the rule to
change. Says "verified" only when every state was explored.

${WHERE_LABELS}

Options:
  --explain           print a test block for each counterexample
  --no-courses        single days only, not whole courses
  --max-states N      stop after N patient states per protocol
${COMMON_OPTIONS}

Example: posology verify examples --explain`,
};

function takeValue(argv: string[], index: number, flag: string): string | { error: string } {
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) return { error: `${flag} needs a value` };
  return value;
}

export function parseArgs(argv: string[]): ParsedArgs {
  if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') {
    const named = argv[0] === 'help' ? argv[1] : argv[0];
    return COMMANDS.includes(named as Command) ? { kind: 'help', command: named as Command } : { kind: 'help' };
  }
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
    // Courses are searched by default; `--courses` stays accepted for scripts written when it was opt-in.
    else if (arg === '--courses') options.courses = true;
    else if (arg === '--no-courses') options.courses = false;
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
