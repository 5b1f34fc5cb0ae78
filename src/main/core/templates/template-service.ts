/**
 * Templates as the contract shows them: checked (retry policy, schedule, host, secrets sent back
 * as the mask), with their schedule's next runs, announced on the bus when they change.
 */
import type { TemplateFields } from '../../../shared/contract';
import { BerthError } from '../../../shared/errors';
import { secretMask, type Template } from '../../../shared/model';
import type { HostRegistry } from '../docker/host-registry';
import type { EventBus } from '../event-bus';
import { normalizeRetryPolicy } from '../jobs/retry/retry-policy';
import { nextRuns, validateSchedule } from '../jobs/schedule/cron-schedule';
import type { JobRepository } from '../store/job-repository';
import type { LogSourceRepository } from '../store/log-source-repository';
import type { StoredTemplate, TemplateRepository } from '../store/template-repository';

export interface TemplateServiceDeps {
  templates: TemplateRepository;
  sources: LogSourceRepository;
  jobs: JobRepository;
  hosts: HostRegistry;
  bus: EventBus;
  /** A template's log retention changed (or a template with one came or went). */
  onRetentionChange: () => void;
}

const hasRetention = (t: Pick<Template, 'logRetention'>) => Object.keys(t.logRetention).length > 0;

export class TemplateService {
  constructor(private readonly deps: TemplateServiceDeps) {}

  list(): Template[] {
    const now = new Date();
    return this.deps.templates.list().map((t) => present(t, now));
  }

  get(id: number): Template {
    return present(this.stored(id), new Date());
  }

  create(input: TemplateFields): Template {
    const fields = this.check(input, null);
    if (this.deps.templates.findByName(fields.name)) throw new BerthError('conflict', `a template named '${fields.name}' already exists`);
    const stored = this.deps.templates.insert(fields, Date.now());
    if (stored.schedule?.enabled) this.deps.templates.setScheduleLastRun(stored.id, Date.now());
    const template = present(stored, new Date());
    this.deps.bus.emit('template.created', template);
    if (hasRetention(template)) this.deps.onRetentionChange();
    return template;
  }

  update(id: number, input: TemplateFields): Template {
    const before = this.stored(id);
    const fields = this.check(input, before);
    const clash = this.deps.templates.findByName(fields.name);
    if (clash && clash.id !== id) throw new BerthError('conflict', `a template named '${fields.name}' already exists`);
    const stored = this.deps.templates.update(id, fields, Date.now());
    // Its jobs' lines carry the template's name as their service name.
    if (before.name !== stored.name) this.deps.sources.renameTemplate(id, stored.name);
    if (JSON.stringify(before.logRetention) !== JSON.stringify(stored.logRetention)) this.deps.onRetentionChange();
    // A schedule switched on (or changed) counts from now: what fell due while it was off is not "missed".
    if (stored.schedule?.enabled && JSON.stringify(before.schedule) !== JSON.stringify(stored.schedule)) {
      this.deps.templates.setScheduleLastRun(id, Date.now());
    }
    const template = present(stored, new Date());
    this.deps.bus.emit('template.updated', template);
    return template;
  }

  delete(id: number): { message: string; id: number } {
    const template = this.stored(id);
    const unfinished = this.deps.jobs.list({ templateId: [id], status: ['pending', 'running'], sort: 'created', order: 'desc', limit: 1 }).count;
    if (unfinished > 0) {
      throw new BerthError('conflict', `template '${template.name}' has ${unfinished} job(s) pending or running: cancel them first`);
    }
    this.deps.templates.delete(id, Date.now());
    this.deps.bus.emit('template.deleted', { id });
    if (hasRetention(template)) this.deps.onRetentionChange();
    return { message: `template '${template.name}' deleted; its jobs and their logs stay`, id };
  }

  /** A live template, or not_found. */
  stored(id: number): StoredTemplate {
    const t = this.deps.templates.get(id);
    if (!t || t.deletedAt !== null) throw new BerthError('not_found', `template ${id} does not exist`);
    return t;
  }

  /** Checks what zod cannot (cron, time zone, retry coherence, the host, masked secrets) and fills defaults. */
  private check(input: TemplateFields, before: StoredTemplate | null): TemplateFields {
    let retry = null;
    let schedule = null;
    try {
      retry = input.retry ? normalizeRetryPolicy(input.retry as Parameters<typeof normalizeRetryPolicy>[0]) : null;
    } catch (err) {
      throw new BerthError('bad_request', `retry: ${(err as Error).message}`);
    }
    try {
      schedule = input.schedule ? validateSchedule(input.schedule) : null;
    } catch (err) {
      throw new BerthError('bad_request', `schedule: ${(err as Error).message}`);
    }
    if (input.hostId !== null) {
      try {
        this.deps.hosts.record(input.hostId);
      } catch {
        throw new BerthError('bad_request', `hostId: host ${input.hostId} does not exist`);
      }
    }
    for (const [key, value] of Object.entries(input.secretEnv)) {
      if (value === secretMask && !(before && key in before.secretEnv)) {
        throw new BerthError('bad_request', `secretEnv.${key}: give the secret's value (the mask only keeps a value already stored)`);
      }
      if (key in input.env) throw new BerthError('bad_request', `secretEnv.${key}: also in env; a variable is either plain or secret`);
    }
    return { ...input, retry, schedule };
  }
}

/** What the contract shows: the secrets masked (already), the deletion mark dropped, next runs added. */
function present(t: StoredTemplate, now: Date): Template {
  const { deletedAt: _deleted, ...rest } = t;
  const upcoming = t.schedule?.enabled ? nextRuns(t.schedule, now, 5).map((d) => d.getTime()) : [];
  return { ...rest, nextRuns: upcoming };
}
