/**
 * Laws that hold for every input, checked with fast-check on generated shapes and values:
 * broadcasting, softmax, the stable BCE-with-logits and logsumexp forms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Generator,
  add,
  binaryCrossEntropyWithLogits,
  broadcastShapes,
  broadcastTo,
  grad,
  nn,
  logSoftmax,
  logsumexp,
  mul,
  randomUniform,
  reshape,
  softmax,
  sum,
  tensor,
} from '../packages/nnlab/src/index.js';
import type { DType, Shape, Tensor } from '../packages/nnlab/src/index.js';
import { sumToShape } from '../packages/nnlab/src/ops/elementwise.js';
import { expectAllClose } from './helpers.js';

/** A fixed seed keeps CI deterministic; a failure prints the seed and path to replay it. */
const runs = { seed: 20_240_601, numRuns: 100 };

/** Values for a tensor come from a seeded Generator, so fast-check only has to pick the seed. */
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const valuesOf = (shape: Shape, seed: number, low = -2, high = 2, dtype: DType = 'float64'): Tensor =>
  randomUniform(shape, new Generator(seed), low, high, dtype);

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 });

/** A shape that broadcasts to `full`: some leading axes dropped, some of the rest set to 1. */
const broadcastableTo = (full: readonly number[]): fc.Arbitrary<number[]> =>
  fc
    .tuple(fc.integer({ min: 0, max: full.length }), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }))
    .map(([drop, ones]) => full.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));

/** Two shapes that broadcast together. */
const compatiblePairArb = shapeArb.chain((full) => fc.tuple(broadcastableTo(full), broadcastableTo(full)));

/** NumPy's rule, written independently of src: pad with leading 1s; sizes must match or be 1. */
function numpyBroadcast(a: Shape, b: Shape): number[] | null {
  const rank = Math.max(a.length, b.length);
  const pad = (s: Shape): number[] => [...new Array<number>(rank - s.length).fill(1), ...s];
  const [pa, pb] = [pad(a), pad(b)];
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (pa[i] !== pb[i] && pa[i] !== 1 && pb[i] !== 1) return null;
    out.push(pa[i] === 1 ? pb[i] : pa[i]);
  }
  return out;
}

const broadcastOrNull = (a: Shape, b: Shape): number[] | null => {
  try {
    return broadcastShapes('test', a, b);
  } catch {
    return null;
  }
};

describe('broadcasting', () => {
  it('broadcastShapes(a, b) gives what NumPy gives on the examples of its documentation', () => {
    // Each result checked against numpy.broadcast_shapes.
    expect(broadcastShapes('t', [8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
    expect(broadcastShapes('t', [5, 4], [1])).toEqual([5, 4]);
    expect(broadcastShapes('t', [5, 4], [4])).toEqual([5, 4]);
    expect(broadcastShapes('t', [15, 3, 5], [15, 1, 5])).toEqual([15, 3, 5]);
    expect(broadcastShapes('t', [15, 3, 5], [3, 5])).toEqual([15, 3, 5]);
    expect(broadcastShapes('t', [15, 3, 5], [3, 1])).toEqual([15, 3, 5]);
    expect(broadcastShapes('t', [], [2, 3])).toEqual([2, 3]);
    expect(broadcastOrNull([3], [4])).toBeNull();
    expect(broadcastOrNull([2, 1], [8, 4, 3])).toBeNull();
  });

  it('broadcastShapes(a, b) is symmetric and follows NumPy, failing exactly when NumPy does', () => {
    const anyShape = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 });
    fc.assert(
      fc.property(anyShape, anyShape, (a, b) => {
        const expected = numpyBroadcast(a, b);
        expect(broadcastOrNull(a, b)).toEqual(expected);
        expect(broadcastOrNull(b, a)).toEqual(expected);
      }),
      runs,
    );
  });

  it('add(a, b) equals add(b, a), with broadcasting on either side', () => {
    fc.assert(
      fc.property(compatiblePairArb, seedArb, ([sa, sb], seed) => {
        const a = valuesOf(sa, seed);
        const b = valuesOf(sb, seed + 1);
        expectAllClose(add(a, b), add(b, a), { atol: 0, rtol: 0 });
      }),
      runs,
    );
  });

  it('add(a, b) equals broadcastTo(a, s) + broadcastTo(b, s) for s = broadcastShapes(a, b)', () => {
    fc.assert(
      fc.property(compatiblePairArb, seedArb, ([sa, sb], seed) => {
        const a = valuesOf(sa, seed);
        const b = valuesOf(sb, seed + 1);
        const s = broadcastShapes('add', sa, sb);
        const expanded = add(broadcastTo(a, s), broadcastTo(b, s));
        expect(expanded.shape).toEqual(s);
        expectAllClose(add(a, b), expanded, { atol: 0, rtol: 0 });
        expectAllClose(mul(a, b), mul(broadcastTo(a, s), broadcastTo(b, s)), { atol: 0, rtol: 0 });
      }),
      runs,
    );
  });

  it('sumToShape(g, shape) sums g over exactly the axes that shape was broadcast along', () => {
    const targetArb = shapeArb.chain((full) => fc.tuple(fc.constant(full), broadcastableTo(full)));
    fc.assert(
      fc.property(targetArb, seedArb, ([full, shape], seed) => {
        const g = valuesOf(full, seed);
        const lead = full.length - shape.length;
        const axes = full.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && full[i] !== 1));
        const expected = reshape(sum(g, axes, true), shape);
        expectAllClose(sumToShape(g, shape), expected, { atol: 1e-12 });
        // The same sum is the gradient of a broadcast: d/dx Σ broadcastTo(x, full) · g.
        const [dx] = grad((x: Tensor) => sum(mul(broadcastTo(x, full), g)))(valuesOf(shape, seed + 1));
        expectAllClose(dx, expected, { atol: 1e-12 });
      }),
      runs,
    );
  });
});

