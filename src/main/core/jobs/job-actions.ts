/**
 * What a person does to jobs after they ran: run one again by hand, delete finished ones with
 * their logs, and any of cancel / retry / delete over many at once, each job answered on its own
 * (done, or why not) so one refusal does not hide what happened to the rest.
 *
 * Deleting goes in this order: the lines first, through the log writer (the thread that owns
 * every deletion of lines, so its counters and blocks stay true), then the job row (its log
 * source goes with it). If the writer fails, the job is left as it was and the error says so.
 */
import type { RequestOutput } from '../../../shared/contract';
import { BerthError } from '../../../shared/errors';
import { finishedStatuses, type Job } from '../../../shared/model';
import type { EventBus } from '../event-bus';
import type { LogIngest } from '../logs/log-ingest';
import type { JobRepository, StoredJob } from '../store/job-repository';
import type { LogSourceRepository } from '../store/log-source-repository';
import type { JobRunner } from './job-runner';
import type { JobSubmitter } from './job-submitter';

export interface JobActionsDeps {
  jobs: JobRepository;
  runner: Pick<JobRunner, 'cancel'>;
  submitter: Pick<JobSubmitter, 'submit'>;
  ingest: Pick<LogIngest, 'deleteSources'>;
  sources: Pick<LogSourceRepository, 'ofJob'>;
  bus: EventBus;
}

export type BulkAction = 'cancel' | 'retry' | 'delete';
type BulkResult = RequestOutput<'jobs.bulk'>['results'][number];

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class JobActions {
  constructor(private readonly deps: JobActionsDeps) {}

  /** A new pending job with the same spec (the template's secrets as they are now), trigger manual. */
  retry(id: number): StoredJob {
    const job = this.finished(id, 'run again');
    return this.deps.submitter.submit({ templateId: job.templateId, hostId: job.wantHostId ?? undefined, spec: job.spec, trigger: 'manual' });
  }

  async delete(id: number): Promise<{ message: string; id: number }> {
    const job = this.finished(id, 'deleted');
    await this.deleteAll([job]);
    return { message: `job ${id} and its logs deleted`, id };
  }

  async bulk(action: BulkAction, ids: readonly number[]): Promise<RequestOutput<'jobs.bulk'>> {
    const unique = [...new Set(ids)];
    if (action === 'cancel') {
      // Together: each cancel may wait out its container's grace period.
      const results = await Promise.all(
        unique.map(async (id): Promise<BulkResult> => {
          try {
            return { id, ok: true, error: null, job: publicJob(await this.deps.runner.cancel(id)) };
          } catch (err) {
            return { id, ok: false, error: reason(err), job: null };
          }
        }),
      );
      return { results };
    }
    if (action === 'retry') {
      return {
        results: unique.map((id): BulkResult => {
          try {
            return { id, ok: true, error: null, job: publicJob(this.retry(id)) };
          } catch (err) {
            return { id, ok: false, error: reason(err), job: null };
          }
        }),
      };
    }
    const results = new Map<number, BulkResult>();
    const deletable: StoredJob[] = [];
    for (const id of unique) {
      try {
        deletable.push(this.finished(id, 'deleted'));
      } catch (err) {
        results.set(id, { id, ok: false, error: reason(err), job: null });
      }
    }
    try {
      await this.deleteAll(deletable);
      for (const job of deletable) results.set(job.id, { id: job.id, ok: true, error: null, job: null });
    } catch (err) {
      for (const job of deletable) results.set(job.id, { id: job.id, ok: false, error: `deleting its logs failed: ${reason(err)}`, job: null });
    }
    return { results: unique.map((id) => results.get(id)!) };
  }

  /** The job, if it has finished; a conflict (409) if it is pending or running. */
  private finished(id: number, what: string): StoredJob {
    const job = this.deps.jobs.get(id);
    if (!job) throw new BerthError('not_found', `job ${id} does not exist`);
    if (!finishedStatuses.has(job.status)) throw new BerthError('conflict', `job ${id} is ${job.status}: only a finished job can be ${what} (cancel it first)`);
    return job;
  }

  private async deleteAll(jobs: readonly StoredJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const sourceIds = jobs.map((j) => this.deps.sources.ofJob(j.id)?.id).filter((id): id is number => id !== undefined);
    await this.deps.ingest.deleteSources(sourceIds);
    for (const job of jobs) this.deps.jobs.delete(job.id);
    this.deps.bus.emit('job.deleted', { ids: jobs.map((j) => j.id) });
  }
}

/** The contract's Job, without what only the store keeps (the host asked for). */
export function publicJob(job: Job | StoredJob): Job {
  if (!('wantHostId' in job)) return job;
  const { wantHostId: _want, ...rest } = job;
  return rest;
}
