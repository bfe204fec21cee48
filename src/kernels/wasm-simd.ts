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
 *    (v128.load32_splat) and MR·NR/4 f32x4.mul + f32x4.add (no relaxed-SIMD FMA on purpose).
 *  - Edges are not zero-padded: tiles hanging over the last row/column read whatever follows
 *    the staged matrix (slack is reserved for it). Those values only reach C rows/columns that
 *    are never copied out, because C[i,j] depends on row i of op(A) and column j of op(B) alone.
 *  - C is written row-major with the caller's row length when n is a multiple of NR (one
 *    memcpy out, and `accumulate` is a memcpy in plus loading C in the first k block);
 *    otherwise rows are padded and JS copies (or adds) the m×n corner out.
 *
 * The module is about 1.5 KB: under the 4 KB limit older Chromium puts on synchronous
 * `new WebAssembly.Module` on the main thread, so it is built lazily and synchronously from
 * inside `gemm`. Memory is owned by the module, grows on demand and is kept between calls.
 */

/** Register tile shape and k blocking of the generated kernel. */
export interface WasmGemmConfig {
  /** Rows per register tile; a multiple of 4 (packRows transposes 4×4 blocks). */
  readonly mr: number;
  /** f32x4 vectors per tile row, so NR = 4·nv columns. */
  readonly nv: number;
  /** k block length. */
  readonly kc: number;
}

/**
 * 4×8 measured best on Node 20 / x64 (AMD EPYC, AVX2): 8 accumulators + 2 B vectors + 1
 * broadcast fit the 15 xmm registers V8 allocates. 4×12, 4×16 and 8×8 spill, and 8×4 needs a
 * broadcast per vector multiply; all ran at 15–20 GFLOP/s against ~25–30. Unrolling k by 2 was
 * slower too. KC from 128 to 512 made
 * no measurable difference at MLP sizes; 256 keeps a 4×8 panel block at 8 KB of L1.
 */
export const DEFAULT_WASM_GEMM_CONFIG: WasmGemmConfig = { mr: 4, nv: 2, kc: 256 };

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
  I32Ne: 0x47,
  I32LtU: 0x49,
  I32Add: 0x6a,
  I32Sub: 0x6b,
  I32Mul: 0x6c,
  I32Or: 0x72,
  SimdPrefix: 0xfd,
} as const;

