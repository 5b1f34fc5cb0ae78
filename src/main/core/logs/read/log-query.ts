/**
 * The read side of the log store: queries and exports here, counts in log-count.ts, as plain
 * functions over a connection. They run in the reader worker (log-reader-worker.ts), never on
 * the main thread.
 *
 * How each filter is served:
 * - sources (jobId, containerId, serviceId, serviceName) resolve to log_sources rows first;
 * - counts without since/until/q/regex are sums of log_counts rows;
 * - everything else reads candidates through the densest index (see log-plan.ts), since/until
 *   turned into id ranges by log_blocks (see time-ranges.ts), then checks each row exactly;
 * - `q` reads the full-text index's segments in batches, each hit kept when the candidates'
 *   index holds it or its row passes the filter (see log-scan.ts); among few candidates (one
 *   job's lines, say) it is decided on each candidate instead, exactly as the index would (see
 *   search-verifier.ts), when that is cheaper. Lines above the `fts_indexed_id` mark in `meta` are
 *   not in the index yet, so a search does not find them until the writer has indexed them: there
 *   is no fallback scan of unindexed lines (the verifier leaves them out too).
 * - `regex` is tested on each candidate's message (ANSI codes stripped) within a time budget.
 *
 * A query or count runs in one read transaction (sources, counters, blocks and lines agree) and
 * gives up with a `bad_request` when its budget runs out, checked between statements and rows.
 * An export is read in chunks, each with fresh statements, none left open between chunks.
 */
import type { LogExport, LogQuery } from '../../../../shared/contract';
import type { LogEntry } from '../../../../shared/model';
import type { Db } from '../../store/database';
import { planRead } from './log-plan';
import { budgetOf, prepareRead, scanContext, snapshot, toEntries, verifierFor, withSearchErrors, type ReadOptions } from './log-read';
import { Clock, Merge, openCursors, type ScanContext } from './log-scan';
import type { Direction, Row } from './log-sql';
import { readTimeout } from './read-errors';

export type { ReadOptions } from './log-read';

/** The `limit` newest matching lines (or the oldest above `afterId`), oldest first. */
/**
 * The matching lines; see `queryPage` for whether the answer stopped at the size cap.
 */
export function queryLogs(db: Db, q: LogQuery, options: ReadOptions = {}): LogEntry[] {
  return queryPage(db, q, options).logs;
}

/**
 * At most this much message text in one answer (a million characters of a few huge lines, or
 * 100,000 ordinary ones): an answer is held in memory whole, in the worker and as JSON.
 */
export const maxAnswerText = 16 * 1024 * 1024;

/** The matching lines, and whether the size cap cut the page short of `limit`. */
export function queryPage(db: Db, q: LogQuery, options: ReadOptions = {}): { logs: LogEntry[]; truncated: boolean } {
  let truncated = false;
  const logs = queryRows(db, q, options, () => (truncated = true));
  return { logs, truncated };
}

function queryRows(db: Db, q: LogQuery, options: ReadOptions, markTruncated: () => void): LogEntry[] {
  let truncated = false;
  const budget = budgetOf(q, options);
  const clock = Clock.after(budget);
  return withSearchErrors(q, () =>
    snapshot(db, () => {
      const read = prepareRead(db, q);
      if (!read) return [];
      const dir: Direction = q.afterId !== undefined ? 'asc' : 'desc';
      const lo = Math.max(read.idSpan.min, (q.afterId ?? 0) + 1);
      const hi = Math.min(read.idSpan.max, q.beforeId !== undefined ? q.beforeId - 1 : Number.MAX_SAFE_INTEGER);
      const plan = planRead(db, { filters: read.filters, lo, hi, search: read.match !== null, purpose: 'rows' });
      const ctx = scanContext(db, read, dir, clock);
      ctx.verifier = verifierFor(ctx, read, plan, q.limit, options);
      try {
        const merge = new Merge(ctx, openCursors(ctx, plan.streams, plan.searchRanges, q.limit));
        const rows: Row[] = [];
        let text = 0;
        while (rows.length < q.limit) {
          // A page of huge lines stops at the size cap (one line at least): the client pages on.
          if (text >= maxAnswerText) {
            truncated = true;
            break;
          }
          const row = merge.next(q.limit - rows.length);
          if (row === 'time') throw readTimeout(read.regex !== null, budget);
          if (row === null) break;
          rows.push(row);
          text += row[6].length;
        }
        if (dir === 'desc') rows.reverse();
        if (truncated) markTruncated();
        return toEntries(db, rows);
      } finally {
        ctx.verifier?.close();
      }
    }),
  );
}

/**
 * An export's lines, oldest first, a chunk at a time. Each chunk is read with fresh statements
 * from where the last one ended (`id > last`), so nothing stays open between chunks; lines
 * stored after the export began are not part of it.
 */
export class LogExportReader {
  private readonly merge: Merge | null;
  private readonly ctx: ScanContext | null;
  private remaining: number;
  private finished = false;

  constructor(
    private readonly db: Db,
    private readonly e: LogExport,
    options: Pick<ReadOptions, 'nativeBinding' | 'searchBy'> = {},
  ) {
    this.remaining = e.limit ?? Number.POSITIVE_INFINITY;
    const read = withSearchErrors(e, () => prepareRead(db, e));
    if (!read) {
      this.merge = null;
      this.ctx = null;
      this.finished = true;
      return;
    }
    // Lines stored after this point are not part of the export.
    const lo = Math.max(read.idSpan.min, (e.afterId ?? 0) + 1);
    const hi = Math.min(read.idSpan.max, e.beforeId !== undefined ? e.beforeId - 1 : Number.MAX_SAFE_INTEGER);
    const plan = planRead(db, { filters: read.filters, lo, hi, search: read.match !== null, purpose: 'rows' });
    this.ctx = scanContext(db, read, 'asc', Clock.after(0));
    this.ctx.verifier = verifierFor(this.ctx, read, plan, null, options);
    this.merge = new Merge(this.ctx, openCursors(this.ctx, plan.streams, plan.searchRanges, 1000));
  }

  /** Frees what the export holds besides its position (a search's scratch table). */
  close(): void {
    this.ctx?.verifier?.close();
    this.finished = true;
  }

  /**
   * Up to `maxLines` more lines, or fewer when `clock` runs out first (possibly none: a regex or
   * a rare filter may scan long between matches); `done` once every line has been read.
   */
  read(maxLines: number, clock: Clock): { entries: LogEntry[]; done: boolean } {
    if (this.finished || !this.merge || !this.ctx) return { entries: [], done: true };
    this.ctx.clock = clock;
    const rows: Row[] = [];
    const want = Math.min(maxLines, this.remaining);
    while (rows.length < want) {
      const row = withSearchErrors(this.e, () => this.merge!.next(want - rows.length));
      if (row === 'time') break;
      if (row === null) {
        this.finished = true;
        break;
      }
      rows.push(row);
    }
    this.remaining -= rows.length;
    if (this.remaining <= 0) this.finished = true;
    return { entries: toEntries(this.db, rows), done: this.finished };
  }
}

