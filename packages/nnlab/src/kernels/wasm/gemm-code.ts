/**
 * The float32 GEMM in WebAssembly SIMD (v128 / f32x4): code generation for its compute and
 * packing functions (runs in Node and browsers; the bytes are the same in both). The runtime
 * that instantiates and calls them is runtime.ts; the module they go into is module.ts.
 *
 * Approach (the GotoBLAS/BLIS scheme, shrunk to one compute and three packing functions):
 *  - JS memcpy's A and B (TypedArray.set) into the module's memory as they are.
 *  - Wasm packing functions (~10× faster than the same loops in JS) rewrite them into the
 *    layouts the compute loop reads: op(A) as tiles of MR rows stored k-major ([p][r]) and op(B)
 *    as panels of NR columns stored k-major ([p][c]). `packCols` copies whole vectors (A stored
 *    [k×m] for transA, B stored [k×n]); `packRows` transposes 4×4 blocks with shuffles (A stored
 *    [m×k], B stored [n×k] for transB). Reading B in place with a row stride of n floats
 *    measured 20–45% slower for power-of-two n, where a panel's rows collide in a few L1 sets.
 *    A stored [m×k], though, is mostly read in place (lda, below): per k step the compute
 *    broadcasts one value from each of a tile's MR rows, which need not be contiguous; packing
 *    it pays only for a short k and many column panels (see runtime.ts).
 *  - `gemm` walks k in blocks of KC so a B panel's block stays in L1 while the A tiles stream
 *    from L2, and for each MR×NR tile keeps MR·NR/4 f32x4 accumulators in locals, which
 *    TurboFan keeps in xmm registers. Per k step: NR/4 vector loads of B, MR broadcasts of A
 *    (v128.load32_splat) and MR·NR/4 f32x4.mul + f32x4.add, or, where the engine has relaxed
 *    SIMD (Node 20: --experimental-wasm-relaxed-simd), f32x4.relaxed_madd: an FMA, ~2× the
 *    throughput here (mul+add issue as two ops), rounding once instead of twice.
 *  - The epilogue (bias, ReLU) runs on the accumulators after the last k block, bit-identical
 *    to the JS loops in ../epilogue.ts; its backward, `gradRows`, is in elementwise-code.ts.
 *    tanh and sigmoid run per tile just after it is stored, in functions the module imports
 *    (tile-map-code.ts: their code would take this module past 4 KB).
 *  - Edges are not zero-padded: tiles hanging over the last row/column read whatever follows
 *    the staged matrix (slack is reserved for it). Those values only reach C rows/columns that
 *    are never copied out, because C[i,j] depends on row i of op(A) and column j of op(B) alone.
 *  - C is written row-major with the caller's row length when n is a multiple of NR (one
 *    memcpy out, and `accumulate` is a memcpy in plus loading C in the first k block);
 *    otherwise rows are padded and JS copies (or adds) the m×n corner out.
 *
 * The module is 3,984 bytes (shared memory, mul+add; 3,933 with FMA): under the 4 KB limit
 * older Chromium puts on synchronous `new WebAssembly.Module` on the main thread, so it is built
 * lazily and synchronously from inside `gemm`. It imports its memory (env.memory), which grows
 * on demand and is kept between calls; with threads it is a shared memory, so workers
 * (../threads/pool.ts) can instantiate the same module over it and compute tiles of one product.
 */
import { Func, Op, SimdOp } from './encoder.js';
import { TILE_MAPS } from './tile-map-code.js';

/** Register tile shape and k blocking of the generated kernel. */
export interface WasmGemmConfig {
  /** Rows per register tile; a multiple of 4 (packRows transposes 4×4 blocks). */
  readonly mr: number;
  /** f32x4 vectors per tile row, so NR = 4·nv columns. */
  readonly nv: number;
  /** k block length. */
  readonly kc: number;
  /**
   * Multiply-add with relaxed SIMD's `f32x4.relaxed_madd` (one fused, singly rounded FMA where
   * the hardware has it) instead of `f32x4.mul` + `f32x4.add`. Off by default: Node 20 has
   * relaxed SIMD only behind `--experimental-wasm-relaxed-simd`, and FMA rounds differently
   * (once per multiply-add instead of twice), so results differ from the mul+add kernel in the
   * last bits. See `createWasmGemmF32`, which turns it on only where the engine validates it.
   */
  readonly fma?: boolean;
}

