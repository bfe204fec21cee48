/**
 * A soak run (not part of npm test): many training steps of two small nets, captured
 * (captureStep, replayed) and eager, with the heap (after a full GC) and the process's RSS
 * sampled as they run, and a verdict per phase: flat, or growing, from a least-squares slope.
 *
 *     npm run soak             10⁶ captured and 10⁵ eager steps of each net (about a minute)
 *     npm run soak -- --quick  a hundredth of that: a smoke test, not a verdict worth quoting
 *
 * The nets: the chapter's XOR 2-2-1 sigmoid (MSE, SGD) and an MLP 2-16-16-2 ReLU (softmax cross
 * entropy, SGD) on a batch of 64 seeded points, both through the public API. Run with
 * --expose-gc (the npm script does): without it the heap is sampled mid-sawtooth.
 */
import { Generator, captureStep, nn, optim, tensor } from '../packages/nnlab/src/index.js';
import { eagerStep } from './workload.js';
import type { Runner } from './workload.js';

const SAMPLES = 20;
/** Samples before this fraction of a phase are warm-up (JIT, pools filling) and left out of the fit. */
const WARM_UP = 0.25;
/**
 * Growing means the fitted slope, carried over the whole phase, adds more than this. A leak of
 * one small tensor per step (a few hundred bytes) adds ≥ 30 MB over 10⁵ steps: far above both.
 */
const FLAT_HEAP_BYTES = 1 << 20;
const FLAT_RSS_BYTES = 16 << 20;

interface Net {
  name: string;
  eager(): Runner;
  captured(): Runner;
}

function xorNet(): Net {
  const setup = () => {
    const rng = new Generator(0);
    const model = new nn.Sequential({
      hidden: new nn.Dense(2, 2, { activation: 'sigmoid', rng }),
      output: new nn.Dense(2, 1, { activation: 'sigmoid', rng }),
    });
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]], 'float32');
    const t = tensor([[0], [1], [1], [0]], 'float32');
    return { model, opt: new optim.SGD(model.parameters(), { lr: 5 }), x, t };
  };
  return {
    name: 'XOR 2-2-1 sigmoid',
    eager() {
      const { model, opt, x, t } = setup();
      return eagerStep(opt, () => nn.mseLoss(model.forward(x), t));
    },
    captured() {
      const { model, opt, x, t } = setup();
      const step = captureStep({ loss: (inputs) => nn.mseLoss(model.forward(inputs.x), inputs.t), optimizer: opt, inputs: { x, t }, model });
      return { step: () => step.run() };
    },
  };
}

function mlpNet(): Net {
  const BATCH = 64;
  const setup = () => {
    const rng = new Generator(1);
    const model = new nn.Sequential({
      fc1: new nn.Dense(2, 16, { activation: 'relu', rng }),
      fc2: new nn.Dense(16, 16, { activation: 'relu', rng }),
      out: new nn.Dense(16, 2, { rng }),
    });
    const points = Array.from({ length: BATCH }, () => [rng.uniform() * 2 - 1, rng.uniform() * 2 - 1]);
    // Inside or outside the circle of radius 0.7: a boundary the MLP can learn.
    const labels = points.map(([a, b]) => (a * a + b * b < 0.49 ? 1 : 0));
    return { model, opt: new optim.SGD(model.parameters(), { lr: 0.1 }), x: tensor(points, 'float32'), labels };
  };
  return {
    name: 'MLP 2-16-16-2 ReLU, batch 64',
    eager() {
      const { model, opt, x, labels } = setup();
      return eagerStep(opt, () => nn.crossEntropyLoss(model.forward(x), labels));
    },
    captured() {
      const { model, opt, x, labels } = setup();
      const step = captureStep({
        loss: (inputs) => nn.crossEntropyLoss(model.forward(inputs.x), inputs.t),
        optimizer: opt,
        inputs: { x, t: tensor(labels, 'float32') },
        model,
      });
      return { step: () => step.run() };
    },
  };
}

interface Sample {
  step: number;
  heapUsed: number;
  rss: number;
}

/** The least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

const gc = (globalThis as { gc?: () => void }).gc;

function sample(step: number): Sample {
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { step, heapUsed, rss };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;

interface Verdict {
  phase: string;
  steps: number;
  heapGrowth: number;
  rssGrowth: number;
  flat: boolean;
}

function soak(phase: string, runner: Runner, steps: number): Verdict {
  const every = Math.max(1, Math.floor(steps / SAMPLES));
  const samples: Sample[] = [];
  const started = performance.now();
  let loss = runner.step();
  samples.push(sample(1));
  process.stdout.write(`\n${phase}: ${steps} steps, sampled every ${every}\n`);
  process.stdout.write(`  ${'step'.padStart(9)}  ${'loss'.padStart(10)}  ${'heap used'.padStart(10)}  ${'rss'.padStart(10)}  ${'seconds'.padStart(8)}\n`);
  for (let done = 1; done < steps; ) {
    const until = Math.min(steps, done + every);
    for (; done < until; done++) loss = runner.step();
    const s = sample(done);
    samples.push(s);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`  ${String(done).padStart(9)}  ${loss.toPrecision(6).padStart(10)}  ${mb(s.heapUsed).padStart(10)}  ${mb(s.rss).padStart(10)}  ${seconds.padStart(8)}\n`);
  }
  const fitted = samples.filter((s) => s.step >= WARM_UP * steps);
  const heapGrowth = slope(fitted.map((s) => ({ x: s.step, y: s.heapUsed }))) * steps;
  const rssGrowth = slope(fitted.map((s) => ({ x: s.step, y: s.rss }))) * steps;
  const flat = heapGrowth < FLAT_HEAP_BYTES && rssGrowth < FLAT_RSS_BYTES;
  process.stdout.write(
    `  fitted over the last ${fitted.length} samples: heap ${heapGrowth >= 0 ? '+' : ''}${mb(heapGrowth)}, rss ${rssGrowth >= 0 ? '+' : ''}${mb(rssGrowth)} over ${steps} steps → ${flat ? 'flat' : 'GROWING'}\n`,
  );
  return { phase, steps, heapGrowth, rssGrowth, flat };
}

const quick = process.argv.includes('--quick');
const CAPTURED_STEPS = quick ? 10_000 : 1_000_000;
const EAGER_STEPS = quick ? 1_000 : 100_000;

if (gc === undefined) process.stdout.write('soak: no --expose-gc: heap samples include garbage not yet collected\n');
process.stdout.write(`soak: flat = fitted growth over the phase below ${mb(FLAT_HEAP_BYTES)} heap and ${mb(FLAT_RSS_BYTES)} rss${quick ? ' (--quick: 1/100 of the steps)' : ''}\n`);
const verdicts: Verdict[] = [];
for (const net of [xorNet(), mlpNet()]) {
  verdicts.push(soak(`${net.name}, captured`, net.captured(), CAPTURED_STEPS));
  verdicts.push(soak(`${net.name}, eager`, net.eager(), EAGER_STEPS));
}
process.stdout.write('\nsoak verdict:\n');
for (const v of verdicts) process.stdout.write(`  ${v.flat ? 'flat   ' : 'GROWING'}  ${v.phase} (${v.steps} steps): heap ${mb(v.heapGrowth)}, rss ${mb(v.rssGrowth)}\n`);
const growing = verdicts.filter((v) => !v.flat).length;
process.stdout.write(growing === 0 ? 'soak: every phase flat\n' : `soak: ${growing} phase${growing === 1 ? '' : 's'} growing\n`);
process.exitCode = growing === 0 ? 0 : 1;
