import type { LogBatch, LogEntry, LogLine } from '../../../shared/model';
import { entryToLine } from './log-format';

export type LogQueryFn = (input: { jobId: number; afterId?: number; limit: number }) => Promise<{ logs: LogEntry[] }>;

export interface LogSequencerOptions {
  jobId: number;
  /** `logs.query`. */
  query: LogQueryFn;
  /** Receives lines in id order, each exactly once; a returned promise pauses the sequencer (backpressure). */
  write: (lines: LogLine[]) => void | Promise<void>;
  onError?: (err: unknown) => void;
  /** How many of the newest stored lines to show first. */
  tailLimit?: number;
  /** Page size when re-reading a gap. */
  pageLimit?: number;
  /** Live lines held while the writer is behind; past this, batches are dropped and re-read from the store. */
  maxQueuedLines?: number;
}

type Task = { kind: 'tail' } | { kind: 'batch'; batch: LogBatch } | { kind: 'catch-up' };

/**
 * Merges a job's stored lines and its live batches into one gap-free, duplicate-free sequence.
 *
 * All work runs through one queue, one task at a time. The caller subscribes first and pushes
 * batches (they wait in the queue), then calls `start()`, which reads the stored tail ahead of
 * them. A batch whose `prevId` is beyond the last written id means one was missed: the gap is
 * re-read from the store. Memory stays bounded because, when the writer is behind, batches are
 * dropped in favour of one queued catch-up read, which finds the same lines in the store.
 */
export class LogSequencer {
  private readonly queue: Task[] = [];
  private queuedLines = 0;
  private catchUpQueued = false;
  private started = false;
  private running = false;
  private disposed = false;
  /** The stored tail has been read; until then there is nothing to append to. */
  private loaded = false;
  private last = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly tailLimit: number;
  private readonly pageLimit: number;
  private readonly maxQueuedLines: number;

  constructor(private readonly options: LogSequencerOptions) {
    this.tailLimit = options.tailLimit ?? 5000;
    this.pageLimit = options.pageLimit ?? 10_000;
    this.maxQueuedLines = options.maxQueuedLines ?? 20_000;
  }

  /** Id of the last line handed to `write`. */
  get lastId(): number {
    return this.last;
  }

  /** Reads the stored tail, then applies what was pushed meanwhile. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.queue.unshift({ kind: 'tail' });
    void this.drain();
  }

  /** A live batch from the `logs` stream. */
  push(batch: LogBatch): void {
    if (this.disposed || batch.jobId !== this.options.jobId || batch.lines.length === 0) return;
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

  /** Reads whatever the store has past the last written line (after a reconnect, when the job ends). */
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
      await this.readTail();
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

  private async readTail(): Promise<void> {
    const { logs } = await this.options.query({ jobId: this.options.jobId, limit: this.tailLimit });
    if (this.disposed) return;
    this.loaded = true;
    await this.emit(logs.map(entryToLine));
  }

  /** Pages forward from the last written id until the store has nothing newer. */
  private async readForward(): Promise<void> {
    for (;;) {
      const { logs } = await this.options.query({ jobId: this.options.jobId, afterId: this.last, limit: this.pageLimit });
      if (this.disposed) return;
      const before = this.last;
      await this.emit(logs.map(entryToLine));
      if (logs.length < this.pageLimit || this.last === before) return;
    }
  }

  /** Writes the lines not written yet, in order. */
  private async emit(lines: readonly LogLine[]): Promise<void> {
    const fresh: LogLine[] = [];
    for (const line of lines) {
      if (line.id > this.last) {
        fresh.push(line);
        this.last = line.id;
      }
    }
    if (fresh.length > 0 && !this.disposed) await this.options.write(fresh);
  }

  private settleIdle(): void {
    if (this.running) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
