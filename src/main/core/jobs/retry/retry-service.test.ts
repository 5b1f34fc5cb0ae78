// RetryService at start, on a real SQLite store: an attempt that ended while Berth went down
// before queueing its retry gets it now, once; one the policy does not retry stays as it is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../../../test/support/temp-store';
import { plainTemplate } from '../../../../../test/support/template-fields';
import { EventBus } from '../../event-bus';
import type { LogIngest } from '../../logs/log-ingest';
import { JobRepository } from '../../store/job-repository';
import { LogSourceRepository } from '../../store/log-source-repository';
import { TemplateRepository } from '../../store/template-repository';
import { resolveRunSpec } from '../spec/run-spec';
import type { SubmitRequest } from '../job-submitter';
import { RetryService } from './retry-service';

let store: TempStore;
let templates: TemplateRepository;
let jobs: JobRepository;
let submitted: SubmitRequest[];
let lines: string[];
let service: RetryService;

beforeEach(() => {
  store = tempStore();
  templates = new TemplateRepository(store.db);
  jobs = new JobRepository(store.db);
  submitted = [];
  lines = [];
  const submitter = {
    // The real submitter's effect that matters here: a row with retry_of, so the job counts as retried.
    submit: (request: SubmitRequest) => {
      submitted.push(request);
      const template = templates.get(request.templateId)!;
      return jobs.insert({ ...request, templateName: template.name, wantHostId: null, spec: request.spec!, createdAt: Date.now() });
    },
  };
  const ingest = { system: (_source: number | null, message: string) => void lines.push(message) } as unknown as LogIngest;
  service = new RetryService({ jobs, templates, sources: new LogSourceRepository(store.db), ingest, bus: new EventBus(), submitter });
});

afterEach(() => {
  service.close();
  store.dispose();
});

function endedJob(templateId: number, status: 'failed' | 'timed_out' | 'completed', finishedAt: number): number {
  const template = templates.get(templateId)!;
  const job = jobs.insert({ templateId, templateName: template.name, wantHostId: null, trigger: 'api', spec: resolveRunSpec(template), createdAt: finishedAt - 1000 });
  jobs.update(job.id, { hostId: 1, status, exitCode: status === 'failed' ? 1 : null, startedAt: finishedAt - 500, finishedAt });
  return job.id;
}

describe('RetryService at start', () => {
  it('queues the retry an attempt missed while Berth was down, its backoff counted from its end, and only once', () => {
    const retried = templates.insert({ ...plainTemplate('retried'), retry: { attempts: 3, on: ['failed', 'timed_out', 'error'], backoffSeconds: 10, factor: 2, maxBackoffSeconds: 360 } }, 1);
    const once = templates.insert({ ...plainTemplate('once'), retry: null }, 1);
    const endedAt = Date.now() - 4000;
    const missed = endedJob(retried.id, 'failed', endedAt);
    const done = endedJob(retried.id, 'completed', endedAt);
    const noPolicy = endedJob(once.id, 'failed', endedAt);
    const longAgo = endedJob(retried.id, 'timed_out', Date.now() - 3 * 24 * 3600_000);

    service.start();

    expect(submitted).toEqual([expect.objectContaining({ templateId: retried.id, retryOf: missed, attempt: 2, trigger: 'retry', notBefore: endedAt + 10_000 })]);
    expect(lines.some((l) => /^Retrying in 10 s as job #\d+ \(attempt 2 of 3\)$/.test(l))).toBe(true);
    expect([done, noPolicy, longAgo].every((id) => jobs.get(id)!.retriedBy === null)).toBe(true);
    // Nothing said about the jobs that are not retried: they were told when they ended.
    expect(lines.filter((l) => l.startsWith('Not retrying'))).toEqual([]);

    // A second start finds the retry row and queues nothing more.
    service.close();
    service.start();
    expect(submitted).toHaveLength(1);
  });
});
