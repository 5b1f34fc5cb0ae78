import type { Job, JobStatus } from '../../../shared/model';
import type { Db } from './database';

interface JobRow {
  id: number;
  template_id: number;
  template_name: string;
  host_id: number;
  status: JobStatus;
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

const toJob = (r: JobRow): Job => ({
  id: r.id,
  templateId: r.template_id,
  templateName: r.template_name,
  hostId: r.host_id,
  status: r.status,
  exitCode: r.exit_code,
  error: r.error,
  containerId: r.container_id,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  logLines: r.log_lines ?? 0,
  logLevels: { debug: r.debug_lines ?? 0, info: r.info_lines ?? 0, warn: r.warn_lines ?? 0, error: r.error_lines ?? 0 },
});

/** Stored lines of one level of the job's source, from the counters kept at ingest. */
const levelLines = (level: number) => `(SELECT sum(c.lines) FROM log_counts c WHERE c.source_id = s.id AND c.level = ${level})`;

const selectJobs = `
  SELECT j.id, j.template_id, t.name AS template_name, j.host_id, j.status, j.container_id,
         j.exit_code, j.error, j.created_at, j.started_at, j.finished_at, s.lines AS log_lines,
         ${levelLines(0)} AS debug_lines, ${levelLines(1)} AS info_lines, ${levelLines(2)} AS warn_lines, ${levelLines(3)} AS error_lines
  FROM jobs j JOIN templates t ON t.id = j.template_id LEFT JOIN log_sources s ON s.job_id = j.id`;

export type JobPatch = Partial<Pick<Job, 'status' | 'containerId' | 'exitCode' | 'error' | 'startedAt' | 'finishedAt'>>;

const columns: Record<keyof JobPatch, string> = {
  status: 'status',
  containerId: 'container_id',
  exitCode: 'exit_code',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

export interface JobFilter {
  status?: JobStatus;
  templateId?: number;
  limit: number;
}

export class JobRepository {
  private readonly selectOne;
  private readonly insertWithSource;
  private readonly updates = new Map<string, ReturnType<Db['prepare']>>();
  private readonly unfinishedStmt;

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[number], JobRow>(`${selectJobs} WHERE j.id = ?`);
    const insertJob = db.prepare("INSERT INTO jobs (template_id, host_id, status, created_at) VALUES (?, ?, 'pending', ?)");
    // Every job has its log source from the start: its lines, counters and resume cursor.
    const insertSource = db.prepare(
      `INSERT INTO log_sources (job_id, host_id, service_id, service_name, created_at)
       SELECT ?, ?, id, name, ? FROM templates WHERE id = ?`,
    );
    this.insertWithSource = db.transaction((templateId: number, hostId: number, createdAt: number) => {
      const jobId = Number(insertJob.run(templateId, hostId, createdAt).lastInsertRowid);
      insertSource.run(jobId, hostId, createdAt, templateId);
      return jobId;
    });
    this.unfinishedStmt = db.prepare<[], JobRow>(`${selectJobs} WHERE j.status IN ('pending', 'running') ORDER BY j.id`);
  }

  get(id: number): Job | undefined {
    const row = this.selectOne.get(id);
    return row && toJob(row);
  }

  /** A new pending job, with its log source. */
  insert(templateId: number, hostId: number, createdAt: number): Job {
    return this.get(this.insertWithSource(templateId, hostId, createdAt))!;
  }

  /** Jobs an earlier run of Berth left pending or running, oldest first. */
  unfinished(): Job[] {
    return this.unfinishedStmt.all().map(toJob);
  }

  update(id: number, patch: JobPatch): Job {
    const keys = (Object.keys(patch) as (keyof JobPatch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length > 0) {
      const sqlKey = keys.join(',');
      let stmt = this.updates.get(sqlKey);
      if (!stmt) {
        stmt = this.db.prepare(`UPDATE jobs SET ${keys.map((k) => `${columns[k]} = @${k}`).join(', ')} WHERE id = @id`);
        this.updates.set(sqlKey, stmt);
      }
      stmt.run({ ...patch, id });
    }
    return this.get(id)!;
  }

  list(filter: JobFilter): { count: number; jobs: Job[] } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit };
    if (filter.status) {
      where.push('j.status = @status');
      params.status = filter.status;
    }
    if (filter.templateId !== undefined) {
      where.push('j.template_id = @templateId');
      params.templateId = filter.templateId;
    }
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = this.prepared<JobRow>(`${selectJobs}${clause} ORDER BY j.id DESC LIMIT @limit`).all(params);
    const { n } = this.prepared<{ n: number }>(`SELECT count(*) AS n FROM jobs j${clause}`).get(params)!;
    return { count: n, jobs: rows.map(toJob) };
  }

  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();

  private prepared<R>(sql: string) {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt as ReturnType<Db['prepare']> & { all(p: unknown): R[]; get(p: unknown): R | undefined };
  }
}
