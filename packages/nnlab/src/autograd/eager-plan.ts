/**
 * Eager execution of a kernel op by plans: the op's kernel (kernel.ts) run once per call shape
 * (dtype, input shapes, attributes) against an executor that records its steps over numbered
 * slots instead of arrays, then each eager call binds its arrays to the slots and runs the steps.
 *
 * This is the capture's replay (src/capture/replay.ts) made per call: the kernel's decisions
 * (output shape, scratch buffers, broadcast index maps, read patterns, gemm options) are taken
 * once per shape instead of at every call, which cost more than the arithmetic of a small net.
 * The arithmetic is the kernel's own, run by the same loops and in the same order as the
 * replay, so eager and captured steps agree bit for bit. A kernel decides from shapes and
 * attributes only (kernel.ts), so a plan fits every call with equal ones.
 *
 * A kernel whose `saved` holds anything but its own buffers (pick's per-call positions, say)
 * cannot be rebound per call: such a call shape runs through the eager executor instead.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import { broadcastIndex, sameShape, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { epilogueGrad, gemm, residentBuffer } from '../kernels/index.js';
import type { GemmActivation } from '../kernels/index.js';
import { isBuf, readOf, sumInto } from './kernel.js';
import { isPlainRecord, sameAttrs } from './attrs.js';
import type { Buf, CallArgument, Exec, GemmBufOptions, OpKernel } from './kernel.js';
import { loopFor } from './scalar.js';
import type { Read, ScalarFunction } from './scalar.js';

/** A buffer while a plan is recorded: its slot in the call's frame of arrays. */
interface SlotBuf extends Buf {
  readonly slot: number;
}

type Frame = FloatArray[];
type PlanStep = (frame: Frame) => void;

/** Slot sizes: a positive size is allocated per call; BOUND slots are filled by the caller. */
const BOUND = -1;

/** Records a kernel's steps over slots (the executor of one plan). */
class PlanExec implements Exec {
  readonly steps: PlanStep[] = [];
  /** Per slot: its size to allocate per call, or BOUND. */
  readonly sizes: number[];

  constructor(readonly caller: string, bound: number, readonly dtype: DType | undefined) {
    this.sizes = new Array<number>(bound).fill(BOUND);
  }

  /** A slot the caller fills (an input, the output, dy, a gradient). */
  slotAt(slot: number, shape: Shape): SlotBuf {
    return { slot, shape };
  }

  map(out: Buf, f: ScalarFunction, ins: readonly Buf[], attrs?: unknown): void {
    const o = (out as SlotBuf).slot;
    const n = sizeOf(out.shape);
    const slots = ins.map((b) => (b as SlotBuf).slot);
    const reads: Read[] = [];
    const index: (Int32Array | null)[] = [];
    for (const b of ins) {
      const [read, map] = readOf(b.shape, sizeOf(b.shape), out.shape);
      reads.push(read);
      index.push(map);
    }
    const loop = loopFor(f, reads);
    // The loop keeps no reference to its input list, so one list serves every call.
    const arrays: FloatArray[] = new Array<FloatArray>(slots.length);
    if (slots.length === 1) {
      const a = slots[0];
      this.steps.push((frame) => {
        arrays[0] = frame[a];
        loop(frame[o], n, arrays, index, attrs);
      });
      return;
    }
    this.steps.push((frame) => {
      for (let k = 0; k < slots.length; k++) arrays[k] = frame[slots[k]];
      loop(frame[o], n, arrays, index, attrs);
    });
  }

  sumTo(target: Buf, source: Buf): void {
    const t = (target as SlotBuf).slot;
    const s = (source as SlotBuf).slot;
    if (t === s) return;
    if (sameShape(target.shape, source.shape) || sizeOf(target.shape) === 1) {
      this.steps.push((frame) => sumInto(frame[t], target.shape, frame[s], source.shape));
      return;
    }
    // sumInto's general case with its index map made once (the same additions in the same order).
    const index = broadcastIndex(target.shape, source.shape);
    this.steps.push((frame) => {
      const into = frame[t];
      const from = frame[s];
      into.fill(0);
      for (let i = 0; i < from.length; i++) into[index[i]] += from[i];
    });
  }

