import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareRuns, compareScale, loadBaseline, machineRatio, nnlabRatios } from '../../bench/baseline.js';
import type { BenchDocument } from '../../bench/baseline.js';

const t = (medianMs: number, cpuMedianMs = medianMs) => ({ timing: { medianMs, p10Ms: medianMs * 0.9, cpuMedianMs } });

function doc(parts: Partial<BenchDocument>): BenchDocument {
  return { schema: 'nnlab-bench/1', machine: { date: '2026-12-06' }, workloads: [], ...parts };
}

const XOR = 'XOR 2-2-1 sigmoid, train step (4 rows)';
const XOR_CAPTURED = 'XOR 2-2-1 sigmoid, train step, nnlab captured';

describe('before/after against a baseline (bench/baseline.ts)', () => {
  const before = doc({
    workloads: [
      { id: 'a', title: XOR, results: { nnlab: t(4), hand: t(0.6) } },
      { id: 'a', title: XOR_CAPTURED, results: { nnlab: t(0.8) } },
      { id: 'd', title: 'heat maps', results: { nnlab: t(1), 'tfjs-wasm': t(3) } },
      { id: 'x', title: 'a row the new run lacks', results: { nnlab: t(1) } },
    ],
    fit: { epochsPerCall: 1000, results: { fit: t(3), captureStep: t(1) } },
    scale: { results: { nnlab: { '1×8': t(0.01), '1×1024': t(5) } } },
  });
  const after = doc({
    workloads: [
      { id: 'a', title: XOR, results: { nnlab: t(2, 1), hand: t(0.6) } },
      { id: 'a', title: XOR_CAPTURED, results: { nnlab: t(0.4) } },
      { id: 'd', title: 'heat maps', results: { nnlab: t(1.5) } },
      { id: 'g', title: 'a row the baseline lacks', results: { nnlab: t(1) } },
    ],
    fit: { epochsPerCall: 2000, results: { fit: t(4), captureStep: t(2), 'brain.js': t(2) } },
    scale: { results: { nnlab: { '1×8': t(0.02), '8×8': t(0.02) } } },
  });

  it('compareRuns gives after/before of the medians for every row (by letter and title) and library both runs timed', () => {
    const rows = compareRuns(before, after, 'wall').map((c) => [c.row, c.library, c.ratio]);
    expect(rows).toEqual([
      [`(a) ${XOR}`, 'nnlab', 0.5],
      [`(a) ${XOR}`, 'hand', 1],
      [`(a) ${XOR_CAPTURED}`, 'nnlab', 0.5],
      ['(d) heat maps', 'nnlab', 1.5],
      ['(f) per epoch', 'fit', (4 / 2000) / (3 / 1000)],
      ['(f) per epoch', 'captureStep', 1],
    ]);
  });

  it('compareRuns(…, \'cpu\') divides the CPU medians', () => {
    expect(compareRuns(before, after, 'cpu')[0].ratio).toBe(0.25);
  });

  it('nnlabRatios picks nnlab\'s rows of one workload, by row: what the not-slower goals judge', () => {
    expect(nnlabRatios(compareRuns(before, after, 'wall'), 'a')).toEqual({ [`(a) ${XOR}`]: 0.5, [`(a) ${XOR_CAPTURED}`]: 0.5 });
    expect(nnlabRatios(compareRuns(before, after, 'wall'), 'c')).toEqual({});
  });

  it("machineRatio is the median after/before of a workload's other libraries, neither nnlab nor the hand loop", () => {
    const changes = compareRuns(before, after, 'wall');
    expect(machineRatio(changes, 'a')).toBeUndefined(); // only nnlab and the hand loop
    const row = (library: string, ratio: number) => ({ row: '(d) heat maps', library, before: t(1).timing, after: t(ratio).timing, ratio });
    expect(machineRatio([row('nnlab', 0.5), row('tfjs-wasm', 0.8), row('numpy', 0.6), row('torch', 0.7)], 'd')).toBe(0.7);
    expect(machineRatio([row('tfjs-wasm', 0.8), row('numpy', 0.6)], 'd')).toBeCloseTo(0.7, 12);
  });

  it('compareScale gives after/before per library and batch × width, for the cells both runs timed', () => {
    expect(compareScale(before, after, 'wall')).toEqual({ nnlab: { '1×8': 2 } });
    expect(compareScale(doc({}), after, 'wall')).toEqual({});
  });

  describe('loadBaseline(file)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nnlab-bench-baseline-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string): string => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };

    it('reads a --json output', () => {
      expect(loadBaseline(write('ok.json', JSON.stringify(before))).workloads).toHaveLength(4);
    });

    it('refuses a missing file, text that is not JSON and JSON of another kind, naming the file', () => {
      const missing = path.join(dir, 'missing.json');
      expect(() => loadBaseline(missing)).toThrow(`--baseline: cannot read ${missing} as JSON`);
      const text = write('text.json', 'median 4 µs');
      expect(() => loadBaseline(text)).toThrow(`--baseline: cannot read ${text} as JSON`);
      const other = write('package.json', JSON.stringify({ name: 'nnlab', workloads: [] }));
      expect(() => loadBaseline(other)).toThrow(`--baseline: ${other} is not the output of npm run --silent bench -- --json`);
    });
  });
});
