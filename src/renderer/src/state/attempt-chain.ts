import type { Job } from '../../../shared/model';

/**
 * Every attempt of a job, first to last, as far as `byId` knows them: back through `retryOf`,
 * forward through `retriedBy` (or a known job that retries it, before the job itself says so).
 * `missing` names the next ids to fetch to see further.
 */
export function attemptChain(jobId: number, byId: ReadonlyMap<number, Job>): { chain: Job[]; missing: number[] } {
  const start = byId.get(jobId);
  if (!start) return { chain: [], missing: [jobId] };
  const retries = new Map<number, Job>();
  for (const job of byId.values()) if (job.retryOf !== null && !retries.has(job.retryOf)) retries.set(job.retryOf, job);
  const seen = new Set([start.id]);
  const missing: number[] = [];
  const before: Job[] = [];
  for (let job = start; job.retryOf !== null; ) {
    const prev = byId.get(job.retryOf);
    if (!prev) {
      missing.push(job.retryOf);
      break;
    }
    if (seen.has(prev.id)) break;
    seen.add(prev.id);
    before.unshift(prev);
    job = prev;
  }
  const after: Job[] = [];
  for (let job = start; ; ) {
    const nextId = job.retriedBy ?? retries.get(job.id)?.id ?? null;
    if (nextId === null) break;
    const next = byId.get(nextId);
    if (!next) {
      missing.push(nextId);
      break;
    }
    if (seen.has(next.id)) break;
    seen.add(next.id);
    after.push(next);
    job = next;
  }
  return { chain: [...before, start, ...after], missing };
}
