/**
 * Defining an op: its forward computation and its gradient rule, written together.
 *
 * Gradients are keyed by input name (`{ a: ..., b: ... }`), never by position, and the values
 * the backward pass needs beyond the inputs and the output are declared as `saved`. Every op
 * defined here lands in one registry, which the gradient-check suite iterates: an op without
 * a row in that table fails the suite.
 *
 * An op gives either `kernel`, its arithmetic at buffer level (see kernel.ts: eager runs it at
 * once, and a captured step replays or compiles the same kernel), or `forward` and `backward`
 * on tensors (such an op runs eagerly but cannot be captured). An op with both (reshape, whose
 * eager form shares storage) runs `forward` eagerly and its kernel when captured.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { isGradEnabled } from './mode.js';
import type { GradNode } from './node.js';
import { EagerExec } from './kernel.js';
import { EagerPlans, ForwardPlan, PlannedCall } from './eager-plan.js';
import type { Fields } from './fields.js';
import { fieldsOf } from './fields.js';
import type { Buf, OpKernel } from './kernel.js';
import type { ElementwiseRule } from './elementwise.js';

export interface ForwardResult<Saved> {
  out: Tensor;
  saved?: Saved;
}

/** What an op's tensor-level `backward` receives besides `dy`. */
export interface BackwardContext<Name extends string, Attrs, Saved> {
  /** The op's inputs, by name. */
  inputs: Readonly<Record<Name, Tensor>>;
  /** The op's output. */
  out: Tensor;
  /** The attributes the op was called with. */
  attrs: Attrs;
  /** What `forward` returned as `saved`. */
  saved: Saved;
  /** Whether a gradient is wanted for each input (skip costly work when it is not). */
  needs: Readonly<Record<Name, boolean>>;
}

/** An op's definition for {@link defineOp}: its inputs by name, and `kernel` or `forward` with `backward`. */
export interface OpSpec<Name extends string, Attrs, Saved> {
  /** The op's name in the registry and in error messages; unique. */
  name: string;
  /** The input names, in call order: gradients are keyed by them. */
  inputs: readonly Name[];
  /** Inputs that never get a gradient: targets, conditions, masks. */
  constantInputs?: readonly Name[];
  /** The output computed on tensors (optionally with `saved` values for `backward`). */
  forward?(inputs: Readonly<Record<Name, Tensor>>, attrs: Attrs): Tensor | ForwardResult<Saved>;
  /** Gradients of the loss with respect to each input, given `dy`, its gradient w.r.t. the output. */
  backward?(dy: Tensor, ctx: BackwardContext<Name, Attrs, Saved>): Partial<Record<Name, Tensor>>;
  /** The op's arithmetic at buffer level: what eager steps run (unless `forward` is given) and captured steps replay. */
  kernel?: OpKernel<Name, Attrs, Saved>;
  /** @internal Set by defineElementwise: the scalar functions the kernel maps. */
  elementwise?: ElementwiseRule;
}

/** The registry's view of an op, without its type parameters. */
export interface OpDefinition {
  /** The op's unique name. */
  readonly name: string;
  /** The input names, in call order. */
  readonly inputs: readonly string[];
  /** The inputs that never get a gradient. */
  readonly constantInputs: readonly string[];
  /** Per input, whether it is constant (never differentiated). */
  readonly isConstant: readonly boolean[];
  /** Computes the gradients of `node`'s inputs (those that require one; undefined for the rest). */
  gradients(dy: Tensor, node: GradNode, out: Tensor): (Tensor | undefined)[];
  /** The buffer-level kernel, when the op has one: what captureStep replays. */
  readonly kernel?: OpKernel<string, unknown, unknown>;
  /** For ops made by defineElementwise: their scalar functions (dense layers fuse one-input ones). */
  readonly elementwise?: ElementwiseRule;
  /** Runs the op on named inputs (what defineOp returned). */
  apply(inputs: Readonly<Record<string, Tensor>>, attrs: unknown): Tensor;
}

const registry = new Map<string, OpDefinition>();

/** Every differentiable op, by name. */
export function registeredOps(): ReadonlyMap<string, OpDefinition> {
  return registry;
}

export type OpFunction<Name extends string, Attrs> = (inputs: Readonly<Record<Name, Tensor>>, attrs: Attrs) => Tensor;

/**
 * Registers an op (its name must be new) and returns the function that runs it:
 * `op(inputs, attrs)`, inputs by name. Gradients are keyed by input name.
 */
