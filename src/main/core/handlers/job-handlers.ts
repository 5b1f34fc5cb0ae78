import { BerthError } from '../../../shared/errors';
import { publicJob, type JobActions } from '../jobs/job-actions';
import { exportJobs } from '../jobs/job-export';
import type { JobSubmitter } from '../jobs/job-submitter';
import type { JobRunner } from '../jobs/job-runner';
import type { JobRepository } from '../store/job-repository';
import type { DownloadsFor, HandlersFor } from './handler-types';

export interface JobHandlerDeps {
  jobs: JobRepository;
  runner: JobRunner;
  submitter: JobSubmitter;
  actions: JobActions;
}

export function jobHandlers({ jobs, runner, submitter, actions }: JobHandlerDeps): HandlersFor<'jobs'> {
  const get = (id: number) => {
    const job = jobs.get(id);
    if (!job) throw new BerthError('not_found', `job ${id} does not exist`);
    return publicJob(job);
  };
  return {
    'jobs.list': async (filter) => {
      const page = jobs.list(filter);
      return { ...page, jobs: page.jobs.map(publicJob) };
    },
    'jobs.get': async ({ id }) => get(id),
    'jobs.run': async ({ templateId, hostId, env, command, timeoutSeconds, trigger }) =>
      publicJob(submitter.submit({ templateId, hostId, env, command, timeoutSeconds, trigger })),
    'jobs.cancel': async ({ id, graceSeconds }) => publicJob(await runner.cancel(id, graceSeconds)),
    'jobs.retry': async ({ id }) => publicJob(actions.retry(id)),
    'jobs.delete': ({ id }) => actions.delete(id),
    'jobs.bulk': ({ action, ids }) => actions.bulk(action, ids),
  };
}

export function jobDownloads(jobs: JobRepository, hostName: (id: number) => string | null): DownloadsFor<'jobs'> {
  return {
    'jobs.export': async ({ format, ...filter }) => exportJobs(jobs, filter, format, hostName),
  };
}
