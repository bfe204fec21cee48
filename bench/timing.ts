/**
 * Timing: warm up, then time batches of iterations and report per-iteration percentiles.
 *
 * A sample is the time of `itersPerSample` back-to-back calls divided by that count. The count
 * is chosen after warm-up so that one sample lasts about `sampleMs`: a 100 ns step is timed
 * 50,000 at a time (timer resolution and loop overhead vanish), a 20 ms step once. Samples are
 * collected until both `minTimeMs` have passed and `minSamples` were taken; the median is the
 * headline, p10/p90 show the spread (GC pauses land in the upper tail). Each sample is timed
 * on two clocks: wall time, and the process's CPU time.
 */
import { performance } from 'node:perf_hooks';

export interface TimingOptions {
  /**
   * Minimum warm-up (JIT tiers, tfjs kernel caches, wasm memory growth). Warm-up then goes on,
   * in windows of `warmupWindowMs`, until the mean step time of a window is within 10% of the
   * previous window's, or `maxWarmupMs` has passed: a large library like tfjs keeps getting
   * faster for a second or more in a fresh process.
   */
  warmupMs: number;
  warmupWindowMs: number;
  maxWarmupMs: number;
  /** Target duration of one sample. */
  sampleMs: number;
  /** Keep sampling at least this long... */
  minTimeMs: number;
  /** ...and at least this many samples. */
  minSamples: number;
}

export const FULL_TIMING: TimingOptions = {
  warmupMs: 300,
  warmupWindowMs: 150,
  maxWarmupMs: 3000,
  sampleMs: 5,
  minTimeMs: 1000,
  minSamples: 30,
};
export const QUICK_TIMING: TimingOptions = {
  warmupMs: 50,
  warmupWindowMs: 25,
  maxWarmupMs: 200,
  sampleMs: 2,
  minTimeMs: 60,
  minSamples: 5,
};

/** Per-iteration times, in milliseconds. */
export interface Timing {
  /** Wall-clock time. */
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  /** Total sampling time over total steps: unlike the median, it always carries the GC pauses. */
  meanMs: number;
  /**
   * Process CPU time (user + system, all threads: V8's concurrent GC threads count too).
   * Steadier than wall time on a busy machine, where wall time includes waiting for a core.
   */
  cpuMedianMs: number;
  cpuP10Ms: number;
  cpuP90Ms: number;
  samples: number;
  itersPerSample: number;
  /** How long warm-up took. */
  warmupMs: number;
}

/** Times `step`, one iteration of a workload. */
export function measure(step: () => unknown, options: TimingOptions): Timing {
  const warmupMs = warmUp(step, options);
  const samples = new Samples(calibrate(step, options));
  const start = performance.now();
  while (samples.count < options.minSamples || performance.now() - start < options.minTimeMs) samples.take(step);
  return samples.timing(warmupMs);
}

/**
 * Times several steps taking turns, a sample of each per round, so that every one sees the
 * machine in the same states: here the speed of a process drifts by ±30 % over fractions of a
 * second, which makes the ratio of two steps timed one after the other a matter of luck. Each
 * gets as many samples and as much time as `measure` would give it alone. A step that throws
 * is left out of later rounds and reported with its error.
 */
export function measureInterleaved<K extends string>(steps: Readonly<Record<K, () => unknown>>, options: TimingOptions): Record<K, Timing | { error: string }> {
  const results = {} as Record<K, Timing | { error: string }>;
  const running: { key: K; step: () => unknown; warmupMs: number; samples: Samples }[] = [];
  for (const key of Object.keys(steps) as K[]) {
    const step = steps[key];
    try {
      const warmupMs = warmUp(step, options);
      running.push({ key, step, warmupMs, samples: new Samples(calibrate(step, options)) });
    } catch (error) {
      results[key] = { error: messageOf(error) };
    }
  }
  const start = performance.now();
  const enough = (): boolean => running.every((r) => r.samples.count >= options.minSamples) && performance.now() - start >= options.minTimeMs * running.length;
  while (running.length > 0 && !enough()) {
    for (let i = 0; i < running.length; i++) {
      try {
        running[i].samples.take(running[i].step);
      } catch (error) {
        results[running[i].key] = { error: messageOf(error) };
        running.splice(i--, 1);
      }
    }
  }
  for (const r of running) results[r.key] = r.samples.timing(r.warmupMs);
  return results;
}

