import type { JobFilter } from '../../../shared/contract';
import { BerthError } from '../../../shared/errors';
import type { Job, JobStatus, JobTrigger, RunSpec } from '../../../shared/model';
import { emptyRunSpec } from '../../../shared/run-spec-defaults';
import type { Db } from './database';

interface JobRow {
  id: number;
  template_id: number;
  template_name: string;
  host_id: number | null;
  want_host_id: number | null;
  status: JobStatus;
  trigger: JobTrigger;
  attempt: number;
  retry_of: number | null;
  retried_by: number | null;
  spec: string;
  not_before: number | null;
  container_id: string | null;
  exit_code: number | null;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  log_lines: number | null;
  debug_lines: number | null;
  info_lines: number | null;
  warn_lines: number | null;
  error_lines: number | null;
}

/** A job as the store has it, plus the host it asked for (null: any). */
export type StoredJob = Job & { wantHostId: number | null };


function toJob(r: JobRow, now: number, positions?: ReadonlyMap<number, number>): StoredJob {
  const begun = r.started_at ?? r.finished_at;
  return {
    id: r.id,
    templateId: r.template_id,
    templateName: r.template_name,
    hostId: r.host_id,
    wantHostId: r.want_host_id,
    status: r.status,
    trigger: r.trigger,
    attempt: r.attempt,
    retryOf: r.retry_of,
    retriedBy: r.retried_by,
    queuePosition: r.status === 'pending' ? (positions?.get(r.id) ?? null) : null,
    notBefore: r.not_before,
    // A retry's wait starts when its backoff ends.
    waitMs: Math.max(0, (begun ?? now) - Math.max(r.created_at, r.not_before ?? 0)),
    runMs: r.started_at === null ? null : Math.max(0, (r.finished_at ?? now) - r.started_at),
    spec: { ...emptyRunSpec(), ...(JSON.parse(r.spec) as Partial<RunSpec>) },
    exitCode: r.exit_code,
    error: r.error,
    containerId: r.container_id,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    logLines: r.log_lines ?? 0,
    logLevels: { debug: r.debug_lines ?? 0, info: r.info_lines ?? 0, warn: r.warn_lines ?? 0, error: r.error_lines ?? 0 },
  };
}

/** Stored lines of one level of the job's source, from the counters kept at ingest. */
const levelLines = (level: number) => `(SELECT sum(c.lines) FROM log_counts c WHERE c.source_id = s.id AND c.level = ${level})`;

const selectJobs = `
  SELECT j.id, j.template_id, t.name AS template_name, j.host_id, j.want_host_id, j.status, j.trigger, j.attempt, j.retry_of,
         (SELECT r.id FROM jobs r WHERE r.retry_of = j.id ORDER BY r.id LIMIT 1) AS retried_by,
         j.spec, j.not_before, j.container_id, j.exit_code, j.error, j.created_at, j.started_at, j.finished_at, s.lines AS log_lines,
         ${levelLines(0)} AS debug_lines, ${levelLines(1)} AS info_lines, ${levelLines(2)} AS warn_lines, ${levelLines(3)} AS error_lines
  FROM jobs j JOIN templates t ON t.id = j.template_id LEFT JOIN log_sources s ON s.job_id = j.id`;

export type JobPatch = Partial<Pick<Job, 'status' | 'hostId' | 'containerId' | 'exitCode' | 'error' | 'startedAt' | 'finishedAt'>>;

const columns: Record<keyof JobPatch, string> = {
  status: 'status',
  hostId: 'host_id',
  containerId: 'container_id',
  exitCode: 'exit_code',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

export interface NewJob {
  templateId: number;
  /** The template's name, which its log lines carry as their service name. */
  templateName: string;
  /** The host asked for; null lets the queue pick the least busy host that is up. */
  wantHostId: number | null;
  trigger: JobTrigger;
  attempt?: number;
  retryOf?: number | null;
  spec: RunSpec;
  notBefore?: number | null;
  createdAt: number;
}

/** One pending job as the queue sees it. */
export interface QueuedJob {
  id: number;
  /** Set once the queue placed it on a host: it is starting there and waits no more. */
  hostId: number | null;
  wantHostId: number | null;
  notBefore: number | null;
  createdAt: number;
}

/** How the list is sorted: the column and its SQL (null values sort as the smallest). */
const sortColumns = {
  created: 'j.id',
  started: 'coalesce(j.started_at, 0)',
  duration: 'coalesce(j.finished_at - j.started_at, -1)',
} as const;

/** Cursor: the last row's sort value and id, opaque to clients. */
function encodeCursor(value: number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((n) => Number.isFinite(n))) return parsed as [number, number];
  } catch {
    // Falls through to the error below.
  }
  throw new BerthError('bad_request', 'cursor: not a cursor this server gave (pass nextCursor back unchanged)');
}

