/**
 * Everything the writer worker does, apart from the thread itself (so tests can drive it
 * directly): parse each source's bytes into lines, store them in batches, hand stored lines of
 * followed sources back for the live stream, index them for search, and enforce retention.
 *
 *   chunk ─▶ parser ─▶ pending ─(batch full, or the message queue drained)─▶ commit ─▶ ack + live
 *   idle turns ─▶ one search-index chunk ─▶ one retention chunk
 *
 * Storing comes first: a commit happens before any background work, and background work runs in
 * short slices between messages, so a burst of output is never held up behind indexing for long.
 */
import { logLevels, logSources, type LogLine } from '../../../../shared/model';
import type { Db } from '../../store/database';
import { Stream } from '../log-codes';
import { detectLevel } from '../log-level';
import { FtsIndexer } from './fts-indexer';
import { LogBatchWriter, type StoredRange } from './log-batch-writer';
import { Retention } from './retention';
import { SourceDeletion } from './source-deletion';
import { SourceParser, resumeSince } from './source-parser';
import type { FromWriter, ToWriter, WriterStats } from './writer-protocol';

export interface WriterEngineOptions {
  /** Commit once this many lines are pending, even while messages keep coming. */
  batchSize?: number;
  /** Lines indexed per idle turn. */
  indexChunk?: number;
  maxLineBytes?: number;
  /** Lines kept for retry while the store refuses writes; newer ones beyond this are dropped and counted. */
  maxPendingOnError?: number;
  /** Schedules background turns; setImmediate in the worker. */
  defer?: (fn: () => void) => void;
  now?: () => number;
}

const levelCodes = new Map(logLevels.map((l, i) => [l, i]));
const containerKind = 0;

interface Waiter {
  reqId: number;
  /** Resolved once the search index reaches this id (0: once stored). */
  indexTarget: number;
}

export class WriterEngine {
  private readonly writer: LogBatchWriter;
  private readonly fts: FtsIndexer;
  private readonly retention: Retention;
  private readonly deletion: SourceDeletion;
  private readonly parsers = new Map<number, SourceParser>();
  private readonly live = new Set<number>();
  /** Bytes received per source since the last commit. */
  private unacked = new Map<number, number>();
  private waiters: Waiter[] = [];
  private turnScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failing = false;
  private dropped = 0;
  private closed = false;
  private readonly batchSize: number;
  private readonly indexChunk: number;
  private readonly maxPendingOnError: number;
  private readonly defer: (fn: () => void) => void;

  constructor(
    private readonly db: Db,
    private readonly post: (message: FromWriter) => void,
    private readonly options: WriterEngineOptions = {},
  ) {
    this.fts = new FtsIndexer(db);
    // A batch is indexed in its own transaction when the index has caught up (see FtsIndexer).
    this.writer = new LogBatchWriter(db, (lines) => this.fts.indexWithin(lines));
    this.retention = new Retention(db, { now: options.now });
    this.deletion = new SourceDeletion(db);
    this.batchSize = options.batchSize ?? 5000;
    this.indexChunk = options.indexChunk ?? 4000;
    this.maxPendingOnError = options.maxPendingOnError ?? 200_000;
    this.defer = options.defer ?? setImmediate;
  }

  handle(msg: ToWriter): void {
    if (this.closed) return;
    try {
      this.dispatch(msg);
    } catch (err) {
      if ('reqId' in msg) this.post({ type: 'reply', reqId: msg.reqId, ok: false, message: (err as Error).message });
      else this.post({ type: 'error', message: `the log writer failed on '${msg.type}': ${(err as Error).message}` });
    }
    this.scheduleTurn();
  }

