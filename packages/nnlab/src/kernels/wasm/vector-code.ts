/**
 * Code generation for float32 exp, log, tanh and sigmoid in WebAssembly SIMD (runs in Node and
 * browsers): four values at a time, step for step the algorithms of ../../math/float32.ts (whose
 * constants they read), so each lane gives the JS function's bits. Only deterministic
 * instructions: IEEE +, −, ×, ÷, min, max, round-to-nearest-even, integer and bitwise lane ops;
 * no relaxed SIMD, no fused multiply-add.
 *
 * `emit*` leave f(x) on the stack for a v128 local x, so other kernels (a GEMM epilogue) can apply
 * a function to a tile in registers; `buildVectorMap` wraps one into an array loop.
 */
import { Func, Op, SimdOp } from './encoder.js';
import {
  EXP_HIGHEST, EXP_LOWEST, EXP_P, LN2_C1, LN2_C2, LOG2E, LOG_P, SMALLEST_NORMAL, SQRT_HALF,
  SUBNORMAL_SCALE, TANH_P, TANH_SMALL,
} from '../../math/float32.js';

export type VectorFunction = 'exp' | 'log' | 'tanh' | 'sigmoid';

const EXP_INTEGER_SHIFT = 1.5 * 2 ** 23;
const EXP_INTEGER_BITS = 0x4b400000;
const SIGN_BIT = -0x80000000;
const QUIET_NAN = 0x7fc00000;

/**
 * The constants the emitters use, each in a v128 local set once before the loop (V8 builds a
 * v128.const from immediates every time it is used: hoisting them measured ~1.6× faster).
 */
export class VectorConstants {
  private readonly byBits = new Map<string, { local: number; float: boolean; value: number }>();
  constructor(private readonly f: Func) {}
  /** The local holding `value` (as float32) in every lane. */
  f32(value: number): number {
    return this.local(`f${Math.fround(value)}${Object.is(value, -0) ? '-' : ''}`, true, value);
  }
  /** The local holding the 32-bit integer `value` in every lane. */
  i32(value: number): number {
    return this.local(`i${value | 0}`, false, value);
  }
  private local(key: string, float: boolean, value: number): number {
    let entry = this.byBits.get(key);
    if (entry === undefined) this.byBits.set(key, (entry = { local: this.f.v128Local(), float, value }));
    return entry.local;
  }
  /**
   * Moves the code emitted since `start` after the constants' initialisation: call once, when
   * the code using them is complete (local indices do not change, so the code stays valid).
   */
  hoistBefore(start: number): void {
    const code = this.f.bytes.splice(start);
    for (const { local, float, value } of this.byBits.values()) (float ? this.f.f32x4(value) : this.f.i32x4(value)).set(local);
    for (const b of code) this.f.bytes.push(b);
  }
}

/**
 * The v128 temporaries of one vector's evaluation, allocated once per function (emitters nest:
 * tanh and sigmoid call exp, so each has its own), with the function's shared constants.
 */
export class VectorLocals {
  readonly exp: number[];
  readonly log: number[];
  readonly outer: number[];
  constructor(f: Func, private readonly constants: VectorConstants) {
    const take = (n: number): number[] => Array.from({ length: n }, () => f.v128Local());
    this.exp = take(5);
    this.log = take(7);
    this.outer = take(5);
  }
  f32(value: number): number {
    return this.constants.f32(value);
  }
  i32(value: number): number {
    return this.constants.i32(value);
  }
}

/** p·v + c, for p the polynomial so far (a local) and each constant in turn: Horner's scheme. */
function horner(f: Func, locals: VectorLocals, p: number, v: number, coefficients: readonly number[]): void {
  f.get(locals.f32(coefficients[0])).set(p);
  for (let i = 1; i < coefficients.length; i++) {
    f.get(p).get(v).simd(SimdOp.F32x4Mul).get(locals.f32(coefficients[i])).simd(SimdOp.F32x4Add).set(p);
  }
}

