/**
 * Fakes for the page modules' Node tests: a worker that records what the page posts and replies
 * when the test says, and a frame source that runs frames when the test says. Nothing here waits.
 */
import type { WorkerErrorEvent, WorkerPort } from './worker-client.js';
import type { FrameSource } from './frame-scheduler.js';

export class FakeWorker<Out, In> implements WorkerPort<Out, In> {
  /** Every message posted, oldest first, with what it transferred. */
  readonly posted: { message: Out; transfer: Transferable[] }[] = [];
  terminated = false;
  private readonly listeners: { message: ((event: { data: In }) => void)[]; error: ((event: WorkerErrorEvent) => void)[] } = { message: [], error: [] };

  postMessage(message: Out, transfer: Transferable[]): void {
    this.posted.push({ message: structuredClone(message), transfer });
  }

  addEventListener(type: 'message', listener: (event: { data: In }) => void): void;
  addEventListener(type: 'error', listener: (event: WorkerErrorEvent) => void): void;
  addEventListener(type: 'message' | 'error', listener: ((event: { data: In }) => void) | ((event: WorkerErrorEvent) => void)): void {
    (this.listeners[type] as unknown[]).push(listener);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** The messages posted so far, without their transfer lists. */
  get messages(): Out[] {
    return this.posted.map((p) => p.message);
  }

  /** The worker sends `message` to the page. */
  reply(message: In): void {
    for (const listener of this.listeners.message) listener({ data: message });
  }

  /** The worker fails (a load error, or one thrown outside a request); returns whether the page prevented the default report. */
  crash(message: string): boolean {
    let prevented = false;
    for (const listener of this.listeners.error) listener({ message, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

/** Animation frames that run only when the test calls `run(now)`. */
export class FakeFrames implements FrameSource {
  private next = 1;
  private readonly waiting = new Map<number, (now: number) => void>();

  request(callback: (now: number) => void): number {
    this.waiting.set(this.next, callback);
    return this.next++;
  }

  cancel(handle: number): void {
    this.waiting.delete(handle);
  }

  get pending(): number {
    return this.waiting.size;
  }

  /** Runs the frame: every callback asked for before it (ones they ask for wait for the next). */
  run(now = 0): void {
    const due = [...this.waiting.values()];
    this.waiting.clear();
    for (const callback of due) callback(now);
  }
}
