/**
 * Code generation for the elementwise wasm functions that live in the GEMM's module and memory
 * (runs in Node and browsers): `gradRows` (a dense layer epilogue's backward: the ReLU mask and
 * the bias gradient's row sums), `sgd` (gradient descent, in float64 lanes) and `rowMaxAbs` (each
 * row's largest |value|, for heat-map scales). Each is bit-identical to a JS loop it names. The
 * host side that calls them is runtime.ts; ../elementwise.ts decides when gradRows and sgd run,
 * and rowMaxAbs runs inside a product, while C is still in wasm memory.
 */
import { Func, Op, SimdOp } from './encoder.js';

/**
 * gradRows(gPtr, yPtr, dzPtr, sumsPtr, rows, cols, relu): the backward of a dense layer's
 * epilogue. dz = relu ? (y <= 0 ? +0 : g) : g, by f32x4.le and v128.andnot (all-zero bits are
 * +0, and NaN <= 0 is false, so a NaN output passes g, as PyTorch's threshold_backward does:
 * exactly JS's `y <= 0 ? 0 : g`); then, when sumsPtr ≠ 0, sums[j] += dz[i, j] row after row,
 * the order (and float32 rounding) of the JS loop. Works 4 columns at a time: a row's last
 * vector may overhang into the next row, where it computes the same elementwise values, and
 * into the slack after sums.
 */
export function buildGradRows(): Func {
  const f = new Func('gradRows', 7, 6);
  const [g, y, dz, sums, rows, cols, relu] = [0, 1, 2, 3, 4, 5, 6];
  const r = f.i32Local(), j = f.i32Local(), off = f.i32Local(), colBytes = f.i32Local(), at = f.i32Local(), sj = f.i32Local();
  const d = f.v128Local(), zero = f.v128Local();
  f.v128Zero().set(zero);
  f.get(cols).i32(4).op(Op.I32Mul).set(colBytes);
  f.i32(0).set(off);
  f.i32(0).set(r);
  f.block(Op.Loop); // rows
  {
    f.i32(0).set(j);
    f.block(Op.Loop); // 4 columns at a time
    {
      f.get(off).get(j).op(Op.I32Add).set(at);
      f.get(g).get(at).op(Op.I32Add).mem(SimdOp.V128Load, 0).set(d);
      f.get(relu).block(Op.If);
      f.get(d).get(y).get(at).op(Op.I32Add).mem(SimdOp.V128Load, 0).get(zero).simd(SimdOp.F32x4Le).simd(SimdOp.V128AndNot).set(d);
      f.op(Op.End);
      f.get(dz).get(at).op(Op.I32Add).get(d).mem(SimdOp.V128Store, 0);
      f.get(sums).block(Op.If);
      f.get(sums).get(j).op(Op.I32Add).tee(sj).get(sj).mem(SimdOp.V128Load, 0).get(d).simd(SimdOp.F32x4Add).mem(SimdOp.V128Store, 0);
      f.op(Op.End);
      f.get(j).i32(16).op(Op.I32Add).tee(j).get(colBytes).op(Op.I32LtU).brIf(0);
      f.op(Op.End);
    }
    f.addLocal(off, colBytes);
    f.loopUntil(r, rows);
  }
  return f;
}

/**
 * sgd(thetaPtr, gPtr, accPtr, n, paramsPtr, mode): gradient descent on n float32 values (n a
 * multiple of 4; the caller pads), in float64 lanes, so that every value is exactly the JS
 * loop's in optim/sgd.ts (JS computes `theta[i] -= lr * g[i]` on doubles and rounds once when it
 * stores; wasm never contracts a multiply-add): f32x4 → two f64x2 (promote), the same double
 * operations in the same order, demote, store. paramsPtr holds the doubles [lr, momentum].
 * mode 0: θ −= lr·g; 1 (momentum): acc = m·acc + g, θ −= lr·acc; 2 (Nesterov):
 * acc = m·acc + g, θ −= lr·(g + m·acc), reading acc back as the float32 just stored, as JS does.
 */