export class JobRepository {
  private readonly selectOne;
  private readonly insertWithSource;
  private readonly unfinishedStmt;
  private readonly queueStmt;
  private readonly runningByHostStmt;
  private readonly deleteStmt;
  private readonly setSourceHost;
  private readonly updates = new Map<string, ReturnType<Db['prepare']>>();
  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[number], JobRow>(`${selectJobs} WHERE j.id = ?`);
    const insertJob = db.prepare(
      `INSERT INTO jobs (template_id, want_host_id, status, trigger, attempt, retry_of, spec, not_before, created_at)
       VALUES (@templateId, @wantHostId, 'pending', @trigger, @attempt, @retryOf, @spec, @notBefore, @createdAt)`,
    );
    // Every job has its log source from the start: its lines, counters and resume cursor.
    const insertSource = db.prepare(
      'INSERT INTO log_sources (job_id, host_id, service_id, service_name, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertWithSource = db.transaction((job: NewJob) => {
      const jobId = Number(
        insertJob.run({
          templateId: job.templateId,
          wantHostId: job.wantHostId,
          trigger: job.trigger,
          attempt: job.attempt ?? 1,
          retryOf: job.retryOf ?? null,
          spec: JSON.stringify(job.spec),
          notBefore: job.notBefore ?? null,
          createdAt: job.createdAt,
        }).lastInsertRowid,
      );
      insertSource.run(jobId, job.wantHostId, job.templateId, job.templateName, job.createdAt);
      return jobId;
    });
    this.unfinishedStmt = db.prepare<[], JobRow>(`${selectJobs} WHERE j.status IN ('pending', 'running') ORDER BY j.id`);
    this.queueStmt = db.prepare<[], { id: number; host_id: number | null; want_host_id: number | null; not_before: number | null; created_at: number }>(
      `SELECT id, host_id, want_host_id, not_before, created_at FROM jobs WHERE status = 'pending' ORDER BY coalesce(not_before, 0), id`,
    );
    this.runningByHostStmt = db.prepare<[], { host_id: number; n: number }>(
      `SELECT host_id, count(*) AS n FROM jobs WHERE status = 'running' AND host_id IS NOT NULL GROUP BY host_id`,
    );
    this.deleteStmt = db.prepare('DELETE FROM jobs WHERE id = ?');
    this.setSourceHost = db.prepare('UPDATE log_sources SET host_id = ? WHERE job_id = ?');
  }

  get(id: number, now = Date.now()): StoredJob | undefined {
    const row = this.selectOne.get(id);
    return row && toJob(row, now, row.status === 'pending' && row.host_id === null ? this.queuePositions(now) : undefined);
  }

  /** A new pending job, with its log source. */
  insert(job: NewJob): StoredJob {
    return this.get(this.insertWithSource(job))!;
  }

  /** Jobs an earlier run of Berth left pending or running, oldest first. */
  unfinished(): StoredJob[] {
    const now = Date.now();
    return this.unfinishedStmt.all().map((r) => toJob(r, now));
  }

  /** Every pending job in queue order: ready ones by id, retries after their backoff. */
  queue(): QueuedJob[] {
    return this.queueStmt
      .all()
      .map((r) => ({ id: r.id, hostId: r.host_id, wantHostId: r.want_host_id, notBefore: r.not_before, createdAt: r.created_at }));
  }

  /**
   * Pending jobs per host asked for (null: any host): how many, and since when the longest-waiting
   * one that may start has waited (a retry from the end of its backoff; null if all are in backoff).
   */
  waitingByHost(now = Date.now()): Map<number | null, { depth: number; oldestSince: number | null }> {
    const rows = this.prepared<{ want_host_id: number | null; depth: number; oldest: number | null }>(
      `SELECT want_host_id, count(*) AS depth,
              min(CASE WHEN coalesce(not_before, 0) <= @now THEN max(created_at, coalesce(not_before, 0)) END) AS oldest
       FROM jobs WHERE status = 'pending' GROUP BY want_host_id`,
    ).all({ now });
    return new Map(rows.map((r) => [r.want_host_id, { depth: r.depth, oldestSince: r.oldest }] as const));
  }

  /**
   * A template's scheduled runs still pending or running, oldest first: jobs the schedule made and
   * their retries (a run still retrying is still going, as a Kubernetes Job's pods are).
   */
  unfinishedScheduledRuns(templateId: number): { id: number; status: 'pending' | 'running' }[] {
    // Walks from each unfinished job up its retry_of chain to the first attempt, whose trigger says who made it.
    return this.prepared<{ id: number; status: 'pending' | 'running' }>(
      `WITH RECURSIVE chain(leaf, status, id, retry_of, trigger) AS (
         SELECT id, status, id, retry_of, trigger FROM jobs WHERE status IN ('pending', 'running') AND template_id = @templateId
         UNION ALL
         SELECT c.leaf, c.status, j.id, j.retry_of, j.trigger FROM jobs j JOIN chain c ON j.id = c.retry_of)
       SELECT leaf AS id, status FROM chain WHERE retry_of IS NULL AND trigger = 'schedule' ORDER BY leaf`,
    ).all({ templateId });
  }

  /** Jobs that ended failed or timed out since `since` (ms) and have no retry row: oldest first. */
  endedWithoutRetry(since: number): number[] {
    return this.prepared<{ id: number }>(
      `SELECT j.id FROM jobs j
       WHERE j.finished_at >= @since AND j.status IN ('failed', 'timed_out')
         AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.retry_of = j.id)
       ORDER BY j.finished_at, j.id`,
    )
      .all({ since })
      .map((r) => r.id);
  }

  /** Berth jobs running now, per host. */
  runningByHost(): Map<number, number> {
    return new Map(this.runningByHostStmt.all().map((r) => [r.host_id, r.n] as const));
  }

  /**
   * Each pending job's place in its queue (1 = next): among jobs that may start now and could go
   * to the same host (those asking for it, and those taking any host).
   */
  queuePositions(now = Date.now()): Map<number, number> {
    const positions = new Map<number, number>();
    const perHost = new Map<number | null, number>();
    let anyHost = 0;
    for (const job of this.queue()) {
      if (job.hostId !== null || (job.notBefore !== null && job.notBefore > now)) continue;
      if (job.wantHostId === null) {
        anyHost += 1;
        positions.set(job.id, anyHost + Math.max(0, ...perHost.values()));
      } else {
        const n = (perHost.get(job.wantHostId) ?? 0) + 1;
        perHost.set(job.wantHostId, n);
        positions.set(job.id, n + anyHost);
      }
    }
    return positions;
  }

  update(id: number, patch: JobPatch): StoredJob {
    const keys = (Object.keys(patch) as (keyof JobPatch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length > 0) {
      const sqlKey = keys.join(',');
      let stmt = this.updates.get(sqlKey);
      if (!stmt) {
        stmt = this.db.prepare(`UPDATE jobs SET ${keys.map((k) => `${columns[k]} = @${k}`).join(', ')} WHERE id = @id`);
        this.updates.set(sqlKey, stmt);
      }
      stmt.run({ ...patch, id });
      // The job's lines are filed under the host it runs on.
      if (patch.hostId !== undefined) this.setSourceHost.run(patch.hostId, id);
    }
    return this.get(id)!;
  }

  /** Removes the job row (its log source goes with it; the lines are the log store's to delete). */
  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  /** Ids of jobs matching the filters, in list order; for export and bulk work. */
  list(filter: JobFilter & { cursor?: string; limit: number }): { count: number; jobs: StoredJob[]; nextCursor: string | null } {
    const { clause, params } = this.where(filter);
    const sortSql = sortColumns[filter.sort];
    const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
    const cmp = filter.order === 'asc' ? '>' : '<';
    let pageClause = clause;
    if (filter.cursor !== undefined) {
      const [value, id] = decodeCursor(filter.cursor);
      params.cursorValue = value;
      params.cursorId = id;
      const after = `(${sortSql} ${cmp} @cursorValue OR (${sortSql} = @cursorValue AND j.id ${cmp} @cursorId))`;
      pageClause = clause ? `${clause} AND ${after}` : ` WHERE ${after}`;
    }
    // Two steps: the page's ids from the indexes alone, then the details (template name, log
    // counters) of those rows only; joined first, SQLite builds them for every matching row.
    const keys = this.prepared<{ id: number; sort_value: number }>(
      `SELECT j.id, ${sortSql} AS sort_value FROM jobs j${pageClause} ORDER BY ${sortSql} ${dir}, j.id ${dir} LIMIT @limit`,
    ).all({ ...params, limit: filter.limit + 1 });
    const more = keys.length > filter.limit;
    const pageKeys = more ? keys.slice(0, filter.limit) : keys;
    const byId = new Map(this.details(pageKeys.map((k) => k.id)).map((r) => [r.id, r] as const));
    const page = pageKeys.map((k) => byId.get(k.id)).filter((r): r is JobRow => r !== undefined);
    const { n } = this.prepared<{ n: number }>(`SELECT count(*) AS n FROM jobs j${clause}`).get(params)!;
    const last = pageKeys[pageKeys.length - 1];
    const now = Date.now();
    const positions = page.some((r) => r.status === 'pending') ? this.queuePositions(now) : undefined;
    return {
      count: n,
      jobs: page.map((r) => toJob(r, now, positions)),
      nextCursor: more && last ? encodeCursor(last.sort_value, last.id) : null,
    };
  }

  /** Full rows of these jobs, in no particular order. */
  private details(ids: readonly number[]): JobRow[] {
    if (ids.length === 0) return [];
    return this.prepared<JobRow>(`${selectJobs} WHERE j.id IN (SELECT value FROM json_each(@ids))`).all({ ids: JSON.stringify(ids) });
  }

  private where(filter: JobFilter): { clause: string; params: Record<string, unknown> } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const anyOf = (column: string, name: string, values: readonly unknown[] | undefined) => {
      if (!values?.length) return;
      where.push(`${column} IN (${values.map((_, i) => `@${name}${i}`).join(', ')})`);
      values.forEach((v, i) => (params[`${name}${i}`] = v));
    };
    anyOf('j.status', 'status', filter.status);
    anyOf('j.template_id', 'template', filter.templateId);
    anyOf('j.host_id', 'host', filter.hostId);
    anyOf('j.trigger', 'trigger', filter.trigger);
    const bound = (sql: string, name: string, value: number | undefined) => {
      if (value === undefined) return;
      where.push(sql.replace('?', `@${name}`));
      params[name] = value;
    };
    bound('j.created_at >= ?', 'createdSince', filter.createdSince);
    bound('j.created_at <= ?', 'createdUntil', filter.createdUntil);
    bound('j.finished_at >= ?', 'finishedSince', filter.finishedSince);
    bound('j.finished_at <= ?', 'finishedUntil', filter.finishedUntil);
    if (filter.q !== undefined) {
      // Templates by name through the template index; an all-digit q may also be a job id.
      const asId = /^#?\d+$/.test(filter.q) ? Number(filter.q.replace('#', '')) : null;
      params.q = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const byName = `j.template_id IN (SELECT id FROM templates WHERE name LIKE @q ESCAPE '\\')`;
      where.push(asId !== null ? `(j.id = @qId OR ${byName})` : byName);
      if (asId !== null) params.qId = asId;
    }
    return { clause: where.length ? ` WHERE ${where.join(' AND ')}` : '', params };
  }

  private prepared<R>(sql: string) {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size > 500) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt as ReturnType<Db['prepare']> & { all(p: unknown): R[]; get(p: unknown): R | undefined };
  }
}
