/**
 * Turning a time window into id ranges. There is no index on a line's time (it would cost every
 * insert); instead `log_blocks` maps each source's consecutive lines (an id range, of that source
 * only) to the range of their times. A window [since, until) becomes the id ranges of the blocks
 * whose times overlap it, and the exact `ts` check then runs only on the lines in those ranges.
 *
 * A range is `exact` when every block in it lies wholly inside the window (and no other block of
 * the source sits between them): all of that source's lines in it match without looking at their
 * times, so they can be counted from an index alone. Blocks are bounds, never too narrow: after
 * retention they may be wider than the lines left in them, which costs a little scanning, not
 * correctness.
 */
import type { Db } from '../../store/database';
import { statement } from './statements';

/** Ids lo..hi, both included. */
export interface IdRange {
  lo: number;
  hi: number;
  exact: boolean;
  /** For an exact range of one source's blocks: how many lines they hold (blocks count their lines). */
  lines?: number;
}

export interface TimeWindow {
  /** Inclusive. */
  since: number;
  /** Exclusive. */
  until: number;
}

interface BlockRow {
  source_id: number;
  first_id: number;
  last_id: number;
  min_ts: number;
  max_ts: number;
  lines: number;
}

const blockColumns = 'source_id, first_id, last_id, min_ts, max_ts, lines';
/** Ranges of different sources closer than this are scanned as one: a few stray lines cost less than another statement. */
const mergeGap = 256;

/** The window with open ends made explicit. */
export function timeWindow(since: number | undefined, until: number | undefined): TimeWindow | null {
  if (since === undefined && until === undefined) return null;
  return { since: since ?? Number.MIN_SAFE_INTEGER, until: until ?? Number.MAX_SAFE_INTEGER };
}

/** A source's lines within a window: their id ranges, and whether every line of the source is in it. */
export interface SourceWindow {
  ranges: IdRange[];
  /** All of the source's blocks lie wholly inside the window: its counters count it exactly. */
  whole: boolean;
}

/** The id ranges holding the lines of one source (`0`: lines without a source) within the window, in id order. */
export function sourceTimeRanges(db: Db, sourceId: number, w: TimeWindow): SourceWindow {
  const blocks = statement<BlockRow>(
    db,
    `SELECT ${blockColumns} FROM log_blocks WHERE source_id = ? AND max_ts >= ? AND min_ts < ? ORDER BY first_id`,
  ).all(sourceId, w.since, w.until);
  return rangesOfSource(db, sourceId, blocks, w);
}

/**
 * For every source with lines in the window (`0` for lines without a source): their id ranges.
 * Sources all of whose blocks lie inside the window (most, for windows longer than their jobs)
 * are summed up in SQL; only the others' blocks come back one by one.
 */
export function timeRangesBySource(db: Db, w: TimeWindow): Map<number, SourceWindow> {
  const rows = statement(
    db,
    `SELECT source_id, count(*), sum(exact), min(first_id), max(last_id), sum(lines),
            (SELECT count(*) FROM log_blocks a WHERE a.source_id = b.source_id) AS total,
            json_group_array(json_array(first_id, last_id, min_ts, max_ts, lines))
     FROM (SELECT *, (min_ts >= @since AND max_ts < @until) AS exact FROM ${blocksTable(db, w)}
           WHERE max_ts >= @since AND min_ts < @until) b
     GROUP BY source_id`,
  )
    .raw(true)
    .all({ since: w.since, until: w.until }) as [number, number, number, number, number, number, number, string][];
  const out = new Map<number, SourceWindow>();
  for (const [sourceId, found, exact, lo, hi, lines, total, json] of rows) {
    if (exact === found && found === total) {
      out.set(sourceId, { ranges: [{ lo, hi, exact: true, lines }], whole: true });
      continue;
    }
    const blocks = (JSON.parse(json) as [number, number, number, number, number][])
      .map(([first_id, last_id, min_ts, max_ts, n]) => ({ source_id: sourceId, first_id, last_id, min_ts, max_ts, lines: n }))
      .sort((a, b) => a.first_id - b.first_id);
    out.set(sourceId, rangesOfSource(db, sourceId, blocks, w));
  }
  return out;
}

/** Id ranges holding every line within the window, whatever its source; none is exact. */
export function globalTimeRanges(db: Db, w: TimeWindow): IdRange[] {
  const blocks = overlappingBlocks(db, w).sort((a, b) => a[1] - b[1]);
  const out: IdRange[] = [];
  for (const [, first, last] of blocks) {
    const open = out[out.length - 1];
    if (open && first <= open.hi + mergeGap) open.hi = Math.max(open.hi, last);
    else out.push({ lo: first, hi: last, exact: false });
  }
  return out;
}

