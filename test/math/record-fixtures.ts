/**
 * Records what Node 20's Math returns (V8 11.3: fdlibm) for src/math's functions, as
 * test/math/fixtures/<name>.json, so that the ports are checked against it on any runtime:
 * the tests must not compare with the running engine's Math, which a newer Node or a browser
 * computes differently.
 *
 *   npx tsx test/math/record-fixtures.ts exp log …   (refuses to run on another V8)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { powInputs } from './pow-inputs.js';

const REFERENCE_V8 = /^11\.3\./;

export interface FixtureFile {
  reference: string;
  /** [input bits, output bits] as 16 hex digits; two-argument functions give [[x, y], out]. */
  cases: [string | [string, string], string][];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * A double's bits as 16 hex digits (big-endian word order, as printf("%016llx")); every NaN as
 * 7ff8000000000000, since JavaScript cannot tell NaNs apart and engines do not keep payloads.
 */
export function toHex(x: number): string {
  f64[0] = x !== x ? NaN : x;
  return u32[1].toString(16).padStart(8, '0') + u32[0].toString(16).padStart(8, '0');
}

/** The double whose bits these 16 hex digits are. */
export function fromHex(hex: string): number {
  u32[1] = parseInt(hex.slice(0, 8), 16);
  u32[0] = parseInt(hex.slice(8), 16);
  return f64[0];
}

/** A seeded xorshift, so a re-recording gives the same inputs. */
function randomBits(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Edge cases every one-argument function is recorded at. */
export const EDGES = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1, -1, 0.5, -0.5, 2, -2];

/** `count` inputs: the edges, the extra points and their neighbours, then random values over several magnitudes and random bit patterns. */
export function inputs(seed: number, count: number, extra: readonly number[], range: [number, number]): number[] {
  const next = randomBits(seed);
  const uniform = () => next() / 4294967296;
  const out: number[] = [];
  for (const x of [...EDGES, ...extra]) out.push(x, x * (1 + 2 ** -52), x * (1 - 2 ** -53));
  const [lo, hi] = range;
  while (out.length < count) {
    const pick = out.length % 4;
    if (pick === 0) out.push(lo + (hi - lo) * uniform());
    else if (pick === 1) out.push((uniform() - 0.5) * 2);
    else if (pick === 2) out.push((uniform() < 0.5 ? -1 : 1) * 2 ** ((uniform() - 0.5) * 2100));
    else {
      u32[0] = next();
      u32[1] = next();
      out.push(f64[0]);
    }
  }
  return out;
}

type Recorder = () => FixtureFile['cases'];
const unary = (f: (x: number) => number, seed: number, extra: readonly number[], range: [number, number]): Recorder => () =>
  inputs(seed, 3000, extra, range).map((x) => [toHex(x), toHex(f(x))]);

const LN2 = Math.LN2;
/**
 * sin's and cos's points: the kernels' and reductions' thresholds, n·π/2 up to the last in
 * rem_pio2's table of high words (32) and past it, and doubles found near multiples of π/2 by
 * continued fractions, which take the reductions' extra rounds and chunks (each within 2^-49 of
 * one; 6381956970095103·2^797, the closest found, within 2^-60: trig.test.ts checks both).
 */
const TRIG_POINTS = [
  2 ** -27, 0.3, 0.78125, Math.PI / 4, (3 * Math.PI) / 4, ...Array.from({ length: 34 }, (_, k) => (k + 1) * (Math.PI / 2)),
  2 ** 19 * (Math.PI / 2), 2 ** 20, 1e22, 1e300, 45.553093477052, 321307.9594422229, 687523.4150711851,
  14461176.67027838, 6381956970095103 * 2 ** 797, 3.924293714572882e298,
];
/** The recorders, by function name; each names Math's function it records. */
export const RECORDERS: Record<string, Recorder> = {
  exp: unary(Math.exp, 1, [709.782712893384, -745.1332191019411, LN2 / 2, 1.5 * LN2, 2 ** -28, 56 * LN2, 3, -3, 20], [-750, 750]),
  expm1: unary(Math.expm1, 2, [709.782712893384, LN2 / 2, 1.5 * LN2, 2 ** -54, 56 * LN2, -0.25, 19 * LN2, 20 * LN2, 57 * LN2], [-60, 720]),
  log: unary(Math.log, 3, [Math.SQRT2, Math.SQRT1_2, 1 + 2 ** -20, 1 - 2 ** -20, 10, 1e-310], [0, 1e6]),
  log1p: unary(Math.log1p, 4, [-0.2929, 0.41422, 2 ** -29, 2 ** -54, 2 ** 53, -1 + 2 ** -53, Math.SQRT2 - 1], [-1, 100]),
  tanh: unary(Math.tanh, 5, [22, -22, 2 ** -28, -(2 ** -28), 0.9, 1.1], [-25, 25]),
  sin: unary(Math.sin, 7, TRIG_POINTS, [-1000, 1000]),
  cos: unary(Math.cos, 8, TRIG_POINTS, [-1000, 1000]),
  pow: () => powInputs(randomBits(6)).map(([x, y]) => [[toHex(x), toHex(y)], toHex(Math.pow(x, y))]),
};

function record(name: string): void {
  const recorder = RECORDERS[name];
  if (recorder === undefined) throw new Error(`record-fixtures: no recorder for '${name}' (have ${Object.keys(RECORDERS).join(', ')})`);
  const file: FixtureFile = { reference: `Math.${name} in Node ${process.versions.node} (V8 ${process.versions.v8}, fdlibm)`, cases: recorder() };
  const path = fileURLToPath(new URL(`fixtures/${name}.json`, import.meta.url));
  writeFileSync(path, JSON.stringify(file).replace(/\],\[/g, '],\n[') + '\n');
  console.log(`${path}: ${file.cases.length} cases`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!REFERENCE_V8.test(process.versions.v8)) throw new Error(`record-fixtures: the reference is V8 11.3 (Node 20); this is V8 ${process.versions.v8}`);
  for (const name of process.argv.slice(2)) record(name);
}
