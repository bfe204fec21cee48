/**
 * The arithmetic peak of one thread in WebAssembly SIMD (Node only, like all of bench/): a
 * function whose loop does nothing but independent f32x4 multiply-adds on values held in
 * registers, so no load, store or branch can be what limits it. The GEMM kernel's products can
 * be compared with this number: it is the most that 128-bit SIMD can do on this CPU and engine.
 *
 * Two forms, as the GEMM kernel has them: f32x4.mul then f32x4.add (two instructions, rounding
 * twice), and f32x4.relaxed_madd (one fused instruction where the CPU has FMA), which Node 20
 * validates only with V8's flag: relaxed-simd.ts turns it on as the GEMM kernel's build does.
 */
import { Func, Op, SimdOp, encodeModule } from '../../packages/nnlab/src/kernels/wasm/encoder.js';
import { enableRelaxedSimd } from '../../packages/nnlab/src/kernels/relaxed-simd.js';
import { timeTogether } from '../timing.js';
import type { Timed, Timing, TimingOptions } from '../timing.js';

export type MultiplyAdd = 'mul+add' | 'fma';

/**
 * Chain counts tried: a multiply-add's result is the next one's input, so a chain issues one
 * per latency (about 4 cycles); enough chains side by side keep every FMA unit busy. More than
 * the 16 SIMD registers of x64 (with the two constants) would spill to memory.
 */
export const CHAIN_COUNTS = [4, 8, 10, 12, 14] as const;
/** Loop trips per call: a call of ~10–50 µs, long enough that the call itself costs nothing. */
const TRIPS = 4096;
/** Each trip repeats every chain's multiply-add this many times (fewer loop branches per multiply-add). */
const UNROLL = 4;

/** Floating-point operations (a multiply-add is two) in one call with `chains` chains. */
export function peakFlopsPerCall(chains: number): number {
  return TRIPS * UNROLL * chains * 4 * 2;
}

/**
 * `peak(trips, address)`: the chains start from the f32x4 values at address + 16·(1 + chain)
 * (distinct, so the engine cannot merge two chains into one), multiply by the float at address
 * and add the float at address + 4, and are stored back at the end so none is dead code.
 */
export function peakModule(kind: MultiplyAdd, chains: number): Uint8Array<ArrayBuffer> {
  const f = new Func('peak', 2, 1);
  const [trips, address] = [0, 1];
  const trip = f.i32Local();
  const scale = f.v128Local();
  const shift = f.v128Local();
  const acc = Array.from({ length: chains }, () => f.v128Local());
  f.get(address).mem(SimdOp.V128Load32Splat, 0).set(scale);
  f.get(address).mem(SimdOp.V128Load32Splat, 4).set(shift);
  acc.forEach((a, c) => f.get(address).mem(SimdOp.V128Load, 16 * (1 + c)).set(a));
  f.block(Op.Loop);
  for (let u = 0; u < UNROLL; u++) {
    for (const a of acc) {
      if (kind === 'fma') f.get(a).get(scale).get(shift).simd(SimdOp.F32x4RelaxedMadd).set(a);
      else f.get(a).get(scale).simd(SimdOp.F32x4Mul).get(shift).simd(SimdOp.F32x4Add).set(a);
    }
  }
  f.loopUntil(trip, trips);
  acc.forEach((a, c) => f.get(address).get(a).mem(SimdOp.V128Store, 16 * (1 + c)));
  return encodeModule([f], { shared: false, maxPages: 1 });
}

/** A compiled peak function, or why it cannot run here (no SIMD, or no relaxed SIMD for 'fma'). */
export function peakFunction(kind: MultiplyAdd, chains: number): { run: () => number } | { unavailable: string } {
  const bytes = peakModule(kind, chains);
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(peakModule('mul+add', 1))) return { unavailable: 'this engine has no WebAssembly SIMD' };
  if (kind === 'fma' && !enableRelaxedSimd(bytes)) return { unavailable: 'this engine has no relaxed SIMD (f32x4.relaxed_madd)' };
  const memory = new WebAssembly.Memory({ initial: 1 });
  const floats = new Float32Array(memory.buffer);
  // x ← 0.999·x + 0.001 converges to 1 from any start: no overflow, no subnormals, ever.
  floats[0] = 0.999;
  floats[1] = 0.001;
  for (let i = 4; i < 4 * (1 + chains); i++) floats[i] = 0.5 + i / 1024;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const peak = instance.exports.peak as (trips: number, address: number) => void;
  return {
    run() {
      peak(TRIPS, 0);
      return floats[4];
    },
  };
}

export interface PeakResult {
  kind: MultiplyAdd;
  /** GFLOP/s by chain count (from each count's median call time). */
  byChains?: Record<string, number>;
  /** The best of byChains, and its chain count. */
  gflops?: number;
  chains?: number;
  timing?: Timing;
  unavailable?: string;
}

/** The peak function at each chain count (by count, as a string), or why they cannot run here. */
export function peakFunctions(kind: MultiplyAdd): { functions: Record<string, () => number> } | { unavailable: string } {
  const functions: Record<string, () => number> = {};
  for (const chains of CHAIN_COUNTS) {
    const fn = peakFunction(kind, chains);
    if ('unavailable' in fn) return fn;
    functions[String(chains)] = fn.run;
  }
  return { functions };
}

/** The fastest of the timings by chain count: the per-thread peak. */
export function peakOf(kind: MultiplyAdd, timings: Readonly<Record<string, Timed>>): PeakResult {
  const result: PeakResult = { kind, byChains: {} };
  for (const [chains, t] of Object.entries(timings)) {
    if (t.timing === undefined) return { kind, unavailable: t.error ?? 'not timed' };
    const gflops = peakFlopsPerCall(Number(chains)) / (t.timing.medianMs * 1e6);
    result.byChains![chains] = gflops;
    if (result.gflops === undefined || gflops > result.gflops) Object.assign(result, { gflops, chains: Number(chains), timing: t.timing });
  }
  return result;
}

/** The peak function at each chain count, as timeTogether's makers (`prefix` + chain count). */
export function peakMakers(functions: Readonly<Record<string, () => number>>, prefix = ''): Record<string, () => () => number> {
  return Object.fromEntries(Object.entries(functions).map(([chains, run]) => [`${prefix}${chains}`, () => run]));
}

/** Times the peak function at each chain count, taking turns, and keeps the fastest. */
export function measurePeak(kind: MultiplyAdd, timing: TimingOptions): PeakResult {
  const peak = peakFunctions(kind);
  return 'unavailable' in peak ? { kind, unavailable: peak.unavailable } : peakOf(kind, timeTogether(peakMakers(peak.functions), timing));
}
