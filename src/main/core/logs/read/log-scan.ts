/**
 * Reading matching lines in id order, in bounded steps.
 *
 * A plan (log-plan.ts) splits the candidates into streams, each read through one index over a
 * few id ranges. A cursor reads its stream a chunk at a time (`id BETWEEN a AND b ... LIMIT c`, a
 * fresh statement each time: keyset pagination), and a merge takes the lines of several cursors
 * in id order, opening a cursor only when its range can hold the next line; streams with few
 * entries each are read together. With a search (`q`), one cursor reads the search index's ids in
 * batches, segment by segment, and keeps those the streams' indexes (or, when the search is
 * rarer, the rows themselves) confirm. A regex is tested here, on each row.
 *
 * Every step checks the clock; when it has run out, the scan stops where it is and says so, and
 * can be resumed later (an export's next chunk) or abandoned (a query over its budget).
 */
import { stripAnsi } from '../ansi';
import type { Db } from '../../store/database';
import {
  type Access,
  type Direction,
  type Filters,
  type Row,
  type Segment,
  groupRowsSql,
  hasResidual,
  idsSql,
  rowsByIdSql,
  rowsSql,
  searchIdsSql,
} from './log-sql';
import type { SearchVerifier } from './search-verifier';
import { statement } from './statements';
import type { IdRange } from './time-ranges';

/** One access path over some id ranges; the streams of a plan never share a line. */
export interface StreamSpec {
  access: Access;
  /** In id order, not overlapping. */
  ranges: IdRange[];
  /** How many entries the access path holds over its source's whole span (for density estimates). */
  entries: number;
  /** That span: ids from the source's first line to its last. */
  span: number;
  /**
   * How many lines match, from the counters, when the whole source lies within the time window
   * and the filter needs nothing the counters do not know (no search, no regex).
   */
  matching?: number;
}

/** When to stop: a point on `performance.now()`'s clock. */
export class Clock {
  constructor(readonly deadline: number) {}

  static after(ms: number): Clock {
    return new Clock(performance.now() + ms);
  }

  get expired(): boolean {
    return performance.now() >= this.deadline;
  }
}

/** What every cursor of one scan shares. */
export interface ScanContext {
  db: Db;
  filters: Filters;
  dir: Direction;
  clock: Clock;
  /** Tested on each row's message with ANSI codes stripped. */
  regex: RegExp | null;
  /** The FTS5 MATCH expression, with a search. */
  match: string | null;
  /**
   * With a search over few lines: decides the search on each row instead of reading the search
   * index (the streams then read candidates, as without a search).
   */
  verifier: SearchVerifier | null;
  /** The lowest and highest stored ids. */
  idSpan: { min: number; max: number };
  /** The search index's segments, oldest first. */
  segments: readonly Segment[];
}

type FillResult = 'ok' | 'time';

interface Cursor {
  /** The first id it may yield, in scan order; a cursor is opened only when that could come next. */
  readonly bound: number;
  readonly done: boolean;
  head(): Row | undefined;
  shift(): Row;
  /**
   * Reads on until a row is buffered, the stream ends, or the next row could only come after
   * `beyond` in scan order (another cursor's head, which goes first anyway).
   */
  fill(beyond: number, need: number): FillResult;
}

/** A statement checking rows reads at most this many ids: terminating a worker does not stop SQLite mid-statement. */
const maxWindow = 1 << 20;
const maxChunk = 5000;

const desc = (ctx: ScanContext) => ctx.dir === 'desc';
/** Whether id a comes before id b in scan order. */
const before = (ctx: ScanContext, a: number, b: number) => (desc(ctx) ? a > b : a < b);

const baseParams = new WeakMap<ScanContext, Record<string, unknown>>();

