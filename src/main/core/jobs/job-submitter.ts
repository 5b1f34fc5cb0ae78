/**
 * The one way a job comes into being: a person or a script (jobs.run), the scheduler, a retry.
 * It resolves the template with the run's overrides into the job's spec, records the job as
 * pending, and tells the queue; the queue decides when and where it starts.
 */
import { BerthError } from '../../../shared/errors';
import type { JobTrigger, RunSpec } from '../../../shared/model';
import type { HostRegistry } from '../docker/host-registry';
import type { EventBus } from '../event-bus';
import type { LogIngest } from '../logs/log-ingest';
import type { LogSourceRepository } from '../store/log-source-repository';
import type { JobRepository, StoredJob } from '../store/job-repository';
import type { TemplateRepository } from '../store/template-repository';
import { resolveRunSpec, type RunOverrides } from './spec/run-spec';

export interface SubmitRequest extends RunOverrides {
  templateId: number;
  /** Overrides the template's host for this run. */
  hostId?: number;
  trigger: JobTrigger;
  /** For retries: the attempt number, the job retried, its spec, and when the backoff ends. */
  attempt?: number;
  retryOf?: number;
  spec?: RunSpec;
  notBefore?: number;
}

export interface JobSubmitterDeps {
  templates: TemplateRepository;
  jobs: JobRepository;
  hosts: HostRegistry;
  bus: EventBus;
  ingest: LogIngest;
  sources: LogSourceRepository;
  /** A job was queued: the queue looks for a free slot. */
  onQueued: (job: StoredJob) => void;
}

export class JobSubmitter {
  constructor(private readonly deps: JobSubmitterDeps) {}

  submit(request: SubmitRequest): StoredJob {
    const template = this.deps.templates.get(request.templateId);
    if (!template || template.deletedAt !== null) throw new BerthError('not_found', `template ${request.templateId} does not exist`);
    const wantHostId = request.hostId ?? template.hostId;
    // Throws not_found for a host that does not exist (or was removed).
    if (wantHostId !== null) this.deps.hosts.record(wantHostId);
    const job = this.deps.jobs.insert({
      templateId: template.id,
      templateName: template.name,
      wantHostId,
      trigger: request.trigger,
      attempt: request.attempt,
      retryOf: request.retryOf,
      spec: request.spec ?? resolveRunSpec(template, request),
      notBefore: request.notBefore,
      createdAt: Date.now(),
    });
    const where = wantHostId === null ? 'any host' : `host '${this.deps.hosts.record(wantHostId).name}'`;
    const why = request.trigger === 'retry' ? `attempt ${job.attempt}, retrying job ${request.retryOf}` : `trigger: ${request.trigger}`;
    this.deps.ingest.system(this.deps.sources.ofJob(job.id)?.id ?? null, `Queued for ${where} (${why})`, 'info', 'manager');
    this.deps.bus.emit('job.updated', job);
    this.deps.onQueued(job);
    return job;
  }
}
