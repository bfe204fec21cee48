import { describe, expect, it } from 'vitest';
import { measureInterleaved } from '../../bench/timing.js';
import type { TimingOptions } from '../../bench/timing.js';

/** As short as timing allows: these tests check who runs when, never how long anything took. */
const BRIEF: TimingOptions = { warmupMs: 0, warmupWindowMs: 0, maxWarmupMs: 0, sampleMs: 0, minTimeMs: 0, minSamples: 6 };

describe('measureInterleaved', () => {
  it('takes the samples in rounds, one of each step per round, after warming each up alone', () => {
    const calls: string[] = [];
    const timings = measureInterleaved({ a: () => calls.push('a'), b: () => calls.push('b'), c: () => calls.push('c') }, BRIEF);
    for (const t of Object.values(timings)) expect(t).toMatchObject({ samples: BRIEF.minSamples, itersPerSample: 1 });
    const sampling = calls.slice(-3 * BRIEF.minSamples);
    expect(sampling.join('')).toBe('abc'.repeat(BRIEF.minSamples));
  });

  it('reports a step that throws with its error and goes on timing the others', () => {
    let calls = 0;
    const failing = () => {
      if (++calls > 8) throw new Error('step 9 failed');
    };
    const timings = measureInterleaved({ failing, fine: () => undefined }, BRIEF);
    expect(timings.failing).toEqual({ error: 'step 9 failed' });
    expect(timings.fine).toMatchObject({ samples: BRIEF.minSamples });
  });

  it('reports a step that throws while warming up without timing it', () => {
    const timings = measureInterleaved({ broken: () => { throw new Error('no'); }, fine: () => undefined }, BRIEF);
    expect(timings).toMatchObject({ broken: { error: 'no' }, fine: { samples: BRIEF.minSamples } });
  });
});
