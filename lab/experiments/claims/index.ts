/**
 * Findings: the sentences of an experiment's explanation that depend on the run, filled from the
 * run's own final record (the explanation itself keeps only prose that holds for every run).
 * The CLI prints them after a run, the report and the page put them after the explanation.
 * Runs anywhere (no DOM, no Node).
 */
import type { FinalRecord, LabRecord } from '../types.js';
import { annealingFindings } from './annealing-vs-descent.js';
import { explodingGradientsFindings } from './exploding-gradients.js';
import { leakyReluFindings } from './leaky-relu.js';
import { skipConnectionsFindings } from './skip-connections.js';
import { vanishingGradientsFindings } from './vanishing-gradients.js';

type Final = Pick<FinalRecord, 'extra' | 'error'>;
type Findings = (config: Record<string, unknown>, final: Final) => string;

const FINDINGS: ReadonlyMap<string, Findings> = new Map<string, Findings>([
  ['vanishing-gradients', (config, final) => vanishingGradientsFindings({ epochs: Number(config.epochs) }, final)],
  ['exploding-gradients', (config, final) => explodingGradientsFindings({ clipNorm: Number(config.clipNorm) }, final)],
  ['leaky-relu', (_config, final) => leakyReluFindings(final)],
  ['skip-connections', (config, final) => skipConnectionsFindings({ depth: Number(config.depth), epochs: Number(config.epochs) }, final)],
  ['annealing-vs-descent', (config, final) => annealingFindings({ dataset: config.dataset, raceSeeds: Number(config.raceSeeds) }, final)],
]);

/** What this run of `experiment` showed, in words, or undefined where its explanation states no run-dependent claim. */
export function findingsOf(experiment: string, config: Record<string, unknown>, final: Final): string | undefined {
  return FINDINGS.get(experiment)?.(config, final);
}

/** The same, from a run's records (undefined until the final record is there). */
export function findingsOfRecords(experiment: string, config: Record<string, unknown>, records: readonly LabRecord[]): string | undefined {
  const final = records.find((r) => r.kind === 'final');
  return final === undefined || final.kind !== 'final' ? undefined : findingsOf(experiment, config, final);
}
