/**
 * The only code that inserts log lines. Runs in the writer worker, which owns the write
 * connection. One transaction per batch stores the lines and, with them, everything kept about
 * them — per-source counters, counts by kind and level, the time blocks, the resume cursors — so
 * a crash (even kill -9) leaves lines and their bookkeeping consistent.
 */
import type { Db } from '../../store/database';
import type { SourceCursor } from './source-parser';

/** A line ready to be stored. `sourceId` null: Berth's own line about nothing in particular. */
export interface WriterLine {
  sourceId: number | null;
  ts: number;
  kind: number;
  stream: number;
  level: number;
  message: string;
}

export interface StoredLine extends WriterLine {
  id: number;
}

/** What one commit stored for one source, for the live stream and the readers' bookkeeping. */
export interface StoredRange {
  sourceId: number | null;
  /** The source's newest line before this commit (0 if none). */
  prevId: number;
  lines: StoredLine[];
}

interface Block {
  firstId: number;
  lastId: number;
  minTs: number;
  maxTs: number;
  lines: number;
}

/** What the writer keeps in memory per source it has written to. */
export interface SourceBook {
  /** Newest line ever stored (0 if none). */
  lastId: number;
  /** The cursor of the newest stored unit. */
  cursor: SourceCursor;
  block: Block | null;
}

/** Blocks close at this many lines or this time span (see migration 2). */
export const blockMaxLines = 8192;
export const blockMaxSpanMs = 60_000;

const rowsPerStatement = 64;
const columns = 6;

interface Pending {
  lines: StoredLine[];
  /** Cursors to store with this batch. */
  cursors: Map<number, SourceCursor>;
}

export class LogBatchWriter {
  private readonly books = new Map<number, SourceBook>();
  /** Lines without a source have no book; their open block is kept here (undefined: not loaded yet). */
  private orphanBlock: Block | null | undefined;
  private pending: Pending = { lines: [], cursors: new Map() };
  private readonly insertFull;
  private readonly insertRest = new Map<number, ReturnType<Db['prepare']>>();
  private readonly params: unknown[] = new Array(rowsPerStatement * columns);
  private readonly readSource;
  private readonly readBlock;
  private readonly updateCounters;
  private readonly updateCursor;
  private readonly upsertCount;
  private readonly insertBlock;
  private readonly updateBlock;
  private readonly writeAll;

  /**
   * `onStored` runs inside each batch's transaction with the lines just inserted (the search
   * index uses it); whatever it writes commits or rolls back with them.
   */
  constructor(
    private readonly db: Db,
    private readonly onStored: (lines: readonly StoredLine[]) => void = () => undefined,
  ) {
    this.insertFull = this.insertStatement(rowsPerStatement);
    this.readSource = db.prepare<[number], {
      last_id: number | null;
      out_units: number; out_ts: string | null; out_at_ts: number;
      err_units: number; err_ts: string | null; err_at_ts: number;
    }>('SELECT last_id, out_units, out_ts, out_at_ts, err_units, err_ts, err_at_ts FROM log_sources WHERE id = ?');
    this.readBlock = db.prepare<[number], { first_id: number; last_id: number; min_ts: number; max_ts: number; lines: number }>(
      'SELECT first_id, last_id, min_ts, max_ts, lines FROM log_blocks WHERE source_id = ? ORDER BY first_id DESC LIMIT 1',
    );
    this.updateCounters = db.prepare(
      `UPDATE log_sources SET lines = lines + @lines, bytes = bytes + @bytes, first_id = coalesce(first_id, @firstId),
         last_id = @lastId, last_ts = @lastTs WHERE id = @id`,
    );
    this.updateCursor = db.prepare(
      `UPDATE log_sources SET out_units = @outUnits, out_ts = @outTs, out_at_ts = @outAtTs,
         err_units = @errUnits, err_ts = @errTs, err_at_ts = @errAtTs WHERE id = @id`,
    );
    this.upsertCount = db.prepare(
      `INSERT INTO log_counts (source_id, kind, level, lines) VALUES (?, ?, ?, ?)
       ON CONFLICT (source_id, kind, level) DO UPDATE SET lines = lines + excluded.lines`,
    );
    this.insertBlock = db.prepare('INSERT INTO log_blocks (source_id, first_id, last_id, min_ts, max_ts, lines) VALUES (?, ?, ?, ?, ?, ?)');
    this.updateBlock = db.prepare('UPDATE log_blocks SET last_id = ?, min_ts = ?, max_ts = ?, lines = ? WHERE source_id = ? AND first_id = ?');
    this.writeAll = db.transaction((batch: Pending) => this.store(batch)).immediate as unknown as (batch: Pending) => StoredRange[];
  }

