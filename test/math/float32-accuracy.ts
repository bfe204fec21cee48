/**
 * Measures the float32 kernels' largest error, in units in the last place of the exact result,
 * over a dense sweep of float32 inputs (every STEP-th bit pattern, both signs, plus the edges in
 * float32-edges.ts) and writes test/math/fixtures/float32-accuracy.json, which docs/api.md
 * quotes and float32.test.ts checks against a sparser sweep.
 *
 *     npx tsx test/math/float32-accuracy.ts [step] [functions]   # default 17 (253 million inputs each), all four
 *
 * The exact value is the float64 result of the library's fdlibm ports (error ~1e-16, far below a
 * float32 ulp); the kernels run in wasm (mapFloat32), which float32.test.ts shows equal to the JS
 * functions bit for bit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mapFloat32 } from '../../packages/nnlab/src/kernels/vector.js';
import type { VectorFunction } from '../../packages/nnlab/src/kernels/vector.js';
import { EDGES, EXACT, ulpError } from './float32-edges.js';

const step = Number(process.argv[2] ?? 17);
const CHUNK = 1 << 20;

interface Measured {
  maxUlp: number;
  at: number;
  inputs: number;
}
const file = new URL('./fixtures/float32-accuracy.json', import.meta.url);
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results: Record<string, Measured> }).results : {};
const results: Record<string, Measured> = { ...previous };
const functions = (process.argv[3] ?? 'exp,log,tanh,sigmoid').split(',') as VectorFunction[];
for (const fn of functions) {
  const exact = EXACT[fn];
  const bits = new Uint32Array(CHUNK);
  const x = new Float32Array(bits.buffer);
  const out = new Float32Array(CHUNK);
  let worst = 0, worstAt = 0, inputs = 0;
  const measure = (n: number): void => {
    mapFloat32(fn, out, x, n);
    for (let i = 0; i < n; i++) {
      const error = ulpError(out[i], exact(x[i]));
      if (error > worst) [worst, worstAt] = [error, x[i]];
    }
    inputs += n;
  };
  let n = 0;
  for (let b = 0; b < 2 ** 32; b += step) {
    bits[n++] = b;
    if (n === CHUNK) n = (measure(n), 0);
  }
  x.set(EDGES.subarray(0, Math.min(EDGES.length, CHUNK - n)), n);
  measure(n + Math.min(EDGES.length, CHUNK - n));
  results[fn] = { maxUlp: Number(worst.toFixed(3)), at: worstAt, inputs };
  console.log(fn, results[fn]);
}
writeFileSync(file, `${JSON.stringify({ sweep: `every ${step}th float32 bit pattern and the edge cases`, results }, null, 2)}\n`);
