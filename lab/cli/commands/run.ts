/**
 * `nnlab run <experiment> [--option value …]`: the run's header, the epoch / train-error table
 * as training goes, live heat maps on a terminal, then the final error and predictions.
 * `--json` prints the run's summary instead; `--out <dir>` writes figures and records.
 */
import { resolveConfig, seriesLabel, summarize, verdictOf } from '../../experiments/index.js';
import type { Experiment, LabRecord, SnapshotRecord, StartRecord } from '../../experiments/index.js';
import type { Palette } from '../../render/index.js';
import { commandLine, extraItems, finalErrorText, formatError } from '../../report/format.js';
import { findingsOf } from '../../experiments/claims/index.js';
import { Progress, Screen } from '../live.js';
import { checkOutput, writeOutput } from '../output.js';
import { consume, runFiles } from '../records.js';
import { EpochTable, predictionLines, titledTable } from '../tables.js';

export interface RunOptions {
  seed: number;
  palette: Palette;
  /** Where to write figures and records.json. */
  out?: string;
  /** Write into an --out directory holding files nnlab did not write. */
  force?: boolean;
  /** Print only the summary as JSON. */
  json: boolean;
  /** Redraw the heat maps in the terminal (only where stdout is a terminal). */
  live: boolean;
}

/** Live redraws closer together than this are skipped (the last one is always drawn). */
const LIVE_INTERVAL_MS = 80;

export async function runCommand(experiment: Experiment, raw: Readonly<Record<string, unknown>>, options: RunOptions): Promise<void> {
  const config = resolveConfig(experiment, raw);
  if (options.out !== undefined) await checkOutput(options.out, { force: options.force });
  const records = options.json
    ? await consume(experiment.run(config, options.seed))
    : await runInTerminal(experiment, config, options);
  if (options.out !== undefined) {
    const files = await runFiles(records, options.palette);
    await writeOutput(options.out, files, { force: options.force });
    if (!options.json) {
      const figures = files.filter((f) => f.name.endsWith('.svg')).map((f) => f.name.slice(0, -4));
      process.stdout.write(`\nwrote ${options.out}/: ${figures.map((f) => `${f}.svg/.png`).join(', ')}${figures.length > 0 ? ', ' : ''}records.json\n`);
    }
  }
  // The verdict comes last: in --json a field (training runs only), in the terminal the last line.
  const verdict = verdictOf(records);
  if (options.json) process.stdout.write(JSON.stringify({ ...summarize(records), ...(verdict === null ? {} : { verdict }) }) + '\n');
  else if (verdict !== null) process.stdout.write(`\nverdict: ${verdict.text}\n`);
}