/**
 * 4×8 measured best on Node 20 / x64 (AMD EPYC, AVX2): 8 accumulators + 2 B vectors + 1
 * broadcast fit the 15 xmm registers V8 allocates. 4×12, 4×16 and 8×8 spill, and 8×4 needs a
 * broadcast per vector multiply; all ran at 15–20 GFLOP/s against ~25–30. Unrolling k by 2 was
 * slower too. KC from 128 to 512 made
 * no measurable difference at MLP sizes; 256 keeps a 4×8 panel block at 8 KB of L1.
 * Taller tiles (Node 20, Intel Xeon; the MLP step's 8 products, A/B interleaved in one process):
 * TurboFan puts all of a k step's loads before its arithmetic, so every row's broadcast holds a
 * register at once. 6×8 (mul+add) then keeps 2 broadcasts and 4 accumulators on the stack; its
 * compute took 1.26–1.46× the time of 4×8's (mul+add or FMA), 5×8's 1.13–1.55×. Broadcasting by
 * shuffles from two vector loads of the packed A instead, 5×8 with FMA fits in 14 registers, but
 * the products through `run` were only 3–6 % faster (paired; m is never a multiple of 5 there,
 * so C is copied out, and the fused SGD step would be lost), and its compute with mul+add took
 * 1.18–1.25× the time.
 */
export const DEFAULT_WASM_GEMM_CONFIG: WasmGemmConfig = { mr: 4, nv: 2, kc: 256, fma: false };

/** What the epilogue applies after the bias: compute's `activation` argument. */
export const ACTIVATION = { none: 0, relu: 1, tanh: 2, sigmoid: 3 } as const;
export type ActivationCode = (typeof ACTIVATION)[keyof typeof ACTIVATION];

/**
 * gemm(aPtr, bPtr, cPtr, ldc, mTiles, nTiles, k, kp, loadC, biasPtr, activation, ldb, thetaOffset,
 * rowsFirst, lda): every MR×NR tile of C from packed A tiles (stride kp·MR floats) and B panels
 * (stride kp·NR floats), or, when ldb ≠ 0, from B read where it is, row-major with rows ldb bytes apart (for one or two
 * row tiles, packing B would cost more than it saves; the multiply-adds are the same, in the
 * same order), stored row-major at cPtr with a row stride of ldc bytes, adding to what C holds
 * when loadC ≠ 0. When lda ≠ 0, A is read where it is too, row-major with rows lda bytes apart
 * (each k step broadcasts one value per row, contiguous or not), in a k loop of its own: it adds
 * the rows' offsets to its pointer, which the packed loop does with constant offsets instead.
 * After the last k block, the epilogue adds the row vector at biasPtr (when biasPtr ≠ 0) and
 * then applies the activation (an ACTIVATION code). ReLU is v128.andnot(x, f32x4.le(x, 0)), in
 * registers: the lanes where x ≤ 0 become all-zero bits (+0, also for −0), the others keep x's bits, so NaN stays
 * NaN as in PyTorch. The same float32 operations, in the same order, as `out[i] += bias[j]` and
 * `x <= 0 ? 0 : x` in JS (../epilogue.ts). NOTE: not f32x4.pmax(0, x) (= 0 < x ? x : 0), which
 * turns NaN into 0, nor f32x4.max(x, 0), which may change a NaN's payload bits.
 * tanh and sigmoid follow once the tile is stored: a call of the module's imported tile map
 * (tile-map-code.ts), the code of float32's map kernels, so each value gets mapFloat32's bits.
 * NOTE: never with thetaOffset ≠ 0, whose step reads the accumulators (no caller asks for both).
 * When thetaOffset ≠ 0, after the last k block each stored tile of C is also SGD's gradient step
 * on θ, which is laid out as C thetaOffset bytes after it: θ −= lr·C in double, lr the double at
 * byte 0 (see `descend`; the same operations as elementwise-code.ts's sgd), so a captured step's
 * weight update costs no pass of its own over θ and the gradient.
 * Requires mTiles, nTiles, k ≥ 1. Tiles are independent: a range of row tiles or column panels
 * can be computed by another call (another thread) with shifted pointers; see `sliceTask`.
 */
