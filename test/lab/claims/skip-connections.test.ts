/**
 * skip-connections: the explanation's sentence over seeds 1–20 (how far the bypassed layers'
 * gradient norms spread at the start) is what those seeds give; the findings and the README row
 * state the default run (seed 1), its nets by the verdict (points on the right side); the help
 * text's "sigmoid is the one whose gradients vanish" and the highway gates' start hold, and the
 * findings say how far training moved the gates. Fails when a kernel or a default changes them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FigureRecord, FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { connectionRows, gateRows, gateSentence, skipConnectionsFindings, skipSeedSentence, spreadText } from '../../../lab/experiments/claims/skip-connections.js';
import { claimNumber } from '../../../lab/experiments/claims/vanishing-gradients.js';
import { findingsOf } from '../../../lab/experiments/claims/index.js';
import { rightSideOf, verdictOf } from '../../../lab/experiments/verdict.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const row = readme.split('\n').find((line) => line.startsWith('| `skip-connections` |')) ?? '';
const experiment = findExperiment('skip-connections');
const defaults = resolveConfig(experiment);
const shape = { depth: Number(defaults.depth), epochs: Number(defaults.epochs) };

// epochs 0: the norms at the start are all these claims read; training does not change them.
const atStart = (given: Record<string, unknown>, seed: number): LabRecord[] => [...experiment.run(resolveConfig(experiment, { epochs: 0, resolution: 2, ...given }), seed)];
const finalOf = (records: readonly LabRecord[]): FinalRecord => records.find((r): r is FinalRecord => r.kind === 'final')!;
const spreadOf = (final: FinalRecord, variant: string): number => connectionRows(final).find((r) => r.variant === variant)!.spreadAtStart;

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
/** 5×10⁴: one significant digit, as the README writes a ratio this large. */
const powerOfTen = (value: number): string => {
  const [mantissa, exponent] = value.toExponential(0).split('e');
  return `${mantissa}×10${[...String(Number(exponent))].map((c) => SUPERSCRIPT[c]).join('')}`;
};

describe('skip-connections explanation and help text', () => {
  it('states how far the norms spread at the start over seeds 1–20, as those seeds give', () => {
    const finals = Array.from({ length: 20 }, (_, i) => finalOf(atStart({}, i + 1)));
    expect(experiment.explanation).toContain(skipSeedSentence(1, finals));
  });

  it('--activation: "sigmoid is the one whose gradients vanish in the plain net": tanh and ReLU plain nets spread less than 10×, sigmoid’s over 1000×', () => {
    expect(String(experiment.schema.activation.help)).toContain('sigmoid is the one whose gradients vanish in the plain net');
    expect(spreadOf(finalOf(atStart({ activation: 'sigmoid' }, 1)), 'plain')).toBeGreaterThan(1000);
    for (const activation of ['tanh', 'relu']) expect(spreadOf(finalOf(atStart({ activation }, 1)), 'plain'), activation).toBeLessThan(10);
  });

  it('the highway gates start near sigmoid(−1) ≈ 0.27: their mean over the gated layers rounds to it', () => {
    const records = atStart({}, 1);
    const gates = records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === 'highway-gates').at(-1)!.panels[0].series[0];
    expect(gates.label).toBe('at initialisation');
    const mean = gates.y.reduce((a, b) => a + b, 0) / gates.y.length;
    expect((1 / (1 + Math.E)).toFixed(2)).toBe('0.27');
    expect(mean.toFixed(2)).toBe('0.27');
    expect(experiment.explanation).toContain('start near sigmoid(−1) ≈ 0.27');
  });
});

describe('skip-connections findings and README row (defaults, seed 1)', () => {
  const records = [...experiment.run(defaults, 1)];
  const final = finalOf(records);
  const rows = Object.fromEntries(connectionRows(final).map((r) => [r.variant, r]));

  it('the findings the CLI, page and report show are filled from this run', () => {
    expect(findingsOf('skip-connections', defaults, final)).toBe(skipConnectionsFindings(shape, final));
    const findings = skipConnectionsFindings(shape, final);
    for (const r of Object.values(rows)) {
      expect(findings).toContain(`${spreadText(r.spreadAtStart)} in the ${r.variant} net`);
      expect(findings).toContain(`from ${claimNumber(r.startError)} to ${claimNumber(r.finalError)} in the ${r.variant} net`);
    }
  });

  it('the README row: the residual net within 10× (its spread, the plain one’s), its fall and points on the right side, and the plain net’s verdict', () => {
    expect(rows.residual.spreadAtStart).toBeLessThan(10);
    expect(row).toContain(`stay within 10× of each other (${spreadText(rows.residual.spreadAtStart)}; plain: ${powerOfTen(rows.plain.spreadAtStart)})`);
    const verdicts = Object.fromEntries(verdictOf(records)!.variants.map((v) => [v.variant, v]));
    const residual = rightSideOf(final)!.get('residual')!;
    // "falls", "not solved yet": the verdict says the residual net is learning, not stuck.
    expect(verdicts.residual.text).toMatch(/^not solved yet: fell from/);
    expect(row).toContain(
      `over ${defaults.epochs} epochs its cross entropy falls from ${claimNumber(rows.residual.startError)} to ${claimNumber(rows.residual.finalError)}, ` +
        `with ${residual.right} of ${residual.points} points on the right side (not solved yet)`,
    );
    expect(row).toContain(`the plain net's verdict is ${verdicts.plain.text} (the share of points inside the circle)`);
    // The one output it gives every point is the best constant guess: the share of targets that are 1.
    const data = records.find((r) => r.kind === 'start')!.data!;
    const inside = data.filter((p) => p.target[0] === 1).length / data.length;
    expect(verdicts.plain.hint).toBe(`it predicts ${inside.toFixed(2)} for every point`);
  });

  it('the findings say how far training moved the highway gates, from the same values the gate figure draws', () => {
    const panel = records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === 'highway-gates').at(-1)!.panels[0];
    const gates = gateRows(final);
    expect(gates.map((g) => g.layer)).toEqual(panel.series[0].x);
    expect(gates.map((g) => g.atStart)).toEqual(panel.series[0].y);
    expect(panel.series[1].label).toBe(`after ${defaults.epochs} epochs`);
    expect(gates.map((g) => g.atEnd)).toEqual(panel.series[1].y);
    expect(skipConnectionsFindings(shape, final)).toContain(gateSentence(shape, final));
    expect(experiment.explanation).toContain('mostly carrying; the findings say how far training moves them');
  });
});
