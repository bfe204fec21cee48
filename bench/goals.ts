/**
 * Issue #15's goals as verdicts: pure functions of the measured numbers (milliseconds, GFLOP/s,
 * before/after ratios), so the rules are tested apart from any timing (test/bench/goals.test.ts)
 * and run.ts only gathers the numbers. A goal whose numbers were not measured in this run (its
 * workload not in --only, a library skipped, no --baseline) is not judged: its verdict says
 * what is missing.
 */
import { formatDuration } from './timing.js';
import { formatRatio } from './table.js';

export const GOALS = {
  /** (c): at most NumPy's time… */
  gridOverNumpy: 1.0,
  /** …and at least this many times faster than tfjs-wasm. */
  gridUnderTfjsWasm: 3,
  /** (b): the captured step within this factor of its products alone. */
  capturedOverProducts: 1.15,
  /** (b): the products (one thread) at least this share of one thread's peak. */
  productsOfPeak: 0.8,
  /** (b): the eager step within this factor of the captured step. */
  eagerOverCaptured: 1.3,
  /** (f): fit within this factor of the captureStep loop, per epoch. */
  fitOverCaptureStep: 1.5,
  /**
   * (a), (d): "not slower" than the baseline run: after/before of the medians at most this. A
   * margin chosen for run-to-run noise, not a measured one: the verdict prints each ratio, and
   * the before/after table the p10s, for a reader to judge a close call.
   */
  notSlower: 1.05,
} as const;

export interface Verdict {
  goal: string;
  /** SKIPPED: its numbers were not measured in this run; REPORT: a number to read, not a goal. */
  status: 'PASS' | 'FAIL' | 'SKIPPED' | 'REPORT';
  /** The numbers behind the verdict, or what is missing. */
  detail: string;
}

const judged = (goal: string, pass: boolean, detail: string): Verdict => ({ goal, status: pass ? 'PASS' : 'FAIL', detail });

/** Medians in ms (or GFLOP/s where named so); any may be missing. */
export interface GoalNumbers {
  grid?: { nnlab?: number; numpy?: number; tfjsWasm?: number };
  mlp?: {
    /** The eager and captured steps, timed taking turns with each other where measured so. */
    eager?: number;
    captured?: number;
    /** The captured step timed taking turns with its products (else `captured`). */
    capturedBesideProducts?: number;
    /** The eight products on the step's threads, and on one thread. */
    products?: number;
    productsOneThreadGflops?: number;
    /** One thread's peak in the multiply-add form the GEMM kernel uses. */
    peakGflops?: number;
    numpy?: number;
    /** The captured step as timed in NumPy's row (beside it, not taking turns with the products), for the NumPy report. */
    capturedRow?: number;
  };
  /** Per epoch. */
  fit?: { fit?: number; captureStep?: number };
  /** after/before of nnlab's medians, by row title, for (a) and (d) (undefined: no baseline given). */
  notSlower?: {
    a: Record<string, number>;
    d: Record<string, number>;
    /** The machine's own after/before in each workload, from the other libraries' rows (see baseline.ts machineRatio). */
    machine?: { a?: number; d?: number };
    /** Whether the ratios were timed taking turns with the other tree in one process (--versus): nothing to divide out. */
    inTurns?: boolean;
  };
}

const missing = (goal: string, what: string): Verdict => ({ goal, status: 'SKIPPED', detail: `not measured: ${what}` });

export function gridVerdict(n: GoalNumbers['grid']): Verdict {
  const goal = `(c) grid eval ≤ ${GOALS.gridOverNumpy.toFixed(1)}× NumPy and ≥ ${GOALS.gridUnderTfjsWasm}× faster than tfjs-wasm`;
  if (n?.nnlab === undefined || n.numpy === undefined || n.tfjsWasm === undefined) return missing(goal, 'needs (c) with nnlab, numpy and tfjs-wasm');
  const overNumpy = n.nnlab / n.numpy;
  const underTfjs = n.tfjsWasm / n.nnlab;
  return judged(
    goal,
    overNumpy <= GOALS.gridOverNumpy && underTfjs >= GOALS.gridUnderTfjsWasm,
    `nnlab ${formatDuration(n.nnlab)} = ${formatRatio(overNumpy)} NumPy's ${formatDuration(n.numpy)}; tfjs-wasm ${formatDuration(n.tfjsWasm)} = ${formatRatio(underTfjs)} nnlab's`,
  );
}

