/**
 * The fast float32 paths against the plain-TypeScript kernels they replace:
 *  - the wasm SIMD kernel against the JS kernel in float64 (the reference), within the error
 *    bound of a length-k float32 dot product, over seeded random shapes built from edge sizes;
 *  - its fused epilogue (bias, ReLU) bit-identical to the product followed by the JS loops;
 *  - worker threads bit-identical to one thread;
 *  - SGD's update in wasm (float64 lanes) bit-identical to its JS loop;
 *  - the relaxed-SIMD FMA kernel (in a child Node with --experimental-wasm-relaxed-simd);
 *  - a bad NNLAB_THREADS reported on first use, not on import (in a child Node).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  epilogueGrad, gemm, gemmThreads, gemmThreadsReady, setGemmThreads, setWasmGemmEnabled, THREAD_MIN_WORK,
  WASM_MIN_UPDATE, wasmSgd,
} from './index.js';
import { applyBiasRelu, rowMaxAbsOf } from './epilogue.js';
import { ACTIVATION } from './wasm/gemm-code.js';
import { canUseGemmThreads } from './threads/hosts.js';
import type { GemmThreads } from './threads/pool.js';
import { threadPools } from './thread-pools.fixture.js';
import { firstBitDifference } from './seeded.fixture.js';
import { SGD } from '../optim/sgd.js';
import { tensor } from '../tensor/create.js';

/** Seeded LCG: values in [-1, 1), and integers. */
function lcg(seed: number): { next: () => number; int: (n: number) => number } {
  let s = seed >>> 0;
  const step = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  return { next: () => step() / 2 ** 31 - 1, int: (n) => step() % n };
}

function randomF32(length: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length }, r.next);
}

const EDGE = [1, 3, 17, 64, 65, 257];
const FORMS: ReadonlyArray<readonly [string, boolean, boolean]> = [
  ['A·B', false, false],
  ['Aᵀ·B', true, false],
  ['A·Bᵀ', false, true],
  ['Aᵀ·Bᵀ', true, true],
];

interface Shape { m: number; k: number; n: number }

/** Seeded shapes drawn from the edge sizes, at most one of them 257 (keeps the JS reference quick). */
function edgeShapes(count: number, seed: number): Shape[] {
  const r = lcg(seed);
  const shapes: Shape[] = [];
  while (shapes.length < count) {
    const [m, k, n] = [EDGE[r.int(6)], EDGE[r.int(6)], EDGE[r.int(6)]];
    if ([m, k, n].filter((d) => d === 257).length <= 1 && m * k * n >= 128) shapes.push({ m, k, n });
  }
  return shapes;
}

/** The plain-JS kernel in float64 (the reference), and Σ|a||b| per element for the bound. */
function reference(a: Float32Array, b: Float32Array, { m, k, n }: Shape, transA: boolean, transB: boolean) {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  gemm(value, Float64Array.from(a), Float64Array.from(b), m, k, n, { transA, transB });
  gemm(magnitude, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n, { transA, transB });
  return { value, magnitude };
}

function expectWithinBound(got: Float32Array, a: Float32Array, b: Float32Array, s: Shape, transA: boolean, transB: boolean): void {
  const { value, magnitude } = reference(a, b, s, transA, transB);
  const bound = (s.k + 2) * 2 ** -24;
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - value[i]) <= bound * magnitude[i])) {
      expect.fail(`${JSON.stringify({ ...s, transA, transB })}: element ${i}: got ${got[i]}, want ${value[i]} ± ${bound * magnitude[i]}`);
    }
  }
}

const threadsAtStart = gemmThreads();
afterEach(() => {
  setWasmGemmEnabled(true);
  setGemmThreads(Math.max(1, threadsAtStart));
});

describe('the wasm SIMD kernel against the plain-TypeScript kernel', () => {
  for (const [form, transA, transB] of FORMS) {
    it(`gemm(out, a, b, { transA: ${transA}, transB: ${transB} }) (${form}) stays within the float32 error bound of the JS kernel for sizes 1, 3, 17, 64, 65, 257`, () => {
      for (const [i, s] of edgeShapes(40, 11 + (transA ? 2 : 0) + (transB ? 1 : 0)).entries()) {
        const a = randomF32(s.m * s.k, 3 * i + 1);
        const b = randomF32(s.k * s.n, 3 * i + 2);
        const out = new Float32Array(s.m * s.n);
        gemm(out, a, b, s.m, s.k, s.n, { transA, transB });
        expectWithinBound(out, a, b, s, transA, transB);
      }
    });
  }
});

