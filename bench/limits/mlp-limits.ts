/**
 * What bounds (b)'s step: the per-thread peak of 128-bit SIMD multiply-adds (peak.ts, both
 * forms), and the step's eight products alone (mlp-products.ts): on resident operands, as the
 * captured step runs them, on one thread and on the threads the step uses; and on ordinary
 * arrays, as the eager step runs them, copies included. The report sets the step beside them:
 * how far the step is from its products, and the products from the peak.
 */
import { gemmThreads, gemmThreadsReady, residentArray, setGemmThreads } from '../../packages/nnlab/src/kernels/index.js';
import { wasmKernel } from '../../packages/nnlab/src/kernels/backend.js';
import { measure } from '../timing.js';
import type { Timing, TimingOptions } from '../timing.js';
import { formatDuration } from '../timing.js';
import { formatTable } from '../table.js';
import { mlpProducts, multiplyAdds, productsRunner } from './mlp-products.js';
import type { Operands } from './mlp-products.js';
import { measurePeak } from './peak.js';
import type { MultiplyAdd, PeakResult } from './peak.js';

/** Short settings for the peak: a register-only loop has no variance worth a long sample. */
export const PEAK_TIMING: TimingOptions = { warmupMs: 100, warmupWindowMs: 50, maxWarmupMs: 1000, sampleMs: 5, minTimeMs: 250, minSamples: 20 };

export interface ProductsTiming {
  operands: Operands;
  threads: number;
  timing?: Timing;
  error?: string;
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
}

function timeProducts(operands: Operands, threads: number, timing: TimingOptions): ProductsTiming {
  try {
    const runner = productsRunner(mlpProducts(operands)!);
    runner.step();
    return { operands, threads, timing: measure(() => runner.step(), timing) };
  } catch (error) {
    return { operands, threads, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function runMlpLimits(timing: TimingOptions, peakTiming: TimingOptions, log: (line: string) => void): Promise<MlpLimits> {
  log('  (b) the eight products alone…');
  const ordinary = mlpProducts('ordinary')!;
  const operands: Operands = residentArray(1) === null ? 'ordinary' : 'resident';
  const stepThreads = gemmThreads();
  // Start the workers before timing, so the first samples are not the pool starting.
  productsRunner(ordinary).step();
  await gemmThreadsReady();
  const onStepThreads = timeProducts(operands, stepThreads, timing);
  const copied = operands === 'resident' ? timeProducts('ordinary', stepThreads, timing) : undefined;
  let oneThread: ProductsTiming;
  if (stepThreads === 1) oneThread = onStepThreads;
  else {
    setGemmThreads(1);
    oneThread = timeProducts(operands, 1, timing);
    setGemmThreads(stepThreads);
  }
  log('  (b) peak, register-only multiply-adds…');
  const peaks = (['mul+add', 'fma'] as const).map((kind) => measurePeak(kind, peakTiming));
  const config = wasmKernel()?.config;
  return {
    peaks,
    gemmMultiplyAdd: config === undefined ? undefined : config.fma ? 'fma' : 'mul+add',
    products: {
      calls: ordinary.map((p) => `${p.name} (${p.m}×${p.k}·${p.k}×${p.n})`),
      multiplyAdds: multiplyAdds(ordinary),
      stepThreads: onStepThreads,
      oneThread,
      ...(copied === undefined ? {} : { copied }),
    },
  };
}

/** Every products timing of a run, each once. */
export function productsTimings(limits: MlpLimits): ProductsTiming[] {
  const { stepThreads, oneThread, copied } = limits.products;
  return [oneThread, ...(stepThreads === oneThread ? [] : [stepThreads]), ...(copied === undefined ? [] : [copied])];
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
  return [
    `(b) limits: one thread's peak in 128-bit SIMD (independent f32x4 multiply-add chains held in registers; GFLOP/s by chain count),`,
    `    and the step's ${limits.products.calls.length} products alone (${(limits.products.multiplyAdds / 1e6).toFixed(1)} M multiply-adds, gemm as linear calls it):`,
    formatTable(['peak, per thread', 'best', 'by chains'], peakRows),
    formatTable(['products', 'median', 'rate', 'of the peak'], productRows),
  ];
}
