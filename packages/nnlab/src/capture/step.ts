/**
 * Captured training steps: trace the forward pass once for fixed shapes, plan its backward pass,
 * and replay forward, backward and the optimiser's update on buffers allocated once.
 *
 * A tiny net's eager step spends most of its time building the graph and allocating the
 * tensors of every op and gradient; the arithmetic is a few dozen multiply-adds. The replay
 * keeps the arithmetic (the same kernels, see kernels.ts) and drops the rest. Eager mode stays
 * the default; a captured step gives bit-identical parameters and losses, and eager steps may
 * be interleaved with replays (the parameters and the optimiser's state are shared). The step's
 * float32 buffers live in the wasm kernels' memory (buffers.ts), so its products work in place.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import { copyInto } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Optimizer, PenaltyOptions } from '../optim/optimizer.js';
import type { Module } from '../nn/module.js';
import type { Shape } from '../tensor/shape.js';
import { SGD } from '../optim/sgd.js';
import type { SGDOptions } from '../optim/sgd.js';
import { CaptureRefusedError } from './refused.js';
import { residentBuffer, WASM_MIN_UPDATE } from '../kernels/index.js';
import { registeredOps } from '../autograd/op.js';
import type { OpKernel } from '../autograd/kernel.js';
import { RecordExec } from './replay.js';
import { keepResident, stepCopy } from './buffers.js';
import type { Slot, Step } from './replay.js';
import { CodeExec, canCompile, compileFunction, each } from './compile.js';
import type { Ref } from './compile.js';

/** What {@link captureStep} traces: a loss over named inputs, and the optimiser that steps. */
export interface CaptureOptions<Names extends string> {
  /**
   * The loss, computed from `inputs` (use the tensors passed in, not the originals). Called once,
   * to trace; it must return a one-element tensor.
   */
  loss: (inputs: Readonly<Record<Names, Tensor>>) => Tensor;
  /** The optimiser whose parameters the loss depends on; its `step()` runs after each replay's backward pass. */
  optimizer: Optimizer<PenaltyOptions>;
  /** Tensors whose values may change between replays (inputs, targets); their shapes are fixed. */
  inputs: Readonly<Record<Names, Tensor>>;
  /**
   * The model, if any: checked for layers that draw random numbers at each step (dropout in
   * training mode), and for a change of mode (`train()` / `eval()`) before each replay, which
   * the replay refuses: it would keep computing in the mode it was captured in.
   */
  model?: Module;
  /**
   * How to replay: 'compiled' (one generated function; the default where the realm allows
   * `new Function`), 'closures' (the default where a Content-Security-Policy forbids it), or
   * 'eager' (ordinary eager steps behind the same interface, for debugging).
   */
  mode?: CaptureMode;
}

/** How a captured step replays: generated code, closures over buffers, or ordinary eager steps. */
export type CaptureMode = 'compiled' | 'closures' | 'eager';
const MODES: readonly CaptureMode[] = ['compiled', 'closures', 'eager'];

/** New values for some of a captured step's inputs: tensors of the captured shape, or flat arrays of its size. */
export type InputValues<Names extends string> = Partial<Readonly<Record<Names, Tensor | ArrayLike<number>>>>;

/** A training step traced once by {@link captureStep}, replayed by `run`. */
export interface CapturedStep<Names extends string> {
  /**
   * One training step (zero the gradients, forward, loss, backward, `optimizer.step()`), replayed;
   * returns the loss before the update, as `loss.item()` would. `values` replace inputs' values first.
   */
  run(values?: InputValues<Names>): number;
  /** The step's own copies of the inputs (their storage is what the replay reads). */
  readonly inputs: Readonly<Record<Names, Tensor>>;
  /** The op names the step replays, in forward order. */
  readonly ops: readonly string[];
  /** How this step replays (the requested mode, or the default chosen for this realm). */
  readonly mode: CaptureMode;
}

const NAME = 'captureStep';

