/**
 * The annealing run as figures: its temperature schedule, acceptance rate and losses (sampled
 * once per window of proposals), and the final loss of every seed for both methods.
 */
import type { FigureRecord, Panel } from '../types.js';
import type { AnnealStep } from './anneal.js';

/** One sample per window of proposals: the window's last evaluation and what it saw. */
export interface WindowSample {
  evaluation: number;
  temperature: number;
  /** Share of the window's proposals accepted. */
  acceptance: number;
  /** Share of the window's uphill proposals accepted (NaN when it had none). */
  uphillAcceptance: number;
  current: number;
  best: number;
  descent: number;
}

/** Collects proposals and emits a WindowSample every `size` of them. */
export class AcceptanceWindows {
  readonly samples: WindowSample[] = [];
  private proposals = 0;
  private accepted = 0;
  private uphill = 0;
  private uphillAccepted = 0;

  constructor(readonly size: number) {}

  add(step: AnnealStep, evaluation: number, losses: { current: number; best: number; descent: number }): void {
    this.proposals++;
    if (step.accepted) this.accepted++;
    if (step.uphill) {
      this.uphill++;
      if (step.accepted) this.uphillAccepted++;
    }
    if (this.proposals < this.size) return;
    this.samples.push({
      evaluation,
      temperature: step.temperature,
      acceptance: this.accepted / this.proposals,
      uphillAcceptance: this.uphill === 0 ? NaN : this.uphillAccepted / this.uphill,
      ...losses,
    });
    this.proposals = this.accepted = this.uphill = this.uphillAccepted = 0;
  }
}

/**
 * The runs' error series in the order the experiment yields them (descent is 'train', then
 * 'annealing'): as a series' `variant`, every chart draws a method in its error curve's colour.
 */
const DESCENT = 0;
const ANNEALING = 1;

export function annealingFigure(samples: readonly WindowSample[], budget: number, windowSize: number): FigureRecord {
  const x = samples.map((s) => s.evaluation);
  const xDomain: [number, number] = [0, Math.max(1, budget)];
  const temperatures = samples.map((s) => s.temperature);
  const panels: Panel[] = [
    {
      title: 'temperature T (log scale)',
      xLabel: 'loss evaluations',
      yLabel: 'T',
      xDomain,
      yScale: 'log',
      series: [{ label: 'temperature', variant: ANNEALING, x, y: temperatures }],
    },
    {
      title: `acceptance rate per ${windowSize} proposals`,
      xLabel: 'loss evaluations',
      yLabel: 'share accepted',
      xDomain,
      yDomain: [0, 1],
      series: [
        { label: 'all proposals', variant: ANNEALING, x, y: samples.map((s) => s.acceptance) },
        { label: 'uphill proposals', variant: ANNEALING, x, y: samples.map((s) => s.uphillAcceptance), style: 'dotted' },
      ],
    },
    {
      title: 'loss (MSE, log scale)',
      xLabel: 'loss evaluations',
      yLabel: 'MSE',
      xDomain,
      yScale: 'log',
      series: [
        // The annealer's best so far is its error curve; where it stands now is the same colour, dotted.
        { label: 'annealing: best so far', variant: ANNEALING, x, y: samples.map((s) => s.best) },
        { label: 'annealing: current', variant: ANNEALING, x, y: samples.map((s) => s.current), style: 'dotted' },
        { label: 'gradient descent', variant: DESCENT, x, y: samples.map((s) => s.descent) },
      ],
    },
  ];
  return { kind: 'figure', name: 'annealing', title: 'Simulated annealing: temperature, acceptance rate and loss', panels };
}

export interface SeedResult {
  seed: number;
  descentLoss: number;
  annealingLoss: number;
  descentSolved: boolean;
  annealingSolved: boolean;
}

/**
 * Each method's final losses sorted from best to worst: how many seeds end low and how far the
 * failures stay up (the per-seed values are the final record's table).
 */
export function seedsFigure(results: readonly SeedResult[]): FigureRecord {
  const ranks = results.map((_, i) => i + 1);
  const sorted = (losses: number[]) => [...losses].sort((a, b) => a - b);
  const solved = (flags: boolean[]) => `${flags.filter(Boolean).length} of ${flags.length} seeds solved`;
  const top = Math.max(0.01, ...results.flatMap((r) => [r.descentLoss, r.annealingLoss]).filter(Number.isFinite));
  const panel: Panel = {
    title: 'final loss of every seed, sorted from best to worst',
    xLabel: 'seeds, best to worst',
    yLabel: 'final MSE',
    xDomain: [1, Math.max(2, results.length)],
    yDomain: [0, top * 1.1],
    series: [
      { label: `gradient descent: ${solved(results.map((r) => r.descentSolved))}`, variant: DESCENT, x: ranks, y: sorted(results.map((r) => r.descentLoss)) },
      { label: `annealing: ${solved(results.map((r) => r.annealingSolved))}`, variant: ANNEALING, x: ranks, y: sorted(results.map((r) => r.annealingLoss)), style: 'dotted' },
    ],
  };
  return { kind: 'figure', name: 'seeds', title: 'The same race from other seeds: same budget for both methods', panels: [panel] };
}
