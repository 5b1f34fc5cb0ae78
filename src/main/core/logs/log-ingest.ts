/**
 * Collects lines from every follower and stores them in batches: one transaction per batch,
 * written when the batch is full or a short timer fires, then handed to the live hub.
 *
 * The pending list is bounded by `batchSize`: a full batch is written synchronously, so a fast
 * container slows its own reader down (the socket buffers) instead of growing memory.
 */
import type { LogLevel, LogSource } from '../../../shared/model';
import type { LogWriter } from '../store/log-writer';
import type { LiveHub } from './live-hub';
import type { AssembledLine } from './line-assembler';
import { detectLevel } from './log-level';
import { Stream, levelCode, sourceCode, type PendingLine, type StoredLine } from './log-codes';

export interface LogIngestOptions {
  batchSize?: number;
  /** Upper bound on how long a line waits in memory before it is stored and streamed. */
  flushIntervalMs?: number;
  /** Lines kept for retry while the store refuses writes; newer ones beyond this are dropped and counted. */
  maxPendingOnError?: number;
  onError?: (err: unknown) => void;
}

const containerSource = sourceCode('container');

export class LogIngest {
  private pending: PendingLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Id of the newest stored line per active job, for the live batches' `prevId`. */
  private readonly lastIds = new Map<number, number>();
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxPendingOnError: number;
  private failing = false;
  /** Lines dropped while the store refused writes, and how many of those were reported. */
  dropped = 0;
  private reportedDrops = 0;

  constructor(
    private readonly writer: LogWriter,
    private readonly lastIdOf: (jobId: number) => number,
    private readonly hub: LiveHub,
    private readonly options: LogIngestOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.flushIntervalMs = options.flushIntervalMs ?? 25;
    this.maxPendingOnError = options.maxPendingOnError ?? 200_000;
  }

  pushContainerLine(jobId: number, line: AssembledLine): void {
    const isStdErr = line.stream === Stream.Stderr;
    this.push({
      ts: line.ts,
      jobId,
      stream: line.stream,
      level: levelCode(detectLevel(line.message, isStdErr)),
      source: containerSource,
      message: line.message,
    });
  }

  /** Berth's own lines about a job (pulling, exit code, …) or about itself (`jobId` null). */
  pushSystem(jobId: number | null, message: string, level: LogLevel = 'info', source: LogSource = 'system'): void {
    this.push({ ts: Date.now(), jobId, stream: Stream.None, level: levelCode(level), source: sourceCode(source), message });
  }

  /** Stores everything pending now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    for (const line of batch) {
      if (line.jobId !== null && !this.lastIds.has(line.jobId)) this.lastIds.set(line.jobId, this.lastIdOf(line.jobId));
    }
    let stored: StoredLine[];
    try {
      stored = this.writer.write(batch);
    } catch (err) {
      this.failing = true;
      this.options.onError?.(err);
      this.schedule(1000);
      return;
    }
    this.failing = false;
    this.pending = [];
    if (this.dropped > this.reportedDrops) {
      this.options.onError?.(new Error(`${this.dropped - this.reportedDrops} log lines were dropped while the store refused writes`));
      this.reportedDrops = this.dropped;
    }
    this.publish(stored);
  }

  /** A finished job no longer needs its last id in memory. */
  forget(jobId: number): void {
    this.lastIds.delete(jobId);
  }

  close(): void {
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private push(line: PendingLine): void {
    if (this.failing && this.pending.length >= this.maxPendingOnError) {
      this.dropped++;
      return;
    }
    this.pending.push(line);
    if (this.pending.length >= this.batchSize && !this.failing) this.flush();
    else if (!this.timer) this.schedule(this.flushIntervalMs);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  /** Streams each job's part of a stored batch, in order. */
  private publish(stored: readonly StoredLine[]): void {
    const byJob = new Map<number, StoredLine[]>();
    for (const line of stored) {
      if (line.jobId === null) continue;
      let lines = byJob.get(line.jobId);
      if (!lines) byJob.set(line.jobId, (lines = []));
      lines.push(line);
    }
    for (const [jobId, lines] of byJob) {
      const prevId = this.lastIds.get(jobId) ?? 0;
      this.lastIds.set(jobId, lines[lines.length - 1]!.id);
      this.hub.publish(jobId, prevId, lines);
    }
  }
}
