/**
 * The SQL of the read side: how one access path (an index, or the table in id order) reads a
 * range of ids, with the filters that path does not answer by itself checked on the rows.
 *
 * Every statement reads a bounded id range (`id BETWEEN @a AND @b`) and most a bounded number of
 * rows (`LIMIT @c`): no statement runs long or stays open between calls, so a worker is never
 * stuck in SQLite for long and never pins a read snapshot beyond one request.
 */
import type { TimeWindow } from './time-ranges';

/** How a stream of candidate lines is read. Partial indexes are named so SQLite cannot pick another. */
export type Access =
  /** Every line, in id order. */
  | { type: 'table' }
  /** logs_by_source (source_id, id): every line of one source. */
  | { type: 'source'; source: number }
  /** logs_berth_by_source (source_id, id) WHERE kind != 0: Berth's lines about one source. */
  | { type: 'berth'; source: number }
  /** logs_notable_by_source (source_id, level, id) WHERE level >= 2: one source's warnings or errors. */
  | { type: 'source-level'; source: number; level: number }
  /** logs_notable (level, id) WHERE level >= 2: every warning or error. */
  | { type: 'level'; level: number };

/** What every matching line satisfies, whatever the access path. */
export interface Filters {
  /** null: every source, lines without one included. */
  sources: readonly number[] | null;
  levels: readonly number[] | null;
  kinds: readonly number[] | null;
  window: TimeWindow | null;
}

export type Direction = 'asc' | 'desc';

/** A row as read: [id, ts, source_id (0 when none), kind, stream, level, message]. */
export type Row = [number, number, number, number, number, number, string];
const rowColumns = 'logs.id, logs.ts, coalesce(logs.source_id, 0), logs.kind, logs.stream, logs.level, logs.message';

/** Source 0 stands for lines without a source, stored as NULL; others are bound as @s. */
const sourceIs = (source: number) => (source === 0 ? 'logs.source_id IS NULL' : 'logs.source_id = @s');

function from(access: Access): string {
  switch (access.type) {
    case 'table':
      return 'logs NOT INDEXED';
    case 'source':
      return 'logs INDEXED BY logs_by_source';
    case 'berth':
      return 'logs INDEXED BY logs_berth_by_source';
    case 'source-level':
      return 'logs INDEXED BY logs_notable_by_source';
    case 'level':
      return 'logs INDEXED BY logs_notable';
  }
}

/**
 * The conditions that select the access path's entries (and let SQLite use its partial index);
 * `group` reads the path for the sources listed in @group instead of the one in @s.
 */
function accessConditions(access: Access, group = false): string[] {
  const source = (id: number) => (group ? 'logs.source_id IN (SELECT value FROM json_each(@group))' : sourceIs(id));
  switch (access.type) {
    case 'table':
      return [];
    case 'source':
      return [source(access.source)];
    case 'berth':
      return [source(access.source), 'logs.kind != 0'];
    case 'source-level':
      return [source(access.source), 'logs.level >= 2', `logs.level = ${access.level}`];
    case 'level':
      return ['logs.level >= 2', `logs.level = ${access.level}`];
  }
}

const list = (codes: readonly number[]) => codes.join(', ');

/** The filters the access path leaves to be checked on each row. */
function residualConditions(access: Access | null, f: Filters, checkTime: boolean): string[] {
  const out: string[] = [];
  const fixedLevel = access?.type === 'source-level' || access?.type === 'level';
  if (f.levels && !fixedLevel) out.push(`logs.level IN (${list(f.levels)})`);
  const berthOnly = access?.type === 'berth';
  if (f.kinds && !(berthOnly && f.kinds.length === 2 && !f.kinds.includes(0))) out.push(`logs.kind IN (${list(f.kinds)})`);
  if (checkTime && f.window) out.push('logs.ts >= @since', 'logs.ts < @until');
  return out;
}

/** Whether every entry the access path yields in a range matches (so rows need no check). */
export function hasResidual(access: Access, f: Filters, checkTime: boolean): boolean {
  return residualConditions(access, f, checkTime).length > 0;
}

const where = (conditions: readonly string[]) => conditions.join(' AND ');

/** Rows of the access path in @a..@b, filtered, at most @c, in the given order. */
export function rowsSql(access: Access, f: Filters, dir: Direction): string {
  const conditions = [...accessConditions(access), 'logs.id BETWEEN @a AND @b', ...residualConditions(access, f, true)];
  return `SELECT ${rowColumns} FROM ${from(access)} WHERE ${where(conditions)} ORDER BY logs.id ${dir.toUpperCase()} LIMIT @c`;
}

/** Rows of the access path for every source in @group (a JSON array) in @a..@b, filtered, in the given order. */
export function groupRowsSql(access: Access, f: Filters, dir: Direction): string {
  const conditions = [...accessConditions(access, true), 'logs.id BETWEEN @a AND @b', ...residualConditions(access, f, true)];
  return `SELECT ${rowColumns} FROM ${from(access)} WHERE ${where(conditions)} ORDER BY logs.id ${dir.toUpperCase()}`;
}

