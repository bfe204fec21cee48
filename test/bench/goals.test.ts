import { describe, expect, it } from 'vitest';
import { GOALS, fitVerdict, formatVerdict, gridVerdict, issue15Verdicts, mlpVerdicts, notSlowerVerdict } from '../../bench/goals.js';

describe('issue #15 verdicts (bench/goals.ts)', () => {
  it('gridVerdict passes at NumPy\'s time or less and at least 3× faster than tfjs-wasm, on the boundaries included', () => {
    expect(gridVerdict({ nnlab: 2, numpy: 2, tfjsWasm: 6 }).status).toBe('PASS');
    expect(gridVerdict({ nnlab: 2.01, numpy: 2, tfjsWasm: 60 }).status).toBe('FAIL');
    expect(gridVerdict({ nnlab: 2, numpy: 4, tfjsWasm: 5.9 }).status).toBe('FAIL');
  });

  it('gridVerdict(…) names both ratios in its detail', () => {
    expect(gridVerdict({ nnlab: 8.36, numpy: 1.78, tfjsWasm: 6.49 }).detail).toBe('nnlab 8.36 ms = 4.70× NumPy\'s 1.78 ms; tfjs-wasm 6.49 ms = 0.78× nnlab\'s');
  });

  it('a goal whose numbers are missing is SKIPPED, saying what it needs, never PASS or FAIL', () => {
    expect(gridVerdict({ nnlab: 1, numpy: 2 })).toMatchObject({ status: 'SKIPPED', detail: 'not measured: needs (c) with nnlab, numpy and tfjs-wasm' });
    expect(gridVerdict(undefined).status).toBe('SKIPPED');
    expect(fitVerdict({ fit: 1e-3 }).status).toBe('SKIPPED');
    expect(mlpVerdicts(undefined).map((v) => v.status)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED']);
  });

  it('mlpVerdicts judges captured/products ≤ 1.15, products/peak ≥ 0.8 and eager/captured ≤ 1.3, and reports the NumPy ratio unjudged', () => {
    const verdicts = mlpVerdicts({ eager: 2.6, captured: 2.0, products: 1.8, productsOneThreadGflops: 40, peakGflops: 48, numpy: 1.16 });
    expect(verdicts.map((v) => v.status)).toEqual(['PASS', 'PASS', 'PASS', 'REPORT']);
    expect(verdicts[0].detail).toBe('2.00 ms / 1.80 ms = 1.11×');
    expect(verdicts[1].detail).toBe('40.0 of 48.0 GFLOP/s = 83 %');
    expect(verdicts[3].detail).toBe('2.00 ms = 1.72× NumPy\'s 1.16 ms');
    const failing = mlpVerdicts({ eager: 3.0, captured: 2.14, products: 1.8, productsOneThreadGflops: 33.5, peakGflops: 48 });
    expect(failing.map((v) => v.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
  });

  it('mlpVerdicts judges each ratio by its own pair: captured/products by the captured step timed beside its products, eager/captured by the pair', () => {
    const verdicts = mlpVerdicts({ eager: 2.5, captured: 2.0, capturedBesideProducts: 2.2, products: 1.8, productsOneThreadGflops: 40, peakGflops: 48 });
    expect(verdicts[0]).toMatchObject({ status: 'FAIL', detail: '2.20 ms / 1.80 ms = 1.22×' });
    expect(verdicts[2]).toMatchObject({ status: 'PASS', detail: '2.50 ms / 2.00 ms = 1.25×' });
  });

  it('fitVerdict passes when fit per epoch is within 1.5× the captureStep loop', () => {
    expect(fitVerdict({ fit: 1.5e-3, captureStep: 1e-3 }).status).toBe('PASS');
    expect(fitVerdict({ fit: 3.18e-3, captureStep: 0.25e-3 })).toMatchObject({ status: 'FAIL', detail: '3.18 µs / 250 ns = 12.7×' });
  });

  it(`notSlowerVerdict fails if any nnlab row is more than ${GOALS.notSlower}× its baseline, and needs a baseline`, () => {
    expect(notSlowerVerdict('a', { eager: 0.9, captured: 1.05 }).status).toBe('PASS');
    expect(notSlowerVerdict('a', { eager: 0.9, captured: 1.06 })).toMatchObject({
      status: 'FAIL',
      detail: "eager: 0.90×; captured: 1.06×; no other library in this workload to tell the machine's own change",
    });
    expect(notSlowerVerdict('d', undefined)).toMatchObject({ status: 'SKIPPED', detail: 'not measured: needs --versus <tree> or --baseline <file.json>' });
    expect(notSlowerVerdict('d', {}).status).toBe('SKIPPED');
  });

  it('notSlowerVerdict from --versus judges the ratios as they are, timed in turns with the other tree: nothing divided out', () => {
    const pass = notSlowerVerdict('a', { eager: 0.96, captured: 1.05 }, undefined, true);
    expect(pass).toMatchObject({ status: 'PASS', detail: 'eager: 0.96×; captured: 1.05×' });
    expect(pass.goal).toBe("(a) not slower than the baseline (nnlab's median after/before ≤ 1.05, taking turns with the other tree)");
    expect(notSlowerVerdict('d', { maps: 1.06 }, 0.5, true).status).toBe('FAIL');
    expect(notSlowerVerdict('d', {}, undefined, true)).toMatchObject({ status: 'SKIPPED', detail: 'not measured: needs (d) from --versus' });
    expect(notSlowerVerdict('a', { eager: 0.96, captured: NaN }, undefined, true).status).toBe('FAIL');
  });

  it("notSlowerVerdict judges nnlab's after/before over the machine's own (the other libraries'), when there is one", () => {
    // The machine ran a third faster: nnlab's 0.7× is then slower than it was.
    expect(notSlowerVerdict('d', { maps: 0.7 }, 0.6)).toMatchObject({
      status: 'FAIL',
      detail: "maps: 0.70× = 1.17× the machine's; the machine: 0.60× (the other libraries' median after/before)",
    });
    // The machine ran slower: nnlab's 1.1× is no change.
    expect(notSlowerVerdict('d', { maps: 1.1 }, 1.1).status).toBe('PASS');
    expect(notSlowerVerdict('a', { eager: 1.1 }, 1.1).goal).toContain(", over the machine's");
  });

  it('issue15Verdicts gives one line per goal, in the issue\'s order, each formatted as goal, status and numbers', () => {
    const lines = issue15Verdicts({}).map(formatVerdict);
    expect(lines.map((l) => l.slice(0, 8))).toEqual(['goal (c)', 'goal (b)', 'goal (b)', 'goal (b)', 'goal (f)', 'goal (a)', 'goal (d)']);
    expect(lines[0]).toBe('goal (c) grid eval ≤ 1.0× NumPy and ≥ 3× faster than tfjs-wasm: SKIPPED (not measured: needs (c) with nnlab, numpy and tfjs-wasm)');
  });
});