  gemm(out: Buf, a: Buf, b: Buf, m: number, k: number, n: number, options?: GemmBufOptions): void {
    const [o, x, y] = [out, a, b].map((buf) => (buf as SlotBuf).slot);
    if (options?.bias === undefined) {
      const resolved = options === undefined ? undefined : { transA: options.transA, transB: options.transB, relu: options.relu, activation: options.activation };
      this.steps.push((frame) => gemm(frame[o], frame[x], frame[y], m, k, n, resolved));
      return;
    }
    // gemm reads its options before it returns: one object per plan, its bias set per call.
    const bias = (options.bias as SlotBuf).slot;
    const resolved: { transA?: boolean; transB?: boolean; relu?: boolean; activation?: GemmActivation; bias: FloatArray | undefined } = {
      transA: options.transA, transB: options.transB, relu: options.relu, activation: options.activation, bias: undefined,
    };
    this.steps.push((frame) => {
      resolved.bias = frame[bias];
      gemm(frame[o], frame[x], frame[y], m, k, n, resolved);
      resolved.bias = undefined;
    });
  }

  epilogueGrad(dy: Buf, y: Buf | null, rows: number, cols: number, dz: Buf | null, sums: Buf | null): void {
    const slot = (b: Buf | null): number => (b === null ? -1 : (b as SlotBuf).slot);
    const [g, ys, z, sd] = [slot(dy), slot(y), slot(dz), slot(sums)];
    this.steps.push((frame) => epilogueGrad(frame[g], ys < 0 ? null : frame[ys], rows, cols, z < 0 ? null : frame[z], sd < 0 ? null : frame[sd]));
  }

  call(fn: (...args: never[]) => void, args: readonly CallArgument[]): void {
    const slots = args.map((a) => (isBuf(a) ? (a as SlotBuf).slot : -1));
    const f = fn as (...a: unknown[]) => void;
    this.steps.push((frame) => f(...args.map((a, k) => (slots[k] < 0 ? a : frame[slots[k]]))));
  }

  scratch(shape: Shape): Buf {
    this.sizes.push(sizeOf(shape));
    return this.slotAt(this.sizes.length - 1, shape);
  }

  view(buf: Buf, shape: Shape): Buf {
    return this.slotAt((buf as SlotBuf).slot, shape);
  }
}

/** Whether the kernel's saved state holds only its own buffers (then it is rebound per call). */
function rebindable(saved: unknown): boolean {
  if (saved === undefined) return true;
  if (typeof saved !== 'object' || saved === null || Object.getPrototypeOf(saved) !== Object.prototype) return false;
  for (const value of Object.values(saved)) if (value !== null && !(isBuf(value) && typeof (value as SlotBuf).slot === 'number')) return false;
  return true;
}

/** Whether nothing in `x` can change: a primitive, or a frozen array or object of such values. */
function unchangeable(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return typeof x !== 'function';
  if (!Object.isFrozen(x)) return false;
  for (const value of Object.values(x)) if (!unchangeable(value)) return false;
  return true;
}

/** A copy of plain attributes (arrays, plain objects), so a caller changing theirs later cannot change a plan. */
function copyAttrs<T>(x: T): T {
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return x.map(copyAttrs) as T;
  if (!isPlainRecord(x)) return x;
  const copy: Record<string, unknown> = {};
  for (const key in x) copy[key] = copyAttrs((x as Record<string, unknown>)[key]);
  return copy as T;
}

function fits(plan: ForwardPlan, ins: readonly Tensor[], dtype: DType, attrs: unknown): boolean {
  if (plan.dtype !== dtype) return false;
  for (let i = 0; i < ins.length; i++) if (!sameShape(ins[i].shape, plan.shapes[i])) return false;
  return attrs === plan.constantAttrs || sameAttrs(plan.attrs, attrs);
}

/** The steps of one direction for one call shape. */
interface Steps {
  readonly steps: readonly PlanStep[];
  readonly sizes: readonly number[];
}

const NOT_CONSTANT = Symbol('attributes that may change');