  private dispatch(msg: ToWriter): void {
    switch (msg.type) {
      case 'chunk': {
        const parser = this.parsers.get(msg.sourceId);
        this.unacked.set(msg.sourceId, (this.unacked.get(msg.sourceId) ?? 0) + msg.data.byteLength);
        if (!parser) return; // dropped meanwhile: the bytes are read again on resume
        parser.push(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength));
        this.writer.setCursor(msg.sourceId, parser.cursor);
        if (this.writer.pendingLines >= this.batchSize) {
          const stored = this.writer.pendingLines;
          this.commit();
          this.afterBatch(stored);
        }
        return;
      }
      case 'open': {
        // The parser resumes after the newest unit handed in, stored or (while the store refuses
        // writes) still pending: either way it is not read twice.
        this.commit();
        const cursor = this.writer.latestCursor(msg.sourceId);
        const parser = new SourceParser(msg.mode, cursor, (unit) => this.add(msg.sourceId, unit), {
          maxLineBytes: this.options.maxLineBytes,
          now: this.options.now,
        });
        this.parsers.set(msg.sourceId, parser);
        this.reply(msg.reqId, { since: msg.mode === 'attach' ? null : resumeSince(cursor) });
        return;
      }
      case 'end': {
        const parser = this.parsers.get(msg.sourceId);
        if (parser) {
          parser.end();
          this.writer.setCursor(msg.sourceId, parser.cursor);
          this.parsers.delete(msg.sourceId);
        }
        this.waitStored(msg.reqId);
        return;
      }
      case 'drop':
        this.parsers.delete(msg.sourceId);
        return;
      case 'lines':
        for (const l of msg.lines) this.push({ sourceId: l.sourceId, ts: l.ts, kind: l.kind, stream: Stream.None, level: l.level, message: l.message });
        return;
      case 'settle':
        if (msg.indexed) {
          this.commit();
          const target = msg.sourceId === null ? Number.MAX_SAFE_INTEGER : this.writer.book(msg.sourceId).lastId;
          this.waiters.push({ reqId: msg.reqId, indexTarget: target });
        } else {
          this.waitStored(msg.reqId);
        }
        return;
      case 'live':
        if (msg.on) this.live.add(msg.sourceId);
        else this.live.delete(msg.sourceId);
        return;
      case 'retention':
        this.retention.setRules(msg.rules);
        this.fts.setBudget(msg.rules.maxBytes);
        return;
      case 'deleteSources': {
        // What is pending for them is stored first, so it goes too.
        this.commit();
        const deleted = this.deletion.delete(msg.sourceIds);
        for (const id of msg.sourceIds) this.parsers.delete(id);
        this.writer.forget(msg.sourceIds);
        this.reply(msg.reqId, { deleted });
        return;
      }
      case 'stats':
        this.reply(msg.reqId, this.stats());
        return;
      case 'close':
        this.commit();
        this.closed = true;
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.reply(msg.reqId, { dropped: this.dropped });
        return;
    }
  }

  /** Answers once everything received so far is stored. */
  private waitStored(reqId: number): void {
    this.commit();
    if (this.writer.pendingLines === 0) this.reply(reqId, null);
    else this.waiters.push({ reqId, indexTarget: 0 });
  }

  private add(sourceId: number, unit: { ts: number; stream: Stream.Stdout | Stream.Stderr; message: string }): void {
    const level = levelCodes.get(detectLevel(unit.message, unit.stream === Stream.Stderr)) ?? 1;
    this.push({ sourceId, ts: unit.ts, kind: containerKind, stream: unit.stream, level, message: unit.message });
  }

  private push(line: Parameters<LogBatchWriter['add']>[0]): void {
    if (this.failing && this.writer.pendingLines >= this.maxPendingOnError) {
      this.dropped++;
      return;
    }
    this.writer.add(line);
  }

  private commit(): void {
    if (this.failing) return;
    let ranges: StoredRange[];
    try {
      ranges = this.writer.commit();
      this.fts.committed();
    } catch (err) {
      this.fts.rollback();
      this.failing = true;
      this.post({ type: 'error', message: `storing log lines failed, retrying every second: ${(err as Error).message}` });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.failing = false;
        this.commit();
        this.scheduleTurn();
      }, 1000);
      return;
    }
    if (this.dropped > 0 && ranges.length > 0) {
      this.post({ type: 'recovered', message: `storing log lines works again; ${this.dropped} lines were dropped while it did not` });
      this.dropped = 0;
    }
    if (this.unacked.size > 0) {
      this.post({ type: 'ack', bytes: [...this.unacked] });
      this.unacked = new Map();
    }
    for (const range of ranges) {
      if (range.sourceId !== null && this.live.has(range.sourceId)) {
        this.post({ type: 'live', sourceId: range.sourceId, prevId: range.prevId, lines: range.lines.map(toLogLine) });
      }
    }
    if (ranges.length > 0) this.retention.noteStored(ranges);
    // Waiters for "stored" are done once nothing is pending.
    if (this.writer.pendingLines === 0) {
      const stored = this.waiters.filter((w) => w.indexTarget === 0);
      this.waiters = this.waiters.filter((w) => w.indexTarget !== 0);
      for (const w of stored) this.reply(w.reqId, null);
    }
  }

  private scheduleTurn(): void {
    if (this.turnScheduled || this.closed) return;
    this.turnScheduled = true;
    this.defer(() => {
      this.turnScheduled = false;
      this.turn();
    });
  }

  /**
   * Background work that rides along with a full batch. During a flood the message queue is
   * never empty, so turns (setImmediate) hardly run — Node delivers up to a thousand queued
   * messages before its check phase. Indexing as many lines as were just stored keeps search
   * within a batch or two of storage, and checking the budget keeps it during the flood.
   */
  private afterBatch(stored: number): void {
    if (this.failing) return;
    try {
      // Half again what came in, so a store over its budget gets back under it during the flood.
      this.retention.step(this.writer, this.fts, Math.ceil(stored * 1.5));
      this.fts.indexChunk(stored);
      this.settleIndexWaiters(false);
    } catch (err) {
      this.post({ type: 'error', message: `background work on the log store failed: ${(err as Error).message}` });
    }
  }

  /**
   * One background turn: store what is pending, keep the budget (first, so it holds during a
   * flood too), then index one chunk for search.
   */
  private turn(): void {
    if (this.closed) return;
    this.commit();
    if (this.failing) return;
    try {
      const pruning = this.retention.step(this.writer, this.fts);
      const indexed = this.fts.indexChunk(this.indexChunk);
      this.settleIndexWaiters(indexed === 0);
      if (indexed > 0 || pruning) this.scheduleTurn();
    } catch (err) {
      this.post({ type: 'error', message: `background work on the log store failed: ${(err as Error).message}` });
      setTimeout(() => this.scheduleTurn(), 1000);
    }
  }

  /** `caughtUp`: every stored line is indexed, whatever the waiters' targets. */
  private settleIndexWaiters(caughtUp: boolean): void {
    if (this.waiters.length === 0) return;
    const mark = this.fts.indexedId;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.indexTarget !== 0 && (caughtUp || w.indexTarget <= mark)) this.reply(w.reqId, null);
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private stats(): WriterStats {
    return { ...this.retention.sizes(), indexLag: this.indexLag(), pruned: this.retention.pruned };
  }

  /** About how many stored lines are not searchable yet (ids, so lines deleted meanwhile count too). */
  private indexLag(): number {
    const row = this.db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM logs').get();
    return Math.max(0, (row?.id ?? 0) - this.fts.indexedId);
  }

  private reply(reqId: number, value: unknown): void {
    this.post({ type: 'reply', reqId, ok: true, value });
  }
}

function toLogLine(l: { id: number; ts: number; kind: number; stream: number; level: number; message: string }): LogLine {
  return {
    id: l.id,
    timestamp: l.ts,
    level: logLevels[l.level] ?? 'info',
    source: logSources[l.kind] ?? 'system',
    isStdErr: l.stream === Stream.Stderr,
    message: l.message,
  };
}
