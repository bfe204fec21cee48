/**
 * Captured steps kept between `fit` calls on one model. Capturing plans, generates and compiles
 * code: for the README's XOR net it measured 0.1–0.25 ms, the time of 200–800 of its epochs, so
 * a caller that fits in short calls would spend a large part of each on capturing.
 *
 * A kept step is reused only for the same trace: every call still traces its loss (the cheap
 * part), and the new graph must match the kept one op for op, with the same attributes, shapes,
 * dtypes and wiring, the same parameter tensors, the same constants (their arrays, which a step
 * reads in place), the same optimizer and the same modules in the same modes. Anything the
 * replay depends on is in that list, so a reused step computes what a fresh capture would, bit
 * for bit; any difference captures afresh.
 */
import type { Tensor } from '../tensor/tensor.js';
import { sameShape } from '../tensor/shape.js';
import type { Module } from '../nn/module.js';
import { sameAttrs } from '../autograd/attrs.js';
import { stepFromTrace, traceStep } from './step.js';
import type { CaptureOptions, CapturedStep, Trace } from './step.js';

/**
 * Steps at most this many values big (see valuesOf) are kept: a small
 * net's, whose capture costs as much as many epochs. A large batch's buffers would stay in
 * memory for the model's life while its capture is a rounding error beside an epoch.
 */
export const KEPT_STEP_MAX_VALUES = 65536;

/** Kept steps per model: fit's whole set or full minibatch, and a last smaller minibatch, with room for one more. */
const KEPT_PER_MODEL = 4;

interface Kept {
  trace: Trace<string>;
  modules: readonly Module[];
  modes: readonly boolean[];
  step: CapturedStep<string>;
}

const kept = new WeakMap<Module, Kept[]>();

/**
 * captureStep for `options.model`, reusing the step kept from an earlier call when the trace is
 * the same (see the header). Never for 'eager' mode, whose replay calls the loss function itself.
 */
export function captureOrReuse<Names extends string>(options: CaptureOptions<Names> & { model: Module }): CapturedStep<Names> {
  const trace = traceStep(options);
  if (options.mode === 'eager') return stepFromTrace(trace);
  const modules = options.model.namedModules().map(([, m]) => m);
  const modes = modules.map((m) => m.training);
  const list = kept.get(options.model) ?? [];
  const found = list.findIndex((k) => k.trace.options.optimizer === options.optimizer && k.trace.options.mode === options.mode &&
    sameModules(k, modules, modes) && sameTrace(k.trace, trace));
  if (found >= 0) {
    const [entry] = list.splice(found, 1);
    list.unshift(entry);
    return entry.step as CapturedStep<Names>;
  }
  const step = stepFromTrace(trace);
  if (valuesOf(trace) <= KEPT_STEP_MAX_VALUES) {
    list.unshift({ trace, modules, modes, step });
    list.length = Math.min(list.length, KEPT_PER_MODEL);
    kept.set(options.model, list);
  }
  return step;
}

/** Values a kept step holds: each op's output and gradient, and the inputs, parameters and constants. */
function valuesOf(trace: Trace<string>): number {
  let total = 0;
  for (const t of trace.order) total += t.node === null ? t.size : 2 * t.size;
  return total;
}

function sameModules(k: Kept, modules: readonly Module[], modes: readonly boolean[]): boolean {
  return k.modules.length === modules.length && modules.every((m, i) => m === k.modules[i] && modes[i] === k.modes[i]);
}

/** Whether two traces plan the same step: see the header for what must match. */
export function sameTrace(a: Trace<string>, b: Trace<string>): boolean {
  if (a.order.length !== b.order.length || a.params.size !== b.params.size) return false;
  for (const p of a.params) if (!b.params.has(p)) return false;
  const inputNames = (trace: Trace<string>): Map<Tensor, string> => new Map(Object.entries(trace.own).map(([name, t]) => [t, name]));
  const [namesA, namesB] = [inputNames(a), inputNames(b)];
  const indexA = new Map(a.order.map((t, i) => [t, i]));
  const indexB = new Map(b.order.map((t, i) => [t, i]));
  for (let i = 0; i < a.order.length; i++) {
    const [x, y] = [a.order[i], b.order[i]];
    if (x.dtype !== y.dtype || !sameShape(x.shape, y.shape)) return false;
    if (x.node === null || y.node === null) {
      if (x.node !== y.node) return false;
      // A parameter is itself; an input is its name; a constant is its array (read in place).
      const [nameX, nameY] = [namesA.get(x), namesB.get(y)];
      if (nameX !== undefined || nameY !== undefined ? nameX !== nameY : a.params.has(x) ? x !== y : x.data !== y.data) return false;
      continue;
    }
    if (x.node.op !== y.node.op || !sameAttrs(x.node.attrs, y.node.attrs)) return false;
    const [inX, inY] = [x.node.inputs, y.node.inputs];
    if (inX.length !== inY.length || inX.some((t, k) => indexA.get(t) !== indexB.get(inY[k]))) return false;
  }
  return true;
}
