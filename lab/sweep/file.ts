/**
 * A sweep's results file: JSON lines, a header first (experiment, config, grid), then one row
 * per finished run, each appended and fsync'd as the run finishes. A stopped or killed sweep
 * loses at most the line being written; resuming drops that torn line and skips every run
 * already in the file. Node only (node:fs).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, kebab } from '../experiments/index.js';
import type { Config } from '../experiments/index.js';
import type { SweepGrid, SweepPlan } from './plan.js';
import { withoutDrawingOptions } from './plan.js';
import type { SweepRow } from './run.js';

/**
 * The first line: what the rows are results of. The seed range is not part of it, so a sweep can
 * be extended; nor are the drawing-only options, so --resolution does not start a new file.
 */
export interface SweepHeader {
  nnlabSweep: 1;
  experiment: string;
  config: Config;
  grid: SweepGrid | null;
}

export function headerOf(plan: SweepPlan): SweepHeader {
  return { nnlabSweep: 1, experiment: plan.experiment, config: withoutDrawingOptions(plan.config), grid: plan.grid ?? null };
}

/** What differs between the file's header and the plan's, in words (empty when they match). */
export function headerDifferences(file: SweepHeader, wanted: SweepHeader): string[] {
  const differences: string[] = [];
  if (file.experiment !== wanted.experiment) differences.push(`experiment ${file.experiment}, not ${wanted.experiment}`);
  else {
    for (const name of new Set([...Object.keys(file.config), ...Object.keys(wanted.config)])) {
      if (file.config[name] !== wanted.config[name]) differences.push(`--${kebab(name)} ${file.config[name]}, not ${wanted.config[name]}`);
    }
  }
  const grid = (g: SweepGrid | null) => (g === null ? 'no grid' : `--grid ${kebab(g.option)}=${g.values.join(',')}`);
  if (grid(file.grid) !== grid(wanted.grid)) differences.push(`${grid(file.grid)}, not ${grid(wanted.grid)}`);
  return differences;
}

export interface ResultsFile {
  /** The rows already in the file when it was opened, in file order. */
  readonly rows: readonly SweepRow[];
  append(row: SweepRow): void;
  close(): void;
}

/**
 * openResults(path, plan) opens (or creates) the file for appending. An existing file must have
 * the plan's header; a torn last line (a killed writer) is cut off; any other bad line is an error.
 */
export function openResults(path: string, plan: SweepPlan): ResultsFile {
  if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
  const unlock = lock(path);
  try {
    return openLocked(path, plan, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * Takes `<path>.lock` (holding this process's id), so two sweeps never append to one file. A
 * lock left by a process that no longer runs (a killed sweep) is taken over.
 */
function lock(path: string): () => void {
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new ConfigError(`sweep: another sweep (process ${owner}) is writing to ${path}; wait for it, stop it, or give another --file`);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new ConfigError(`sweep: cannot lock ${path}: ${lockPath} keeps reappearing`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function openLocked(path: string, plan: SweepPlan, unlock: () => void): ResultsFile {
  const wanted = headerOf(plan);
  const rows: SweepRow[] = [];
  let keep = 0;
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    // Only newline-terminated lines are whole: a line is written with its newline in one write.
    const end = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, end).split('\n').slice(0, -1);
    if (lines.length > 0) {
      const header = parseLine(path, lines[0], 1) as Partial<SweepHeader>;
      if (header.nnlabSweep !== 1) throw new ConfigError(`sweep: ${path} is not an nnlab sweep results file (its first line has no "nnlabSweep": 1)`);
      const differences = headerDifferences(header as SweepHeader, wanted);
      if (differences.length > 0) {
        throw new ConfigError(`sweep: ${path} holds another sweep (${differences.join('; ')}); give another --file, or delete it to start over`);
      }
      lines.slice(1).forEach((line, i) => rows.push(parseLine(path, line, i + 2) as SweepRow));
      keep = Buffer.byteLength(text.slice(0, end));
    }
  }
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
  // Cut a torn last line (or an empty file) back to the last whole line, then append after it.
  if (fstatSync(fd).size !== keep) ftruncateSync(fd, keep);
  let position = keep;
  const write = (value: unknown) => {
    const line = Buffer.from(JSON.stringify(value) + '\n');
    writeSync(fd, line, 0, line.length, position);
    fsyncSync(fd);
    position += line.length;
  };
  if (keep === 0) write(wanted);
  let open = true;
  return {
    rows,
    append: (row) => write(row),
    close: () => {
      if (open) {
        closeSync(fd);
        unlock();
      }
      open = false;
    },
  };
}

function parseLine(path: string, line: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new ConfigError(`sweep: ${path} line ${number} is not JSON (${JSON.stringify(line.slice(0, 60))}); the file is damaged beyond a torn last line`);
  }
}
