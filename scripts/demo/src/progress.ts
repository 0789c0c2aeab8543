// What the demo prints while it works: durations people read ("1.2 s", "1 min 5 s"), and on a
// terminal one line rewritten in place saying what is still awaited and for how long.

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The waiting line: what is still awaited, each with how long it has been. */
export function waitingLine(frame: number, waiting: ReadonlyMap<string, number>, now: number): string {
  const parts = [...waiting].map(([what, since]) => `${what} (${formatDuration(now - since)})`);
  return `${FRAMES[frame % FRAMES.length]} waiting for ${parts.join(', ')}`;
}

/**
 * Prints lines, and on a TTY keeps a waiting line under them. Without a TTY (a log, CI) only the
 * lines are printed.
 */
export class Progress {
  private readonly waiting = new Map<string, number>();
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private shown = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
    this.draw();
  }

  begin(what: string): void {
    this.waiting.set(what, Date.now());
    if (this.out.isTTY && !this.timer) {
      this.timer = setInterval(() => {
        this.frame++;
        this.clear();
        this.draw();
      }, 100);
      this.timer.unref();
    }
  }

  /** Ends a wait, returning how long it took. */
  end(what: string): number {
    const since = this.waiting.get(what) ?? Date.now();
    this.waiting.delete(what);
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.clear();
    }
    return Date.now() - since;
  }

  private clear(): void {
    if (this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(): void {
    if (!this.out.isTTY || this.waiting.size === 0) return;
    const text = waitingLine(this.frame, this.waiting, Date.now());
    this.out.write(text.slice(0, Math.max(20, (this.out.columns || 80) - 1)));
    this.shown = true;
  }
}
