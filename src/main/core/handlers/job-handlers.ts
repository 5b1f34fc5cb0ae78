import { BerthError } from '../../../shared/errors';
import type { JobRunner } from '../jobs/job-runner';
import type { JobRepository } from '../store/job-repository';
import type { HandlersFor } from './handler-types';

export function jobHandlers(jobs: JobRepository, runner: JobRunner): HandlersFor<'jobs'> {
  return {
    'jobs.list': async (filter) => jobs.list(filter),
    'jobs.get': async ({ id }) => {
      const job = jobs.get(id);
      if (!job) throw new BerthError('not_found', `job ${id} does not exist`);
      return job;
    },
    'jobs.run': async ({ templateId, hostId }) => runner.run(templateId, hostId),
    'jobs.cancel': ({ id, graceSeconds }) => runner.cancel(id, graceSeconds),
  };
}
