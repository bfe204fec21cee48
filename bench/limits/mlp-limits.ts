/**
 * What bounds (b)'s step: the per-thread peak of 128-bit SIMD multiply-adds (peak.ts, both
 * forms), and the step's eight products alone (mlp-products.ts): on resident operands, as the
 * captured step runs them, on one thread and on the threads the step uses; and on ordinary
 * arrays, as the eager step runs them, copies included. The report sets the step beside them:
 * how far the step is from its products, and the products from the peak.
 *
 * What the goals compare is timed taking turns (measureInterleaved), since this machine's speed
 * drifts within a second, and each ratio by the two things it compares alone in the rotation:
 * the captured step with its products on the step's threads (and the products on ordinary
 * arrays, reported), the eager step with the captured step, and the products on one thread with
 * the peak of the multiply-add the kernel uses. NOTE: the eager step timed in the rotation with
 * the products measured 1.27–1.32× the captured step where the two alone measured 1.25–1.27×
 * (2026-12-07): between its samples the products' 5 MB of operands evicted its arrays, and its
 * first call of each sample (of about three) ran on a cold cache, which a training loop's steps,
 * run back to back, do not.
 */
import { gemmThreads, gemmThreadsReady, residentArray, setGemmThreads } from '../../packages/nnlab/src/kernels/index.js';
import { wasmKernel } from '../../packages/nnlab/src/kernels/backend.js';
import { timeTogether } from '../timing.js';
import type { Timed, TimingOptions } from '../timing.js';
import { formatDuration } from '../timing.js';
import { formatRatio, formatTable } from '../table.js';
import { mlpStep, mlpStepCaptured } from '../workloads/mlp-step.js';
import { mlpProducts, multiplyAdds, productsRunner } from './mlp-products.js';
import type { Operands } from './mlp-products.js';
import { measurePeak, peakFunctions, peakMakers, peakOf } from './peak.js';
import type { MultiplyAdd, PeakResult } from './peak.js';

/** Short settings for the peak of the form the kernel does not use: a register-only loop has no variance worth a long sample. */
export const PEAK_TIMING: TimingOptions = { warmupMs: 100, warmupWindowMs: 50, maxWarmupMs: 1000, sampleMs: 5, minTimeMs: 250, minSamples: 20 };

export interface ProductsTiming extends Timed {
  operands: Operands;
  threads: number;
}

export interface MlpLimits {
  /** Per-thread peaks, mul+add and fma (the latter unavailable without relaxed SIMD). */
  peaks: PeakResult[];
  /** The multiply-add the GEMM kernel uses (fma unless NNLAB_WASM_FMA=0 or the engine lacks it); undefined without the wasm kernel. */
  gemmMultiplyAdd?: MultiplyAdd;
  products: {
    calls: string[];
    multiplyAdds: number;
    /** The products as the captured step runs them (resident where the engine allows), on the step's threads and on one. */
    stepThreads: ProductsTiming;
    oneThread: ProductsTiming;
    /** On ordinary arrays and the step's threads, copies included: only where `stepThreads` is resident. */
    copied?: ProductsTiming;
  };
  /**
   * (b)'s steps: `eager` and `captured` timed taking turns with each other, and
   * `besideProducts` the captured step taking turns with `products.stepThreads`.
   */
  steps: { eager: Timed; captured: Timed; besideProducts: Timed };
}

/** The timing or error of a timeTogether result. */
function timed(result: Timed | undefined): Timed {
  return result === undefined ? { error: 'not run' } : result.timing === undefined ? { error: result.error } : { timing: result.timing };
}

/** A runner as timeTogether makes it. */
const stepOf = (make: () => { step(): unknown }) => (): (() => unknown) => {
  const runner = make();
  return () => runner.step();
};

export async function runMlpLimits(timing: TimingOptions, peakTiming: TimingOptions, log: (line: string) => void): Promise<MlpLimits> {
  const ordinary = mlpProducts('ordinary')!;
  const operands: Operands = residentArray(1) === null ? 'ordinary' : 'resident';
  const stepThreads = gemmThreads();
  // Start the workers before timing, so the first samples are not the pool starting.
  productsRunner(ordinary).step();
  await gemmThreadsReady();
  log('  (b) the captured step and its eight products alone, taking turns…');
  const onStep = timeTogether<string>({
    products: stepOf(() => productsRunner(mlpProducts(operands)!)),
    ...(operands === 'resident' ? { copied: stepOf(() => productsRunner(ordinary)) } : {}),
    captured: stepOf(() => mlpStepCaptured.nnlab()),
  }, timing);
  log('  (b) the eager and captured steps, taking turns…');
  const pair = timeTogether({ eager: stepOf(() => mlpStep.nnlab()), captured: stepOf(() => mlpStepCaptured.nnlab()) }, timing);
  const config = wasmKernel()?.config;
  const gemmMultiplyAdd: MultiplyAdd | undefined = config === undefined ? undefined : config.fma ? 'fma' : 'mul+add';
  log('  (b) the products on one thread and the peak of one thread, taking turns…');
  const kernelPeak = gemmMultiplyAdd === undefined ? undefined : peakFunctions(gemmMultiplyAdd);
  const peakSteps = kernelPeak === undefined || 'unavailable' in kernelPeak ? {} : peakMakers(kernelPeak.functions, 'peak ');
  if (stepThreads !== 1) setGemmThreads(1);
  const onOne = timeTogether<string>({ products: stepOf(() => productsRunner(mlpProducts(operands)!)), ...peakSteps }, timing);
  if (stepThreads !== 1) setGemmThreads(stepThreads);
  const peaks = (['mul+add', 'fma'] as const).map((kind) => {
    if (kind !== gemmMultiplyAdd || kernelPeak === undefined) return measurePeak(kind, peakTiming);
    if ('unavailable' in kernelPeak) return { kind, unavailable: kernelPeak.unavailable };
    return peakOf(kind, Object.fromEntries(Object.keys(kernelPeak.functions).map((chains) => [chains, onOne[`peak ${chains}`]])));
  });
  return {
    peaks,
    gemmMultiplyAdd,
    products: {
      calls: ordinary.map((p) => `${p.name} (${p.m}×${p.k}·${p.k}×${p.n})`),
      multiplyAdds: multiplyAdds(ordinary),
      stepThreads: { operands, threads: stepThreads, ...timed(onStep.products) },
      oneThread: { operands, threads: 1, ...timed(onOne.products) },
      ...(operands === 'resident' ? { copied: { operands: 'ordinary', threads: stepThreads, ...timed(onStep.copied) } } : {}),
    },
    steps: { eager: timed(pair.eager), captured: timed(pair.captured), besideProducts: timed(onStep.captured) },
  };
}

