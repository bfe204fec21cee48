/**
 * A float32 GEMM in WebAssembly SIMD (v128 / f32x4), with the module emitted byte by byte here.
 *
 * Approach (the GotoBLAS/BLIS scheme, shrunk to one compute and three packing functions):
 *  - JS memcpy's A and B (TypedArray.set) into the module's memory as they are.
 *  - Wasm packing functions (~10× faster than the same loops in JS) rewrite them into the one
 *    layout the compute loop reads: op(A) as tiles of MR rows stored k-major ([p][r]) and op(B)
 *    as panels of NR columns stored k-major ([p][c]). `packCols` copies whole vectors (A stored
 *    [k×m] for transA, B stored [k×n]); `packRows` transposes 4×4 blocks with shuffles (A stored
 *    [m×k], B stored [n×k] for transB). So all four transA/transB cases cost the same, and the
 *    compute loop only ever reads memory sequentially: reading B in place with a row stride of
 *    n floats measured 20–45% slower for power-of-two n, where a panel's rows collide in a few
 *    L1 sets.
 *  - `gemm` walks k in blocks of KC so a B panel's block stays in L1 while the A tiles stream
 *    from L2, and for each MR×NR tile keeps MR·NR/4 f32x4 accumulators in locals, which
 *    TurboFan keeps in xmm registers. Per k step: NR/4 vector loads of B, MR broadcasts of A
 *    (v128.load32_splat) and MR·NR/4 f32x4.mul + f32x4.add, or, where the engine has relaxed
 *    SIMD (Node 20: --experimental-wasm-relaxed-simd), f32x4.relaxed_madd: an FMA, ~2× the
 *    throughput here (mul+add issue as two ops), rounding once instead of twice.
 *  - The epilogue (bias, ReLU) runs on the accumulators after the last k block, and `gradRows`
 *    is its backward (the ReLU mask and the bias gradient), both bit-identical to the JS loops.
 *  - Edges are not zero-padded: tiles hanging over the last row/column read whatever follows
 *    the staged matrix (slack is reserved for it). Those values only reach C rows/columns that
 *    are never copied out, because C[i,j] depends on row i of op(A) and column j of op(B) alone.
 *  - C is written row-major with the caller's row length when n is a multiple of NR (one
 *    memcpy out, and `accumulate` is a memcpy in plus loading C in the first k block);
 *    otherwise rows are padded and JS copies (or adds) the m×n corner out.
 *
 * The module is about 2 KB: under the 4 KB limit older Chromium puts on synchronous
 * `new WebAssembly.Module` on the main thread, so it is built lazily and synchronously from
 * inside `gemm`. It imports its memory (env.memory), which grows on demand and is kept between
 * calls; in Node it is a shared memory, so worker threads (gemm-threads.ts) can instantiate the
 * same module over it and compute tiles of one product.
 */

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
 */
export const DEFAULT_WASM_GEMM_CONFIG: WasmGemmConfig = { mr: 4, nv: 2, kc: 256, fma: false };

// ---------------------------------------------------------------------------------------------
// A tiny WebAssembly binary encoder: just the sections and instructions this kernel needs.

const I32 = 0x7f;
const V128 = 0x7b;

// Opcodes as plain constants (not enums) so the file stays erasable TypeScript.
const Op = {
  Loop: 0x03,
  If: 0x04,
  Else: 0x05,
  End: 0x0b,
  BrIf: 0x0d,
  Select: 0x1b,
  LocalGet: 0x20,
  LocalSet: 0x21,
  LocalTee: 0x22,
  I32Const: 0x41,
  I32Eqz: 0x45,
  I32Eq: 0x46,
  I32Ne: 0x47,
  I32LtU: 0x49,
  I32Add: 0x6a,
  I32Sub: 0x6b,
  I32Mul: 0x6c,
  I32And: 0x71,
  I32Or: 0x72,
  SimdPrefix: 0xfd,
} as const;

// SIMD opcodes follow the 0xfd prefix as a LEB128 u32.
const SimdOp = {
  V128Load: 0x00,
  V128Load32Splat: 0x09,
  V128Load64Splat: 0x0a,
  V128Store: 0x0b,
  V128Const: 0x0c,
  I8x16Shuffle: 0x0d,
  F32x4Gt: 0x44,
  V128And: 0x4e,
  F32x4Add: 0xe4,
  F32x4Mul: 0xe6,
  F32x4Pmax: 0xeb,
  F32x4Abs: 0xe0,
  F32x4DemoteF64x2Zero: 0x5e,
  F64x2PromoteLowF32x4: 0x5f,
  F64x2Add: 0xf0,
  F64x2Sub: 0xf1,
  F64x2Mul: 0xf2,
  F32x4RelaxedMadd: 0x105,
} as const;

const BLOCK_VOID = 0x40;

