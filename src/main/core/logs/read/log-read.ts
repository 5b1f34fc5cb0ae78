/**
 * What queries, counts and exports share: the filter in the store's terms, the scan's context,
 * the choice between the search index and a verifier, budgets, snapshots, and the LogEntry shape.
 */
import type { LogFilter } from '../../../../shared/contract';
import { parseLogRegex } from '../../../../shared/contract';
import type { LogEntry } from '../../../../shared/model';
import type { Db } from '../../store/database';
import { segmentTable } from '../../store/search-segments';
import { levelCode, levelName, sourceCode, sourceName } from '../log-codes';
import { ftsMatchExpression, searchSyntaxError } from './fts-query';
import type { Plan } from './log-plan';
import { paramsFor, type Clock, type ScanContext } from './log-scan';
import { searchCheckSql, searchIdsSql, type Direction, type Filters, type Row, type Segment } from './log-sql';
import { resolveSources, sourceInfo } from './log-sources';
import { SearchVerifier } from './search-verifier';
import { statement } from './statements';
import { timeWindow } from './time-ranges';

export interface ReadOptions {
  /** How long a query or count may take; default 10 s. */
  timeoutMs?: number;
  /** How long one with a regex may take; default 3 s. */
  regexTimeoutMs?: number;
  /** Path of a better_sqlite3.node built for another runtime (a search may open a scratch table). */
  nativeBinding?: string;
  /** How a search among candidates is decided: chosen by cost (default), or forced (tests). */
  searchBy?: 'cost' | 'index' | 'verifier';
}

const defaultTimeoutMs = 10_000;
const defaultRegexTimeoutMs = 3_000;

export interface PreparedRead {
  filters: Filters;
  /** The search as given, and as FTS5 reads it. */
  q: string | null;
  match: string | null;
  regex: RegExp | null;
  /** The lowest and highest stored ids (0 and -1 when the store is empty). */
  idSpan: { min: number; max: number };
  segments: Segment[];
}

/** The search index's segments, oldest first. */
function searchSegments(db: Db): Segment[] {
  return statement<{ id: number; first_id: number; last_id: number }>(db, 'SELECT id, first_id, last_id FROM log_search_segments ORDER BY id')
    .all()
    .map((r) => ({ table: segmentTable(r.id), firstId: r.first_id, lastId: r.last_id }));
}

/** The filter in the store's terms; null when it can match nothing. */
export function prepareRead(db: Db, f: LogFilter): PreparedRead | null {
  const sources = resolveSources(db, f);
  if (sources !== null && sources.length === 0) return null;
  const window = timeWindow(f.since, f.until);
  if (window && window.since >= window.until) return null;
  const match = f.q === undefined ? null : ftsMatchExpression(f.q);
  const segments = match === null ? [] : searchSegments(db);
  // FTS5 parses the expression when a statement runs: a bad one fails here, before any reading.
  // (With no segment yet nothing is searchable, and nothing is found.)
  if (match !== null && segments[0]) statement(db, searchCheckSql(segments[0])).get({ match });
  let regex: RegExp | null = null;
  if (f.regex !== undefined) {
    const { pattern, flags } = parseLogRegex(f.regex);
    regex = new RegExp(pattern, flags);
  }
  const span = statement<{ min: number | null; max: number | null }>(db, 'SELECT (SELECT min(id) FROM logs) AS min, (SELECT max(id) FROM logs) AS max').get();
  const idSpan = span?.min != null && span.max != null ? { min: span.min, max: span.max } : { min: 0, max: -1 };
  return {
    q: f.q ?? null,
    idSpan,
    segments,
    filters: {
      sources,
      levels: codes(f.level?.map(levelCode), 4),
      kinds: codes(f.sourceType?.map(sourceCode), 3),
      window,
    },
    match,
    regex,
  };
}

/** Distinct codes in order; null when absent or when they are all of them (no filter). */
function codes(values: number[] | undefined, all: number): number[] | null {
  if (values === undefined) return null;
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return distinct.length >= all ? null : distinct;
}

export function scanContext(db: Db, read: PreparedRead, dir: Direction, clock: Clock): ScanContext {
  return { db, filters: read.filters, dir, clock, regex: read.regex, match: read.match, verifier: null, idSpan: read.idSpan, segments: read.segments };
}

