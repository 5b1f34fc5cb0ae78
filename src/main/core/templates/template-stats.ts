/**
 * How each live template's jobs went, as the templates page shows it: one GROUP BY over the
 * jobs table (indexed by template), so it costs one pass however many templates there are.
 */
import type { TemplateStats } from '../../../shared/model';
import type { Db } from '../store/database';

interface StatsRow {
  template_id: number;
  jobs: number;
  completed: number | null;
  failed: number | null;
  last_run_at: number | null;
  mean_run_ms: number | null;
}

export class TemplateStatsQuery {
  private readonly statement;

  constructor(db: Db) {
    // lastRunAt is when a job of it last started (a job still queued has not run yet);
    // meanRunMs counts finished jobs that started (cancelled ones too: they ran that long).
    this.statement = db.prepare<[], StatsRow>(`
      SELECT t.id AS template_id,
             count(j.id) AS jobs,
             sum(j.status = 'completed') AS completed,
             sum(j.status IN ('failed', 'timed_out')) AS failed,
             max(j.started_at) AS last_run_at,
             avg(CASE WHEN j.finished_at IS NOT NULL AND j.started_at IS NOT NULL THEN j.finished_at - j.started_at END) AS mean_run_ms
      FROM templates t LEFT JOIN jobs j ON j.template_id = t.id
      WHERE t.deleted_at IS NULL
      GROUP BY t.id
      ORDER BY t.name COLLATE NOCASE, t.id`);
  }

  all(): TemplateStats[] {
    return this.statement.all().map((r) => {
      const completed = r.completed ?? 0;
      const failed = r.failed ?? 0;
      return {
        templateId: r.template_id,
        jobs: r.jobs,
        completed,
        failed,
        successRate: completed + failed === 0 ? null : completed / (completed + failed),
        lastRunAt: r.last_run_at,
        meanRunMs: r.mean_run_ms === null ? null : Math.round(r.mean_run_ms),
      };
    });
  }
}
