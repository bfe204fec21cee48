/**
 * The kernels' one WebAssembly module (runs in Node and browsers): the GEMM's compute and
 * packing functions (gemm-code.ts) and the elementwise ones (elementwise-code.ts), over one
 * imported memory, so an elementwise call reuses the instance and memory the GEMM already has.
 */
import { buildCompute, buildPackCols, buildPackRows, DEFAULT_WASM_GEMM_CONFIG } from './gemm-code.js';
import type { WasmGemmConfig } from './gemm-code.js';
import { buildGradRows, buildRowMaxAbs, buildSgd } from './elementwise-code.js';
import { encodeModule } from './encoder.js';

export const PAGE_BYTES = 65536;
/** wasm32's 4 GiB, less a page: also the declared maximum of a shared memory. */
export const MAX_PAGES = 65535;

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
  ], { shared, maxPages: MAX_PAGES });
}