/** A timing, or the error that stopped it. */
export interface Timed {
  timing?: Timing;
  error?: string;
}

/**
 * Makes each step and calls it once (the value the caller compares across variants), then
 * times those that got that far taking turns (measureInterleaved). One that cannot be made, or
 * throws, is reported with its error.
 */
export function timeTogether<K extends string>(makers: Readonly<Record<K, () => () => unknown>>, options: TimingOptions): Record<K, Timed & { firstValue?: unknown }> {
  const results = {} as Record<K, Timed & { firstValue?: unknown }>;
  const steps = {} as Record<K, () => unknown>;
  for (const key of Object.keys(makers) as K[]) {
    try {
      const step = makers[key]();
      results[key] = { firstValue: step() };
      steps[key] = step;
    } catch (error) {
      results[key] = { error: messageOf(error) };
    }
  }
  for (const [key, t] of Object.entries(measureInterleaved(steps, options)) as [K, Timing | { error: string }][]) {
    results[key] = 'error' in t ? { error: t.error } : { ...results[key], timing: t };
  }
  return results;
}

/** An error's message, for a report line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Warms `step` up (see TimingOptions.warmupMs); returns how long that took. */
function warmUp(step: () => unknown, options: TimingOptions): number {
  const warmStart = performance.now();
  let previousMean = Infinity;
  for (;;) {
    const windowStart = performance.now();
    let calls = 0;
    do {
      step();
      calls++;
    } while (performance.now() - windowStart < options.warmupWindowMs);
    const mean = (performance.now() - windowStart) / calls;
    const warmed = performance.now() - warmStart;
    const steady = Math.abs(mean - previousMean) <= 0.1 * previousMean;
    if ((warmed >= options.warmupMs && steady) || warmed >= options.maxWarmupMs) break;
    previousMean = mean;
  }
  return performance.now() - warmStart;
}

/**
 * Calibrates on the warm code: doubles a batch until it lasts half a sample, then scales to a
 * whole one. Three tries, keeping the fastest, so one GC pause cannot shrink every batch.
 */
function calibrate(step: () => unknown, options: TimingOptions): number {
  let itersPerSample = 1;
  for (let attempt = 0; attempt < 3; attempt++) {
    for (let n = 1; ; n *= 2) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) step();
      const elapsed = performance.now() - t0;
      if (elapsed >= options.sampleMs / 2 || n >= 1 << 20) {
        // (A batch faster than the clock's resolution measures 0: keep n rather than divide by it.)
        itersPerSample = Math.max(itersPerSample, elapsed > 0 ? Math.round((n * options.sampleMs) / elapsed) : n);
        break;
      }
    }
  }
  return itersPerSample;
}

/** A step's samples on both clocks, per iteration. */
class Samples {
  private readonly wall: number[] = [];
  private readonly cpu: number[] = [];
  private total = 0;

  constructor(readonly itersPerSample: number) {}

  get count(): number {
    return this.wall.length;
  }

  take(step: () => unknown): void {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < this.itersPerSample; i++) step();
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    this.total += t1 - t0;
    this.wall.push((t1 - t0) / this.itersPerSample);
    this.cpu.push((c1.user + c1.system) / 1000 / this.itersPerSample);
  }

  timing(warmupMs: number): Timing {
    const wall = [...this.wall].sort((a, b) => a - b);
    const cpu = [...this.cpu].sort((a, b) => a - b);
    return {
      medianMs: percentile(wall, 0.5),
      p10Ms: percentile(wall, 0.1),
      p90Ms: percentile(wall, 0.9),
      meanMs: this.total / (wall.length * this.itersPerSample),
      cpuMedianMs: percentile(cpu, 0.5),
      cpuP10Ms: percentile(cpu, 0.1),
      cpuP90Ms: percentile(cpu, 0.9),
      samples: wall.length,
      itersPerSample: this.itersPerSample,
      warmupMs,
    };
  }
}

/** Linear interpolation between closest ranks of an ascending array. */
export function percentile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** 0.000123 ms → "123 ns", 1.5 → "1.50 ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1e-3) return `${(ms * 1e6).toPrecision(3)} ns`;
  if (ms < 1) return `${(ms * 1e3).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}