  get pendingLines(): number {
    return this.pending.lines.length;
  }

  add(line: WriterLine): void {
    (line as StoredLine).id = 0;
    this.pending.lines.push(line as StoredLine);
  }

  /** The cursor after the lines added so far for this source; stored with them. */
  setCursor(sourceId: number, cursor: SourceCursor): void {
    this.pending.cursors.set(sourceId, cursor);
  }

  /** The source's bookkeeping as of the last commit (loaded from the store the first time). */
  book(sourceId: number): SourceBook {
    let book = this.books.get(sourceId);
    if (!book) {
      const row = this.readSource.get(sourceId);
      const block = this.readBlock.get(sourceId);
      book = {
        lastId: row?.last_id ?? 0,
        cursor: {
          out: { units: row?.out_units ?? 0, ts: row?.out_ts ?? null, atTs: row?.out_at_ts ?? 0 },
          err: { units: row?.err_units ?? 0, ts: row?.err_ts ?? null, atTs: row?.err_at_ts ?? 0 },
        },
        block: block ? { firstId: block.first_id, lastId: block.last_id, minTs: block.min_ts, maxTs: block.max_ts, lines: block.lines } : null,
      };
      this.books.set(sourceId, book);
    }
    return book;
  }

  /** The cursor of the newest unit handed in for the source, stored or still pending. */
  latestCursor(sourceId: number): SourceCursor {
    return this.pending.cursors.get(sourceId) ?? this.book(sourceId).cursor;
  }

  /** Retention changed what is stored: forget what was cached about these sources. */
  forget(sourceIds: Iterable<number>): void {
    for (const id of sourceIds) this.books.delete(id);
  }

  /**
   * Stores everything pending in one transaction. On failure nothing is stored and the lines stay
   * pending for the next attempt.
   */
  commit(): StoredRange[] {
    if (this.pending.lines.length === 0 && this.pending.cursors.size === 0) return [];
    const batch = this.pending;
    const touched = new Set<number>(batch.cursors.keys());
    for (const line of batch.lines) if (line.sourceId !== null) touched.add(line.sourceId);
    // What the transaction changes in memory, to put back if it rolls back.
    const saved = [...touched].map((id) => {
      const b = this.book(id);
      return [id, { ...b, block: b.block && { ...b.block } }] as const;
    });
    const savedOrphan = this.orphanBlock && { ...this.orphanBlock };
    try {
      const ranges = this.writeAll(batch);
      this.pending = { lines: [], cursors: new Map() };
      return ranges;
    } catch (err) {
      for (const [id, b] of saved) this.books.set(id, b);
      this.orphanBlock = savedOrphan;
      throw err;
    }
  }

