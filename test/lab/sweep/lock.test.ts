/**
 * The results file's lock under a race: two sweeps that find the same stale lock at once, their
 * steps interleaved in 300 orders (driven through lockSteps, no timing involved), never both hold it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lab/experiments/index.js';
import { lockFile, lockSteps } from '../../../lab/sweep/lock.js';
import type { Unlock } from '../../../lab/sweep/lock.js';

const dir = mkdtempSync(join(tmpdir(), 'nnlab-lock-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The id of a process that has exited: what a killed sweep's lock holds. */
const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;

/** A small seeded generator of [0, 1) (mulberry32), to pick whose step runs next. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Outcome = { held: Unlock } | { refused: string };

/** Runs two sweeps' lockSteps, choosing whose step runs next with `pick` (0 or 1). */
function race(path: string, pick: (step: number) => 0 | 1): Outcome[] {
  const sweeps = [lockSteps(path, 'a'.repeat(16)), lockSteps(path, 'b'.repeat(16))];
  const outcomes: (Outcome | undefined)[] = [undefined, undefined];
  for (let step = 0; outcomes.some((o) => o === undefined); step++) {
    let i = pick(step);
    if (outcomes[i] !== undefined) i = 1 - i as 0 | 1;
    try {
      const next = sweeps[i].next();
      if (next.done === true) outcomes[i] = { held: next.value };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      outcomes[i] = { refused: error.message };
    }
  }
  return outcomes as Outcome[];
}

describe('lockFile(path): one sweep per results file', () => {
  it('two sweeps taking over one stale lock, in 300 interleavings (lockstep, then seeded random): exactly one holds it', () => {
    const next = random(1);
    let bothHeld = 0;
    const winners = { a: 0, b: 0 };
    const badRefusals: string[] = [];
    for (let trial = 0; trial < 300; trial++) {
      const path = join(dir, `race-${trial}.jsonl`);
      writeFileSync(`${path}.lock`, String(deadPid));
      const outcomes = race(path, (step) => (trial === 0 ? (step % 2) as 0 | 1 : next() < 0.5 ? 0 : 1));
      const held = outcomes.filter((o) => 'held' in o);
      if (held.length > 1) bothHeld++;
      if (held.length !== 1) continue;
      const owner = readFileSync(`${path}.lock`, 'utf8');
      winners[owner.endsWith('a'.repeat(16)) ? 'a' : 'b']++;
      const refusal = outcomes.find((o) => 'refused' in o);
      if (!/^sweep: another sweep \(process \d+\) is (writing to|taking over the lock of) /.test(refusal?.refused ?? '')) badRefusals.push(refusal?.refused ?? '');
    }
    expect(badRefusals).toEqual([]);
    expect(bothHeld).toBe(0);
    expect(winners.a + winners.b).toBe(300);
    // Both orders of winning occur: the interleavings really race.
    expect(Math.min(winners.a, winners.b)).toBeGreaterThan(0);
  });

  it('a lock of a running sweep is refused, naming its process; releasing it lets the next sweep in', () => {
    const path = join(dir, 'running.jsonl');
    const unlock = lockFile(path);
    expect(() => lockFile(path)).toThrow(`sweep: another sweep (process ${process.pid}) is writing to ${path}; wait for it, stop it, or give another --file`);
    unlock();
    lockFile(path)();
  });
});
