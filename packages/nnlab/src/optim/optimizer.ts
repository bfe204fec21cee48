/**
 * The optimiser base: parameter groups, the learning-rate schedule, the L2 and L1 penalties,
 * option changes (`setOptions`) and `zeroGrad`. Subclasses write one method: how a parameter
 * moves given its gradient. Updates happen in place on the parameters' storage, outside any graph.
 * docs/api.md ("Optimiser semantics") gives every update's formula and how it compares with
 * PyTorch and Keras; test/differential/optim.test.ts checks each against PyTorch.
 */
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../tensor/arguments.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Schedule } from './schedules.js';
import { residentBuffer } from '../kernels/index.js';
import { keepResident } from './resident.js';

/** The options every optimiser takes: the learning rate and the L2 and L1 penalties. */
export interface PenaltyOptions {
  /** Learning rate: a number or a schedule, a function of the step (0 on the first step). */
  lr?: number | Schedule;
  /**
   * L2 penalty λ: adds λ·θ to each gradient (the gradient of ½λ‖θ‖²), as PyTorch's
   * `weight_decay`. Default 0. AdamW instead decays θ directly (decoupled): see AdamW.
   */
  weightDecay?: number;
  /** L1 penalty λ: adds λ·sign(θ) to each gradient (the gradient of λ‖θ‖₁). Default 0. */
  l1?: number;
}

/** Checks one numeric option: `check('momentum', value, 'in [0, 1)', (v) => v >= 0 && v < 1)`. */
export type OptionCheck = (label: string, value: unknown, rule: string, ok: (v: number) => boolean) => void;

/** A set of parameters with options of its own, e.g. weights with decay and biases without. */
export interface ParamGroup<Options> {
  /** The group's parameters: leaf tensors that require gradients. */
  params: readonly Tensor[];
  /** Options for this group, over the optimiser's own. */
  options?: Partial<Options>;
}

interface ResolvedGroup<Options> {
  params: Tensor[];
  options: Options;
}

/** What `update` knows about the parameter it moves, beyond its values and gradient. */
export interface UpdateContext {
  /** The learning rate of this step, for the parameter's group. */
  lr: number;
  /**
   * How many updates this parameter has had, this one included (1 on its first): a parameter
   * skipped because it had no gradient does not count. Adam's bias correction uses it.
   */
  updates: number;
}

/**
 * The base of every optimiser: parameter groups, the learning-rate schedule, the L2 and L1
 * penalties, `setOptions` and `zeroGrad`. A subclass writes `update`, how one parameter moves
 * given its gradient, and `validateOwn`, the checks of its own options.
 */
export abstract class Optimizer<Options extends PenaltyOptions> {
  /** The parameter groups, each with its options resolved (the optimiser's, then the group's). */
  readonly groups: ResolvedGroup<Options>[];
  /** Steps taken so far (the schedules' step: 0 during the first). */
  stepCount = 0;
  /** Per-parameter state (momentum buffers, moment estimates), created on first use. */
  protected readonly state = new Map<Tensor, FloatArray[]>();
  /** Per parameter, how many updates it has had. */
  private readonly updates = new Map<Tensor, number>();
  /**
   * Whether `weightDecay` shrinks θ directly (θ ← θ − lr·λ·θ, decoupled, as AdamW) instead
   * of adding λ·θ to the gradient (coupled, the default).
   */
  protected readonly decoupledWeightDecay: boolean = false;

  protected constructor(
    /** The optimiser's name in error messages, e.g. 'Adam'. */
    readonly name: string,
    params: readonly Tensor[] | readonly ParamGroup<Options>[],
    defaults: Options,
  ) {
    if (!Array.isArray(params)) {
      throw new Error(`${name}: params must be an array of parameter tensors or of groups { params, options }, got ${describeValue(params)}`);
    }
    const groups: ParamGroup<Options>[] = isTensorList(params) ? [{ params }] : [...(params as readonly ParamGroup<Options>[])];
    // A parameter listed twice would be stepped twice per step(): refused, across groups too.
    const seen = new Map<Tensor, string>();
    this.groups = groups.map((group, i) => {
      const inGroup = groups.length > 1 ? ` of group ${i}` : '';
      if (typeof group !== 'object' || group === null || !Array.isArray(group.params)) {
        throw new Error(`${name}: params must be an array of parameter tensors or of groups { params, options }; entry ${i} is ${describeValue(group)}`);
      }
      if (group.options !== undefined && (typeof group.options !== 'object' || group.options === null)) {
        throw new Error(`${name}: the options of group ${i} must be an object, got ${describeValue(group.options)}`);
      }
      const options = { ...defaults, ...group.options } as Options;
      this.validate(options, groups.length > 1 ? `group ${i}` : '');
      group.params.forEach((p, k) => {
        if (!(p instanceof Tensor) || !p.requiresGrad || p.node !== null) {
          throw new Error(`${name}: parameter ${k}${inGroup} is not a leaf tensor that requires gradients, got ${describeValue(p)}`);
        }
        const first = seen.get(p);
        if (first !== undefined) throw new Error(`${name}: parameter ${k}${inGroup} is listed twice (also as ${first}); each parameter may appear once`);
        seen.set(p, `parameter ${k}${inGroup}`);
      });
      return { params: [...group.params], options };
    });
    // float32 parameters move into the wasm kernels' memory, where products read them and the
    // update writes them in place (see resident.ts).
    keepResident(this.groups.flatMap((group) => group.params));
  }