/**
 * Traces `loss(inputs)` once and returns a step that replays forward, backward and
 * `optimizer.step()` with no graph and no allocation per step, giving bit-identical results to
 *
 *     optimizer.zeroGrad(); loss(inputs).backward(); optimizer.step();
 *
 * Supported ops: those in kernels.ts (dense layers with linear, sigmoid, tanh or ReLU; matmul;
 * add, sub, mul, neg; sigmoid, tanh, relu, logSoftmax; reshape; sum and mean, to a loss or over axes;
 * the losses squaredDifference (mseLoss), binaryCrossEntropyWithLogits (bceWithLogitsLoss) and
 * crossEntropyLoss, with class labels or with one-hot / probability targets). Any other op is an
 * error naming it. Tensors the loss makes from neither the inputs nor the parameters are
 * constants: their values at capture are kept. Class labels passed as an input (a tensor [n] of
 * class indices, as `fit` passes its targets) are read at every replay, and checked there: a
 * label that is not a class index is an error naming its row, its value and the input.
 */
export function captureStep<Names extends string>(options: CaptureOptions<Names>): CapturedStep<Names> {
  return stepFromTrace(traceStep(options));
}

/** A traced loss, checked: what {@link stepFromTrace} plans a step from (and keep.ts compares). */
export interface Trace<Names extends string> {
  readonly options: CaptureOptions<Names>;
  /** The step's own copies of the inputs, which the loss was traced on. */
  readonly own: Record<Names, Tensor>;
  readonly root: Tensor;
  /** Every tensor leading to the loss, each after its inputs. */
  readonly order: readonly Tensor[];
  /** The optimizer's parameters. */
  readonly params: ReadonlySet<Tensor>;
  /** Whether each tensor of `order` leads to a parameter (the eager pass's requiresGrad). */
  readonly reaches: ReadonlyMap<Tensor, boolean>;
}

/**
 * Checks the options, traces the loss on own copies of the inputs and checks the graph: every
 * leaf a parameter, an input or a constant, every op with a replay kernel (else CaptureRefusedError).
 */
export function traceStep<Names extends string>(options: CaptureOptions<Names>): Trace<Names> {
  const { loss, optimizer, inputs, model } = options;
  if (typeof loss !== 'function') throw new Error(`${NAME}: loss must be a function of the inputs`);
  if (typeof inputs !== 'object' || inputs === null) throw new Error(`${NAME}: inputs must be a record of tensors, e.g. { x, t }`);
  for (const [name, t] of Object.entries<Tensor>(inputs)) {
    if (!(t instanceof Tensor)) throw new Error(`${NAME}: input '${name}' must be a Tensor`);
  }
  if (options.mode !== undefined && !MODES.includes(options.mode)) {
    throw new Error(`${NAME}: mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got '${String(options.mode)}'`);
  }
  if (options.mode === 'compiled' && !canCompile()) {
    throw new Error(`${NAME}: mode 'compiled' needs new Function, which this page's Content-Security-Policy forbids; use 'closures'`);
  }
  if (model !== undefined) checkNoRandomLayers(model);

  // Own copies of the inputs, requiring gradients while tracing so that every op computed from
  // them is recorded (and replayed) rather than frozen as a constant.
  const own = Object.fromEntries(Object.entries<Tensor>(inputs).map(([name, t]) => [name, new Tensor(stepCopy(t.data), t.shape)])) as Record<Names, Tensor>;
  const ownSet = new Set<Tensor>(Object.values(own));
  let root: Tensor;
  for (const t of ownSet) t.requiresGrad = true;
  try {
    root = loss(own);
  } finally {
    for (const t of ownSet) t.requiresGrad = false;
  }
  if (!(root instanceof Tensor)) throw new Error(`${NAME}: loss must return a Tensor`);
  if (root.size !== 1) throw new Error(`${NAME}: loss must return a single value, got shape ${formatShape(root.shape)}`);
  if (root.node === null) {
    throw new Error(`${NAME}: the loss does not depend on the optimizer's parameters (or was computed inside noGrad)`);
  }

  const order = postOrder(root);
  const params = new Set<Tensor>(optimizer.groups.flatMap((g) => g.params));
  const originals = new Map<FloatArray, string>(Object.entries<Tensor>(inputs).map(([name, t]) => [t.data, name]));

  // Which tensors lead to a parameter (the eager pass's requiresGrad), checking every leaf.
  const reaches = new Map<Tensor, boolean>();
  for (const t of order) {
    if (t.node !== null) {
      reaches.set(t, t.node.inputs.some((input) => reaches.get(input) === true));
      continue;
    }
    reaches.set(t, params.has(t));
    if (ownSet.has(t)) continue;
    if (params.has(t)) continue;
    if (t.requiresGrad) {
      throw new Error(
        `${NAME}: the loss depends on a tensor of shape ${formatShape(t.shape)} that requires gradients but is not ` +
          "among the optimizer's parameters; add it to the optimizer or detach() it",
      );
    }
    const name = originals.get(t.data);
    if (name !== undefined) {
      throw new Error(`${NAME}: the loss read input '${name}' from outside; use the tensor the loss function receives`);
    }
  }

  if (reaches.get(root) !== true) {
    throw new Error(`${NAME}: the loss does not depend on the optimizer's parameters (or was computed inside noGrad)`);
  }

  for (const t of order) {
    if (t.node !== null && t.node.op.kernel === undefined) {
      const supported = [...registeredOps().values()].filter((op) => op.kernel !== undefined).map((op) => op.name);
      throw new CaptureRefusedError(
        `${NAME}: op '${t.node.op.name}' cannot be captured: it has no buffer kernel (ops with one: ${supported.join(', ')}); ` +
          'train this model with eager steps instead',
      );
    }
  }

  return { options, own, root, order, params, reaches };
}

