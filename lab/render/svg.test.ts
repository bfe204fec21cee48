/**
 * The SVG figures: heat maps, error curves, panels and a run's figures. One file, because each
 * test file re-imports Observable Plot and linkedom (about a second on this machine).
 */
import { describe, expect, it } from 'vitest';
import type { FigureRecord, HeatMap, LabRecord } from '../experiments/types.js';
import { errorDomain } from './error-curve.js';
import { errorCurveSvg, figuresOf, heatMapSvg, lineSegment, panelsSvg, svgToPng } from './index.js';
import { logDomain, logTicks, needsLogAxis, powerOfTenLabel } from './scale.js';
import { seriesColour } from './series-colours.js';
import { parseSvg, pixelsOf, pixelsOfUri, texts } from './test-helpers.js';

// ---- heatmap.ts ----
/** A map whose value at (x0, x1) is f(x0, x1), row-major with row r ↔ x1 = r / (n − 1). */
function mapOf(n: number, f: (x0: number, x1: number) => number, name = 'Output'): HeatMap {
  const values: number[] = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) values.push(f(c / (n - 1), r / (n - 1)));
  return { name, resolution: n, values };
}

function imageHref(svg: string): string {
  const image = parseSvg(svg).querySelector('image');
  if (image === null) throw new Error('no <image> in the heat map');
  return image.getAttribute('href') ?? '';
}

describe('heatMapSvg', () => {
  it('heatMapSvg(map) is well-formed SVG with the title and the axis labels x0 and x1', () => {
    const svg = heatMapSvg(mapOf(5, (x0) => x0), { title: 'Output & more' });
    const labels = texts(parseSvg(svg));
    expect(labels).toContain('Output & more');
    expect(labels).toContain('x0');
    expect(labels).toContain('x1');
    expect(labels).toContain('1.0');
  });

  it('heatMapSvg(map) is deterministic', () => {
    const map = mapOf(8, (x0, x1) => x0 * x1);
    const options = { lines: [{ name: 'h0', weights: [1, 1] as [number, number], bias: -1 }] };
    expect(heatMapSvg(map, options)).toBe(heatMapSvg(map, options));
  });

  it('heatMapSvg(map) puts x1 = 1 at the top and x0 = 1 at the right, 0 blue and 1 red', () => {
    const n = 6;
    const byX1 = pixelsOfUri(imageHref(heatMapSvg(mapOf(n, (_, x1) => x1))));
    expect([byX1.width, byX1.height]).toEqual([n, n]);
    expect(byX1.at(0, 0)).toBe('#ff0000');
    expect(byX1.at(n - 1, 0)).toBe('#ff0000');
    expect(byX1.at(0, n - 1)).toBe('#0000ff');
    const byX0 = pixelsOfUri(imageHref(heatMapSvg(mapOf(n, (x0) => x0))));
    expect(byX0.at(0, 0)).toBe('#0000ff');
    expect(byX0.at(n - 1, 0)).toBe('#ff0000');
  });

  it('heatMapSvg(map) rasterises with red above blue for a map of x1', async () => {
    const pixels = pixelsOf(await svgToPng(heatMapSvg(mapOf(10, (_, x1) => x1)), { scale: 1 }));
    const column = Array.from({ length: pixels.height }, (_, y) => pixels.at(Math.floor(pixels.width / 3), y));
    const firstRed = column.indexOf('#ff0000');
    const lastBlue = column.lastIndexOf('#0000ff');
    expect(firstRed).toBeGreaterThan(0);
    expect(lastBlue).toBeGreaterThan(firstRed);
  });

  it("heatMapSvg(map, { palette: 'colorblind' }) uses the colour-blind scale", () => {
    const pixels = pixelsOfUri(imageHref(heatMapSvg(mapOf(4, (_, x1) => x1), { palette: 'colorblind' })));
    expect(pixels.at(0, 0)).toBe('#a63603');
    expect(pixels.at(0, 3)).toBe('#08519c');
  });

  it('heatMapSvg(map) honours map.domain', () => {
    const map = { ...mapOf(3, (x0) => 2 * x0 - 1), domain: [-1, 1] as [number, number] };
    const pixels = pixelsOfUri(imageHref(heatMapSvg(map)));
    expect([pixels.at(0, 0), pixels.at(1, 0), pixels.at(2, 0)]).toEqual(['#0000ff', '#ffffff', '#ff0000']);
    expect(texts(parseSvg(heatMapSvg(map)))).toContain('−1.0');
  });

  it('heatMapSvg(map, { lines, points }) draws each line, its name, and outlined points filled by target', () => {
    const points = [
      { input: [0, 0], target: [0] },
      { input: [1, 1], target: [1] },
    ];
    const document = parseSvg(heatMapSvg(mapOf(5, () => 0.5), { lines: [{ name: 'h0', weights: [1, 1], bias: -1 }], points }));
    expect(texts(document)).toContain('h0');
    expect(document.querySelectorAll('[stroke-dasharray] path').length).toBe(1);
    const circles = Array.from(document.querySelectorAll('circle'));
    expect(circles.map((c) => c.getAttribute('fill'))).toEqual(['#0000ff', '#ff0000']);
    const group = circles[0].parentElement;
    expect(group?.getAttribute('stroke')).toBe('black');
  });

  it('heatMapSvg(map) rejects values that do not match the resolution', () => {
    expect(() => heatMapSvg({ name: 'Output', resolution: 3, values: [0, 1] })).toThrow(/2 values, expected resolution² = 3² = 9/);
  });

  it('heatMapSvg(map) draws the cells as one embedded image: a 50 × 50 map has as many SVG elements as a 5 × 5 one', () => {
    // Why it is fast enough to redraw live (timings are the benchmarks' business, not a test's):
    // the cost in elements does not grow with the resolution.
    const points = [0, 1].flatMap((a) => [0, 1].map((b) => ({ input: [a, b], target: [a ^ b] })));
    const elements = (n: number) => {
      const svg = parseSvg(heatMapSvg(mapOf(n, (x0, x1) => 1 / (1 + Math.exp(-10 * (x0 - x1)))), { points, lines: [{ name: 'h0', weights: [1, -1], bias: 0 }] }));
      expect(svg.querySelectorAll('image')).toHaveLength(2); // the map and its colour bar
      return svg.querySelectorAll('*').length;
    };
    expect(elements(50)).toBe(elements(5));
  });
});