async function runInTerminal(experiment: Experiment, config: Parameters<Experiment['run']>[0], options: RunOptions): Promise<LabRecord[]> {
  const progress = new Progress(experiment.name, 'epochs', { enabled: true });
  const screen = new Screen(process.stdout, progress);
  const view = new TextView(screen, progress, options.live && screen.interactive ? await liveMaps(options.palette) : undefined);
  screen.print([
    `${experiment.name} (seed ${options.seed}) — ${experiment.description}`,
    `  repeat: npx ${commandLine(experiment, config, options.seed)}`,
  ]);
  // The last epoch a record reported, for the line Ctrl-C prints (before the first: 0).
  let epoch = 0;
  const interrupt = () => {
    progress.stop();
    screen.close();
    process.stderr.write(`\nstopped at epoch ${epoch} (Ctrl-C)\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  try {
    const records = await consume(experiment.run(config, options.seed), (record) => {
      if (record.kind === 'epoch') epoch = record.epoch;
      view.add(record);
    });
    view.finish(records, options.out !== undefined);
    return records;
  } finally {
    process.removeListener('SIGINT', interrupt);
    progress.stop();
    screen.close();
  }
}

type DrawMaps = (snapshot: SnapshotRecord, width: number) => string[];

/** Heat maps as coloured half-blocks (shades of ASCII where the terminal has no colour). */
async function liveMaps(palette: Palette): Promise<DrawMaps> {
  const { terminalHeatMaps } = await import('../../render/index.js');
  const color = process.stdout.hasColors?.() ?? false;
  return (snapshot, width) => terminalHeatMaps(snapshot.maps, { width, palette, color }).split('\n');
}

/** Turns records into terminal output as they arrive. */
class TextView {
  private start: StartRecord | undefined;
  private table: EpochTable | undefined;
  private pending: { epoch: number; errors: Map<string, number> } | undefined;
  private lastErrors = new Map<string, number>();
  /** The epoch of each series' last error: a series that diverged stops early. */
  private lastEpochs = new Map<string, number>();
  private latest: SnapshotRecord | undefined;
  private drawn: SnapshotRecord | undefined;
  private drawnAt = 0;

  constructor(
    private readonly screen: Screen,
    private readonly progress: Progress,
    private readonly drawMaps: DrawMaps | undefined,
  ) {}

  add(record: LabRecord): void {
    if (record.kind !== 'epoch') this.flush();
    switch (record.kind) {
      case 'start':
        this.start = record;
        break;
      case 'epoch':
        if (this.pending !== undefined && this.pending.epoch !== record.epoch) this.flush();
        this.pending ??= { epoch: record.epoch, errors: new Map() };
        this.pending.errors.set(record.series, record.error);
        this.lastErrors.set(record.series, record.error);
        this.lastEpochs.set(record.series, record.epoch);
        if (record.series === 'train') this.progress.update(record.epoch, this.start?.epochs ?? 0, `error ${formatError(record.error)}`);
        break;
      case 'snapshot':
        this.latest = record;
        if (Date.now() - this.drawnAt >= LIVE_INTERVAL_MS || record.epoch === this.start?.epochs) this.draw(record);
        break;
      default:
        break;
    }
  }

  /** Prints the pending epoch's row if it is a reporting epoch (every reportEvery, and the last). */
  private flush(last = false): void {
    const row = this.pending;
    if (row === undefined) return;
    this.pending = undefined;
    const every = this.start?.reportEvery ?? 1;
    if (!(row.epoch % every === 0 || row.epoch === this.start?.epochs || last)) return;
    const lines: string[] = [];
    if (this.table === undefined) {
      const series = ['train', ...[...row.errors.keys()].filter((s) => s !== 'train')];
      this.table = new EpochTable(this.start?.epochs ?? row.epoch, series, (s) => seriesLabel(s, this.start?.mainSeries));
      lines.push('', ...this.table.header());
    }
    lines.push(this.table.row(row.epoch, row.errors));
    this.screen.print(lines);
  }

  private draw(snapshot: SnapshotRecord): void {
    if (this.drawMaps === undefined || snapshot.maps.length === 0) return;
    const columns = process.stdout.columns ?? 80;
    const rows = process.stdout.rows ?? 24;
    // Keep the block within the screen (the cursor cannot move back above its top): a map of
    // size k takes 1 + ceil(k / 2) lines, and k is at most width / count.
    const count = snapshot.maps.length;
    const maxSize = 2 * Math.max(2, Math.min(18, rows - 8) - 1);
    const width = Math.max(count * 3, Math.min(columns - 1, maxSize * count + 2 * (count - 1)));
    const total = this.start?.epochs === undefined ? '' : ` of ${this.start.epochs}`;
    const error = this.lastErrors.get('train');
    const title = `epoch ${snapshot.epoch}${total}${error === undefined ? '' : ` · ${seriesLabel('train', this.start?.mainSeries)} error ${formatError(error)}`}`;
    this.screen.live(['', title, ...this.drawMaps(snapshot, width)]);
    this.drawn = snapshot;
    this.drawnAt = Date.now();
  }

  /** After the run: the last row and heat maps, the final errors and the predictions. */
  finish(records: readonly LabRecord[], writesFiles: boolean): void {
    this.flush(true);
    if (this.latest !== undefined && this.latest !== this.drawn) this.draw(this.latest);
    this.screen.close();
    this.progress.stop();
    const final = records.find((r) => r.kind === 'final');
    if (final === undefined || final.kind !== 'final') return;
    const { errorLabel, mainSeries, epochs } = this.start ?? {};
    const lines: string[] = [''];
    if (final.error !== undefined) lines.push(`${finalErrorText(seriesLabel('train', mainSeries), errorLabel)}: ${formatError(final.error)}`);
    for (const [series, error] of this.lastErrors) {
      const last = this.lastEpochs.get(series)!;
      const stoppedAt = epochs !== undefined && last < epochs ? last : undefined;
      if (series !== 'train') lines.push(`${finalErrorText(series, errorLabel, stoppedAt)}: ${formatError(error)}`);
    }
    const extras = extraItems(final.extra);
    for (const item of extras) if (item.kind === 'value') lines.push(`${item.label}: ${item.text}`);
    if (final.predictions.length > 0) lines.push('', ...predictionLines('predictions', final.predictions));
    for (const item of extras) if (item.kind === 'table') lines.push('', ...titledTable(item));
    // The explanation's run-dependent sentences, computed from this run (see lab/experiments/claims).
    const findings = this.start === undefined ? undefined : findingsOf(this.start.experiment, this.start.config, final);
    if (findings !== undefined) lines.push('', findings);
    if (!writesFiles) lines.push('', '(--out <dir> writes the figures as SVG and PNG, and records.json)');
    this.screen.print(lines);
  }
}
