import { describe, expect, it } from 'vitest';
import { toPixels } from '../canvas/overlay.js';
import { CURVE_COLOURS, CurveHistory } from './charts.js';
import { classColour, classMapPixels, discretized, pointMark, toData } from './output-view.js';
import { linkWidth } from './network-view.js';

describe('toData(x, y, resolution, width, height)', () => {
  it('inverts the overlay\'s toPixels', () => {
    const [x, y] = toPixels([0.25, 0.8], 40, 320, 320);
    const [x0, x1] = toData(x, y, 40, 320);
    expect(x0).toBeCloseTo(0.25, 10);
    expect(x1).toBeCloseTo(0.8, 10);
  });
});

describe('classMapPixels(probabilities, resolution, palette, discretize)', () => {
  const p0 = [1, 1 / 3, 0, 0.2];
  const p1 = [0, 1 / 3, 1, 0.2];
  const p2 = [0, 1 / 3, 0, 0.6];
  it('colours a sure cell with its class, an undecided one white, with x1 upwards', () => {
    const pixels = classMapPixels([p0, p1, p2], 2, 'bwr', false);
    // grid row 0 (cells 0, 1) is the bottom pixel row (bytes 8..15)
    expect(Array.from(pixels.slice(8, 12))).toEqual([0x1f, 0x77, 0xb4, 255]);
    expect(Array.from(pixels.slice(12, 16))).toEqual([255, 255, 255, 255]);
  });
  it('discretised, every cell takes its class colour in full', () => {
    const pixels = classMapPixels([p0, p1, p2], 2, 'bwr', true);
    expect(Array.from(pixels.slice(4, 8))).toEqual([0x2c, 0xa0, 0x2c, 255]);
  });
});

describe('classColour(label, classes, palette)', () => {
  it('uses the palette\'s ends for two classes', () => {
    expect([classColour(0, 2, 'bwr'), classColour(1, 2, 'bwr')]).toEqual(['#0000ff', '#ff0000']);
  });
});

describe('discretized(values) and linkWidth(w)', () => {
  it('thresholds P(class 1) at 0.5', () => {
    expect(Array.from(discretized([0.2, 0.5, 0.9]))).toEqual([0, 1, 1]);
  });
  it('grows with |w| and is capped', () => {
    expect(linkWidth(0.4)).toBeCloseTo(1);
    expect(linkWidth(-0.4)).toBeCloseTo(1);
    expect(linkWidth(100)).toBe(8);
    expect(linkWidth(NaN)).toBe(0.4);
  });
});

describe('CurveHistory', () => {
  const record = (epoch: number) => ({ epoch, trainLoss: 1 / epoch, testLoss: null, trainAccuracy: 0.5, testAccuracy: null });
  it('keeps at most `capacity` records by thinning, and always the latest', () => {
    const history = new CurveHistory(10);
    for (let e = 1; e <= 95; e++) history.add(record(e));
    const epochs = history.all().map((r) => r.epoch);
    expect(epochs.length).toBeLessThanOrEqual(11);
    expect(epochs.at(-1)).toBe(95);
    expect(history.series('loss')).toHaveLength(1);
  });
  it('series(field) is built once per change: the same arrays until the next add', () => {
    const history = new CurveHistory();
    history.add(record(1));
    const first = history.series('loss');
    expect(history.series('loss')).toBe(first);
    history.add(record(2));
    expect(history.series('loss')).not.toBe(first);
    expect(history.series('loss')[0].errors).toEqual([1, 0.5]);
    expect(history.lastEpoch).toBe(2);
  });
  it('every doubles as the history thins', () => {
    const history = new CurveHistory(10);
    expect(history.every).toBe(1);
    for (let e = 1; e <= 95; e++) history.add(record(e));
    expect(history.every).toBe(16);
    expect(history.all().slice(0, -1).every((r) => r.epoch % history.every === 0)).toBe(true);
  });
  it('replaces a record of the same epoch', () => {
    const history = new CurveHistory();
    history.add(record(3));
    history.add({ ...record(3), trainLoss: 7 });
    expect(history.all()).toEqual([{ ...record(3), trainLoss: 7 }]);
  });
});

describe('pointMark(test, scale) and the curves\' colours', () => {
  it('marks test points as squares edged thinly, so their class colour fills most of the mark', () => {
    const train = pointMark(false, 1);
    const test = pointMark(true, 1);
    expect([train.shape, test.shape]).toEqual(['disc', 'square']);
    // Shares of the square's area: the white edge is stroked on the boundary (half inside), the
    // dark line outside it. The old test mark, a 2 px dark ring stroked on a 4 px disc, was 64 % dark.
    const outer = (test.size + test.edge / 2 + test.outline) ** 2;
    const colour = (test.size - test.edge / 2) ** 2 / outer;
    const dark = 1 - (test.size + test.edge / 2) ** 2 / outer;
    expect(dark).toBeLessThan(0.3);
    expect(colour).toBeGreaterThan(1.5 * dark);
  });
  it('draws the loss and accuracy curves in colours that are no class\'s colour in either palette', () => {
    const classColours = (['bwr', 'colorblind'] as const).flatMap((palette) => [2, 6].flatMap((classes) => Array.from({ length: classes }, (_, c) => classColour(c, classes, palette))));
    const history = new CurveHistory();
    history.add({ epoch: 1, trainLoss: 1, testLoss: 2, trainAccuracy: 0.5, testAccuracy: 0.4 });
    const colours = [...history.series('loss'), ...history.series('accuracy')].map((s) => s.colour);
    expect(colours).toEqual([CURVE_COLOURS.train, CURVE_COLOURS.test, CURVE_COLOURS.train, CURVE_COLOURS.test]);
    for (const colour of Object.values(CURVE_COLOURS)) expect(classColours).not.toContain(colour);
  });
});
