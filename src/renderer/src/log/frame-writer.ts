/** The part of xterm's Terminal the writer needs. */
export interface WritableTerminal {
  write(data: string, callback?: () => void): void;
}

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export interface FrameWriterOptions {
  /** Past this many characters pending (queued + not yet parsed by xterm), `write` asks the caller to wait. */
  highWater?: number;
  /** The caller may go on once pending falls below this. */
  lowWater?: number;
  /** At most this much is handed to xterm per frame, so one frame never parses a flood. */
  maxFrameChars?: number;
  /** Called after xterm has parsed lines, with the total number parsed so far. */
  onWritten?: (totalLines: number) => void;
  scheduler?: FrameScheduler;
}

const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/**
 * Batches terminal output into one `term.write` per animation frame and applies flow control
 * with xterm's write callbacks: the producer is paused above the high watermark and resumed
 * below the low one, so a flood of lines cannot queue unbounded or freeze the page.
 */
export class FrameWriter {
  private readonly queue: string[] = [];
  private queuedChars = 0;
  /** Handed to xterm, callback not yet fired. */
  private inFlightChars = 0;
  private written = 0;
  private frame: number | null = null;
  private waiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private disposed = false;
  private readonly highWater: number;
  private readonly lowWater: number;
  private readonly maxFrameChars: number;
  private readonly scheduler: FrameScheduler;

  constructor(
    private readonly term: WritableTerminal,
    private readonly options: FrameWriterOptions = {},
  ) {
    this.highWater = options.highWater ?? 512 * 1024;
    this.lowWater = options.lowWater ?? 128 * 1024;
    this.maxFrameChars = options.maxFrameChars ?? 128 * 1024;
    this.scheduler = options.scheduler ?? animationFrames;
  }

  get pendingChars(): number {
    return this.queuedChars + this.inFlightChars;
  }

  /** Total lines xterm has parsed. */
  get linesWritten(): number {
    return this.written;
  }

  /** Queues whole lines (each already terminated). Returns a promise when the caller should wait. */
  write(lines: readonly string[]): Promise<void> | undefined {
    if (this.disposed || lines.length === 0) return undefined;
    for (const line of lines) {
      this.queue.push(line);
      this.queuedChars += line.length;
    }
    this.schedule();
    if (this.pendingChars <= this.highWater) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once xterm has parsed everything written so far (at once if nothing is pending). */
  whenDrained(): Promise<void> {
    if (this.pendingChars === 0 || this.disposed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    if (this.frame !== null) this.scheduler.cancel(this.frame);
    this.frame = null;
    this.queue.length = 0;
    this.queuedChars = 0;
    this.release();
    this.settleDrained();
  }

  private schedule(): void {
    if (this.frame !== null || this.disposed || this.queue.length === 0) return;
    // xterm already holds a full window; its callbacks schedule the next frame.
    if (this.inFlightChars >= this.highWater) return;
    this.frame = this.scheduler.request(() => {
      this.frame = null;
      this.flush();
    });
  }

  private flush(): void {
    if (this.disposed) return;
    let take = 0;
    let chars = 0;
    while (take < this.queue.length && (take === 0 || chars + this.queue[take]!.length <= this.maxFrameChars)) {
      chars += this.queue[take]!.length;
      take++;
    }
    if (take === 0) return;
    const data = this.queue.splice(0, take).join('');
    this.queuedChars -= chars;
    this.inFlightChars += chars;
    this.term.write(data, () => {
      if (this.disposed) return;
      this.inFlightChars -= chars;
      this.written += take;
      this.options.onWritten?.(this.written);
      if (this.pendingChars < this.lowWater) this.release();
      if (this.pendingChars === 0) this.settleDrained();
      this.schedule();
    });
    this.schedule();
  }

  private settleDrained(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