/**
 * For a search among few candidate lines, a verifier that decides it on each of them, when that
 * costs less than reading the search index: FTS5 reaches a range of ids by stepping through the
 * hits before it, and keeps nothing that says which of the hits in a range are one job's. The
 * estimate uses the search's density near the top of the ranges (one probe of at most 512 hits)
 * and the candidates' counts; null to read the search index.
 */
export function verifierFor(ctx: ScanContext, read: PreparedRead, plan: Plan, need: number | null, options: ReadOptions): SearchVerifier | null {
  if (read.match === null || read.q === null || plan.streams.length === 0) return null;
  if (plan.streams.some((s) => s.access.type === 'table') || options.searchBy === 'index') return null;
  const verifier = () => new SearchVerifier({ q: read.q!, match: read.match!, indexedUpTo: indexedUpTo(ctx.db), nativeBinding: options.nativeBinding });
  if (options.searchBy === 'verifier') return verifier();
  // Candidate lines within the ranges.
  let candidates = 0;
  for (const s of plan.streams) {
    const covered = s.ranges.reduce((n, r) => n + (r.hi - r.lo + 1), 0);
    candidates += s.entries * Math.min(1, covered / Math.max(1, s.span));
  }
  if (candidates > maxVerified) return null;
  const ranges = plan.searchRanges;
  const top = ranges[ranges.length - 1]!.hi;
  const span = top - ranges[0]!.lo + 1;
  const segment = [...ctx.segments].reverse().find((g) => g.firstId <= top);
  if (!segment) return null;
  const probe = statement(ctx.db, searchIdsSql(segment, 'desc'))
    .pluck(true)
    .all(paramsFor(ctx, { from: segment.lastId, c: densityProbe })) as number[];
  const density =
    probe.length < densityProbe ? probe.length / (segment.lastId - segment.firstId + 1) : densityProbe / (segment.lastId - probe[probe.length - 1]! + 1);
  const chosen = verifier();
  const hits = density * span;
  // Verifying: candidates read until `need` match (at the search's density), or all of them.
  const verified = need === null ? candidates : Math.min(candidates, need / Math.max(density, 1e-9));
  // Searching: hits read until `need` are among the candidates, or all of them; plus the steps
  // from the segment's top down to the ranges.
  const searched = need === null ? hits : Math.min(hits, (need * span) / Math.max(candidates, 1));
  const searchCost = searched * 250 + density * Math.max(0, segment.lastId - top) * 30;
  if (verified * chosen.costPerLine < searchCost) return chosen;
  return null;
}

/** A verifier reads at most about this many candidate lines; more go through the search index. */
const maxVerified = 200_000;
const densityProbe = 512;

function indexedUpTo(db: Db): number {
  return Number(statement<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'fts_indexed_id'").get()?.value ?? 0);
}

export function budgetOf(f: LogFilter, options: ReadOptions): number {
  return f.regex !== undefined ? (options.regexTimeoutMs ?? defaultRegexTimeoutMs) : (options.timeoutMs ?? defaultTimeoutMs);
}

/** One read snapshot for the whole request: sources, counters, blocks and lines agree. */
export function snapshot<T>(db: Db, read: () => T): T {
  if (db.inTransaction) return read();
  return db.transaction(read)();
}

/** An FTS5 error about the search expression becomes a bad_request saying what is wrong with `q`. */
export function withSearchErrors<T>(f: LogFilter, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (f.q !== undefined) {
      const readable = searchSyntaxError(err, f.q);
      if (readable) throw readable;
    }
    throw err;
  }
}

/** Rows as LogEntries, with what their sources say about them. */
export function toEntries(db: Db, rows: readonly Row[]): LogEntry[] {
  const ids = [...new Set(rows.map((r) => r[2]).filter((id) => id !== 0))];
  const sources = sourceInfo(db, ids);
  return rows.map(([id, ts, sourceId, kind, stream, level, message]) => {
    const s = sourceId === 0 ? undefined : sources.get(sourceId);
    const type = sourceName(kind);
    return {
      id,
      message,
      timestamp: ts,
      level: levelName(level),
      source: { type, name: kind === 0 ? (s?.serviceName ?? s?.containerName ?? 'container') : 'berth' },
      serviceId: s?.serviceId ?? null,
      serviceName: s?.serviceName ?? null,
      containerId: s?.containerId ?? null,
      jobId: s?.jobId ?? null,
      isStdErr: stream === 2,
      isSystem: kind !== 0,
    };
  });
}
