/**
 * The scheduler: one timer per live template whose schedule is enabled, for its next due time.
 *
 *   start ─ missed: run-once and runs fell due while Berth was down ─▶ one catch-up run ─┐
 *         ─ otherwise ─────────────────────────────────────────────────────────────────┴─▶ armed
 *   armed ─ timer fires (a minute at most, then the clock is read again) ─ nothing due ─▶ armed
 *                                                                         ─ due ─▶ decideDue ─▶ armed
 *   decideDue ─ nothing of the schedule pending or running, or allow ─▶ submit (trigger: schedule)
 *             ─ forbid ─▶ skip, saying so in the log of the run still going
 *             ─ replace ─▶ cancel the runs still going, then submit
 *   template created / updated / deleted ─▶ re-read: armed anew from now if its schedule changed, or dropped
 *
 * Each due time dealt with is stored (`schedule_state.last_run_at`); after a restart, catch-up
 * counts the missed ones from there. Switching a schedule on or changing it stores "now" (the
 * template service does), so time spent disabled is never "missed".
 */
import { BerthError } from '../../../../shared/errors';
import type { EventBus } from '../../event-bus';
import type { LogIngest } from '../../logs/log-ingest';
import type { JobRepository } from '../../store/job-repository';
import type { LogSourceRepository } from '../../store/log-source-repository';
import type { TemplateRepository } from '../../store/template-repository';
import type { JobSubmitter } from '../job-submitter';
import { nextRuns, type Schedule } from './cron-schedule';
import { catchUp, decideDue } from './schedule-decision';
import { formatDueTime, planFire, timerDelay } from './schedule-timing';

export interface SchedulerDeps {
  templates: TemplateRepository;
  jobs: JobRepository;
  submitter: Pick<JobSubmitter, 'submit'>;
  /** Cancels a job (and the retries it still has due); resolves once it is cancelled. */
  cancel: (jobId: number) => Promise<unknown>;
  ingest: Pick<LogIngest, 'system'>;
  sources: LogSourceRepository;
  bus: EventBus;
  onError: (message: string, err: unknown) => void;
}

interface Entry {
  templateId: number;
  schedule: Schedule;
  /** The schedule as compared on template.updated. */
  key: string;
  /** Every due time up to here was dealt with (ms). */
  cursor: number;
  timer: NodeJS.Timeout | null;
  /** A replace is waiting for the old runs to stop. */
  replacing: boolean;
}

type Occasion = 'due' | 'late' | 'catch-up';

