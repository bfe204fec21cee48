/**
 * Findings: the sentences of an experiment's explanation that depend on the run, filled from the
 * run's own final record (the explanation itself keeps only prose that holds for every run).
 * The CLI prints them after a run, the report and the page put them after the explanation.
 * Runs anywhere (no DOM, no Node).
 */
import type { FinalRecord, LabRecord } from '../types.js';
import { vanishingGradientsFindings } from './vanishing-gradients.js';

type Findings = (config: Record<string, unknown>, final: Pick<FinalRecord, 'extra'>) => string;

const FINDINGS: ReadonlyMap<string, Findings> = new Map<string, Findings>([
  ['vanishing-gradients', (config, final) => vanishingGradientsFindings({ epochs: Number(config.epochs) }, final)],
]);

/** What this run of `experiment` showed, in words, or undefined where its explanation states no run-dependent claim. */
export function findingsOf(experiment: string, config: Record<string, unknown>, final: Pick<FinalRecord, 'extra'>): string | undefined {
  return FINDINGS.get(experiment)?.(config, final);
}

/** The same, from a run's records (undefined until the final record is there). */
export function findingsOfRecords(experiment: string, config: Record<string, unknown>, records: readonly LabRecord[]): string | undefined {
  const final = records.find((r) => r.kind === 'final');
  return final === undefined || final.kind !== 'final' ? undefined : findingsOf(experiment, config, final);
}
