/**
 * Download links for a run: its records (as `nnlab run --out` writes records.json), its summary
 * (as `nnlab run --json` prints it) and each figure as SVG and PNG (as `--out` writes them; the
 * PNG is the SVG rasterised by the browser at twice its size). The file is made when the link is
 * clicked, from the records the page has at that moment.
 */
import { summarize } from '../../experiments/index.js';
import type { LabRecord } from '../../experiments/types.js';
import { figuresOf } from '../../render/figures.js';
import type { Palette } from '../../render/palette.js';
import { h } from '../dom.js';
import { saveBlob, svgPng } from '../download.js';

export interface ExportSource {
  /** File names start with this, e.g. 'two-layer-seed1'. */
  stem(): string;
  records(): LabRecord[];
  palette(): Palette;
  /** Whether the run has its final record (the summary needs it). */
  finished(): boolean;
}

/**
 * figureNames({ maps, errors, figures }) is the names figuresOf gives a run whose snapshots have
 * maps of these names, with or without error records, and these figure records, in its order
 * (a name given more than once counts once).
 */
export function figureNames({ maps, errors, figures }: { maps: readonly string[]; errors: boolean; figures: readonly string[] }): string[] {
  const names: string[] = [];
  if (maps.some((name) => name.startsWith('Output'))) names.push('output');
  if (maps.some((name) => !name.startsWith('Output'))) names.push('hidden');
  if (errors) names.push('error');
  // A figure re-yielded during training is one file (its latest version).
  return [...names, ...new Set(figures)];
}

/** A name as a file-name stem, as the CLI writes it: letters, digits, '-', '_' and '.'. */
export function fileStem(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'figure';
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

let lastUrl: string | undefined;

/** A link that downloads `make()` as `file` when clicked. */
function download(label: string, file: () => string, type: string, make: () => string, testId: string): HTMLAnchorElement {
  const link = h('a', { href: '#', class: 'download', 'data-testid': testId }, label);
  link.addEventListener('click', (event) => {
    let text: string;
    try {
      text = make();
    } catch (error) {
      event.preventDefault();
      link.title = messageOf(error);
      return;
    }
    if (lastUrl !== undefined) URL.revokeObjectURL(lastUrl);
    lastUrl = URL.createObjectURL(new Blob([text], { type }));
    link.href = lastUrl;
    link.download = file();
  });
  return link;
}

/** A link that rasterises the SVG `svg()` and downloads it as `file` when clicked; a failure shows as its title. */
function pngDownload(label: string, file: () => string, svg: () => string, testId: string): HTMLAnchorElement {
  const link = h('a', { href: '#', class: 'download', 'data-testid': testId }, label);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    let source: string;
    try {
      source = svg();
    } catch (error) {
      link.title = messageOf(error);
      return;
    }
    const name = file();
    svgPng(source).then(
      (png) => {
        link.removeAttribute('title');
        saveBlob(png, name);
      },
      (error: unknown) => (link.title = messageOf(error)),
    );
  });
  return link;
}

/** exportLinks(source, names) is the list of download links: records, summary, then each figure as SVG and as PNG. */
export function exportLinks(source: ExportSource, names: readonly string[]): HTMLElement {
  const json = (value: unknown) => JSON.stringify(value) + '\n';
  const figure = (name: string) => () => {
    const found = figuresOf(source.records(), { palette: source.palette() }).find((f) => f.name === name);
    if (found === undefined) throw new Error(`no ${name} figure yet`);
    return found.svg;
  };
  const summary = () => {
    if (!source.finished()) throw new Error('the summary is ready when the run has finished');
    return json(summarize(source.records()));
  };
  const items = [
    download('records.json', () => `${source.stem()}-records.json`, 'application/json', () => json(source.records()), 'export-records'),
    download('summary.json', () => `${source.stem()}-summary.json`, 'application/json', summary, 'export-summary'),
    ...names.flatMap((name) => {
      const stem = fileStem(name);
      return [
        download(`${stem}.svg`, () => `${source.stem()}-${stem}.svg`, 'image/svg+xml', figure(name), `export-${stem}`),
        pngDownload(`${stem}.png`, () => `${source.stem()}-${stem}.png`, figure(name), `export-png-${stem}`),
      ];
    }),
  ];
  return h('ul', { class: 'exports' }, ...items.map((item) => h('li', {}, item)));
}
