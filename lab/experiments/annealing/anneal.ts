/**
 * Simulated annealing on a model's parameter tensors: propose a random change, keep it with the
 * Metropolis probability min(1, exp(−Δ/T)), and cool T geometrically. It never looks at a
 * gradient, only at loss values: each proposal costs exactly one loss evaluation.
 */
import { math } from 'nnlab';
import type { Generator, Tensor } from 'nnlab';

export interface AnnealOptions {
  /** Proposals to make (one loss evaluation each; the starting point's evaluation comes on top). */
  steps: number;
  /** The temperature of the first proposal. */
  startTemperature: number;
  /** The temperature of the last proposal. */
  endTemperature: number;
  /** Standard deviation of the Gaussian change a proposal makes to a parameter. */
  scale: number;
  /** 'all': every parameter moves at once; 'one': a single parameter, chosen uniformly. */
  proposal: 'all' | 'one';
  /** The source of every random choice; forked into a proposal stream and an acceptance stream. */
  rng: Generator;
}

/** One proposal's outcome. */
export interface AnnealStep {
  /** 1 for the first proposal. */
  step: number;
  temperature: number;
  /** The loss at the proposed point. */
  proposed: number;
  /** Whether the proposal raised the loss (the only ones the temperature decides). */
  uphill: boolean;
  accepted: boolean;
}

/** T0 · (T_end / T0)^(k / (steps − 1)) for proposal k = 0 … steps − 1: the same ratio every step. */
export function geometricTemperature(start: number, end: number, k: number, steps: number): number {
  return steps <= 1 ? start : start * math.pow(end / start, k / (steps - 1));
}

/** Metropolis: downhill always, uphill by Δ with probability exp(−Δ/T). */
export function metropolisAccepts(delta: number, temperature: number, uniform: () => number): boolean {
  return delta <= 0 || uniform() < math.exp(-delta / temperature);
}

function check({ steps, startTemperature, endTemperature, scale }: AnnealOptions): void {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`Annealer: steps must be an integer ≥ 0, got ${steps}`);
  if (!(startTemperature > 0) || !(endTemperature > 0)) {
    throw new RangeError(`Annealer: temperatures must be > 0, got start ${startTemperature} and end ${endTemperature}`);
  }
  if (!(scale >= 0)) throw new RangeError(`Annealer: scale must be ≥ 0, got ${scale}`);
}

/**
 * new Annealer(parameters, loss, options) evaluates the starting point; each `step()` makes one
 * proposal. `loss()` must evaluate the parameters as they are at the call: the annealer writes
 * proposals into their data in place and writes the old values back when it rejects one.
 */
export class Annealer {
  /** Loss calls so far (the starting point's included). */
  evaluations = 0;
  /** Proposals made so far. */
  steps = 0;
  /** Proposals accepted so far. */
  accepted = 0;
  /** The loss at the current point. */
  current: number;
  /** The lowest loss evaluated so far. */
  best: number;

  private readonly datas: Tensor['data'][];
  private readonly sizes: number[];
  private readonly saved: Float64Array;
  private readonly bestPoint: Float64Array;
  private readonly proposals: Generator;
  private readonly acceptance: Generator;

  constructor(
    parameters: readonly Tensor[],
    private readonly loss: () => number,
    readonly options: AnnealOptions,
  ) {
    check(options);
    this.proposals = options.rng.fork('annealing proposals');
    this.acceptance = options.rng.fork('annealing acceptance');
    this.datas = parameters.map((p) => p.data);
    this.sizes = this.datas.map((d) => d.length);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.saved = new Float64Array(total);
    this.bestPoint = new Float64Array(total);
    this.current = this.best = this.evaluate();
    this.copyTo(this.bestPoint);
  }

  get done(): boolean {
    return this.steps >= this.options.steps;
  }

  /** One proposal: perturb, evaluate, accept or write the old values back. */
  step(): AnnealStep {
    if (this.done) throw new RangeError(`Annealer.step: all ${this.options.steps} proposals are made`);
    const { startTemperature, endTemperature, steps, scale } = this.options;
    const temperature = geometricTemperature(startTemperature, endTemperature, this.steps, steps);
    this.copyTo(this.saved);
    this.perturb(scale);
    const proposed = this.evaluate();
    const delta = proposed - this.current;
    // A NaN or infinite loss is never accepted.
    const accepted = Number.isFinite(proposed) && metropolisAccepts(delta, temperature, () => this.acceptance.uniform());
    if (accepted) {
      this.accepted++;
      this.current = proposed;
      if (proposed < this.best) {
        this.best = proposed;
        this.copyTo(this.bestPoint);
      }
    } else {
      this.copyFrom(this.saved);
    }
    this.steps++;
    return { step: this.steps, temperature, proposed, uphill: !(delta <= 0), accepted };
  }

  /** Runs `fn` with the best point loaded, then puts the current point back (no evaluation). */
  withBest<T>(fn: () => T): T {
    this.copyTo(this.saved);
    this.copyFrom(this.bestPoint);
    try {
      return fn();
    } finally {
      this.copyFrom(this.saved);
    }
  }

  /** Leaves the best point in the parameters: the annealer's answer. */
  loadBest(): void {
    this.copyFrom(this.bestPoint);
    this.current = this.best;
  }

  private evaluate(): number {
    this.evaluations++;
    return this.loss();
  }

  private perturb(scale: number): void {
    if (this.options.proposal === 'all') {
      for (const d of this.datas) for (let j = 0; j < d.length; j++) d[j] += this.proposals.normal(0, scale);
      return;
    }
    // One index over every parameter entry, then the tensor it falls in.
    let index = this.proposals.integer(0, this.saved.length);
    let which = 0;
    while (index >= this.sizes[which]) index -= this.sizes[which++];
    this.datas[which][index] += this.proposals.normal(0, scale);
  }

  private copyTo(to: Float64Array): void {
    let i = 0;
    for (const d of this.datas) for (let j = 0; j < d.length; j++) to[i++] = d[j];
  }

  private copyFrom(from: Float64Array): void {
    let i = 0;
    for (const d of this.datas) for (let j = 0; j < d.length; j++) d[j] = from[i++];
  }
}