describe('gemm(out, a, b, { bias, relu }): the fused epilogue', () => {
  const shapes: Shape[] = [{ m: 5, k: 3, n: 4 }, { m: 17, k: 65, n: 64 }, { m: 65, k: 17, n: 3 }, { m: 128, k: 257, n: 40 }, { m: 64, k: 64, n: 257 }];

  for (const path of ['wasm', 'js'] as const) {
    it(`in the ${path} path is bit-identical to the product followed by out[i, j] += bias[j] and x <= 0 ? 0 : x`, () => {
      setWasmGemmEnabled(path === 'wasm');
      for (const [i, s] of shapes.entries()) {
        for (const [, transA, transB] of FORMS) {
          for (const accumulate of [false, true]) {
            const a = randomF32(s.m * s.k, i + 1);
            const b = randomF32(s.k * s.n, i + 2);
            const bias = randomF32(s.n, i + 3);
            bias[0] = NaN;
            if (s.n > 2) bias[2] = -0;
            const start = randomF32(s.m * s.n, i + 4);
            for (const relu of [false, true]) {
              const fused = start.slice();
              gemm(fused, a, b, s.m, s.k, s.n, { transA, transB, accumulate, bias, relu });
              const apart = start.slice();
              gemm(apart, a, b, s.m, s.k, s.n, { transA, transB, accumulate });
              applyBiasRelu(apart, 0, s.m, s.n, bias, relu);
              expect(firstBitDifference(fused, apart), JSON.stringify({ ...s, transA, transB, accumulate, relu })).toBe(-1);
            }
          }
        }
      }
    });
  }

  // Every path: the tiny loop (4·1·8 = 32 multiply-adds), wasm (4·8·8 = 256) and JS (float64).
  const reluPaths = [['the tiny loop', 1, Float32Array], ['wasm', 8, Float32Array], ['JS', 8, Float64Array]] as const;
  for (const [path, k, Ctor] of reluPaths) {
    it(`ReLU in ${path} keeps NaN (relu(NaN) = NaN, as PyTorch) and maps −0, 0 and negatives to +0`, () => {
      const m = 4, n = 8;
      const a = new Ctor(m * k);
      const b = new Ctor(k * n);
      const bias = Ctor.from([NaN, -0, 0, -1, 1, Infinity, -Infinity, 0.5]);
      const out = new Ctor(m * n);
      gemm(out, a, b, m, k, n, { bias, relu: true });
      const row = Array.from(out.subarray(0, n));
      expect(row).toEqual([NaN, 0, 0, 0, 1, Infinity, 0, 0.5]);
      expect(row.slice(1, 4).map((v) => Object.is(v, 0))).toEqual([true, true, true]);
      expect(Object.is(row[6], 0)).toBe(true);
    });
  }

  it('ReLU in wasm keeps a NaN pre-activation\'s bits, as the JS epilogue does', () => {
    const m = 4, k = 8, n = 8;
    const payload = new Float32Array(new Uint32Array([0x7fc00123]).buffer)[0]; // a quiet NaN with payload bits
    const bias = new Float32Array(n).fill(payload);
    const viaWasm = new Float32Array(m * n);
    gemm(viaWasm, new Float32Array(m * k), new Float32Array(k * n), m, k, n, { bias, relu: true });
    const viaJs = new Float32Array(m * n);
    applyBiasRelu(viaJs, 0, m, n, bias, true);
    expect(firstBitDifference(viaWasm, viaJs)).toBe(-1);
    expect(Number.isNaN(viaWasm[0])).toBe(true);
  });

  it('gemm rejects a bias whose length is not n, naming both', () => {
    expect(() => gemm(new Float32Array(6), new Float32Array(6), new Float32Array(9), 2, 3, 3, { bias: new Float32Array(2) }))
      .toThrow('gemm: bias must have n = 3 elements, got 2');
  });
});