export function buildSgd(): Func {
  const f = new Func('sgd', 6, 1);
  const [theta, g, acc, n, params, mode] = [0, 1, 2, 3, 4, 5];
  const at = f.i32Local();
  const lr = f.v128Local(), m = f.v128Local();
  const t = f.v128Local(), gv = f.v128Local(), a = f.v128Local();
  const lo = f.v128Local(), hi = f.v128Local(), gLo = f.v128Local(), gHi = f.v128Local();
  const promoteLow = (v: number): Func => f.get(v).simd(SimdOp.F64x2PromoteLowF32x4);
  const promoteHigh = (v: number): Func => f.get(v).get(v).shuffle32(2, 3, 0, 1).simd(SimdOp.F64x2PromoteLowF32x4);
  /** Leaves f32x4 [demote(lo), demote(hi)] on the stack. */
  const demoteBoth = (): Func =>
    f.get(lo).simd(SimdOp.F32x4DemoteF64x2Zero).get(hi).simd(SimdOp.F32x4DemoteF64x2Zero).shuffle32(0, 1, 4, 5);
  /** lo/hi = (θ as doubles) − lr · (the doubles in lo/hi). */
  const descend = (): void => {
    for (const [half, promote] of [[lo, promoteLow], [hi, promoteHigh]] as const) {
      promote(t).get(lr).get(half).simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Sub).set(half);
    }
  };
  f.get(params).mem(SimdOp.V128Load64Splat, 0).set(lr);
  f.get(params).mem(SimdOp.V128Load64Splat, 8).set(m);
  f.i32(0).set(at);
  f.block(Op.Loop);
  {
    f.get(theta).get(at).op(Op.I32Add).mem(SimdOp.V128Load, 0).set(t);
    f.get(g).get(at).op(Op.I32Add).mem(SimdOp.V128Load, 0).set(gv);
    promoteLow(gv).set(gLo);
    promoteHigh(gv).set(gHi);
    f.get(mode).op(Op.I32Eqz).block(Op.If);
    {
      f.get(gLo).set(lo);
      f.get(gHi).set(hi);
    }
    f.op(Op.Else);
    {
      // acc = m·acc + g, stored as float32, then read back (as JS reads accumulator[i]).
      f.get(acc).get(at).op(Op.I32Add).mem(SimdOp.V128Load, 0).set(a);
      f.get(m);
      promoteLow(a).simd(SimdOp.F64x2Mul).get(gLo).simd(SimdOp.F64x2Add).set(lo);
      f.get(m);
      promoteHigh(a).simd(SimdOp.F64x2Mul).get(gHi).simd(SimdOp.F64x2Add).set(hi);
      demoteBoth().set(a);
      f.get(acc).get(at).op(Op.I32Add).get(a).mem(SimdOp.V128Store, 0);
      promoteLow(a).set(lo);
      promoteHigh(a).set(hi);
      f.get(mode).i32(2).op(Op.I32Eq).block(Op.If); // Nesterov: g + m·acc
      {
        f.get(gLo).get(m).get(lo).simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Add).set(lo);
        f.get(gHi).get(m).get(hi).simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Add).set(hi);
      }
      f.op(Op.End);
    }
    f.op(Op.End);
    descend();
    f.get(theta).get(at).op(Op.I32Add);
    demoteBoth().mem(SimdOp.V128Store, 0);
    f.get(at).i32(16).op(Op.I32Add).tee(at).get(n).i32(4).op(Op.I32Mul).op(Op.I32LtU).brIf(0);
    f.op(Op.End);
  }
  return f;
}

/**
 * rowMaxAbs(cPtr, ldc, rows, vectors, outPtr): for each of `rows` rows of C (row stride ldc
 * bytes), the lane-wise largest |value| of its first `vectors` f32x4 vectors, as pmax(acc,
 * abs(v)) from zeros, stored as 4 floats per row at outPtr; the caller takes the largest lane
 * and the row's last n mod 4 values. pmax(a, b) = a < b ? b : a keeps a when b is NaN, so NaN is
 * ignored, as `v > a ? v : a` in JS does.
 */
export function buildRowMaxAbs(): Func {
  const f = new Func('rowMaxAbs', 5, 4);
  const [c, ldc, rows, vectors, out] = [0, 1, 2, 3, 4];
  const r = f.i32Local(), v = f.i32Local(), at = f.i32Local(), row = f.i32Local();
  const acc = f.v128Local();
  f.get(c).set(row);
  f.i32(0).set(r);
  f.block(Op.Loop); // rows
  {
    f.v128Zero().set(acc);
    f.get(row).set(at);
    f.get(vectors).block(Op.If); // rows shorter than a vector have only a tail
    {
      f.i32(0).set(v);
      f.block(Op.Loop);
      f.get(acc).get(at).mem(SimdOp.V128Load, 0).simd(SimdOp.F32x4Abs).simd(SimdOp.F32x4Pmax).set(acc);
      f.addConst(at, 16);
      f.loopUntil(v, vectors);
    }
    f.op(Op.End);
    f.get(out).get(r).i32(16).op(Op.I32Mul).op(Op.I32Add).get(acc).mem(SimdOp.V128Store, 0);
    f.addLocal(row, ldc);
    f.loopUntil(r, rows);
  }
  return f;
}
