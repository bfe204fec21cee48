/**
 * A training run's verdict, computed from its records: solved (every final prediction on the
 * right side) or stuck, where it stalled, and a hint when the run shows why. The CLI's last line,
 * the experiment page, the report and the sweep all read it from here. Runs anywhere.
 */
import { math } from 'nnlab';
import type { NestedArray } from 'nnlab';
import { labelled, tableItem } from './items.js';
import type { Cell, Config, FinalItem, FinalRecord, LabRecord, Prediction, StartRecord } from './types.js';

/**
 * isRight(prediction): the prediction is on the right side. A single output is right when it is
 * within 0.5 of its 0/1 target; several outputs (class probabilities) are right when the largest
 * is the target class.
 */
export function isRight({ output, target }: Prediction): boolean {
  if (output.length === 1) return Math.abs(output[0] - target[0]) < 0.5;
  const best = output.reduce((arg, y, i) => (y > output[arg] ? i : arg), 0);
  return best === target[0];
}

/** isSolved(predictions): every prediction is on the right side. The lab's one success rule (the sweep counts with it too). */
export function isSolved(predictions: readonly Prediction[]): boolean {
  return predictions.every(isRight);
}

export interface VariantVerdict {
  /** 'train' for a single network; otherwise the series name ('relu', 'descent', …). */
  variant: string;
  solved: boolean;
  /** The final error where the run ended (null: it diverged or is not known). */
  stalledAt: number | null;
  /** Why it is stuck, when the run shows it. */
  hint?: string;
  /** One phrase: 'solved', 'stuck at 0.125: …', 'diverged at epoch 3'. */
  text: string;
}

export interface Verdict {
  /** Every variant solved. */
  solved: boolean;
  variants: VariantVerdict[];
  /** The line to show: one phrase, or 'relu: solved · sigmoid: stuck at 0.693 (…)'. */
  text: string;
}

/** Final error as the lab prints it: 3 significant digits (0.25, 0.126; 1.8e-4 below 0.001). */
export const short = (x: number): string => (Math.abs(x) >= 1e-3 || x === 0 ? String(Number(x.toPrecision(3))) : x.toExponential(1));

/**
 * verdictOf(records): the verdict of one training run (its 'start', 'epoch' and 'final' records),
 * or null for a run without epochs (figures, walkthroughs) or without a final record.
 */
export function verdictOf(records: readonly LabRecord[]): Verdict | null {
  const start = records.find((r): r is StartRecord => r.kind === 'start');
  const final = records.find((r): r is FinalRecord => r.kind === 'final');
  if (start === undefined || final === undefined) return null;
  const firstError = new Map<string, number>();
  const lastError = new Map<string, number>();
  const divergedAt = new Map<string, number>();
  for (const r of records) {
    if (r.kind !== 'epoch') continue;
    const series = r.series === undefined || r.series === 'train' ? (start.mainSeries ?? 'train') : r.series;
    if (!firstError.has(series)) firstError.set(series, r.error);
    lastError.set(series, r.error);
    if (!Number.isFinite(r.error) && !divergedAt.has(series)) divergedAt.set(series, r.epoch);
  }
  if (lastError.size === 0) return null;
  const variants = judgedVariants(start, final, lastError) ?? (final.predictions.length > 0 ? [singleNet(start, final)] : countedVariants(final, firstError, lastError, divergedAt));
  if (variants.length === 0) return null;
  return {
    solved: variants.every((v) => v.solved),
    variants,
    text: variants.length === 1 && variants[0].variant === 'train' ? variants[0].text : variants.map((v) => `${v.variant}: ${v.text}`).join(' · '),
  };
}

/** Experiments that judge their variants themselves (verdict items named '<variant>Solved'). */
function judgedVariants(start: StartRecord, final: FinalRecord, lastError: Map<string, number>): VariantVerdict[] | null {
  const judged = Object.entries(final.extra ?? {}).filter(([key, item]) => item.kind === 'verdict' && key.endsWith('Solved'));
  if (judged.length === 0) return null;
  return judged.map(([key, item]) => {
    const variant = key.slice(0, -'Solved'.length);
    const solved = item.kind === 'verdict' && item.holds;
    const error = lastError.get(variant) ?? (variant === start.mainSeries ? (final.error ?? null) : null);
    return variantVerdict(variant, solved, error ?? null);
  });
}

