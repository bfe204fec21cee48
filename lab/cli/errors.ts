/**
 * What an error prints as: one line, `nnlab: <message>`, never a stack trace, and the exit code:
 * 2 for usage errors (unknown experiment or option, a bad value, an unwritable --out),
 * 1 for failed runs (a diverged run, a failed write, anything unexpected).
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../experiments/index.js';
import { OutputError } from './output.js';
import { systemReason } from './system-errors.js';

export const USAGE_ERROR = 2;
export const RUN_FAILURE = 1;

export interface ErrorLine {
  /** The whole line, `nnlab: …`, without its newline. */
  line: string;
  code: number;
}

/**
 * errorLine(error, experiment?) is the line and exit code for `error`; `experiment` (the one
 * named on a `run` command line) prefixes commander's unknown-option message.
 */
export function errorLine(error: unknown, experiment?: string): ErrorLine {
  const { message, code } = describe(error, experiment);
  return { line: `nnlab: ${message.replace(/\s*\n\s*/g, ' ').trim()}`, code };
}

function describe(error: unknown, experiment: string | undefined): { message: string; code: number } {
  if (error instanceof CommanderError) {
    // "error: unknown option '--epoch'\n(Did you mean --epochs?)" → one line, without "error:".
    const message = error.message.replace(/^error: /, '').replace(/\n\(Did you mean/, ' (did you mean');
    if (error.code === 'commander.unknownOption' && experiment !== undefined) {
      const hint = message.includes('did you mean') ? '' : ` (nnlab run ${experiment} --help lists its options)`;
      return { message: `${experiment}: ${message}${hint}`, code: USAGE_ERROR };
    }
    return { message, code: USAGE_ERROR };
  }
  if (error instanceof ConfigError) return { message: error.message, code: USAGE_ERROR };
  if (error instanceof OutputError) return { message: error.message, code: error.exitCode };
  if (error instanceof Error) return { message: error.message || error.name, code: RUN_FAILURE };
  return { message: String(error), code: RUN_FAILURE };
}

/**
 * streamErrorLine(stream, error) is the line for a failed write to a standard stream:
 * `nnlab: cannot write to standard output: no space left on device (ENOSPC)`.
 */
export function streamErrorLine(stream: 'standard output', error: NodeJS.ErrnoException): string {
  const code = error.code === undefined ? '' : ` (${error.code})`;
  return `nnlab: cannot write to ${stream}: ${systemReason(error, 'a file')}${code}`;
}
