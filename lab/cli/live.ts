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
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${this.label} {bar} {percentage}% | {value}/{total} ${this.unit} | {status} | ETA {eta_formatted}`,
          barsize: 24,
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