/** Logits [rows, cols] in ±scale, float64, from a seed. */
const logitsArb = fc.record({
  rows: fc.integer({ min: 1, max: 4 }),
  cols: fc.integer({ min: 1, max: 6 }),
  scale: fc.constantFrom(1, 10, 50),
  seed: seedArb,
});

describe('softmax', () => {
  it('softmax(x) rows sum to 1 and ignore a constant shift, on either axis', () => {
    fc.assert(
      fc.property(logitsArb, fc.double({ min: -1000, max: 1000, noNaN: true }), fc.constantFrom(0, -1), ({ rows, cols, scale, seed }, shift, axis) => {
        const x = valuesOf([rows, cols], seed, -scale, scale);
        const y = softmax(x, axis);
        const lines = axis === 0 ? cols : rows;
        expectAllClose(sum(y, axis), new Array<number>(lines).fill(1), { atol: 1e-12 });
        expectAllClose(softmax(add(x, shift), axis), y, { atol: 1e-12, rtol: 1e-9 });
      }),
      runs,
    );
  });

  it('softmax(x) stays finite and sums to 1 for logits around ±1000, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([[1000, 999, -1000], [-1000, -1001, -1000]], dtype);
      const y = softmax(x);
      expect(Array.from(y.data).every(Number.isFinite)).toBe(true);
      expectAllClose(sum(y, -1), [1, 1], { atol: 1e-6 });
      const e = Math.exp(-1);
      expectAllClose(y, [[1 / (1 + e), e / (1 + e), 0], [1 / (2 + e), e / (2 + e), 1 / (2 + e)]], { atol: 1e-6 });
    }
  });

  it('logSoftmax(x) equals log(softmax(x)) wherever that is finite', () => {
    // Subnormal softmax values have lost their digits, so their log is not a reference either.
    const smallestNormal = 2.2250738585072014e-308;
    fc.assert(
      fc.property(logitsArb, fc.constantFrom(1, 400), ({ rows, cols, scale, seed }, spread) => {
        // A spread of 400 pushes some entries below e^−745, where softmax underflows to 0.
        const x = valuesOf([rows, cols], seed, -scale * spread, scale * spread);
        const direct = logSoftmax(x);
        const p = softmax(x).data;
        direct.data.forEach((v, i) => {
          if (!(p[i] >= smallestNormal)) return;
          expect(Math.abs(v - Math.log(p[i]))).toBeLessThanOrEqual(1e-10 + 1e-12 * Math.abs(v));
        });
        expect(Array.from(direct.data).every(Number.isFinite)).toBe(true);
      }),
      runs,
    );
  });
});

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const naiveBce = (z: number, t: number): number => -t * Math.log(sigmoid(z)) - (1 - t) * Math.log(1 - sigmoid(z));