export function buildCompute({ mr, nv, kc, fma = false }: WasmGemmConfig): Func {
  const nr = nv * 4;
  const f = new Func('gemm', 15, 20 + mr - 2);
  const [aPtr, bPtr, cPtr, ldc, mTiles, nTiles, kLen, kp, loadC, biasPtr, activation, ldb, thetaOffset, rowsFirst, lda] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const kb = f.i32Local(), kRun = f.i32Local(), jt = f.i32Local(), it = f.i32Local();
  const epilogue = f.i32Local(), pBias = f.i32Local(), update = f.i32Local(), pTheta = f.i32Local();
  const tile = f.i32Local(), tiles = f.i32Local();
  const pa = f.i32Local(), pb = f.i32Local(), pEnd = f.i32Local(), pc = f.i32Local();
  const aTile = f.i32Local(), bPanel = f.i32Local(), cTileRows = f.i32Local(), pcTile = f.i32Local(), bStep = f.i32Local();
  const aStep = f.i32Local();
  // A in place: row r of a tile is rowOffset[r] bytes after row 0.
  const rowOffset = [-1, lda];
  for (let r = 2; r < mr; r++) rowOffset.push(f.i32Local());
  const acc: number[] = [];
  for (let i = 0; i < mr * nv; i++) acc.push(f.v128Local());
  const bv: number[] = [];
  for (let v = 0; v < nv; v++) bv.push(f.v128Local());
  const av = f.v128Local();
  const lr = f.v128Local(), theta = f.v128Local(), lo = f.v128Local(), hi = f.v128Local();

  // Packed A: tiles of kp steps of MR floats; A in place (lda ≠ 0): MR rows lda bytes apart.
  f.get(lda).i32(mr).op(Op.I32Mul).get(kp).i32(mr * 4).op(Op.I32Mul).get(lda).op(Op.Select).set(aTile);
  f.i32(4).i32(mr * 4).get(lda).op(Op.Select).set(aStep);
  for (let r = 2; r < mr; r++) f.get(lda).i32(r).op(Op.I32Mul).set(rowOffset[r]);
  // Packed B: panels of kp rows of NR floats; B in place (ldb ≠ 0): rows ldb bytes apart.
  f.get(kp).i32(nr * 4).op(Op.I32Mul).i32(nr * 4).get(ldb).op(Op.I32Eqz).op(Op.Select).set(bPanel);
  f.i32(nr * 4).get(ldb).get(ldb).op(Op.I32Eqz).op(Op.Select).set(bStep);
  f.get(ldc).i32(mr).op(Op.I32Mul).set(cTileRows);
  f.i32(0).set(kb);
  f.block(Op.Loop); // k blocks
  {
    // kRun = min(KC, k - kb)
    f.i32(kc).get(kLen).get(kb).op(Op.I32Sub).tee(kRun)
      .i32(kc).get(kRun).op(Op.I32LtU).op(Op.Select).set(kRun);
    // epilogue = last k block && (biasPtr ≠ 0 || activation ≠ 0)
    f.get(kb).get(kRun).op(Op.I32Add).get(kLen).op(Op.I32Eq)
      .get(biasPtr).get(activation).op(Op.I32Or).i32(0).op(Op.I32Ne).op(Op.I32And).set(epilogue);
    // update = last k block && thetaOffset ≠ 0
    f.get(kb).get(kRun).op(Op.I32Add).get(kLen).op(Op.I32Eq)
      .get(thetaOffset).i32(0).op(Op.I32Ne).op(Op.I32And).set(update);
    // Tiles column panel by column panel (a panel's k block stays in L1 across all row tiles),
    // or, when rowsFirst ≠ 0, row tile by row tile (for a short k, where C's traffic dominates:
    // a panel at a time writes each cache line of C half, twice, far apart).
    f.i32(0).set(jt);
    f.i32(0).set(it);
    f.i32(0).set(tile);
    f.get(mTiles).get(nTiles).op(Op.I32Mul).set(tiles);
    f.block(Op.Loop);
    {
      {
        f.get(aPtr).get(it).get(aTile).op(Op.I32Mul).op(Op.I32Add)
          .get(kb).get(aStep).op(Op.I32Mul).op(Op.I32Add).tee(pa)
          .get(kRun).get(aStep).op(Op.I32Mul).op(Op.I32Add).set(pEnd);
        f.get(bPtr).get(jt).get(bPanel).op(Op.I32Mul).op(Op.I32Add)
          .get(kb).get(bStep).op(Op.I32Mul).op(Op.I32Add).set(pb);
        f.get(cPtr).get(it).get(cTileRows).op(Op.I32Mul).op(Op.I32Add)
          .get(jt).i32(nr * 4).op(Op.I32Mul).op(Op.I32Add).tee(pcTile).set(pc);

        // Start from zero unless C already holds a partial sum (a later k block, or accumulate).
        f.get(kb).get(loadC).op(Op.I32Or).op(Op.I32Eqz).block(Op.If);
        for (const a of acc) f.v128Zero().set(a);
        f.op(Op.Else);
        for (let r = 0; r < mr; r++) {
          for (let v = 0; v < nv; v++) f.get(pc).mem(SimdOp.V128Load, v * 16).set(acc[r * nv + v]);
          if (r + 1 < mr) f.addLocal(pc, ldc);
        }
        f.get(pcTile).set(pc);
        f.op(Op.End);

        // k steps, the hot loop: each row's value of A broadcast, times NV vectors of B.
        const kSteps = (aStepBytes: number, rowAddress: (r: number) => void): void => {
          f.block(Op.Loop);
          for (let v = 0; v < nv; v++) f.get(pb).mem(SimdOp.V128Load, v * 16).set(bv[v]);
          for (let r = 0; r < mr; r++) {
            rowAddress(r);
            f.set(av);
            for (let v = 0; v < nv; v++) {
              const a = acc[r * nv + v];
              if (fma) f.get(av).get(bv[v]).get(a).simd(SimdOp.F32x4RelaxedMadd).set(a);
              else f.get(a).get(av).get(bv[v]).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Add).set(a);
            }
          }
          f.addLocal(pb, bStep);
          f.get(pa).i32(aStepBytes).op(Op.I32Add).tee(pa).get(pEnd).op(Op.I32Ne).brIf(0);
          f.op(Op.End);
        };
        f.get(lda).op(Op.I32Eqz).block(Op.If);
        kSteps(mr * 4, (r) => f.get(pa).mem(SimdOp.V128Load32Splat, r * 4));
        f.op(Op.Else);
        kSteps(4, (r) => {
          f.get(pa);
          if (r > 0) f.get(rowOffset[r]).op(Op.I32Add);
          f.mem(SimdOp.V128Load32Splat, 0);
        });
        f.op(Op.End);

        f.get(epilogue).block(Op.If);
        {
          f.get(biasPtr).block(Op.If);
          f.get(biasPtr).get(jt).i32(nr * 4).op(Op.I32Mul).op(Op.I32Add).set(pBias);
          for (let v = 0; v < nv; v++) f.get(pBias).mem(SimdOp.V128Load, v * 16).set(bv[v]);
          for (let r = 0; r < mr; r++) {
            for (let v = 0; v < nv; v++) {
              const a = acc[r * nv + v];
              f.get(a).get(bv[v]).simd(SimdOp.F32x4Add).set(a);
            }
          }
          f.op(Op.End);
          f.get(activation).i32(ACTIVATION.relu).op(Op.I32Eq).block(Op.If);
          f.v128Zero().set(av);
          for (const a of acc) f.get(a).get(a).get(av).simd(SimdOp.F32x4Le).simd(SimdOp.V128AndNot).set(a);
          f.op(Op.End);
        }
        f.op(Op.End);

        for (let r = 0; r < mr; r++) {
          for (let v = 0; v < nv; v++) f.get(pc).get(acc[r * nv + v]).mem(SimdOp.V128Store, v * 16);
          if (r + 1 < mr) f.addLocal(pc, ldc);
        }

        // tanh, sigmoid: the imported tile maps (tile-map-code.ts) on the tile just stored, in L1.
        f.get(epilogue).get(activation).i32(ACTIVATION.tanh).op(Op.I32GeU).op(Op.I32And).block(Op.If);
        f.get(activation).i32(ACTIVATION.tanh).op(Op.I32Eq).block(Op.If);
        f.get(pcTile).get(ldc).call(TILE_MAPS.indexOf('tanh'));
        f.op(Op.Else);
        f.get(pcTile).get(ldc).call(TILE_MAPS.indexOf('sigmoid'));
        f.op(Op.End);
        f.op(Op.End);
        // SGD's step on θ (laid out as C, thetaOffset bytes after it) while C's tile is here.
        f.get(update).block(Op.If);
        {
          f.i32(0).mem(SimdOp.V128Load64Splat, 0).set(lr);
          f.get(pcTile).get(thetaOffset).op(Op.I32Add).set(pTheta);
          for (let r = 0; r < mr; r++) {
            for (let v = 0; v < nv; v++) {
              f.get(pTheta).mem(SimdOp.V128Load, v * 16).set(theta);
              descend(f, theta, acc[r * nv + v], lr, lo, hi);
              f.get(pTheta);
              demoteBoth(f, lo, hi).mem(SimdOp.V128Store, v * 16);
            }
            if (r + 1 < mr) f.addLocal(pTheta, ldc);
          }
        }
        f.op(Op.End);
        f.get(rowsFirst).block(Op.If);
        f.get(jt).i32(1).op(Op.I32Add).tee(jt).get(nTiles).op(Op.I32Eq).block(Op.If);
        f.i32(0).set(jt).addConst(it, 1);
        f.op(Op.End);
        f.op(Op.Else);
        f.get(it).i32(1).op(Op.I32Add).tee(it).get(mTiles).op(Op.I32Eq).block(Op.If);
        f.i32(0).set(it).addConst(jt, 1);
        f.op(Op.End);
        f.op(Op.End);
      }
      f.loopUntil(tile, tiles);
    }
    f.get(kb).i32(kc).op(Op.I32Add).tee(kb).get(kLen).op(Op.I32LtU).brIf(0);
    f.op(Op.End);
  }
  return f;
}

