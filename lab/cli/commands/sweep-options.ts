/**
 * `nnlab sweep`'s command line: its options, declared on the program. The sweep itself
 * (sweep.ts: worker threads, results file, progress bar) loads only when one runs.
 */
import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import type { Command } from 'commander';
import { ConfigError, DEFAULT_SEED } from '../../experiments/index.js';
import type { Experiment } from '../../experiments/index.js';
import type { SweepFlags } from './sweep.js';

function parseCount(option: string, min: number): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isSafeInteger(n) || n < min) {
      throw new ConfigError(`option --${option} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

/**
 * Workers beyond the cores only take turns on them, each holding a network and a thread's
 * memory (about 40 MB): a few per core still helps when some sit idle, a thousand do not.
 */
export const WORKERS_PER_CORE = 4;

/** The most `--workers` accepts on this machine: WORKERS_PER_CORE × its cores. */
export function maxWorkers(): number {
  return WORKERS_PER_CORE * availableParallelism();
}

function parseWorkers(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  const max = maxWorkers();
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new ConfigError(
      `option --workers must be an integer in [1, ${max}] (at most ${WORKERS_PER_CORE} per core, ${availableParallelism()} cores here), got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * Declares `nnlab sweep` on the program: `experiment` is the one named on the command line (its
 * options are declared with `addExperimentOptions`, as `run` declares them).
 */
export function addSweepCommand(
  nnlab: Command,
  experiment: Experiment | undefined,
  addExperimentOptions: (command: Command, experiment: Experiment) => Map<string, Option>,
): void {
  const sweep = nnlab
    .command('sweep')
    .description('run an experiment over many seeds (and a grid of one option) on all cores: success rate, final errors, failed seeds')
    .argument('<experiment>', 'the experiment to sweep (one that trains: nnlab list shows them)');
  const options = experiment === undefined ? new Map<string, Option>() : addExperimentOptions(sweep, experiment);
  sweep
    .optionsGroup('Sweep options:')
    .addOption(new Option('--seeds <n>', 'how many seeds').argParser(parseCount('seeds', 1)).default(100))
    .addOption(new Option('--from <n>', 'the first seed').argParser(parseCount('from', Number.MIN_SAFE_INTEGER)).default(DEFAULT_SEED))
    .addOption(new Option('--workers <n>', `worker threads (default: one per core; at most ${maxWorkers()}: ${WORKERS_PER_CORE} per core)`).argParser(parseWorkers))
    .option('--grid <name=v1,v2>', 'also sweep one option of the experiment over these values')
    .option('--file <path>', 'the results file to append to and resume from (default: nnlab-sweeps/<experiment>-<hash>.jsonl)')
    .option('--json', 'print the summary and every run as one JSON document and nothing else')
    .option('--out <dir>', 'write the histogram (SVG and PNG) and sweep.json into <dir>')
    .option('--force', 'with --out: write into a directory that holds files nnlab did not write')
    .action(async (name: string, flags: Omit<SweepFlags, 'json' | 'force'> & { json?: boolean; force?: boolean }) => {
      const raw: Record<string, unknown> = {};
      for (const [key, option] of options) {
        const value = sweep.getOptionValue(option.attributeName()) as unknown;
        if (value !== undefined) raw[key] = value;
      }
      const { sweepCommand } = await import('./sweep.js');
      await sweepCommand(name, raw, { ...flags, json: flags.json === true, force: flags.force === true });
    });
}