/** Every named parameter the read side's statements use (unused ones are ignored). */
export function paramsFor(ctx: ScanContext, extra: Record<string, unknown>): Record<string, unknown> {
  let base = baseParams.get(ctx);
  if (!base) {
    base = {
      since: ctx.filters.window?.since ?? 0,
      until: ctx.filters.window?.until ?? 0,
      sources: ctx.filters.sources ? JSON.stringify(ctx.filters.sources) : '[]',
      s: 0,
      match: ctx.match ?? '',
    };
    baseParams.set(ctx, base);
  }
  return { ...base, ...extra };
}

/** Buffered rows, with the ones not yet tested against the regex kept apart. */
abstract class BufferedCursor implements Cursor {
  protected rows: Row[] = [];
  protected at = 0;
  private untested: Row[] = [];
  private untestedAt = 0;
  done = false;

  constructor(protected readonly ctx: ScanContext) {}

  abstract readonly bound: number;

  head(): Row | undefined {
    return this.rows[this.at];
  }

  shift(): Row {
    const row = this.rows[this.at++]!;
    if (this.at === this.rows.length) {
      this.rows = [];
      this.at = 0;
    }
    return row;
  }

  /** Buffers the rows (in scan order) that pass the search and the regex; false if the clock ran out on the way. */
  protected accept(rows: Row[]): boolean {
    if (this.ctx.verifier) rows = this.ctx.verifier.filter(rows);
    const regex = this.ctx.regex;
    if (!regex) {
      if (this.at === this.rows.length) {
        this.rows = rows;
        this.at = 0;
      } else {
        for (const r of rows) this.rows.push(r);
      }
      return true;
    }
    this.untested = rows;
    this.untestedAt = 0;
    return this.testPending();
  }

  /** Tests rows left untested when the clock last ran out; false if it runs out again. */
  protected testPending(): boolean {
    const regex = this.ctx.regex!;
    const clock = this.ctx.clock;
    while (this.untestedAt < this.untested.length) {
      if (clock.expired) return false;
      const row = this.untested[this.untestedAt++]!;
      if (regex.test(stripAnsi(row[6]))) this.rows.push(row);
    }
    this.untested = [];
    this.untestedAt = 0;
    return true;
  }

  protected get hasUntested(): boolean {
    return this.untestedAt < this.untested.length;
  }

  abstract fill(beyond: number, need: number): FillResult;
}

/** Ranges walked in scan order, with the next id to look at. */
class RangeWalk {
  private index: number;
  /** The next id to examine (inclusive); everything before it in scan order has been. */
  pos: number;
  done: boolean;

  constructor(
    private readonly ranges: readonly IdRange[],
    private readonly descending: boolean,
  ) {
    this.index = descending ? ranges.length - 1 : 0;
    this.done = ranges.length === 0;
    this.pos = this.done ? 0 : descending ? ranges[this.index]!.hi : ranges[this.index]!.lo;
  }

  get range(): IdRange {
    return this.ranges[this.index]!;
  }

  /** The next window of at most `size` ids from pos, within the current range: [a, b]. */
  window(size: number): [number, number] {
    const r = this.range;
    return this.descending ? [Math.max(r.lo, this.pos - size + 1), this.pos] : [this.pos, Math.min(r.hi, this.pos + size - 1)];
  }

  /** Everything up to `id` (in scan order, inclusive) has been examined. */
  passed(id: number): void {
    this.pos = this.descending ? id - 1 : id + 1;
    const r = this.range;
    if (this.descending ? this.pos < r.lo : this.pos > r.hi) {
      this.index += this.descending ? -1 : 1;
      if (this.index < 0 || this.index >= this.ranges.length) this.done = true;
      else this.pos = this.descending ? this.range.hi : this.range.lo;
    }
  }

  /** Whether the walk has passed `beyond` (nothing left comes before it in scan order). */
  reached(beyond: number): boolean {
    return this.descending ? this.pos <= beyond : this.pos >= beyond;
  }
}

/** One stream read through its index, `LIMIT c` rows a statement, in windows of ids when rows need checks. */
class IndexCursor extends BufferedCursor {
  readonly bound: number;
  private readonly walk: RangeWalk;
  private readonly windowed: boolean;
  private readonly sql: string;
  private windowSize = 1 << 16;
  private chunk: number;

