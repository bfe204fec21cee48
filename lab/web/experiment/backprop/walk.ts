/**
 * Where the step-through of the backward pass stands after k edges: which gradients are known
 * (and which complete), what the current edge is, and its arithmetic in words. Pure, so the
 * page only draws it.
 */
import type { BackwardStep } from '../../../experiments/backprop/network.js';
import { formatValue } from '../../../report/format.js';

export interface WalkState {
  /** Edges walked: 0 (only ∂L/∂L = 1 known) … steps.length. */
  k: number;
  /** ∂L/∂node summed over the edges walked so far. */
  known: Map<string, number>;
  /** Nodes whose every incoming edge has been walked. */
  complete: Set<string>;
  /** The edge walked last (undefined at k = 0). */
  current: BackwardStep | undefined;
}

export function walkState(steps: readonly BackwardStep[], k: number): WalkState {
  const known = new Map<string, number>([['L', 1]]);
  const complete = new Set<string>(['L']);
  const lastInto = new Map(steps.map((s) => [s.to, s.step]));
  for (const s of steps.slice(0, k)) {
    known.set(s.to, s.accumulated);
    if (lastInto.get(s.to) === s.step) complete.add(s.to);
  }
  return { k, known, complete, current: k > 0 ? steps[k - 1] : undefined };
}

/** The unit a node belongs to: 'a(h0)' → 'h0', 'x1' → 'x1', 'L' → 'L'; undefined for a weight. */
export function unitOf(node: string): string | undefined {
  if (node.startsWith('w(')) return undefined;
  const inner = /^[azb]\((\w+)\)$/.exec(node);
  return inner === null ? node : inner[1];
}

/** The edge a weight sits on: 'w(x0→h1)' → 'x0→h1'. */
export function edgeOfWeight(node: string): string | undefined {
  return /^w\((\w+→\w+)\)$/.exec(node)?.[1];
}

/** The drawn edge a step travels along (undefined when it stays inside one unit). */
export function edgeOfStep(step: BackwardStep): string | undefined {
  const weight = edgeOfWeight(step.to);
  if (weight !== undefined) return weight;
  const from = unitOf(step.from);
  const to = unitOf(step.to);
  if (from === undefined || to === undefined || from === to) return undefined;
  // The gradient flows from → to; the forward edge runs the other way.
  return `${to}→${from}`;
}

/** Why the local derivative is what it is, in the chapter's terms. */
export function localRule(step: BackwardStep, activation: string): string {
  if (step.from === 'L') return '∂L/∂y of (y − t)² is 2(y − t)';
  if (step.to.startsWith('b(')) return 'a bias adds to z with slope 1';
  if (step.to.startsWith('w(')) return `a weight's slope is the activation it multiplies, a(${edgeOfWeight(step.to)!.split('→')[0]})`;
  if (step.from.startsWith('a(') && step.to.startsWith('z(')) {
    const f = step.from === 'a(y)' ? 'sigmoid' : activation;
    const rule = f === 'sigmoid' ? "σ′(z) = a(1 − a)" : f === 'tanh' ? "tanh′(z) = 1 − a²" : "relu′(z) = 1 if z > 0, else 0";
    return `through the unit's ${f}: ${rule}`;
  }
  return `into z(${unitOf(step.from)}), ${step.to} is multiplied by the weight w(${edgeOfStep(step)})`;
}

/** The contributions summed into the current edge's target so far: '-0.0013 − 0.0131'. */
export function sumSoFar(steps: readonly BackwardStep[], k: number): string {
  const current = steps[k - 1];
  const parts = steps.slice(0, k).filter((s) => s.to === current.to).map((s) => s.contribution);
  return parts.map((c, i) => (i === 0 ? formatValue(c) : c < 0 ? ` − ${formatValue(-c)}` : ` + ${formatValue(c)}`)).join('');
}
