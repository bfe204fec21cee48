/**
 * The terminal while a run goes on: lines that scroll (the epoch table) above a block that is
 * redrawn in place (the heat maps, as the originals' live windows), and a progress bar on stderr
 * below both.
 */
import cliProgress from 'cli-progress';

const ESC = '\x1b[';
const SAVE_CURSOR = '\x1b7';

/**
 * Writes to stdout. On a terminal, each write first moves back over the live block and clears
 * from there down (which also clears the progress bar's line), prints the new lines, then the
 * block again, leaving the cursor where the progress bar draws.
 */
export class Screen {
  private block: string[] = [];
  private cursorHidden = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly progress?: Progress,
  ) {}

  /** Whether stdout is a terminal (and escape sequences can move the cursor). */
  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  /** Lines printed above the live block (or just printed, off a terminal). */
  print(lines: readonly string[]): void {
    if (lines.length > 0) this.draw(lines, this.block);
  }

  /** Replaces the live block (a terminal only). */
  live(block: readonly string[]): void {
    if (!this.interactive) return;
    if (!this.cursorHidden) {
      this.out.write(`${ESC}?25l`);
      this.cursorHidden = true;
    }
    this.draw([], block);
  }

  /** Leaves the live block on screen as it is; later lines print below it. */
  close(): void {
    this.block = [];
    if (this.cursorHidden) this.out.write(`${ESC}?25h`);
    this.cursorHidden = false;
  }

  private draw(lines: readonly string[], block: readonly string[]): void {
    let text = '';
    if (this.interactive) text += '\r' + (this.block.length > 0 ? `${ESC}${this.block.length}A` : '') + `${ESC}J`;
    for (const line of lines) text += line + '\n';
    for (const line of block) text += line + '\n';
    this.out.write(text);
    this.block = [...block];
    if (this.interactive) this.progress?.redraw();
  }
}

/**
 * A progress bar on stderr, shown only when stderr is a terminal and only once the run has
 * taken longer than `delayMs` (short runs finish without one).
 */
export class Progress {
  private bar: cliProgress.SingleBar | undefined;
  private readonly startedAt = Date.now();
  private readonly enabled: boolean;
  private readonly delayMs: number;

  constructor(
    private readonly label: string,
    private readonly unit: string,
    options: { enabled: boolean; delayMs?: number },
  ) {
    this.enabled = options.enabled && process.stderr.isTTY === true;
    this.delayMs = options.delayMs ?? 500;
  }

  /** Sets the bar to `value` of `total` (a total of 0 shows no bar). */
  update(value: number, total: number, status = ''): void {
    if (!this.enabled || total <= 0) return;
    if (this.bar === undefined) {
      if (Date.now() - this.startedAt < this.delayMs) return;
      const { format, barsize } = progressLayout(process.stderr.columns ?? 80, this.label, this.unit, total, status.length);
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format,
          barsize,
          clearOnComplete: true,
          hideCursor: false,
          // Other output shares the terminal: redraw each frame, not only when the text changed.
          forceRedraw: true,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, value, { status });
      return;
    }
    this.bar.update(value, { status });
  }

  /**
   * Draws the bar again after other output cleared its line, and makes that line the one the
   * bar returns to when it stops (cli-progress restores the cursor it saved at start).
   */
  redraw(): void {
    if (this.bar === undefined) return;
    process.stderr.write(SAVE_CURSOR);
    this.bar.render();
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/** The bar's narrowest and widest sizes, in characters. */
const MIN_BAR = 10;
const MAX_BAR = 24;
/** What `{eta_formatted}` takes at most in practice ("1h23m" or "59s"), and some room for longer statuses. */
const ETA_WIDTH = 6;
const STATUS_SLACK = 4;

/**
 * progressLayout(columns, label, unit, total, statusLength) picks the bar's format and size so
 * the line fits `columns` (cli-progress cuts a longer line at the edge, which used to leave
 * "| error 0."): the status (the error) matters most, then the count, then the ETA, so the
 * ETA goes first, then the count, then the bar shrinks; the label and percentage always stay.
 */
export function progressLayout(columns: number, label: string, unit: string, total: number, statusLength: number): { format: string; barsize: number } {
  // One column short of the edge: a line that fills it exactly makes some terminals wrap.
  const room = Math.max(0, columns - 1);
  const count = ` | {value}/{total} ${unit}`;
  const countWidth = 4 + 2 * String(total).length + unit.length;
  const status = ' | {status}';
  const statusWidth = 3 + statusLength + STATUS_SLACK;
  const eta = ' | ETA {eta_formatted}';
  const etaWidth = 7 + ETA_WIDTH;
  const head = `${label} {bar} {percentage}%`;
  const headWidth = label.length + 1 + 5;
  // [tail, its width, the narrowest bar it may leave]: the status keeps a short bar rather than go.
  const choices: [string, number, number][] = [
    [count + status + eta, countWidth + statusWidth + etaWidth, MIN_BAR],
    [count + status, countWidth + statusWidth, MIN_BAR],
    [status, statusWidth, 4],
    ['', 0, 1],
  ];
  for (const [tail, width, narrowest] of choices) {
    const barsize = Math.min(MAX_BAR, room - headWidth - width);
    if (barsize >= narrowest) return { format: head + tail, barsize };
  }
  return { format: head, barsize: Math.max(1, room - headWidth) };
}
