/**
 * annealing-vs-descent: what a run showed (its own race and the seeds raced after it, filled from
 * its final record), and the explanation's counts over seeds, computed from the finals of runs
 * that race those seeds (test/lab/claims/annealing-vs-descent.test.ts re-runs them and compares
 * the sentence). Runs anywhere.
 */
import type { Cell, FigureRecord, FinalRecord, LabRecord, Prediction } from '../types.js';
import { extraValues } from '../items.js';
import { claimNumber } from './vanishing-gradients.js';

type Final = Pick<FinalRecord, 'extra' | 'error'>;

/** The mean squared error of predictions (the annealer's, read from its predictions item). */
function mse(predictions: readonly Prediction[]): number {
  return predictions.reduce((sum, p) => sum + (p.output[0] - p.target[0]) ** 2, 0) / predictions.length;
}

/** How many of the raced seeds each method solved, from the final record's seeds table. */
export interface RaceCount {
  from: number;
  seeds: number;
  descent: number;
  annealing: number;
}

/** The raced seeds' counts of a final record (the seeds table; every row's solved is the lab's one rule). */
export function raceCount(final: Final): RaceCount {
  const rows = extraValues(final).seeds;
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('annealing-vs-descent claims: the final record has no seeds table (--race-seeds 0?)');
  const table = rows as Record<string, Cell>[];
  const count = (key: string) => table.filter((r) => r[key] === 'yes').length;
  return { from: Number(table[0].seed), seeds: table.length, descent: count('descentSolved'), annealing: count('annealingSolved') };
}

const seedRange = (c: RaceCount): string => `seeds ${c.from}–${c.from + c.seeds - 1}`;

/** The run's findings as one paragraph. */
export function annealingFindings(config: { dataset: unknown; raceSeeds: number }, final: Final): string {
  const values = extraValues(final);
  const task = config.dataset === 'square' ? 'the square' : 'XOR';
  const loss = (key: string) => claimNumber(Number(values[key]));
  const solved = (key: string) => (values[key] === true ? `solved ${task}` : `did not solve ${task}`);
  const own =
    `In this run gradient descent ended at MSE ${claimNumber(final.error ?? Number.NaN)} and ${solved('descentSolved')}; ` +
    `annealing’s best point ended at ${claimNumber(mse(values.annealingPredictions as Prediction[]))} and ${solved('annealingSolved')}.`;
  if (config.raceSeeds === 0) return own;
  const c = raceCount(final);
  return (
    `${own} Raced again over ${seedRange(c)}, descent solved ${c.descent} and annealing ${c.annealing} ` +
    `(median final loss ${loss('descentMedianLoss')} against ${loss('annealingMedianLoss')}).`
  );
}

/** "the two tie (64 and 63)", "descent leads (90 against 70)" or "annealing leads (15 against 13)": one seed apart is a tie. */
function race(c: RaceCount, again = false): string {
  if (Math.abs(c.descent - c.annealing) <= 1) return `the two tie (${c.descent} and ${c.annealing})`;
  return c.descent > c.annealing ? `descent leads${again ? ' again' : ''} (${c.descent} against ${c.annealing})` : `annealing leads (${c.annealing} against ${c.descent})`;
}

/**
 * The explanation's counts: XOR at the defaults, at 1998 and 6000 evaluations with
 * --gradient-cost 3, and the square (--hidden 3) at 4000 and 20000 evaluations.
 */
export function annealingSeedSentence(xor: RaceCount, cost3Even: RaceCount, cost3Long: RaceCount, squareShort: RaceCount, squareLong: RaceCount, budgets: { even: number; long: number; squareShort: number; squareLong: number }): string {
  const leads = (c: RaceCount) => (c.annealing > c.descent + 1 ? ' while descent still crawls over the flat start of its sigmoids' : '');
  return (
    `Over ${seedRange(xor)} at the defaults descent solves ${xor.descent} (all four corners on the right side of 0.5) and annealing ${xor.annealing}. ` +
    `Charged as three forward passes (--gradient-cost 3), descent gets a third of the steps: at ${budgets.even} evaluations ${race(cost3Even)}, ` +
    `at ${budgets.long} ${race(cost3Long, true)}. The budget decides on the square exercise too (--dataset square --hidden 3, ${seedRange(squareShort)}): ` +
    `at ${budgets.squareShort} evaluations ${race(squareShort)}${leads(squareShort)}; at ${budgets.squareLong} ${race(squareLong)}.`
  );
}

/** How one annealing run accepted its proposals in the first and the last quarter of its budget, and where its loss was then. */
export interface AcceptanceQuarters {
  /** Its best point solved the task (the verdict item annealingSolved). */
  solved: boolean;
  /** Share of all proposals accepted. */
  first: number;
  last: number;
  /** Share of uphill proposals accepted: exp(−Δ/T) on average, so it rises only where Δ shrinks faster than T. */
  firstUphill: number;
  lastUphill: number;
  /** The highest loss the annealer stood at in the last quarter. */
  lastLoss: number;
  /** Both methods' final losses (annealing: its best point). */
  annealingLoss: number;
  descentLoss: number;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** A run's AcceptanceQuarters, from its last annealing figure (windows of equal size, so a quarter's share is its windows' mean). */
export function acceptanceQuarters(records: readonly LabRecord[]): AcceptanceQuarters {
  const figure = records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === 'annealing').at(-1);
  const final = records.find((r): r is FinalRecord => r.kind === 'final');
  if (figure === undefined || final === undefined) throw new Error('annealing-vs-descent claims: the run has no annealing figure or no final record');
  const series = (label: string) => figure.panels.flatMap((p) => p.series).find((s) => s.label === label)!.y;
  const all = series('all proposals');
  const quarter = Math.floor(all.length / 4);
  const first = <T>(values: T[]) => values.slice(0, quarter);
  const last = <T>(values: T[]) => values.slice(-quarter);
  // A window without uphill proposals has no uphill share (NaN).
  const uphill = (values: number[]) => mean(values.filter(Number.isFinite));
  const values = extraValues(final);
  return {
    solved: values.annealingSolved === true,
    first: mean(first(all)),
    last: mean(last(all)),
    firstUphill: uphill(first(series('uphill proposals'))),
    lastUphill: uphill(last(series('uphill proposals'))),
    lastLoss: Math.max(...last(series('annealing: current'))),
    annealingLoss: mse(values.annealingPredictions as Prediction[]),
    descentLoss: final.error ?? Number.NaN,
  };
}

const percent = (share: number): string => String(Math.round(100 * share));
const percents = (shares: readonly number[]): string => {
  const [low, high] = [percent(Math.min(...shares)), percent(Math.max(...shares))];
  return low === high ? `${low}%` : `${low}–${high}%`;
};

/** The explanation's acceptance rates over seeds `from` … from + n − 1 (one run each, defaults): the runs that solve XOR, then the others. */
export function annealingPlateauSentence(from: number, runs: readonly AcceptanceQuarters[]): string {
  const solved = runs.filter((r) => r.solved);
  const others = runs.filter((r) => !r.solved);
  return (
    `over seeds ${from}–${from + runs.length - 1} the ${solved.length} runs that solve XOR accept ${percents(solved.map((r) => r.last))} of their proposals ` +
    `in the last quarter of the budget, against ${percents(solved.map((r) => r.first))} in the first quarter; the ${others.length} that do not accept ` +
    `${percents(others.map((r) => r.last))} in the last`
  );
}