export function mlpVerdicts(n: GoalNumbers['mlp']): Verdict[] {
  const products = `(b) captured step ≤ ${GOALS.capturedOverProducts}× its eight products alone`;
  const peak = `(b) products ≥ ${GOALS.productsOfPeak * 100} % of one thread's 128-bit peak (products on one thread)`;
  const eager = `(b) eager step ≤ ${GOALS.eagerOverCaptured}× the captured step`;
  const numpy = '(b) captured step against NumPy (1 thread; reported, not a goal past WebAssembly\'s limit)';
  const verdicts: Verdict[] = [];
  const besideProducts = n?.capturedBesideProducts ?? n?.captured;
  if (besideProducts === undefined || n?.products === undefined) verdicts.push(missing(products, 'needs (b) with nnlab'));
  else {
    const r = besideProducts / n.products;
    verdicts.push(judged(products, r <= GOALS.capturedOverProducts, `${formatDuration(besideProducts)} / ${formatDuration(n.products)} = ${formatRatio(r)}`));
  }
  if (n?.productsOneThreadGflops === undefined || n.peakGflops === undefined) verdicts.push(missing(peak, 'needs (b) with nnlab and a wasm SIMD kernel'));
  else {
    const share = n.productsOneThreadGflops / n.peakGflops;
    verdicts.push(judged(peak, share >= GOALS.productsOfPeak, `${n.productsOneThreadGflops.toFixed(1)} of ${n.peakGflops.toFixed(1)} GFLOP/s = ${(100 * share).toFixed(0)} %`));
  }
  if (n?.eager === undefined || n.captured === undefined) verdicts.push(missing(eager, 'needs (b) with nnlab'));
  else {
    const r = n.eager / n.captured;
    verdicts.push(judged(eager, r <= GOALS.eagerOverCaptured, `${formatDuration(n.eager)} / ${formatDuration(n.captured)} = ${formatRatio(r)}`));
  }
  const besideNumpy = n?.capturedRow ?? n?.captured;
  if (besideNumpy !== undefined && n?.numpy !== undefined) {
    verdicts.push({ goal: numpy, status: 'REPORT', detail: `${formatDuration(besideNumpy)} = ${formatRatio(besideNumpy / n.numpy)} NumPy's ${formatDuration(n.numpy)}` });
  }
  return verdicts;
}

export function fitVerdict(n: GoalNumbers['fit']): Verdict {
  const goal = `(f) fit (as the README calls it) ≤ ${GOALS.fitOverCaptureStep}× the captureStep loop, per epoch`;
  if (n?.fit === undefined || n.captureStep === undefined) return missing(goal, 'needs (f)');
  const r = n.fit / n.captureStep;
  return judged(goal, r <= GOALS.fitOverCaptureStep, `${formatDuration(n.fit)} / ${formatDuration(n.captureStep)} = ${formatRatio(r)}`);
}

/**
 * (a) or (d): every nnlab row of the workload at most GOALS.notSlower × its baseline median:
 * timed taking turns with the other tree in one process (`inTurns`, --versus), or against a run
 * of another day after dividing out the machine's own change between the runs (`machine`, the
 * other libraries' median after/before) where the run has other libraries to tell it.
 */
export function notSlowerVerdict(id: 'a' | 'd', ratios: Record<string, number> | undefined, machine?: number, inTurns = false): Verdict {
  const how = inTurns ? ', taking turns with the other tree' : machine === undefined ? '' : ", over the machine's";
  const goal = `(${id}) not slower than the baseline (nnlab's median after/before ≤ ${GOALS.notSlower}${how})`;
  if (ratios === undefined) return missing(goal, 'needs --versus <tree> or --baseline <file.json>');
  if (inTurns) {
    const rows = Object.entries(ratios);
    if (rows.length === 0) return missing(goal, `needs (${id}) from --versus`);
    return judged(goal, rows.every(([, r]) => r <= GOALS.notSlower), rows.map(([title, r]) => `${title}: ${formatRatio(r)}`).join('; '));
  }
  const rows = Object.entries(ratios);
  if (rows.length === 0) return missing(goal, `needs (${id}) in this run and in the baseline`);
  const relative = (r: number): number => (machine === undefined ? r : r / machine);
  const detail = rows.map(([title, r]) => `${title}: ${formatRatio(r)}${machine === undefined ? '' : ` = ${formatRatio(relative(r))} the machine's`}`).join('; ');
  const machineNote = machine === undefined
    ? '; no other library in this workload to tell the machine\'s own change'
    : `; the machine: ${formatRatio(machine)} (the other libraries' median after/before)`;
  return judged(goal, rows.every(([, r]) => relative(r) <= GOALS.notSlower), `${detail}${machineNote}`);
}

export function issue15Verdicts(n: GoalNumbers): Verdict[] {
  return [
    gridVerdict(n.grid),
    ...mlpVerdicts(n.mlp),
    fitVerdict(n.fit),
    notSlowerVerdict('a', n.notSlower?.a, n.notSlower?.machine?.a, n.notSlower?.inTurns),
    notSlowerVerdict('d', n.notSlower?.d, n.notSlower?.machine?.d, n.notSlower?.inTurns),
  ];
}

export function formatVerdict(v: Verdict): string {
  return `goal ${v.goal}: ${v.status} (${v.detail})`;
}
