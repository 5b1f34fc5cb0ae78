import { BerthError } from '../../../shared/errors';
import type { JobSubmitter } from '../jobs/job-submitter';
import type { JobRunner } from '../jobs/job-runner';
import type { JobRepository } from '../store/job-repository';
import type { DownloadsFor, HandlersFor } from './handler-types';

export interface JobHandlerDeps {
  jobs: JobRepository;
  runner: JobRunner;
  submitter: JobSubmitter;
}

export function jobHandlers({ jobs, runner, submitter }: JobHandlerDeps): HandlersFor<'jobs'> {
  const get = (id: number) => {
    const job = jobs.get(id);
    if (!job) throw new BerthError('not_found', `job ${id} does not exist`);
    return job;
  };
  return {
    'jobs.list': async (filter) => jobs.list(filter),
    'jobs.get': async ({ id }) => get(id),
    'jobs.run': async ({ templateId, hostId, env, command, timeoutSeconds, trigger }) =>
      submitter.submit({ templateId, hostId, env, command, timeoutSeconds, trigger }),
    'jobs.cancel': ({ id, graceSeconds }) => runner.cancel(id, graceSeconds),
    // Filled in by the jobs work of issue 6 (retry, delete with logs, bulk).
    'jobs.retry': async () => {
      throw new BerthError('unavailable', 'retrying a job by hand is not built yet');
    },
    'jobs.delete': async () => {
      throw new BerthError('unavailable', 'deleting jobs is not built yet');
    },
    'jobs.bulk': async () => {
      throw new BerthError('unavailable', 'bulk actions are not built yet');
    },
  };
}

export function jobDownloads(): DownloadsFor<'jobs'> {
  return {
    'jobs.export': async () => {
      throw new BerthError('unavailable', 'the jobs export is not built yet');
    },
  };
}
