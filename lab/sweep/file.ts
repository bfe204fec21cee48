/**
 * A sweep's results file: JSON lines, a header first (experiment, config, grid), then one row
 * per finished run, each appended and fsync'd as the run finishes. A stopped or killed sweep
 * loses at most the line being written; resuming drops that torn line and skips every run
 * already in the file. Node only (node:fs).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, kebab } from '../experiments/index.js';
import type { SweepGrid, SweepPlan } from './plan.js';
import { withoutDrawingOptions } from './plan.js';
import type { SweepRow } from './run.js';
import { readResults, rowLine } from './lines.js';
import type { SweepHeader } from './lines.js';
import { lockFile } from './lock.js';
import type { Unlock } from './lock.js';

export type { SweepHeader } from './lines.js';

/**
 * The first line (SweepHeader, in lines.ts): what the rows are results of. The seed range is not
 * part of it, so a sweep can be extended; nor are the drawing-only options, so --resolution does
 * not start a new file.
 */
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
 * the plan's header and valid rows (see readResults); a torn last line (a killed writer) is cut
 * off. Rows are appended with O_APPEND, each in one write, then fsync'd.
 */
export function openResults(path: string, plan: SweepPlan): ResultsFile {
  if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
  const unlock = lockFile(path);
  try {
    return openLocked(path, plan, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

function openLocked(path: string, plan: SweepPlan, unlock: Unlock): ResultsFile {
  const wanted = headerOf(plan);
  const headerText = JSON.stringify(wanted);
  const existing = existsSync(path) ? readResults(path, readFileSync(path), headerText) : undefined;
  if (existing?.header !== undefined) {
    const differences = headerDifferences(existing.header, wanted);
    if (differences.length > 0) {
      throw new ConfigError(`sweep: ${path} holds another sweep (line 1: ${differences.join('; ')}); give another --file, or delete it to start over`);
    }
  }
  const fd = openSync(path, 'a');
  const keep = existing?.keep ?? 0;
  // Cut a torn last line (or a torn header) back to the last whole line, then append after it.
  if (fstatSync(fd).size !== keep) ftruncateSync(fd, keep);
  const write = (line: string) => {
    writeSync(fd, line);
    fsyncSync(fd);
  };
  if (existing?.header === undefined) write(headerText + '\n');
  let open = true;
  return {
    rows: existing?.rows ?? [],
    append: (row) => write(rowLine(row)),
    close: () => {
      if (open) {
        closeSync(fd);
        unlock();
      }
      open = false;
    },
  };
}