  private store(batch: Pending): StoredRange[] {
    const lines = batch.lines;
    for (let start = 0; start < lines.length; start += rowsPerStatement) {
      const n = Math.min(rowsPerStatement, lines.length - start);
      const params = n === rowsPerStatement ? this.params : new Array(n * columns);
      for (let i = 0, p = 0; i < n; i++) {
        const l = lines[start + i]!;
        params[p++] = l.ts;
        params[p++] = l.sourceId;
        params[p++] = l.kind;
        params[p++] = l.stream;
        params[p++] = l.level;
        params[p++] = l.message;
      }
      const info = (n === rowsPerStatement ? this.insertFull : this.rest(n)).run(params);
      if (info.changes !== n) throw new Error(`stored ${info.changes} of ${n} log lines`);
      const first = Number(info.lastInsertRowid) - n + 1;
      for (let i = 0; i < n; i++) lines[start + i]!.id = first + i;
    }
    this.onStored(lines);

    // Group by source, keeping order.
    const bySource = new Map<number | null, StoredLine[]>();
    for (const line of lines) {
      let list = bySource.get(line.sourceId);
      if (!list) bySource.set(line.sourceId, (list = []));
      list.push(line);
    }

    const ranges: StoredRange[] = [];
    for (const [sourceId, list] of bySource) {
      const key = sourceId ?? 0;
      const book = sourceId === null ? null : this.book(sourceId);
      const prevId = book?.lastId ?? 0;
      let bytes = 0;
      let minTs = Infinity;
      let maxTs = -Infinity;
      const counts = new Map<number, number>();
      for (const l of list) {
        bytes += Buffer.byteLength(l.message, 'utf8');
        if (l.ts < minTs) minTs = l.ts;
        if (l.ts > maxTs) maxTs = l.ts;
        const k = l.kind * 4 + l.level;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const firstId = list[0]!.id;
      const last = list[list.length - 1]!;
      if (sourceId !== null) {
        this.updateCounters.run({ id: sourceId, lines: list.length, bytes, firstId, lastId: last.id, lastTs: last.ts });
        book!.lastId = last.id;
      }
      for (const [k, n] of counts) this.upsertCount.run(key, Math.floor(k / 4), k % 4, n);
      this.extendBlock(key, book, firstId, last.id, minTs, maxTs, list.length);
      ranges.push({ sourceId, prevId, lines: list });
    }

    for (const [sourceId, cursor] of batch.cursors) {
      this.updateCursor.run({
        id: sourceId,
        outUnits: cursor.out.units,
        outTs: cursor.out.ts,
        outAtTs: cursor.out.atTs,
        errUnits: cursor.err.units,
        errTs: cursor.err.ts,
        errAtTs: cursor.err.atTs,
      });
      this.book(sourceId).cursor = cursor;
    }
    return ranges;
  }

  private extendBlock(key: number, book: SourceBook | null, firstId: number, lastId: number, minTs: number, maxTs: number, n: number): void {
    if (book === null && this.orphanBlock === undefined) {
      const row = this.readBlock.get(0);
      this.orphanBlock = row ? { firstId: row.first_id, lastId: row.last_id, minTs: row.min_ts, maxTs: row.max_ts, lines: row.lines } : null;
    }
    const block = book ? book.block : this.orphanBlock!;
    if (
      block &&
      block.lines + n <= blockMaxLines &&
      Math.max(maxTs, block.maxTs) - Math.min(minTs, block.minTs) <= blockMaxSpanMs
    ) {
      block.lastId = lastId;
      block.minTs = Math.min(block.minTs, minTs);
      block.maxTs = Math.max(block.maxTs, maxTs);
      block.lines += n;
      this.updateBlock.run(block.lastId, block.minTs, block.maxTs, block.lines, key, block.firstId);
      return;
    }
    const fresh: Block = { firstId, lastId, minTs, maxTs, lines: n };
    this.insertBlock.run(key, firstId, lastId, minTs, maxTs, n);
    if (book) book.block = fresh;
    else this.orphanBlock = fresh;
  }

  private rest(n: number) {
    let stmt = this.insertRest.get(n);
    if (!stmt) {
      stmt = this.insertStatement(n);
      this.insertRest.set(n, stmt);
    }
    return stmt;
  }

  private insertStatement(rows: number) {
    const values = new Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ');
    return this.db.prepare(`INSERT INTO logs (ts, source_id, kind, stream, level, message) VALUES ${values}`);
  }
}