/** Leaves the f64x2 of lanes 0–1 (low) or 2–3 (high) of the f32x4 in `v` on the stack. */
export function promote(f: Func, v: number, high: boolean): Func {
  if (!high) return f.get(v).simd(SimdOp.F64x2PromoteLowF32x4);
  return f.get(v).get(v).shuffle32(2, 3, 0, 1).simd(SimdOp.F64x2PromoteLowF32x4);
}

/** Leaves the f32x4 [demote(lo), demote(hi)] on the stack. */
export function demoteBoth(f: Func, lo: number, hi: number): Func {
  return f.get(lo).simd(SimdOp.F32x4DemoteF64x2Zero).get(hi).simd(SimdOp.F32x4DemoteF64x2Zero).shuffle32(0, 1, 4, 5);
}

/**
 * lo/hi = θ − lr·g on the four lanes of the f32x4s θ and g, in double: optim/sgd.ts's
 * `theta[i] -= lr * g[i]` (doubles, rounded to float32 once, by demoteBoth, when stored).
 */
export function descend(f: Func, theta: number, g: number, lr: number, lo: number, hi: number): void {
  for (const [half, high] of [[lo, false], [hi, true]] as const) {
    promote(f, theta, high).get(lr);
    promote(f, g, high).simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Sub).set(half);
  }
}

