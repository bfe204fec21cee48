/**
 * Evaluation in unit-major layout, for heat maps: a layer's values as one row per unit
 * ([units, points]) instead of one row per point. Each unit's map is then a contiguous stretch
 * of one buffer that the caller hands out as a view (`subarray`), where row-major [points,
 * units] needs every unit gathered out with strided reads into an array of its own. Like
 * `denseInto` it allocates no tensors and records no graph.
 *
 *     // x: the inputs as rows of `points` values, then a row of ones (see below)
 *     nn.denseUnitsInto(dense, x, points, out, maxAbs);    // out [units, points]
 *     nn.softmaxUnitsInto(logits, classes, points, probs); // softmax down each column
 *
 * Why x ends with a row of ones: unit u's row is Σᵢ W[i, u]·x[i] + b[u]·1, so with the bias as
 * one more row of weights it enters the product as its last term. That is the float addition
 * the matmul kernel's epilogue does for `dense.forward` (the sum, then + b), and ReLU (and
 * float32's tanh and sigmoid) stays in the kernel's epilogue, so the layer costs one product and
 * no pass of its own. (The epilogue
 * adds a bias per column, and here the units are rows: without the ones, adding the bias would
 * be another pass over every value.) Where gemm runs its wasm kernel (float32, at least 128
 * multiply-adds) that gives the bits of forward; on its other paths (float64, tiny products)
 * the bias joins the sum in double, which can move the last bit.
 */
import type { FloatArray } from '../tensor/dtype.js';
import { gemm } from '../kernels/index.js';
import { activateInPlace, activationRule, epilogueActivation } from '../ops/linear.js';
import type { Dense } from './layers/dense.js';
import { checkLayerAndArrays } from './inference.js';
import * as math from '../math/index.js';

/**
 * out = activation(Wᵀ·x + b) in unit-major layout: x [inFeatures + 1, points] (one row per
 * input feature, then a row of ones) and out [outFeatures, points] (one row per unit), both of
 * the layer's dtype; the numbers `noGrad(() => dense.forward(·))` gives, transposed, up to
 * float rounding (the bits on gemm's wasm path, see the file comment). `maxAbs`, when given
 * (one value per unit), receives each unit's largest |value| (NaN ignored, 0 if none): a heat
 * map's colour scale. x and out must not overlap; views into one buffer are fine.
 */
export function denseUnitsInto(dense: Dense, x: FloatArray, points: number, out: FloatArray, maxAbs?: FloatArray): FloatArray {
  const k = dense.inFeatures;
  const m = dense.outFeatures;
  const weight = dense.weight.data;
  const where = `denseUnitsInto(${dense.describe()})`;
  const bias = checkLayerAndArrays(where, dense, points, 'points', x, out);
  if (x.length !== (k + 1) * points || out.length !== m * points) {
    throw new Error(`${where}: needs x of (${k} inputs + 1 row of ones) × ${points} points = ${(k + 1) * points} values and out of ${m} × ${points} = ${m * points}, got x ${x.length} and out ${out.length}`);
  }
  // NOTE: the ends of the row only, so the check costs nothing next to the product; it catches
  // the likely slip, a row left as allocated (zeros).
  if (x[k * points] !== 1 || x[(k + 1) * points - 1] !== 1) {
    throw new Error(`${where}: x's last row (row ${k}) must be all ones (the bias's input), got ${x[k * points]} … ${x[(k + 1) * points - 1]}`);
  }
  if (maxAbs !== undefined && maxAbs.length !== m) throw new Error(`${where}: maxAbs needs ${m} values, one per unit, got ${maxAbs.length}`);
  if (x.buffer === out.buffer && x.byteOffset < out.byteOffset + out.byteLength && out.byteOffset < x.byteOffset + x.byteLength) {
    throw new Error(`${where}: x and out overlap in one buffer (bytes ${x.byteOffset}–${x.byteOffset + x.byteLength} and ${out.byteOffset}–${out.byteOffset + out.byteLength}); gemm needs them apart`);
  }
  // [W; b]: [k + 1, m], the bias as the weights of the ones row. gemm reads it transposed.
  const weightAndBias = new (weight.constructor as Float32ArrayConstructor | Float64ArrayConstructor)((k + 1) * m);
  weightAndBias.set(weight);
  weightAndBias.set(bias, k * m);
  const activation = dense.activation;
  const relu = activation === 'relu';
  // float32's tanh and sigmoid: in gemm's epilogue too, the bits of the op's own float32 map.
  const fused = epilogueActivation(activationRule(where, activation), dense.weight.dtype);
  if (relu || activation === 'linear' || fused !== undefined) {
    // Nothing left to apply: gemm finds each row's largest |value| while it still holds them.
    const options = fused === undefined ? { transA: true, relu } : { transA: true, activation: fused };
    gemm(out, weightAndBias, x, m, k + 1, points, maxAbs === undefined ? options : { ...options, rowMaxAbs: maxAbs });
    return out;
  }
  gemm(out, weightAndBias, x, m, k + 1, points, { transA: true });
  for (let u = 0, start = 0; u < m; u++, start += points) {
    const largest = finishRow(out, start, start + points, activation, maxAbs !== undefined);
    if (maxAbs !== undefined) maxAbs[u] = largest;
  }
  return out;
}