/**
 * e^x for x in [0, TANH_EXP_HIGHEST] or NaN (tanh's e^{2|x|}): there k ≤ 27, so one power of two
 * scales without the subnormal or overflow cases, and no lower clamp is needed. It gives expf's
 * bits there (the same steps; expf's two scales multiply exactly when the result is normal), and
 * above, e^18.2 ≈ 8·10⁷ makes tanh round to 1, as any larger value does.
 */
const TANH_EXP_HIGHEST = 18.2;

/** Pushes e^x (expf). x is read once, first, so the caller may pass a local it reuses. */
export function emitExp(f: Func, x: number, locals: VectorLocals, forTanh = false): void {
  const [xc, k, r, p, scale] = locals.exp;
  // pmax(x, c) = x < c ? c : x, pmin(x, c) = c < x ? c : x: one instruction each, and NaN passes.
  if (forTanh) f.get(x).get(locals.f32(TANH_EXP_HIGHEST)).simd(SimdOp.F32x4Pmin).set(xc);
  else f.get(x).get(locals.f32(EXP_LOWEST)).simd(SimdOp.F32x4Pmax).get(locals.f32(EXP_HIGHEST)).simd(SimdOp.F32x4Pmin).set(xc);
  f.get(xc).get(locals.f32(LOG2E)).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Nearest).set(k);
  // r = (x − k·C1) − k·C2
  f.get(xc).get(k).get(locals.f32(LN2_C1)).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Sub);
  f.get(k).get(locals.f32(LN2_C2)).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Sub).set(r);
  horner(f, locals, p, r, EXP_P);
  // ((p·r²) + r) + 1
  f.get(p).get(r).get(r).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Mul).get(r).simd(SimdOp.F32x4Add).get(locals.f32(1)).simd(SimdOp.F32x4Add);
  // k as an integer: k + 1.5·2^23 has k in its low bits (cheaper than a saturating conversion;
  // a NaN k gives garbage scales for p, a NaN). 2^k's bits are (k + 127) << 23.
  f.get(k).get(locals.f32(EXP_INTEGER_SHIFT)).simd(SimdOp.F32x4Add).get(locals.i32(EXP_INTEGER_BITS)).simd(SimdOp.I32x4Sub);
  if (forTanh) {
    f.get(locals.i32(127)).simd(SimdOp.I32x4Add).i32(23).simd(SimdOp.I32x4Shl).simd(SimdOp.F32x4Mul);
    return;
  }
  // 2^k as 2^half · 2^(k − half), half = k >> 1: subnormal results round once, 2^128 needs no case.
  f.set(k).set(p);
  f.get(k).i32(1).simd(SimdOp.I32x4ShrS).set(scale);
  f.get(p);
  f.get(scale).get(locals.i32(127)).simd(SimdOp.I32x4Add).i32(23).simd(SimdOp.I32x4Shl).simd(SimdOp.F32x4Mul);
  f.get(k).get(scale).simd(SimdOp.I32x4Sub).get(locals.i32(127)).simd(SimdOp.I32x4Add).i32(23).simd(SimdOp.I32x4Shl).simd(SimdOp.F32x4Mul);
}

