/**
 * The scheduler's two choices, after Kubernetes CronJob:
 *
 *   a run is due ─ nothing of this schedule pending or running ─▶ start
 *                ─ some are ─ forbid ─▶ skip  │ allow ─▶ start  │ replace ─▶ cancel them, then start
 *
 *   Berth starts again ─ missed: 'run-once' and runs fell due while it was down ─▶ one run, for the latest
 *                      ─ otherwise ─▶ none
 *
 * A catch-up run is still a due run: it goes through decideDue like any other, since the
 * containers of earlier runs outlive Berth and may still be running.
 */
import { lastDueBefore, type Schedule } from './cron-schedule';

export type DueAction = 'start' | 'skip' | 'replace';

/** `running`: this schedule's jobs of the template that are pending or running now. */
export function decideDue({ schedule, running }: { schedule: Schedule; running: number }): DueAction {
  if (!Number.isInteger(running) || running < 0) throw new RangeError(`running must be a whole number, 0 or more; got ${running}`);
  if (!schedule.enabled) return 'skip';
  if (running === 0) return 'start';
  switch (schedule.concurrency) {
    case 'forbid':
      return 'skip';
    case 'allow':
      return 'start';
    case 'replace':
      return 'replace';
  }
}

/**
 * The one run to make up for after a downtime: the latest due time in (lastRunAt, now), or null.
 * A run due exactly at `now` is the regular tick's, not a missed one. A schedule that never ran
 * (lastRunAt null) has missed nothing.
 */
export function catchUp({ schedule, lastRunAt, now }: { schedule: Schedule; lastRunAt: Date | null; now: Date }): Date | null {
  if (!schedule.enabled || schedule.missed !== 'run-once' || lastRunAt === null) return null;
  if (lastRunAt.getTime() >= now.getTime()) return null;
  const latest = lastDueBefore(schedule, now);
  return latest !== null && latest.getTime() > lastRunAt.getTime() ? latest : null;
}