/** Plans and builds the replay of a trace (see captureStep). */
export function stepFromTrace<Names extends string>({ options, own, root, order, params, reaches }: Trace<Names>): CapturedStep<Names> {
  const { loss, optimizer, model } = options;
  // Parameters move into the step's memory (see buffers.ts), unless it replays eagerly.
  const mode = options.mode ?? (canCompile() ? 'compiled' : 'closures');
  const keepParameters = mode === 'eager' ? null : keepResident(order.filter((t) => t.node === null && params.has(t)));

  // Value buffers: parameters, inputs and constants are read in place; each op output gets one buffer.
  const values = new Map<Tensor, FloatArray>();
  for (const t of order) values.set(t, t.node === null ? t.data : residentBuffer(t.dtype, t.size));

  // Which tensors receive a gradient, walking back from the loss as the eager pass does.
  const receives = new Set<Tensor>([root]);
  const needsOf = new Map<Tensor, boolean[]>();
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    if (t.node === null || !receives.has(t)) continue;
    const needs = t.node.inputs.map((input, k) => reaches.get(input) === true && !t.node!.op.isConstant[k]);
    needsOf.set(t, needs);
    t.node.inputs.forEach((input, k) => {
      if (needs[k]) receives.add(input);
    });
  }

  // Gradient buffers, and the plan for tensors that receive more than one gradient: the first
  // is written in place, later ones into scratch and then added (pending + new, as eager).
  const gradOf = new Map<Tensor, FloatArray>();
  for (const t of receives) gradOf.set(t, residentBuffer(t.dtype, t.size));
  gradOf.get(root)![0] = 1;

  // Where each op's input gradients go, decided in backward order, so that which gradient of a
  // tensor used twice comes first (written in place) and which are added to it follows eager.
  const filled = new Set<Tensor>();
  const planned: PlannedOp[] = [];
  const inputNames = new Map<Tensor, string>(Object.entries<Tensor>(own).map(([name, t]) => [t, name]));
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    const node = t.node;
    if (node === null) continue;
    const needs = needsOf.get(t);
    const grads: (FloatArray | null)[] = node.inputs.map(() => null);
    const additions: [FloatArray, FloatArray][] = [];
    node.inputs.forEach((input, k) => {
      if (needs === undefined || !needs[k]) return;
      const target = gradOf.get(input)!;
      if (!filled.has(input)) {
        filled.add(input);
        grads[k] = target;
        return;
      }
      const extra = residentBuffer(input.dtype, input.size);
      grads[k] = extra;
      additions.push([target, extra]);
    });
    planned.push({
      op: node.op.name,
      kernel: node.op.kernel!,
      names: node.op.inputs,
      attrs: node.attrs,
      dtype: t.dtype,
      inputs: node.inputs.map((input) => ({ data: values.get(input)!, shape: input.shape, input: inputNames.get(input) })),
      out: { data: values.get(t)!, shape: t.shape },
      dy: gradOf.get(t) ?? residentBuffer(t.dtype, t.size),
      grads,
      additions,
    });
  }
  planned.reverse(); // forward order

  // The parameters' gradients: tensors made once, handed to `.grad` at each replay.
  const paramGrads: [Tensor, Tensor][] = [];
  for (const t of order) if (t.node === null && params.has(t) && receives.has(t)) paramGrads.push([t, new Tensor(gradOf.get(t)!, t.shape)]);
  const withoutGrad = [...params].filter((p) => !receives.has(p));
  const lossValue = values.get(root)!;
  const ops = planned.map((p) => p.op);
  const shapes = Object.entries<Tensor>(own);

  if (mode === 'eager') {
    return {
      inputs: own,
      ops,
      mode,
      run(newValues?: InputValues<Names>): number {
        if (newValues !== undefined) setInputs(own, shapes, newValues);
        optimizer.zeroGrad();
        const value = loss(own);
        value.backward();
        optimizer.step();
        return value.item();
      },
    };
  }

  const checkMode = model === undefined ? null : modeCheck(model);
  const replay = mode === 'compiled' ? compiled(planned, optimizer, gradOf, paramGrads) : closures(planned);
  const rates = optimizer.groups.map(() => 0);
  const setGrads = (): void => {
    for (let i = 0; i < withoutGrad.length; i++) withoutGrad[i].grad = null;
    for (let i = 0; i < paramGrads.length; i++) paramGrads[i][0].grad = paramGrads[i][1];
  };
  return {
    inputs: own,
    ops,
    mode,
    run(newValues?: InputValues<Names>): number {
      checkMode?.();
      keepParameters?.();
      if (newValues !== undefined) setInputs(own, shapes, newValues);
      if (replay.updates !== null && isPlainSGD(optimizer)) {
        // optimizer.step() for plain gradient descent, generated: the same θ −= lr·g per
        // parameter, some taken by the pass in the products writing their gradients.
        for (let g = 0; g < rates.length; g++) rates[g] = optimizer.learningRate(g);
        replay.pass(rates);
        setGrads();
        for (let g = 0; g < replay.updates.length; g++) replay.updates[g](rates[g]);
        optimizer.stepCount++;
      } else {
        replay.pass(null);
        setGrads();
        optimizer.step();
      }
      return lossValue[0];
    },
  };
}

