import { describe, expect, it } from 'vitest';
import { Generator, nn, noGrad, sigmoid, softmax, tanh, tensor } from '../index.js';
import type { FloatArray } from '../index.js';

/** A dense layer with nonzero biases, so the bias (the ones row's weights) is exercised. */
function layer(inFeatures: number, outFeatures: number, activation: nn.ActivationName, seed: number, dtype: 'float32' | 'float64' = 'float32'): nn.Dense {
  const rng = new Generator(seed);
  const dense = new nn.Dense(inFeatures, outFeatures, { activation, rng, dtype });
  for (let j = 0; j < outFeatures; j++) dense.bias!.data[j] = rng.normal(0, 0.5);
  return dense;
}

/** `points` rows of `width` normal values, row-major [points, width], as forward takes them. */
function batch(rng: Generator, points: number, width: number, dtype: 'float32' | 'float64' = 'float32'): FloatArray {
  const data = dtype === 'float32' ? new Float32Array(points * width) : new Float64Array(points * width);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, 2);
  return data;
}

/** Row-major [rows, cols] as unit-major [cols, rows], then `extraRows` rows of ones. */
function transposed(x: FloatArray, rows: number, cols: number, extraRows = 0): FloatArray {
  const out = x instanceof Float32Array ? new Float32Array((cols + extraRows) * rows) : new Float64Array((cols + extraRows) * rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
  out.fill(1, cols * rows);
  return out;
}

/**
 * The same bits (so −0 is not 0, and NaN is NaN), reported as the first difference: a failing
 * toEqual on 80,000 values takes minutes to print its diff.
 */
function expectSameBits(actual: FloatArray, expected: FloatArray): void {
  expect(actual.constructor).toBe(expected.constructor);
  expect(actual.length).toBe(expected.length);
  const [a, b] = [new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength), new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength)];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      const at = Math.floor(i / actual.BYTES_PER_ELEMENT);
      expect.fail(`[${at}]: ${actual[at]}, expected ${expected[at]}`);
    }
  }
}

