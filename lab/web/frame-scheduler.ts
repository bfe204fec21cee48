/**
 * Redraws at most once per animation frame, however many changes ask for one before it comes:
 * both training pages draw through it, and count their redraws for the test hook (`frames`).
 * It takes its frame source as an argument, so Node tests drive it with a fake one.
 *
 *     const redraw = new FrameScheduler((now) => draw(now));
 *     redraw.request(); redraw.request();   // one draw, on the next frame
 */
export interface FrameSource {
  request(callback: (now: number) => void): number;
  cancel(handle: number): void;
}

/** The browser's animation frames. */
export const animationFrames: FrameSource = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class FrameScheduler {
  private handle: number | null = null;
  private drawn = 0;
  private disposed = false;

  constructor(
    private readonly draw: (now: number) => void,
    private readonly source: FrameSource = animationFrames,
  ) {}

  /** Redraws on the next frame (a draw may ask again: it gets the frame after). */
  request(): void {
    if (this.handle !== null || this.disposed) return;
    this.handle = this.source.request((now) => {
      this.handle = null;
      this.drawn++;
      this.draw(now);
    });
  }

  /** Redraws so far. */
  get frames(): number {
    return this.drawn;
  }

  /** Cancels the frame asked for, and asks for no more. */
  dispose(): void {
    this.disposed = true;
    if (this.handle !== null) this.source.cancel(this.handle);
    this.handle = null;
  }
}
