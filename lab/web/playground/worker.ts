/**
 * The playground's training worker. `Session.handle` turns one request into its replies (Node
 * tests call it directly); the lines at the end connect it to the worker's messages.
 */
import { NonFiniteError } from 'nnlab';
import { Trainer } from './trainer.js';
import { transferables } from './protocol.js';
import type { Reply, Request, Snapshot } from './protocol.js';
import type { EpochRecord } from './trainer.js';

export class Session {
  private trainer: Trainer | null = null;
  private generation = 0;
  private resolution = 40;
  /** How long the latest maps took to compute (ms): a step trains at least twice as long (see `step` in protocol.ts). */
  private mapsMs = 0;

  handle(request: Request): Reply[] {
    const generation = request.type === 'init' ? request.generation : this.generation;
    try {
      return this.dispatch(request);
    } catch (error) {
      const diverged = error instanceof NonFiniteError;
      const message = diverged
        ? `training diverged at epoch ${error.epoch} (a loss or weight became infinite or NaN): lower the learning rate or turn on gradient clipping, then reset`
        : error instanceof Error ? error.message : String(error);
      return [{ type: 'failed', generation, request: request.type, message, diverged }];
    }
  }

  private dispatch(request: Request): Reply[] {
    if (request.type === 'init') {
      this.generation = request.generation;
      this.resolution = request.resolution;
      this.trainer = null;
      this.trainer = new Trainer(request.spec, request.points, request.settings, request.seed);
      return [this.snapshot('init', [])];
    }
    if (request.type === 'recycle') {
      this.trainer?.recycle(request.buffer); // from a network already replaced: the size decides
      return [];
    }
    const trainer = this.trainer;
    if (trainer === null) throw new Error('the network is not set up yet (a setting is invalid?)');
    switch (request.type) {
      case 'step':
        return [this.snapshot('step', trainer.train(request.epochs, Math.max(request.budgetMs, 2 * this.mapsMs)))];
      case 'setSettings':
        trainer.setSettings(request.settings);
        return [];
      case 'setWeight':
        trainer.setWeight(request.layer, request.from, request.to, request.value);
        return [this.snapshot('setWeight', [])];
      case 'save':
        return [{ type: 'saved', generation: this.generation, text: trainer.save() }];
      case 'load': {
        const result = trainer.load(request.text);
        const loaded: Reply = { type: 'loaded', generation: this.generation, ok: result.ok, message: result.ok ? 'loaded' : result.message };
        return result.ok ? [loaded, { ...this.snapshot('load', []), restarted: true }] : [loaded];
      }
    }
  }

  private snapshot(cause: Snapshot['cause'], records: EpochRecord[]): Snapshot {
    const trainer = this.trainer!;
    const latest = records.length > 0 ? records[records.length - 1] : trainer.metrics();
    const start = performance.now();
    const maps = trainer.maps(this.resolution);
    this.mapsMs = performance.now() - start;
    return { type: 'snapshot', generation: this.generation, cause, records, latest, maps, weights: trainer.weights() };
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
  const session = new Session();
  scope.addEventListener('message', (event) => {
    for (const reply of session.handle(event.data)) scope.postMessage(reply, transferList(reply));
  });
}
