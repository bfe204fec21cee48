/** nnlab's optimiser and schedule for a fixture's description of them (the generator builds PyTorch's). */
import { optim } from '../../packages/nnlab/src/index.js';
import type { Tensor } from '../../packages/nnlab/src/index.js';

export type OptimizerKind = 'SGD' | 'RMSProp' | 'Adam' | 'AdamW';

/** One of nnlab's schedules, as the generator names it (its PyTorch scheduler is in optim_cases.py). */
export interface ScheduleSpec {
  kind: 'stepDecay' | 'exponentialDecay' | 'cosineDecay' | 'warmupExponential';
  args: number[];
}

export function scheduleOf(spec: ScheduleSpec): optim.Schedule {
  const [a, b, c] = spec.args;
  switch (spec.kind) {
    case 'stepDecay': return optim.schedules.stepDecay(a, b, c);
    case 'exponentialDecay': return optim.schedules.exponentialDecay(a, b);
    case 'cosineDecay': return optim.schedules.cosineDecay(a, b, c);
    case 'warmupExponential': return optim.schedules.linearWarmup(optim.schedules.exponentialDecay(a, b), c);
  }
}

/** Parameter groups by index into `params`, each with its own options. */
export type GroupSpec = { params: number[]; options: Record<string, number> }[];

export function makeOptimizer(
  kind: OptimizerKind,
  params: Tensor[],
  options: Record<string, unknown>,
  schedule: ScheduleSpec | null = null,
  groups: GroupSpec | null = null,
): optim.SGD | optim.RMSProp | optim.Adam | optim.AdamW {
  const all = schedule === null ? options : { ...options, lr: scheduleOf(schedule) };
  const list = groups === null ? params : groups.map((g) => ({ params: g.params.map((i) => params[i]), options: g.options }));
  switch (kind) {
    case 'SGD': return new optim.SGD(list, all);
    case 'RMSProp': return new optim.RMSProp(list, all);
    case 'Adam': return new optim.Adam(list, all);
    case 'AdamW': return new optim.AdamW(list, all);
  }
}
