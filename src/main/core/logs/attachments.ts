/**
 * Containers whose logs Berth follows although it did not start them (the reference log API's
 * attach). Each is a log source with an attach reason; the list lives in the store, so it
 * survives restarts.
 *
 *   attach (api | label berth.attach=true | host attaches all) ─▶ following ─ container stops ─▶ waiting
 *   waiting ─ the container starts again (event, or found running after a reconnect) ─▶ following
 *   following/waiting ─ container removed ─▶ gone (automatic attachments are dropped then)
 *   detach ─▶ no longer followed; stored lines stay
 *
 * Every read resumes from the last stored line (see ContainerFollower), so a restart of the
 * container, of dockerd or of Berth loses nothing and stores nothing twice. The first read of a
 * newly attached container starts at its first line.
 */
import type Docker from 'dockerode';
import type { ParsedInput } from '../../../shared/contract';
import { BerthError } from '../../../shared/errors';
import type { Attachment, ContainerSummary } from '../../../shared/model';
import type { ContainerEvent } from '../docker/docker-events';
import { describeConnectionError, isConnectionError, type HostRegistry } from '../docker/host-registry';
import type { EventBus } from '../event-bus';
import { jobLabels } from '../jobs/job-runner';
import type { AttachmentRecord, LogSourceRepository } from '../store/log-source-repository';
import { ContainerFollower } from './container-follower';
import type { LogIngest } from './log-ingest';

export const attachLabel = 'berth.attach';

export interface AttachmentsDeps {
  sources: LogSourceRepository;
  hosts: HostRegistry;
  ingest: LogIngest;
  bus: EventBus;
  instanceId: string;
}

interface Watch {
  sourceId: number;
  follower: ContainerFollower | null;
  /** The container started again while the current read was finishing: read again after it. */
  again: boolean;
}

export class Attachments {
  private readonly watches = new Map<number, Watch>();
  private closed = false;

  constructor(private readonly deps: AttachmentsDeps) {}

  list(hostId?: number): Attachment[] {
    return this.deps.sources.attachments(hostId).map(toAttachment);
  }

