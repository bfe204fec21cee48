/**
 * Messages between the playground page and its training worker, in the vocabulary the
 * experiment pages' protocol shares (`init`, `step`, `records`, `error`, and `run` on every
 * message). The page has at most two `step` requests unanswered (one at a time unless it trains
 * flat out, when the second keeps the worker busy while the page handles a snapshot), so the
 * worker never queues up more than one step and the page never waits on training. The page
 * paces play itself (client.ts), so there is no `play` or `pause` here. Every message carries
 * the `run` of the latest `init`; the page drops replies from before its latest reset.
 *
 *   page → worker                         worker → page
 *   init(spec, points, settings, seed)  →  records (epoch 0) | error
 *   step(epochs, budgetMs)              →  records (one per epoch run, and the network now) | error
 *     (up to `epochs` epochs, stopping once budgetMs have passed, or twice the time the latest
 *     maps took if that is longer, so that drawing never takes over a third of the worker)
 *   setSettings(settings)               →  (nothing; applies from the next step) | error
 *   setWeight(layer, from, to, value)   →  records | error
 *   save()                              →  saved(text) | error
 *   load(text)                          →  loaded(ok, message) then, if ok, records | error
 *   recycle(buffer)                     →  (nothing; the next maps of its size are written into it)
 *
 * Heat maps travel as Float32Arrays whose buffers are transferred, not copied. The maps of a
 * plain dense network are views into one buffer; once the page has drawn a newer snapshot it
 * transfers that buffer back (recycle), so the worker does not allocate one per snapshot.
 */
import type { Point } from './datasets.js';
import type { NetworkSpec } from './spec.js';
import type { TrainingSettings } from './settings.js';
import type { EpochMetrics, LayerWeights, Maps } from './trainer.js';

export type Request = { run: number } & (
  | { type: 'init'; spec: NetworkSpec; points: Point[]; settings: TrainingSettings; seed: number; resolution: number }
  | { type: 'step'; epochs: number; budgetMs: number }
  | { type: 'setSettings'; settings: TrainingSettings }
  | { type: 'setWeight'; layer: number; from: number; to: number; value: number }
  | { type: 'save' }
  | { type: 'load'; text: string }
  | { type: 'recycle'; buffer: ArrayBuffer }
);

/** The epochs trained since the last reply and the network now: maps and weights. */
export interface Snapshot {
  type: 'records';
  run: number;
  /** The request it answers. */
  cause: 'init' | 'step' | 'setWeight' | 'load';
  /** One record per epoch trained since the last snapshot (empty for init, setWeight, load). */
  records: EpochMetrics[];
  /** Loss and accuracy now. */
  latest: EpochMetrics;
  maps: Maps;
  weights: LayerWeights[];
  /** Set after a load: the curves start again from this epoch. */
  restarted?: boolean;
}

export type Reply =
  | Snapshot
  /** A request that could not be done: `request` says which; training state is unchanged unless it diverged. */
  | { type: 'error'; run: number; request: Request['type']; message: string; diverged: boolean }
  | { type: 'saved'; run: number; text: string }
  | { type: 'loaded'; run: number; ok: boolean; message: string };

/** The buffers of a snapshot's arrays, to transfer with postMessage. */
export function transferables(reply: Reply): ArrayBuffer[] {
  if (reply.type !== 'records') return [];
  const arrays = [...reply.maps.output, ...reply.maps.hidden.flat().map((m) => m.values)];
  for (const w of reply.weights) arrays.push(w.weight, w.bias, ...(w.alpha === null ? [] : [w.alpha]));
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/**
 * The one buffer behind all of a snapshot's maps, or null when they are separate arrays (a
 * network the fast path does not evaluate): what the page hands back with recycle.
 */
export function mapsBuffer(maps: Maps): ArrayBuffer | null {
  const arrays = [...maps.output, ...maps.hidden.flat().map((m) => m.values)];
  const buffer = arrays[0]?.buffer;
  return buffer !== undefined && buffer.byteLength > 0 && arrays.every((a) => a.buffer === buffer) ? (buffer as ArrayBuffer) : null;
}
