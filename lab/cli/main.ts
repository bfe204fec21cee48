/**
 * The nnlab command: parses the command line (commander), dispatches to list / run / report,
 * and is the one place errors are caught and printed (as errors.ts words them). Each command's
 * module loads when that command runs, so `nnlab list` loads little more than the experiments.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, DEFAULT_SEED, allowed, experiments, findExperiment, kebab } from '../experiments/index.js';
import type { Experiment } from '../experiments/index.js';
import type { Palette } from '../render/index.js';
import { listCommand } from './commands/list.js';
import { addSweepCommand } from './commands/sweep-options.js';
import { errorLine, RUN_FAILURE, streamErrorLine, USAGE_ERROR } from './errors.js';
import { LAB_VERSION } from '../location.js';

const PALETTES: readonly Palette[] = ['bwr', 'colorblind'];
/** Options of `run` that take a value (the rest are flags). */
const RUN_VALUE_OPTIONS = ['--seed', '--palette', '--out'];
const SWEEP_VALUE_OPTIONS = ['--seeds', '--from', '--workers', '--grid', '--file', '--out'];
const DEFAULT_PORT = 5178;
const DEFAULT_HOST = '127.0.0.1';

function parseSeed(value: string): number {
  const seed = value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(seed)) throw new ConfigError(`option --seed must be an integer, got ${JSON.stringify(value)}`);
  return seed;
}

function parsePalette(value: string): Palette {
  const palette = PALETTES.find((p) => p === value);
  if (palette === undefined) throw new ConfigError(`option --palette must be one of ${PALETTES.join(', ')}, got ${JSON.stringify(value)}`);
  return palette;
}

function parsePort(value: string): number {
  const port = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`option --port must be an integer in [0, 65535] (0: any free port), got ${JSON.stringify(value)}`);
  }
  return port;
}

