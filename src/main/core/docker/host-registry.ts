/**
 * Knows every Docker host, keeps one dockerode client per host and each host's status, refreshed
 * on a timer and on demand. Status changes are recorded in `host_status` and announced on the bus.
 */
import Docker from 'dockerode';
import type { ParsedInput } from '../../../shared/contract';
import { BerthError } from '../../../shared/errors';
import type { Host, HostStatus } from '../../../shared/model';
import type { EventBus } from '../event-bus';
import type { HostRecord, HostRepository } from '../store/host-repository';
import { dockerOptions, formatAddress, localAddress, parseAddress } from './docker-connection';

export interface HostRegistryOptions {
  refreshIntervalMs?: number;
  checkTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const unknownStatus: HostStatus = {
  state: 'unknown',
  version: null,
  apiVersion: null,
  os: null,
  arch: null,
  error: null,
  checkedAt: null,
  latencyMs: null,
  cpus: null,
  memoryBytes: null,
};

export class HostRegistry {
  private readonly statuses = new Map<number, HostStatus>();
  private readonly clients = new Map<number, Docker>();
  private readonly inflight = new Map<number, Promise<Host>>();
  private timer: NodeJS.Timeout | null = null;
  private readonly refreshIntervalMs: number;
  private readonly checkTimeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly repo: HostRepository,
    private readonly bus: EventBus,
    options: HostRegistryOptions = {},
  ) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 15_000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 5_000;
    this.env = options.env ?? process.env;
  }

  /** Checks every host now and then every `refreshIntervalMs`. */
  start(): void {
    if (this.timer) return;
    const tick = () => void this.refreshAll();
    tick();
    this.timer = setInterval(tick, this.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  list(): Host[] {
    return this.repo.list().map((r) => this.toHost(r));
  }

  get(id: number): Host {
    return this.toHost(this.record(id));
  }

  defaultHost(): HostRecord {
    const host = this.repo.list().find((h) => h.isDefault);
    if (!host) throw new BerthError('internal', 'the store has no default host');
    return host;
  }

  record(id: number): HostRecord {
    const host = this.repo.get(id);
    if (!host) throw new BerthError('not_found', `host ${id} does not exist`);
    return host;
  }

  /** The dockerode client for a host, made on first use. */
  client(id: number): Docker {
    let docker = this.clients.get(id);
    if (!docker) {
      const host = this.record(id);
      try {
        docker = new Docker(dockerOptions(host, this.env));
      } catch (err) {
        throw new BerthError('unavailable', `cannot set up a connection to host '${host.name}': ${(err as Error).message}`);
      }
      this.clients.set(id, docker);
    }
    return docker;
  }

  async add(input: ParsedInput<'hosts.add'>): Promise<Host> {
    let address: string;
    try {
      address = formatAddress(parseAddress(input.kind, input.address));
    } catch (err) {
      throw new BerthError('bad_request', `address: ${(err as Error).message}`);
    }
    if (input.tls && input.kind !== 'tcp') throw new BerthError('bad_request', 'tls: only TCP hosts use TLS files');
    if (this.repo.findByName(input.name)) throw new BerthError('conflict', `a host named '${input.name}' already exists`);
    const record = this.repo.insert({ name: input.name, kind: input.kind, address, tls: input.tls ?? null }, Date.now());
    return this.refresh(record.id);
  }

  /** Changes what can be changed of a host; answers the host as it is now. */
  update(id: number, patch: { attachAll?: boolean }): Host {
    this.record(id);
    if (patch.attachAll !== undefined) this.repo.setAttachAll(id, patch.attachAll);
    const host = this.get(id);
    this.bus.emit('host.updated', host);
    return host;
  }

  /** Tests the connection now. Concurrent calls for one host share one check. */
  refresh(id: number): Promise<Host> {
    const running = this.inflight.get(id);
    if (running) return running;
    const check = this.check(this.record(id)).finally(() => this.inflight.delete(id));
    this.inflight.set(id, check);
    return check;
  }

  private async refreshAll(): Promise<void> {
    await Promise.all(this.repo.list().filter((h) => h.enabled).map((h) => this.refresh(h.id).catch(() => undefined)));
  }

  private async check(host: HostRecord): Promise<Host> {
    const started = performance.now();
    let status: HostStatus;
    try {
      const docker = this.client(host.id);
      const signal = AbortSignal.timeout(this.checkTimeoutMs);
      // dockerode takes an abortSignal here; its type definitions have not caught up.
      const api = docker as unknown as {
        ping(opts: { abortSignal: AbortSignal }): Promise<unknown>;
        version(opts: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
        info(opts: { abortSignal: AbortSignal }): Promise<{ NCPU?: number; MemTotal?: number }>;
      };
      await api.ping({ abortSignal: signal });
      const latencyMs = Math.round(performance.now() - started);
      const [v, info] = await Promise.all([api.version({ abortSignal: signal }), api.info({ abortSignal: signal })]);
      status = {
        state: 'up',
        version: v.Version ?? null,
        apiVersion: v.ApiVersion ?? null,
        os: v.Os ?? null,
        arch: v.Arch ?? null,
        error: null,
        checkedAt: Date.now(),
        latencyMs,
        cpus: typeof info.NCPU === 'number' ? info.NCPU : null,
        memoryBytes: typeof info.MemTotal === 'number' ? info.MemTotal : null,
      };
    } catch (err) {
      status = { ...unknownStatus, state: 'down', error: describeConnectionError(err, this.addressOf(host)), checkedAt: Date.now() };
    }
    const previous = this.statuses.get(host.id);
    this.statuses.set(host.id, status);
    const result = this.toHost(host);
    if (!previous || previous.state !== status.state || previous.version !== status.version || previous.error !== status.error) {
      this.repo.recordStatus(host.id, status);
    }
    this.bus.emit('host.updated', result);
    return result;
  }

  private addressOf(host: HostRecord): string {
    return host.kind === 'local' ? localAddress(this.env) : host.address;
  }

  private toHost(r: HostRecord): Host {
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      address: this.addressOf(r),
      tls: r.tls !== null,
      isDefault: r.isDefault,
      attachAll: r.attachAll,
      enabled: r.enabled,
      concurrency: r.concurrency,
      slots: r.concurrency ?? this.statuses.get(r.id)?.cpus ?? 1,
      running: 0,
      queued: 0,
      status: this.statuses.get(r.id) ?? unknownStatus,
    };
  }
}

/** A failure to reach the engine at all (as opposed to the engine refusing a request). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown } | null;
  return (
    (typeof e?.code === 'string' && (/^E[A-Z_]+$/.test(e.code) || e.code === 'ABORT_ERR')) ||
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError'
  );
}

/** Turns socket errors into a sentence a person can act on, keeping the system's own words. */
export function describeConnectionError(err: unknown, address: string): string {
  const e = err as NodeJS.ErrnoException & { reason?: string; statusCode?: number };
  const why = e?.message ?? String(err);
  switch (e?.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return `Docker is not running or not listening at ${address} (${e.code})`;
    case 'EACCES':
      return `permission denied on ${address}: add your user to the docker group (${e.code})`;
    case 'ETIMEDOUT':
    case 'ABORT_ERR':
      return `no answer from ${address} in time`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name of ${address} (${e.code})`;
  }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer from ${address} in time`;
  return `${address}: ${why}`;
}