/**
 * packCols<W>(src, stride, dst, k, panels, kp): the columns of a row-major matrix (row stride
 * `stride` bytes) into panels of W columns, [panel][p][c], panel stride kp·W floats. Plain
 * vector copies; the last panel reads past the last column.
 */
export function buildPackCols(exportName: string, w: number): Func {
  const f = new Func(exportName, 6, 5);
  const [src, stride, dst, kLen, panels, kp] = [0, 1, 2, 3, 4, 5];
  const t = f.i32Local(), p = f.i32Local(), s = f.i32Local(), d = f.i32Local(), skip = f.i32Local();
  // After k rows, d jumps over the kp-k rows that the compute loop never reads.
  f.get(kp).get(kLen).op(Op.I32Sub).i32(w * 4).op(Op.I32Mul).set(skip);
  f.get(dst).set(d);
  f.i32(0).set(t);
  f.block(Op.Loop);
  {
    f.get(src).get(t).i32(w * 4).op(Op.I32Mul).op(Op.I32Add).set(s);
    f.i32(0).set(p);
    f.block(Op.Loop);
    for (let v = 0; v < w / 4; v++) f.get(d).get(s).mem(SimdOp.V128Load, v * 16).mem(SimdOp.V128Store, v * 16);
    f.addLocal(s, stride);
    f.addConst(d, w * 4);
    f.loopUntil(p, kLen);
    f.addLocal(d, skip);
  }
  f.loopUntil(t, panels);
  return f;
}