describe('lineSegment', () => {
  it('lineSegment(x0 = 0.5, [0, 1]) is the vertical segment through the square', () => {
    expect(lineSegment({ name: 'a', weights: [1, 0], bias: -0.5 }, [0, 1])).toEqual([
      [0.5, 0],
      [0.5, 1],
    ]);
  });

  it('lineSegment(x0 + x1 = 1, [0, 1]) runs corner to corner', () => {
    const segment = lineSegment({ name: 'a', weights: [1, 1], bias: -1 }, [0, 1]);
    expect(segment).toHaveLength(2);
    const sorted = [...(segment ?? [])].sort((p, q) => p[0] - q[0]);
    expect(sorted).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('lineSegment(line, square) is null for a line that misses the square or has no weights', () => {
    expect(lineSegment({ name: 'a', weights: [1, 1], bias: -5 }, [0, 1])).toBeNull();
    expect(lineSegment({ name: 'a', weights: [0, 0], bias: 1 }, [0, 1])).toBeNull();
  });
});

// ---- error-curve.ts ----
const crossEntropy = [
  { label: 'train', points: [0, 1, 2, 3].map((epoch) => ({ epoch, error: 1.39 / (1 + epoch) })) },
  { label: 'no dropout', points: [0, 1, 2, 3].map((epoch) => ({ epoch, error: 1.2 / (1 + 2 * epoch) })) },
];

describe('errorCurveSvg', () => {
  it("errorCurveSvg(series, { yLabel }) is well-formed, titled 'Error progress', with axes 'epoch' and yLabel and a legend", () => {
    const labels = texts(parseSvg(errorCurveSvg(crossEntropy, { yLabel: 'XE' })));
    for (const label of ['Error progress', 'epoch', 'XE', 'train', 'no dropout']) expect(labels).toContain(label);
  });

  it('errorCurveSvg(series, { title }) uses the title given', () => {
    expect(texts(parseSvg(errorCurveSvg(crossEntropy, { yLabel: 'MSE', title: 'Dropout' })))).toContain('Dropout');
  });

  it('errorCurveSvg(series) is deterministic', () => {
    expect(errorCurveSvg(crossEntropy, { yLabel: 'XE' })).toBe(errorCurveSvg(crossEntropy, { yLabel: 'XE' }));
  });

  it('errorCurveSvg(series) fits the y axis to the whole curve, so cross entropy near ln 4 is not cut off', () => {
    const ticks = texts(parseSvg(errorCurveSvg(crossEntropy, { yLabel: 'XE' })))
      .map(Number)
      .filter(Number.isFinite);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(1.39);
  });

  it('errorCurveSvg(series) switches to a log axis, labelled so, when a series diverges by many orders of magnitude', () => {
    const diverging = [{ label: 'no clipping', points: [0.3, 40, 9e5, 9e12].map((error, epoch) => ({ epoch, error })) }, { label: 'clipped', points: [0.3, 0.2, 0.1, 0.07].map((error, epoch) => ({ epoch, error })) }];
    const labels = texts(parseSvg(errorCurveSvg(diverging, { yLabel: 'MSE' })));
    expect(labels).toContain('MSE (log scale)');
    expect(labels).toEqual(expect.arrayContaining(['0.01', '1', '10¹²']));
    expect(texts(parseSvg(errorCurveSvg(diverging.slice(1), { yLabel: 'MSE' })))).toContain('MSE');
  });

  it('errorCurveSvg(series) leaves gaps for non-finite errors', () => {
    const svg = errorCurveSvg([{ label: 'train', points: [0.3, NaN, Infinity, 0.1].map((error, epoch) => ({ epoch, error })) }], { yLabel: 'MSE' });
    parseSvg(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('errorDomain', () => {
  it('errorDomain(series) starts at 0 and reaches above the highest finite error', () => {
    expect(errorDomain(crossEntropy)).toEqual([0, 1.39 * 1.05]);
  });

  it('errorDomain(series) is [0, 1] without a positive finite error', () => {
    expect(errorDomain([{ label: 'train', points: [{ epoch: 0, error: NaN }] }])).toEqual([0, 1]);
    expect(errorDomain([])).toEqual([0, 1]);
  });
});

// ---- panels.ts ----
const xs = Array.from({ length: 21 }, (_, i) => i - 10);
const figure: FigureRecord = {
  kind: 'figure',
  name: 'losses',
  title: 'Square error & cross entropy',
  panels: [
    {
      title: 'Square error (t=0)',
      xLabel: 'x',
      yLabel: 'y',
      xDomain: [-10, 10],
      yDomain: [-0.1, 5],
      series: [
        { label: 'sigmoid', x: xs, y: xs.map((x) => 1 / (1 + Math.exp(-x))) },
        { label: 'square_error', x: xs, y: xs.map((x) => (1 / (1 + Math.exp(-x))) ** 2), style: 'dotted' },
      ],
    },
    {
      title: 'softmax(xs)',
      xLabel: 'logits',
      yLabel: '',
      xDomain: [-1.5, 1.5],
      yDomain: [0, 1],
      series: [{ label: 'p', x: [-1, 0, 1], y: [0.09, 0.245, 0.665], style: 'bars' }],
    },
  ],
};

describe('panelsSvg', () => {
  it('panelsSvg(figure) is well-formed with the figure title, panel titles, axis labels and a legend', () => {
    const labels = texts(parseSvg(panelsSvg(figure)));
    for (const label of ['Square error & cross entropy', 'Square error (t=0)', 'softmax(xs)', 'x', 'y', 'logits', 'sigmoid', 'square_error']) {
      expect(labels).toContain(label);
    }
  });

  it('panelsSvg(figure) prints each bar value to 2 decimals', () => {
    const labels = texts(parseSvg(panelsSvg(figure)));
    expect(labels).toEqual(expect.arrayContaining(['0.09', '0.24', '0.67']));
    expect(parseSvg(panelsSvg(figure)).querySelectorAll('rect[height]').length).toBeGreaterThanOrEqual(3);
  });

  it("panelsSvg(figure) is deterministic, its ids prefixed with the figure's name", () => {
    const svg = panelsSvg(figure);
    expect(panelsSvg(figure)).toBe(svg);
    const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('losses-'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  const norms = (yScale: 'log' | 'linear', yDomain: [number, number]): FigureRecord => ({
    kind: 'figure',
    name: 'norms',
    title: 'Gradient norm per layer',
    panels: [{ title: 'sigmoid', xLabel: 'layer', yLabel: 'norm', xDomain: [1, 4], yDomain, yScale, series: [{ label: 'n', x: [1, 2, 3, 4], y: [1e-6, 0, 1e-2, 1] }] }],
  });

  it('panelsSvg(figure) with a log y axis labels powers of ten and breaks the line at a value ≤ 0', () => {
    const svg = panelsSvg(norms('log', [1e-7, 10]));
    const doc = parseSvg(svg);
    const labels = texts(doc);
    expect(labels).toEqual(expect.arrayContaining(['10⁻⁶', '10⁻⁴', '0.01', '1']));
    // Points 1 and 3–4 are drawn; 2 (a zero) is not: the line has two pieces.
    const path = doc.querySelector('g[stroke="#1f77b4"] path')?.getAttribute('d') ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
  });

  it('powerOfTenLabel(v) writes powers of ten plainly near 1, with superscripts beyond, and leaves other ticks blank', () => {
    expect([1e-7, 1e-3, 0.01, 0.1, 1, 10, 100, 1000, 2e-5, 30].map(powerOfTenLabel)).toEqual(['10⁻⁷', '10⁻³', '0.01', '0.1', '1', '10', '100', '10³', '', '']);
  });

  it('needsLogAxis(range) only past a span of 10⁶ of positive errors; logTicks(lo, hi, n) are powers of ten, thinned to about n', () => {
    expect(needsLogAxis([3e-4, 0.25])).toBe(false);
    expect(needsLogAxis([0.07, 9e12])).toBe(true);
    expect(needsLogAxis([0, 9e12])).toBe(false);
    expect(needsLogAxis(undefined)).toBe(false);
    expect(logTicks(0.01, 1000, 6)).toEqual([0.01, 0.1, 1, 10, 100, 1000]);
    expect(logTicks(0.01, 1e13, 6)).toEqual([0.01, 1e1, 1e4, 1e7, 1e10, 1e13]);
  });

  it('panelsSvg(figure) without domains fits them: whole decades around the positive values on a log axis, the range on a linear one', () => {
    const fitted = norms('log', [1, 2]);
    delete fitted.panels[0].yDomain;
    delete fitted.panels[0].xDomain;
    const given: FigureRecord = { ...fitted, panels: [{ ...fitted.panels[0], xDomain: [1, 4], yDomain: logDomain([1e-6, 1]) }] };
    expect(logDomain([1e-6, 1])).toEqual([1e-6, 1]);
    expect(logDomain([2e-6, 0.3])).toEqual([1e-6, 1]);
    expect(logDomain([10, 10])).toEqual([10, 100]);
    expect(panelsSvg(fitted)).toBe(panelsSvg(given));
  });

  it('panelsSvg(figure) with sharedY fits one y domain over every panel', () => {
    const panel = (title: string, y: number[]) => ({ title, xLabel: 'layer', yLabel: 'norm', yScale: 'log' as const, series: [{ label: 'n', x: [1, 2], y }] });
    const shared: FigureRecord = { kind: 'figure', name: 'norms', title: 't', sharedY: true, panels: [panel('a', [1e-3, 1e-2]), panel('b', [1, 10])] };
    const explicit: FigureRecord = { ...shared, sharedY: undefined, panels: shared.panels.map((p) => ({ ...p, xDomain: [1, 2] as [number, number], yDomain: [1e-3, 10] as [number, number] })) };
    expect(panelsSvg(shared)).toBe(panelsSvg(explicit));
  });

  it('panelsSvg(figure) draws a series with `variant: i` in error series i’s colour, others by position', () => {
    const figure: FigureRecord = {
      kind: 'figure', name: 'v', title: 't',
      panels: [{ title: 'p', xLabel: 'x', yLabel: 'y', series: [{ label: 'a', x: [0, 1], y: [0, 1] }, { label: 'b', variant: 0, x: [0, 1], y: [1, 0] }] }],
    };
    const strokes = Array.from(parseSvg(panelsSvg(figure)).querySelectorAll('g[stroke]')).map((g) => g.getAttribute('stroke'));
    expect(strokes).toEqual(expect.arrayContaining(['#1f77b4', seriesColour(0)]));
  });

  it('panelsSvg(figure) refuses a log axis whose domain is not positive, naming the figure, panel and domain', () => {
    expect(() => panelsSvg(norms('log', [0, 1]))).toThrow("figure 'norms', panel 'sigmoid': a log y axis needs a positive, increasing domain, got [0, 1]");
  });
});

// ---- figures.ts ----
const constant = (name: string, value: number, n = 4): HeatMap => ({ name, resolution: n, values: new Array<number>(n * n).fill(value) });
const corners = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];

function xorRun(): LabRecord[] {
  return [
    { kind: 'start', experiment: 'two-layer', config: {}, seed: 1, epochs: 2, reportEvery: 1, errorLabel: 'XE', data: corners.map(([a, b]) => ({ input: [a, b], target: [a ^ b] })) },
    { kind: 'epoch', epoch: 0, error: 0.69, series: 'train' },
    { kind: 'epoch', epoch: 0, error: 0.7, series: 'no dropout' },
    { kind: 'snapshot', epoch: 0, maps: [constant('Output', 0.5)], parameters: {} },
    { kind: 'epoch', epoch: 1, error: 0.5, series: 'train' },
    { kind: 'epoch', epoch: 1, error: 0.6, series: 'no dropout' },
    {
      kind: 'snapshot',
      epoch: 2,
      maps: [constant('Output', 0.9), constant('h0', 0.2), constant('h1', 0.8)],
      lines: [
        { name: 'h0', weights: [1, 1], bias: -0.5 },
        { name: 'h1', weights: [1, 1], bias: -1.5 },
      ],
      parameters: {},
    },
    { kind: 'figure', name: 'activations', title: 'Activation functions', panels: [{ title: 'sigmoid(xs)', xLabel: 'x', yLabel: 'y', xDomain: [-1, 1], yDomain: [0, 1], series: [{ label: 's', x: [-1, 1], y: [0.27, 0.73] }] }] },
    { kind: 'final', error: 0.4, predictions: [], parameters: {} },
  ];
}

describe('figuresOf', () => {
  it('figuresOf(records) draws the latest figure record of each name, in the order the names first came', () => {
    const panel = (y: number) => ({ title: 'p', xLabel: 'x', yLabel: 'y', xDomain: [0, 1] as [number, number], yDomain: [0, 1] as [number, number], series: [{ label: 's', x: [0, 1], y: [y, y] }] });
    const records: LabRecord[] = [
      { kind: 'figure', name: 'a', title: 'A at epoch 0', panels: [panel(0.1)] },
      { kind: 'figure', name: 'b', title: 'B', panels: [panel(0.2)] },
      { kind: 'figure', name: 'a', title: 'A at epoch 10', panels: [panel(0.3)] },
    ];
    expect(figuresOf(records).map((f) => [f.name, f.title])).toEqual([
      ['a', 'A at epoch 10'],
      ['b', 'B'],
    ]);
  });

  it("figuresOf(records) is 'output', 'hidden', 'error' and one figure per figure record, all well-formed", () => {
    const figures = figuresOf(xorRun());
    expect(figures.map((f) => f.name)).toEqual(['output', 'hidden', 'error', 'activations']);
    for (const figure of figures) expect(texts(parseSvg(figure.svg))).toContain(figure.title);
  });

  it('figuresOf(records) draws the last snapshot, with every decision line on the output map', () => {
    const [output, hidden] = figuresOf(xorRun());
    expect(output.title).toBe('Output after 2 epochs');
    const outputTexts = texts(parseSvg(output.svg));
    expect(outputTexts).toEqual(expect.arrayContaining(['h0', 'h1']));
    const hiddenDocument = parseSvg(hidden.svg);
    expect(texts(hiddenDocument)).toEqual(expect.arrayContaining(['h0', 'h1']));
    // One line per hidden map: its own.
    expect(hiddenDocument.querySelectorAll('[stroke-dasharray] path').length).toBe(2);
  });

  it("figuresOf(records) overlays the start record's data on every heat map", () => {
    for (const figure of figuresOf(xorRun()).slice(0, 2)) {
      const fills = Array.from(parseSvg(figure.svg).querySelectorAll('circle')).map((c) => c.getAttribute('fill'));
      expect(fills.filter((f) => f === '#ff0000').length).toBe(fills.length / 2);
    }
  });

  it("figuresOf(records) plots every error series against the start record's errorLabel", () => {
    const error = figuresOf(xorRun()).find((f) => f.name === 'error');
    expect(texts(parseSvg(error?.svg ?? ''))).toEqual(expect.arrayContaining(['Error progress', 'epoch', 'XE', 'train', 'no dropout']));
  });

  it("figuresOf(records) with four 'Output k' maps draws them in one figure, each point red only on its own class", () => {
    const records: LabRecord[] = [
      { kind: 'start', experiment: 'categorical', config: {}, seed: 1, data: corners.map(([a, b], k) => ({ input: [a, b], target: [k] })) },
      { kind: 'snapshot', epoch: 5, maps: [0, 1, 2, 3].map((k) => constant(`Output ${k}`, 0.25)), parameters: {} },
    ];
    const [output] = figuresOf(records);
    expect(figuresOf(records).map((f) => f.name)).toEqual(['output']);
    const document = parseSvg(output.svg);
    expect(texts(document)).toEqual(expect.arrayContaining(['Output 0', 'Output 1', 'Output 2', 'Output 3']));
    const fills = Array.from(document.querySelectorAll('circle')).map((c) => c.getAttribute('fill'));
    expect(fills).toHaveLength(16);
    expect(fills.filter((f) => f === '#ff0000')).toHaveLength(4);
  });

  it("figuresOf(records, { palette: 'colorblind' }) changes the heat maps only", () => {
    const bwr = figuresOf(xorRun());
    const colorblind = figuresOf(xorRun(), { palette: 'colorblind' });
    expect(colorblind[0].svg).not.toBe(bwr[0].svg);
    expect(colorblind[2].svg).toBe(bwr[2].svg);
  });

  it('figuresOf(records) is deterministic', () => {
    expect(figuresOf(xorRun())).toEqual(figuresOf(xorRun()));
  });

  it('figuresOf(records) of a run without snapshots or epochs has only its figure records', () => {
    expect(figuresOf(xorRun().filter((r) => r.kind !== 'snapshot' && r.kind !== 'epoch')).map((f) => f.name)).toEqual(['activations']);
    expect(figuresOf([])).toEqual([]);
  });
});

describe('titled figures', () => {
  it('panelsSvg(figure) widens the figure to a title longer than its panels, so the title is not clipped', () => {
    const title = 'A title far longer than one small panel could ever hold on its own, surely';
    const svg = panelsSvg({ kind: 'figure', name: 'wide', title, panels: [{ title: 'p', xLabel: 'x', yLabel: 'y', series: [{ label: 's', x: [0, 1], y: [0, 1] }] }] });
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    // 13 px bold text, about 0.68 em a character (the estimate layout.ts uses for DejaVu Sans Bold).
    expect(width).toBeGreaterThanOrEqual(title.length * 13 * 0.68);
    const x = Number(/<text x="([\d.]+)"[^>]*font-weight="bold">A title/.exec(svg)![1]);
    expect(x).toBeCloseTo((width - 20) / 2, 0);
  });
});