function uleb(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function pushAll(out: number[], bytes: readonly number[]): void {
  for (const b of bytes) out.push(b);
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  pushAll(out, body);
}

function name(out: number[], s: string): void {
  uleb(out, s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/** One function: i32 params, then declared i32 and v128 locals, then an instruction stream. */
class Func {
  readonly bytes: number[] = [];
  private i32Locals = 0;
  private v128Locals = 0;
  private readonly v128Base: number;

  constructor(readonly exportName: string, readonly numParams: number, maxI32Locals: number) {
    // v128 locals are indexed after every i32 local, so reserve the i32 range up front.
    this.v128Base = numParams + maxI32Locals;
  }
  i32Local(): number {
    if (this.numParams + this.i32Locals >= this.v128Base) throw new Error(`${this.exportName}: too many i32 locals`);
    return this.numParams + this.i32Locals++;
  }
  v128Local(): number {
    return this.v128Base + this.v128Locals++;
  }
  get(local: number): this {
    this.bytes.push(Op.LocalGet);
    uleb(this.bytes, local);
    return this;
  }
  set(local: number): this {
    this.bytes.push(Op.LocalSet);
    uleb(this.bytes, local);
    return this;
  }
  tee(local: number): this {
    this.bytes.push(Op.LocalTee);
    uleb(this.bytes, local);
    return this;
  }
  i32(value: number): this {
    this.bytes.push(Op.I32Const);
    sleb(this.bytes, value);
    return this;
  }
  op(opcode: number): this {
    this.bytes.push(opcode);
    return this;
  }
  block(kind: number): this {
    this.bytes.push(kind, BLOCK_VOID);
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(Op.BrIf);
    uleb(this.bytes, depth);
    return this;
  }
  simd(opcode: number): this {
    this.bytes.push(Op.SimdPrefix);
    uleb(this.bytes, opcode);
    return this;
  }
  /** Memory access with a constant byte offset folded into the instruction. */
  mem(opcode: number, offset: number): this {
    this.simd(opcode);
    uleb(this.bytes, opcode === SimdOp.V128Load32Splat ? 2 : opcode === SimdOp.V128Load64Splat ? 3 : 4);
    uleb(this.bytes, offset);
    return this;
  }
  v128Zero(): this {
    this.simd(SimdOp.V128Const);
    for (let i = 0; i < 16; i++) this.bytes.push(0);
    return this;
  }
  /** i8x16.shuffle picking four 32-bit lanes out of the two operands (0–3 first, 4–7 second). */
  shuffle32(l0: number, l1: number, l2: number, l3: number): this {
    this.simd(SimdOp.I8x16Shuffle);
    for (const lane of [l0, l1, l2, l3]) for (let b = 0; b < 4; b++) this.bytes.push(lane * 4 + b);
    return this;
  }
  /** local += value (a constant) */
  addConst(local: number, value: number): this {
    return this.get(local).i32(value).op(Op.I32Add).set(local);
  }
  /** local += other local */
  addLocal(local: number, other: number): this {
    return this.get(local).get(other).op(Op.I32Add).set(local);
  }
  /** Closes a do-while loop: ++counter, branch back while counter ≠ limit. */
  loopUntil(counter: number, limit: number): this {
    this.get(counter).i32(1).op(Op.I32Add).tee(counter).get(limit).op(Op.I32Ne).brIf(0);
    return this.op(Op.End);
  }
  encodeBody(): number[] {
    const body: number[] = [];
    uleb(body, 2);
    uleb(body, this.v128Base - this.numParams);
    body.push(I32);
    uleb(body, this.v128Locals);
    body.push(V128);
    pushAll(body, this.bytes);
    body.push(Op.End);
    return body;
  }
}

/**
 * The module imports its memory as env.memory: shared (flags 3, with a maximum) when several
 * threads run the same module over one memory, else plain (flags 0).
 */
function encodeModule(funcs: readonly Func[], shared: boolean): Uint8Array<ArrayBuffer> {
  const mod: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(types, funcs.length);
  for (const f of funcs) {
    types.push(0x60);
    uleb(types, f.numParams);
    for (let i = 0; i < f.numParams; i++) types.push(I32);
    uleb(types, 0);
  }
  section(mod, 1, types);
  const imports: number[] = [1];
  name(imports, 'env');
  name(imports, 'memory');
  imports.push(0x02);
  if (shared) {
    imports.push(0x03);
    uleb(imports, 1);
    uleb(imports, MAX_PAGES);
  } else {
    imports.push(0x00);
    uleb(imports, 1);
  }
  section(mod, 2, imports);
  const fsec: number[] = [];
  uleb(fsec, funcs.length);
  funcs.forEach((_, i) => uleb(fsec, i));
  section(mod, 3, fsec);
  const exports: number[] = [];
  uleb(exports, funcs.length);
  funcs.forEach((f, i) => {
    name(exports, f.exportName);
    exports.push(0x00);
    uleb(exports, i);
  });
  section(mod, 7, exports);
  const code: number[] = [];
  uleb(code, funcs.length);
  for (const f of funcs) {
    const body = f.encodeBody();
    uleb(code, body.length);
    pushAll(code, body);
  }
  section(mod, 10, code);
  return new Uint8Array(mod);
}

// ---------------------------------------------------------------------------------------------
// The compute function and the packing functions.

/**
 * gemm(aPtr, bPtr, cPtr, ldc, mTiles, nTiles, k, kp, loadC, biasPtr, relu): every MR×NR tile of
 * C from packed A tiles (stride kp·MR floats) and B panels (stride kp·NR floats), stored
 * row-major at cPtr with a row stride of ldc bytes, adding to what C holds when loadC ≠ 0.
 * After the last k block, the epilogue adds the row vector at biasPtr (when biasPtr ≠ 0) and
 * then applies ReLU as pmax(0, x) = 0 < x ? x : 0 (when relu ≠ 0), in registers: the same
 * float32 operations, in the same order, as `out[i] += bias[j]` and `x > 0 ? x : 0` in JS.
 * Requires mTiles, nTiles, k ≥ 1. Tiles are independent: a range of row tiles or column panels
 * can be computed by another call (another thread) with shifted pointers; see `sliceTask`.
 */
function buildCompute({ mr, nv, kc, fma = false }: WasmGemmConfig): Func {
  const nr = nv * 4;
  const f = new Func('gemm', 11, 14);
  const [aPtr, bPtr, cPtr, ldc, mTiles, nTiles, kLen, kp, loadC, biasPtr, relu] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const kb = f.i32Local(), kRun = f.i32Local(), jt = f.i32Local(), it = f.i32Local();
  const epilogue = f.i32Local(), pBias = f.i32Local();
  const pa = f.i32Local(), pb = f.i32Local(), pEnd = f.i32Local(), pc = f.i32Local();
  const aTile = f.i32Local(), bPanel = f.i32Local(), cTileRows = f.i32Local(), pcTile = f.i32Local();
  const acc: number[] = [];
  for (let i = 0; i < mr * nv; i++) acc.push(f.v128Local());
  const bv: number[] = [];
  for (let v = 0; v < nv; v++) bv.push(f.v128Local());
  const av = f.v128Local();

  f.get(kp).i32(mr * 4).op(Op.I32Mul).set(aTile);
  f.get(kp).i32(nr * 4).op(Op.I32Mul).set(bPanel);
  f.get(ldc).i32(mr).op(Op.I32Mul).set(cTileRows);
  f.i32(0).set(kb);
  f.block(Op.Loop); // k blocks
  {
    // kRun = min(KC, k - kb)
    f.i32(kc).get(kLen).get(kb).op(Op.I32Sub).tee(kRun)
      .i32(kc).get(kRun).op(Op.I32LtU).op(Op.Select).set(kRun);
    // epilogue = last k block && (biasPtr ≠ 0 || relu ≠ 0)
    f.get(kb).get(kRun).op(Op.I32Add).get(kLen).op(Op.I32Eq)
      .get(biasPtr).get(relu).op(Op.I32Or).i32(0).op(Op.I32Ne).op(Op.I32And).set(epilogue);
    f.i32(0).set(jt);
    f.block(Op.Loop); // column panels: this panel's k block stays in L1 across all row tiles
    {
      f.i32(0).set(it);
      f.block(Op.Loop); // row tiles
      {
        f.get(aPtr).get(it).get(aTile).op(Op.I32Mul).op(Op.I32Add)
          .get(kb).i32(mr * 4).op(Op.I32Mul).op(Op.I32Add).tee(pa)
          .get(kRun).i32(mr * 4).op(Op.I32Mul).op(Op.I32Add).set(pEnd);
        f.get(bPtr).get(jt).get(bPanel).op(Op.I32Mul).op(Op.I32Add)
          .get(kb).i32(nr * 4).op(Op.I32Mul).op(Op.I32Add).set(pb);
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

        f.block(Op.Loop); // k steps: the hot loop
        for (let v = 0; v < nv; v++) f.get(pb).mem(SimdOp.V128Load, v * 16).set(bv[v]);
        for (let r = 0; r < mr; r++) {
          f.get(pa).mem(SimdOp.V128Load32Splat, r * 4).set(av);
          for (let v = 0; v < nv; v++) {
            const a = acc[r * nv + v];
            if (fma) f.get(av).get(bv[v]).get(a).simd(SimdOp.F32x4RelaxedMadd).set(a);
            else f.get(a).get(av).get(bv[v]).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Add).set(a);
          }
        }
        f.addConst(pb, nr * 4);
        f.get(pa).i32(mr * 4).op(Op.I32Add).tee(pa).get(pEnd).op(Op.I32Ne).brIf(0);
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
          f.get(relu).block(Op.If);
          f.v128Zero().set(av);
          for (const a of acc) f.get(av).get(a).simd(SimdOp.F32x4Pmax).set(a);
          f.op(Op.End);
        }
        f.op(Op.End);

        for (let r = 0; r < mr; r++) {
          for (let v = 0; v < nv; v++) f.get(pc).get(acc[r * nv + v]).mem(SimdOp.V128Store, v * 16);
          if (r + 1 < mr) f.addLocal(pc, ldc);
        }
        f.loopUntil(it, mTiles);
      }
      f.loopUntil(jt, nTiles);
    }
    f.get(kb).i32(kc).op(Op.I32Add).tee(kb).get(kLen).op(Op.I32LtU).brIf(0);
    f.op(Op.End);
  }
  return f;
}

/**
 * packCols<W>(src, stride, dst, k, panels, kp): the columns of a row-major matrix (row stride
 * `stride` bytes) into panels of W columns, [panel][p][c], panel stride kp·W floats. Plain
 * vector copies; the last panel reads past the last column.
 */
function buildPackCols(exportName: string, w: number): Func {
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
function buildPackRows(): Func {
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

/**
 * gradRows(gPtr, yPtr, dzPtr, sumsPtr, rows, cols, relu): the backward of a dense layer's
 * epilogue. dz = relu ? (y > 0 ? g : +0) : g, by f32x4.gt and v128.and (all-zero bits are +0,
 * and NaN > 0 is false: exactly JS's `y > 0 ? g : 0`); then, when sumsPtr ≠ 0,
 * sums[j] += dz[i, j] row after row, the order (and float32 rounding) of the JS loop. Works 4
 * columns at a time: a row's last vector may overhang into the next row, where it computes the
 * same elementwise values, and into the slack after sums.
 */
function buildGradRows(): Func {
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
      f.get(d).get(y).get(at).op(Op.I32Add).mem(SimdOp.V128Load, 0).get(zero).simd(SimdOp.F32x4Gt).simd(SimdOp.V128And).set(d);
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
function buildSgd(): Func {
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
function buildRowMaxAbs(): Func {
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

/**
 * The module's bytes: exports gemm, packColsA (W = MR), packColsB (W = NR), packRows, gradRows, sgd and rowMaxAbs, and
 * imports env.memory (shared when `shared`, for threads).
 */
export function buildGemmModule(config: WasmGemmConfig = DEFAULT_WASM_GEMM_CONFIG, shared = false): Uint8Array<ArrayBuffer> {
  if (config.mr % 4 !== 0 || config.mr < 4 || config.nv < 1 || config.kc < 1) {
    throw new Error(`buildGemmModule: unsupported config ${JSON.stringify(config)}`);
  }
  return encodeModule([
    buildCompute(config),
    buildPackCols('packColsA', config.mr),
    buildPackCols('packColsB', config.nv * 4),
    buildPackRows(),
    buildGradRows(),
    buildSgd(),
    buildRowMaxAbs(),
  ], shared);
}

// ---------------------------------------------------------------------------------------------
// Host side: staging operands in wasm memory, packing, copy-out.

/** The compute export; its arguments are the slots of a task (see TASK). */
export type ComputeExport = (
  aPtr: number, bPtr: number, cPtr: number, ldc: number,
  mTiles: number, nTiles: number, k: number, kp: number, loadC: number,
  biasPtr: number, relu: number,
) => void;
type PackColsExport = (src: number, stride: number, dst: number, k: number, panels: number, kp: number) => void;
type PackRowsExport = (src: number, stride: number, dst: number, tiles: number, kp: number, groups: number) => void;
type GradRowsExport = (g: number, y: number, dz: number, sums: number, rows: number, cols: number, relu: number) => void;
type SgdExport = (theta: number, g: number, acc: number, n: number, params: number, mode: number) => void;
type RowMaxAbsExport = (c: number, ldc: number, rows: number, vectors: number, out: number) => void;

/**
 * Slots of a task (an Int32Array of TASK_LENGTH): the compute export's arguments in order, then
 * an operand left to pack per part (`pack`, one of PACK; its source, row stride and packRows
 * groups), so that with threads each part packs the B panels (or A tiles) only it reads.
 */
export const TASK = {
  aPtr: 0, bPtr: 1, cPtr: 2, ldc: 3, mTiles: 4, nTiles: 5, k: 6, kp: 7, loadC: 8, biasPtr: 9, relu: 10,
  pack: 11, packSrc: 12, packStride: 13, packGroups: 14,
} as const;
export const TASK_LENGTH = 15;
/** Which operand a task part packs before computing (TASK.pack). */
export const PACK = { none: 0, colsA: 1, colsB: 2, rowsA: 3, rowsB: 4 } as const;

/**
 * How many parts a task can be split into for `parts` threads: one per thread, unless there
 * are fewer tiles than threads along both axes.
 */
export function partsOf(task: Int32Array, parts: number): number {
  return Math.min(parts, Math.max(task[TASK.mTiles], task[TASK.nTiles]));
}

/**
 * Writes into `out` part `part` of `parts` of `task`: a contiguous range of column panels when
 * there are at least as many panels as row tiles, else of row tiles. Each C tile is computed by
 * exactly one part, with the same instructions as the whole task, so any split gives the
 * bit-identical result of one call. `parts` must not exceed partsOf(task, parts).
 */
export function sliceTask(task: Int32Array, part: number, parts: number, config: WasmGemmConfig, out: Int32Array): void {
  out.set(task);
  const kp = task[TASK.kp];
  const mTiles = task[TASK.mTiles];
  const nTiles = task[TASK.nTiles];
  if (nTiles >= mTiles) {
    const nr = config.nv * 4;
    const j0 = Math.floor((part * nTiles) / parts);
    const j1 = Math.floor(((part + 1) * nTiles) / parts);
    out[TASK.nTiles] = j1 - j0;
    out[TASK.bPtr] += j0 * kp * nr * 4;
    out[TASK.cPtr] += j0 * nr * 4;
    if (task[TASK.biasPtr] !== 0) out[TASK.biasPtr] += j0 * nr * 4;
    if (task[TASK.pack] === PACK.colsB) out[TASK.packSrc] += j0 * nr * 4;
    else if (task[TASK.pack] === PACK.rowsB) out[TASK.packSrc] += j0 * nr * task[TASK.packStride];
    else if (task[TASK.pack] !== PACK.none) throw new Error('sliceTask: a column split can only pack B');
  } else {
    const i0 = Math.floor((part * mTiles) / parts);
    const i1 = Math.floor(((part + 1) * mTiles) / parts);
    out[TASK.mTiles] = i1 - i0;
    out[TASK.aPtr] += i0 * kp * config.mr * 4;
    out[TASK.cPtr] += i0 * config.mr * task[TASK.ldc];
    if (task[TASK.pack] === PACK.colsA) out[TASK.packSrc] += i0 * config.mr * 4;
    else if (task[TASK.pack] === PACK.rowsA) out[TASK.packSrc] += i0 * config.mr * task[TASK.packStride];
    else if (task[TASK.pack] !== PACK.none) throw new Error('sliceTask: a row split can only pack A');
  }
}

/** Whether a split of `task` (see sliceTask) runs along column panels (else row tiles). */
export function splitsColumns(task: Int32Array): boolean {
  return task[TASK.nTiles] >= task[TASK.mTiles];
}

/** Runs a task's tiles, possibly split across threads (see gemm-threads.ts). */
export interface TileRunner {
  /** Called before copying and packing: lets sleeping threads wake up meanwhile. */
  wake(): void;
  /** Whether running `task` here would use more than the calling thread. */
  wouldSplit(task: Int32Array): boolean;
  run(task: Int32Array): void;
}

/** A float32 GEMM backed by one wasm instance; same contract as `gemm` in matmul.ts. */
export interface WasmGemmF32 {
  readonly config: WasmGemmConfig;
  /** The compiled module and its memory, for other threads to instantiate over the same memory. */
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly compute: ComputeExport;
  /** Packs the task's deferred operand (if any) and computes its tiles; the task is at slots[at…]. */
  runTask(slots: Int32Array, at: number): void;
  /**
   * Computes relu?(out·[accumulate] + op(A)·op(B) + bias) (m, k, n ≥ 1; bias of length n or
   * null) and returns true, or returns false without touching `out` when the operands do not
   * fit in wasm memory. With a runner, the tiles may be computed on several threads. With
   * `rowMaxAbs` (m values), also each row's largest |value| of the result (see rowMaxAbsOf).
   */
  run(
    out: Float32Array, a: Float32Array, b: Float32Array,
    m: number, k: number, n: number,
    transA: boolean, transB: boolean, accumulate: boolean,
    aOffset: number, bOffset: number, outOffset: number,
    bias: Float32Array | null, relu: boolean, runner: TileRunner | null,
    rowMaxAbs?: Float32Array | Float64Array | null,
  ): boolean;
  /**
   * The backward of the epilogue for a [rows×cols] gradient g (rows, cols ≥ 1): dz = relu ?
   * (y > 0 ? g : 0) : g into `dz` (when given), and sums[j] = Σ_rows dz[row, j] into `sums`
   * (when given), bit-identical to the JS loops. Returns false when it does not fit in memory.
   */
  gradRows(
    g: Float32Array, y: Float32Array | null, dz: Float32Array | null, sums: Float32Array | null,
    rows: number, cols: number,
  ): boolean;
  /**
   * Gradient descent on float32 parameters in place, bit-identical to optim/sgd.ts's JS loop:
   * θ −= lr·g, or with momentum m (acc given) acc = m·acc + g and θ −= lr·acc (Nesterov:
   * θ −= lr·(g + m·acc)). Returns false, touching nothing, when it does not fit in memory.
   */
  sgd(theta: Float32Array, g: Float32Array, acc: Float32Array | null, lr: number, momentum: number, nesterov: boolean): boolean;
}

const PAGE_BYTES = 65536;
/** wasm32's 4 GiB, less a page: also the declared maximum of a shared memory. */
const MAX_PAGES = 65535;
const MAX_MEMORY_BYTES = MAX_PAGES * PAGE_BYTES;

export interface WasmGemmOptions {
  /** Use a shared memory (SharedArrayBuffer) so worker threads can compute tiles. Default false. */
  shared?: boolean;
}

/**
 * Compiles and instantiates the kernel, or returns null when this engine cannot
 * (no WebAssembly, no SIMD, or, for `fma` / `shared`, no relaxed SIMD / threads, as reported by
 * `WebAssembly.validate` and by creating the memory).
 */
export function createWasmGemmF32(
  config: WasmGemmConfig = DEFAULT_WASM_GEMM_CONFIG,
  options: WasmGemmOptions = {},
): WasmGemmF32 | null {
  if (typeof WebAssembly !== 'object') return null;
  const shared = options.shared === true;
  const bytes = buildGemmModule(config, shared);
  let module: WebAssembly.Module;
  let memory: WebAssembly.Memory;
  let instance: WebAssembly.Instance;
  try {
    if (!WebAssembly.validate(bytes)) return null;
    module = new WebAssembly.Module(bytes);
    memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: MAX_PAGES, shared: true } : { initial: 1 });
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch {
    return null;
  }
  const compute = instance.exports.gemm as ComputeExport;
  const packColsA = instance.exports.packColsA as PackColsExport;
  const packColsB = instance.exports.packColsB as PackColsExport;
  const packRows = instance.exports.packRows as PackRowsExport;
  const gradRowsExport = instance.exports.gradRows as GradRowsExport;
  const sgdExport = instance.exports.sgd as SgdExport;
  const rowMaxAbsExport = instance.exports.rowMaxAbs as RowMaxAbsExport;
  let heap = new Float32Array(memory.buffer);
  // The same memory as doubles, for sgd's [lr, momentum] at byte 0 (kept with heap: a new view only when memory grows).
  let doubles = new Float64Array(memory.buffer, 0, 2);

  /** Grows memory to at least needBytes; false when that is past the limit or fails. */
  const reserve = (needBytes: number): boolean => {
    const haveBytes = memory.buffer.byteLength;
    if (needBytes > haveBytes) {
      // Past the engine's memory limit (4 GiB for wasm32) the caller falls back to JS.
      if (needBytes > MAX_MEMORY_BYTES) return false;
      try {
        memory.grow(Math.ceil((needBytes - haveBytes) / PAGE_BYTES));
      } catch {
        return false;
      }
    }
    if (heap.length * 4 !== memory.buffer.byteLength) {
      heap = new Float32Array(memory.buffer);
      doubles = new Float64Array(memory.buffer, 0, 2);
    }
    return true;
  };
  const task = new Int32Array(TASK_LENGTH);

  const mr = config.mr;
  const nr = config.nv * 4;

  const run = (
    out: Float32Array, a: Float32Array, b: Float32Array,
    m: number, k: number, n: number,
    transA: boolean, transB: boolean, accumulate: boolean,
    aOffset: number, bOffset: number, outOffset: number,
    bias: Float32Array | null, relu: boolean, runner: TileRunner | null,
    rowMaxAbs: Float32Array | Float64Array | null = null,
  ): boolean => {
    const mTiles = Math.ceil(m / mr);
    const nTiles = Math.ceil(n / nr);
    const kp = roundUp(k, 4);
    // C rows are written whole tiles wide, so C can share out's layout only when n fills them.
    const ldc = n % nr === 0 ? n : nTiles * nr;

    // Float offsets of the regions, 16-float aligned. Staged operands get slack for the reads
    // past their end: up to a tile of whole rows plus a 4-column block (packRows), or a panel
    // of columns (packCols). The bias gets whole panels (the columns past n are discarded).
    const aSize = m * k;
    const bSize = k * n;
    const stageA = 0;
    const stageB = stageA + roundUp(aSize + mr * (kp + 4), 16);
    const packA = stageB + roundUp(bSize + nr * (kp + 4), 16);
    const packB = packA + mTiles * mr * kp;
    const biasAt = roundUp(packB + nTiles * nr * kp, 16);
    const cBase = biasAt + (bias === null ? 0 : roundUp(nTiles * nr, 16));
    const maxAt = roundUp(cBase + mTiles * mr * ldc, 16); // 4 lanes per row, for rowMaxAbs
    if (!reserve((maxAt + (rowMaxAbs === null ? 0 : 4 * m)) * 4)) return false;
    const h = heap;

    runner?.wake();
    copyIn(h, stageA, a, aOffset, aSize);
    copyIn(h, stageB, b, bOffset, bSize);

    const sameLayout = ldc === n;
    const loadC = accumulate && sameLayout;
    if (loadC) copyIn(h, cBase, out, outOffset, m * n);
    // The epilogue runs in wasm unless C must still be added to out in JS (accumulate into a
    // padded C): then bias and ReLU follow that addition, in JS.
    const fused = !accumulate || sameLayout;
    if (bias !== null && fused) h.set(bias, biasAt);
    task.fill(0);
    task[TASK.aPtr] = packA * 4;
    task[TASK.bPtr] = packB * 4;
    task[TASK.cPtr] = cBase * 4;
    task[TASK.ldc] = ldc * 4;
    task[TASK.mTiles] = mTiles;
    task[TASK.nTiles] = nTiles;
    task[TASK.k] = k;
    task[TASK.kp] = kp;
    task[TASK.loadC] = loadC ? 1 : 0;
    task[TASK.biasPtr] = bias !== null && fused ? biasAt * 4 : 0;
    task[TASK.relu] = relu && fused ? 1 : 0;
    // Split over threads, each part packs the operand split along: its B panels (or A tiles).
    const split = runner !== null && runner.wouldSplit(task);
    const deferB = split && splitsColumns(task);
    const deferA = split && !deferB;
    if (deferA) {
      task[TASK.pack] = transA ? PACK.colsA : PACK.rowsA;
      task[TASK.packSrc] = stageA * 4;
      task[TASK.packStride] = (transA ? m : k) * 4;
      task[TASK.packGroups] = mr / 4;
    } else if (transA) {
      packColsA(stageA * 4, m * 4, packA * 4, k, mTiles, kp); // A stored [k×m]
    } else {
      packRows(stageA * 4, k * 4, packA * 4, mTiles, kp, mr / 4); // A stored [m×k]
    }
    if (deferB) {
      task[TASK.pack] = transB ? PACK.rowsB : PACK.colsB;
      task[TASK.packSrc] = stageB * 4;
      task[TASK.packStride] = (transB ? k : n) * 4;
      task[TASK.packGroups] = nr / 4;
    } else if (transB) {
      packRows(stageB * 4, k * 4, packB * 4, nTiles, kp, nr / 4); // B stored [n×k]
    } else {
      packColsB(stageB * 4, n * 4, packB * 4, k, nTiles, kp); // B stored [k×n]
    }
    if (split) runner.run(task);
    else runTask(task, 0);
    // Each row's largest |value| while C is still here (after the epilogue, when it ran here).
    if (rowMaxAbs !== null && fused) {
      const vectors = n >> 2;
      rowMaxAbsExport(cBase * 4, ldc * 4, m, vectors, maxAt * 4);
      for (let i = 0; i < m; i++) {
        const lanes = maxAt + 4 * i;
        rowMaxAbs[i] = Math.max(h[lanes], h[lanes + 1], h[lanes + 2], h[lanes + 3], largestAbs(h, cBase + i * ldc + 4 * vectors, cBase + i * ldc + n));
      }
    }

    if (sameLayout) {
      out.set(h.subarray(cBase, cBase + m * n), outOffset);
    } else if (accumulate) {
      for (let i = 0; i < m; i++) {
        const src = cBase + i * ldc;
        const dst = outOffset + i * n;
        for (let j = 0; j < n; j++) out[dst + j] += h[src + j];
      }
      if (bias !== null || relu) applyBiasRelu(out, outOffset, m, n, bias, relu);
      if (rowMaxAbs !== null) rowMaxAbsOf(out, outOffset, m, n, rowMaxAbs);
    } else {
      for (let i = 0; i < m; i++) {
        const src = cBase + i * ldc;
        const dst = outOffset + i * n;
        for (let j = 0; j < n; j++) out[dst + j] = h[src + j];
      }
    }
    return true;
  };

  const runTask = (t: Int32Array, at: number): void => {
    const pack = t[at + TASK.pack];
    if (pack !== PACK.none) {
      const src = t[at + TASK.packSrc];
      const stride = t[at + TASK.packStride];
      const kLen = t[at + TASK.k];
      const kp = t[at + TASK.kp];
      const groups = t[at + TASK.packGroups];
      if (pack === PACK.colsA) packColsA(src, stride, t[at + TASK.aPtr], kLen, t[at + TASK.mTiles], kp);
      else if (pack === PACK.colsB) packColsB(src, stride, t[at + TASK.bPtr], kLen, t[at + TASK.nTiles], kp);
      else if (pack === PACK.rowsA) packRows(src, stride, t[at + TASK.aPtr], t[at + TASK.mTiles], kp, groups);
      else packRows(src, stride, t[at + TASK.bPtr], t[at + TASK.nTiles], kp, groups);
    }
    compute(t[at], t[at + 1], t[at + 2], t[at + 3], t[at + 4], t[at + 5], t[at + 6], t[at + 7], t[at + 8], t[at + 9], t[at + 10]);
  };

  const gradRows = (
    g: Float32Array, y: Float32Array | null, dz: Float32Array | null, sums: Float32Array | null,
    rows: number, cols: number,
  ): boolean => {
    const size = rows * cols;
    const region = roundUp(size + 4, 16);
    const gAt = 0;
    const yAt = gAt + region;
    const dzAt = yAt + region;
    const sumsAt = dzAt + region;
    if (!reserve((sumsAt + roundUp(cols + 4, 16)) * 4)) return false;
    const h = heap;
    h.set(g, gAt);
    if (y !== null) h.set(y, yAt);
    if (sums !== null) h.fill(0, sumsAt, sumsAt + cols + 4);
    gradRowsExport(gAt * 4, yAt * 4, dzAt * 4, sums === null ? 0 : sumsAt * 4, rows, cols, y === null ? 0 : 1);
    if (dz !== null) dz.set(h.subarray(dzAt, dzAt + size));
    if (sums !== null) sums.set(h.subarray(sumsAt, sumsAt + cols));
    return true;
  };

  const sgd = (theta: Float32Array, g: Float32Array, acc: Float32Array | null, lr: number, momentum: number, nesterov: boolean): boolean => {
    const n = theta.length;
    const region = roundUp(n, 16); // whole vectors; the overhang is scratch
    const thetaAt = 16; // after the two doubles [lr, momentum] at byte 0
    const gAt = thetaAt + region;
    const accAt = gAt + region;
    if (!reserve((accAt + (acc === null ? 0 : region)) * 4)) return false;
    const h = heap;
    h.set(theta, thetaAt);
    h.set(g, gAt);
    if (acc !== null) h.set(acc, accAt);
    doubles[0] = lr;
    doubles[1] = momentum;
    sgdExport(thetaAt * 4, gAt * 4, accAt * 4, region, 0, acc === null ? 0 : nesterov ? 2 : 1);
    theta.set(h.subarray(thetaAt, thetaAt + n));
    if (acc !== null) acc.set(h.subarray(accAt, accAt + n));
    return true;
  };

  return { config, module, memory, shared, compute, runTask, run, gradRows, sgd };
}

/**
 * out[i, j] += bias[j], then ReLU (x > 0 ? x : 0; NaN and −0 become 0), over the m×n block at
 * outOffset: the reference epilogue, which the wasm one reproduces bit for bit.
 */
export function applyBiasRelu(
  out: Float32Array | Float64Array, outOffset: number, m: number, n: number,
  bias: Float32Array | Float64Array | null, relu: boolean,
): void {
  if (bias !== null) {
    for (let i = 0, at = outOffset; i < m; i++) for (let j = 0; j < n; j++, at++) out[at] += bias[j];
  }
  if (relu) {
    for (let i = outOffset, end = outOffset + m * n; i < end; i++) out[i] = out[i] > 0 ? out[i] : 0;
  }
}

/**
 * target[i] = the largest |value| of row i of the m×n block at outOffset, 0 if none (NaN
 * ignored): the reference the wasm rowMaxAbs reproduces (max is exact, so order does not matter).
 */
export function rowMaxAbsOf(
  out: Float32Array | Float64Array, outOffset: number, m: number, n: number, target: Float32Array | Float64Array,
): void {
  for (let i = 0; i < m; i++) target[i] = largestAbs(out, outOffset + i * n, outOffset + (i + 1) * n);
}

/** The largest |value| of values[start, end), 0 if none; NaN never compares larger. */
function largestAbs(values: Float32Array | Float64Array, start: number, end: number): number {
  let largest = 0;
  for (let i = start; i < end; i++) {
    const v = Math.abs(values[i]);
    largest = v > largest ? v : largest;
  }
  return largest;
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}

/** memcpy of src[offset, offset+length) to h[base…]; subarray only when a slice is needed. */
function copyIn(h: Float32Array, base: number, src: Float32Array, offset: number, length: number): void {
  h.set(offset === 0 && src.length === length ? src : src.subarray(offset, offset + length), base);
}
