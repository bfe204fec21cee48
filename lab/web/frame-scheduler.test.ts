import { describe, expect, it } from 'vitest';
import { FrameScheduler } from './frame-scheduler.js';
import { FakeFrames } from './test-helpers.js';

describe('FrameScheduler', () => {
  it('request() three times before a frame draws once, on that frame, and counts it', () => {
    const frames = new FakeFrames();
    const drawn: number[] = [];
    const redraw = new FrameScheduler((now) => drawn.push(now), frames);
    redraw.request();
    redraw.request();
    redraw.request();
    expect([frames.pending, drawn, redraw.frames]).toEqual([1, [], 0]);
    frames.run(16);
    expect([drawn, redraw.frames]).toEqual([[16], 1]);
    frames.run(32);
    expect(drawn).toEqual([16]); // nothing asked: no draw
  });

  it('a draw that asks again gets the next frame, not the same one', () => {
    const frames = new FakeFrames();
    let left = 2;
    const redraw: FrameScheduler = new FrameScheduler(() => left-- > 0 && redraw.request(), frames);
    redraw.request();
    frames.run(1);
    expect([redraw.frames, frames.pending]).toEqual([1, 1]);
    frames.run(2);
    frames.run(3);
    expect([redraw.frames, frames.pending]).toEqual([3, 0]);
  });

  it('dispose() cancels the frame asked for, and later requests ask for none', () => {
    const frames = new FakeFrames();
    const redraw = new FrameScheduler(() => {}, frames);
    redraw.request();
    redraw.dispose();
    redraw.request();
    expect(frames.pending).toBe(0);
    frames.run();
    expect(redraw.frames).toBe(0);
  });
});
