/**
 * What the threads page and its worker both run: one large float32 product (above
 * THREAD_MIN_WORK) on as many threads as the runtime gives, then on one, compared bit for bit.
 */
import { gemm, gemmThreads, gemmThreadsReady, setGemmThreads } from '../../../packages/nnlab/src/kernels/index.js';
import { mapFloat32 } from '../../../packages/nnlab/src/kernels/vector.js';

export interface ThreadsCheck {
  /** Whether the realm has cross-origin isolation (SharedArrayBuffer). */
  isolated: boolean;
  /** gemmThreads() before any product: the default for this realm. */
  threads: number;
  /** Whether the workers started (gemmThreadsReady). */
  ready: boolean;
  /** Whether the product on `threads` threads equals the one on a single thread, bit for bit. */
  identical: boolean;
  /** Whether the single-thread product is within float32 rounding of a float64 one. */
  accurate: boolean;
  /**
   * Whether the product with tanh in gemm's epilogue (mapped tile by tile, by the workers too) on
   * `threads` threads equals the one on a single thread and the product then mapFloat32, bit for bit.
   */
  tanhIdentical: boolean;
  /** Median milliseconds per product on `threads` threads and on one (informative, not a test). */
  msThreads: number;
  msOne: number;
}

function random(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1);
}

function median(f: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  return times.sort((x, y) => x - y)[repeats >> 1];
}

export async function checkThreads(): Promise<ThreadsCheck> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const threads = gemmThreads();
  const ready = await gemmThreadsReady();
  // The MLP's first layer, forward: 128 × 784 · 784 × 256 (25.7 M multiply-adds).
  const [m, k, n] = [128, 784, 256];
  const a = random(m * k, 1);
  const b = random(k * n, 2);
  const bias = random(n, 3);
  const many = new Float32Array(m * n);
  const one = new Float32Array(m * n);
  const product = (out: Float32Array) => () => gemm(out, a, b, m, k, n, { bias, relu: true });
  const msThreads = median(product(many), 15);
  setGemmThreads(1);
  const msOne = median(product(one), 15);
  const tanhOne = new Float32Array(m * n);
  gemm(tanhOne, a, b, m, k, n, { bias, activation: 'tanh' });
  const mapped = new Float32Array(m * n);
  gemm(mapped, a, b, m, k, n, { bias });
  mapFloat32('tanh', mapped, mapped, m * n);
  setGemmThreads(threads);
  const tanhMany = new Float32Array(m * n);
  gemm(tanhMany, a, b, m, k, n, { bias, activation: 'tanh' });
  const tanhIdentical = tanhMany.every((v, i) => Object.is(v, tanhOne[i]) && Object.is(v, mapped[i]));

  const exact = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  gemm(exact, Float64Array.from(a), Float64Array.from(b), m, k, n, { bias: Float64Array.from(bias) });
  gemm(magnitude, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n, { bias: Float64Array.from(bias, Math.abs) });
  const bound = (k + 2) * 2 ** -24;
  const accurate = one.every((v, i) => Math.abs(v - Math.max(0, exact[i])) <= bound * magnitude[i]);
  return { isolated, threads, ready, identical: many.every((v, i) => Object.is(v, one[i])), accurate, tanhIdentical, msThreads, msOne };
}