  /** Checks the options; subclasses extend it for their own. */
  protected validate(options: Options, where: string): void {
    const at = where === '' ? '' : ` (${where})`;
    const check: OptionCheck = (label, value, rule, ok) => {
      if (value === undefined) return;
      if (typeof value !== 'number' || !ok(value)) throw new Error(`${this.name}: ${label} must be ${rule}, got ${describeValue(value)}${at}`);
    };
    if (typeof options.lr !== 'function') check('lr', options.lr, 'a positive finite number or a schedule', (v) => v > 0 && Number.isFinite(v));
    check('weightDecay', options.weightDecay, 'a non-negative number', (v) => v >= 0);
    check('l1', options.l1, 'a non-negative number', (v) => v >= 0);
    this.validateOwn(options, check);
  }

  /** Checks the subclass's own options with `check`, which throws naming the option and its rule. */
  protected abstract validateOwn(options: Options, check: OptionCheck): void;

  /** The names of every option this optimiser reads (setOptions rejects any other). */
  protected abstract readonly optionNames: readonly string[];

  /**
   * Changes options from the next step on, checked as the constructor checks them: for group
   * `group`, or for every group when it is omitted. Unknown names and invalid values throw
   * before anything changes; keys whose value is undefined are left as they are. State
   * (momentum, moment estimates) is kept.
   *
   *     optimizer.setOptions({ lr: 0.01, momentum: 0.9 });     // every group
   *     optimizer.setOptions({ weightDecay: 0 }, 1);           // the second group only
   */
  setOptions(options: Partial<Options>, group?: number): void {
    const where = `${this.name}.setOptions`;
    if (typeof options !== 'object' || options === null) throw new Error(`${where}: options must be an object, got ${describeValue(options)}`);
    if (group !== undefined && !(typeof group === 'number' && Number.isInteger(group) && group >= 0 && group < this.groups.length)) {
      throw new Error(`${where}: group must be an integer in [0, ${this.groups.length - 1}], got ${describeValue(group)}`);
    }
    const known = ['lr', 'weightDecay', 'l1', ...this.optionNames];
    const unknown = Object.keys(options).filter((key) => !known.includes(key));
    if (unknown.length > 0) throw new Error(`${where}: unknown option ${unknown.map((k) => `'${k}'`).join(', ')} (${this.name} has ${known.join(', ')})`);
    const changes = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<Options>;
    const indices = group === undefined ? this.groups.map((_, i) => i) : [group];
    const merged = indices.map((i) => ({ ...this.groups[i].options, ...changes }));
    merged.forEach((next, k) => this.validate(next, this.groups.length > 1 ? `group ${indices[k]}` : ''));
    // In place: whoever holds a group's options object sees the change.
    for (const i of indices) Object.assign(this.groups[i].options, changes);
  }

  /** The learning rate the next step uses, for a group (default the first). */
  learningRate(group = 0): number {
    const lr = this.groups[group].options.lr ?? 0.01;
    if (typeof lr !== 'function') return lr;
    const value = lr(this.stepCount);
    // A NaN rate would silently turn every parameter into NaN; a negative one climbs the loss.
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${this.name}: the learning-rate schedule must return a finite number ≥ 0, got ${describeValue(value)} at step ${this.stepCount}`);
    }
    return value;
  }

  /** Clears every parameter's gradient (call before each backward pass). */
  zeroGrad(): void {
    for (const group of this.groups) for (const p of group.params) p.grad = null;
  }

  /**
   * Moves every parameter that has a gradient one step (a parameter without one is left alone,
   * state and all). A gradient whose shape is not its parameter's, or a schedule's rate that is
   * not a finite number ≥ 0, throws before any parameter moves.
   */
  step(): void {
    // Checked for every group before any parameter moves. Usually one group: one rate.
    const groups = this.groups;
    const firstRate = this.learningRate(0);
    const rates = groups.length === 1 ? null : groups.map((_, index) => (index === 0 ? firstRate : this.learningRate(index)));
    for (const group of groups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g !== null && g.shape !== p.shape && !sameShape(g.shape, p.shape)) {
          throw new Error(`${this.name}: the gradient of a parameter of shape ${formatShape(p.shape)} has shape ${formatShape(g.shape)}; nothing was updated`);
        }
      }
    }
    groups.forEach((group, index) => {
      const lr = rates === null ? firstRate : rates[index];
      const { weightDecay = 0, l1 = 0 } = group.options;
      const coupled = this.decoupledWeightDecay ? 0 : weightDecay;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const theta = p.data;
        let g = p.grad.data;
        if (coupled !== 0 || l1 !== 0) {
          g = g.slice();
          for (let i = 0; i < g.length; i++) g[i] += coupled * theta[i] + l1 * Math.sign(theta[i]);
        }
        if (this.decoupledWeightDecay && weightDecay !== 0) {
          const keep = 1 - lr * weightDecay;
          for (let i = 0; i < theta.length; i++) theta[i] *= keep;
        }
        const updates = (this.updates.get(p) ?? 0) + 1;
        this.updates.set(p, updates);
        this.update(theta, g, group.options, this.stateOf(p), { lr, updates });
      }
    });
    this.stepCount++;
  }

  private stateOf(p: Tensor): FloatArray[] {
    let s = this.state.get(p);
    if (s === undefined) {
      s = Array.from({ length: this.stateSlots }, () => residentBuffer(p.dtype, p.size));
      this.state.set(p, s);
    }
    return s;
  }

  /** How many arrays of state each parameter needs (momentum: 1, Adam: 2). */
  protected abstract readonly stateSlots: number;

  /** θ ← θ − … given the (penalised) gradient g. */
  protected abstract update(theta: FloatArray, g: FloatArray, options: Options, state: FloatArray[], context: UpdateContext): void;
}

function isTensorList(params: readonly unknown[]): params is readonly Tensor[] {
  return params.every((p) => typeof p === 'object' && p !== null && 'data' in p && 'shape' in p);
}
