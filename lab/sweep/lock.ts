/**
 * The lock that keeps two sweeps from appending to one results file: `<file>.lock`, holding the
 * owner's process id and a random token. Node only (node:fs).
 *
 * Taking it is create-exclusive (a hard link of a complete temp file, so the lock never exists
 * empty). A lock whose process no longer runs (a killed sweep) is taken over, and two sweeps may
 * find the same stale lock at once: each first claims that lock's generation by creating
 * `<file>.lock.takeover-<hash of its content>` exclusively. Only the one claimant then replaces
 * the lock (a rename), and it checks that the lock it replaces is still the stale one it read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../experiments/index.js';

/** Releases a lock taken by lockFile (removes it if it is still ours). */
export type Unlock = () => void;

/** How often a vanished lock is retried before giving up (each retry is another sweep's release). */
const ATTEMPTS = 8;

/** lockFile(path) takes `<path>.lock` or throws a ConfigError saying who holds it. */
export function lockFile(path: string): Unlock {
  const steps = lockSteps(path);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * The steps of lockFile, one file-system action each: every `yield` is a point where another
 * sweep may act. lockFile runs them straight through; a test interleaves two sweeps' steps in
 * every order to check that at most one ends up holding the lock.
 */
export function* lockSteps(path: string, token = randomBytes(8).toString('hex')): Generator<void, Unlock> {
  const lockPath = `${path}.lock`;
  const ours = `${process.pid} ${token}`;
  const temp = `${lockPath}.${token}`;
  writeFileSync(temp, ours, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      yield;
      if (createExclusive(temp, lockPath)) return releaser(lockPath, ours);
      yield;
      const stale = readIfPresent(lockPath);
      if (stale === undefined) continue; // released in between: try again
      refuseIfRunning(owner(stale), path, 'is writing to');
      const claim = `${lockPath}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
      yield;
      if (!createExclusive(temp, claim)) {
        refuseIfRunning(owner(readIfPresent(claim) ?? ''), path, 'is taking over the lock of');
        throw new ConfigError(`sweep: cannot lock ${path}: a stopped sweep left ${claim}; delete it and ${lockPath} if no sweep is running`);
      }
      try {
        yield;
        // The claim makes us the only sweep that may replace this stale lock, but only if it is
        // still there: since we read it, its taker may have finished and released it.
        if (readIfPresent(lockPath) !== stale) continue;
        yield;
        renameSync(temp, lockPath);
      } finally {
        rmSync(claim, { force: true });
      }
      yield;
      if (readIfPresent(lockPath) === ours) return releaser(lockPath, ours);
      throw new ConfigError(`sweep: cannot lock ${path}: ${lockPath} changed while this sweep was taking it over`);
    }
    throw new ConfigError(`sweep: cannot lock ${path}: ${lockPath} keeps appearing and disappearing (other sweeps starting and stopping); try again`);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Creates `to` as a hard link of the complete file `from`; false if `to` exists. */
function createExclusive(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The process id a lock names (`<pid> <token>`, or a bare pid from nnlab before the token). */
function owner(content: string): number {
  return Number(content.trim().split(' ')[0]);
}

function refuseIfRunning(pid: number, path: string, doing: string): void {
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    throw new ConfigError(`sweep: another sweep (process ${pid}) ${doing} ${path}; wait for it, stop it, or give another --file`);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock if it still holds `ours` (a stale-lock taker never replaces a running sweep's). */
function releaser(lockPath: string, ours: string): Unlock {
  return () => {
    if (readIfPresent(lockPath) === ours) rmSync(lockPath, { force: true });
  };
}