/** One op of the plan: its kernel and buffers, and the gradients of a tensor used twice to add up after it. */
interface PlannedOp {
  op: string;
  kernel: OpKernel<string, unknown, unknown>;
  /** The op's input names, in the order of `inputs` and `grads`. */
  names: readonly string[];
  attrs: unknown;
  dtype: DType;
  inputs: Slot[];
  out: Slot;
  dy: FloatArray;
  grads: (FloatArray | null)[];
  additions: [target: FloatArray, extra: FloatArray][];
}

interface Replay {
  /**
   * Forward and backward; given the groups' learning rates (compiled mode, plain SGD), also the
   * steps of the parameters whose gradient's product takes them (see offerUpdates).
   */
  pass(rates: number[] | null): void;
  /** Per parameter group, plain SGD's update given the learning rate (compiled mode only). */
  updates: ((lr: number) => void)[] | null;
}

/** A record of buffers by the op's input names. */
function byName<T>(names: readonly string[], values: readonly T[]): Record<string, T> {
  const record: Record<string, T> = {};
  names.forEach((name, k) => (record[name] = values[k]));
  return record;
}

/** The wanted input gradients of a planned op by name (absent: not wanted). */
function gradsOf<T>(p: PlannedOp, wrap: (data: FloatArray, k: number) => T): Record<string, T> {
  const record: Record<string, T> = {};
  p.grads.forEach((g, k) => {
    if (g !== null) record[p.names[k]] = wrap(g, k);
  });
  return record;
}

