/**
 * The report's sweep, in words computed from its rows: per grid value how many runs were not
 * solved and where they ended, then how the grid values compare. Pure (Node and browser).
 */
import { kebab } from '../experiments/index.js';
// A final error as the verdict line writes it, so the sentence and the verdicts agree (0.25, 0.126).
import { short } from '../experiments/verdict.js';
import type { SweepRow } from '../sweep/run.js';
import type { GroupSummary, SweepSummary } from '../sweep/summary.js';


/** "0.25 (7 runs), 0.246, 0.224 and 0.126": the distinct final errors of `rows`, largest first, with their counts. */
function levels(rows: readonly SweepRow[]): string {
  const counts = new Map<string, { value: number; runs: number }>();
  let diverged = 0;
  for (const row of rows) {
    if (row.finalError === null || !Number.isFinite(row.finalError)) {
      diverged++;
      continue;
    }
    const key = short(row.finalError);
    const level = counts.get(key) ?? { value: Number(key), runs: 0 };
    level.runs++;
    counts.set(key, level);
  }
  const parts = [...counts.entries()]
    .sort(([, a], [, b]) => b.value - a.value)
    .map(([key, { runs }]) => (runs === 1 ? key : `${key} (${runs} runs)`));
  if (diverged > 0) parts.push(`a diverged error in ${diverged} run${diverged === 1 ? '' : 's'}`);
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

const seedList = (seeds: readonly number[], most = 10): string =>
  seeds.slice(0, most).join(', ') + (seeds.length > most ? ` and ${seeds.length - most} more` : '');

/** "with --hidden 2, 10 of the 100 runs were not solved: …" or "with --hidden 4, every one of the 100 runs was solved". */
function groupSentence(summary: SweepSummary, group: GroupSummary, rows: readonly SweepRow[]): string {
  const where = summary.grid === null || group.value === undefined ? 'over all seeds' : `with --${kebab(summary.grid.option)} ${group.value}`;
  const failed = rows.filter((r) => r.value === group.value && !r.solved);
  if (failed.length === 0) return `${where}, every one of the ${group.runs} runs was solved`;
  return (
    `${where}, ${failed.length} of the ${group.runs} runs ${failed.length === 1 ? 'was' : 'were'} not solved (seed${failed.length === 1 ? '' : 's'} ${seedList(failed.map((r) => r.seed))}), ` +
    `ending at final error ${levels(failed)}`
  );
}

/**
 * sweepFindings(summary, rows): what the sweep found, e.g. "Solved means every final prediction
 * on the right side of 0.5. With --hidden 2, 10 of the 100 runs were not solved (…), ending at
 * final error 0.25 (7 runs), …; with --hidden 4, every one of the 100 runs was solved."
 */
export function sweepFindings(summary: SweepSummary, rows: readonly SweepRow[]): string {
  const sentences = summary.groups.map((group) => groupSentence(summary, group, rows));
  const text = sentences.join('; ');
  return `In this sweep, ${text}.`;
}
