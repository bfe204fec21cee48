/**
 * A product with one column, C [m×1] = op(A)·b (a dense layer with one unit, such as a net's
 * output): code generation for the GEMM module's `column` function (runs in Node and browsers).
 *
 * The 4×8 compute spends 8 accumulators on each tile where one column is kept, writes C eight
 * floats wide, and leaves JS a strided copy. Here the lanes run along rows instead: packed A
 * (MR rows for each k step, as the compute reads it) times b[p] broadcast, so each multiply-add
 * serves four rows and C comes out contiguous. Each C value gets the compute's operations in the
 * compute's order (0, then + a·b for p = 0, 1, …, then + bias, then ReLU; the same operands in the
 * same places, so also NaNs' bits), so the two give the same bits.
 */
import { Func, Op, SimdOp } from './encoder.js';
import type { WasmGemmConfig } from './gemm-code.js';

/**
 * column(aPtr, bPtr, cPtr, mTiles, k, kp, biasPtr, relu): C's MR·mTiles rows at cPtr
 * (contiguous) from packed A tiles at aPtr (stride kp·MR floats) and the k floats of b at bPtr,
 * then + the float at biasPtr (when biasPtr ≠ 0), then ReLU (when relu ≠ 0) as the compute's
 * epilogue does it. Requires mTiles, k ≥ 1. (No loadC: the compute never loads a C one column
 * wide either, as it pads C's rows to a tile; accumulating, the runtime adds C to out in JS.)
 */
export function buildColumn({ mr, fma = false }: WasmGemmConfig): Func {
  const groups = mr / 4;
  const f = new Func('column', 8, 4);
  const [aPtr, bPtr, cPtr, mTiles, kLen, kp, biasPtr, relu] = [0, 1, 2, 3, 4, 5, 6, 7];
  const t = f.i32Local(), pa = f.i32Local(), pb = f.i32Local(), pEnd = f.i32Local();
  const acc = Array.from({ length: groups }, () => f.v128Local());
  const bv = f.v128Local(), av = f.v128Local();
  f.i32(0).set(t);
  f.block(Op.Loop); // row tiles
  {
    f.get(aPtr).get(t).get(kp).op(Op.I32Mul).i32(mr * 4).op(Op.I32Mul).op(Op.I32Add).tee(pa)
      .get(kLen).i32(mr * 4).op(Op.I32Mul).op(Op.I32Add).set(pEnd);
    f.get(bPtr).set(pb);
    for (const a of acc) f.v128Zero().set(a);
    f.block(Op.Loop); // k steps
    {
      f.get(pb).mem(SimdOp.V128Load32Splat, 0).set(bv);
      acc.forEach((a, g) => {
        f.get(pa).mem(SimdOp.V128Load, 16 * g).set(av);
        // As the compute: a + A·B (A's value first), or relaxed_madd(A, B, a).
        if (fma) f.get(av).get(bv).get(a).simd(SimdOp.F32x4RelaxedMadd).set(a);
        else f.get(a).get(av).get(bv).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Add).set(a);
      });
      f.addConst(pb, 4);
      f.get(pa).i32(mr * 4).op(Op.I32Add).tee(pa).get(pEnd).op(Op.I32Ne).brIf(0);
    }
    f.op(Op.End);
    f.get(biasPtr).block(Op.If);
    f.get(biasPtr).mem(SimdOp.V128Load32Splat, 0).set(bv);
    for (const a of acc) f.get(a).get(bv).simd(SimdOp.F32x4Add).set(a);
    f.op(Op.End);
    f.get(relu).block(Op.If);
    f.v128Zero().set(av);
    for (const a of acc) f.get(a).get(a).get(av).simd(SimdOp.F32x4Le).simd(SimdOp.V128AndNot).set(a);
    f.op(Op.End);
    acc.forEach((a, g) => f.get(cPtr).get(a).mem(SimdOp.V128Store, 16 * g));
    f.addConst(cPtr, mr * 4);
  }
  f.loopUntil(t, mTiles);
  return f;
}