/**
 * Runs every planned op's kernel, forward in order then backward in reverse, against `exec`
 * (which records or writes each step), with `begin(p, backward)` called before each kernel and
 * `end(p, backward)` after. `buf` turns the plan's arrays into the executor's buffers.
 */
function runKernels<B extends { shape: Shape }>(
  planned: readonly PlannedOp[], exec: RecordExec | CodeExec,
  buf: (data: FloatArray, shape: Shape, input?: string) => B,
  begin: (p: PlannedOp) => void, end: (p: PlannedOp, backward: boolean) => void,
): void {
  const states = planned.map((p) => {
    const inputs = byName(p.names, p.inputs.map((s) => buf(s.data, s.shape, s.input)));
    const out = buf(p.out.data, p.out.shape);
    return { inputs, out, saved: p.kernel.saved?.(inputs, p.attrs) };
  });
  planned.forEach((p, i) => {
    begin(p);
    exec.dtype = p.dtype;
    p.kernel.forward(exec, states[i].inputs, states[i].out, p.attrs, states[i].saved);
    end(p, false);
  });
  for (let i = planned.length - 1; i >= 0; i--) {
    const p = planned[i];
    if (p.grads.every((g) => g === null)) continue;
    begin(p);
    exec.dtype = p.dtype;
    const grads = gradsOf(p, (g, k) => buf(g, p.inputs[k].shape));
    p.kernel.backward(exec, buf(p.dy, p.out.shape), { ...states[i], grads, attrs: p.attrs });
    end(p, true);
  }
}

/** The plan as closures (replay.ts): for realms that forbid generated code. */
function closures(planned: readonly PlannedOp[]): Replay {
  const exec = new RecordExec();
  const forwards: Step[] = [];
  const backwards: Step[] = [];
  runKernels(
    planned, exec, (data, shape, input): Slot => ({ data, shape, input }),
    () => (exec.steps = []),
    (p, backward) => {
      if (!backward) {
        forwards.push(...exec.steps);
        return;
      }
      backwards.push(...exec.steps);
      for (const [target, extra] of p.additions) {
        backwards.push(() => {
          for (let j = 0; j < target.length; j++) target[j] = target[j] + extra[j];
        });
      }
    },
  );
  return {
    pass() {
      for (let i = 0; i < forwards.length; i++) forwards[i]();
      for (let i = 0; i < backwards.length; i++) backwards[i]();
    },
    updates: null,
  };
}

