/**
 * The sources (jobs and attached containers) a log filter names, what the store knows about
 * them without touching their lines (bounds, counts per kind and level), and what a LogEntry
 * says about its source.
 */
import type { LogFilter } from '../../../../shared/contract';
import { BerthError } from '../../../../shared/errors';
import type { Db } from '../../store/database';
import { statement } from './statements';

/** The source id `log_counts` and `log_blocks` use for Berth's lines about nothing in particular. */
const noSource = 0;

const fullIdLength = 64;
const minPrefixLength = 12;

/**
 * The ids of the sources the filter's jobId, containerId, serviceId and serviceName name (each
 * "any of", different ones all apply), or null when it names none: then every line matches,
 * Berth's own lines without a source included.
 */
export function resolveSources(db: Db, f: LogFilter): number[] | null {
  const sets: number[][] = [];
  const byJson = (column: string, values: readonly (string | number)[]) =>
    statement<{ id: number }>(db, `SELECT id FROM log_sources WHERE ${column} IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(values))
      .map((r) => r.id);
  if (f.jobId !== undefined) sets.push(byJson('job_id', f.jobId));
  if (f.serviceId !== undefined) sets.push(byJson('service_id', f.serviceId));
  if (f.serviceName !== undefined) sets.push(byJson('service_name', f.serviceName));
  if (f.containerId !== undefined) sets.push(f.containerId.flatMap((ref) => sourcesOfContainer(db, ref)));
  if (sets.length === 0) return null;
  let result = new Set(sets[0]);
  for (const set of sets.slice(1)) {
    const other = new Set(set);
    result = new Set([...result].filter((id) => other.has(id)));
  }
  return [...result].sort((a, b) => a - b);
}

/** Like the Docker CLI: a full id, or a prefix of 12 or more characters naming one container. */
function sourcesOfContainer(db: Db, ref: string): number[] {
  const id = ref.toLowerCase();
  if (id.length === fullIdLength) {
    return statement<{ id: number }>(db, 'SELECT id FROM log_sources WHERE container_id = ?')
      .all(id)
      .map((r) => r.id);
  }
  if (id.length < minPrefixLength) return [];
  // Ids are lowercase hex, so every id starting with the prefix sorts in [prefix, prefix + 'g').
  const rows = statement<{ id: number; container_id: string }>(
    db,
    'SELECT id, container_id FROM log_sources WHERE container_id >= ? AND container_id < ?',
  ).all(id, `${id}g`);
  if (new Set(rows.map((r) => r.container_id)).size > 1) {
    throw new BerthError('bad_request', `containerId: '${ref}' matches more than one container; give more of it`);
  }
  return rows.map((r) => r.id);
}

/** A source's stored lines at a glance: where they lie in id order and how many of each kind and level. */
export interface SourceStats {
  /** `noSource` for Berth's lines without a source. */
  id: number;
  firstId: number;
  lastId: number;
  /** lines[kind][level], from log_counts. */
  lines: number[][];
}

/**
 * Stats of the given sources (`noSource` for the lines without one), or of every source and the
 * lines without one when null; sources without lines are left out. Rows are read as arrays:
 * there can be thousands.
 */
export function sourceStats(db: Db, ids: readonly number[] | null): SourceStats[] {
  const list = ids === null ? null : JSON.stringify(ids);
  const bounds = (
    list === null
      ? statement(db, 'SELECT id, first_id, last_id FROM log_sources WHERE first_id IS NOT NULL').raw(true).all()
      : statement(db, 'SELECT id, first_id, last_id FROM log_sources WHERE id IN (SELECT value FROM json_each(?)) AND first_id IS NOT NULL')
          .raw(true)
          .all(list)
  ) as [number, number, number][];
  const stats = new Map<number, SourceStats>();
  for (const [id, firstId, lastId] of bounds) stats.set(id, { id, firstId, lastId, lines: emptyCounts() });
  if (ids === null || ids.includes(noSource)) {
    // Lines without a source have no log_sources row; their blocks bound them.
    const none = statement<{ first_id: number | null; last_id: number | null }>(
      db,
      'SELECT min(first_id) AS first_id, max(last_id) AS last_id FROM log_blocks WHERE source_id = 0',
    ).get();
    if (none?.first_id != null && none.last_id != null) {
      stats.set(noSource, { id: noSource, firstId: none.first_id, lastId: none.last_id, lines: emptyCounts() });
    }
  }
  const counts = (
    list === null
      ? statement(db, 'SELECT source_id, kind, level, lines FROM log_counts WHERE lines > 0').raw(true).all()
      : statement(db, 'SELECT source_id, kind, level, lines FROM log_counts WHERE source_id IN (SELECT value FROM json_each(?)) AND lines > 0')
          .raw(true)
          .all(list)
  ) as [number, number, number, number][];
  for (const [sourceId, kind, level, lines] of counts) {
    const row = stats.get(sourceId)?.lines[kind];
    if (row?.[level] !== undefined) row[level] += lines;
  }
  return [...stats.values()].filter((s) => s.lines.some((row) => row.some((n) => n > 0)));
}

const kinds = 3;
const levels = 4;
const emptyCounts = () => Array.from({ length: kinds }, () => new Array<number>(levels).fill(0));

/** Lines per kind and level over every source (and none): sums of log_counts. */
export function totalCounts(db: Db): number[][] {
  const out = emptyCounts();
  const rows = statement<{ kind: number; level: number; lines: number }>(
    db,
    'SELECT kind, level, sum(lines) AS lines FROM log_counts GROUP BY kind, level',
  ).all();
  for (const r of rows) if (out[r.kind]?.[r.level] !== undefined) out[r.kind]![r.level] = r.lines;
  return out;
}

/**
 * Lines of the given kinds and levels (null: all), from log_counts; `sources` null counts every
 * line, those without a source included.
 */
export function countFromCounters(db: Db, sources: readonly number[] | null, kindCodes: readonly number[] | null, levelCodes: readonly number[] | null): number {
  const where = [
    sources === null ? null : 'source_id IN (SELECT value FROM json_each(@sources))',
    kindCodes === null ? null : `kind IN (${kindCodes.join(', ')})`,
    levelCodes === null ? null : `level IN (${levelCodes.join(', ')})`,
  ].filter((c) => c !== null);
  const sql = `SELECT coalesce(sum(lines), 0) AS n FROM log_counts${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const stmt = statement<{ n: number }>(db, sql);
  return (sources === null ? stmt.get() : stmt.get({ sources: JSON.stringify(sources) }))!.n;
}

/** What a LogEntry says about where its line came from. */
export interface SourceInfo {
  id: number;
  jobId: number | null;
  containerId: string | null;
  containerName: string | null;
  serviceId: number | null;
  serviceName: string | null;
}

export function sourceInfo(db: Db, ids: readonly number[]): Map<number, SourceInfo> {
  const out = new Map<number, SourceInfo>();
  if (ids.length === 0) return out;
  const rows = statement<{
    id: number;
    job_id: number | null;
    container_id: string | null;
    container_name: string | null;
    service_id: number | null;
    service_name: string | null;
  }>(
    db,
    `SELECT id, job_id, container_id, container_name, service_id, service_name
     FROM log_sources WHERE id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids));
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      jobId: r.job_id,
      containerId: r.container_id,
      containerName: r.container_name,
      serviceId: r.service_id,
      serviceName: r.service_name,
    });
  }
  return out;
}