describe('binaryCrossEntropyWithLogits', () => {
  const targetArb = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));

  it('binaryCrossEntropyWithLogits(z, t) equals −t ln σ(z) − (1 − t) ln(1 − σ(z)) wherever the naive form is finite', () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), targetArb, (z, t) => {
        const naive = naiveBce(z, t);
        fc.pre(Number.isFinite(naive));
        const stable = binaryCrossEntropyWithLogits(tensor([z], 'float64'), tensor([t], 'float64')).item();
        // The naive form loses digits where σ(z) nears 1: 1 − σ(z) is off by up to ~ε, so its log
        // is off by ~ε / (1 − σ(z)). The tolerance allows exactly that, and no more.
        const naiveError = (4 * Number.EPSILON * (1 - t)) / (1 - sigmoid(z));
        expect(Math.abs(stable - naive)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(z)) + naiveError);
      }),
      { ...runs, numRuns: 500 },
    );
  });

  it('binaryCrossEntropyWithLogits(z, t) and its gradient stay finite for logits of ±1e4, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const z = tensor([1e4, -1e4, 1e4, -1e4, 0], dtype);
      const t = tensor([1, 0, 0, 1, 0.5], dtype);
      const loss = binaryCrossEntropyWithLogits(z, t);
      // Right answers cost 0; confident wrong answers cost |z|.
      expectAllClose(loss, [0, 0, 1e4, 1e4, Math.LN2], { atol: 1e-6, rtol: 1e-6 });
      expect(naiveBce(1e4, 0)).toBe(Infinity);
      const [g] = grad((v: Tensor) => sum(binaryCrossEntropyWithLogits(v, t)))(z);
      expectAllClose(g, [0, 0, 1, -1, 0], { atol: 1e-6 });
    }
  });
});

describe('logsumexp', () => {
  it('logsumexp(x, axis) equals ln Σ e^x for small values', () => {
    fc.assert(
      fc.property(logitsArb, fc.constantFrom(0, 1), ({ rows, cols, seed }, axis) => {
        const x = valuesOf([rows, cols], seed, -10, 10);
        const rowsOut = axis === 0 ? cols : rows;
        const naive = Array.from({ length: rowsOut }, (_, r) => {
          let total = 0;
          const length = axis === 0 ? rows : cols;
          for (let k = 0; k < length; k++) total += Math.exp(x.data[axis === 0 ? k * cols + r : r * cols + k]);
          return Math.log(total);
        });
        expectAllClose(logsumexp(x, axis), naive, { atol: 1e-12, rtol: 1e-12 });
      }),
      runs,
    );
  });

  it('logsumexp(x) is finite for values of ±1e4, where the naive form overflows, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      expectAllClose(logsumexp(tensor([1e4, 1e4], dtype)), 1e4 + Math.LN2, { atol: 1e-3, rtol: 1e-7 });
      expectAllClose(logsumexp(tensor([-1e4, -1e4], dtype)), -1e4 + Math.LN2, { atol: 1e-3, rtol: 1e-7 });
      expectAllClose(logsumexp(tensor([[1e4, -1e4]], dtype), 1), [1e4], { atol: 1e-3, rtol: 1e-7 });
    }
    expect(Math.log(Math.exp(1e4) + Math.exp(1e4))).toBe(Infinity);
  });
});

describe('dropout', () => {
  it.each([0.1, 0.5, 0.9])('Dropout(%f) keeps each element\'s expectation: averaged over many masks, y ≈ x', (rate) => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 6 }), (seed, width) => {
        const x = valuesOf([1, width], seed, -3, 3);
        const layer = new nn.Dropout(rate, { rng: new Generator(seed + 1) });
        const draws = 4000;
        // Row r of the batch is an independent draw of the mask over the same x.
        const y = layer.forward(x.broadcastTo([draws, width]));
        const average = y.mean(0);
        // Each y has mean x and variance x²·rate/(1 − rate): allow 5 standard errors.
        const tolerance = Array.from(x.data, (v) => 5 * Math.abs(v) * Math.sqrt(rate / (1 - rate) / draws) + 1e-12);
        Array.from(average.data).forEach((a, i) => expect(Math.abs(a - x.data[i])).toBeLessThanOrEqual(tolerance[i]));
      }),
      { ...runs, numRuns: 30 },
    );
  });
});
