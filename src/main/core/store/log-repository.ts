import type { LogQuery } from '../../../shared/contract';
import type { LogEntry } from '../../../shared/model';
import { BerthError } from '../../../shared/errors';
import { Stream, levelCode, levelName, sourceCode, sourceName } from '../logs/log-codes';
import type { Db } from './database';

interface LogRow {
  id: number;
  ts: number;
  job_id: number | null;
  stream: number;
  level: number;
  source: number;
  message: string;
}

interface JobInfo {
  templateId: number;
  templateName: string;
  containerId: string | null;
}

export type LogFilter = Omit<LogQuery, 'limit' | 'afterId' | 'beforeId'>;

/** Read side of the log store. Lines come back oldest first whatever the paging direction. */
export class LogRepository {
  private readonly jobInfo;
  private readonly jobByContainer;
  private readonly lastIdOfJob;
  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    this.jobInfo = db.prepare<[number], { templateId: number; templateName: string; containerId: string | null }>(
      `SELECT j.template_id AS templateId, t.name AS templateName, j.container_id AS containerId
       FROM jobs j JOIN templates t ON t.id = j.template_id WHERE j.id = ?`,
    );
    // Ids are lowercase hex, so every id starting with `p` sorts in [p, p + 'g').
    this.jobByContainer = db.prepare<[string, string], { id: number }>(
      'SELECT id FROM jobs WHERE container_id >= ? AND container_id < ? LIMIT 2',
    );
    this.lastIdOfJob = db.prepare<[number], { id: number | null }>('SELECT max(id) AS id FROM logs WHERE job_id = ?');
  }

  query(q: LogQuery): LogEntry[] {
    const where = this.where(q);
    if (!where) return [];
    let order = 'DESC';
    if (q.afterId !== undefined) {
      where.clauses.push('id > @afterId');
      where.params.afterId = q.afterId;
      order = 'ASC';
    }
    if (q.beforeId !== undefined) {
      where.clauses.push('id < @beforeId');
      where.params.beforeId = q.beforeId;
    }
    where.params.limit = q.limit;
    const sql = `SELECT id, ts, job_id, stream, level, source, message FROM logs${this.clause(where.clauses)} ORDER BY id ${order} LIMIT @limit`;
    const rows = this.prepared<LogRow>(sql).all(where.params) as LogRow[];
    if (order === 'DESC') rows.reverse();
    return this.toEntries(rows);
  }

  count(filter: LogFilter): number {
    const where = this.where(filter);
    if (!where) return 0;
    const row = this.prepared<{ n: number }>(`SELECT count(*) AS n FROM logs${this.clause(where.clauses)}`).get(where.params) as { n: number };
    return row.n;
  }

  /** Id of the newest stored line of a job, 0 if none. */
  lastIdOf(jobId: number): number {
    return this.lastIdOfJob.get(jobId)?.id ?? 0;
  }

  /** Turns a filter into SQL; null when it can match nothing (e.g. an unknown container). */
  private where(f: LogFilter): { clauses: string[]; params: Record<string, unknown> } | null {
    const clauses: string[] = [];
    const params: Record<string, unknown> = {};
    let jobId = f.jobId;
    if (f.containerId !== undefined) {
      const id = f.containerId.toLowerCase();
      // Like the Docker CLI: a full id, or a prefix of 12 or more characters that names one container.
      const jobs = id.length >= 12 ? this.jobByContainer.all(id, `${id}g`) : [];
      if (jobs.length > 1) throw new BerthError('bad_request', `containerId: '${id}' matches more than one container; give more of it`);
      const job = jobs[0];
      if (!job || (jobId !== undefined && jobId !== job.id)) return null;
      jobId = job.id;
    }
    if (jobId !== undefined) {
      clauses.push('job_id = @jobId');
      params.jobId = jobId;
    }
    if (f.serviceId !== undefined) {
      clauses.push('job_id IN (SELECT id FROM jobs WHERE template_id = @serviceId)');
      params.serviceId = f.serviceId;
    }
    if (f.serviceName !== undefined) {
      clauses.push('job_id IN (SELECT j.id FROM jobs j JOIN templates t ON t.id = j.template_id WHERE t.name = @serviceName)');
      params.serviceName = f.serviceName;
    }
    if (f.level !== undefined) {
      clauses.push('level = @level');
      params.level = levelCode(f.level);
    }
    if (f.sourceType !== undefined) {
      clauses.push('source = @source');
      params.source = sourceCode(f.sourceType);
    }
    if (f.since !== undefined) {
      clauses.push('ts >= @since');
      params.since = f.since;
    }
    if (f.until !== undefined) {
      clauses.push('ts < @until');
      params.until = f.until;
    }
    return { clauses, params };
  }

  private clause(clauses: string[]): string {
    return clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '';
  }

  private prepared<R>(sql: string) {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt as ReturnType<Db['prepare']> & { all(p: unknown): R[]; get(p: unknown): R | undefined };
  }

  private toEntries(rows: LogRow[]): LogEntry[] {
    const jobs = new Map<number, JobInfo | undefined>();
    return rows.map((r) => {
      let job: JobInfo | undefined;
      if (r.job_id !== null) {
        if (!jobs.has(r.job_id)) jobs.set(r.job_id, this.jobInfo.get(r.job_id));
        job = jobs.get(r.job_id);
      }
      const source = sourceName(r.source);
      const isSystem = source !== 'container';
      return {
        id: r.id,
        message: r.message,
        timestamp: r.ts,
        level: levelName(r.level),
        source: { type: source, name: isSystem ? 'berth' : (job?.templateName ?? 'container') },
        serviceId: job?.templateId ?? null,
        serviceName: job?.templateName ?? null,
        containerId: job?.containerId ?? null,
        jobId: r.job_id,
        isStdErr: r.stream === Stream.Stderr,
        isSystem,
      };
    });
  }
}
