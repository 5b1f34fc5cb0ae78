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
});

const selectJobs = `
  SELECT j.id, j.template_id, t.name AS template_name, j.host_id, j.status, j.container_id,
         j.exit_code, j.error, j.created_at, j.started_at, j.finished_at
  FROM jobs j JOIN templates t ON t.id = j.template_id`;

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
  private readonly insertOne;
  private readonly updates = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[number], JobRow>(`${selectJobs} WHERE j.id = ?`);
    this.insertOne = db.prepare(
      "INSERT INTO jobs (template_id, host_id, status, created_at) VALUES (?, ?, 'pending', ?)",
    );
  }

  get(id: number): Job | undefined {
    const row = this.selectOne.get(id);
    return row && toJob(row);
  }

  insert(templateId: number, hostId: number, createdAt: number): Job {
    const info = this.insertOne.run(templateId, hostId, createdAt);
    return this.get(Number(info.lastInsertRowid))!;
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
    const rows = this.db.prepare<Record<string, unknown>, JobRow>(`${selectJobs}${clause} ORDER BY j.id DESC LIMIT @limit`).all(params);
    const { n } = this.db
      .prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM jobs j${clause}`)
      .get(params)!;
    return { count: n, jobs: rows.map(toJob) };
  }
}
