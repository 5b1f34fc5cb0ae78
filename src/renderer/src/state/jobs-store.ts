import { create } from 'zustand';
import type { Job } from '../../../shared/model';
import type { AppClient } from '../client/app-client';
import { errorMessage } from '../client/client-error';
import { mergeJobs, upsertJob } from './job-list';
import { reportError } from './report-error';

/**
 * The jobs the app knows of lately, newest first: the newest page, and every job an event or a
 * page brought since. The job page, the live view and the run form read it; the jobs table keeps
 * its own paged window (jobs-table-store.ts).
 */
interface JobsState {
  /** Newest first. */
  jobs: Job[];
  loaded: boolean;
  loading: boolean;
  /** Why the last load failed, cleared by the next success. */
  error: string | null;
  upsert(job: Job): void;
  remove(ids: readonly number[]): void;
}

export const useJobs = create<JobsState>()((set) => ({
  jobs: [],
  loaded: false,
  loading: false,
  error: null,
  upsert: (job) => set((s) => ({ jobs: upsertJob(s.jobs, job) })),
  remove: (ids) =>
    set((s) => {
      const gone = new Set(ids);
      return s.jobs.some((j) => gone.has(j.id)) ? { jobs: s.jobs.filter((j) => !gone.has(j.id)) } : s;
    }),
}));

let loadSeq = 0;

export async function loadJobs(client: AppClient): Promise<void> {
  const seq = ++loadSeq;
  useJobs.setState({ loading: true });
  try {
    const { jobs } = await client.request('jobs.list', {});
    // Merge even if a newer load started: merging can only move jobs forward.
    useJobs.setState((s) => ({ jobs: mergeJobs(s.jobs, jobs), loaded: true, error: null }));
  } catch (err) {
    if (seq === loadSeq) useJobs.setState({ error: errorMessage(err) });
    reportError(err, 'Loading jobs failed');
  } finally {
    if (seq === loadSeq) useJobs.setState({ loading: false });
  }
}
