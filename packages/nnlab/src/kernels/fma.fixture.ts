/**
 * Run by fast-paths.test.ts in a child `node --import tsx` (a fresh V8, whose flags nothing has
 * touched yet): computes products through `gemm` and prints one JSON object of verdicts about
 * the kernel it picked. NNLAB_WASM_FMA in the child's environment decides which one it wants.
 */
import { gemm, gemmThreadsReady, hasRelaxedSimd, setGemmThreads } from './index.js';
import { ACTIVATION, DEFAULT_WASM_GEMM_CONFIG } from './wasm/gemm-code.js';
import { createWasmGemmF32 } from './wasm/runtime.js';

function random(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1);
}

const flagBefore = hasRelaxedSimd();
const [m, k, n] = [65, 257, 72];
const a = random(m * k, 1);
const b = random(k * n, 2);
const viaGemm = new Float32Array(m * n);
gemm(viaGemm, a, b, m, k, n, { transB: true }); // builds the kernel: turns the flag on if FMA is wanted
const flagAfter = hasRelaxedSimd();

const mulAddKernel = createWasmGemmF32({ ...DEFAULT_WASM_GEMM_CONFIG, fma: false });
const viaMulAdd = new Float32Array(m * n);
mulAddKernel?.run(viaMulAdd, a, b, m, k, n, false, true, false, 0, 0, 0, null, ACTIVATION.none, null);
const fmaKernel = flagAfter ? createWasmGemmF32({ ...DEFAULT_WASM_GEMM_CONFIG, fma: true }) : null;
const viaFma = new Float32Array(m * n);
fmaKernel?.run(viaFma, a, b, m, k, n, false, true, false, 0, 0, 0, null, ACTIVATION.none, null);

const value = new Float64Array(m * n);
const magnitude = new Float64Array(m * n);
gemm(value, Float64Array.from(a), Float64Array.from(b), m, k, n, { transB: true });
gemm(magnitude, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n, { transB: true });
const bound = (k + 2) * 2 ** -24;
const same = (x: Float32Array, y: Float32Array): boolean => x.every((v, i) => Object.is(v, y[i]));

// Threads (which build their own instances of the same module) must not change the bits.
const [M, K, N] = [128, 784, 256];
const x = random(M * K, 3);
const w = random(K * N, 4);
const two = new Float32Array(M * N);
const one = new Float32Array(M * N);
setGemmThreads(2);
const ready = await gemmThreadsReady();
gemm(two, x, w, M, K, N, { bias: w.subarray(0, N), relu: true });
setGemmThreads(1);
gemm(one, x, w, M, K, N, { bias: w.subarray(0, N), relu: true });

process.stdout.write(JSON.stringify({
  flagBefore,
  flagAfter,
  kernel: fmaKernel !== null && same(viaGemm, viaFma) ? 'fma' : same(viaGemm, viaMulAdd) ? 'mul+add' : 'neither',
  withinBound: viaGemm.every((v, i) => Math.abs(v - value[i]) <= bound * magnitude[i]),
  fmaDiffersFromMulAdd: fmaKernel === null ? null : !same(viaFma, viaMulAdd),
  threadsIdentical: ready && same(one, two),
}));
process.exit(0);
