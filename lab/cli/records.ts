/** Consuming a run's records, and turning them into the files `--out` writes. */
import type { LabRecord } from '../experiments/index.js';
import type { Palette } from '../render/index.js';
import type { OutputFile } from './output.js';

/** How often a long synchronous run hands control back, so Ctrl-C and stream writes get through. */
const YIELD_EVERY_MS = 50;

/**
 * Runs `records` to the end, calling `each` on every record, and returns them all. The loop
 * yields to the event loop every few milliseconds; an error from the run propagates.
 */
export async function consume(records: Iterable<LabRecord>, each: (record: LabRecord) => void = () => {}): Promise<LabRecord[]> {
  const all: LabRecord[] = [];
  let lastYield = Date.now();
  for (const record of records) {
    all.push(record);
    each(record);
    if (Date.now() - lastYield >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
  }
  return all;
}

/** A figure's name as a file-name stem: letters, digits, '-', '_' and '.' only. */
export function fileStem(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'figure';
}

/** Each figure as SVG and PNG (`<name>.svg`, `<name>.png`), and every record as records.json. */
export async function runFiles(records: readonly LabRecord[], palette: Palette): Promise<OutputFile[]> {
  const { figuresOf, svgToPng } = await import('../render/index.js');
  const files: OutputFile[] = [];
  for (const figure of figuresOf(records, { palette })) {
    const stem = fileStem(figure.name);
    files.push({ name: `${stem}.svg`, data: figure.svg });
    files.push({ name: `${stem}.png`, data: await svgToPng(figure.svg) });
  }
  files.push({ name: 'records.json', data: JSON.stringify(records) + '\n' });
  return files;
}
