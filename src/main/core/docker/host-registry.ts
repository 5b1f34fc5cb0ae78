/**
 * Knows every Docker host, keeps one dockerode client per host and each host's status, refreshed
 * on a timer and on demand. Status changes are recorded in `host_status` and announced on the bus.
 *
 * A host's life: added (or imported from a Docker context) → checked every `refreshIntervalMs`
 * while enabled → disabled (not checked, given no jobs; its queued jobs wait) or removed. Removal
 * is a soft delete, refused for the default host and while jobs run or wait there, so no job
 * ever points at a host that is gone; a removed host is "not found" everywhere after.
 */
import Docker from 'dockerode';
import type { ParsedInput } from '../../../shared/contract';
import { BerthError } from '../../../shared/errors';
import type { DockerContext, Host, HostStatus, HostStatusChange } from '../../../shared/model';
import type { EventBus } from '../event-bus';
import type { HostRecord, HostRepository } from '../store/host-repository';
import type { JobRepository } from '../store/job-repository';
import { closeDocker, dockerOptions, formatAddress, localAddress, parseAddress } from './docker-connection';
import { readDockerContexts, type StoredDockerContext } from './docker-contexts';

export interface HostRegistryOptions {
  refreshIntervalMs?: number;
  checkTimeoutMs?: number;
  /** DOCKER_HOST, DOCKER_CONFIG (for contexts), SSH_AUTH_SOCK, HOME. */
  env?: NodeJS.ProcessEnv;
  /** Where the running and waiting jobs per host are counted; without it both read 0. */
  jobs?: Pick<JobRepository, 'runningByHost' | 'waitingByHost'>;
}

