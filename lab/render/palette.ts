/**
 * Diverging colour scales for heat maps. Both run cool → white → warm, so 0.5 (the sigmoid's
 * undecided value) is white, as in the chapter's `bwr` pictures. Node and browser (the canvases
 * and the playground colour with them too).
 */
export type Palette = 'bwr' | 'colorblind';

export type Rgb = [number, number, number];

/** Evenly spaced stops over the domain, interpolated linearly in RGB. */
const STOPS: Record<Palette, readonly string[]> = {
  // matplotlib's bwr: (0, 0, 1) → (1, 1, 1) → (1, 0, 0), linear in RGB.
  bwr: ['#0000ff', '#ffffff', '#ff0000'],
  // Blue–white–orange (ColorBrewer Blues/Oranges ends): blue and orange stay apart for
  // protanopes, deuteranopes and tritanopes alike, unlike red and green.
  colorblind: ['#08519c', '#6baed6', '#ffffff', '#fd8d3c', '#a63603'],
};

/** The colour of values that are not numbers (a diverged network), neutral on both palettes. */
export const MISSING_COLOUR = '#808080';

export function paletteStops(palette: Palette = 'bwr'): readonly string[] {
  return STOPS[palette];
}

function parseHex(hex: string): Rgb {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

const STOPS_RGB: Record<Palette, readonly Rgb[]> = {
  bwr: STOPS.bwr.map(parseHex),
  colorblind: STOPS.colorblind.map(parseHex),
};

/** `value` as integer RGB under `palette`; values outside the domain clamp, NaN gives grey. */
export function rgbOf(value: number, palette: Palette = 'bwr', domain: readonly [number, number] = [0, 1]): Rgb {
  if (Number.isNaN(value)) return parseHex(MISSING_COLOUR);
  const stops = STOPS_RGB[palette];
  const span = domain[1] - domain[0];
  const t = Math.min(1, Math.max(0, span === 0 ? 0.5 : (value - domain[0]) / span));
  const position = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(position));
  const f = position - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as Rgb;
}

/**
 * colourOf(value, palette?, domain?) is the colour of `value` as '#rrggbb'.
 * colourOf(0) → '#0000ff', colourOf(0.5) → '#ffffff', colourOf(1) → '#ff0000'.
 */
export function colourOf(value: number, palette: Palette = 'bwr', domain: [number, number] = [0, 1]): string {
  return '#' + rgbOf(value, palette, domain).map((v) => v.toString(16).padStart(2, '0')).join('');
}