/** An empty --host (an unset shell variable) would listen on every interface: only a named one does. */
function parseHost(value: string): string {
  if (value.trim() === '') throw new ConfigError(`option --host must be an address or a host name (0.0.0.0 listens on every interface), got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The experiment named on a `run` or `sweep` command line (its first operand), found before
 * parsing so that its options can be declared: `nnlab run two-layer --hidden 3`.
 */
function experimentOf(argv: readonly string[]): Experiment | undefined {
  const command = argv.findIndex((arg) => !arg.startsWith('-'));
  if (command === -1 || (argv[command] !== 'run' && argv[command] !== 'sweep')) return undefined;
  const valueOptions = argv[command] === 'run' ? RUN_VALUE_OPTIONS : SWEEP_VALUE_OPTIONS;
  for (let i = command + 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return argv[i + 1] === undefined ? undefined : findExperiment(argv[i + 1]);
    if (valueOptions.includes(arg)) i++;
    else if (!arg.startsWith('-')) return findExperiment(arg);
  }
  return undefined;
}

/** Declares the experiment's options on `run`; returns the option behind each config name. */
function addExperimentOptions(command: Command, experiment: Experiment): Map<string, Option> {
  const group = `Options of ${experiment.name}:`;
  const options = new Map<string, Option>();
  for (const [name, spec] of Object.entries(experiment.schema)) {
    const flag = `--${kebab(name)}`;
    const help = `${spec.help}: ${allowed(spec)} (default: ${spec.default})`;
    const placeholder = spec.type === 'integer' ? 'n' : spec.type === 'number' ? 'x' : spec.type === 'choice' ? 'name' : 'bool';
    const option = new Option(spec.type === 'boolean' ? `${flag} [bool]` : `${flag} <${placeholder}>`, help).helpGroup(group);
    command.addOption(option);
    if (spec.type === 'boolean') command.addOption(new Option(`--no-${kebab(name)}`, `same as ${flag} false`).helpGroup(group));
    options.set(name, option);
  }
  return options;
}

interface RunFlags {
  seed: number;
  palette: Palette;
  out?: string;
  force?: boolean;
  json?: boolean;
  live: boolean;
}

function program(argv: readonly string[]): Command {
  const nnlab = new Command('nnlab')
    .description('Runs the experiments of the neural-network basics chapter with nnlab.')
    .version(LAB_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);

  nnlab
    .command('list')
    .description('list the experiments, each with a one-line description')
    .action(() => listCommand());

  const experiment = experimentOf(argv);
  const run = nnlab
    .command('run')
    .description(
      experiment === undefined
        ? `run an experiment: ${experiments.map((e) => e.name).join(', ')}`
        : `${experiment.name}: ${experiment.description}`,
    )
    .argument('<experiment>', 'the experiment to run (nnlab list shows them)');
  if (experiment === undefined) run.addHelpText('after', '\nnnlab run <experiment> --help lists that experiment\'s options.');
  else run.usage(`${experiment.name} [options]`);
  const experimentOptions = experiment === undefined ? new Map<string, Option>() : addExperimentOptions(run, experiment);
  run
    .optionsGroup('Run options:')
    .addOption(new Option('--seed <n>', 'random seed; the same seed repeats a run').argParser(parseSeed).default(DEFAULT_SEED))
    .addOption(new Option('--palette <name>', `heat-map colours: ${PALETTES.join(' or ')}`).argParser(parsePalette).default('bwr'))
    .option('--out <dir>', 'write the figures (SVG and PNG) and records.json into <dir>')
    .option('--force', 'with --out: write into a directory that holds files nnlab did not write')
    .option('--json', 'print the run summary as one JSON document and nothing else')
    .option('--no-live', 'do not redraw the heat maps in the terminal while training')
    .addHelpOption(new Option('-h, --help', 'list the options with their defaults and ranges').helpGroup('Run options:'))
    .action(async (name: string, flags: RunFlags) => {
      const chosen = experiment ?? findExperiment(name);
      const raw: Record<string, unknown> = {};
      for (const [key, option] of experimentOptions) {
        const value = run.getOptionValue(option.attributeName()) as unknown;
        if (value !== undefined) raw[key] = value;
      }
      const { runCommand } = await import('./commands/run.js');
      await runCommand(chosen, raw, { seed: flags.seed, palette: flags.palette, out: flags.out, force: flags.force === true, json: flags.json === true, live: flags.live });
    });

  addSweepCommand(nnlab, experiment, addExperimentOptions);

  nnlab
    .command('report')
    .description('run every experiment with its defaults and write a self-contained index.html')
    .option('--out <dir>', 'the directory to write index.html into', 'nnlab-report')
    .option('--force', 'write into a directory that holds files nnlab did not write')
    .addOption(new Option('--palette <name>', `heat-map colours: ${PALETTES.join(' or ')}`).argParser(parsePalette).default('bwr'))
    .action(async (flags: { out: string; force?: boolean; palette: Palette }) => (await import('./commands/report.js')).reportCommand({ ...flags, force: flags.force === true }));

  nnlab
    .command('serve')
    .description('build the browser lab if needed and serve it on this machine (npm start does this)')
    .addOption(new Option('--port <n>', 'the port to listen on (0: any free port; the address is printed)').argParser(parsePort).default(DEFAULT_PORT))
    .addOption(new Option('--host <address>', 'the address to listen on (other than loopback: reachable from other machines)').argParser(parseHost).default(DEFAULT_HOST))
    .action(async (flags: { port: number; host: string }) => (await import('./commands/serve.js')).serveCommand(flags));

  nnlab
    .command('export')
    .description('write a model file (saveModel\'s, or the playground\'s Save model) as an ONNX file')
    .argument('<model.json>', 'the model file (nnlab\'s format)')
    .requiredOption('--onnx <out.onnx>', 'the ONNX file to write (written whole or not at all; an existing file is replaced)')
    .addHelpText(
      'after',
      '\nThe ONNX model computes the model\'s forward in evaluation mode: input \'input\' [batch, width], output \'output\'.\nA playground model reads its input features, in order; the command prints them.',
    )
    .action(async (model: string, flags: { onnx: string }) => (await import('./commands/export.js')).exportCommand(model, flags));

  return nnlab;
}

/** The experiment named on the command line, if any (for error messages; never throws). */
function experimentNamed(argv: readonly string[]): string | undefined {
  try {
    return experimentOf(argv)?.name;
  } catch {
    return undefined;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await program(argv).parseAsync([...argv], { from: 'user' });
    // A command may end without an error but not successfully (a stopped sweep: 130).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Help and version end with a CommanderError too: exit 0, or 2 when help stood in for a command.
    if (error instanceof CommanderError && (error.code === 'commander.help' || error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) {
      return error.exitCode === 0 ? 0 : USAGE_ERROR;
    }
    const { line, code } = errorLine(error, experimentNamed(argv));
    process.stderr.write(`${line}\n`);
    if (process.env.NNLAB_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return code;
  }
}

// A reader that stops early (`nnlab list | head`: EPIPE) has what it wanted: end quietly with 0,
// as a filter killed by SIGPIPE ends without a word. Any other stdout failure (`> /dev/full`)
// loses the output: say so in one line and stop at once, as nothing more can reach the user.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`${streamErrorLine('standard output', error)}\n`);
  process.exit(RUN_FAILURE);
});
// NOTE: stderr carries only error lines (whose exit code already says so) and a terminal's
// progress, and a failing stderr has nowhere to report to: its errors are dropped, and the
// command ends with its own exit code.
process.stderr.on('error', () => {});

process.exitCode = await main(process.argv.slice(2));
