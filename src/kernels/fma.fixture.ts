/**
 * Run by fast-paths.test.ts in a child `node --experimental-wasm-relaxed-simd --import tsx`:
 * checks the relaxed-SIMD FMA kernel there and prints one JSON object of verdicts.
 */
import { gemm, gemmThreadsReady, hasRelaxedSimd, setGemmThreads } from './matmul.js';
import { createWasmGemmF32, DEFAULT_WASM_GEMM_CONFIG } from './wasm-simd.js';

function random(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1);
}

const [m, k, n] = [65, 257, 72];
const a = random(m * k, 1);
const b = random(k * n, 2);
const fmaKernel = createWasmGemmF32({ ...DEFAULT_WASM_GEMM_CONFIG, fma: true });
const mulAddKernel = createWasmGemmF32({ ...DEFAULT_WASM_GEMM_CONFIG, fma: false });
const viaFma = new Float32Array(m * n);
const viaMulAdd = new Float32Array(m * n);
fmaKernel?.run(viaFma, a, b, m, k, n, false, true, false, 0, 0, 0, null, false, null);
mulAddKernel?.run(viaMulAdd, a, b, m, k, n, false, true, false, 0, 0, 0, null, false, null);

const value = new Float64Array(m * n);
const magnitude = new Float64Array(m * n);
gemm(value, Float64Array.from(a), Float64Array.from(b), m, k, n, { transB: true });
gemm(magnitude, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n, { transB: true });
const bound = (k + 2) * 2 ** -24;
const withinBound = viaFma.every((x, i) => Math.abs(x - value[i]) <= bound * magnitude[i]);
const differsFromMulAdd = viaFma.some((x, i) => x !== viaMulAdd[i]);

// gemm itself picks the FMA kernel here; threads must not change its bits.
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
const threadsIdentical = ready && two.every((v, i) => Object.is(v, one[i]));
const fmaUsed = (() => {
  const check = new Float32Array(m * n);
  gemm(check, a, b, m, k, n, { transB: true });
  return check.every((v, i) => Object.is(v, viaFma[i]));
})();

process.stdout.write(JSON.stringify({ relaxedSimd: hasRelaxedSimd(), fma: fmaUsed, withinBound, differsFromMulAdd, threadsIdentical }));
process.exit(0);
