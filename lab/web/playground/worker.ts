/**
 * The playground's training worker. `PlaygroundSession.handle` turns one request into its replies (Node
 * tests call it directly); the lines at the end connect it to the worker's messages.
 */
import { DivergedError } from '../../experiments/driver.js';
import { useLabArithmetic } from '../../experiments/arithmetic.js';
import { PlaygroundModel } from './trainer.js';
import { transferables } from './protocol.js';
import type { Reply, Request, Snapshot } from './protocol.js';
import type { EpochMetrics } from './trainer.js';

export class PlaygroundSession {
  private model: PlaygroundModel | null = null;
  private run = 0;
  private resolution = 40;
  /** How long the latest maps took to compute (ms): a step trains at least twice as long (see `step` in protocol.ts). */
  private mapsMs = 0;

  handle(request: Request): Reply[] {
    const run = request.type === 'init' ? request.run : this.run;
    try {
      return this.dispatch(request);
    } catch (error) {
      const diverged = error instanceof DivergedError;
      const message = diverged
        ? `training diverged at epoch ${error.divergence?.epoch} (a loss or weight became infinite or NaN): lower the learning rate or turn on gradient clipping, then reset`
        : error instanceof Error ? error.message : String(error);
      return [{ type: 'error', run, request: request.type, message, diverged }];
    }
  }

  private dispatch(request: Request): Reply[] {
    if (request.type === 'init') {
      this.run = request.run;
      this.resolution = request.resolution;
      this.model = null;
      useLabArithmetic(); // the same bits in every browser, and in Node's tests
      this.model = new PlaygroundModel(request.spec, request.points, request.settings, request.seed);
      return [this.snapshot('init', [])];
    }
    if (request.type === 'recycle') {
      this.model?.recycle(request.buffer); // from a network already replaced: the size decides
      return [];
    }
    const model = this.model;
    if (model === null) throw new Error('the network is not set up yet (a setting is invalid?)');
    switch (request.type) {
      case 'step':
        return [this.snapshot('step', model.train(request.epochs, Math.max(request.budgetMs, 2 * this.mapsMs)))];
      case 'setSettings':
        model.setSettings(request.settings);
        return [];
      case 'setWeight':
        model.setWeight(request.layer, request.from, request.to, request.value);
        return [this.snapshot('setWeight', [])];
      case 'save':
        return [{ type: 'saved', run: this.run, text: model.save() }];
      case 'load': {
        const result = model.load(request.text);
        const loaded: Reply = { type: 'loaded', run: this.run, ok: result.ok, message: result.ok ? 'loaded' : result.message };
        return result.ok ? [loaded, { ...this.snapshot('load', []), restarted: true }] : [loaded];
      }
    }
  }

  private snapshot(cause: Snapshot['cause'], records: EpochMetrics[]): Snapshot {
    const model = this.model!;
    const latest = records.length > 0 ? records[records.length - 1] : model.metrics();
    const start = performance.now();
    const maps = model.maps(this.resolution);
    this.mapsMs = performance.now() - start;
    return { type: 'records', run: this.run, cause, records, latest, maps, weights: model.weights() };
  }
}

/**
 * The buffers to transfer with a reply, each once: the fast path's maps are all views into one
 * buffer, and postMessage refuses a transfer list that names a buffer twice.
 */
export function transferList(reply: Reply): ArrayBuffer[] {
  return [...new Set(transferables(reply))];
}

interface WorkerScope {
  postMessage(message: Reply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

if ('WorkerGlobalScope' in globalThis) {
  const scope = globalThis as unknown as WorkerScope;
  const session = new PlaygroundSession();
  scope.addEventListener('message', (event) => {
    for (const reply of session.handle(event.data)) scope.postMessage(reply, transferList(reply));
  });
}