/** Every products timing of a run, each once. */
export function productsTimings(limits: MlpLimits): ProductsTiming[] {
  const { stepThreads, oneThread, copied } = limits.products;
  return [oneThread, ...(stepThreads.threads === oneThread.threads ? [] : [stepThreads]), ...(copied === undefined ? [] : [copied])];
}

/** GFLOP/s of the products (a multiply-add is two operations) at a median time in ms. */
export function productsGflops(limits: MlpLimits, ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : (2 * limits.products.multiplyAdds) / (ms * 1e6);
}

/** The peak of the multiply-add form the GEMM kernel uses: what its products can reach. */
export function kernelPeak(limits: MlpLimits): PeakResult | undefined {
  return limits.peaks.find((p) => p.kind === limits.gemmMultiplyAdd && p.gflops !== undefined);
}

export function formatLimits(limits: MlpLimits, clock: 'wall' | 'cpu'): string[] {
  const ms = (t: ProductsTiming): number | undefined => (clock === 'wall' ? t.timing?.medianMs : t.timing?.cpuMedianMs);
  const peakRows = limits.peaks.map((p) => [
    `${p.kind}${p.kind === limits.gemmMultiplyAdd ? ' (the GEMM kernel\'s)' : ''}`,
    p.gflops === undefined ? `unavailable: ${p.unavailable}` : `${p.gflops.toFixed(1)} GFLOP/s`,
    p.byChains === undefined ? '—' : Object.entries(p.byChains).map(([chains, g]) => `${chains}: ${g.toFixed(1)}`).join(', '),
  ]);
  const peak = kernelPeak(limits)?.gflops;
  const productRows = productsTimings(limits)
    .map((t) => {
      const g = productsGflops(limits, ms(t));
      return [
        `${t.operands === 'resident' ? 'resident operands' : 'ordinary arrays, copied'}, ${t.threads} thread${t.threads === 1 ? '' : 's'}${t.threads === limits.products.stepThreads.threads ? ' (as the step)' : ''}`,
        t.error !== undefined ? `error: ${t.error}` : formatDuration(ms(t)!),
        g === undefined ? '—' : `${g.toFixed(1)} GFLOP/s`,
        g === undefined || peak === undefined ? '—' : `${((100 * g) / (peak * t.threads)).toFixed(0)} % of ${t.threads} × ${peak.toFixed(1)}`,
      ];
    });
  const products = ms(limits.products.stepThreads);
  const stepMs = (t: Timed): number | undefined => (clock === 'wall' ? t.timing?.medianMs : t.timing?.cpuMedianMs);
  const captured = stepMs(limits.steps.captured);
  const stepRow = (name: string, t: Timed, beside: string, over: number | undefined, overName: string): string[] => {
    const step = stepMs(t);
    return [
      name,
      beside,
      t.error !== undefined ? `error: ${t.error}` : formatDuration(step!),
      step === undefined || over === undefined ? '—' : `${formatRatio(step / over)} ${overName}`,
    ];
  };
  const stepRows = [
    stepRow('captured step', limits.steps.besideProducts, 'its products', products, 'its products'),
    stepRow('eager step', limits.steps.eager, 'the captured step', captured, 'the captured step'),
    stepRow('captured step', limits.steps.captured, 'the eager step', undefined, ''),
  ];
  const threads = limits.products.stepThreads.threads;
  return [
    `(b) limits: one thread's peak in 128-bit SIMD (independent f32x4 multiply-add chains held in registers; GFLOP/s by chain count),`,
    `    and the step's ${limits.products.calls.length} products alone (${(limits.products.multiplyAdds / 1e6).toFixed(1)} M multiply-adds, gemm as linear calls it);`,
    `    timed taking turns: the products on one thread with the kernel's peak; on ${threads} thread${threads === 1 ? '' : 's'}, the captured step with its`,
    `    products, and the eager step with the captured step:`,
    formatTable(['peak, per thread', 'best', 'by chains'], peakRows),
    formatTable(['products', 'median', 'rate', 'of the peak'], productRows),
    formatTable([`(b)'s step, ${threads} thread${threads === 1 ? '' : 's'}`, 'taking turns with', 'median', 'ratio'], stepRows),
  ];
}