/** Within `tolerance` of the expected values relative to max(1, |expected|), NaN where NaN. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, b] = [actual[i], expected[i]];
    if (!Number.isFinite(b)) expect(a, `[${i}]`).toBe(b);
    else if (!(Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)))) expect.fail(`[${i}]: ${a}, expected ${b}`);
  }
}

describe('nn.denseUnitsInto(dense, x, points, out)', () => {
  // [points, in, out]: products both ways from the wasm kernel's 128 multiply-adds up (bits
  // expected), and ones below it, where forward's product takes the JS kernel (close only).
  const wasmBoth: [number, number, number][] = [[40, 8, 8], [10_000, 8, 8], [10_000, 2, 8], [10_000, 8, 3], [257, 33, 3], [49, 8, 1]];
  const small: [number, number, number][] = [[4, 2, 2], [3, 5, 7], [49, 2, 1]];
  for (const activation of ['linear', 'sigmoid', 'tanh', 'relu'] as const) {
    it.each(wasmBoth)(`gives the bits of forward, transposed, for ${activation}, points × in × out %i × %i × %i`, (points, k, m) => {
      const dense = layer(k, m, activation, points + k + m);
      const x = batch(new Generator(points), points, k);
      const expected = transposed(noGrad(() => dense.forward(tensor(x, 'float32', [points, k]))).data, points, m);
      const out = new Float32Array(m * points).fill(NaN);
      expect(nn.denseUnitsInto(dense, transposed(x, points, k, 1), points, out)).toBe(out);
      expectSameBits(out, expected);
    });

    // NOTE: close, not the bits: forward's product is under the wasm kernel's size here, so it
    // sums in double and adds the bias after rounding, where the ones row's bias joins the sum.
    it.each(small)(`gives forward's numbers up to rounding for ${activation} at small sizes, %i × %i × %i`, (points, k, m) => {
      const dense = layer(k, m, activation, points * k * m);
      const x = batch(new Generator(points + 1), points, k);
      const expected = transposed(noGrad(() => dense.forward(tensor(x, 'float32', [points, k]))).data, points, m);
      expectClose(nn.denseUnitsInto(dense, transposed(x, points, k, 1), points, new Float32Array(m * points)), expected, 1e-6);
    });
  }

  it('gives forward\'s numbers for float64 layers too (up to rounding: the bias joins the sum)', () => {
    const dense = layer(6, 5, 'tanh', 1, 'float64');
    const x = batch(new Generator(2), 300, 6, 'float64');
    const expected = transposed(noGrad(() => dense.forward(tensor(x, 'float64', [300, 6]))).data, 300, 5);
    expectClose(nn.denseUnitsInto(dense, transposed(x, 300, 6, 1), 300, new Float64Array(5 * 300)), expected, 1e-14);
  });

  for (const activation of ['tanh', 'sigmoid'] as const) {
    it(`gives the bits of the linear map, then the ${activation} op (its activation now runs in gemm's epilogue), with maxAbs after it`, () => {
      const [points, k, m] = [10_000, 2, 8];
      const dense = layer(k, m, activation, 5);
      const plain = layer(k, m, 'linear', 5);
      plain.weight.data.set(dense.weight.data);
      plain.bias!.data.set(dense.bias!.data);
      const x = transposed(batch(new Generator(6), points, k), points, k, 1);
      const maxAbs = new Float32Array(m);
      const out = nn.denseUnitsInto(dense, x, points, new Float32Array(m * points), maxAbs);
      const sums = nn.denseUnitsInto(plain, x, points, new Float32Array(m * points));
      const expected = noGrad(() => (activation === 'tanh' ? tanh : sigmoid)(tensor(sums, 'float32', [m, points]))).data;
      expectSameBits(out, expected);
      expect(Array.from(maxAbs)).toEqual(Array.from({ length: m }, (_, u) => Math.max(...Array.from(expected.subarray(u * points, (u + 1) * points)).map(Math.abs))));
    });
  }

  it('reads x and writes out as views into one buffer, as the playground chains its layers', () => {
    const [first, second] = [layer(2, 4, 'relu', 1), layer(4, 3, 'tanh', 2)];
    const x = batch(new Generator(3), 500, 2);
    const expected = noGrad(() => second.forward(first.forward(tensor(x, 'float32', [500, 2])))).data;
    const buffer = new Float32Array((4 + 1 + 3) * 500);
    nn.denseUnitsInto(first, transposed(x, 500, 2, 1), 500, buffer.subarray(0, 4 * 500));
    buffer.fill(1, 4 * 500, 5 * 500);
    nn.denseUnitsInto(second, buffer.subarray(0, 5 * 500), 500, buffer.subarray(5 * 500));
    expectSameBits(buffer.subarray(5 * 500), transposed(expected, 500, 3));
  });

  it('maps NaN, −0 and 0 sums under ReLU as the relu op does (NaN stays NaN, −0 becomes +0)', () => {
    const dense = layer(2, 3, 'relu', 2);
    dense.weight.data.set([1, -1, 0, 0, 0, 1]);
    dense.bias!.data.set([-0, 0, -0]);
    const x = new Float32Array([NaN, 1, -0, -0, 0, 0, -2, 2, 3, NaN]);
    const expected = transposed(noGrad(() => dense.forward(tensor(x, 'float32', [5, 2]))).data, 5, 3);
    const out = nn.denseUnitsInto(dense, transposed(x, 5, 2, 1), 5, new Float32Array(15));
    expect(out).toEqual(expected);
    expect(Array.from(out).some((v) => Object.is(v, -0))).toBe(false);
    expect(Array.from(out).filter((v) => Number.isNaN(v)).length).toBe(6); // every unit of the two rows with a NaN input (0 · NaN is NaN)
  });
});

describe('nn.denseUnitsInto(dense, x, points, out, maxAbs)', () => {
  for (const activation of ['linear', 'sigmoid', 'tanh', 'relu'] as const) {
    it(`gives each unit's largest |value|, NaN ignored (${activation})`, () => {
      const dense = layer(3, 4, activation, 21);
      const x = transposed(batch(new Generator(22), 51, 3), 51, 3, 1);
      x[2 * 51 + 7] = NaN; // point 7's units are NaN (ReLU makes them 0): ignored
      const maxAbs = new Float64Array(4).fill(-1);
      const out = nn.denseUnitsInto(dense, x, 51, new Float32Array(4 * 51), maxAbs);
      const expected = Array.from({ length: 4 }, (_, u) => Math.max(0, ...Array.from(out.subarray(u * 51, (u + 1) * 51)).filter((v) => !Number.isNaN(v)).map(Math.abs)));
      expect(Array.from(maxAbs)).toEqual(expected);
      expect(expected.every((v) => v > 0)).toBe(true);
    });
  }

  it('gives 0 for a unit with no value but NaN', () => {
    const dense = layer(1, 1, 'linear', 3);
    const maxAbs = new Float64Array(1).fill(-1);
    nn.denseUnitsInto(dense, new Float32Array([NaN, NaN, NaN, 1, 1, 1]), 3, new Float32Array(3), maxAbs);
    expect(maxAbs[0]).toBe(0);
  });
});

describe('nn.denseUnitsInto refusals', () => {
  it('names the layer, the rule and the sizes', () => {
    const dense = layer(3, 2, 'relu', 5);
    const ones = (length: number) => new Float32Array(length).fill(1);
    expect(() => nn.denseUnitsInto(dense, ones(6), 2, new Float32Array(4))).toThrow(
      'denseUnitsInto(dense): needs x of (3 inputs + 1 row of ones) × 2 points = 8 values and out of 2 × 2 = 4, got x 6 and out 4',
    );
    expect(() => nn.denseUnitsInto(dense, new Float32Array(8), 2, new Float32Array(4))).toThrow(/x's last row \(row 3\) must be all ones \(the bias's input\), got 0 … 0/);
    expect(() => nn.denseUnitsInto(dense, new Float64Array(8).fill(1), 2, new Float32Array(4))).toThrow(/x and out must be Float32Arrays like the layer's weights, got Float64Array and Float32Array/);
    expect(() => nn.denseUnitsInto(dense, ones(0), 0, new Float32Array(0))).toThrow(/points must be a positive integer, got 0/);
    expect(() => nn.denseUnitsInto(dense, ones(8), 2, new Float32Array(4), new Float64Array(3))).toThrow(/maxAbs needs 2 values, one per unit, got 3/);
    const buffer = ones(10);
    expect(() => nn.denseUnitsInto(dense, buffer.subarray(0, 8), 2, buffer.subarray(6))).toThrow(/x and out overlap in one buffer \(bytes 0–32 and 24–40\)/);
    const leaky = new nn.Dense(3, 2, { activation: 'softmax', rng: new Generator(1) });
    expect(() => nn.denseUnitsInto(leaky, ones(8), 2, new Float32Array(4))).toThrow(/needs a bias and an activation of linear, sigmoid, tanh, relu, leakyRelu, softplus, elu, silu; the layer has activation 'softmax'/);
    const noBias = new nn.Dense(3, 2, { bias: false, rng: new Generator(1) });
    expect(() => nn.denseUnitsInto(noBias, ones(8), 2, new Float32Array(4))).toThrow(/the layer has no bias/);
  });
});

describe('nn.softmaxUnitsInto(x, classes, points, out)', () => {
  it('gives softmax over each column up to rounding, also in place', () => {
    const rows = batch(new Generator(7), 1000, 3) as Float32Array;
    rows.set([80, -80, 0, -Infinity, 5, -Infinity, 2, 2, 2], 0); // a wide column, −∞ logits, a tie
    const expected = transposed(softmax(tensor(rows, 'float32', [1000, 3])).data, 1000, 3);
    const x = transposed(rows, 1000, 3);
    // One float32 rounding apart at most: pᵢ ≤ 1, and float32 has 24 bits.
    expectClose(nn.softmaxUnitsInto(x, 3, 1000, new Float32Array(3000)), expected, 2 ** -23);
    const inPlace = Float32Array.from(x);
    expectSameBits(nn.softmaxUnitsInto(inPlace, 3, 1000, inPlace), nn.softmaxUnitsInto(x, 3, 1000, new Float32Array(3000)));
  });

  // Three classes have a loop of their own (softmax3); two and four take the general one.
  it.each([2, 4, 7])('gives softmax over each column up to rounding for %i classes', (classes) => {
    const rows = batch(new Generator(classes), 500, classes) as Float32Array;
    rows.fill(1.5, 0, classes); // a column of ties
    const expected = transposed(softmax(tensor(rows, 'float32', [500, classes])).data, 500, classes);
    expectClose(nn.softmaxUnitsInto(transposed(rows, 500, classes), classes, 500, new Float32Array(500 * classes)), expected, 2 ** -23);
  });

  it.each([2, 3, 4])('gives the op\'s values for columns with NaN or an infinite largest logit (%i classes)', (classes) => {
    const columns = [[-Infinity, -Infinity, -Infinity, -Infinity], [Infinity, 0, 1, 2], [NaN, 0, 1, 2], [0, NaN, 1, 2], [1, 0, NaN, 2], [2, 0, 1, NaN], [0, 0, 0, 0], [-Infinity, 1, -Infinity, 0]]
      .map((column) => column.slice(0, classes));
    const rows = Float32Array.from(columns.flat());
    const expected = transposed(softmax(tensor(rows, 'float32', [columns.length, classes])).data, columns.length, classes);
    expect(nn.softmaxUnitsInto(transposed(rows, columns.length, classes), classes, columns.length, new Float32Array(rows.length))).toEqual(expected);
  });

  it('takes one class (every p is 1) and names the sizes it needs', () => {
    expect(nn.softmaxUnitsInto(new Float32Array([3, -2]), 1, 2, new Float32Array(2))).toEqual(new Float32Array([1, 1]));
    expect(() => nn.softmaxUnitsInto(new Float32Array(6), 3, 2, new Float32Array(5))).toThrow('softmaxUnitsInto: needs x and out of 3 × 2 = 6 values, got 6 and 5');
    expect(() => nn.softmaxUnitsInto(new Float32Array(6), 0, 2, new Float32Array(6))).toThrow(/classes and points must be positive integers, got 0 and 2/);
  });
});
