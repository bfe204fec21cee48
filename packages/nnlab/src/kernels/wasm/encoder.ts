/**
 * A tiny WebAssembly binary encoder (runs in Node and browsers): the opcodes, the LEB128
 * integers, a `Func` builder that appends one instruction at a time, and `encodeModule`, which
 * wraps functions into a module's bytes. Only the sections and instructions nnlab's kernels
 * use: every function takes i32 parameters and returns nothing, locals are i32 or v128, and the
 * memory (and any function called from another module) is imported. See gemm-code.ts and
 * elementwise-code.ts for what is written with it.
 */

const I32 = 0x7f;
const V128 = 0x7b;

// Opcodes as plain constants (not enums) so the file stays erasable TypeScript.
export const Op = {
  Loop: 0x03,
  If: 0x04,
  Else: 0x05,
  End: 0x0b,
  BrIf: 0x0d,
  Call: 0x10,
  Select: 0x1b,
  LocalGet: 0x20,
  LocalSet: 0x21,
  LocalTee: 0x22,
  I32Const: 0x41,
  I32Eqz: 0x45,
  I32Eq: 0x46,
  I32Ne: 0x47,
  I32LtU: 0x49,
  I32GeU: 0x4f,
  I32Add: 0x6a,
  I32Sub: 0x6b,
  I32Mul: 0x6c,
  I32And: 0x71,
  I32Or: 0x72,
  SimdPrefix: 0xfd,
} as const;

// SIMD opcodes follow the 0xfd prefix as a LEB128 u32.
export const SimdOp = {
  V128Load: 0x00,
  V128Load32Splat: 0x09,
  V128Load64Splat: 0x0a,
  V128Store: 0x0b,
  V128Const: 0x0c,
  I8x16Shuffle: 0x0d,
  F32x4Eq: 0x41,
  F32x4Ne: 0x42,
  F32x4Lt: 0x43,
  F32x4Gt: 0x44,
  F32x4Le: 0x45,
  F32x4Ge: 0x46,
  V128And: 0x4e,
  V128AndNot: 0x4f,
  V128Or: 0x50,
  V128Bitselect: 0x52,
  F32x4Nearest: 0x6a,
  I32x4Shl: 0xab,
  I32x4ShrS: 0xac,
  I32x4Add: 0xae,
  I32x4Sub: 0xb1,
  F32x4Neg: 0xe1,
  F32x4Sub: 0xe5,
  F32x4Div: 0xe7,
  F32x4Pmin: 0xea,
  F32x4ConvertI32x4S: 0xfa,
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

// One lane's bytes, written as a float or an integer (wasm is little-endian, as typed arrays are
// on every engine nnlab runs on: checked by the kernels' bit-identity tests).
const CONST_LANE = new Float32Array(1);
const CONST_BITS = new Int32Array(CONST_LANE.buffer);
const CONST_BYTES = new Uint8Array(CONST_LANE.buffer);

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
export class Func {
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
  /** Calls function `index` (imported functions come first, see encodeModule). */
  call(index: number): this {
    this.bytes.push(Op.Call);
    uleb(this.bytes, index);
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
  /** v128.const with `value` (rounded to float32) in all four lanes. */
  f32x4(value: number): this {
    CONST_LANE[0] = value;
    return this.laneConst();
  }
  /** v128.const with the 32-bit integer `value` in all four lanes. */
  i32x4(value: number): this {
    CONST_BITS[0] = value;
    return this.laneConst();
  }
  private laneConst(): this {
    this.simd(SimdOp.V128Const);
    for (let lane = 0; lane < 4; lane++) for (const b of CONST_BYTES) this.bytes.push(b);
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

/** A function a module imports as env.<name>: i32 parameters, no result, like a Func. */
export interface ImportedFunc {
  readonly name: string;
  readonly numParams: number;
}

/**
 * A module of `funcs` (exported under their names, in order) that imports its memory as
 * env.memory: shared (flags 3, with a maximum of `maxPages`) when several threads run the same
 * module over one memory, else plain (flags 0, no maximum). Both start at one page. It also
 * imports `imports`, which take function indices 0, 1, … (`funcs` follow them).
 */
export function encodeModule(funcs: readonly Func[], memory: { shared: boolean; maxPages: number }, imports: readonly ImportedFunc[] = []): Uint8Array<ArrayBuffer> {
  const mod: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const signatures = [...imports, ...funcs];
  const types: number[] = [];
  uleb(types, signatures.length);
  for (const f of signatures) {
    types.push(0x60);
    uleb(types, f.numParams);
    for (let i = 0; i < f.numParams; i++) types.push(I32);
    uleb(types, 0);
  }
  section(mod, 1, types);
  const importSection: number[] = [];
  uleb(importSection, 1 + imports.length);
  name(importSection, 'env');
  name(importSection, 'memory');
  importSection.push(0x02);
  if (memory.shared) {
    importSection.push(0x03);
    uleb(importSection, 1);
    uleb(importSection, memory.maxPages);
  } else {
    importSection.push(0x00);
    uleb(importSection, 1);
  }
  imports.forEach((f, i) => {
    name(importSection, 'env');
    name(importSection, f.name);
    importSection.push(0x00);
    uleb(importSection, i);
  });
  section(mod, 2, importSection);
  const fsec: number[] = [];
  uleb(fsec, funcs.length);
  funcs.forEach((_, i) => uleb(fsec, imports.length + i));
  section(mod, 3, fsec);
  const exports: number[] = [];
  uleb(exports, funcs.length);
  funcs.forEach((f, i) => {
    name(exports, f.exportName);
    exports.push(0x00);
    uleb(exports, imports.length + i);
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