/** A variant's verdict; its text 'solved' or 'stuck at 0.125: <hint>' unless `text` is given. */
function variantVerdict(variant: string, solved: boolean, stalledAt: number | null, hint?: string, text?: string): VariantVerdict {
  const at = stalledAt === null ? '' : ` at ${short(stalledAt)}`;
  text ??= solved ? 'solved' : `stuck${at}${hint === undefined ? '' : `: ${hint}`}`;
  return { variant, solved, stalledAt, ...(hint === undefined ? {} : { hint }), text };
}

/** A single network with predictions: the one rule, and a hint from its hidden units' lines. */
function singleNet(start: StartRecord, final: FinalRecord): VariantVerdict {
  const solved = isSolved(final.predictions);
  const stalledAt = final.error ?? null;
  return variantVerdict('train', solved, stalledAt, solved ? undefined : hintFor(start.experiment, start.config, final));
}

/** Why a single network is stuck, when its configuration, outputs or hidden units show it. */
function hintFor(experiment: string, config: Config, final: FinalRecord): string | undefined {
  if (experiment === 'logistic-regression' && config.gate === 'xor') return 'one unit draws one line; XOR needs two';
  if (final.predictions.every((p) => p.output.length === 1 && Math.abs(p.output[0] - 0.5) < 0.01)) {
    return 'it predicts 0.5 for every point (its weights stayed near a saddle) — try another seed';
  }
  if (experiment !== 'two-layer') return undefined;
  const lines = hiddenLinesOf(final.parameters);
  if (lines === null) return undefined;
  // The square with fewer than 3 units is refused before it runs (two-layer's rule).
  if (lines.length === 1) return 'one hidden unit draws one line; XOR needs two — try `--hidden 2`';
  const more = `try another seed or \`--hidden ${lines.length + 1}\``;
  if (coincidingPair(lines) !== null) return `${lines.length === 2 ? 'two hidden units' : 'two of its hidden units'} drew the same line — ${more}`;
  const pair = confusedPair(final);
  if (pair !== null) {
    const [a, b] = pair.map((p) => `(${p.input.join(', ')})`);
    return `${a} and ${b} fall on the same side of every hidden line, so the output cannot tell them apart — ${more}`;
  }
  return undefined;
}

/**
 * Two points with different targets whose hidden values (sigmoid of each unit's w·x + b) all
 * differ by less than `tolerance`: whatever the output unit weighs them by, it gives them
 * nearly the same output, so one of them stays wrong.
 */
export function confusedPair(final: Pick<FinalRecord, 'predictions' | 'parameters'>, tolerance = 0.1): [Prediction, Prediction] | null {
  const weight = final.parameters['hidden.weight'];
  const bias = final.parameters['hidden.bias'];
  if (!Array.isArray(weight) || !Array.isArray(bias)) return null;
  const w = weight as number[][]; // [inputs, units]
  const hidden = final.predictions.map(({ input }) =>
    (bias as number[]).map((b, unit) => 1 / (1 + math.exp(-(input.reduce((z, x, i) => z + x * w[i][unit], b))))),
  );
  const { predictions } = final;
  for (let i = 0; i < predictions.length; i++) {
    for (let j = i + 1; j < predictions.length; j++) {
      if (predictions[i].target[0] === predictions[j].target[0]) continue;
      if (hidden[i].every((h, unit) => Math.abs(h - hidden[j][unit]) < tolerance)) return [predictions[i], predictions[j]];
    }
  }
  return null;
}

/** A hidden unit's line w·x + b = 0, scaled to a unit normal so lines compare by position. */
interface Line {
  w: [number, number];
  b: number;
}

/** The hidden layer's lines from 'hidden.weight' ([2, units]) and 'hidden.bias', or null. */
export function hiddenLinesOf(parameters: Record<string, NestedArray>): Line[] | null {
  const weight = parameters['hidden.weight'];
  const bias = parameters['hidden.bias'];
  if (!Array.isArray(weight) || weight.length !== 2 || !Array.isArray(bias)) return null;
  const [w0, w1] = weight as number[][];
  return (bias as number[]).map((b, unit) => {
    const norm = Math.hypot(w0[unit], w1[unit]) || 1;
    return { w: [w0[unit] / norm, w1[unit] / norm], b: b / norm };
  });
}

/**
 * Two lines nearly coincide when their unit normals and offsets agree up to sign within `tolerance`
 * (in units of the input square's side): the two units then split the plane in the same place,
 * and the net has one line where it needs two.
 */
