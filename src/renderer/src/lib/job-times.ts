import type { Job } from '../../../shared/model';

type Times = Pick<Job, 'createdAt' | 'notBefore' | 'startedAt' | 'finishedAt'>;

/**
 * Time spent waiting in the queue: until it started (or ended unstarted), or until `now`. A retry's
 * wait starts when its backoff ends. The same sums as the server's `waitMs`, so they tick locally.
 */
export function waitMs(job: Times, now: number): number {
  const begun = job.startedAt ?? job.finishedAt ?? now;
  return Math.max(0, begun - Math.max(job.createdAt, job.notBefore ?? 0));
}

/** Time spent running, until the end or `now`; null when it never started. */
export function runMs(job: Times, now: number): number | null {
  return job.startedAt === null ? null : Math.max(0, (job.finishedAt ?? now) - job.startedAt);
}

/** From creation to the end, or to `now`. */
export function totalMs(job: Times, now: number): number {
  return Math.max(0, (job.finishedAt ?? now) - job.createdAt);
}
