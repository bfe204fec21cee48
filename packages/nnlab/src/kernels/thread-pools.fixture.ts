/**
 * For the kernels' thread tests: pools of worker threads over one shared-memory kernel, each
 * started before it is returned, all closed together when the test file is done.
 */
import { DEFAULT_WASM_GEMM_CONFIG } from './wasm/gemm-code.js';
import { createWasmGemmF32 } from './wasm/runtime.js';
import type { WasmGemmF32 } from './wasm/runtime.js';
import { GemmThreads } from './threads/pool.js';

export interface Pools {
  /** The shared-memory kernel the pools run (made by the first `started`). */
  readonly kernel: WasmGemmF32;
  /** A pool of `threads` threads (the caller included) whose workers have all started. */
  started(threads: number): Promise<GemmThreads>;
  close(): Promise<void>;
}

export function threadPools(): Pools {
  let kernel: WasmGemmF32 | null = null;
  const pools: GemmThreads[] = [];
  return {
    get kernel() {
      if (kernel === null) throw new Error('threadPools: no pool started yet');
      return kernel;
    },
    async started(threads) {
      kernel ??= createWasmGemmF32(DEFAULT_WASM_GEMM_CONFIG, { shared: true });
      if (kernel === null) throw new Error('threadPools: no shared-memory wasm kernel');
      const pool = new GemmThreads(kernel, threads);
      pools.push(pool);
      const ready = await pool.started();
      if (ready !== threads) throw new Error(`threadPools: ${ready} of ${threads} threads started`);
      return pool;
    },
    async close() {
      await Promise.all(pools.map((p) => p.close()));
    },
  };
}