describe('epilogueGrad(dy, y, rows, cols, dz, sums): the backward of bias and ReLU', () => {
  it('in wasm is bit-identical to the JS loops (y <= 0 ? 0 : dy, then column sums row after row) for sizes 1, 3, 17, 64, 65, 257', () => {
    const r = lcg(99);
    for (let trial = 0; trial < 30; trial++) {
      const rows = EDGE[r.int(6)];
      const cols = EDGE[r.int(6)];
      const dy = randomF32(rows * cols, trial + 1);
      const y = randomF32(rows * cols, trial + 2);
      y[0] = NaN;
      if (y.length > 2) y[2] = -0;
      if (dy.length > 1) dy[1] = NaN;
      for (const relu of [true, false]) {
        const got = { dz: new Float32Array(rows * cols), sums: new Float32Array(cols) };
        const want = { dz: new Float32Array(rows * cols), sums: new Float32Array(cols) };
        setWasmGemmEnabled(true);
        epilogueGrad(dy, relu ? y : null, rows, cols, got.dz, got.sums);
        setWasmGemmEnabled(false);
        epilogueGrad(dy, relu ? y : null, rows, cols, want.dz, want.sums);
        const where = JSON.stringify({ rows, cols, relu });
        expect(firstBitDifference(got.dz, want.dz), where).toBe(-1);
        expect(firstBitDifference(got.sums, want.sums), where).toBe(-1);
      }
    }
  });

  for (const wasm of [true, false]) {
    it(`${wasm ? 'in wasm' : 'in JS'}: gives dz = +0 where y is −0, 0 or negative, and dy where y > 0 or y is NaN (PyTorch's threshold_backward)`, () => {
      setWasmGemmEnabled(wasm);
      const rows = 64, cols = 32; // 2048 elements: the wasm path when it is on
      const dy = new Float32Array(rows * cols).fill(-2);
      const y = new Float32Array(rows * cols).fill(1);
      y.set([NaN, -0, 0, -1, 3]);
      const dz = new Float32Array(rows * cols);
      const sums = new Float32Array(cols);
      epilogueGrad(dy, y, rows, cols, dz, sums);
      expect(Array.from(dz.subarray(0, 6))).toEqual([-2, 0, 0, 0, -2, -2]);
      expect(Object.is(dz[1], 0) && Object.is(dz[2], 0) && Object.is(dz[3], 0)).toBe(true);
      expect(sums[0]).toBe(-128);
      expect(sums[1]).toBe(-126);
      expect(sums[5]).toBe(-128);
    });
  }
});

describe.runIf(canUseGemmThreads())('worker threads', () => {
  const pools = threadPools();
  afterAll(() => pools.close());
  const startedPool = (threads: number): Promise<GemmThreads> => pools.started(threads);

  const EPILOGUES = [ACTIVATION.relu, ACTIVATION.none, ACTIVATION.tanh, ACTIVATION.sigmoid];
  const MLP: Array<Shape & { transA?: boolean; transB?: boolean }> = [
    { m: 128, k: 784, n: 256 },
    { m: 784, k: 128, n: 256, transA: true },
    { m: 128, k: 256, n: 128 },
    { m: 256, k: 128, n: 128, transA: true },
    { m: 128, k: 128, n: 256, transB: true },
  ];

  for (const threads of [2, 3]) {
    it(`GemmThreads with ${threads} threads gives bit-identical results to one thread, for the MLP's products and edge sizes, with bias and each epilogue activation (ReLU, tanh, sigmoid)`, async () => {
      const pool = await startedPool(threads);
      const k = pools.kernel;
      const shapes = [...MLP, ...edgeShapes(12, 5).map((s, i) => ({ ...s, transA: i % 2 === 1, transB: i % 3 === 1 }))];
      for (const [i, s] of shapes.entries()) {
        const a = randomF32(s.m * s.k, i + 10);
        const b = randomF32(s.k * s.n, i + 20);
        const bias = i % 2 === 0 ? randomF32(s.n, i + 30) : null;
        const one = new Float32Array(s.m * s.n);
        const many = new Float32Array(s.m * s.n);
        const args = [s.m, s.k, s.n, s.transA === true, s.transB === true, false, 0, 0, 0, bias, EPILOGUES[i % EPILOGUES.length]] as const;
        expect(k.run(one, a, b, ...args, null)).toBe(true);
        expect(k.run(many, a, b, ...args, pool)).toBe(true);
        expect(firstBitDifference(many, one), JSON.stringify(s)).toBe(-1);
      }
    });
  }

  it('GemmThreads with 1 thread (no workers) computes every chunk on the caller', async () => {
    const pool = await startedPool(1);
    const a = randomF32(64 * 300, 1);
    const b = randomF32(300 * 96, 2);
    const one = new Float32Array(64 * 96);
    const alone = new Float32Array(64 * 96);
    pools.kernel.run(one, a, b, 64, 300, 96, false, false, false, 0, 0, 0, null, ACTIVATION.none, null);
    expect(pool.wouldSplit(new Int32Array([0, 0, 0, 0, 16, 12, 300, 300, 0, 0, 0]))).toBe(false);
    pools.kernel.run(alone, a, b, 64, 300, 96, false, false, false, 0, 0, 0, null, ACTIVATION.none, pool);
    expect(firstBitDifference(alone, one)).toBe(-1);
  });

  it('gemm splits products from THREAD_MIN_WORK up across the default pool, bit-identically to setGemmThreads(1)', async () => {
    setGemmThreads(2);
    expect(await gemmThreadsReady()).toBe(true);
    const [m, k, n] = [128, 784, 256];
    expect(m * k * n).toBeGreaterThanOrEqual(THREAD_MIN_WORK);
    const a = randomF32(m * k, 7);
    const b = randomF32(k * n, 8);
    const bias = randomF32(n, 9);
    const two = new Float32Array(m * n);
    gemm(two, a, b, m, k, n, { bias, relu: true });
    setGemmThreads(1);
    const one = new Float32Array(m * n);
    gemm(one, a, b, m, k, n, { bias, relu: true });
    expect(firstBitDifference(two, one)).toBe(-1);
  });

  it('setGemmThreads rejects a count that is not a whole number ≥ 1', () => {
    expect(() => setGemmThreads(0)).toThrow('setGemmThreads: threads must be a whole number ≥ 1, got 0');
    expect(() => setGemmThreads(1.5)).toThrow('got 1.5');
  });
});