/**
 * Applies the activation (what gemm's epilogue does not: anything but ReLU, and float32's tanh
 * and sigmoid) to values[start, end)
 * in place, by the activation op's own loop, and returns their largest |value| if `wantMax` (else 0).
 */
function finishRow(values: FloatArray, start: number, end: number, activation: string, wantMax: boolean): number {
  activateInPlace(values.subarray(start, end), activation);
  return wantMax ? largestAbsOf(values, start, end) : 0;
}

// NOTE: four running maxima, not one: a single one makes each step wait on the last compare
// (four measured ~1.5× faster over the playground's 480,000 hidden values). max is associative
// and NaN never compares larger, so the result is the one-pass result.

/** The largest |value| of values[start, end), 0 if none (NaN ignored). */
function largestAbsOf(values: FloatArray, start: number, end: number): number {
  let a = 0, b = 0, c = 0, d = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    const v0 = Math.abs(values[i]), v1 = Math.abs(values[i + 1]), v2 = Math.abs(values[i + 2]), v3 = Math.abs(values[i + 3]);
    a = v0 > a ? v0 : a;
    b = v1 > b ? v1 : b;
    c = v2 > c ? v2 : c;
    d = v3 > d ? v3 : d;
  }
  for (; i < end; i++) {
    const v = Math.abs(values[i]);
    a = v > a ? v : a;
  }
  return Math.max(a, b, c, d);
}

/** e^(xᵢ − max) of one column, reused across calls (classes values; grown on demand). */
let exps = new Float64Array(8);

/**
 * out = softmax over the classes of each point, for x [classes, points] in unit-major layout
 * (one row of logits per class): the softmax op's numbers up to float rounding. out may be x.
 *
 * NOTE: one exp per value, and none for each column's largest (e⁰ = 1): pᵢ = e^(xᵢ − max) / Σ.
 * The softmax op takes e^(xᵢ − max − ln Σ) instead, a second exp per value, which at ~20 ns
 * each (Node 20) was most of the time of the playground's 30,000-value output maps; the two
 * differ by rounding only. A column whose largest value is not finite (NaN, ±∞) takes the
 * op's formula, so NaN and infinities come out as the op gives them.
 */
export function softmaxUnitsInto(x: FloatArray, classes: number, points: number, out: FloatArray): FloatArray {
  if (!Number.isInteger(classes) || classes < 1 || !Number.isInteger(points) || points < 1) {
    throw new Error(`softmaxUnitsInto: classes and points must be positive integers, got ${classes} and ${points}`);
  }
  if (x.length !== classes * points || out.length !== classes * points) {
    throw new Error(`softmaxUnitsInto: needs x and out of ${classes} × ${points} = ${classes * points} values, got ${x.length} and ${out.length}`);
  }
  if (classes === 3) return softmax3(x, points, out);
  if (exps.length < classes) exps = new Float64Array(classes);
  const e = exps;
  for (let p = 0; p < points; p++) {
    let max = x[p];
    let best = 0;
    for (let c = 1, at = points + p; c < classes; c++, at += points) {
      if (x[at] > max) {
        max = x[at];
        best = c;
      }
    }
    // A NaN other than x[0] is passed over here, but its e^(NaN − max) makes every p NaN below,
    // as in the op.
    if (!Number.isFinite(max)) {
      softmaxColumnAsTheOp(x, classes, points, p, out);
      continue;
    }
    let total = 0;
    for (let c = 0, at = p; c < classes; c++, at += points) {
      const v = c === best ? 1 : math.exp(x[at] - max);
      e[c] = v;
      total += v;
    }
    for (let c = 0, at = p; c < classes; c++, at += points) out[at] = e[c] / total;
  }
  return out;
}

/**
 * softmaxUnitsInto for three classes (the spiral's, and the playground's largest network's),
 * the same arithmetic with the loops over classes written out: the general loops cost as much
 * again as the exps here (measured 0.65 against 0.37 ms for 10,000 points).
 */
function softmax3(x: FloatArray, points: number, out: FloatArray): FloatArray {
  for (let p = 0; p < points; p++) {
    const a = x[p], b = x[points + p], c = x[2 * points + p];
    // A NaN in b or c is passed over here, but its exp makes the total NaN, as in the op.
    const max = b > a ? (c > b ? c : b) : c > a ? c : a;
    if (!Number.isFinite(max)) {
      softmaxColumnAsTheOp(x, 3, points, p, out);
      continue;
    }
    // e⁰ = 1 exactly, so skipping the exp for every class equal to the largest (not only the
    // first) changes nothing.
    const ea = a === max ? 1 : math.exp(a - max);
    const eb = b === max ? 1 : math.exp(b - max);
    const ec = c === max ? 1 : math.exp(c - max);
    const total = ea + eb + ec;
    out[p] = ea / total;
    out[points + p] = eb / total;
    out[2 * points + p] = ec / total;
  }
  return out;
}

/** Column p by the softmax op's arithmetic (src/ops/activations.ts), for non-finite maxima. */
function softmaxColumnAsTheOp(x: FloatArray, classes: number, points: number, p: number, out: FloatArray): void {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, x[c * points + p]);
  if (max === -Infinity) max = 0;
  let total = 0;
  for (let c = 0; c < classes; c++) total += math.exp(x[c * points + p] - max);
  const logTotal = math.log(total);
  for (let c = 0; c < classes; c++) out[c * points + p] = math.exp(x[c * points + p] - max - logTotal);
}