  constructor(
    ctx: ScanContext,
    private readonly spec: StreamSpec,
    firstChunk: number,
  ) {
    super(ctx);
    this.walk = new RangeWalk(spec.ranges, desc(ctx));
    this.done = this.walk.done;
    this.bound = this.walk.pos;
    // With checks on the rows, LIMIT alone does not bound a statement's work: a window does.
    this.windowed = hasResidual(spec.access, ctx.filters, true);
    this.sql = rowsSql(spec.access, ctx.filters, ctx.dir);
    this.chunk = firstChunk;
  }

  fill(beyond: number, need: number): FillResult {
    while (this.head() === undefined && !this.done) {
      if (this.hasUntested) {
        if (!this.testPending()) return 'time';
        continue;
      }
      if (this.walk.done) {
        this.done = true;
        break;
      }
      if (this.walk.reached(beyond)) return 'ok';
      if (this.ctx.clock.expired) return 'time';
      const c = Math.max(1, Math.min(need, this.chunk, maxChunk));
      const [a, b] = this.walk.window(this.windowed ? this.windowSize : Number.MAX_SAFE_INTEGER);
      const access = this.spec.access;
      const rows = statement(this.ctx.db, this.sql)
        .raw(true)
        .all(paramsFor(this.ctx, { a, b, c, s: 'source' in access ? access.source : 0 })) as Row[];
      if (rows.length === c) {
        this.walk.passed(rows[rows.length - 1]![0]);
      } else {
        this.walk.passed(desc(this.ctx) ? a : b);
        if (this.windowed && rows.length < c / 2) this.windowSize = Math.min(maxWindow, this.windowSize * 4);
      }
      this.chunk = Math.min(maxChunk, this.chunk * 2);
      if (!this.accept(rows)) return 'time';
    }
    if (this.head() === undefined && this.walk.done && !this.hasUntested) this.done = true;
    return 'ok';
  }
}

/**
 * Streams with few entries each (Berth's lines about each of many jobs, say), read together:
 * one statement for all of them, sorted, instead of one or more per source.
 */
class GroupCursor extends BufferedCursor {
  readonly bound: number;
  private loaded = false;

  constructor(
    ctx: ScanContext,
    private readonly members: readonly StreamSpec[],
  ) {
    super(ctx);
    const his = members.map((m) => m.ranges[m.ranges.length - 1]!.hi);
    const los = members.map((m) => m.ranges[0]!.lo);
    this.bound = desc(ctx) ? Math.max(...his) : Math.min(...los);
    this.done = members.length === 0;
  }

  fill(): FillResult {
    while (this.head() === undefined && !this.done) {
      if (this.hasUntested) {
        if (!this.testPending()) return 'time';
        continue;
      }
      if (this.loaded) {
        this.done = true;
        break;
      }
      if (this.ctx.clock.expired) return 'time';
      const group = this.members.map((m) => ('source' in m.access ? m.access.source : 0));
      const a = Math.min(...this.members.map((m) => m.ranges[0]!.lo));
      const b = Math.max(...this.members.map((m) => m.ranges[m.ranges.length - 1]!.hi));
      const rows = statement(this.ctx.db, groupRowsSql(this.members[0]!.access, this.ctx.filters, this.ctx.dir))
        .raw(true)
        .all(paramsFor(this.ctx, { a, b, group: JSON.stringify(group) })) as Row[];
      this.loaded = true;
      if (!this.accept(rows)) return 'time';
    }
    return 'ok';
  }
}

/** A stream is read in a group when it has at most this many entries; a group has at most this many in all. */
const smallStream = 64;
const groupEntries = 1024;

/**
 * A search: the ids FTS5 matches over the plan's ranges, in scan order, kept when the streams'
 * indexes hold them (or, when the search hits fewer lines than those indexes hold, checked on the
 * rows directly), then read as rows with every filter.
 */