type NewHost = ParsedInput<'hosts.add'>;

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
  private readonly jobs: HostRegistryOptions['jobs'];

  constructor(
    private readonly repo: HostRepository,
    private readonly bus: EventBus,
    options: HostRegistryOptions = {},
  ) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 15_000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 5_000;
    this.env = options.env ?? process.env;
    this.jobs = options.jobs;
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
    // Kept in the map, closed: requests during shutdown fail rather than reconnect.
    for (const docker of this.clients.values()) closeDocker(docker);
  }

  list(): Host[] {
    const counts = this.jobCounts();
    return this.repo.list().map((r) => this.toHost(r, counts));
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

  async add(input: NewHost): Promise<Host> {
    let address: string;
    try {
      address = formatAddress(parseAddress(input.kind, input.address));
    } catch (err) {
      throw new BerthError('bad_request', `address: ${(err as Error).message}`);
    }
    if (input.tls && input.kind !== 'tcp') throw new BerthError('bad_request', 'tls: only TCP hosts use TLS files');
    this.assertNameFree(input.name);
    const record = this.repo.insert({ name: input.name, kind: input.kind, address, tls: input.tls ?? null }, Date.now());
    return this.refresh(record.id);
  }

  /**
   * Changes what can be changed of a host; answers the host as it is now. The `host.updated` it
   * emits makes the queue look again (a new limit, or a host enabled, may free slots).
   */
  update(id: number, patch: { name?: string; concurrency?: number | null; enabled?: boolean; attachAll?: boolean }): Host {
    const before = this.record(id);
    if (patch.name !== undefined && patch.name !== before.name) this.assertNameFree(patch.name, id);
    this.repo.patch(id, { name: patch.name, concurrency: patch.concurrency, enabled: patch.enabled });
    if (patch.attachAll !== undefined) this.repo.setAttachAll(id, patch.attachAll);
    const host = this.get(id);
    this.bus.emit('host.updated', host);
    // Enabled again: check it now rather than at the next tick, so its queue moves.
    if (patch.enabled === true && !before.enabled) void this.refresh(id).catch(() => undefined);
    return host;
  }

  /** Soft-deletes a host; its finished jobs keep their history. */
  remove(id: number): { message: string; id: number } {
    const host = this.record(id);
    if (host.isDefault) throw new BerthError('conflict', `host '${host.name}' is the default (local) host and cannot be removed; disable it instead`);
    const { running, queued } = this.toHost(host);
    if (running > 0 || queued > 0) {
      throw new BerthError(
        'conflict',
        `host '${host.name}' has ${running} running and ${queued} pending job(s): cancel them or wait for them to finish, then remove it`,
      );
    }
    this.repo.remove(id, Date.now());
    this.statuses.delete(id);
    const docker = this.clients.get(id);
    if (docker) closeDocker(docker);
    this.clients.delete(id);
    this.bus.emit('host.removed', { id });
    return { message: `host '${host.name}' removed`, id };
  }

  /** Tests several hosts at once; each answers on its own (a missing host is an error, not a throw). */
  test(ids: number[]): Promise<{ id: number; host: Host | null; error: string | null }[]> {
    return Promise.all(
      ids.map((id) =>
        // refresh() throws at once for a host that does not exist; that too is one answer.
        Promise.resolve(id)
          .then((hostId) => this.refresh(hostId))
          .then(
            (host) => ({ id, host, error: null }),
            (err: unknown) => ({ id, host: null, error: (err as Error).message }),
          ),
      ),
    );
  }

  /** A host's recorded state changes, newest first. */
  history(id: number, limit: number): { count: number; changes: HostStatusChange[] } {
    this.record(id);
    const changes = this.repo.history(id, limit);
    return { count: changes.length, changes };
  }

  /** The Docker CLI's contexts, each marked with the live host already using its endpoint. */
  contexts(): DockerContext[] {
    const hosts = this.repo.list();
    return readDockerContexts(this.env).map((c) => ({
      name: c.name,
      description: c.description,
      endpoint: c.endpoint,
      tls: c.tls !== null,
      importedAs: hosts.find((h) => sameEndpoint(this.addressOf(h), c.endpoint))?.name ?? null,
    }));
  }

  /** Adds a host per context name; each answers on its own. */
  async import(names: string[]): Promise<{ name: string; host: Host | null; error: string | null }[]> {
    const found = new Map(readDockerContexts(this.env).map((c) => [c.name, c] as const));
    const results: { name: string; host: Host | null; error: string | null }[] = [];
    // One after the other: two contexts may want the same host name.
    for (const name of names) {
      const context = found.get(name);
      try {
        if (!context) throw new BerthError('not_found', `no Docker context named '${name}'`);
        results.push({ name, host: await this.add(hostFromContext(context)), error: null });
      } catch (err) {
        results.push({ name, host: null, error: (err as Error).message });
      }
    }
    return results;
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

  private assertNameFree(name: string, exceptId?: number): void {
    const other = this.repo.findByName(name);
    if (other && other.id !== exceptId) throw new BerthError('conflict', `a host named '${name}' already exists`);
  }

  /** Running jobs per host (status running there) and pending jobs that asked for each host. */
  private jobCounts(): { running: Map<number, number>; queued: Map<number, number> } {
    const queued = new Map<number, number>();
    if (!this.jobs) return { running: new Map(), queued };
    for (const [hostId, { depth }] of this.jobs.waitingByHost()) if (hostId !== null) queued.set(hostId, depth);
    return { running: this.jobs.runningByHost(), queued };
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
    // Removed while the check ran: nothing to record or announce.
    const current = this.repo.get(host.id);
    if (!current) throw new BerthError('not_found', `host ${host.id} does not exist`);
    const previous = this.statuses.get(host.id);
    this.statuses.set(host.id, status);
    const result = this.toHost(current);
    if (!previous || previous.state !== status.state || previous.version !== status.version || previous.error !== status.error) {
      this.repo.recordStatus(host.id, status);
    }
    this.bus.emit('host.updated', result);
    return result;
  }

  private addressOf(host: HostRecord): string {
    return host.kind === 'local' ? localAddress(this.env) : host.address;
  }

  private toHost(r: HostRecord, counts = this.jobCounts()): Host {
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
      running: counts.running.get(r.id) ?? 0,
      queued: counts.queued.get(r.id) ?? 0,
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

/** The `hosts.add` input for a Docker context's endpoint. */
export function hostFromContext(c: StoredDockerContext): NewHost {
  const url = c.endpoint;
  if (/^(unix|npipe):\/\//.test(url)) return { name: c.name, kind: 'socket', address: url };
  if (/^ssh:\/\//.test(url)) return { name: c.name, kind: 'ssh', address: url };
  if (/^tcp:\/\//.test(url)) {
    if (c.tlsIncomplete) throw new BerthError('bad_request', `context '${c.name}': Berth needs all of ca.pem, cert.pem and key.pem for TLS`);
    if (c.skipTlsVerify) throw new BerthError('bad_request', `context '${c.name}' skips TLS verification, which Berth does not do`);
    return { name: c.name, kind: 'tcp', address: url, ...(c.tls ? { tls: c.tls } : {}) };
  }
  throw new BerthError('bad_request', `context '${c.name}': endpoint '${url}' is not a unix://, tcp:// or ssh:// address`);
}

/** Whether two DOCKER_HOST-style addresses name the same endpoint ("unix:///x" and "/x" do; "ssh://h" and "ssh://h:22" do). */
function sameEndpoint(a: string, b: string): boolean {
  return canonicalEndpoint(a) === canonicalEndpoint(b);
}

function canonicalEndpoint(url: string): string {
  const u = url.trim();
  try {
    if (/^ssh:\/\//i.test(u)) return formatAddress(parseAddress('ssh', u));
    if (/^(tcp|https?):\/\//i.test(u)) return formatAddress(parseAddress('tcp', u));
  } catch {
    // Not parseable: compared as written.
  }
  return u.replace(/^(unix|npipe):\/\//, '');
}
