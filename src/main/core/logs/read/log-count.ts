/**
 * Counting matching lines: from the counters when the filter is only sources, levels and kinds;
 * over a time window from the blocks' and sources' counters plus the blocks the window cuts
 * through; with a search from the search index (intersected with an index, or its rows looked
 * up); with a regex (or a verified search) by reading every candidate.
 */
import type { LogFilter } from '../../../../shared/contract';
import type { Db } from '../../store/database';
import { planRead, type Plan } from './log-plan';
import { budgetOf, prepareRead, scanContext, snapshot, verifierFor, withSearchErrors, type ReadOptions } from './log-read';
import { Clock, Merge, SearchIds, confirm, openCursors, paramsFor, type ScanContext } from './log-scan';
import { countByIdSql, countSql, hasResidual, idsSql, searchCountInSql, searchCountJoinSql, searchCountSql, searchHitsSql } from './log-sql';
import { countFromCounters } from './log-sources';
import { readTimeout } from './read-errors';
import { statement } from './statements';
import { blocksTable, type TimeWindow } from './time-ranges';

/** How many stored lines match. */
export function countLogs(db: Db, f: LogFilter, options: ReadOptions = {}): number {
  const budget = budgetOf(f, options);
  const clock = Clock.after(budget);
  return withSearchErrors(f, () =>
    snapshot(db, () => {
      const read = prepareRead(db, f);
      if (!read) return 0;
      const { filters } = read;
      if (!filters.window && read.match === null && read.regex === null) {
        return countFromCounters(db, filters.sources, filters.kinds, filters.levels);
      }
      if (filters.window && read.match === null && read.regex === null && filters.levels === null && filters.kinds === null) {
        const n = countWindowLines(db, filters.sources, filters.window, clock);
        if (n === null) throw readTimeout(false, budget);
        return n;
      }
      const plan = planRead(db, { filters, lo: read.idSpan.min, hi: read.idSpan.max, search: read.match !== null, purpose: 'count' });
      const ctx = scanContext(db, read, 'asc', clock);
      ctx.verifier = verifierFor(ctx, read, plan, null, options);
      try {
        const n =
          read.regex !== null || ctx.verifier !== null
            ? countByReading(ctx, plan)
            : read.match !== null
              ? countSearch(ctx, plan)
              : countByIndex(ctx, plan);
        if (n === null) throw readTimeout(read.regex !== null, budget);
        return n;
      } finally {
        ctx.verifier?.close();
      }
    }),
  );
}

/** Statements of a count read at most this many ids, so each returns soon. */
const countWindow = 1 << 20;

/**
 * Counts every line of the sources (all, and those without one, when null) within a time window:
 * a block wholly inside the window counts its lines, a block the window cuts through is counted
 * line by line through its source's index, checking times. No block is read twice: blocks of a
 * source never overlap.
 */
function countWindowLines(db: Db, sources: readonly number[] | null, w: TimeWindow, clock: Clock): number | null {
  const inside = 'min_ts >= @since AND max_ts < @until';
  const rows = statement(
    db,
    `SELECT source_id,
            sum(CASE WHEN ${inside} THEN lines ELSE 0 END),
            json_group_array(CASE WHEN ${inside} THEN NULL ELSE json_array(first_id, last_id) END)
     FROM ${sources === null ? blocksTable(db, w) : 'log_blocks'}
     WHERE max_ts >= @since AND min_ts < @until${sources === null ? '' : ' AND source_id IN (SELECT value FROM json_each(@sources))'}
     GROUP BY source_id`,
  )
    .raw(true)
    .all({ since: w.since, until: w.until, sources: JSON.stringify(sources ?? []) }) as [number, number, string][];
  const cut = statement(db, countSql({ type: 'source', source: 1 }, { sources: null, levels: null, kinds: null, window: w }, true));
  const cutOrphans = statement(db, countSql({ type: 'source', source: 0 }, { sources: null, levels: null, kinds: null, window: w }, true));
  let n = 0;
  for (const [sourceId, exactLines, partial] of rows) {
    n += exactLines;
    for (const range of JSON.parse(partial) as ([number, number] | null)[]) {
      if (!range) continue;
      if (clock.expired) return null;
      const params = { s: sourceId, a: range[0], b: range[1], since: w.since, until: w.until };
      n += (sourceId === 0 ? cutOrphans : cut).pluck(true).get(params) as number;
    }
  }
  return n;
}

/**
 * Counts a time window: sources wholly inside it from their counters, blocks wholly inside it
 * from their line counts, the rest from the indexes (reading rows only to check times in blocks
 * the window cuts through).
 */
function countByIndex(ctx: ScanContext, plan: Plan): number | null {
  let n = 0;
  for (const s of plan.streams) {
    if (s.matching !== undefined) {
      n += s.matching;
      continue;
    }
    const access = s.access;
    const source = 'source' in access ? access.source : 0;
    // All of a source's lines, with no filter on the rows but the time: blocks count them.
    const everyLine = access.type === 'source' && !hasResidual(access, ctx.filters, false);
    for (const r of s.ranges) {
      if (everyLine && r.lines !== undefined) {
        n += r.lines;
        continue;
      }
      const sql = countSql(access, ctx.filters, !r.exact);
      for (let a = r.lo; a <= r.hi; a += countWindow) {
        if (ctx.clock.expired) return null;
        const b = Math.min(r.hi, a + countWindow - 1);
        n += statement(ctx.db, sql).pluck(true).get(paramsFor(ctx, { a, b, s: source })) as number;
      }
    }
  }
  return n;
}