class SearchCursor extends BufferedCursor {
  readonly bound: number;
  private readonly ids: SearchIds;
  /** Confirmed ids whose rows are still to be read (and checked), in scan order. */
  private pending: number[] = [];
  private pendingAt = 0;
  private batch: number;

  constructor(
    ctx: ScanContext,
    ranges: IdRange[],
    /** null: the search alone selects candidates (every line is one). */
    private readonly streams: readonly StreamSpec[] | null,
    need: number,
  ) {
    super(ctx);
    this.ids = new SearchIds(ctx, ranges, ctx.dir);
    this.done = ranges.length === 0;
    this.bound = this.done ? 0 : desc(ctx) ? ranges[ranges.length - 1]!.hi : ranges[0]!.lo;
    // Every statement steps FTS5 to its bound again, so the first should usually be enough: as
    // many ids as it takes for `need` of them to be among the streams' entries.
    const density = streams === null ? 1 : densityOf(streams);
    this.batch = Math.round(Math.min(maxSearchIds, Math.max(1024, (need * 2) / Math.max(density, 0.001))));
  }

  fill(beyond: number, need: number): FillResult {
    while (this.head() === undefined && !this.done) {
      if (this.hasUntested) {
        if (!this.testPending()) return 'time';
        continue;
      }
      if (this.pendingAt < this.pending.length) {
        if (this.ctx.clock.expired) return 'time';
        const take = this.pending.slice(this.pendingAt, this.pendingAt + Math.max(need, 64));
        this.pendingAt += take.length;
        const rows = statement(this.ctx.db, rowsByIdSql(this.ctx.filters, this.ctx.dir, true))
          .raw(true)
          .all(paramsFor(this.ctx, { ids: JSON.stringify(take) })) as Row[];
        if (!this.accept(rows)) return 'time';
        continue;
      }
      if (this.ids.done) {
        this.done = true;
        break;
      }
      if (this.ids.reached(beyond)) return 'ok';
      if (this.ctx.clock.expired) return 'time';
      const found = this.ids.next(this.batch);
      this.batch = Math.min(maxSearchIds, this.batch * 4);
      this.pending = confirm(this.ctx, this.streams, found).ids;
      this.pendingAt = 0;
    }
    return 'ok';
  }
}

/** The share of the ids over the streams' ranges that are their entries. */
function densityOf(streams: readonly StreamSpec[]): number {
  let entries = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of streams) {
    entries += s.entries;
    lo = Math.min(lo, s.ranges[0]?.lo ?? lo);
    hi = Math.max(hi, s.ranges[s.ranges.length - 1]?.hi ?? hi);
  }
  const span = streams.length === 1 ? streams[0]!.span : hi - lo + 1;
  return span > 0 ? Math.min(1, entries / span) : 1;
}

/** Most ids one search statement returns. */
const maxSearchIds = 100_000;

/**
 * The search's matching ids within some id ranges, a batch at a time, in one direction, segment
 * by segment. Hits of deleted lines may be among them (the caller reads or confirms each).
 *
 * FTS5 (3.53) reaches a rowid bound by stepping through the term's doclist, not by seeking:
 * measured at 20-80 ns per entry skipped. With only an upper bound and descending order it steps
 * from the segment's newest end; with only a lower bound and ascending order, from its oldest
 * end; with both bounds, from the oldest end whatever the order. So each statement has one
 * bound (the position reached) and a LIMIT, and the ranges' other ends are applied to what it
 * returns; segments outside the ranges are not read at all.
 */
export class SearchIds {
  private readonly segments: Segment[];
  private segment = 0;
  private index: number;
  private pos: number;
  done: boolean;