  async attach(input: ParsedInput<'logs.attach'>, reason: Attachment['reason'] = 'api'): Promise<{ message: string; containerId: string; serviceName: string }> {
    const hostId = input.hostId ?? this.deps.hosts.defaultHost().id;
    const info = await this.inspect(hostId, input.containerId);
    if (info.Config?.Labels?.[jobLabels.instance] === this.deps.instanceId) {
      throw new BerthError('conflict', `container ${info.Id.slice(0, 12)} is one of Berth's own jobs; its logs are already kept`);
    }
    const name = info.Name.replace(/^\//, '');
    const serviceName = input.serviceName ?? name;
    const sourceId = this.deps.sources.attach(hostId, info.Id, name, reason, { id: input.serviceId ?? null, name: serviceName }, Date.now());
    this.deps.ingest.system(sourceId, `Attached to container ${name} (${info.Id.slice(0, 12)})${reason === 'api' ? '' : ` because of its ${reason === 'label' ? `${attachLabel}=true label` : "host's attach-all setting"}`}`, 'info', 'manager');
    this.announce(sourceId);
    this.follow(sourceId, hostId, info.Id);
    return { message: `Attached to container ${name}`, containerId: info.Id, serviceName };
  }

  async detach(input: ParsedInput<'logs.detach'>): Promise<{ message: string; containerId: string }> {
    const hostId = input.hostId ?? this.deps.hosts.defaultHost().id;
    const record = this.findAttached(hostId, input.containerId) ?? this.deps.sources.ofContainer(hostId, (await this.inspect(hostId, input.containerId)).Id);
    if (!record || !this.deps.sources.attachment(record.id)) {
      throw new BerthError('not_found', `container '${input.containerId}' is not attached`);
    }
    await this.stopWatch(record.id);
    this.deps.sources.detach(record.id);
    this.deps.ingest.system(record.id, `Detached from container ${record.containerName ?? record.containerId}`, 'info', 'manager');
    this.deps.bus.emit('attachment.removed', { hostId, containerId: record.containerId! });
    return { message: `Detached from container ${record.containerName ?? record.containerId}`, containerId: record.containerId! };
  }

  /** A host's containers with whether they are followed. */
  async containers(hostId: number, all: boolean): Promise<ContainerSummary[]> {
    this.deps.hosts.record(hostId);
    const docker = this.deps.hosts.client(hostId);
    let list: Docker.ContainerInfo[];
    try {
      list = await docker.listContainers({ all, abortSignal: AbortSignal.timeout(10_000) } as Docker.ContainerListOptions);
    } catch (err) {
      throw new BerthError('unavailable', isConnectionError(err) ? describeConnectionError(err, this.deps.hosts.get(hostId).address) : (err as Error).message);
    }
    const attached = new Set(this.deps.sources.attachments(hostId).map((a) => a.containerId));
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? '').replace(/^\//, ''),
      image: c.Image,
      state: c.State,
      status: c.Status,
      createdAt: c.Created * 1000,
      labels: c.Labels ?? {},
      jobId: c.Labels?.[jobLabels.instance] === this.deps.instanceId ? Number(c.Labels[jobLabels.job]) || null : null,
      attached: attached.has(c.Id),
    }));
  }

  /** Follows every attached container again (Berth started). */
  start(): void {
    for (const a of this.deps.sources.attachments()) this.follow(a.id, a.hostId, a.containerId);
  }

  /** The host's events stream (re)connected: compare the store with what runs there. */
  async onHostConnected(hostId: number): Promise<void> {
    if (this.closed) return;
    const host = this.deps.hosts.record(hostId);
    let running: Docker.ContainerInfo[];
    try {
      running = await this.deps.hosts.client(hostId).listContainers({ abortSignal: AbortSignal.timeout(10_000) } as Docker.ContainerListOptions);
    } catch {
      return; // The events stream will reconnect and call again.
    }
    for (const a of this.deps.sources.attachments(hostId)) this.follow(a.id, hostId, a.containerId);
    for (const c of running) {
      const reason = this.autoReason(host.attachAll, c.Labels ?? {});
      if (reason && !this.deps.sources.attachment(this.deps.sources.ofContainer(hostId, c.Id)?.id ?? -1)) {
        await this.attach({ containerId: c.Id, hostId }, reason).catch(() => undefined);
      }
    }
  }

  onContainerEvent(e: ContainerEvent): void {
    if (this.closed) return;
    const record = this.deps.sources.ofContainer(e.hostId, e.containerId);
    const attached = record && this.deps.sources.attachment(record.id);
    if (e.action === 'start') {
      if (attached) this.follow(record.id, e.hostId, e.containerId);
      else {
        const reason = this.autoReason(this.deps.hosts.record(e.hostId).attachAll, e.labels);
        if (reason) void this.attach({ containerId: e.containerId, hostId: e.hostId }, reason).catch(() => undefined);
      }
    } else if (e.action === 'destroy' && attached) {
      void this.gone(record.id, e.hostId, attached);
    }
  }

  /** The host's attach-all setting changed. */
  async setAttachAll(hostId: number, on: boolean): Promise<void> {
    if (on) return this.onHostConnected(hostId);
    for (const a of this.deps.sources.attachments(hostId)) {
      if (a.reason === 'host') await this.detach({ containerId: a.containerId, hostId });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.watches.keys()].map((id) => this.stopWatch(id)));
  }

  private autoReason(attachAll: boolean, labels: Record<string, string>): Attachment['reason'] | null {
    // Berth's own jobs (of any Berth) are followed as jobs.
    if (labels[jobLabels.job] !== undefined) return null;
    if (labels[attachLabel] === 'true') return 'label';
    return attachAll ? 'host' : null;
  }

  /** Starts reading a container's output unless it is being read already. */
  private follow(sourceId: number, hostId: number, containerId: string): void {
    if (this.closed) return;
    const existing = this.watches.get(sourceId);
    if (existing?.follower) {
      existing.again = true;
      return;
    }
    const watch: Watch = existing ?? { sourceId, follower: null, again: false };
    watch.again = false;
    this.watches.set(sourceId, watch);
    void (async () => {
      const container = this.deps.hosts.client(hostId).getContainer(containerId);
      let tty = false;
      try {
        tty = Boolean((await container.inspect({ abortSignal: AbortSignal.timeout(10_000) } as object)).Config?.Tty);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) {
          const record = this.deps.sources.attachment(sourceId);
          if (record) await this.gone(sourceId, hostId, record);
          return;
        }
        // Unreachable: the host's events stream calls follow again when it is back.
        this.setState(sourceId, 'waiting', describeConnectionError(err, this.deps.hosts.get(hostId).address));
        this.watches.delete(sourceId);
        return;
      }
      if (this.watches.get(sourceId) !== watch || watch.follower) return;
      const follower = new ContainerFollower(this.deps.ingest, container, sourceId, {
        tty,
        onState: (state, error) => this.setState(sourceId, state, error),
        onNote: (message) => this.deps.ingest.system(sourceId, message, 'warn', 'manager'),
      });
      watch.follower = follower;
      follower.resume();
      const end = await follower.done;
      if (watch.follower === follower) watch.follower = null;
      if (end.reason === 'stopped') return;
      if (end.reason === 'gone') {
        const record = this.deps.sources.attachment(sourceId);
        if (record) await this.gone(sourceId, hostId, record);
        return;
      }
      this.setState(sourceId, 'waiting', null);
      if (watch.again && this.watches.get(sourceId) === watch) this.follow(sourceId, hostId, containerId);
    })().catch((err: unknown) => this.setState(sourceId, 'waiting', (err as Error).message));
  }

  private async gone(sourceId: number, hostId: number, record: AttachmentRecord): Promise<void> {
    await this.stopWatch(sourceId);
    if (record.reason === 'api') {
      this.setState(sourceId, 'gone', null);
      return;
    }
    // Automatic attachments come back by themselves if a container like it starts again.
    this.deps.sources.detach(sourceId);
    this.deps.bus.emit('attachment.removed', { hostId, containerId: record.containerId });
  }

  private async stopWatch(sourceId: number): Promise<void> {
    const watch = this.watches.get(sourceId);
    this.watches.delete(sourceId);
    if (!watch?.follower) return;
    watch.follower.stop();
    await watch.follower.done;
  }

  private setState(sourceId: number, state: Attachment['state'], error: string | null): void {
    const before = this.deps.sources.attachment(sourceId);
    if (!before || (before.state === state && before.error === error)) return;
    this.deps.sources.setState(sourceId, state, error);
    this.announce(sourceId);
  }

  private announce(sourceId: number): void {
    const record = this.deps.sources.attachment(sourceId);
    if (record) this.deps.bus.emit('attachment.updated', toAttachment(record));
  }

  private findAttached(hostId: number, ref: string): AttachmentRecord | undefined {
    const lower = ref.toLowerCase();
    return this.deps.sources
      .attachments(hostId)
      .find((a) => a.containerId === lower || (lower.length >= 12 && a.containerId.startsWith(lower)) || a.containerName === ref);
  }

  private async inspect(hostId: number, ref: string): Promise<Docker.ContainerInspectInfo> {
    try {
      return await this.deps.hosts.client(hostId).getContainer(ref).inspect({ abortSignal: AbortSignal.timeout(10_000) } as object);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404) throw new BerthError('not_found', `no container '${ref}' on host ${this.deps.hosts.get(hostId).name}`);
      if (isConnectionError(err)) throw new BerthError('unavailable', describeConnectionError(err, this.deps.hosts.get(hostId).address));
      throw new BerthError('bad_request', `container '${ref}': ${(err as Error).message}`);
    }
  }
}

function toAttachment(a: AttachmentRecord): Attachment {
  return {
    containerId: a.containerId,
    containerName: a.containerName ?? a.containerId.slice(0, 12),
    hostId: a.hostId,
    serviceId: a.serviceId,
    serviceName: a.serviceName ?? a.containerName ?? a.containerId.slice(0, 12),
    reason: a.reason,
    state: a.state,
    error: a.error,
    attachedAt: a.attachedAt,
    logLines: a.lines,
    lastLineAt: a.lastTs,
  };
}