/** Pushes log(x) (logf). */
export function emitLog(f: Func, x: number, locals: VectorLocals): void {
  const [small, xs, e, m, big, fr, z] = locals.log;
  const p = locals.exp[0]; // exp's locals are free here
  const y = locals.exp[1];
  f.get(x).get(locals.f32(SMALLEST_NORMAL)).simd(SimdOp.F32x4Lt).set(small);
  f.get(x).get(locals.f32(SUBNORMAL_SCALE)).simd(SimdOp.F32x4Mul).get(x).get(small).simd(SimdOp.V128Bitselect).set(xs);
  // e = (bits >> 23) − 127 − (small ? 23 : 0)
  f.get(xs).i32(23).simd(SimdOp.I32x4ShrS).get(locals.i32(127)).simd(SimdOp.I32x4Sub);
  f.get(small).get(locals.i32(23)).simd(SimdOp.V128And).simd(SimdOp.I32x4Sub).set(e);
  // m in [1, 2) from the significand; above √2 halve it and count one more power of two.
  f.get(xs).get(locals.i32(0x7fffff)).simd(SimdOp.V128And).get(locals.i32(0x3f800000)).simd(SimdOp.V128Or).set(m);
  f.get(m).get(locals.f32(2 * SQRT_HALF)).simd(SimdOp.F32x4Gt).set(big);
  f.get(m).get(locals.f32(0.5)).simd(SimdOp.F32x4Mul).get(m).get(big).simd(SimdOp.V128Bitselect).set(m);
  f.get(e).get(big).simd(SimdOp.I32x4Sub).simd(SimdOp.F32x4ConvertI32x4S).set(e);
  f.get(m).get(locals.f32(1)).simd(SimdOp.F32x4Sub).set(fr);
  f.get(fr).get(fr).simd(SimdOp.F32x4Mul).set(z);
  horner(f, locals, p, fr, LOG_P);
  // y = (f·z)·p + e·C2 − 0.5·z; log = (f + y) + e·C1
  f.get(fr).get(z).simd(SimdOp.F32x4Mul).get(p).simd(SimdOp.F32x4Mul);
  f.get(e).get(locals.f32(LN2_C2)).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Add);
  f.get(locals.f32(0.5)).get(z).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Sub).set(y);
  f.get(fr).get(y).simd(SimdOp.F32x4Add).get(e).get(locals.f32(LN2_C1)).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Add).set(y);
  // log(±0) = −∞; negatives and NaN → NaN; log(+∞) = +∞.
  f.get(locals.f32(-Infinity)).get(y).get(x).get(locals.f32(0)).simd(SimdOp.F32x4Eq).simd(SimdOp.V128Bitselect).set(y);
  f.get(locals.i32(QUIET_NAN)).get(y);
  f.get(x).get(locals.f32(0)).simd(SimdOp.F32x4Lt).get(x).get(x).simd(SimdOp.F32x4Ne).simd(SimdOp.V128Or);
  f.simd(SimdOp.V128Bitselect).set(y);
  f.get(locals.f32(Infinity)).get(y).get(x).get(locals.f32(Infinity)).simd(SimdOp.F32x4Eq).simd(SimdOp.V128Bitselect);
}

/** Pushes tanh(x) (tanhf): on |x|, then x's sign bit. */
export function emitTanh(f: Func, x: number, locals: VectorLocals): void {
  const [a, z, p, big] = locals.outer;
  f.get(x).simd(SimdOp.F32x4Abs).set(a);
  // 1 − 2/(e^{2a} + 1), for a ≥ 0.625
  f.get(a).get(a).simd(SimdOp.F32x4Add).set(z);
  f.get(locals.f32(1)).get(locals.f32(2));
  emitExp(f, z, locals, true);
  f.get(locals.f32(1)).simd(SimdOp.F32x4Add).simd(SimdOp.F32x4Div).simd(SimdOp.F32x4Sub).set(big);
  // a + a·z·P(z), z = a², for a < 0.625
  f.get(a).get(a).simd(SimdOp.F32x4Mul).set(z);
  horner(f, locals, p, z, TANH_P);
  f.get(p).get(z).simd(SimdOp.F32x4Mul).get(a).simd(SimdOp.F32x4Mul).get(a).simd(SimdOp.F32x4Add);
  f.get(big).get(a).get(locals.f32(TANH_SMALL)).simd(SimdOp.F32x4Lt).simd(SimdOp.V128Bitselect);
  f.get(x).get(locals.i32(SIGN_BIT)).simd(SimdOp.V128And).simd(SimdOp.V128Or);
}

/**
 * Pushes 1/(1 + e^−x) (sigmoidf): t = e^{−|x|}, d = 1 + t and its rounding error err (exact),
 * then 1/(1 + t) for x ≥ 0 and t/(1 + t) below, each corrected for err to first order.
 */
