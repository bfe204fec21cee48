/**
 * The GEMM epilogue's float32 tanh and sigmoid (runs in Node and browsers): `tanh(ptr, ldc)` and
 * `sigmoid(ptr, ldc)` rewrite one MR×NR tile of C in place, rows ldc bytes apart, with the code
 * of float32's map kernels (vector-code.ts's emitMapped), so each value gets mapFloat32's bits.
 * They are a module of their own (module.ts), which the GEMM's module imports and its compute
 * calls for each tile just after storing it, while the tile is in L1: written into the compute,
 * their code (~400 bytes per vector and function) took that module past the 4 KB an engine may
 * compile synchronously on a page's main thread.
 *
 * 40,000×8·8×8 + bias, then tanh, one thread, CPU best of 40 (load ~5): 1.01–1.03 ms so,
 * 1.18–1.19 ms with tanh applied to the accumulators in registers (one copy of its code, rotated
 * through them: its temporaries and constants spill them), 1.04–1.05 ms as the product then
 * mapFloat32.
 */
import { Func, Op, SimdOp } from './encoder.js';
import type { WasmGemmConfig } from './gemm-code.js';
import { emitMapped, VectorConstants, VectorLocals } from './vector-code.js';

/** The tile maps, in the order the GEMM's module imports them (its function indices 0, 1). */
export const TILE_MAPS = ['tanh', 'sigmoid'] as const;
export type TileMap = (typeof TILE_MAPS)[number];

/**
 * `fn`(ptr, ldc): fn on the MR rows (an even count) of NR floats at ptr, two rows at a time:
 * 2·nv independent chains the CPU overlaps (measured ~8 % faster than one row at a time). The
 * constants are set at each call, per tile: a GEMM computes its tiles between calls, so none of
 * them would stay in a register anyway.
 */
export function buildTileMap(fn: TileMap, { mr, nv }: Pick<WasmGemmConfig, 'mr' | 'nv'>): Func {
  const f = new Func(fn, 2, 2);
  const [ptr, ldc] = [0, 1];
  const row = f.i32Local();
  const constants = new VectorConstants(f);
  const second = f.i32Local();
  const lanes = Array.from({ length: 2 * nv }, () => ({ x: f.v128Local(), scratch: f.v128Local(), locals: new VectorLocals(f, constants) }));
  const start = f.bytes.length;
  f.i32(0).set(row);
  f.block(Op.Loop);
  {
    f.get(ptr).get(ldc).op(Op.I32Add).set(second);
    lanes.forEach(({ x }, v) => f.get(v < nv ? ptr : second).mem(SimdOp.V128Load, 16 * (v % nv)).set(x));
    lanes.forEach(({ x, scratch, locals }, v) => {
      f.get(v < nv ? ptr : second);
      emitMapped(f, fn, x, scratch, locals);
      f.mem(SimdOp.V128Store, 16 * (v % nv));
    });
    f.get(second).get(ldc).op(Op.I32Add).set(ptr);
    f.get(row).i32(2).op(Op.I32Add).tee(row).i32(mr).op(Op.I32Ne).brIf(0);
  }
  f.op(Op.End);
  constants.hoistBefore(start);
  return f;
}
