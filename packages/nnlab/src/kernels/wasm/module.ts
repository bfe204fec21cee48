/**
 * The kernels' WebAssembly modules (runs in Node and browsers): the GEMM's compute and packing
 * functions (gemm-code.ts), its one-column product (column-code.ts) and the elementwise ones
 * (elementwise-code.ts) in one, so an elementwise call reuses the instance and memory the GEMM
 * already has; the epilogue's tanh and sigmoid (tile-map-code.ts) in another, whose functions
 * the first imports. Both import one memory and stay under 4 KB each.
 */
import { buildCompute, buildPackCols, buildPackRows, DEFAULT_WASM_GEMM_CONFIG } from './gemm-code.js';
import type { WasmGemmConfig } from './gemm-code.js';
import { buildColumn } from './column-code.js';
import { buildGradRows, buildRowMaxAbs, buildSgd } from './elementwise-code.js';
import { encodeModule } from './encoder.js';
import { buildTileMap, TILE_MAPS } from './tile-map-code.js';

export const PAGE_BYTES = 65536;
/** wasm32's 4 GiB, less a page: also the declared maximum of a shared memory. */
export const MAX_PAGES = 65535;

/**
 * The module's bytes: exports gemm, packColsA (W = MR), packColsB (W = NR), packRows, column, gradRows, sgd and rowMaxAbs, and
 * imports env.memory (shared when `shared`, for threads) and the tile maps env.tanh and
 * env.sigmoid (buildTileMapModule's exports).
 */
export function buildGemmModule(config: WasmGemmConfig = DEFAULT_WASM_GEMM_CONFIG, shared = false): Uint8Array<ArrayBuffer> {
  checkConfig(config);
  return encodeModule([
    buildCompute(config),
    buildPackCols('packColsA', config.mr),
    buildPackCols('packColsB', config.nv * 4),
    buildPackRows(),
    buildColumn(config),
    buildGradRows(),
    buildSgd(),
    buildRowMaxAbs(),
  ], { shared, maxPages: MAX_PAGES }, TILE_MAPS.map((name) => ({ name, numParams: 2 })));
}

/** The tile maps' module: exports tanh and sigmoid for `config`'s tile, imports env.memory. */
export function buildTileMapModule(config: WasmGemmConfig = DEFAULT_WASM_GEMM_CONFIG, shared = false): Uint8Array<ArrayBuffer> {
  checkConfig(config);
  return encodeModule(TILE_MAPS.map((fn) => buildTileMap(fn, config)), { shared, maxPages: MAX_PAGES });
}

/**
 * An instance of the GEMM's module over `memory`, its tile maps from an instance of
 * `tileMapModule` over the same memory. The workers (../threads/protocol.ts) do the same.
 */
export function instantiateGemm(module: WebAssembly.Module, tileMapModule: WebAssembly.Module, memory: WebAssembly.Memory): WebAssembly.Instance {
  const maps = new WebAssembly.Instance(tileMapModule, { env: { memory } }).exports;
  return new WebAssembly.Instance(module, { env: { memory, ...Object.fromEntries(TILE_MAPS.map((name) => [name, maps[name]])) } });
}

function checkConfig(config: WasmGemmConfig): void {
  if (config.mr % 4 !== 0 || config.mr < 4 || config.nv < 1 || config.kc < 1) {
    throw new Error(`buildGemmModule: unsupported config ${JSON.stringify(config)}`);
  }
}
