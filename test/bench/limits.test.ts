import { describe, expect, it } from 'vitest';
import { CHAIN_COUNTS, peakFlopsPerCall, peakFunction, peakModule, peakOf } from '../../bench/limits/peak.js';
import { mlpProducts, multiplyAdds, productsRunner } from '../../bench/limits/mlp-products.js';
import { gemm } from '../../packages/nnlab/src/kernels/index.js';

describe('the register-only peak kernel (bench/limits/peak.ts)', () => {
  it('peakModule(kind, chains) is valid WebAssembly for every chain count tried (fma where relaxed SIMD is on)', () => {
    for (const chains of CHAIN_COUNTS) expect(WebAssembly.validate(peakModule('mul+add', chains))).toBe(true);
    expect('run' in peakFunction('fma', 4)).toBe(true);
  });

  it('peakFunction(\'mul+add\', chains).run() does the multiply-adds it counts: x ← 0.999·x + 0.001 in float32, peakFlopsPerCall / 8 / chains times per chain', () => {
    const chains = 4;
    const fn = peakFunction('mul+add', chains);
    if (!('run' in fn)) throw new Error(fn.unavailable);
    const perChain = peakFlopsPerCall(chains) / (4 * 2) / chains;
    const [scale, shift] = [Math.fround(0.999), Math.fround(0.001)];
    // The first lane of the first chain starts at 0.5 + 4/1024 (its address is float 4).
    let x = Math.fround(0.5 + 4 / 1024);
    for (let i = 0; i < perChain; i++) x = Math.fround(Math.fround(x * scale) + shift);
    expect(fn.run()).toBe(x);
  });
});

describe('(b)\'s eight products alone (bench/limits/mlp-products.ts)', () => {
  it('mlpProducts(…) are the gemm calls linear makes for 784-256-128-10 at batch 128: 3 forward, then dz·Wᵀ and xᵀ·dz per layer from the last (no dx for the first)', () => {
    const products = mlpProducts('ordinary')!;
    expect(products.map((p) => [p.m, p.k, p.n, p.options.transA === true, p.options.transB === true, p.options.relu === true])).toEqual([
      [128, 784, 256, false, false, true],
      [128, 256, 128, false, false, true],
      [128, 128, 10, false, false, false],
      [128, 10, 128, false, true, false],
      [128, 128, 10, true, false, false],
      [128, 128, 256, false, true, false],
      [256, 128, 128, true, false, false],
      [784, 128, 256, true, false, false],
    ]);
    expect(multiplyAdds(products)).toBe(64_454_656);
  });

  it('resident operands give the same products, bit for bit, as ordinary arrays', () => {
    const [ordinary, resident] = [mlpProducts('ordinary')!, mlpProducts('resident')];
    if (resident === null) return; // no shared wasm memory here: nothing resident to compare
    productsRunner(ordinary).step();
    productsRunner(resident).step();
    resident.forEach((p, i) => expect(Array.from(p.out)).toEqual(Array.from(ordinary[i].out)));
    const again = new Float32Array(ordinary[0].out.length);
    gemm(again, ordinary[0].a, ordinary[0].b, ordinary[0].m, ordinary[0].k, ordinary[0].n, ordinary[0].options);
    expect(Array.from(again)).toEqual(Array.from(resident[0].out));
  });
});

describe('the peak from timings by chain count (bench/limits/peak.ts peakOf)', () => {
  const timing = (medianMs: number) => ({ timing: { medianMs, p10Ms: medianMs, p90Ms: medianMs, meanMs: medianMs, cpuMedianMs: medianMs, cpuP10Ms: medianMs, cpuP90Ms: medianMs, samples: 1, itersPerSample: 1, warmupMs: 0 } });

  it('is the chain count with the most GFLOP/s, each count\'s rate from its own median', () => {
    const peak = peakOf('mul+add', { 4: timing(1), 8: timing(1), 12: timing(2) });
    expect(peak.chains).toBe(8);
    expect(peak.byChains).toEqual({ 4: peakFlopsPerCall(4) / 1e6, 8: peakFlopsPerCall(8) / 1e6, 12: peakFlopsPerCall(12) / 2e6 });
    expect(peak.gflops).toBe(peakFlopsPerCall(8) / 1e6);
  });

  it('is unavailable, with the reason, when a chain count could not be timed', () => {
    expect(peakOf('fma', { 4: timing(1), 8: { error: 'no relaxed SIMD' } })).toEqual({ kind: 'fma', unavailable: 'no relaxed SIMD' });
  });
});