/** One call shape's forward plan, and its backward plans by wanted gradients (a bit per input). */
export class ForwardPlan implements Steps {
  readonly backward: (BackwardPlan | undefined)[] = [];
  /** The caller's attributes object when nothing in it can change (deeply frozen): matched by identity. */
  constantAttrs: unknown = NOT_CONSTANT;
  /**
   * Whether the forward has scratch buffers: then each call keeps its frame for the backward pass
   * (a PlannedCall). Otherwise the backward frame is the inputs' and output's arrays, and the plan
   * itself is the call's saved state, its forward frame reused call after call.
   */
  readonly keepsFrame: boolean;
  /** The reused forward frame (when !keepsFrame), and whether a call is running on it now. */
  readonly frame: Frame;
  busy = false;
  constructor(
    readonly dtype: DType,
    readonly shapes: readonly Shape[],
    readonly attrs: unknown,
    readonly outShape: Shape,
    readonly steps: readonly PlanStep[],
    readonly sizes: readonly number[],
    /** The kernel's saved state as recorded (buffers as slots). */
    readonly saved: unknown,
    /** False when that state is not rebindable: this call shape runs through the eager executor. */
    readonly planned: boolean,
  ) {
    this.keepsFrame = sizes.length > shapes.length + 1;
    this.frame = new Array<FloatArray>(sizes.length).fill(EMPTY);
  }
}

/** What a reused frame's slots hold between calls (no caller's array is kept alive). */
const EMPTY = new Float32Array(0);

interface BackwardPlan extends Steps {
  /** dy's slot; gradient i's slot is dySlot + 1 + i (each input's, wanted or not); scratch buffers follow. */
  readonly dySlot: number;
  /**
   * The scratch buffers, per dtype of dy, allocated once: a backward pass's scratch is dead when
   * it returns (gradients are their own slots), and a kernel writes a scratch buffer before it
   * reads it, as the capture's replay, which also allocates them once, relies on. As a captured
   * step's, float32 ones live in the wasm kernels' memory where it pays (residentBuffer), so that
   * a dense layer's dz (the ReLU mask's output, read by its two products) is written and read in
   * place, not copied out and back in at every backward pass.
   */
  readonly scratch: Partial<Record<DType, FloatArray[]>>;
}

/** What a planned eager call whose forward has scratch buffers keeps for its backward pass: its frame. */
export class PlannedCall {
  constructor(readonly plan: ForwardPlan, readonly frame: Frame) {}
}

/** Plans kept per op: call shapes beyond this replace the oldest (an op called with ever-new attributes). */
const MAX_PLANS = 16;

/** An op's eager forward and gradients through plans of its kernel. */
export class EagerPlans<Attrs, Saved> {
  private readonly plans: ForwardPlan[] = [];
  private oldest = 0;
  /** The plan found last: checked first (a layer calls an op with the same shapes step after step). */
  private last: ForwardPlan | null = null;

  constructor(
    private readonly name: string,
    private readonly names: readonly string[],
    private readonly kernel: OpKernel<string, Attrs, Saved>,
  ) {}

  /** The plan for inputs `ins` (in the op's order) of `dtype` and these attributes, recorded on first use. */
  planFor(ins: readonly Tensor[], dtype: DType, attrs: Attrs): ForwardPlan {
    const last = this.last;
    if (last !== null && fits(last, ins, dtype, attrs)) return last;
    const plans = this.plans;
    for (let p = 0; p < plans.length; p++) if (fits(plans[p], ins, dtype, attrs)) return (this.last = plans[p]);
    const plan = (this.last = this.record(ins, dtype, copyAttrs(attrs)));
    if (typeof attrs === 'object' && attrs !== null && unchangeable(attrs)) plan.constantAttrs = attrs;
    if (plans.length < MAX_PLANS) plans.push(plan);
    else {
      plans[this.oldest] = plan;
      this.oldest = (this.oldest + 1) % MAX_PLANS;
    }
    return plan;
  }

  private record(ins: readonly Tensor[], dtype: DType, attrs: Attrs): ForwardPlan {
    const count = ins.length;
    const k = new PlanExec(this.name, count + 1, dtype);
    const inputs: Record<string, Buf> = {};
    const shapes = ins.map((t) => t.shape.slice());
    for (let i = 0; i < count; i++) inputs[this.names[i]] = k.slotAt(i, shapes[i]);
    const outShape = this.kernel.shape(inputs, attrs);
    k.sizes[count] = sizeOf(outShape);
    const saved = this.kernel.saved === undefined ? (undefined as Saved) : this.kernel.saved(inputs, attrs);
    this.kernel.forward(k, inputs, k.slotAt(count, outShape), attrs, saved);
    return new ForwardPlan(dtype, shapes, attrs, outShape, k.steps, k.sizes, saved, rebindable(saved));
  }