  constructor(
    private readonly ctx: ScanContext,
    private readonly ranges: readonly IdRange[],
    private readonly dir: Direction,
  ) {
    const lo = ranges[0]?.lo ?? 0;
    const hi = ranges[ranges.length - 1]?.hi ?? -1;
    this.segments = ctx.segments.filter((s) => s.lastId >= lo && s.firstId <= hi);
    if (dir === 'desc') this.segments.reverse();
    this.done = ranges.length === 0 || this.segments.length === 0;
    this.index = dir === 'desc' ? ranges.length - 1 : 0;
    this.pos = dir === 'desc' ? hi : lo;
    this.settle();
  }

  /** Whether everything left lies after `beyond` in scan order. */
  reached(beyond: number): boolean {
    return this.dir === 'desc' ? this.pos <= beyond : this.pos >= beyond;
  }

  /** The next matching ids within the ranges, in order; reads until it finds some or the ranges end. */
  next(batch: number): number[] {
    const descending = this.dir === 'desc';
    while (!this.done) {
      const segment = this.segments[this.segment]!;
      const c = Math.min(batch, maxSearchIds);
      const ids = segmentIds(this.ctx, segment, this.dir, this.pos, c);
      const out: number[] = [];
      for (const id of ids) {
        // Past the current range: move to the next one that could hold it.
        while (this.index >= 0 && this.index < this.ranges.length && (descending ? id < this.range.lo : id > this.range.hi)) {
          this.index += descending ? -1 : 1;
        }
        if (this.index < 0 || this.index >= this.ranges.length) break;
        if (descending ? id <= this.range.hi : id >= this.range.lo) out.push(id);
      }
      if (this.index < 0 || this.index >= this.ranges.length) {
        this.done = true;
      } else if (ids.length < c) {
        // This segment holds nothing further that way: on to the next one.
        this.segment++;
      } else {
        const last = ids[ids.length - 1]!;
        // Skip a gap between ranges without reading its ids.
        this.pos = descending ? Math.min(last - 1, this.range.hi) : Math.max(last + 1, this.range.lo);
      }
      this.settle();
      if (out.length > 0) return out;
      batch *= 4;
    }
    return [];
  }

  private get range(): IdRange {
    return this.ranges[this.index]!;
  }

  /** Moves on to the segment holding the position (a statement below a segment's start would step through all of it). */
  private settle(): void {
    const descending = this.dir === 'desc';
    while (!this.done) {
      const segment = this.segments[this.segment];
      if (!segment) {
        this.done = true;
        return;
      }
      if (descending ? this.pos >= segment.firstId : this.pos <= segment.lastId) {
        this.pos = descending ? Math.min(this.pos, segment.lastId) : Math.max(this.pos, segment.firstId);
        return;
      }
      this.segment++;
    }
  }
}

/** A segment's hits from `from` on; none if retention dropped the segment meanwhile (its lines are all gone). */
function segmentIds(ctx: ScanContext, segment: Segment, dir: Direction, from: number, c: number): number[] {
  try {
    return statement(ctx.db, searchIdsSql(segment, dir))
      .pluck(true)
      .all(paramsFor(ctx, { from, c })) as number[];
  } catch (err) {
    if (err instanceof Error && err.message === `no such table: ${segment.table}`) return [];
    throw err;
  }
}

/**
 * Of the search's ids (in scan order), those the streams' indexes hold. When the indexes hold
 * many more entries over the ids' span than there are ids, they are not read (`confirmed`
 * false): checking the rows themselves is cheaper, and the caller reads them with every filter.
 */