describe('gemm(out, a, b, { rowMaxAbs }): each row\'s largest |value|', () => {
  for (const wasm of [true, false]) {
    it(`${wasm ? 'in wasm' : 'in JS'}: equals the largest |value| of each row of the result, for sizes 1, 3, 17, 64, 65, 257, with and without bias, ReLU and accumulate`, () => {
      setWasmGemmEnabled(wasm);
      for (const [index, s] of edgeShapes(12, 77).entries()) {
        for (const [relu, accumulate] of [[false, false], [true, false], [false, true]] as const) {
          const a = randomF32(s.m * s.k, 10 + index);
          const b = randomF32(s.k * s.n, 20 + index);
          const bias = randomF32(s.n, 30 + index);
          const out = randomF32(s.m * s.n, 40 + index);
          const largest = new Float32Array(s.m).fill(NaN);
          gemm(out, a, b, s.m, s.k, s.n, { bias, relu, accumulate, rowMaxAbs: largest });
          const want = new Float32Array(s.m);
          rowMaxAbsOf(out, 0, s.m, s.n, want);
          expect(firstBitDifference(largest, want), JSON.stringify({ ...s, relu, accumulate })).toBe(-1);
        }
      }
    });
  }

  it('ignores NaN, counts −∞ as ∞, and gives 0 for a row of zeros, as the JS reference does', () => {
    const [m, k, n] = [4, 33, 13]; // n mod 4 = 1: a tail after the vectors
    const a = new Float32Array(m * k);
    const b = new Float32Array(k * n);
    a[0] = 1; // row 0 = b's first row
    b.set([NaN, -3, 2, NaN, 0, 0, 0, 0, 0, 0, 0, 0, -Infinity]);
    a[k + 0] = 1e-30; // row 1: tiny values
    const largest = new Float32Array(m);
    gemm(new Float32Array(m * n), a, b, m, k, n, { rowMaxAbs: largest });
    expect([...largest]).toEqual([Infinity, Infinity, 0, 0]);
    gemm(new Float32Array(m * n), a, b.map((v) => (Number.isFinite(v) ? v : 0)), m, k, n, { rowMaxAbs: largest });
    expect([...largest]).toEqual([3, Math.fround(Math.fround(3) * Math.fround(1e-30)), 0, 0]);
  });

  it('rejects a rowMaxAbs whose length is not m', () => {
    expect(() => gemm(new Float32Array(6), new Float32Array(6), new Float32Array(9), 2, 3, 3, { rowMaxAbs: new Float32Array(3) }))
      .toThrow('gemm: rowMaxAbs must have m = 2 elements, one per row, got 3');
  });
});

