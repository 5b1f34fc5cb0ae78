import type { Job, JobStatus } from '../../../shared/model';

/** Jobs only move forward: pending → running → a finished status. */
const rank: Record<JobStatus, number> = { pending: 0, running: 1, completed: 2, failed: 2, timed_out: 2, cancelled: 2 };

/**
 * Which of two copies of a job to keep. A list answer can be older than an event that arrived
 * while it was in flight, so a copy never replaces one that is further along.
 */
export function newerJob(current: Job | undefined, incoming: Job): Job {
  if (!current) return incoming;
  return rank[incoming.status] >= rank[current.status] ? incoming : current;
}

const newestFirst = (a: Job, b: Job) => b.createdAt - a.createdAt || b.id - a.id;

/** Inserts or updates one job, keeping newest first. Returns the same array when nothing changed. */
export function upsertJob(jobs: readonly Job[], job: Job): Job[] {
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index < 0) return [...jobs, job].sort(newestFirst);
  const kept = newerJob(jobs[index], job);
  if (kept === jobs[index]) return jobs as Job[];
  const next = jobs.slice();
  next[index] = kept;
  return next;
}

/** Merges a fetched list into what we know; jobs are never deleted, so this is a union. */
export function mergeJobs(jobs: readonly Job[], fetched: readonly Job[]): Job[] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const job of fetched) byId.set(job.id, newerJob(byId.get(job.id), job));
  return [...byId.values()].sort(newestFirst);
}
