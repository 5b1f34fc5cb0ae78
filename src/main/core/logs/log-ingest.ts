/**
 * The main thread's side of the log writer: hands each source's raw bytes to the writer worker,
 * which parses and stores them, and passes stored lines of followed sources to the live hub.
 *
 * Backpressure: bytes sent and not yet stored are counted per source and in total. Past the high
 * water mark `write` returns false and the reader pauses its socket, so a fast container slows its
 * own reader (and, through attach, itself) and memory stays bounded; `onDrain` resumes it.
 *
 * If the worker dies, a new one is started and every open source is told (`onBroken`): its
 * follower resumes from the stored cursor, so nothing is lost or stored twice.
 */
import type { Worker } from 'node:worker_threads';
import type { LogLevel, LogLine, LogSource } from '../../../shared/model';
import { startWorker } from '../workers/worker-script';
import { levelCode, sourceCode } from './log-codes';
import type { ParseMode } from './write/source-parser';
import type { FromWriter, RetentionRules, ToWriter, WriterStats } from './write/writer-protocol';

export interface LogIngestOptions {
  file: string;
  nativeBinding?: string;
  /** Lines of a followed source, just stored. */
  onLive: (sourceId: number, prevId: number, lines: LogLine[]) => void;
  /** Trouble with storing lines (reported, never thrown at readers). */
  onError: (message: string) => void;
  /** Unstored bytes of one source before its reader is paused. */
  sourceHighWater?: number;
  /** Unstored bytes of all sources before every reader is paused. */
  totalHighWater?: number;
}