export class Scheduler {
  private readonly entries = new Map<number, Entry>();
  private unsubscribe: (() => void) | null = null;
  private started = false;
  private closed = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Makes up for the downtime (missed: run-once) and arms the timers; call once jobs left running are settled. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.unsubscribe = this.deps.bus.on((name, payload) => {
      if (name === 'template.created' || name === 'template.updated' || name === 'template.deleted') {
        this.refresh((payload as { id: number }).id);
      }
    });
    const now = Date.now();
    for (const template of this.deps.templates.list()) {
      const schedule = template.schedule;
      if (!schedule?.enabled) continue;
      let lastRunAt = this.deps.templates.scheduleLastRun(template.id);
      // No record (a store written before schedules were): count from now.
      if (lastRunAt === null) this.deps.templates.setScheduleLastRun(template.id, (lastRunAt = now));
      const missed = catchUp({ schedule, lastRunAt: new Date(lastRunAt), now: new Date(now) });
      // catchUp covers due times before now; the timers those from now on.
      const entry = this.track(template.id, schedule, Math.max(lastRunAt, now - 1));
      if (missed) void this.fire(entry, missed, 'catch-up');
    }
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    for (const entry of this.entries.values()) if (entry.timer) clearTimeout(entry.timer);
    this.entries.clear();
  }

  /** A template changed: keep its timer, arm it anew from now, or drop it. */
  private refresh(templateId: number): void {
    if (this.closed) return;
    const template = this.deps.templates.get(templateId);
    const schedule = template && template.deletedAt === null && template.schedule?.enabled ? template.schedule : null;
    const current = this.entries.get(templateId);
    if (current && schedule && current.key === JSON.stringify(schedule)) return;
    if (current) this.drop(current);
    if (schedule) this.track(templateId, schedule, Date.now());
  }

  private track(templateId: number, schedule: Schedule, cursor: number): Entry {
    const entry: Entry = { templateId, schedule, key: JSON.stringify(schedule), cursor, timer: null, replacing: false };
    this.entries.set(templateId, entry);
    this.arm(entry);
    return entry;
  }

  private drop(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    if (this.entries.get(entry.templateId) === entry) this.entries.delete(entry.templateId);
  }

  private live(entry: Entry): boolean {
    return !this.closed && this.entries.get(entry.templateId) === entry;
  }

  private arm(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    const [next] = nextRuns(entry.schedule, new Date(entry.cursor), 1);
    // A calendar that has run out (a date already past) has nothing more to arm.
    if (!next) return;
    entry.timer = setTimeout(() => this.tick(entry), timerDelay(next.getTime(), Date.now()));
    entry.timer.unref();
  }

  /** Reads the clock afresh: the timer may be early, capped, or late (sleep, a clock change). */
  private tick(entry: Entry): void {
    entry.timer = null;
    if (!this.live(entry)) return;
    const now = Date.now();
    const plan = planFire({ schedule: entry.schedule, after: entry.cursor, now });
    if (plan.action !== 'wait') {
      entry.cursor = Math.max(entry.cursor, now);
      this.deps.templates.setScheduleLastRun(entry.templateId, plan.due.getTime());
      if (plan.action === 'run') void this.fire(entry, plan.due, plan.late ? 'late' : 'due');
      else this.say(null, `${this.templateName(entry)}: the run due at ${this.when(entry, plan.due)} was missed (Berth was asleep or stopped) and is skipped (missed: skip)`);
    }
    this.arm(entry);
  }

  /** One due time: start, skip or replace, as the concurrency policy says. */
  private async fire(entry: Entry, due: Date, occasion: Occasion): Promise<void> {
    const at = this.when(entry, due);
    try {
      if (occasion === 'catch-up') this.deps.templates.setScheduleLastRun(entry.templateId, due.getTime());
      if (entry.replacing) {
        this.say(null, `${this.templateName(entry)}: skipped the run due at ${at}: the previous run is still being replaced (concurrency: replace)`);
        return;
      }
      const running = this.deps.jobs.unfinishedScheduledRuns(entry.templateId);
      switch (decideDue({ schedule: entry.schedule, running: running.length })) {
        case 'start':
          this.submit(entry, due, occasion);
          return;
        case 'skip': {
          const still = running[running.length - 1]!;
          const state = still.status === 'pending' ? 'still waiting in the queue' : 'still going';
          this.say(this.sourceOf(still.id), `Skipped the run due at ${at}: the previous run is ${state} (concurrency: forbid)`);
          return;
        }
        case 'replace':
          entry.replacing = true;
          try {
            for (const job of running) this.say(this.sourceOf(job.id), `Replaced by the run due at ${at} (concurrency: replace): cancelling`, 'warn');
            // One that finished meanwhile answers `conflict`; it is out of the way all the same.
            await Promise.allSettled(running.map((job) => this.deps.cancel(job.id)));
          } finally {
            entry.replacing = false;
          }
          if (this.live(entry)) this.submit(entry, due, occasion);
          return;
      }
    } catch (err) {
      this.failed(entry, at, err);
    }
  }

  private submit(entry: Entry, due: Date, occasion: Occasion): void {
    const job = this.deps.submitter.submit({ templateId: entry.templateId, trigger: 'schedule' });
    const at = this.when(entry, due);
    const why =
      occasion === 'catch-up'
        ? `Catch-up run for ${at}, the latest due time missed while Berth was stopped (missed: run-once)`
        : occasion === 'late'
          ? `Run due at ${at}, found late (Berth was asleep or stopped; missed: run-once)`
          : `Scheduled run due at ${at}`;
    this.say(this.sourceOf(job.id), why);
  }

  /** A run that could not be queued (its host was removed…) is said in Berth's log; the schedule goes on. */
  private failed(entry: Entry, at: string, err: unknown): void {
    if (err instanceof BerthError) {
      this.say(null, `${this.templateName(entry)}: could not queue the run due at ${at}: ${err.message}`, 'error');
    } else {
      this.deps.onError(`scheduling template ${entry.templateId}`, err);
    }
  }

  private say(sourceId: number | null, message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.deps.ingest.system(sourceId, message, level, 'manager');
  }

  private sourceOf(jobId: number): number | null {
    return this.deps.sources.ofJob(jobId)?.id ?? null;
  }

  private when(entry: Entry, due: Date): string {
    return formatDueTime(due, entry.schedule.timezone);
  }

  private templateName(entry: Entry): string {
    return `Schedule of template '${this.deps.templates.get(entry.templateId)?.name ?? entry.templateId}'`;
  }
}
