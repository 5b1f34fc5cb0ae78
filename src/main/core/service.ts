/**
 * The facade both adapters (Electron IPC, HTTP/WebSocket) call: validates untrusted input with the
 * contract's schemas, then dispatches to the core's services.
 */
import {
  describeIssues,
  requests,
  streams,
  type BerthHandlers,
  type RequestName,
  type RequestOutput,
  type StreamName,
  type StreamPayload,
} from '../../shared/contract';
import { BerthError } from '../../shared/errors';
import type { HostRegistry } from './docker/host-registry';
import type { EventBus, EventListener } from './event-bus';
import type { JobRunner } from './jobs/job-runner';
import type { LiveHub } from './logs/live-hub';
import type { JobRepository } from './store/job-repository';
import type { LogRepository } from './store/log-repository';
import type { TemplateRepository } from './store/template-repository';

export interface ServiceDeps {
  hosts: HostRegistry;
  templates: TemplateRepository;
  jobs: JobRepository;
  runner: JobRunner;
  logs: LogRepository;
  hub: LiveHub;
  bus: EventBus;
}

export class BerthService {
  readonly handlers: BerthHandlers;

  constructor(private readonly deps: ServiceDeps) {
    const { hosts, templates, jobs, runner, logs, bus } = deps;
    this.handlers = {
      'hosts.list': async () => hosts.list(),
      'hosts.add': (input) => hosts.add(input),
      'hosts.refresh': ({ id }) => hosts.refresh(id),
      'templates.list': async () => templates.list(),
      'templates.create': async (input) => {
        if (templates.findByName(input.name)) throw new BerthError('conflict', `a template named '${input.name}' already exists`);
        const template = templates.insert({ ...input, createdAt: Date.now() });
        bus.emit('template.created', template);
        return template;
      },
      'jobs.list': async (filter) => jobs.list(filter),
      'jobs.get': async ({ id }) => {
        const job = jobs.get(id);
        if (!job) throw new BerthError('not_found', `job ${id} does not exist`);
        return job;
      },
      'jobs.run': async ({ templateId, hostId }) => runner.run(templateId, hostId),
      'jobs.cancel': ({ id, graceSeconds }) => runner.cancel(id, graceSeconds),
      'logs.query': async (query) => {
        const entries = logs.query(query);
        return { count: entries.length, logs: entries };
      },
      'logs.count': async (filter) => ({ count: logs.count(filter) }),
    };
  }

  /** Validates `rawInput` against the contract and runs the request. */
  async call<N extends RequestName>(name: N, rawInput: unknown): Promise<RequestOutput<N>> {
    const spec = requests[name];
    if (!spec) throw new BerthError('not_found', `unknown request '${String(name)}'`);
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw new BerthError('bad_request', describeIssues(parsed.error));
    const handler = this.handlers[name] as (input: unknown) => Promise<RequestOutput<N>>;
    return handler(parsed.data);
  }

  onEvent(listener: EventListener): () => void {
    return this.deps.bus.on(listener);
  }

  /** Subscribes to a stream after validating its params. */
  subscribe<S extends StreamName>(stream: S, rawParams: unknown, listener: (payload: StreamPayload<S>) => void): () => void {
    const spec = streams[stream];
    if (!spec) throw new BerthError('not_found', `unknown stream '${String(stream)}'`);
    const parsed = spec.params.safeParse(rawParams ?? {});
    if (!parsed.success) throw new BerthError('bad_request', describeIssues(parsed.error));
    // One stream today; a switch keeps the next one honest.
    switch (stream) {
      case 'logs':
        return this.deps.hub.subscribe(parsed.data.jobId, listener as (p: StreamPayload<'logs'>) => void);
      default:
        throw new BerthError('not_found', `unknown stream '${String(stream)}'`);
    }
  }
}
