/**
 * The (x, y) pairs test/math/fixtures/pow.json records Math.pow at (about 3,000): ECMAScript's
 * special cases, the thresholds where fdlibm's pow changes method and their neighbours, the
 * exponents the library itself uses, and random pairs over several magnitudes and bit patterns.
 */

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The next double above x (x finite, or -∞). */
function nextUp(x: number): number {
  if (x === 0) return 5e-324;
  f64[0] = x;
  i64[0] += x > 0 ? 1n : -1n;
  return f64[0];
}
const nextDown = (x: number): number => -nextUp(-x);
const around = (x: number): number[] => [nextDown(x), x, nextUp(x)];

const MAX = Number.MAX_VALUE;
const MIN_NORMAL = 2 ** -1022;

/** Bases and exponents of the special-case grid: every pair is recorded. */
const GRID_X = [NaN, 0, -0, Infinity, -Infinity, 1, -1, nextUp(1), nextDown(1), 0.5, -0.5, 2, -2, 3, -3, 5e-324, -5e-324, MIN_NORMAL, MAX, -MAX];
const GRID_Y = [
  NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 2.5, -2.5, 5e-324, -5e-324, 0.37,
  2 ** 31, nextUp(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) + 1, 2 ** 64, nextUp(2 ** 64), -(2 ** 65), MAX, -MAX,
];

/** Pairs at fdlibm's exact over/underflow boundaries (y·log2 x = 1024, −1074, −1075) and just inside them. */
const BOUNDARIES: [number, number][] = [
  [2, 1023], [2, 1024], [nextDown(2), 1024], [nextUp(2), 1023.9999999999999], [2, -1022], [2, -1074], [2, -1075], [nextUp(2), -1075], [nextDown(2), -1075],
  [2, -1076], [0.5, 1074], [0.5, 1075], [nextUp(0.5), 1075], [nextDown(0.5), 1075], [-2, 1023], [-2, 1025], [-2, -1075], [-2, -1073], [-0.5, 1075],
  [10, 308], [10, 309], [10, -323], [10, -324], [Math.E, 709.782712893384], [Math.E, -745.1332191019411],
];

/** The library's own uses: Adam's bias correction β^t, and decay schedules rate^(step/every). */
function libraryUses(): [number, number][] {
  const out: [number, number][] = [];
  for (const beta of [0.9, 0.999]) for (const t of [1, 2, 3, 4, 5, 10, 20, 50, 100, 101, 500, 1000, 1001, 5000, 10_000, 100_000, 1e6]) out.push([beta, t]);
  for (let t = 1; t <= 120; t++) out.push([t % 2 ? 0.9 : 0.999, t]);
  for (const rate of [0.1, 0.5, 0.9, 0.95, 0.96, 0.99]) for (const [step, every] of [[0, 10], [1, 10], [7, 10], [10, 10], [999, 100], [12_345, 1000], [3, 7], [100_000, 3]]) out.push([rate, step / every]);
  return out;
}

/** `powInputs(next)`: every recorded pair, random ones drawn from `next` (uniform 32-bit integers). */
export function powInputs(next: () => number): [number, number][] {
  const unit = (): number => (next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53; // 53 random bits in [0, 1)
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * unit();
  const whole = (lo: number, hi: number): number => Math.floor(uniform(lo, hi));
  const sign = (): number => (next() & 1 ? -1 : 1);
  const anyBits = (): number => {
    i64[0] = (BigInt(next()) << 32n) | BigInt(next());
    return f64[0];
  };

  const out: [number, number][] = [];
  for (const x of GRID_X) for (const y of GRID_Y) out.push([x, y]);
  for (const [x, y] of BOUNDARIES) for (const yy of around(y)) out.push([x, yy]);
  out.push(...libraryUses());

  // x within 2^-20 of 1 (fdlibm's series branch) and a little beyond, with |y| from 2^20 to 2^70
  for (let k = 0; k < 150; k++) out.push([1 + (unit() - 0.5) * 2 ** -whole(18, 53), sign() * uniform(1, 2) * 2 ** whole(20, 70)]);
  // results near overflow and underflow: y·log2 x close to 1024, 1023, −1022, −1074, −1075
  for (let k = 0; k < 100; k++) {
    const x = k % 2 ? uniform(0, 4) : uniform(1, 2) * 2 ** whole(-1074, 1024);
    const y = ([1024, 1023, -1022, -1074, -1075][k % 5] + (unit() - 0.5) * 2 ** -whole(0, 50)) / Math.log2(x);
    if (Number.isFinite(y)) for (const yy of around(y)) out.push([x, yy]);
  }
  // subnormal x
  for (let k = 0; k < 100; k++) out.push([sign() * unit() * MIN_NORMAL, k % 2 ? uniform(-1.1, 1.1) : whole(-3, 4) + (k % 4 === 0 ? 0.5 : 0)]);
  // negative x: odd and even integers (small and up to 2^53), and non-integers
  for (let k = 0; k < 200; k++) {
    const x = -uniform(0, 4) * 2 ** whole(-20, 20);
    const y = [whole(-400, 400), Math.round(uniform(-(2 ** 53), 2 ** 53)), uniform(-50, 50), whole(-40, 40) + 0.5][k % 4];
    out.push([x, y]);
  }
  // random: the library's range, several magnitudes, bit patterns
  for (let k = 0; k < 800; k++) out.push([uniform(0, 4), uniform(-20, 20)]);
  for (let k = 0; k < 400; k++) {
    const x = uniform(1, 2) * 2 ** whole(-1074, 1024);
    out.push([x, (uniform(-1100, 1100) / Math.abs(Math.log2(x) || 1)) * (k % 2 ? 1 : 2 ** whole(-30, 0))]);
  }
  for (let k = 0; k < 200; k++) out.push([anyBits(), anyBits()]);
  for (let k = 0; k < 100; k++) out.push([anyBits(), uniform(-3, 3)]);
  return out;
}
