/**
 * When an error curve needs a log axis, and how log-axis ticks are labelled. Shared by the SVG
 * figures and the page's live canvas, so both switch at the same moment.
 */

/**
 * Past this ratio of largest to smallest error a linear axis shows only the largest values
 * (a diverging run reaching 10¹² flattens every other curve to zero). A converging run spans
 * about 10³, so the chapter's curves stay linear as the chapter draws them.
 */
export const LOG_SPAN = 1e6;

/** The range of the finite errors, or undefined if there are none. */
export function finiteRange(values: Iterable<number>): [number, number] | undefined {
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Whether errors in `range` need a log axis: all positive and spanning more than LOG_SPAN. */
export function needsLogAxis(range: [number, number] | undefined): boolean {
  return range !== undefined && range[0] > 0 && range[1] / range[0] > LOG_SPAN;
}

/**
 * Whether an error curve over `range` is drawn on a log axis: when the run asks for one (its
 * start record's errorScale) and the errors are positive, or when needsLogAxis says so.
 */
export function errorLogAxis(range: [number, number] | undefined, scale?: 'log'): boolean {
  return scale === 'log' ? range !== undefined && range[0] > 0 : needsLogAxis(range);
}

/**
 * A log axis's domain: whole powers of ten around the (positive) range, so the ends get labels.
 * The one log-domain rule of the lab: error curves, the page's canvas and panels without a
 * domain of their own all use it.
 */
export function logDomain([lo, hi]: [number, number]): [number, number] {
  const low = 10 ** Math.floor(Math.log10(lo));
  const high = 10 ** Math.ceil(Math.log10(hi));
  // One value that is a power of ten: a decade above it, so the domain is not empty.
  return [low, high > low ? high : low * 10];
}

const SUPERSCRIPTS: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/**
 * Log-axis tick labels: powers of ten as 0.01, 0.1, 1, 10, 100 or 10⁻⁶, other ticks unlabelled
 * (Plot's default would print SI prefixes such as 1µ, which read as units).
 */
export function powerOfTenLabel(value: number): string {
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) > 1e-9) return '';
  if (Math.abs(exponent) <= 2) return String(Number((10 ** exponent).toPrecision(1)));
  return `10${String(exponent).replace(/./g, (c) => SUPERSCRIPTS[c])}`;
}

/** Powers of ten across [lo, hi], at most about `count` of them (every k-th power when more). */
export function logTicks(lo: number, hi: number, count: number): number[] {
  const [first, last] = [Math.ceil(Math.log10(lo) - 1e-9), Math.floor(Math.log10(hi) + 1e-9)];
  const every = Math.max(1, Math.ceil((last - first + 1) / count));
  const values: number[] = [];
  for (let k = first; k <= last; k += every) values.push(Number((10 ** k).toPrecision(1)));
  return values;
}