export function emitSigmoid(f: Func, x: number, locals: VectorLocals): void {
  const [t, d, err, r, q] = locals.outer;
  f.get(x).simd(SimdOp.F32x4Abs).simd(SimdOp.F32x4Neg).set(t);
  emitExp(f, t, locals);
  f.set(t);
  f.get(locals.f32(1)).get(t).simd(SimdOp.F32x4Add).set(d);
  f.get(t).get(d).get(locals.f32(1)).simd(SimdOp.F32x4Sub).simd(SimdOp.F32x4Sub).set(err);
  f.get(locals.f32(1)).get(d).simd(SimdOp.F32x4Div).set(r);
  f.get(t).get(d).simd(SimdOp.F32x4Div).set(q);
  // r − r²·err, for x ≥ 0
  f.get(r).get(r).get(r).simd(SimdOp.F32x4Mul).get(err).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Sub);
  // q − q·r·err, below
  f.get(q).get(q).get(r).simd(SimdOp.F32x4Mul).get(err).simd(SimdOp.F32x4Mul).simd(SimdOp.F32x4Sub);
  f.get(x).get(locals.f32(0)).simd(SimdOp.F32x4Ge).simd(SimdOp.V128Bitselect);
}

const EMITTERS: Record<VectorFunction, (f: Func, x: number, locals: VectorLocals) => void> = {
  exp: emitExp,
  log: emitLog,
  tanh: emitTanh,
  sigmoid: emitSigmoid,
};

/** Replaces a NaN on the stack by the one quiet NaN, so NaN's bits do not depend on the engine. */
function canonicalNan(f: Func, scratch: number, locals: VectorLocals): void {
  f.set(scratch);
  f.get(locals.i32(QUIET_NAN)).get(scratch).get(scratch).get(scratch).simd(SimdOp.F32x4Ne).simd(SimdOp.V128Bitselect);
}

/**
 * Pushes what the map `fn` stores for x: fn(x), a NaN as the one quiet NaN. Every kernel that
 * applies fn (the map, the GEMM epilogue) emits this, so they give the same bits. `scratch` is a
 * v128 local of the caller's.
 */
export function emitMapped(f: Func, fn: VectorFunction, x: number, scratch: number, locals: VectorLocals): void {
  EMITTERS[fn](f, x, locals);
  canonicalNan(f, scratch, locals);
}

/** Vectors per loop iteration: independent chains the CPU overlaps (4 measured ~10 % faster than 1). */
const UNROLL = 4;

/**
 * `name`(ptr, bytes): values[i] = fn(values[i]) in place over `bytes` bytes at ptr (a multiple
 * of 16 · UNROLL: the caller pads; the spare lanes compute on whatever is there).
 */
export function buildVectorMap(fn: VectorFunction): Func {
  const f = new Func(fn, 2, 1);
  const [ptr, bytes] = [0, 1];
  const at = f.i32Local();
  const constants = new VectorConstants(f);
  const lanes = Array.from({ length: UNROLL }, () => ({ x: f.v128Local(), result: f.v128Local(), locals: new VectorLocals(f, constants) }));
  const start = f.bytes.length;
  f.get(bytes).op(Op.I32Eqz).block(Op.If).op(Op.Else); // nothing to do for no bytes
  f.get(ptr).set(at);
  f.get(ptr).get(bytes).op(Op.I32Add).set(bytes); // the end
  f.block(Op.Loop);
  {
    lanes.forEach(({ x }, u) => f.get(at).mem(SimdOp.V128Load, 16 * u).set(x));
    lanes.forEach(({ x, result, locals }, u) => {
      f.get(at);
      emitMapped(f, fn, x, result, locals);
      f.mem(SimdOp.V128Store, 16 * u);
    });
    f.get(at).i32(16 * UNROLL).op(Op.I32Add).tee(at).get(bytes).op(Op.I32LtU).brIf(0);
    f.op(Op.End);
  }
  f.op(Op.End);
  constants.hoistBefore(start);
  return f;
}

/** Bytes a map's buffer must be padded to. */
export const VECTOR_MAP_STEP = 16 * UNROLL;
