/**
 * Workload (b), nnlab's side, in a page: the 784-256-128-10 ReLU MLP training step on the bench's
 * weights and batch (rebuilt from the same seeds as the Python rows), timed on the default
 * thread count and then on one. The first step's loss must be Node's (2.470310).
 */
import { Generator, gemmThreads, nn, setGemmThreads } from '../../packages/nnlab/src/index.js';
import { gemmThreadsReady, hasRelaxedSimd } from '../../packages/nnlab/src/kernels/index.js';
import { crossEntropyStep } from '../workload.js';
import { PYTHON_TASKS } from '../workloads/python-tasks.js';

export interface BrowserRow {
  threads: number;
  firstLoss: number;
  /** Milliseconds per step: 10th percentile, median, 90th percentile. */
  p10: number;
  median: number;
  p90: number;
  steps: number;
}

export interface BrowserResult {
  isolated: boolean;
  relaxedSimd: boolean;
  userAgent: string;
  rows: BrowserRow[];
}

declare global {
  interface Window {
    __bench?: Promise<BrowserResult>;
  }
}

const WARMUP_MS = 1500;
const MEASURE_MS = 4000;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(threads: number): Promise<BrowserRow> {
  setGemmThreads(threads);
  await gemmThreadsReady();
  const { layers, x, target, lr } = PYTHON_TASKS.b();
  if (target === undefined || lr === undefined) throw new Error('bench (b): its task has no labels or learning rate');
  const rng = new Generator(1); // the weights are then set to the bench's
  const model = new nn.Sequential({
    fc1: new nn.Dense(784, 256, { activation: 'relu', rng }),
    fc2: new nn.Dense(256, 128, { activation: 'relu', rng }),
    out: new nn.Dense(128, 10, { rng }),
  });
  const runner = crossEntropyStep(model, ['fc1', 'fc2', 'out'], layers, lr, x, Array.from(target));
  const firstLoss = runner.step() as number;
  for (const until = performance.now() + WARMUP_MS; performance.now() < until;) runner.step();
  const times: number[] = [];
  for (const until = performance.now() + MEASURE_MS; performance.now() < until || times.length < 30;) {
    const start = performance.now();
    runner.step();
    times.push(performance.now() - start);
    // Let the page breathe between steps (a busy main thread stalls the harness's messages).
    if (times.length % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  times.sort((a, b) => a - b);
  return { threads: gemmThreads(), firstLoss, p10: quantile(times, 0.1), median: quantile(times, 0.5), p90: quantile(times, 0.9), steps: times.length };
}

window.__bench = (async () => {
  const defaultThreads = gemmThreads();
  const rows = [await measure(defaultThreads)];
  if (defaultThreads > 1) rows.push(await measure(1));
  return { isolated: crossOriginIsolated, relaxedSimd: hasRelaxedSimd(), userAgent: navigator.userAgent, rows };
})();