export function defineOp<Name extends string, Attrs = undefined, Saved = undefined>(
  spec: OpSpec<Name, Attrs, Saved>,
): OpFunction<Name, Attrs> {
  if (registry.has(spec.name)) throw new Error(`defineOp: an op named '${spec.name}' already exists`);
  const { forward, backward, planned }: EagerSpec<Name, Attrs, Saved> =
    spec.forward !== undefined && spec.backward !== undefined ? { forward: spec.forward, backward: spec.backward } : eagerFromKernel(spec);
  const names = spec.inputs;
  const constantInputs = spec.constantInputs ?? [];
  const isConstant = names.map((name) => constantInputs.includes(name));
  const definition: OpDefinition = {
    name: spec.name,
    inputs: names,
    constantInputs,
    isConstant,
    gradients(dy, node, out) {
      const inputList = node.inputs;
      const saved = node.saved;
      if (planned !== undefined && (saved instanceof ForwardPlan || saved instanceof PlannedCall)) {
        // A planned call: its gradients straight from the plan, no records built.
        let wanted = 0;
        for (let i = 0; i < names.length; i++) if (inputList[i].requiresGrad && !isConstant[i]) wanted |= 1 << i;
        return planned.plans.gradients(saved, dy, wanted, inputList, out);
      }
      const inputs = node.named as Record<Name, Tensor>;
      // A copy of the inputs record keeps the op's own object shape, which is faster than building keys one by one.
      const wanted = { ...inputs } as unknown as Record<Name, boolean>;
      const needs: boolean[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) wanted[names[i]] = needs[i] = inputList[i].requiresGrad && !isConstant[i];
      const grads = backward(dy, { inputs, out, attrs: node.attrs as Attrs, saved: node.saved as Saved, needs: wanted });
      const result: (Tensor | undefined)[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) {
        const g = grads[names[i]];
        if (g === undefined || !needs[i]) continue;
        if (g.size !== inputList[i].size) {
          // A wrong-shaped gradient is a bug in the op, not the user's input: say which op.
          throw new Error(
            `${spec.name}: backward returned a gradient of shape ${formatShape(g.shape)} for input '${names[i]}' ` +
              `of shape ${formatShape(inputList[i].shape)}`,
          );
        }
        result[i] = g;
      }
      return result;
    },
    kernel: spec.kernel as OpKernel<string, unknown, unknown> | undefined,
    elementwise: spec.elementwise,
    apply: (inputs, attrs) => run(inputs as Readonly<Record<Name, Tensor>>, attrs as Attrs),
  };
  registry.set(spec.name, definition);

  const run: OpFunction<Name, Attrs> = (inputs, attrs) => {
    if (planned !== undefined) {
      // A kernel op's call by its plan: the output, and the inputs' list read once is the node's.
      const { plans, fields, first } = planned;
      const ins = fields.read(inputs) as Tensor[];
      const plan = plans.planFor(ins, ins[first].dtype, attrs);
      if (plan.planned) {
        const out = plans.run(plan, ins);
        if (!isGradEnabled()) return out;
        let anyNeedsGrad = false;
        for (let i = 0; i < names.length; i++) if (ins[i].requiresGrad && !isConstant[i]) anyNeedsGrad = true;
        if (!anyNeedsGrad) return out;
        out.requiresGrad = true;
        const saved = plan.keepsFrame ? new PlannedCall(plan, plans.lastFrame) : plan;
        out.node = { op: definition, inputs: ins, named: inputs, attrs, saved };
        return out;
      }
    }
    const result = forward(inputs, attrs);
    let out = result instanceof Tensor ? result : result.out;
    if (!isGradEnabled()) return out;
    let anyNeedsGrad = false;
    const inputList: Tensor[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const t = inputs[names[i]];
      inputList[i] = t;
      if (t.requiresGrad && !isConstant[i]) anyNeedsGrad = true;
      // An op may pass an input through unchanged; the graph needs a tensor of its own.
      if (t === out) out = new Tensor(out.data, out.shape);
    }
    if (!anyNeedsGrad) return out;
    out.requiresGrad = true;
    out.node = { op: definition, inputs: inputList, named: inputs, attrs, saved: result instanceof Tensor ? undefined : result.saved };
    return out;
  };
  return run;
}

type EagerSpec<Name extends string, Attrs, Saved> = Required<Pick<OpSpec<Name, Attrs, Saved>, 'forward' | 'backward'>> & {
  /** A kernel op's plans, with its inputs' reader and the input whose dtype the output takes. */
  planned?: { plans: EagerPlans<Attrs, Saved>; fields: Fields; first: number };
};

/**
 * Eager forward and backward from an op's kernel: by plans of the kernel per call shape
 * (eager-plan.ts); a call shape whose kernel keeps per-call state of its own runs the kernel
 * on the tensors' arrays through the eager executor instead. The op's function casts its
 * operands to one dtype first.
 */
function eagerFromKernel<Name extends string, Attrs, Saved>(spec: OpSpec<Name, Attrs, Saved>): EagerSpec<Name, Attrs, Saved> {
  const { kernel, name, inputs: names } = spec;
  if (kernel === undefined) throw new Error(`defineOp: op '${name}' needs a kernel, or both forward and backward`);
  const execs: Record<DType, EagerExec> = { float32: new EagerExec(name, 'float32'), float64: new EagerExec(name, 'float64') };
  const plans = new EagerPlans<Attrs, Saved>(name, names, kernel as OpKernel<string, Attrs, Saved>);
  const fields = fieldsOf(names);
  // The output's dtype: the first differentiable input's (a condition or labels may differ).
  const constant = spec.constantInputs ?? [];
  const first = Math.max(0, names.findIndex((n) => !constant.includes(n)));
  return {
    forward: (inputs, attrs) => {
      // A call shape that is not planned (run() takes the planned ones).
      const dtype = (fields.read(inputs)[first] as Tensor).dtype;
      const shape = kernel.shape(inputs, attrs);
      const out = new Tensor(allocate(dtype, sizeOf(shape)), shape);
      const saved = kernel.saved === undefined ? (undefined as Saved) : kernel.saved(inputs, attrs);
      kernel.forward(execs[dtype], inputs, out, attrs, saved);
      return saved === undefined ? out : { out, saved };
    },
    backward: (dy, { inputs, out, attrs, saved, needs }) => {
      const values = fields.read(inputs) as Tensor[];
      const wanted = fields.read(needs) as boolean[];
      const grads: (Tensor | undefined)[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) if (wanted[i]) grads[i] = new Tensor(allocate(dy.dtype, values[i].size), values[i].shape);
      const record = fields.write(grads) as Partial<Record<Name, Tensor>>;
      kernel.backward(execs[dy.dtype], dy, { inputs, out, grads: record as Partial<Record<Name, Buf>>, attrs, saved });
      return record;
    },
    planned: { plans, fields, first },
  };
}