export function confirm(ctx: ScanContext, streams: readonly StreamSpec[] | null, found: number[]): { ids: number[]; confirmed: boolean } {
  if (found.length === 0) return { ids: found, confirmed: true };
  if (streams === null) return { ids: found, confirmed: false };
  const first = found[0]!;
  const last = found[found.length - 1]!;
  const lo = Math.min(first, last);
  const hi = Math.max(first, last);
  const overlapping = streams.filter((s) => s.ranges.some((r) => r.lo <= hi && r.hi >= lo));
  const expected = overlapping.reduce((sum, s) => sum + (s.entries * Math.min(hi - lo + 1, s.span)) / Math.max(1, s.span), 0);
  // Reading one row costs about as much as ten index entries.
  if (expected > found.length * 10) return { ids: found, confirmed: false };
  const held = new Set<number>();
  for (const s of overlapping) {
    const access = s.access;
    const sql = idsSql(access);
    for (const r of s.ranges) {
      const a = Math.max(r.lo, lo);
      const b = Math.min(r.hi, hi);
      if (a > b) continue;
      const ids = statement(ctx.db, sql)
        .pluck(true)
        .all(paramsFor(ctx, { a, b, s: 'source' in access ? access.source : 0 })) as number[];
      for (const id of ids) held.add(id);
    }
  }
  return { ids: found.filter((id) => held.has(id)), confirmed: true };
}

/** Lines of several cursors in scan order, each cursor opened only once its range can hold the next line. */
export class Merge {
  private readonly pending: Cursor[];
  private active: Cursor[] = [];

  constructor(
    private readonly ctx: ScanContext,
    cursors: Cursor[],
  ) {
    this.pending = cursors.filter((c) => !c.done).sort((x, y) => (desc(ctx) ? y.bound - x.bound : x.bound - y.bound));
  }

  /** The next matching line, null at the end, 'time' when the clock ran out (call again to go on). */
  next(need: number): Row | null | 'time' {
    const ctx = this.ctx;
    for (;;) {
      let best: Cursor | undefined;
      for (const c of this.active) {
        const h = c.head();
        if (h && (!best || before(ctx, h[0], best.head()![0]))) best = c;
      }
      for (const c of this.active) {
        if (c.head() || c.done) continue;
        const beyond = best ? best.head()![0] : desc(ctx) ? -Infinity : Infinity;
        if (c.fill(beyond, need) === 'time') return 'time';
        const h = c.head();
        if (h && (!best || before(ctx, h[0], best.head()![0]))) best = c;
      }
      this.active = this.active.filter((c) => c.head() || !c.done);
      const waiting = this.pending[0];
      if (waiting && (!best || before(ctx, waiting.bound, best.head()![0]))) {
        this.active.push(this.pending.shift()!);
        continue;
      }
      if (!best) return null;
      return best.shift();
    }
  }
}

/** The cursors reading a plan's streams (or one search cursor over them). */
export function openCursors(ctx: ScanContext, streams: readonly StreamSpec[], searchRanges: IdRange[] | null, need: number): Cursor[] {
  if (ctx.match !== null && ctx.verifier === null) {
    // Only index paths can confirm a search's ids; with the table among them, the rows do.
    const confirmBy = streams.some((s) => s.access.type === 'table') ? null : streams;
    return [new SearchCursor(ctx, searchRanges ?? [], confirmBy, need)];
  }
  const first = streams.length === 1 ? need : Math.min(need, 64);
  const cursors: Cursor[] = [];
  const groups = new Map<string, StreamSpec[]>();
  for (const s of streams) {
    const a = s.access;
    if (s.entries <= smallStream && 'source' in a && a.source !== 0) {
      const key = a.type === 'source-level' ? `${a.type}:${a.level}` : a.type;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(s);
    } else {
      cursors.push(new IndexCursor(ctx, s, first));
    }
  }
  // Group neighbours in scan order, so that a group opens when its sources' lines come up.
  const bound = (s: StreamSpec) => (desc(ctx) ? -s.ranges[s.ranges.length - 1]!.hi : s.ranges[0]!.lo);
  for (const list of groups.values()) {
    list.sort((x, y) => bound(x) - bound(y));
    let group: StreamSpec[] = [];
    let entries = 0;
    for (const s of list) {
      if (group.length > 0 && entries + s.entries > groupEntries) {
        cursors.push(new GroupCursor(ctx, group));
        group = [];
        entries = 0;
      }
      group.push(s);
      entries += s.entries;
    }
    if (group.length > 0) cursors.push(new GroupCursor(ctx, group));
  }
  return cursors;
}
