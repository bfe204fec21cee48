/**
 * Training at a set speed (epochs per second): how many epochs to ask the worker for, and when.
 * Epochs fall due steadily from the start; they are asked for at most once a display frame (so
 * each frame can draw a fresh snapshot without a snapshot per epoch), at once when a frame's
 * worth or more is due (training is behind), and never more than a tenth of a second's worth:
 * further behind than that (a network too slow for the speed, a hidden tab), the pacer goes on
 * from now rather than racing to catch up.
 *
 *     const pacer = new Pacer(100, performance.now());
 *     const next = pacer.next(performance.now());   // { epochs: 2 } or { waitMs: 6.7 }
 */
export const FRAME_INTERVAL_MS = 1000 / 60;

export class Pacer {
  private from: number;
  /** Epochs asked for since `from`. */
  private asked = 0;
  private nextAskAt = -Infinity;

  constructor(
    readonly perSecond: number,
    start: number,
  ) {
    if (!(perSecond > 0 && Number.isFinite(perSecond))) throw new RangeError(`Pacer: epochs per second must be a positive number, got ${perSecond}`);
    this.from = start;
  }

  /** The epochs to ask for at `now`, or how long to wait before asking again. */
  next(now: number): { epochs: number } | { waitMs: number } {
    let owed = Math.floor(((now - this.from) * this.perSecond) / 1000) - this.asked;
    const most = Math.ceil(this.perSecond / 10);
    if (owed > most) {
      this.from = now - (most * 1000) / this.perSecond;
      this.asked = 0;
      owed = most;
    }
    if (owed < 1) return { waitMs: Math.max(1, this.from + ((this.asked + 1) * 1000) / this.perSecond - now) };
    const behind = owed >= this.perSecond / 60;
    if (!behind && now < this.nextAskAt) return { waitMs: this.nextAskAt - now };
    this.asked += owed;
    this.nextAskAt = now + FRAME_INTERVAL_MS;
    return { epochs: owed };
  }

  /** A step trained fewer epochs than it asked for (its time ran out): the rest are owed again. */
  shortfall(asked: number, trained: number): void {
    this.asked -= Math.max(0, asked - trained);
  }
}