/** Counts with a regex: every candidate row is read and tested. */
function countByReading(ctx: ScanContext, plan: Plan): number | null {
  let n = 0;
  for (const cursor of openCursors(ctx, plan.streams, plan.searchRanges, 1000)) {
    const merge = new Merge(ctx, [cursor]);
    for (;;) {
      const row = merge.next(1000);
      if (row === 'time') return null;
      if (row === null) break;
      n++;
    }
  }
  return n;
}

/** At most how many lines an access path holds within a range of `span` ids (its source's count, when it has one). */
function accessLines(ctx: ScanContext, access: Parameters<typeof idsSql>[0], span: number): number {
  if (!('source' in access)) return span;
  const lines = statement<{ lines: number }>(ctx.db, 'SELECT lines FROM log_sources WHERE id = ?').pluck(true).get(access.source) as number | undefined;
  return Math.min(span, lines ?? span);
}

/** Counts a search: by the search index alone when nothing else filters, else batch by batch. */
function countSearch(ctx: ScanContext, plan: Plan): number | null {
  const f = ctx.filters;
  if (plan.searchRanges.length === 0) return 0;
  if (f.sources === null && f.levels === null && f.kinds === null && f.window === null) {
    // Every hit whose line is still stored, segment by segment. When the only lines ever deleted
    // are the oldest ones (all ids below the oldest stored), the index counts alone are exact
    // above that id; otherwise each hit is looked up.
    const alone = onlyOldestDeleted(ctx);
    let n = 0;
    for (const segment of ctx.segments) {
      if (segment.lastId < ctx.idSpan.min) continue;
      if (ctx.clock.expired) return null;
      const sql = alone ? searchCountSql(segment, false) : searchCountSql(segment, true);
      try {
        n += statement(ctx.db, sql).pluck(true).get(paramsFor(ctx, { from: ctx.idSpan.min })) as number;
      } catch (err) {
        if (!(err instanceof Error && err.message === `no such table: ${segment.table}`)) throw err;
      }
    }
    return n;
  }
  const confirmBy = plan.streams.some((s) => s.access.type === 'table') ? null : plan.streams;
  // Index entries confirm a match outright when they need no check on the row.
  const indexSuffices = confirmBy !== null && confirmBy.every((s) => !hasResidual(s.access, f, true));
  const single = confirmBy?.length === 1 && confirmBy[0]!.ranges.length === 1 ? confirmBy[0]! : null;
  if (indexSuffices && single) {
    // One index range: SQLite intersects it with each segment's hits, from whichever side is
    // smaller. The set of the range's ids costs as many lines as the range holds (218 ms for a
    // 2M-line job on a 10M store) even for a word found 50 times; looking up each hit instead
    // costs as many hits (0.6 ms there).
    const r = single.ranges[0]!;
    const access = single.access;
    const lines = accessLines(ctx, access, r.hi - r.lo + 1);
    let n = 0;
    for (const segment of ctx.segments) {
      if (segment.lastId < r.lo || segment.firstId > r.hi) continue;
      if (ctx.clock.expired) return null;
      const params = paramsFor(ctx, { a: Math.max(r.lo, segment.firstId), b: Math.min(r.hi, segment.lastId), s: 'source' in access ? access.source : 0 });
      try {
        const hits = statement(ctx.db, searchHitsSql(segment)).pluck(true).get(paramsFor(ctx, {})) as number;
        const sql = hits <= lines ? searchCountJoinSql(segment, access) : searchCountInSql(segment, idsSql(access));
        n += statement(ctx.db, sql).pluck(true).get(params) as number;
      } catch (err) {
        if (!(err instanceof Error && err.message === `no such table: ${segment.table}`)) throw err;
      }
    }
    return n;
  }
  const ranges = plan.searchRanges;
  // Read from the end of the search index nearer the ranges (FTS5 steps there from its ends).
  const fromTop = ctx.idSpan.max - ranges[ranges.length - 1]!.hi < ranges[0]!.lo - ctx.idSpan.min;
  const ids = new SearchIds(ctx, ranges, fromTop ? 'desc' : 'asc');
  let n = 0;
  while (!ids.done) {
    if (ctx.clock.expired) return null;
    const { ids: kept, confirmed } = confirm(ctx, confirmBy, ids.next(maxSearchBatch));
    n += confirmed && indexSuffices ? kept.length : countRows(ctx, kept);
  }
  return n;
}

const maxSearchBatch = 100_000;

/**
 * Whether every deleted line is older than every stored one: ids are handed out one after the
 * other, so that is when the lines deleted (ids handed out less lines stored) are exactly the ids
 * below the oldest stored.
 */
function onlyOldestDeleted(ctx: ScanContext): boolean {
  const handedOut = statement<{ seq: number }>(ctx.db, "SELECT seq FROM sqlite_sequence WHERE name = 'logs'").get()?.seq ?? 0;
  const stored = statement(ctx.db, 'SELECT coalesce(sum(lines), 0) FROM log_counts').pluck(true).get() as number;
  return ctx.idSpan.min >= 1 && handedOut - stored === ctx.idSpan.min - 1;
}

/** How many of these lines match the filter, reading their rows. */
function countRows(ctx: ScanContext, ids: number[]): number {
  let n = 0;
  for (let i = 0; i < ids.length; i += 10_000) {
    n += statement(ctx.db, countByIdSql(ctx.filters))
      .pluck(true)
      .get(paramsFor(ctx, { ids: JSON.stringify(ids.slice(i, i + 10_000)) })) as number;
  }
  return n;
}

