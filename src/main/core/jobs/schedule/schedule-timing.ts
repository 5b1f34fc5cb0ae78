/**
 * When the scheduler's timers fire and what a firing means, apart from the timers themselves.
 *
 * A timer is armed for at most `maxTimerMs` and every firing recomputes from the wall clock, so
 * neither setTimeout's ~24.8-day limit, nor a clock set forward or back, nor a machine that slept
 * (Node's timers stand still while it sleeps) makes a schedule run at the wrong time or twice.
 */
import { lastDueBefore, type Schedule } from './cron-schedule';

/** Longest a timer waits before looking at the clock again. */
export const maxTimerMs = 60_000;

/**
 * A due time found later than this (the machine slept, the process was stopped) was missed, not
 * merely late: it follows the schedule's `missed` policy, as after a downtime.
 */
export const lateToleranceMs = 60_000;

export type FirePlan =
  /** Nothing fell due after `after` (the timer fired early, or the clock was set back). */
  | { action: 'wait' }
  /** Run once for the latest due time; any earlier ones since `after` are folded into it. `late`: found past the tolerance (missed: run-once). */
  | { action: 'run'; due: Date; late: boolean }
  /** The latest due time was found too late and the policy is `missed: skip`. */
  | { action: 'drop'; due: Date };

/** What a timer firing at `now` does, given that every due time up to `after` was dealt with. */
export function planFire({
  schedule,
  after,
  now,
  toleranceMs = lateToleranceMs,
}: {
  schedule: Schedule;
  after: number;
  now: number;
  toleranceMs?: number;
}): FirePlan {
  // Due times are whole seconds; the latest one at or before now.
  const latest = lastDueBefore(schedule, new Date(now + 1));
  if (latest === null || latest.getTime() <= after) return { action: 'wait' };
  const late = now - latest.getTime() > toleranceMs;
  if (late && schedule.missed === 'skip') return { action: 'drop', due: latest };
  return { action: 'run', due: latest, late };
}

/** The delay to arm a timer with for a due time at `dueMs`. */
export function timerDelay(dueMs: number, now: number): number {
  return Math.min(Math.max(0, dueMs - now), maxTimerMs);
}

/** "14:03:02 Europe/Berlin": a due time as the schedule's own clock shows it, for manager lines. */
export function formatDueTime(due: Date, timezone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(due);
  return `${time} ${timezone}`;
}