/** The plan as one generated function (see compile.ts), plus plain SGD's update per parameter group. */
function compiled(planned: readonly PlannedOp[], optimizer: Optimizer<PenaltyOptions>, gradOf: Map<Tensor, FloatArray>, paramGrads: readonly [Tensor, Tensor][]): Replay {
  const bound: unknown[] = [];
  const names = new Map<unknown, string>();
  const name = (value: unknown, prefix: string): string => {
    let n = names.get(value);
    if (n === undefined) {
      n = `${prefix}${bound.length}`;
      names.set(value, n);
      bound.push(value);
    }
    return n;
  };
  const exec = new CodeExec(name, (n) => bound[Number(n.slice(1))]);
  offerUpdates(exec, planned, optimizer, paramGrads, name);
  const forward: string[] = [];
  const backward: string[] = [];
  runKernels(
    planned, exec, (data, shape, input): Ref => ({ name: name(data, 'b'), shape, size: data.length, input }),
    () => {
      exec.text = [];
      exec.updates = [];
    },
    (p, isBackward) => {
      if (!isBackward) {
        forward.push(`{ // ${p.op}\n${exec.text.join('\n')}\n}`);
        return;
      }
      const additions = p.additions.map(([target, extra]) => {
        const t = name(target, 'b');
        const e = name(extra, 'b');
        return each(target.length, `${t}[i] = ${t}[i] + ${e}[i];`);
      });
      const text = [...exec.text, ...additions];
      // A step taken in a product is only right if nothing after it in this backward reads θ
      // (linear's reads the weight for dx first; matmul's dA = dY·Bᵀ after dB would not).
      for (const { at, grad, theta, plain } of exec.updates) {
        const reads = new RegExp(`\\b${theta}\\b`);
        if (text.slice(at + 1).some((statement) => reads.test(statement))) {
          text[at] = plain;
          exec.fused.delete(grad);
        }
      }
      backward.push(`{ // ${p.op} backward\n${text.join('\n')}\n}`);
    },
  );

  // θ −= lr·g for the parameters of each group that receive a gradient, in the group's order
  // (but those whose step the pass took in the product writing their gradient).
  const received = new Map(paramGrads);
  const updates = optimizer.groups.map((group) =>
    group.params
      .filter((p) => received.has(p) && !exec.fused.has(name(gradOf.get(p)!, 'b')))
      .map((p) => {
        const [theta, g] = [name(p.data, 'b'), name(gradOf.get(p)!, 'b')];
        const loop = each(p.size, `${theta}[i] -= lr * ${g}[i];`);
        // Large float32 parameters: optim/sgd.ts's wasm update (the same arithmetic), else the loop.
        return p.data instanceof Float32Array && p.size >= WASM_MIN_UPDATE ? `if (!H.wasmSgd(${theta}, ${g}, null, lr, 0, false)) { ${loop} }` : loop;
      })
      .join('\n'),
  );
  const body = [
    ...[...names.values()].map((n) => `const ${n} = B[${n.slice(1)}];`),
    `return {\npass(L) {\n${[...forward, ...backward].join('\n')}\n},`,
    `updates: [${updates.map((u) => `(lr) => {\n${u}\n}`).join(', ')}],\n};`,
  ].join('\n');
  return compileFunction<Replay>(body, bound);
}

/**
 * Offers the compiled pass the SGD step of each float32 parameter used by one op only (so no
 * other op reads it after its gradient is written) and receiving its gradient there whole (no
 * second gradient added after): see CodeExec.updatable, and compiled(), which keeps an offer only
 * where the op's own backward reads θ no more after that product.
 */
function offerUpdates(
  exec: CodeExec, planned: readonly PlannedOp[], optimizer: Optimizer<PenaltyOptions>,
  paramGrads: readonly [Tensor, Tensor][], name: (value: unknown, prefix: string) => string,
): void {
  const uses = new Map<FloatArray, number>();
  for (const p of planned) for (const s of p.inputs) uses.set(s.data, (uses.get(s.data) ?? 0) + 1);
  const added = new Set<FloatArray>(planned.flatMap((p) => p.additions.map(([target]) => target)));
  const groupOf = new Map<Tensor, number>();
  optimizer.groups.forEach((group, g) => group.params.forEach((p) => groupOf.set(p, g)));
  for (const [param, grad] of paramGrads) {
    if (!(param.data instanceof Float32Array) || uses.get(param.data) !== 1 || added.has(grad.data)) continue;
    exec.updatable.set(name(grad.data, 'b'), { theta: name(param.data, 'b'), group: groupOf.get(param)! });
  }
}

