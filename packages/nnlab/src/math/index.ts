/**
 * The library's own transcendental functions: ports of fdlibm, bit-identical to Node 20's Math
 * (V8 11.3) on every input and, being plain JavaScript on IEEE doubles, the same in every engine.
 * Browsers and newer Node compute Math.exp, Math.log, Math.sin… with other libraries (Chromium
 * 156 differs from Node 20 on about 1 exp in 10), so every op, initialiser and data set in nnlab
 * calls these instead (float32 exp, log, tanh and sigmoid run their own float32 algorithms,
 * ./float32.ts, as deterministic): the same seed gives the same run, to the last bit, in Node and
 * in a browser.
 * Use them in your own ops (defineElementwise) for the same guarantee.
 * @packageDocumentation
 */
export { exp, expm1 } from './exp.js';
export { log, log1p } from './log.js';
export { tanh } from './tanh.js';
export { pow } from './pow.js';
export { sin, cos } from './trig.js';
