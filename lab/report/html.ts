/**
 * The lab report as one self-contained HTML page: for each experiment its figures (inline SVG),
 * its explanation, the command that repeats it, its final error and predictions, what the run
 * showed (findings) and its verdict line. A pure
 * function of the runs' summaries and figures: no clock, no file system, no external resources.
 */
import type { RunSummary } from '../experiments/index.js';
import { seriesLabel } from '../experiments/summary.js';
import { extraItems, finalErrorText, formatError, predictionTable } from './format.js';

export interface ReportSection {
  name: string;
  /** The part of the lab the section belongs to ('The chapter', 'Extra theory'): a heading over its run of sections. */
  part?: string;
  description: string;
  explanation: string;
  /** The command line that repeats the run. */
  command: string;
  summary: RunSummary;
  figures: readonly { name: string; title: string; svg: string }[];
  /** The run's verdict line (verdictOf's text, as the CLI prints it last); none for a run that does not train. */
  verdict?: string;
  /** What this run showed, computed from its records (findingsOf); none where the explanation states no run-dependent claim. */
  findings?: string;
}

export interface ReportOptions {
  title?: string;
  /** A line under the title (e.g. the nnlab version and seed). */
  subtitle?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The SVG with every element id (and each reference to it) prefixed, so figures drawn with the
 * same ids (clip paths, markers) do not capture each other's references on one page.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Set(Array.from(svg.matchAll(/\sid="([^"]+)"/g), (m) => m[1]));
  if (ids.size === 0) return svg;
  const scoped = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id);
  return svg.replace(/(\sid=")([^"]+)(")|(url\(#)([^)]+)(\))|(href="#)([^"]+)(")/g, (...m: string[]) => {
    if (m[1] !== undefined) return m[1] + scoped(m[2]) + m[3];
    if (m[4] !== undefined) return m[4] + scoped(m[5]) + m[6];
    return m[7] + scoped(m[8]) + m[9];
  });
}

function tableHtml(table: { title: string; header: readonly string[]; rows: readonly (readonly string[])[]; note?: string }): string {
  const head = table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  const note = table.note === undefined ? '' : ` <span class="note">(${escapeHtml(table.note)})</span>`;
  return `<h4>${escapeHtml(table.title)}${note}</h4>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function finalHtml(summary: RunSummary): string {
  const facts: string[] = [];
  const lastEpoch = summary.history.at(-1)?.epoch;
  if (summary.final.error !== undefined) {
    facts.push(`${escapeHtml(finalErrorText(seriesLabel('train', summary.mainSeries), summary.errorLabel))}: <strong>${formatError(summary.final.error)}</strong>`);
  }
  for (const [series, points] of Object.entries(summary.comparisons ?? {})) {
    const last = points.at(-1);
    const stoppedAt = last !== undefined && lastEpoch !== undefined && last.epoch < lastEpoch ? last.epoch : undefined;
    if (last !== undefined) facts.push(`${escapeHtml(finalErrorText(series, summary.errorLabel, stoppedAt))}: <strong>${formatError(last.error)}</strong>`);
  }
  const tables: string[] = [];
  if (summary.final.predictions.length > 0) tables.push(tableHtml({ title: 'predictions', ...predictionTable(summary.final.predictions) }));
  for (const item of extraItems(summary.final.extra)) {
    if (item.kind === 'table') tables.push(tableHtml(item));
    else facts.push(`${escapeHtml(item.label)}: <strong>${escapeHtml(item.text)}</strong>`);
  }
  const list = facts.length === 0 ? '' : `<ul class="facts">\n${facts.map((f) => `<li>${f}</li>`).join('\n')}\n</ul>\n`;
  return list + tables.join('\n');
}

/** The section's last lines: its findings, then its verdict line (the last line, as in the CLI). */
function closingHtml(section: ReportSection): string {
  const findings = section.findings === undefined ? '' : `<p class="findings">${escapeHtml(section.findings)}</p>\n`;
  const verdict = section.verdict === undefined ? '' : `<p class="verdict">verdict: ${escapeHtml(section.verdict)}</p>\n`;
  return findings + verdict;
}

function sectionHtml(section: ReportSection): string {
  const id = escapeHtml(section.name);
  const figures = section.figures
    // The SVG draws its own title: the figure only names itself for screen readers.
    .map((figure) => `<figure aria-label="${escapeHtml(figure.title)}">\n${scopeSvgIds(figure.svg, `${section.name}-${figure.name}`)}\n</figure>`)
    .join('\n');
  return `<section id="${id}">
<h2>${id}</h2>
<p class="description">${escapeHtml(section.description)}</p>
<p>${escapeHtml(section.explanation)}</p>
<pre><code>${escapeHtml(section.command)}</code></pre>
<div class="figures">
${figures}
</div>
<h3>Result</h3>
${finalHtml(section.summary)}
${closingHtml(section)}</section>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }
h1 { margin-bottom: 0.2rem; }
.subtitle, .note { color: #666; font-size: 0.9rem; }
nav ul { columns: 2; }
nav li.part { list-style: none; font-weight: bold; margin-top: 0.4rem; break-after: avoid; }
h1.part { margin-top: 3rem; }
section { border-top: 1px solid #ddd; margin-top: 2.5rem; padding-top: 1rem; }
.description { font-style: italic; }
.verdict { font-weight: bold; }
pre { background: #f5f5f5; padding: 0.6rem 0.8rem; overflow-x: auto; border-radius: 4px; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2rem 0.8rem; text-align: right; border-bottom: 1px solid #eee; }
th { border-bottom: 1px solid #999; }
`;

/** Consecutive sections of the same part, in order. */
function partsOf(sections: readonly ReportSection[]): { part?: string; sections: ReportSection[] }[] {
  const parts: { part?: string; sections: ReportSection[] }[] = [];
  for (const section of sections) {
    const last = parts.at(-1);
    if (last !== undefined && last.part === section.part) last.sections.push(section);
    else parts.push({ part: section.part, sections: [section] });
  }
  return parts;
}

/** reportHtml(sections, options?) is the whole page as one HTML string. */
export function reportHtml(sections: readonly ReportSection[], options: ReportOptions = {}): string {
  const title = options.title ?? 'nnlab report';
  const parts = partsOf(sections);
  const item = (s: ReportSection) => `<li><a href="#${escapeHtml(s.name)}">${escapeHtml(s.name)}</a>: ${escapeHtml(s.description)}</li>`;
  const contents = parts
    .map(({ part, sections }) => `${part === undefined ? '' : `<li class="part">${escapeHtml(part)}</li>\n`}${sections.map(item).join('\n')}`)
    .join('\n');
  const body = parts
    .map(({ part, sections }) => `${part === undefined ? '' : `<h1 class="part">${escapeHtml(part)}</h1>\n`}${sections.map(sectionHtml).join('\n')}`)
    .join('\n');
  const subtitle = options.subtitle === undefined ? '' : `<p class="subtitle">${escapeHtml(options.subtitle)}</p>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${subtitle}<nav>
<ul>
${contents}
</ul>
</nav>
${body}
</body>
</html>
`;
}
