/**
 * The optimiser base: parameter groups, the learning-rate schedule, the L2 and L1 penalties,
 * and `zeroGrad`. Subclasses write one method: how a parameter moves given its gradient.
 * Updates happen in place on the parameters' storage, outside any graph.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Schedule } from './schedules.js';

export interface PenaltyOptions {
  /** Learning rate: a number or a schedule, a function of the step (0 on the first step). */
  lr?: number | Schedule;
  /** L2 penalty λ: adds λ·θ to each gradient (the gradient of ½λ‖θ‖²). Default 0. */
  weightDecay?: number;
  /** L1 penalty λ: adds λ·sign(θ) to each gradient (the gradient of λ‖θ‖₁). Default 0. */
  l1?: number;
}

/** Checks one numeric option: `check('momentum', value, 'in [0, 1)', (v) => v >= 0 && v < 1)`. */
export type OptionCheck = (label: string, value: unknown, rule: string, ok: (v: number) => boolean) => void;

/** A set of parameters with options of its own, e.g. weights with decay and biases without. */
export interface ParamGroup<Options> {
  params: readonly Tensor[];
  options?: Partial<Options>;
}

interface ResolvedGroup<Options> {
  params: Tensor[];
  options: Options;
}

export abstract class Optimizer<Options extends PenaltyOptions> {
  readonly groups: ResolvedGroup<Options>[];
  /** Steps taken so far. */
  stepCount = 0;
  /** Per-parameter state (momentum buffers, moment estimates), created on first use. */
  protected readonly state = new Map<Tensor, FloatArray[]>();

  protected constructor(
    readonly name: string,
    params: readonly Tensor[] | readonly ParamGroup<Options>[],
    defaults: Options,
  ) {
    const groups: ParamGroup<Options>[] = isTensorList(params) ? [{ params }] : [...(params as readonly ParamGroup<Options>[])];
    this.groups = groups.map((group, i) => {
      const options = { ...defaults, ...group.options } as Options;
      this.validate(options, groups.length > 1 ? `group ${i}` : '');
      group.params.forEach((p, k) => {
        if (!p.requiresGrad || p.node !== null) {
          throw new Error(`${name}: parameter ${k}${groups.length > 1 ? ` of group ${i}` : ''} is not a leaf tensor that requires gradients`);
        }
      });
      return { params: [...group.params], options };
    });
  }

  /** Checks the options; subclasses extend it for their own. */
  protected validate(options: Options, where: string): void {
    const at = where === '' ? '' : ` (${where})`;
    const check: OptionCheck = (label, value, rule, ok) => {
      if (value === undefined) return;
      if (typeof value !== 'number' || !ok(value)) throw new Error(`${this.name}: ${label} must be ${rule}, got ${String(value)}${at}`);
    };
    if (typeof options.lr !== 'function') check('lr', options.lr, 'a positive finite number or a schedule', (v) => v > 0 && Number.isFinite(v));
    check('weightDecay', options.weightDecay, 'a non-negative number', (v) => v >= 0);
    check('l1', options.l1, 'a non-negative number', (v) => v >= 0);
    this.validateOwn(options, check);
  }

  protected abstract validateOwn(options: Options, check: OptionCheck): void;

  /** The learning rate the next step uses, for a group (default the first). */
  learningRate(group = 0): number {
    const lr = this.groups[group].options.lr ?? 0.01;
    return typeof lr === 'function' ? lr(this.stepCount) : lr;
  }

  /** Clears every parameter's gradient (call before each backward pass). */
  zeroGrad(): void {
    for (const group of this.groups) for (const p of group.params) p.grad = null;
  }

  /** Moves every parameter that has a gradient one step. */
  step(): void {
    this.groups.forEach((group, index) => {
      const lr = this.learningRate(index);
      const { weightDecay = 0, l1 = 0 } = group.options;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const theta = p.data;
        let g = p.grad.data;
        if (weightDecay !== 0 || l1 !== 0) {
          g = g.slice();
          for (let i = 0; i < g.length; i++) g[i] += weightDecay * theta[i] + l1 * Math.sign(theta[i]);
        }
        this.update(theta, g, lr, group.options, this.stateOf(p));
      }
    });
    this.stepCount++;
  }

  private stateOf(p: Tensor): FloatArray[] {
    let s = this.state.get(p);
    if (s === undefined) {
      s = Array.from({ length: this.stateSlots }, () => (p.dtype === 'float64' ? new Float64Array(p.size) : new Float32Array(p.size)));
      this.state.set(p, s);
    }
    return s;
  }

  /** How many arrays of state each parameter needs (momentum: 1, Adam: 2). */
  protected abstract readonly stateSlots: number;

  /** θ ← θ − … given the (penalised) gradient g. */
  protected abstract update(theta: FloatArray, g: FloatArray, lr: number, options: Options, state: FloatArray[]): void;
}

function isTensorList(params: readonly unknown[]): params is readonly Tensor[] {
  return params.every((p) => typeof p === 'object' && p !== null && 'data' in p && 'shape' in p);
}
