import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig, summarize, verdictOf } from '../experiments/index.js';
import { findingsOfRecords } from '../experiments/claims/index.js';
import { reportHtml } from './html.js';
import type { ReportSection } from './html.js';

function section(name: string, given: Record<string, unknown>): ReportSection {
  const experiment = findExperiment(name);
  const config = resolveConfig(experiment, given);
  const records = [...experiment.run(config, 1)];
  const verdict = verdictOf(records);
  const findings = findingsOfRecords(name, config, records);
  return {
    name,
    description: experiment.description,
    explanation: experiment.explanation,
    command: `nnlab run ${name}`,
    summary: summarize(records),
    figures: [],
    ...(verdict === null ? {} : { verdict: verdict.text }),
    ...(findings === undefined ? {} : { findings }),
  };
}

const sectionOf = (html: string, name: string): string => {
  const from = html.indexOf(`<section id="${name}">`);
  return html.slice(from, html.indexOf('</section>', from) + '</section>'.length);
};

describe('reportHtml(sections): each section ends with its findings and its verdict line', () => {
  it('a run with findings: the findings, then "verdict: …" as its last line, both escaped', () => {
    const s = section('exploding-gradients', { epochs: 20, resolution: 5 });
    const html = sectionOf(reportHtml([s]), 'exploding-gradients');
    expect(s.findings).toMatch(/^In this run the first gradient’s norm was /);
    expect(html.endsWith(`<p class="findings">${s.findings}</p>\n<p class="verdict">verdict: ${s.verdict}</p>\n</section>`)).toBe(true);
  });

  it('a stuck run’s verdict says why; a run without findings ends with its verdict alone', () => {
    const s = section('two-layer', { epochs: 2000, resolution: 5, reportEvery: 2000 });
    // Seed 1 solves XOR; a one-unit hidden layer cannot, and the verdict says what is missing.
    const stuck = section('two-layer', { hidden: 1, resolution: 5, reportEvery: 2000 });
    expect(s.findings).toBeUndefined();
    expect(sectionOf(reportHtml([s]), 'two-layer')).toMatch(/<\/table>\n<p class="verdict">verdict: solved<\/p>\n<\/section>$/);
    expect(sectionOf(reportHtml([stuck]), 'two-layer')).toContain('<p class="verdict">verdict: stuck at 0.');
    expect(stuck.verdict).toContain('XOR needs two');
  });

  it('a section that does not train (no verdict, no findings) ends with its results', () => {
    const s = section('activations', { points: 11 });
    expect(s.verdict).toBeUndefined();
    expect(sectionOf(reportHtml([s]), 'activations')).not.toMatch(/class="(verdict|findings)"/);
  });
});