interface SourceFlow {
  inFlight: number;
  drains: Set<() => void>;
  onBroken: (() => void) | null;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class LogIngest {
  private worker: Worker;
  private nextReq = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly flows = new Map<number, SourceFlow>();
  private readonly live = new Map<number, number>();
  private retention: RetentionRules | null = null;
  private total = 0;
  private closing = false;
  private readonly sourceHighWater: number;
  private readonly totalHighWater: number;

  constructor(private readonly options: LogIngestOptions) {
    this.sourceHighWater = options.sourceHighWater ?? 4 * 1024 * 1024;
    this.totalHighWater = options.totalHighWater ?? 32 * 1024 * 1024;
    this.worker = this.spawn();
  }

  /**
   * Gets the writer ready for a source's output in `mode`. Answers where a logs-API read should
   * resume (`since` in Docker's form; null: from the start). `onBroken` hears if the writer had
   * to be restarted, which loses the parser's state: the follower must open again and resume.
   */
  async open(sourceId: number, mode: ParseMode, onBroken?: () => void): Promise<{ since: string | null }> {
    const flow = this.flow(sourceId);
    flow.onBroken = onBroken ?? null;
    return (await this.request({ type: 'open', reqId: 0, sourceId, mode })) as { since: string | null };
  }

  /** Sends bytes; false when the reader should pause until `onDrain`. */
  write(sourceId: number, chunk: Buffer): boolean {
    if (this.closing) return false;
    const flow = this.flow(sourceId);
    // Moved, not cloned, to the worker. A socket read owns its whole ArrayBuffer (one per read),
    // so it moves as is; anything else (a slice, a pooled small Buffer) is copied first.
    const owned = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer;
    const data = owned ? new Uint8Array(chunk.buffer) : new Uint8Array(chunk);
    // Counted before the transfer: a moved buffer reads as empty afterwards.
    const bytes = data.byteLength;
    this.worker.postMessage({ type: 'chunk', sourceId, data } satisfies ToWriter, [data.buffer as ArrayBuffer]);
    flow.inFlight += bytes;
    this.total += bytes;
    return flow.inFlight < this.sourceHighWater && this.total < this.totalHighWater;
  }

  /** Calls `fn` once the source may send again. */
  onDrain(sourceId: number, fn: () => void): void {
    const flow = this.flow(sourceId);
    if (this.canSend(flow)) {
      queueMicrotask(fn);
      return;
    }
    flow.drains.add(fn);
  }

  /** The output ended: resolves once its last lines are stored. */
  async end(sourceId: number): Promise<void> {
    await this.request({ type: 'end', reqId: 0, sourceId });
    const flow = this.flows.get(sourceId);
    if (flow) flow.onBroken = null;
  }

  /** The read broke; an unfinished line is dropped (the resumed read delivers it again). */
  drop(sourceId: number): void {
    this.send({ type: 'drop', sourceId });
  }

  /** Berth's own line about a source (a job, an attached container) or, with null, about itself. */
  system(sourceId: number | null, message: string, level: LogLevel = 'info', kind: Exclude<LogSource, 'container'> = 'system'): void {
    this.send({ type: 'lines', lines: [{ sourceId, ts: Date.now(), kind: sourceCode(kind), level: levelCode(level), message }] });
  }

  /** Resolves once everything sent so far for the source is stored, and with `indexed` also searchable. */
  async settle(sourceId: number | null, indexed = false): Promise<void> {
    await this.request({ type: 'settle', reqId: 0, sourceId, indexed });
  }

  /** Counts followers of a source; stored lines come back for it while there are any. */
  follow(sourceId: number, on: boolean): void {
    const n = (this.live.get(sourceId) ?? 0) + (on ? 1 : -1);
    if (n > 0) this.live.set(sourceId, n);
    else this.live.delete(sourceId);
    if ((n === 1 && on) || (n <= 0 && !on)) this.send({ type: 'live', sourceId, on: n > 0 });
  }

  setRetention(rules: RetentionRules): void {
    this.retention = rules;
    this.send({ type: 'retention', rules });
  }

  /** Deletes every stored line of these sources (deleted jobs) and what is kept about them; resolves with how many went. */
  async deleteSources(sourceIds: readonly number[]): Promise<number> {
    if (sourceIds.length === 0) return 0;
    const { deleted } = (await this.request({ type: 'deleteSources', reqId: 0, sourceIds: [...sourceIds] })) as { deleted: number };
    for (const id of sourceIds) this.release(id);
    return deleted;
  }

  async stats(): Promise<WriterStats> {
    return (await this.request({ type: 'stats', reqId: 0 })) as WriterStats;
  }

  /** Stores what is pending and stops the worker. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    try {
      await this.request({ type: 'close', reqId: 0 });
    } finally {
      await this.worker.terminate().catch(() => undefined);
    }
  }

  private spawn(): Worker {
    const worker = startWorker('log-writer-worker', {
      workerData: { file: this.options.file, nativeBinding: this.options.nativeBinding },
      // Garbage per line is short-lived; a modest young generation keeps the process small.
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (msg: FromWriter) => this.receive(msg));
    worker.on('error', (err) => this.options.onError(`the log writer failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (this.closing || worker !== this.worker) return;
      this.options.onError(`the log writer stopped (exit code ${code}); starting it again`);
      this.restart();
    });
    return worker;
  }

  /** A new worker: requests in flight fail, counters reset, open sources are told to resume. */
  private restart(): void {
    for (const p of this.pending.values()) p.reject(new Error('the log writer restarted'));
    this.pending.clear();
    this.total = 0;
    this.worker = this.spawn();
    if (this.retention) this.send({ type: 'retention', rules: this.retention });
    for (const sourceId of this.live.keys()) this.send({ type: 'live', sourceId, on: true });
    for (const flow of this.flows.values()) {
      flow.inFlight = 0;
      const broken = flow.onBroken;
      flow.onBroken = null;
      broken?.();
      this.drain(flow);
    }
  }

  private receive(msg: FromWriter): void {
    switch (msg.type) {
      case 'reply': {
        const p = this.pending.get(msg.reqId);
        this.pending.delete(msg.reqId);
        if (!p) return;
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new Error(msg.message));
        return;
      }
      case 'ack':
        for (const [sourceId, bytes] of msg.bytes) {
          this.total -= bytes;
          const flow = this.flows.get(sourceId);
          if (flow) flow.inFlight -= bytes;
        }
        if (this.total < this.totalHighWater / 2) for (const flow of this.flows.values()) this.drain(flow);
        return;
      case 'live':
        this.options.onLive(msg.sourceId, msg.prevId, msg.lines);
        return;
      case 'error':
      case 'recovered':
        this.options.onError(msg.message);
        return;
    }
  }

  private canSend(flow: SourceFlow): boolean {
    return flow.inFlight < this.sourceHighWater / 2 && this.total < this.totalHighWater / 2;
  }

  private drain(flow: SourceFlow): void {
    if (flow.drains.size === 0 || !this.canSend(flow)) return;
    const fns = [...flow.drains];
    flow.drains.clear();
    for (const fn of fns) fn();
  }

  private flow(sourceId: number): SourceFlow {
    let flow = this.flows.get(sourceId);
    if (!flow) this.flows.set(sourceId, (flow = { inFlight: 0, drains: new Set(), onBroken: null }));
    return flow;
  }

  /** Forgets a source's flow state once nobody reads it (a finished job, a detached container). */
  release(sourceId: number): void {
    const flow = this.flows.get(sourceId);
    if (flow && flow.inFlight <= 0 && flow.drains.size === 0) this.flows.delete(sourceId);
  }

  private request(msg: Extract<ToWriter, { reqId: number }>): Promise<unknown> {
    if (this.closing && msg.type !== 'close') return Promise.reject(new Error('the log writer is closing'));
    const reqId = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, { resolve, reject });
      this.send({ ...msg, reqId });
    });
  }

  private send(msg: ToWriter): void {
    // After close the worker is gone; what a follower still sends is read again on resume.
    if (this.closing && msg.type !== 'close') return;
    this.worker.postMessage(msg);
  }
}
