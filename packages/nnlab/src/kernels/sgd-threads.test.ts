/**
 * SGD's update split over the kernel's threads (an sgd task, wasm/task.ts): the ranges a split
 * makes, and the bits of the update on 2 and 3 threads against one, for plain, momentum and
 * Nesterov steps, on staged and resident arrays.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { gemmThreads, gemmThreadsReady, setGemmThreads } from './index.js';
import { THREAD_MIN_UPDATE } from './elementwise.js';
import { DEFAULT_WASM_GEMM_CONFIG } from './wasm/gemm-code.js';
import type { WasmGemmF32 } from './wasm/runtime.js';
import { KIND, partsOf, SGD_PART_FLOATS, SGD_TASK, sliceTask, TASK, TASK_LENGTH } from './wasm/task.js';
import { canUseGemmThreads } from './threads/hosts.js';
import type { GemmThreads } from './threads/pool.js';
import { threadPools } from './thread-pools.fixture.js';
import { firstBitDifference, seededFloats } from './seeded.fixture.js';
import { SGD } from '../optim/sgd.js';
import { tensor } from '../tensor/create.js';

/** Seeded values spread over many magnitudes, so the double products' rounding matters. */
function spread(length: number, seed: number): Float32Array {
  return seededFloats(length, seed, 1).map((v, i) => v * 10 ** ((i % 23) - 11));
}

function sgdTask(length: number): Int32Array {
  const task = new Int32Array(TASK_LENGTH);
  task[TASK.kind] = KIND.sgd;
  task[SGD_TASK.theta] = 1024;
  task[SGD_TASK.g] = 1024 + 4 * length;
  task[SGD_TASK.acc] = 1024 + 8 * length;
  task[SGD_TASK.length] = length;
  task[SGD_TASK.mode] = 1;
  return task;
}

describe('an sgd task split into parts', () => {
  for (const length of [4, 16, 2 * SGD_PART_FLOATS, 2 * SGD_PART_FLOATS + 4, 200_704, 5 * SGD_PART_FLOATS + 20]) {
    it(`covers ${length} floats once, in order, in parts starting on 16-float lines, at least SGD_PART_FLOATS each when split`, () => {
      const task = sgdTask(length);
      for (const wanted of [1, 2, 3, 16, 64]) {
        const parts = partsOf(task, wanted);
        expect(parts).toBe(Math.max(1, Math.min(wanted, Math.floor(length / SGD_PART_FLOATS))));
        const part = new Int32Array(TASK_LENGTH);
        let next = 0;
        for (let i = 0; i < parts; i++) {
          sliceTask(task, i, parts, DEFAULT_WASM_GEMM_CONFIG, part);
          const start = (part[SGD_TASK.theta] - task[SGD_TASK.theta]) / 4;
          expect(start).toBe(next);
          expect(start % 16).toBe(0);
          expect(part[SGD_TASK.g] - task[SGD_TASK.g]).toBe(start * 4);
          expect(part[SGD_TASK.acc] - task[SGD_TASK.acc]).toBe(start * 4);
          expect([part[TASK.kind], part[SGD_TASK.mode]]).toEqual([KIND.sgd, 1]);
          if (parts > 1) expect(part[SGD_TASK.length]).toBeGreaterThanOrEqual(SGD_PART_FLOATS);
          next = start + part[SGD_TASK.length];
        }
        expect(next).toBe(length);
      }
    });
  }
});

describe.runIf(canUseGemmThreads())('SGD on worker threads', () => {
  const pools = threadPools();
  afterAll(() => pools.close());
  const threadsAtStart = gemmThreads();
  afterEach(() => setGemmThreads(Math.max(1, threadsAtStart)));

  /** θ (and acc) after three steps on `threads` threads (1: no runner), staged or resident. */
  function descend(k: WasmGemmF32, pool: GemmThreads | null, length: number, mode: 0 | 1 | 2, resident: boolean): Float32Array[] {
    const place = (values: Float32Array): Float32Array => {
      if (!resident) return values.slice();
      const home = k.allocate(values.length);
      if (home === null) throw new Error('no resident block');
      home.set(values);
      return home;
    };
    const theta = place(spread(length, 1));
    const acc = mode === 0 ? null : place(spread(length, 2));
    for (let step = 0; step < 3; step++) {
      expect(k.sgd(theta, spread(length, 10 + step), acc, 0.037 * (step + 1), 0.9, mode === 2, pool)).toBe(true);
    }
    return acc === null ? [theta] : [theta, acc];
  }

  for (const threads of [2, 3]) {
    it(`with ${threads} threads gives one thread's bits for θ and the accumulator: plain, momentum and Nesterov, staged and resident, sizes that split into 2 to 16 parts or leave a tail`, async () => {
      const pool = await pools.started(threads);
      const k = pools.kernel;
      for (const length of [2 * SGD_PART_FLOATS, 2 * SGD_PART_FLOATS + 4, 200_707]) {
        for (const mode of [0, 1, 2] as const) {
          for (const resident of [false, true]) {
            const one = descend(k, null, length, mode, resident);
            const many = descend(k, pool, length, mode, resident);
            many.forEach((values, i) => expect(firstBitDifference(values, one[i]), JSON.stringify({ length, mode, resident, i })).toBe(-1));
          }
        }
      }
    });
  }

  it('the SGD optimiser splits parameters from THREAD_MIN_UPDATE values across the default pool, bit-identically to setGemmThreads(1)', async () => {
    const run = (): Float32Array => {
      const p = tensor(spread(THREAD_MIN_UPDATE + 12, 3), 'float32', [THREAD_MIN_UPDATE + 12]);
      p.requiresGrad = true;
      const opt = new SGD([p], { lr: 0.1, momentum: 0.5 });
      for (let step = 0; step < 3; step++) {
        p.grad = tensor(spread(p.size, 20 + step), 'float32', [p.size]);
        opt.step();
      }
      return p.data as Float32Array;
    };
    setGemmThreads(2);
    expect(await gemmThreadsReady()).toBe(true);
    const two = run();
    setGemmThreads(1);
    expect(firstBitDifference(two, run())).toBe(-1);
  });
});

it('docs/api.md states the size from which SGD splits over threads', () => {
  const api = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
  expect(api).toContain(`SGD's update of a float32 parameter of at least ${THREAD_MIN_UPDATE.toLocaleString('en')} values splits over the same threads`);
});
