/** `nnlab list`: every experiment with its one-line description. */
import { experiments } from '../../experiments/index.js';

export function listCommand(): void {
  const width = Math.max(...experiments.map((e) => e.name.length));
  const lines = experiments.map((e) => `  ${e.name.padEnd(width)}   ${e.description}`);
  process.stdout.write(`${lines.join('\n')}\n\nnnlab run <experiment> --help lists an experiment's options.\n`);
}