describe('SGD update in wasm', () => {
  /** Five SGD steps on float32 parameters of each size, with wasm on or off; their bits. */
  function descend(sizes: readonly number[], options: ConstructorParameters<typeof SGD>[1], wasm: boolean): Float32Array[] {
    setWasmGemmEnabled(wasm);
    // Magnitudes from 1e-30 to 1e10, so rounding to float32 and the double products both matter.
    const params = sizes.map((n, i) => tensor(randomF32(n, 10 + i).map((v, j) => v * 10 ** ((j % 41) - 30)), 'float32', [n]));
    for (const p of params) p.requiresGrad = true;
    const opt = new SGD(params, options);
    for (let step = 0; step < 5; step++) {
      sizes.forEach((n, i) => {
        params[i].grad = tensor(randomF32(n, 100 * step + i).map((v, j) => v * 10 ** ((j % 23) - 11)), 'float32', [n]);
      });
      opt.step();
    }
    return params.map((p) => p.data as Float32Array);
  }

  const sizes = [WASM_MIN_UPDATE, WASM_MIN_UPDATE + 3, 200_707];

  it('runs in wasm from WASM_MIN_UPDATE float32 values, not below and not for float64', () => {
    const n = WASM_MIN_UPDATE;
    expect(wasmSgd(new Float32Array(n), new Float32Array(n), null, 0.1, 0, false)).toBe(true);
    expect(wasmSgd(new Float32Array(n - 1), new Float32Array(n - 1), null, 0.1, 0, false)).toBe(false);
    expect(wasmSgd(new Float64Array(n), new Float64Array(n), null, 0.1, 0, false)).toBe(false);
  });
  for (const [label, options] of [
    ['plain', { lr: 0.1 }],
    ['momentum', { lr: 0.037, momentum: 0.9 }],
    ['Nesterov momentum', { lr: 3e-3, momentum: 0.5, nesterov: true }],
    ['a schedule', { lr: (step: number) => 0.5 / (1 + step) }],
  ] as const) {
    it(`${label}: the parameters' bits equal the JS loop's, for sizes ${sizes.join(', ')}`, () => {
      const viaWasm = descend(sizes, options, true);
      const viaJs = descend(sizes, options, false);
      viaWasm.forEach((values, i) => expect(firstBitDifference(values, viaJs[i]), `size ${sizes[i]}`).toBe(-1));
    });
  }

  it('NaN and infinite gradients propagate as in the JS loop', () => {
    const run = (wasm: boolean): Float32Array => {
      setWasmGemmEnabled(wasm);
      const p = tensor(new Float32Array(WASM_MIN_UPDATE).fill(1), 'float32', [WASM_MIN_UPDATE]);
      p.requiresGrad = true;
      p.grad = tensor(Float32Array.from({ length: WASM_MIN_UPDATE }, (_, i) => [NaN, Infinity, -Infinity, 3e38][i % 4]), 'float32', [WASM_MIN_UPDATE]);
      new SGD([p], { lr: 10, momentum: 0.9 }).step();
      return p.data as Float32Array;
    };
    const viaWasm = run(true);
    expect(firstBitDifference(viaWasm, run(false))).toBe(-1);
    expect([...viaWasm.subarray(0, 4)]).toEqual([NaN, -Infinity, Infinity, -Infinity]);
  });
});

describe('relaxed-SIMD FMA', () => {
  // Each case runs in a child process: V8's flags are per process and once on stay on.
  function fixture(fma: string | undefined): unknown {
    const env: NodeJS.ProcessEnv = { ...process.env, NNLAB_THREADS: '2' };
    if (fma === undefined) delete env.NNLAB_WASM_FMA;
    else env.NNLAB_WASM_FMA = fma;
    const file = fileURLToPath(new URL('./fma.fixture.ts', import.meta.url));
    return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', env }));
  }

  it('is used by default: in Node 20 the kernel turns V8\'s relaxed-SIMD flag on itself, and stays within the float32 error bound', () => {
    const node20 = process.versions.v8.startsWith('11.3.');
    expect(fixture(undefined)).toEqual({
      flagBefore: !node20, flagAfter: true, kernel: 'fma', withinBound: true, fmaDiffersFromMulAdd: true, threadsIdentical: true,
    });
  });

  it('NNLAB_WASM_FMA=0 keeps the mul + add kernel and leaves the flag alone', () => {
    if (!process.versions.v8.startsWith('11.3.')) return; // the flag only exists to be left alone in Node 20
    expect(fixture('0')).toEqual({
      flagBefore: false, flagAfter: false, kernel: 'mul+add', withinBound: true, fmaDiffersFromMulAdd: null, threadsIdentical: true,
    });
  });
});

describe('NNLAB_THREADS', () => {
  it("a bad value lets import 'nnlab' succeed and is reported, naming the option, the rule and the value, by the first threaded matmul", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NNLAB_THREADS: 'banana' };
    const file = fileURLToPath(new URL('./threads-env.fixture.ts', import.meta.url));
    const steps = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', env })) as Record<string, string>;
    const error = "NNLAB_THREADS must be a whole number of threads ≥ 1 (1 turns threads off), got 'banana'";
    expect(steps).toEqual({
      'import': 'ok',
      'float64 matmul': 'ok',
      'an optimiser over float32 parameters': 'ok',
      'first threaded matmul': error,
      'threaded matmul again': error,
      'gemmThreads()': error,
      'setGemmThreads(1), then a threaded matmul': 'ok',
    });
  });
});