/** Whether optimizer.step() is plain gradient descent (θ −= lr·g), which the compiled replay writes out. */
function isPlainSGD(optimizer: Optimizer<PenaltyOptions>): boolean {
  if (Object.getPrototypeOf(optimizer) !== SGD.prototype) return false; // a subclass may change update()
  for (let g = 0; g < optimizer.groups.length; g++) {
    const o = optimizer.groups[g].options as SGDOptions;
    if ((o.momentum ?? 0) !== 0 || (o.weightDecay ?? 0) !== 0 || (o.l1 ?? 0) !== 0) return false;
  }
  return true;
}

function setInputs<Names extends string>(own: Record<Names, Tensor>, shapes: [string, Tensor][], values: InputValues<Names>): void {
  // NOTE: for-in (no keys array) and copyInto: a small net's step runs in a few hundred
  // nanoseconds, so what feeding it allocates or calls shows.
  for (const name in values) {
    if (!Object.hasOwn(values, name)) continue;
    if (!Object.hasOwn(own, name)) {
      throw new Error(`${NAME}: run() got an unknown input '${name}'; the step was captured with ${shapes.map(([n]) => `'${n}'`).join(', ')}`);
    }
    const target = own[name as Names];
    const value = values[name as Names]!;
    if (value instanceof Tensor) {
      if (value.shape !== target.shape && !sameShape(value.shape, target.shape)) {
        throw new Error(
          `${NAME}: input '${name}' has shape ${formatShape(value.shape)} but the step was captured for ${formatShape(target.shape)}; ` +
            'capture another step for other shapes',
        );
      }
      copyInto(target.data, value.data);
    } else {
      if (value.length !== target.size) {
        throw new Error(
          `${NAME}: input '${name}' has ${value.length} values but the step was captured for shape ${formatShape(target.shape)} ` +
            `(${target.size} values)`,
        );
      }
      copyInto(target.data, value);
    }
  }
}

/** Every tensor leading to `root`, each after its inputs: the eager backward pass's order (iterative, no recursion). */
function postOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const inputs = t.node === null ? [] : t.node.inputs;
    if (next[top] < inputs.length) {
      const input = inputs[next[top]++];
      if (!seen.has(input)) {
        seen.add(input);
        stack.push(input);
        next.push(0);
      }
    } else {
      order.push(t);
      stack.pop();
      next.pop();
    }
  }
  return order;
}

/**
 * A check that every module of `model` is still in the mode (training or evaluation) it is in
 * now, throwing otherwise: a replay computes what was traced, so after `train()` or `eval()` it
 * would silently keep the old mode's behaviour (dropout off, say). Flat arrays: it runs at every replay.
 */
function modeCheck(model: Module): () => void {
  const named = model.namedModules();
  const modules = named.map(([, m]) => m);
  const modes = modules.map((m) => m.training);
  const describe = (training: boolean): string => (training ? 'training mode' : 'eval mode');
  return () => {
    for (let i = 0; i < modules.length; i++) {
      if (modules[i].training === modes[i]) continue;
      const [path, module] = named[i];
      throw new Error(
        `${NAME}: the step was captured with the model in ${describe(modes[i])}, but ${path === '' ? 'the model' : `layer '${path}'`} ` +
          `(${module.constructor.name}) is now in ${describe(module.training)}; a replay keeps the mode it was captured in, ` +
          `so capture a new step after train() or eval() (or switch back)`,
      );
    }
  };
}

/** Dropout in training mode draws a new mask at every step, which a replay would freeze. */
function checkNoRandomLayers(model: Module): void {
  for (const [path, module] of model.namedModules()) {
    const rate = (module as { rate?: unknown }).rate;
    if (module.training && (module as { kind?: string }).kind === 'dropout' && typeof rate === 'number' && rate > 0) {
      throw new CaptureRefusedError(
        `${NAME}: dropout layer '${path || module.constructor.name}' draws a new mask at every step, which a captured step would freeze; ` +
          'call model.eval() for that layer or train with eager steps',
      );
    }
  }
}
