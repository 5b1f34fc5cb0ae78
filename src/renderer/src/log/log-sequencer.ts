import type { LogBatch, LogEntry, LogLevel, LogLine } from '../../../shared/model';
import { entryToLine } from './log-format';
import { batchMatches, sourceFilter, type SourceRef } from './source-ref';

/** The part of a `logs.query` input the sequencer sends. */
export interface SequencerQuery {
  jobId?: number;
  containerId?: string;
  level?: LogLevel[];
  afterId?: number;
  limit: number;
}
export type LogQueryFn = (input: SequencerQuery) => Promise<{ logs: LogEntry[]; truncated?: true }>;

export interface LogSequencerOptions {
  source: SourceRef;
  /** `logs.query`. */
  query: LogQueryFn;
  /** Receives lines in id order, each exactly once; a returned promise pauses the sequencer (backpressure). */
  write: (lines: LogLine[]) => void | Promise<void>;
  onError?: (err: unknown) => void;
  /** Only these levels are written (the store is asked for them, live lines are filtered). All when left out. */
  levels?: readonly LogLevel[];
  /**
   * Start after this line instead of reading the stored tail: the caller already shows everything
   * up to it (a pane that paged forward to the end of the log and now follows it).
   */
  startAfterId?: number;
  /** Called once the first read (the tail, or the lines after `startAfterId`) has been handed to `write`. */
  onLoaded?: (info: { lastId: number; lines: number }) => void;
  /** How many of the newest stored lines to show first. */
  tailLimit?: number;
  /** Page size when re-reading a gap. */
  pageLimit?: number;
  /** Live lines held while the writer is behind; past this, batches are dropped and re-read from the store. */
  maxQueuedLines?: number;
}

type Task = { kind: 'tail' } | { kind: 'batch'; batch: LogBatch } | { kind: 'catch-up' };

/**
 * Merges a source's stored lines and its live batches into one gap-free, duplicate-free sequence.
 *
 * All work runs through one queue, one task at a time. The caller subscribes first and pushes
 * batches (they wait in the queue), then calls `start()`, which reads the stored tail ahead of
 * them. A batch whose `prevId` is beyond the last line covered means one was missed: the gap is
 * re-read from the store. Memory stays bounded because, when the writer is behind, batches are
 * dropped in favour of one queued catch-up read, which finds the same lines in the store.
 *
 * With a level filter, "covered" is not "written": a live batch covers every id up to its last
 * line even when the filter writes none of them, so a filtered pane does not re-read the store
 * after every batch (at most once after the first read, whose last line may be older than the
 * first batch's `prevId`).
 */
export class LogSequencer {
  private readonly queue: Task[] = [];
  private queuedLines = 0;
  private catchUpQueued = false;
  private started = false;
  private running = false;
  private disposed = false;
  /** The first read is done; until then there is nothing to append to. */
  private loaded = false;
  private last = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly levels: ReadonlySet<LogLevel> | null;
  private readonly tailLimit: number;
  private readonly pageLimit: number;
  private readonly maxQueuedLines: number;

  constructor(private readonly options: LogSequencerOptions) {
    this.levels = options.levels && options.levels.length < 4 ? new Set(options.levels) : null;
    this.tailLimit = options.tailLimit ?? 5000;
    this.pageLimit = options.pageLimit ?? 10_000;
    this.maxQueuedLines = options.maxQueuedLines ?? 20_000;
    if (options.startAfterId !== undefined) this.last = options.startAfterId;
  }

  /** Id of the last line covered (written, or skipped by the level filter). */
  get lastId(): number {
    return this.last;
  }

  /** Reads the stored tail (or what follows `startAfterId`), then applies what was pushed meanwhile. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.queue.unshift({ kind: 'tail' });
    void this.drain();
  }

  /** A live batch from the `logs` stream. */
  push(batch: LogBatch): void {
    if (this.disposed || !batchMatches(this.options.source, batch) || batch.lines.length === 0) return;
    // A queued catch-up will read these lines from the store anyway.
    if (this.catchUpQueued) return;
    if (this.queuedLines + batch.lines.length > this.maxQueuedLines) {
      this.catchUp();
      return;
    }
    this.queue.push({ kind: 'batch', batch });
    this.queuedLines += batch.lines.length;
    void this.drain();
  }

  /** Reads whatever the store has past the last covered line (after a reconnect, when the job ends). */
  catchUp(): void {
    if (this.disposed || this.catchUpQueued) return;
    this.catchUpQueued = true;
    this.queue.push({ kind: 'catch-up' });
    void this.drain();
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.queuedLines = 0;
    this.settleIdle();
  }

  /** Resolves once the queue is empty (for tests and for callers that want to wait). */
  whenIdle(): Promise<void> {
    if (!this.running && (this.queue.length === 0 || !this.started || this.disposed)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    if (this.running || !this.started) return;
    this.running = true;
    try {
      while (!this.disposed) {
        const task = this.queue.shift();
        if (!task) break;
        try {
          await this.run(task);
        } catch (err) {
          // The lines stay in the store; the next batch or catch-up reads them again.
          if (!this.disposed) this.options.onError?.(err);
        }
      }
    } finally {
      this.running = false;
      this.settleIdle();
    }
  }

  private async run(task: Task): Promise<void> {
    if (task.kind === 'batch') this.queuedLines -= task.batch.lines.length;
    if (task.kind === 'catch-up') this.catchUpQueued = false;

    if (!this.loaded) {
      await this.firstRead();
      return;
    }
    if (task.kind === 'tail') return;
    if (task.kind === 'catch-up') {
      await this.readForward();
      return;
    }
    if (task.batch.prevId > this.last) await this.readForward();
    await this.emit(task.batch.lines);
  }

  private async firstRead(): Promise<void> {
    let written: number;
    if (this.options.startAfterId !== undefined) {
      written = await this.readForward();
    } else {
      const { logs } = await this.options.query({ ...this.filter(), limit: this.tailLimit });
      if (this.disposed) return;
      written = await this.emit(logs.map(entryToLine));
    }
    if (this.disposed) return;
    this.loaded = true;
    this.options.onLoaded?.({ lastId: this.last, lines: written });
  }

  /** Pages forward from the last covered id until the store has nothing newer. */
  private async readForward(): Promise<number> {
    let written = 0;
    for (;;) {
      const { logs, truncated } = await this.options.query({ ...this.filter(), afterId: this.last, limit: this.pageLimit });
      if (this.disposed) return written;
      const before = this.last;
      written += await this.emit(logs.map(entryToLine));
      // A page cut short by the server's size cap (huge lines) is not the end.
      if ((logs.length < this.pageLimit && !truncated) || this.last === before) return written;
    }
  }

  private filter(): Omit<SequencerQuery, 'limit'> {
    return this.levels ? { ...sourceFilter(this.options.source), level: [...this.levels] } : sourceFilter(this.options.source);
  }

  /** Writes the lines not covered yet, in order; returns how many were written. */
  private async emit(lines: readonly LogLine[]): Promise<number> {
    const fresh: LogLine[] = [];
    for (const line of lines) {
      if (line.id > this.last) {
        this.last = line.id;
        if (!this.levels || this.levels.has(line.level)) fresh.push(line);
      }
    }
    if (fresh.length > 0 && !this.disposed) await this.options.write(fresh);
    return fresh.length;
  }

  private settleIdle(): void {
    if (this.running) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
