/**
 * The seeded random generator. Every random choice in nnlab (initial weights, dropout masks,
 * shuffles, data sets) draws from one of these, passed in explicitly; the library never uses
 * the engine's global random source.
 *
 * The core is xoshiro128** (32-bit integer arithmetic only, via Math.imul and >>> 0), so the
 * bit stream is the same in every JavaScript engine. Normal draws use Marsaglia's polar method,
 * which needs a logarithm and a square root: the library's own log (src/math), since engines'
 * Math.log differ in the last bit (Node 20 and Chromium 156 on about 1 input in 30), and
 * Math.sqrt, which IEEE 754 defines exactly.
 */
import * as math from '../math/index.js';

/**
 * A seed: a safe integer or a string. Seeds are hashed as text, so 42 and '42' give the same
 * stream.
 */
export type Seed = number | string;

/** SplitMix32: spreads a seed over the state words, so nearby seeds give unrelated streams. */
function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

/** FNV-1a over the seed's text, so string seeds and large numbers mix every character. */
function hashSeed(seed: Seed): number {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new Error(`Generator: a numeric seed must be a safe integer, got ${seed}`);
  } else if (typeof seed !== 'string') {
    throw new Error(`Generator: seed must be an integer or a string, got ${typeof seed}`);
  }
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A number as itself, anything else by its type (no string conversion that could throw). */
function shown(x: unknown): string {
  return typeof x === 'number' ? String(x) : x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A seeded stream of random numbers (xoshiro128**), the same bits in every JavaScript engine:
 * `new Generator(42)`, or {@link rng}. Layers, dropout and the random tensors take one explicitly.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private forks = 0;
  /** The seed this generator started from (for reports: "seed 42"). */
  readonly seed: Seed;

  constructor(seed: Seed = 0) {
    this.seed = seed;
    let state = hashSeed(seed);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, word] = splitmix32(state);
      state = next;
      words.push(word);
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [low, high), with 53 random bits. */
  uniform(low = 0, high = 1): number {
    if (typeof low !== 'number' || typeof high !== 'number' || !(low <= high)) {
      throw new Error(`Generator.uniform: needs numbers low ≤ high, got low ${shown(low)} and high ${shown(high)}`);
    }
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    const unit = (hi * 67108864 + lo) / 9007199254740992;
    return low + (high - low) * unit;
  }

  /** Normal with the given mean and standard deviation. */
  normal(mean = 0, std = 1): number {
    if (typeof mean !== 'number' || typeof std !== 'number' || !(std >= 0)) {
      throw new Error(`Generator.normal: needs a number mean and a non-negative std, got mean ${shown(mean)} and std ${shown(std)}`);
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.uniform(-1, 1);
      v = this.uniform(-1, 1);
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    // NOTE: the polar method yields two values; we keep one, so the stream does not depend on hidden state.
    return mean + std * u * Math.sqrt((-2 * math.log(s)) / s);
  }

  /** 1 with probability p, else 0. */
  bernoulli(p: number): number {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`Generator.bernoulli: p must be in [0, 1], got ${shown(p)}`);
    return this.uniform() < p ? 1 : 0;
  }

  /** A uniform integer in [low, high) (high exclusive), without modulo bias. */
  integer(low: number, high: number): number {
    if (typeof low !== 'number' || typeof high !== 'number' || !Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new Error(`Generator.integer: needs integers low < high, got low ${shown(low)} and high ${shown(high)}`);
    }
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    if (!Array.isArray(items)) throw new Error(`Generator.shuffle: items must be an array, got ${shown(items)}`);
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(0, i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** The integers 0..n−1 in random order. */
  permutation(n: number): number[] {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) {
      throw new Error(`Generator.permutation: n must be a non-negative integer (at most 2³² − 1), got ${shown(n)}`);
    }
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /**
   * A new generator with its own stream, derived from this one's seed and a fork counter (not
   * from its current position), so adding draws elsewhere does not change what a fork produces.
   * `label` names the fork: `rng.fork('dropout')` is the same stream in every run.
   */
  fork(label?: string): Generator {
    const name = label ?? `fork-${this.forks++}`;
    return new Generator(`${String(this.seed)}/${name}`);
  }
}

/** A generator from a seed: `rng(42)`. */
export function rng(seed: Seed = 0): Generator {
  return new Generator(seed);
}
