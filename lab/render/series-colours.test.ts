/**
 * One colour per series on a page: a series (a comparison run, a loss, a quantity) is drawn in
 * the same colour in the live error curve (the page's canvas), the error figure and every panel
 * figure of its experiment, live (each figure record as it arrives) and final.
 */
import { describe, expect, it } from 'vitest';
import { experiments, resolveConfig } from '../experiments/index.js';
import type { LabRecord } from '../experiments/types.js';
import { drawErrorCurve } from '../web/canvas/curve.js';
import { RunLog } from '../web/experiment/run-log.js';
import { toWire } from '../web/experiment/protocol.js';
import { figuresOf } from './index.js';
import { panelColours, panelsSvg } from './panels.js';
import { SMALL_RUNS as SMALL } from '../../test/lab/small-runs.js';

/** Every legend entry of an SVG figure: its label, the stroke colour of its swatch and its dash. */
function svgLegend(svg: string): { label: string; colour: string; dash: string }[] {
  const pattern = /<line [^>]*stroke="(#[0-9a-f]{6})"[^>]*?(?: stroke-dasharray="([^"]*)")?\/><text [^>]*>([^<]*)<\/text>/g;
  return [...svg.matchAll(pattern)].map((m) => ({ label: m[3].replace(/&amp;/g, '&'), colour: m[1], dash: m[2] ?? '' }));
}

/**
 * The legend the live error curve draws: drawErrorCurve on a canvas whose 2D context records
 * each swatch's fill colour (fillRect) and the label written after it (fillText).
 */
function liveLegend(log: RunLog): { label: string; colour: string }[] {
  const legend: { label: string; colour: string }[] = [];
  let fillStyle = '';
  let swatch: string | undefined;
  const context = new Proxy({} as Record<string | symbol, unknown>, {
    get(target, key) {
      if (key === 'fillStyle') return fillStyle;
      if (key === 'measureText') return (text: string) => ({ width: text.length * 6 });
      if (key === 'fillRect') return () => void (swatch = fillStyle);
      if (key === 'fillText') {
        return (text: string) => {
          if (swatch !== undefined) legend.push({ label: text, colour: swatch });
          swatch = undefined;
        };
      }
      return key in target ? target[key] : () => undefined;
    },
    set(target, key, value) {
      if (key === 'fillStyle') fillStyle = value;
      else target[key] = value;
      return true;
    },
  });
  const canvas = { width: 600, height: 260, clientWidth: 600, getContext: () => context } as unknown as HTMLCanvasElement;
  drawErrorCurve(canvas, [...log.series.values()], { yLabel: 'error', lastEpoch: log.start?.epochs ?? 1 });
  return legend;
}

interface Drawn {
  chart: string;
  label: string;
  colour: string;
  dash: string;
}

/** Every series the page and the figures draw, with its colour, chart by chart. */
function drawnSeries(records: readonly LabRecord[]): { drawn: Drawn[]; runs: string[] } {
  const log = new RunLog();
  log.add(records.map((r) => toWire(r).record));
  const drawn: Drawn[] = [];
  const live = liveLegend(log);
  expect(live.map((e) => e.label)).toEqual([...log.series.values()].map((s) => s.label));
  for (const entry of live) drawn.push({ chart: 'live error curve', ...entry, dash: '' });
  for (const figure of figuresOf(records)) {
    if (figure.name !== 'error') continue;
    for (const entry of svgLegend(figure.svg)) drawn.push({ chart: 'error figure', ...entry });
  }
  // Every figure record as the page draws it while the run goes on, and the final one.
  for (const [i, record] of records.entries()) {
    if (record.kind !== 'figure') continue;
    const svg = panelsSvg(record);
    const fromLegends = svgLegend(svg);
    const all: Drawn[] = [];
    for (const panel of record.panels) {
      const colours = panelColours(panel);
      panel.series.forEach((s, k) => all.push({ chart: `figure '${record.name}' (record ${i}), panel '${panel.title}'`, label: s.label, colour: colours[k], dash: s.style === 'dotted' ? '2,4' : '' }));
    }
    // The SVG's legends show the colours panelColours gives (panels of one line have no legend).
    for (const entry of fromLegends) expect(all.map(({ label, colour, dash }) => ({ label, colour, dash }))).toContainEqual(entry);
    drawn.push(...all);
  }
  return { drawn, runs: live.map((e) => e.label) };
}

/**
 * The series a label names: a run's label, also when the label goes on after it ('annealing:
 * best so far', 'gradient descent: 18 of 20 seeds solved'), else the label itself.
 */
function seriesOf(label: string, runs: readonly string[]): string {
  const run = runs.find((r) => label === r || label.startsWith(`${r}: `) || label.startsWith(`${r} (`));
  return run ?? label;
}

describe('series colours', () => {
  it.each(experiments.map((e) => e.name))(
    '%s: each series has one colour across the live error curve, the error figure and every figure record, and no chart shows two series alike',
    (name) => {
      const experiment = experiments.find((e) => e.name === name)!;
      const records = [...experiment.run(resolveConfig(experiment, SMALL[name]), 1)];
      const { drawn, runs } = drawnSeries(records);
      const colours = new Map<string, Set<string>>();
      for (const d of drawn) {
        const series = seriesOf(d.label, runs);
        colours.set(series, (colours.get(series) ?? new Set()).add(d.colour));
      }
      const mixed = [...colours].filter(([, set]) => set.size > 1).map(([series]) => ({
        series,
        drawn: drawn.filter((d) => seriesOf(d.label, runs) === series).map((d) => `${d.colour} in ${d.chart}`),
      }));
      expect(mixed).toEqual([]);
      // Within a chart, two series differ in colour or in dash.
      const byChart = new Map<string, Drawn[]>();
      for (const d of drawn) byChart.set(d.chart, [...(byChart.get(d.chart) ?? []), d]);
      for (const [chart, list] of byChart) {
        const looks = list.map((d) => `${d.colour} ${d.dash}`);
        expect([chart, new Set(looks).size]).toEqual([chart, new Set(list.map((d) => d.label)).size]);
      }
    },
  );

  it('the check sees a run drawn in two colours: exploding-gradients with its loss panels coloured by position', () => {
    const experiment = experiments.find((e) => e.name === 'exploding-gradients')!;
    const records = [...experiment.run(resolveConfig(experiment, SMALL['exploding-gradients']), 1)].map((r) =>
      r.kind === 'figure' ? { ...r, panels: r.panels.map((p) => ({ ...p, series: p.series.map(({ variant: _, ...s }) => s) })) } : r,
    );
    const { drawn } = drawnSeries(records);
    const noClipping = new Set(drawn.filter((d) => d.label === 'no clipping').map((d) => d.colour));
    expect(noClipping.size).toBe(2);
  });
});