/** Ids of the access path's entries in @a..@b, read from the index alone (no residual filters). */
export function idsSql(access: Access): string {
  const conditions = [...accessConditions(access), 'logs.id BETWEEN @a AND @b'];
  return `SELECT logs.id FROM ${from(access)} WHERE ${where(conditions)}`;
}

/** How many lines of the access path in @a..@b match; `checkTime` false when the range is known to lie inside the window. */
export function countSql(access: Access, f: Filters, checkTime: boolean): string {
  const conditions = [...accessConditions(access), 'logs.id BETWEEN @a AND @b', ...residualConditions(access, f, checkTime)];
  return `SELECT count(*) FROM ${from(access)} WHERE ${where(conditions)}`;
}

/** The conditions of the whole filter, for rows reached by id (from the search index). */
function filterConditions(f: Filters): string[] {
  const out: string[] = [];
  if (f.sources) out.push('logs.source_id IN (SELECT value FROM json_each(@sources))');
  return [...out, ...residualConditions(null, f, true)];
}

/** Rows with the ids in @ids (a JSON array) that match the filter, in the given order. */
export function rowsByIdSql(f: Filters, dir: Direction, check: boolean): string {
  const conditions = ['logs.id IN (SELECT value FROM json_each(@ids))', ...(check ? filterConditions(f) : [])];
  return `SELECT ${rowColumns} FROM logs WHERE ${where(conditions)} ORDER BY logs.id ${dir.toUpperCase()}`;
}

/** How many of the lines with the ids in @ids match the filter. */
export function countByIdSql(f: Filters): string {
  const conditions = ['logs.id IN (SELECT value FROM json_each(@ids))', ...filterConditions(f)];
  return `SELECT count(*) FROM logs WHERE ${where(conditions)}`;
}

/**
 * The search index is a series of FTS5 tables (segments), each indexing one range of ids
 * (store/search-segments.ts). Entries of lines deleted while their segment lives on stay behind,
 * so a hit counts only once its line is found in `logs`.
 */
export interface Segment {
  table: string;
  firstId: number;
  lastId: number;
}

/**
 * Ids of the lines a segment's search matches from @from on (at most @c), in the given order.
 * One bound only: see SearchIds in log-scan.ts for why.
 */
export function searchIdsSql(segment: Segment, dir: Direction): string {
  const t = segment.table;
  const bound = dir === 'desc' ? 'rowid <= @from' : 'rowid >= @from';
  return `SELECT rowid FROM ${t} WHERE ${t} MATCH @match AND ${bound} ORDER BY rowid ${dir.toUpperCase()} LIMIT @c`;
}

/**
 * How many lines from @from on a segment's search matches: every hit looked up in `logs`
 * (`lookup`), or the index's count alone when no line from @from on has been deleted.
 */
export function searchCountSql(segment: Segment, lookup: boolean): string {
  const t = segment.table;
  return lookup
    ? `SELECT count(*) FROM ${t} CROSS JOIN logs ON logs.id = ${t}.rowid WHERE ${t} MATCH @match AND ${t}.rowid >= @from`
    : `SELECT count(*) FROM ${t} WHERE ${t} MATCH @match AND rowid >= @from`;
}

/**
 * How many of a segment's hits are among the ids a statement selects (its @a..@b): SQLite builds
 * the set once and checks each hit against it. The `+` keeps the membership test away from
 * FTS5 (which would be asked for each id in turn).
 */
export function searchCountInSql(segment: Segment, ids: string): string {
  const t = segment.table;
  return `SELECT count(*) FROM ${t} WHERE ${t} MATCH @match AND +rowid IN (${ids})`;
}

/**
 * The same count the other way round: each of the segment's hits in @a..@b looked up in `logs`
 * and checked against the access path's conditions. Cheaper than `searchCountInSql` when the
 * hits are fewer than the lines of the access path (a rare word in a big job).
 */
export function searchCountJoinSql(segment: Segment, access: Access): string {
  const t = segment.table;
  const conditions = [`${t} MATCH @match`, `${t}.rowid BETWEEN @a AND @b`, ...accessConditions(access)];
  return `SELECT count(*) FROM ${t} CROSS JOIN logs ON logs.id = ${t}.rowid WHERE ${where(conditions)}`;
}

/** How many entries a segment's search finds, however many of their lines are still stored. */
export function searchHitsSql(segment: Segment): string {
  const t = segment.table;
  return `SELECT count(*) FROM ${t} WHERE ${t} MATCH @match`;
}

/** Parses the MATCH expression without reading the index (no rowid is negative). */
export function searchCheckSql(segment: Segment): string {
  const t = segment.table;
  return `SELECT count(*) FROM ${t} WHERE ${t} MATCH @match AND rowid BETWEEN -2 AND -1`;
}