  /** The frame of the last run of a plan that keeps frames (read by the caller at once, for its PlannedCall). */
  lastFrame: Frame = [];

  /** Runs a planned forward on inputs `ins` (in the op's order): the output. */
  run(plan: ForwardPlan, ins: readonly Tensor[]): Tensor {
    const sizes = plan.sizes;
    const count = ins.length;
    // A kernel's call may run this op again (recursion): that run gets a frame of its own.
    const reuse = !plan.keepsFrame && !plan.busy;
    const frame: Frame = reuse ? plan.frame : new Array<FloatArray>(sizes.length);
    for (let i = 0; i < count; i++) frame[i] = ins[i].data;
    for (let i = count; i < sizes.length; i++) frame[i] = allocate(plan.dtype, sizes[i]);
    const out = frame[count];
    const steps = plan.steps;
    if (reuse) {
      plan.busy = true;
      try {
        for (let s = 0; s < steps.length; s++) steps[s](frame);
      } finally {
        for (let i = 0; i <= count; i++) frame[i] = EMPTY;
        plan.busy = false;
      }
    } else {
      for (let s = 0; s < steps.length; s++) steps[s](frame);
      this.lastFrame = frame;
    }
    return new Tensor(out, plan.outShape);
  }

  /**
   * The wanted input gradients (bit i of `wanted` for input i) of a planned call, given dy:
   * the backward plan for them, recorded on first use, run on the forward's frame.
   */
  gradients(saved: ForwardPlan | PlannedCall, dy: Tensor, wanted: number, inputs: readonly Tensor[], out: Tensor): (Tensor | undefined)[] {
    const plan = saved instanceof PlannedCall ? saved.plan : saved;
    const backward = plan.backward[wanted] ?? (plan.backward[wanted] = this.recordBackward(plan, wanted));
    const sizes = backward.sizes;
    const frame: Frame = new Array<FloatArray>(sizes.length);
    if (saved instanceof PlannedCall) {
      const forward = saved.frame;
      for (let i = 0; i < forward.length; i++) frame[i] = forward[i];
    } else {
      for (let i = 0; i < inputs.length; i++) frame[i] = inputs[i].data;
      frame[inputs.length] = out.data;
    }
    frame[backward.dySlot] = dy.data;
    const grads: (Tensor | undefined)[] = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      if ((wanted & (1 << i)) === 0) continue;
      const data = allocate(dy.dtype, inputs[i].size);
      frame[backward.dySlot + 1 + i] = data;
      grads[i] = new Tensor(data, inputs[i].shape);
    }
    const first = backward.dySlot + 1 + inputs.length;
    const scratch = backward.scratch[dy.dtype] ?? (backward.scratch[dy.dtype] = sizes.slice(first).map((size) => residentBuffer(dy.dtype, size)));
    for (let i = first; i < sizes.length; i++) frame[i] = scratch[i - first];
    const steps = backward.steps;
    for (let s = 0; s < steps.length; s++) steps[s](frame);
    return grads;
  }

  /** Scratch buffers take dy's dtype when the plan runs, so one plan serves both dtypes of dy. */
  private recordBackward(plan: ForwardPlan, wanted: number): BackwardPlan {
    const count = plan.shapes.length;
    const forwardSlots = plan.sizes.length;
    const dySlot = forwardSlots;
    const k = new PlanExec(this.name, forwardSlots + 1 + count, undefined);
    const inputs: Record<string, Buf> = {};
    const grads: Record<string, Buf> = {};
    for (let i = 0; i < count; i++) {
      inputs[this.names[i]] = k.slotAt(i, plan.shapes[i]);
      if ((wanted & (1 << i)) !== 0) grads[this.names[i]] = k.slotAt(dySlot + 1 + i, plan.shapes[i]);
    }
    const out = k.slotAt(count, plan.outShape);
    this.kernel.backward(k, k.slotAt(dySlot, plan.outShape), { inputs, out, grads, attrs: plan.attrs as Attrs, saved: plan.saved as Saved });
    return { steps: k.steps, sizes: k.sizes, dySlot, scratch: {} };
  }
}
