/**
 * The facade both adapters (Electron IPC, HTTP/WebSocket) call: validates untrusted input with the
 * contract's schemas, then dispatches to the handlers of each area (handlers/), composed here.
 */
import {
  describeIssues,
  downloads,
  requests,
  streams,
  type BerthHandlers,
  type DownloadBody,
  type DownloadHandlers,
  type RequestOutput,
  type StreamName,
  type StreamPayload,
} from '../../shared/contract';
import { BerthError } from '../../shared/errors';
import type { DownloadName, RequestName } from '../../shared/operations';
import type { EventBus, EventListener } from './event-bus';
import type { JsonHandlers } from './handlers/handler-types';
import type { LiveHub } from './logs/live-hub';
import type { LogSourceRepository } from './store/log-source-repository';

export interface ServiceDeps {
  handlers: BerthHandlers;
  downloads: DownloadHandlers;
  /** Requests that can answer with serialized JSON (see JsonHandlers). */
  json?: JsonHandlers;
  sources: LogSourceRepository;
  hub: LiveHub;
  bus: EventBus;
}

export class BerthService {
  constructor(private readonly deps: ServiceDeps) {}

  get handlers(): BerthHandlers {
    return this.deps.handlers;
  }

  /** Validates `rawInput` against the contract and runs the request. */
  async call<N extends RequestName>(name: N, rawInput: unknown): Promise<RequestOutput<N>> {
    const spec = requests[name];
    if (!spec) throw new BerthError('not_found', `unknown request '${String(name)}'`);
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw new BerthError('bad_request', describeIssues(parsed.error));
    const handler = this.deps.handlers[name] as (input: unknown) => Promise<RequestOutput<N>>;
    return handler(parsed.data);
  }

  /**
   * The request's answer as JSON text or UTF-8 bytes, for a transport that sends JSON: requests
   * with a JSON handler are serialized where they are read (off the main thread).
   */
  async callJson<N extends RequestName>(name: N, rawInput: unknown): Promise<string | Uint8Array> {
    const spec = requests[name];
    if (!spec) throw new BerthError('not_found', `unknown request '${String(name)}'`);
    const json = this.deps.json?.[name] as ((input: unknown) => Promise<string | Uint8Array>) | undefined;
    if (!json) return JSON.stringify(await this.call(name, rawInput));
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw new BerthError('bad_request', describeIssues(parsed.error));
    return json(parsed.data);
  }

  /**
   * Validates and starts a streamed answer (an export). Its first chunk is read before this
   * resolves, so a request that cannot be answered (a search syntax error, an ambiguous
   * container) fails here, before an adapter has sent headers or opened a file.
   */
  async download<N extends DownloadName>(name: N, rawInput: unknown): Promise<DownloadBody> {
    const spec = downloads[name];
    if (!spec) throw new BerthError('not_found', `unknown download '${String(name)}'`);
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw new BerthError('bad_request', describeIssues(parsed.error));
    const handler = this.deps.downloads[name] as (input: unknown) => Promise<DownloadBody>;
    const download = await handler(parsed.data);
    const iterator = download.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    return { ...download, body: resumed(first, iterator) };
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
      case 'logs': {
        const { jobId, containerId } = parsed.data;
        const source = this.logSource(jobId, containerId);
        return this.deps.hub.subscribe(
          source.id,
          { jobId: source.jobId, containerId: source.containerId },
          listener as (p: StreamPayload<'logs'>) => void,
        );
      }
      default:
        throw new BerthError('not_found', `unknown stream '${String(stream)}'`);
    }
  }

  private logSource(jobId: number | undefined, containerId: string | undefined) {
    if (jobId !== undefined) {
      const source = this.deps.sources.ofJob(jobId);
      if (!source) throw new BerthError('not_found', `job ${jobId} does not exist`);
      return source;
    }
    const found = this.deps.sources.findByContainer(containerId!);
    if (found === 'ambiguous') throw new BerthError('bad_request', `containerId: '${containerId}' matches more than one container; give more of it`);
    if (!found) throw new BerthError('not_found', `no logs are kept for container '${containerId}' (attach it first)`);
    return found;
  }
}

/** The chunks of an iterator whose first result was already taken. */
function resumed<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let pending: IteratorResult<T> | null = first;
      return {
        next: () => {
          if (pending) {
            const result = pending;
            pending = null;
            return Promise.resolve(result);
          }
          return rest.next();
        },
        return: async (value?: unknown) => (await rest.return?.(value)) ?? { done: true, value: undefined as T },
      };
    },
  };
}