export function coincidingPair(lines: readonly Line[], tolerance = 0.1): [number, number] | null {
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i];
      const c = lines[j];
      const same = Math.hypot(a.w[0] - c.w[0], a.w[1] - c.w[1], a.b - c.b);
      const flipped = Math.hypot(a.w[0] + c.w[0], a.w[1] + c.w[1], a.b + c.b);
      if (Math.min(same, flipped) < tolerance) return [i, j];
    }
  }
  return null;
}

/** The final item of side-by-side nets that keep no predictions: each net's outputs on its training points, counted. */
export const RIGHT_SIDE_KEY = 'rightSide';

/** One net's outputs on its training points at the end: how many are on the right side, and their range. */
export interface RightSideCount {
  variant: string;
  right: number;
  points: number;
  lowest: number;
  highest: number;
}

/**
 * rightSideItem(nets): each net's final predictions counted by the one rule (isRight), with the
 * range of its outputs, as the table a final record keeps under RIGHT_SIDE_KEY: a net is solved
 * when `right` is `points`, exactly when isSolved(its predictions) holds. Counts, not the
 * predictions themselves: a deep comparison has several nets of many points each, which no one
 * reads point by point. Single outputs (a probability per point) only.
 */
export function rightSideItem(nets: readonly { variant: string; predictions: readonly Prediction[] }[]): FinalItem {
  const rows = nets.map(({ variant, predictions }) => {
    const outputs = predictions.map((p) => p.output[0]);
    return { variant, right: predictions.filter(isRight).length, points: predictions.length, lowest: Math.min(...outputs), highest: Math.max(...outputs) };
  });
  return labelled(
    'points on the right side at the end (output within 0.5 of the 0/1 target)',
    tableItem(rows, undefined, { variant: 'net', right: 'on the right side', points: 'of', lowest: 'lowest output', highest: 'highest output' }),
  );
}

/** The counts a final record keeps under RIGHT_SIDE_KEY, by net (null: it keeps none). */
export function rightSideOf(final: Pick<FinalRecord, 'extra'>): Map<string, RightSideCount> | null {
  const item = final.extra?.[RIGHT_SIDE_KEY];
  if (item === undefined || item.kind !== 'table') return null;
  // A net whose outputs are not finite has null in the table (JSON has no NaN).
  const number = (cell: Cell) => (typeof cell === 'number' ? cell : Number.NaN);
  return new Map(
    item.rows.map((row) => {
      const variant = String(row.variant);
      return [variant, { variant, right: number(row.right), points: number(row.points), lowest: number(row.lowest), highest: number(row.highest) }];
    }),
  );
}

/**
 * Side-by-side nets that keep no predictions (the deep comparisons) are judged by the counts they
 * keep instead: solved when every point is on the right side, the same rule as isSolved. A net
 * whose outputs all agree within 0.01 is stuck: whatever the input, it predicts the same. Any
 * other says how far its error fell and how many points it has right, so a net that clearly
 * learns does not read as stuck.
 */
function countedVariants(final: FinalRecord, firstError: Map<string, number>, lastError: Map<string, number>, divergedAt: Map<string, number>): VariantVerdict[] {
  const counts = rightSideOf(final);
  if (counts === null) return [];
  return [...lastError.entries()].map(([variant, error]) => {
    const diverged = divergedAt.get(variant);
    if (diverged !== undefined || !Number.isFinite(error)) {
      return { variant, solved: false, stalledAt: null, text: `diverged at epoch ${diverged ?? '?'}` };
    }
    const count = counts.get(variant);
    if (count === undefined) throw new Error(`verdict: the ${RIGHT_SIDE_KEY} table has no row for ${variant}`);
    if (count.right === count.points) return variantVerdict(variant, true, error);
    // NOTE: such a net predicts the share of points inside the circle (0.56 at seed 1): the best constant guess.
    if (count.highest - count.lowest < 0.01) return variantVerdict(variant, false, error, `it predicts ${((count.lowest + count.highest) / 2).toFixed(2)} for every point`);
    const first = firstError.get(variant);
    const fell = first !== undefined && Number.isFinite(first) && error < 0.9 * first;
    const right = `${count.right} of ${count.points} points on the right side`;
    return variantVerdict(variant, false, error, undefined, fell ? `not solved yet: fell from ${short(first)} to ${short(error)}, ${right}` : `not solved at ${short(error)}: ${right}`);
  });
}

/** The verdict as table cells, for anything that shows rows. */
export function verdictRows(verdict: Verdict): Record<string, Cell>[] {
  return verdict.variants.map((v) => ({ variant: v.variant, solved: v.solved, stalledAt: v.stalledAt, verdict: v.text }));
}
