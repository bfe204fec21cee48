import { describe, expect, it } from 'vitest';
import { FRAME_INTERVAL_MS, Pacer } from './pacer.js';

/** Steps a pacer through `ms` of a fake clock, asking whenever it says, each step trained in full at once. */
function run(pacer: Pacer, ms: number, start = 0): { epochs: number; steps: number } {
  let now = start;
  let epochs = 0;
  let steps = 0;
  while (now <= start + ms) {
    const next = pacer.next(now);
    if ('epochs' in next) {
      epochs += next.epochs;
      steps++;
    } else now += next.waitMs;
  }
  return { epochs, steps };
}

describe('Pacer', () => {
  it('new Pacer(10, t).next(…) asks for one epoch every 100 ms', () => {
    const pacer = new Pacer(10, 0);
    expect(pacer.next(0)).toEqual({ waitMs: 100 });
    expect(pacer.next(100)).toEqual({ epochs: 1 });
    expect(pacer.next(100)).toEqual({ waitMs: 100 });
    expect(run(new Pacer(10, 0), 10_000)).toEqual({ epochs: 100, steps: 100 });
  });

  it('at 100 epochs/s it asks about once a frame, never twice within one, and keeps the speed', () => {
    const { epochs, steps } = run(new Pacer(100, 0), 10_000);
    expect(epochs).toBeGreaterThanOrEqual(999);
    expect(epochs).toBeLessThanOrEqual(1000);
    expect(steps).toBeLessThanOrEqual(10_000 / FRAME_INTERVAL_MS + 1);
    expect(steps).toBeGreaterThan(500);
  });

  it('behind by a frame’s worth or more, it asks at once; never for more than a tenth of a second’s worth', () => {
    const pacer = new Pacer(1000, 0);
    expect(pacer.next(20)).toEqual({ epochs: 20 });
    expect(pacer.next(40)).toEqual({ epochs: 20 }); // within the frame, but a frame's worth is due
    expect(pacer.next(5_000)).toEqual({ epochs: 100 });
    expect(pacer.next(5_000)).toEqual({ waitMs: 1 });
  });

  it('shortfall(asked, trained) owes the epochs a step did not train', () => {
    const pacer = new Pacer(1000, 0);
    expect(pacer.next(20)).toEqual({ epochs: 20 });
    pacer.shortfall(20, 12);
    expect(pacer.next(37)).toEqual({ epochs: 25 }); // 37 due, 12 trained
  });

  it('rejects a speed that is not a positive number', () => {
    expect(() => new Pacer(0, 0)).toThrow('epochs per second must be a positive number, got 0');
  });
});