/**
 * How to read the blocks overlapping a window: through the index on max_ts when few blocks end
 * after `since`, else the whole table in order (cheaper than most of it through the index).
 */
export function blocksTable(db: Db, w: TimeWindow): string {
  const all = statement(db, 'SELECT count(*) FROM log_blocks').pluck(true).get() as number;
  const after = statement(db, 'SELECT count(*) FROM log_blocks WHERE max_ts >= ?').pluck(true).get(w.since) as number;
  return after * 2 > all ? 'log_blocks NOT INDEXED' : 'log_blocks';
}

type BlockTuple = [source_id: number, first_id: number, last_id: number, min_ts: number, max_ts: number, lines: number];

/**
 * Every block whose times overlap the window. The index on max_ts finds the blocks ending after
 * `since`, so a window in the past also reads all the blocks after it (there is no index on
 * min_ts). There can be thousands: they come back as one JSON text rather than row by row.
 */
function overlappingBlocks(db: Db, w: TimeWindow): BlockTuple[] {
  const json = statement(db, `SELECT json_group_array(json_array(${blockColumns})) FROM ${blocksTable(db, w)} WHERE max_ts >= ? AND min_ts < ?`)
    .pluck(true)
    .get(w.since, w.until) as string;
  return JSON.parse(json) as BlockTuple[];
}

/**
 * Consecutive blocks of a source become one range (split where exactness changes). Whether the
 * blocks found are consecutive is checked by counting the source's blocks in their span; when
 * others sit between them (times out of order), the span is read whole and walked.
 */
function rangesOfSource(db: Db, sourceId: number, inWindow: BlockRow[], w: TimeWindow): SourceWindow {
  if (inWindow.length === 0) return { ranges: [], whole: false };
  let blocks = inWindow;
  if (inWindow.length > 1) {
    const first = inWindow[0]!.first_id;
    const last = inWindow[inWindow.length - 1]!.first_id;
    const { n } = statement<{ n: number }>(db, 'SELECT count(*) AS n FROM log_blocks WHERE source_id = ? AND first_id BETWEEN ? AND ?').get(
      sourceId,
      first,
      last,
    )!;
    if (n !== inWindow.length) {
      blocks = statement<BlockRow>(
        db,
        `SELECT ${blockColumns} FROM log_blocks WHERE source_id = ? AND first_id BETWEEN ? AND ? ORDER BY first_id`,
      ).all(sourceId, first, last);
    }
  }
  const out: IdRange[] = [];
  let open: IdRange | null = null;
  let exactBlocks = 0;
  for (const b of blocks) {
    if (b.max_ts < w.since || b.min_ts >= w.until) {
      open = null;
      continue;
    }
    const exact = b.min_ts >= w.since && b.max_ts < w.until;
    if (exact) exactBlocks++;
    if (open && open.exact === exact) {
      open.hi = b.last_id;
      if (exact) open.lines! += b.lines;
    } else {
      open = exact ? { lo: b.first_id, hi: b.last_id, exact, lines: b.lines } : { lo: b.first_id, hi: b.last_id, exact };
      out.push(open);
    }
  }
  let whole = false;
  if (exactBlocks === blocks.length) {
    const { n } = statement<{ n: number }>(db, 'SELECT count(*) AS n FROM log_blocks WHERE source_id = ?').get(sourceId)!;
    whole = n === exactBlocks;
  }
  return { ranges: out, whole };
}

/** The ranges cut to lo..hi. */
export function clipRanges(ranges: readonly IdRange[], lo: number, hi: number): IdRange[] {
  const out: IdRange[] = [];
  for (const r of ranges) {
    const a = Math.max(r.lo, lo);
    const b = Math.min(r.hi, hi);
    if (a > b) continue;
    // A range cut short no longer holds all of its blocks' lines.
    out.push(a === r.lo && b === r.hi ? r : { lo: a, hi: b, exact: r.exact });
  }
  return out;
}

/** The union of possibly overlapping ranges, in id order, for scans that check every line's time anyway. */
export function unionRanges(ranges: readonly IdRange[]): IdRange[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo);
  const out: IdRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + mergeGap) {
      last.hi = Math.max(last.hi, r.hi);
      last.exact = false;
      delete last.lines;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}
