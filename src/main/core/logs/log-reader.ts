/**
 * The read side of the log store as the rest of main sees it: queries, counts and exports run in
 * a small pool of worker threads (log-reader-worker.ts), never on the main thread.
 *
 * Each worker serves one request at a time; requests wait in a queue on main. A request that
 * passes its deadline gets its worker terminated (the only way to stop a regex that backtracks
 * catastrophically) and a fresh one started in its place; it fails with a `bad_request` saying
 * what to narrow, and the queue goes on. Termination takes effect when the worker next runs
 * JavaScript: a statement SQLite is running finishes first, which is why every statement of the
 * read side reads a bounded range. Workers start when first needed and never keep the process
 * alive by themselves (only while answering).
 *
 * An export streams: it holds one worker for as long as it is read (exports hold at most all
 * workers but one, so queries and counts always find one), and the worker reads the next chunk
 * only when the consumer asks for it, so memory stays constant whatever its size.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Worker } from 'node:worker_threads';
import type { DownloadBody, LogExport, LogFilter, LogQuery } from '../../../shared/contract';
import type { LogEntry } from '../../../shared/model';
import { BerthError } from '../../../shared/errors';
import { startWorker } from '../workers/worker-script';
import { exportContentType, exportFilename } from './read/export-format';
import { readTimeout } from './read/read-errors';
import type { Budgets, ExportChunk, ReaderReply, ReaderRequest, ReaderWorkerData, ReplyError } from './read/reader-protocol';

export interface LogReaderOptions {
  file: string;
  nativeBinding?: string;
  /** Worker threads; default 2. */
  workers?: number;
  /** How long a query, a count or one export chunk may take; default 10 s. */
  queryTimeoutMs?: number;
  /** The same with a regex; default 3 s. */
  regexTimeoutMs?: number;
}

/** An export chunk: at most this many lines, about this much text, read for at most this long. */
const exportChunkLines = 5000;
// Under V8's large-object size (~128 KB): smaller strings die young, in cheap scavenges, while
// large ones wait for a full collection (measured: 45–100 MB more RSS during a 700 MB export).
const exportChunkBytes = 96 * 1024;
const exportSliceMs = 250;

export class LogReader {
  private readonly slots: Slot[];
  private readonly waiting: Waiter[] = [];
  private readonly budgets: Budgets;
  /** Exports hold their worker for long: they may take all but one, so queries always get one. */
  private readonly maxExports: number;
  private exporting = 0;
  private closed = false;

  constructor(options: LogReaderOptions) {
    this.budgets = { timeoutMs: options.queryTimeoutMs ?? 10_000, regexTimeoutMs: options.regexTimeoutMs ?? 3_000 };
    const data: ReaderWorkerData = { file: options.file, nativeBinding: options.nativeBinding };
    this.slots = Array.from({ length: Math.max(1, options.workers ?? 2) }, () => new Slot(data));
    this.maxExports = Math.max(1, this.slots.length - 1);
  }

  /** The `limit` newest matching lines (the oldest above `afterId`), oldest first. */
  async query(q: LogQuery): Promise<{ logs: LogEntry[]; truncated: boolean }> {
    return (await this.run({ op: 'query', query: q, budgets: this.budgets }, q.regex !== undefined)) as { logs: LogEntry[]; truncated: boolean };
  }

  /** The same as the JSON body of `GET /api/v1/logs`, built in the worker: text, or UTF-8 bytes when it is big. */
  async queryJson(q: LogQuery): Promise<string | Uint8Array> {
    return (await this.run({ op: 'query-json', query: q, budgets: this.budgets }, q.regex !== undefined)) as string | Uint8Array;
  }

  async count(f: LogFilter): Promise<number> {
    return (await this.run({ op: 'count', filter: f, budgets: this.budgets }, f.regex !== undefined)) as number;
  }

  /**
   * The matching lines, oldest first, as a download. Nothing is read until the body is iterated;
   * a filter the store rejects (a bad `q`, an ambiguous containerId) fails the first `next()`.
   * Stopping the iteration early (`return()`, as `for await … break` does) frees the worker.
   */
  export(e: LogExport): DownloadBody {
    return {
      filename: exportFilename(e, new Date()),
      contentType: exportContentType(e),
      // gzip is done in the worker; its bytes travel as a one-byte string (see ExportChunk).
      encoding: e.gzip ? 'latin1' : 'utf8',
      body: this.exportChunks(e),
    };
  }