// SIMD opcodes follow the 0xfd prefix as a LEB128 u32.
const SimdOp = {
  V128Load: 0x00,
  V128Load32Splat: 0x09,
  V128Store: 0x0b,
  V128Const: 0x0c,
  I8x16Shuffle: 0x0d,
  F32x4Add: 0xe4,
  F32x4Mul: 0xe6,
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
    uleb(this.bytes, opcode === SimdOp.V128Load32Splat ? 2 : 4);
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

function encodeModule(funcs: readonly Func[]): Uint8Array<ArrayBuffer> {
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
  const fsec: number[] = [];
  uleb(fsec, funcs.length);
  funcs.forEach((_, i) => uleb(fsec, i));
  section(mod, 3, fsec);
  section(mod, 5, [1, 0x00, 1]); // one memory, min 1 page, no max
  const exports: number[] = [];
  uleb(exports, funcs.length + 1);
  funcs.forEach((f, i) => {
    name(exports, f.exportName);
    exports.push(0x00);
    uleb(exports, i);
  });
  name(exports, 'memory');
  exports.push(0x02, 0);
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
 * gemm(aPtr, bPtr, cPtr, ldc, mTiles, nTiles, k, kp, loadC): every MR×NR tile of C from packed
 * A tiles (stride kp·MR floats) and B panels (stride kp·NR floats), stored row-major at cPtr
 * with a row stride of ldc bytes, adding to what C holds when loadC ≠ 0.
 * Requires mTiles, nTiles, k ≥ 1.
 */
function buildCompute({ mr, nv, kc }: WasmGemmConfig): Func {
  const nr = nv * 4;
  const f = new Func('gemm', 9, 12);
  const [aPtr, bPtr, cPtr, ldc, mTiles, nTiles, kLen, kp, loadC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const kb = f.i32Local(), kRun = f.i32Local(), jt = f.i32Local(), it = f.i32Local();
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
            f.get(a).get(av).get(bv[v]).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Add).set(a);
          }
        }
        f.addConst(pb, nr * 4);
        f.get(pa).i32(mr * 4).op(Op.I32Add).tee(pa).get(pEnd).op(Op.I32Ne).brIf(0);
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

/** The module's bytes: exports gemm, packColsA (W = MR), packColsB (W = NR), packRows, memory. */
export function buildGemmModule(config: WasmGemmConfig = DEFAULT_WASM_GEMM_CONFIG): Uint8Array<ArrayBuffer> {
  if (config.mr % 4 !== 0 || config.mr < 4 || config.nv < 1 || config.kc < 1) {
    throw new Error(`buildGemmModule: unsupported config ${JSON.stringify(config)}`);
  }
  return encodeModule([
    buildCompute(config),
    buildPackCols('packColsA', config.mr),
    buildPackCols('packColsB', config.nv * 4),
    buildPackRows(),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Host side: staging operands in wasm memory, packing, copy-out.

type ComputeExport = (
  aPtr: number, bPtr: number, cPtr: number, ldc: number,
  mTiles: number, nTiles: number, k: number, kp: number, loadC: number,
) => void;
type PackColsExport = (src: number, stride: number, dst: number, k: number, panels: number, kp: number) => void;
type PackRowsExport = (src: number, stride: number, dst: number, tiles: number, kp: number, groups: number) => void;

/** A float32 GEMM backed by one wasm instance; same contract as `gemm` in matmul.ts. */
export interface WasmGemmF32 {
  readonly config: WasmGemmConfig;
  /**
   * Computes the product (m, k, n ≥ 1) and returns true, or returns false without touching
   * `out` when the operands do not fit in wasm memory.
   */
  run(
    out: Float32Array, a: Float32Array, b: Float32Array,
    m: number, k: number, n: number,
    transA: boolean, transB: boolean, accumulate: boolean,
    aOffset: number, bOffset: number, outOffset: number,
  ): boolean;
}

const PAGE_BYTES = 65536;
const MAX_MEMORY_BYTES = 2 ** 32 - PAGE_BYTES;

/**
 * Compiles and instantiates the kernel, or returns null when this engine cannot
 * (no WebAssembly, or no SIMD support as reported by `WebAssembly.validate`).
 */
export function createWasmGemmF32(config: WasmGemmConfig = DEFAULT_WASM_GEMM_CONFIG): WasmGemmF32 | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = buildGemmModule(config);
  let instance: WebAssembly.Instance;
  try {
    if (!WebAssembly.validate(bytes)) return null;
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  } catch {
    return null;
  }
  const compute = instance.exports.gemm as ComputeExport;
  const packColsA = instance.exports.packColsA as PackColsExport;
  const packColsB = instance.exports.packColsB as PackColsExport;
  const packRows = instance.exports.packRows as PackRowsExport;
  const memory = instance.exports.memory as WebAssembly.Memory;
  let heap = new Float32Array(memory.buffer);

  const mr = config.mr;
  const nr = config.nv * 4;

  const run = (
    out: Float32Array, a: Float32Array, b: Float32Array,
    m: number, k: number, n: number,
    transA: boolean, transB: boolean, accumulate: boolean,
    aOffset: number, bOffset: number, outOffset: number,
  ): boolean => {
    const mTiles = Math.ceil(m / mr);
    const nTiles = Math.ceil(n / nr);
    const kp = roundUp(k, 4);
    // C rows are written whole tiles wide, so C can share out's layout only when n fills them.
    const ldc = n % nr === 0 ? n : nTiles * nr;

    // Float offsets of the regions, 16-float aligned. Staged operands get slack for the reads
    // past their end: up to a tile of whole rows plus a 4-column block (packRows), or a panel
    // of columns (packCols).
    const aSize = m * k;
    const bSize = k * n;
    const stageA = 0;
    const stageB = stageA + roundUp(aSize + mr * (kp + 4), 16);
    const packA = stageB + roundUp(bSize + nr * (kp + 4), 16);
    const packB = packA + mTiles * mr * kp;
    const cBase = roundUp(packB + nTiles * nr * kp, 16);
    const needBytes = (cBase + mTiles * mr * ldc) * 4;
    if (needBytes > memory.buffer.byteLength) {
      // Past the engine's memory limit (4 GiB for wasm32) the caller falls back to JS.
      if (needBytes > MAX_MEMORY_BYTES) return false;
      try {
        memory.grow(Math.ceil((needBytes - memory.buffer.byteLength) / PAGE_BYTES));
      } catch {
        return false;
      }
    }
    if (heap.buffer !== memory.buffer) heap = new Float32Array(memory.buffer);
    const h = heap;

    copyIn(h, stageA, a, aOffset, aSize);
    copyIn(h, stageB, b, bOffset, bSize);
    if (transA) packColsA(stageA * 4, m * 4, packA * 4, k, mTiles, kp); // A stored [k×m]
    else packRows(stageA * 4, k * 4, packA * 4, mTiles, kp, mr / 4); // A stored [m×k]
    if (transB) packRows(stageB * 4, k * 4, packB * 4, nTiles, kp, nr / 4); // B stored [n×k]
    else packColsB(stageB * 4, n * 4, packB * 4, k, nTiles, kp); // B stored [k×n]

    const sameLayout = ldc === n;
    const loadC = accumulate && sameLayout;
    if (loadC) copyIn(h, cBase, out, outOffset, m * n);
    compute(packA * 4, packB * 4, cBase * 4, ldc * 4, mTiles, nTiles, k, kp, loadC ? 1 : 0);

    if (sameLayout) {
      out.set(h.subarray(cBase, cBase + m * n), outOffset);
    } else if (accumulate) {
      for (let i = 0; i < m; i++) {
        const src = cBase + i * ldc;
        const dst = outOffset + i * n;
        for (let j = 0; j < n; j++) out[dst + j] += h[src + j];
      }
    } else {
      for (let i = 0; i < m; i++) {
        const src = cBase + i * ldc;
        const dst = outOffset + i * n;
        for (let j = 0; j < n; j++) out[dst + j] = h[src + j];
      }
    }
    return true;
  };

  return { config, run };
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}

/** memcpy of src[offset, offset+length) to h[base…]; subarray only when a slice is needed. */
function copyIn(h: Float32Array, base: number, src: Float32Array, offset: number, length: number): void {
  h.set(offset === 0 && src.length === length ? src : src.subarray(offset, offset + length), base);
}
