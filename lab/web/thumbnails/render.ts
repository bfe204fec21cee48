/**
 * The landing page's thumbnails, rendered in Node when the page is built (vite-plugin.ts runs
 * this file): each experiment run with its defaults and the default seed, as `nnlab run
 * <experiment>` runs it, and the one figure of that run that shows its lesson best, with the
 * run's verdict. Node only (the figures come from lab/render's Node entry).
 *
 *     node --import tsx lab/web/thumbnails/render.ts out.json   # writes Thumbnail[] as JSON
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_SEED, defaults, experiments, verdictOf } from '../../experiments/index.js';
import type { Experiment } from '../../experiments/index.js';
import { figuresOf } from '../../render/index.js';
import type { Thumbnail } from './types.js';

/** The figure (by its file-name stem, as `--out` names it) each experiment's thumbnail shows. */
export const THUMBNAIL_FIGURES: Readonly<Record<string, string>> = {
  activations: 'activations',
  'logistic-regression': 'output',
  'two-layer': 'output',
  dropout: 'output',
  bce: 'errors',
  'bce-logits': 'saturation',
  categorical: 'output',
  backprop: 'gradient-check',
  'vanishing-gradients': 'gradient-norms',
  'exploding-gradients': 'gradient-norms',
  'skip-connections': 'gradient-norms',
  'leaky-relu': 'dead-units',
  'annealing-vs-descent': 'seeds',
  interpolation: 'path',
};

/** thumbnailOf(experiment): its default run's thumbnail figure and verdict. */
export function thumbnailOf(experiment: Experiment): Thumbnail {
  const figureName = THUMBNAIL_FIGURES[experiment.name];
  if (figureName === undefined) throw new Error(`thumbnails: no figure chosen for '${experiment.name}' (add it to THUMBNAIL_FIGURES)`);
  const records = [...experiment.run(defaults(experiment.schema), DEFAULT_SEED)];
  const figures = figuresOf(records);
  const figure = figures.find((f) => f.name === figureName);
  if (figure === undefined) {
    throw new Error(`thumbnails: '${experiment.name}' has no figure '${figureName}' (its figures: ${figures.map((f) => f.name).join(', ')})`);
  }
  const verdict = verdictOf(records);
  const size = /^<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(figure.svg);
  if (size === null) throw new Error(`thumbnails: the '${figureName}' figure of '${experiment.name}' does not start with an <svg> that has a width and height`);
  return {
    experiment: experiment.name,
    figure: figure.name,
    title: figure.title,
    seed: DEFAULT_SEED,
    verdict: verdict === null ? null : { text: verdict.text, solved: verdict.solved, variants: verdict.variants.map(({ variant, solved }) => ({ variant, solved })) },
    width: Number(size[1]),
    height: Number(size[2]),
    svg: figure.svg,
  };
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const out = process.argv[2];
  if (out === undefined) throw new Error('usage: node --import tsx lab/web/thumbnails/render.ts <out.json>');
  writeFileSync(out, JSON.stringify(experiments.map(thumbnailOf)));
}