  /** Stops the workers; requests waiting or running fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(closedError());
    await Promise.all(this.slots.map((s) => s.stop()));
  }

  private async run(request: ReaderRequest, regex: boolean): Promise<unknown> {
    const slot = await this.acquire('read');
    try {
      return await slot.call(request, this.deadline(regex));
    } finally {
      this.release(slot, 'read');
    }
  }

  private async *exportChunks(e: LogExport): AsyncGenerator<string, void, undefined> {
    const slot = await this.acquire('export');
    const deadline = this.deadline(e.regex !== undefined);
    let opened = false;
    try {
      await slot.call({ op: 'export-open', export: e }, deadline);
      opened = true;
      for (;;) {
        const request: ReaderRequest = { op: 'export-read', maxLines: exportChunkLines, maxBytes: exportChunkBytes, sliceMs: exportSliceMs };
        const chunk = (await slot.call(request, deadline)) as ExportChunk;
        if (chunk.text.length > 0) yield chunk.text;
        if (chunk.done) return;
      }
    } finally {
      // A worker terminated for its deadline has forgotten the export with everything else.
      if (opened && slot.running) await slot.call({ op: 'export-close' }, deadline).catch(() => undefined);
      this.release(slot, 'export');
    }
  }

  private deadline(regex: boolean): Deadline {
    const ms = regex ? this.budgets.regexTimeoutMs : this.budgets.timeoutMs;
    // The worker gives up by itself at `ms`, between rows; termination is for when it cannot.
    return { ms: ms + Math.min(1000, Math.max(100, ms / 10)), error: () => readTimeout(regex, ms) };
  }

  /** A worker for one request or one export, when one is free; requests wait in order. */
  private acquire(kind: Waiter['kind']): Promise<Slot> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.waiting.push({ kind, resolve, reject });
      this.dispatch();
    });
  }

  private release(slot: Slot, kind: Waiter['kind']): void {
    if (kind === 'export') this.exporting--;
    slot.busy = false;
    this.dispatch();
  }

  /** Hands free workers to the waiting, in order, letting an export wait while exports hold their share. */
  private dispatch(): void {
    for (;;) {
      const idle = this.slots.find((s) => !s.busy);
      if (!idle || this.closed) return;
      const i = this.waiting.findIndex((w) => w.kind === 'read' || this.exporting < this.maxExports);
      if (i < 0) return;
      const [next] = this.waiting.splice(i, 1);
      idle.busy = true;
      if (next!.kind === 'export') this.exporting++;
      next!.resolve(idle);
    }
  }
}

interface Waiter {
  kind: 'read' | 'export';
  resolve: (slot: Slot) => void;
  reject: (err: Error) => void;
}

interface Deadline {
  ms: number;
  error: () => Error;
}

interface InFlight {
  id: number;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | null;
}

/** One worker thread, started when first needed and again after it was terminated or died. */
class Slot {
  busy = false;
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private inFlight: InFlight | null = null;
  private nextId = 1;
  private stopped = false;

  constructor(private readonly data: ReaderWorkerData) {}

  get running(): boolean {
    return this.worker !== null;
  }

  /** Sends one request and waits for its answer; past the deadline the worker is terminated. */
  async call(request: ReaderRequest, deadline: Deadline): Promise<unknown> {
    const worker = await this.start();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        if (this.inFlight?.id !== id) return;
        this.inFlight = null;
        this.kill();
        reject(deadline.error());
      }, deadline.ms);
      this.inFlight = { id, resolve, reject, timer };
      // Keep the process alive while a request is being answered, not while idle.
      worker.ref();
      worker.postMessage({ id, request });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.fail(closedError());
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate().catch(() => undefined);
  }

  private start(): Promise<Worker> {
    if (this.stopped) return Promise.reject(closedError());
    if (this.ready) return this.ready;
    // A small young generation: a reader makes lots of short-lived garbage, and a large one lets
    // the process grow by tens of megabytes before it is collected.
    const worker = startWorker('log-reader-worker', { workerData: this.data, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    worker.unref();
    this.worker = worker;
    this.ready = new Promise<Worker>((resolve, reject) => {
      const failed = (err: Error) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.ready = null;
        reject(err);
        this.fail(err);
      };
      worker.on('message', (reply: ReaderReply) => {
        if (this.worker !== worker) return;
        if ('ready' in reply) resolve(worker);
        else this.answer(worker, reply);
      });
      worker.on('error', (err) => failed(err));
      worker.on('exit', (code) => failed(new Error(`the log reader worker stopped (exit code ${code})`)));
    });
    // A failed start is reported to the request that asked for it.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private answer(worker: Worker, reply: Exclude<ReaderReply, { ready: true }>): void {
    const f = this.inFlight;
    if (!f || f.id !== reply.id) return;
    this.inFlight = null;
    if (f.timer) clearTimeout(f.timer);
    worker.unref();
    if (reply.ok) f.resolve(reply.value);
    else f.reject(errorFrom(reply.error));
  }

  private fail(err: Error): void {
    const f = this.inFlight;
    if (!f) return;
    this.inFlight = null;
    if (f.timer) clearTimeout(f.timer);
    f.reject(err);
  }

  private kill(): void {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) void worker.terminate().catch(() => undefined);
  }
}

function errorFrom(e: ReplyError): Error {
  if (e.code !== null) return new BerthError(e.code, e.message);
  const err = new Error(`log reader: ${e.message}`);
  if (e.stack) err.stack = `log reader: ${e.stack}`;
  return err;
}

const closedError = () => new BerthError('unavailable', 'the log reader is closed');