/**
 * packRows(src, stride, dst, tiles, kp, groups): the rows of a row-major matrix (row stride
 * `stride` bytes) into tiles of W = 4·groups rows, [tile][p][r], tile stride kp·W floats, by
 * 4×4 transposes. Reads up to kp columns and whole tiles of rows, i.e. past the matrix; the
 * extra values land in packed rows/columns the compute loop ignores.
 */
export function buildPackRows(): Func {
  const f = new Func('packRows', 6, 9);
  const [src, stride, dst, tiles, kp, groups] = [0, 1, 2, 3, 4, 5];
  const t = f.i32Local(), g = f.i32Local(), p = f.i32Local(), s = f.i32Local(), d = f.i32Local();
  const rowBytes = f.i32Local(), stride2 = f.i32Local(), stride3 = f.i32Local(), tileBase = f.i32Local();
  const r: number[] = [f.v128Local(), f.v128Local(), f.v128Local(), f.v128Local()];
  const lo = f.v128Local(), hi = f.v128Local();

  f.get(groups).i32(16).op(Op.I32Mul).set(rowBytes);
  f.get(stride).get(stride).op(Op.I32Add).tee(stride2).get(stride).op(Op.I32Add).set(stride3);
  f.get(dst).set(tileBase);
  f.get(src).set(s);
  f.i32(0).set(t);
  f.block(Op.Loop); // tiles
  {
    f.i32(0).set(g);
    f.block(Op.Loop); // groups of 4 rows within a tile
    {
      f.get(tileBase).get(g).i32(16).op(Op.I32Mul).op(Op.I32Add).set(d);
      f.i32(0).set(p);
      f.block(Op.Loop); // 4 columns at a time
      {
        f.get(s).mem(SimdOp.V128Load, 0).set(r[0]);
        f.get(s).get(stride).op(Op.I32Add).mem(SimdOp.V128Load, 0).set(r[1]);
        f.get(s).get(stride2).op(Op.I32Add).mem(SimdOp.V128Load, 0).set(r[2]);
        f.get(s).get(stride3).op(Op.I32Add).mem(SimdOp.V128Load, 0).set(r[3]);
        // Column q of the 4×4 block becomes packed row p+q: interleave pairs, then halves.
        for (let half = 0; half < 2; half++) {
          const l = half * 2;
          f.get(r[0]).get(r[1]).shuffle32(l, l + 4, l + 1, l + 5).set(lo);
          f.get(r[2]).get(r[3]).shuffle32(l, l + 4, l + 1, l + 5).set(hi);
          f.get(d).get(lo).get(hi).shuffle32(0, 1, 4, 5).mem(SimdOp.V128Store, 0);
          f.addLocal(d, rowBytes);
          f.get(d).get(lo).get(hi).shuffle32(2, 3, 6, 7).mem(SimdOp.V128Store, 0);
          f.addLocal(d, rowBytes);
        }
        f.addConst(s, 16);
        f.get(p).i32(4).op(Op.I32Add).tee(p).get(kp).op(Op.I32Ne).brIf(0);
        f.op(Op.End);
      }
      // s walked kp columns along the group's first row; move to the next group's first row.
      f.get(s).get(kp).i32(4).op(Op.I32Mul).op(Op.I32Sub).get(stride).i32(4).op(Op.I32Mul).op(Op.I32Add).set(s);
      f.loopUntil(g, groups);
    }
    f.get(tileBase).get(kp).get(rowBytes).op(Op.I32Mul).op(Op.I32Add).set(tileBase);
    f.loopUntil(t, tiles);
  }
  return f;
}
