import { describe, expect, it } from 'vitest';
import { Generator, nn, noGrad, softmax, tensor } from '../index.js';
import type { FloatArray } from '../index.js';

/** A batch of `rows` × `width` normal values, as the layer's dtype. */
function batch(rng: Generator, rows: number, width: number, dtype: 'float32' | 'float64' = 'float32'): FloatArray {
  const data = dtype === 'float32' ? new Float32Array(rows * width) : new Float64Array(rows * width);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, 2);
  return data;
}

/** A dense layer with nonzero biases, so the bias addition is exercised. */
function layer(inFeatures: number, outFeatures: number, activation: nn.ActivationName, seed: number, dtype: 'float32' | 'float64' = 'float32'): nn.Dense {
  const rng = new Generator(seed);
  const dense = new nn.Dense(inFeatures, outFeatures, { activation, rng, dtype });
  for (let j = 0; j < outFeatures; j++) dense.bias!.data[j] = rng.normal(0, 0.5);
  return dense;
}

describe('nn.denseInto(dense, x, rows, out)', () => {
  // Sizes on either side of the matmul kernel's paths: the strided loop (≤ 64 multiply-adds),
  // the plain-JS or wasm kernel above it, and the playground's maps (10,000 rows of 8 units).
  const sizes: [number, number, number][] = [[4, 2, 2], [3, 5, 7], [40, 8, 8], [10_000, 8, 8], [257, 33, 3]];
  for (const activation of ['linear', 'sigmoid', 'tanh', 'relu'] as const) {
    it.each(sizes)(`gives the bits of noGrad(() => dense.forward(x)) for ${activation}, rows × in × out %i × %i × %i`, (rows, k, m) => {
      const dense = layer(k, m, activation, rows + k + m);
      const x = batch(new Generator(rows), rows, k);
      const expected = noGrad(() => dense.forward(tensor(x, 'float32', [rows, k]))).data;
      const out = new Float32Array(rows * m).fill(NaN);
      expect(nn.denseInto(dense, x, rows, out)).toBe(out);
      expect(out).toEqual(expected);
    });
  }

  it('gives the bits of forward for float64 layers too', () => {
    const dense = layer(6, 5, 'tanh', 1, 'float64');
    const x = batch(new Generator(2), 30, 6, 'float64');
    const expected = noGrad(() => dense.forward(tensor(x, 'float64', [30, 6]))).data;
    expect(nn.denseInto(dense, x, 30, new Float64Array(30 * 5))).toEqual(expected);
  });

  it('reuses out: a second call overwrites it with the same numbers', () => {
    const dense = layer(8, 8, 'relu', 3);
    const x = batch(new Generator(4), 100, 8);
    const out = new Float32Array(800);
    const first = Float32Array.from(nn.denseInto(dense, x, 100, out));
    expect(nn.denseInto(dense, x, 100, out)).toEqual(first);
  });

  it('names the layer, the rule and the sizes when it cannot evaluate', () => {
    const dense = layer(3, 2, 'relu', 5);
    expect(() => nn.denseInto(dense, new Float32Array(6), 2, new Float32Array(3))).toThrow(
      'denseInto(dense): needs x of 2 × 3 = 6 values and out of 2 × 2 = 4, got x 6 and out 3',
    );
    expect(() => nn.denseInto(dense, new Float64Array(6), 2, new Float32Array(4))).toThrow(/x and out must be Float32Arrays like the layer's weights, got Float64Array and Float32Array/);
    expect(() => nn.denseInto(dense, new Float32Array(0), 0, new Float32Array(0))).toThrow(/rows must be a positive integer, got 0/);
    const leaky = new nn.Dense(3, 2, { activation: 'softmax', rng: new Generator(1) });
    expect(nn.denseIntoSupports(leaky)).toBe(false);
    expect(nn.denseIntoSupports(new nn.Dense(3, 2, { activation: 'leakyRelu', rng: new Generator(1) }))).toBe(true);
    expect(() => nn.denseInto(leaky, new Float32Array(6), 2, new Float32Array(4))).toThrow(/needs a bias and an activation of linear, sigmoid, tanh, relu, leakyRelu, softplus, elu, silu; the layer has activation 'softmax'/);
    const noBias = new nn.Dense(3, 2, { bias: false, rng: new Generator(1) });
    expect(() => nn.denseInto(noBias, new Float32Array(6), 2, new Float32Array(4))).toThrow(/the layer has no bias/);
  });
});

describe('nn.softmaxRowsInto(x, rows, classes, out)', () => {
  it('gives the bits of softmax(x) along the last axis, also in place', () => {
    const x = batch(new Generator(7), 1000, 3) as Float32Array;
    x.set([-Infinity, -Infinity, -Infinity, 80, -80, 0], 0); // an all −∞ row and a wide one
    const expected = softmax(tensor(x, 'float32', [1000, 3])).data;
    expect(nn.softmaxRowsInto(x, 1000, 3, new Float32Array(3000))).toEqual(expected);
    const inPlace = Float32Array.from(x);
    expect(nn.softmaxRowsInto(inPlace, 1000, 3, inPlace)).toEqual(expected);
  });

  it('names the sizes it needs', () => {
    expect(() => nn.softmaxRowsInto(new Float32Array(6), 2, 3, new Float32Array(5))).toThrow(
      'softmaxRowsInto: needs x and out of 2 × 3 = 6 values, got 6 and 5',
    );
  });
});

describe('nn.denseInto with ReLU at its edges', () => {
  it('maps NaN, −0 and 0 sums as the relu op does (NaN stays NaN, −0 becomes +0)', () => {
    const dense = layer(2, 3, 'relu', 2);
    dense.weight.data.set([1, -1, 0, 0, 0, 1]);
    dense.bias!.data.set([-0, 0, -0]);
    const x = new Float32Array([NaN, 1, -0, -0, 0, 0, -2, 2, 3, NaN]);
    const expected = noGrad(() => dense.forward(tensor(x, 'float32', [5, 2]))).data;
    const out = nn.denseInto(dense, x, 5, new Float32Array(15));
    expect(out).toEqual(expected);
    expect(Array.from(out).some((v) => Object.is(v, -0))).toBe(false);
    expect(Array.from(out).filter((v) => Number.isNaN(v)).length).toBe(6); // every unit of the two rows with a NaN input (0 · NaN is NaN)
  });
});
