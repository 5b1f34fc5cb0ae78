/**
 * The queue: pending jobs (rows with status `pending`, so it survives restarts) start when a host
 * has a free slot. A job asking for a host waits for that host; one asking for none goes to the
 * least busy host that is up. A host that is down, disabled or full holds its jobs: they wait,
 * in order, and are never failed for it. Retries wait for their backoff (`notBefore`).
 *
 * Dispatch runs after anything that can free a slot or add work: a job queued or finished, a
 * host's status or limit changed (and every host check), a backoff ended.
 *
 *   pending, no host ─ its host (or the least busy up host) has a free slot, backoff over ─▶ runner.start(job, host)
 *   pending, host set ─ placed by an earlier run that stopped before its container ran ─▶ the reconciler's
 *
 * Order: the store's queue order (submission order; retries by the end of their backoff), per
 * host; a job that cannot start now does not block the ones behind it that can go elsewhere.
 */
import type { Host, Job } from '../../../../shared/model';
import { finishedStatuses } from '../../../../shared/model';
import type { HostRegistry } from '../../docker/host-registry';
import type { EventBus } from '../../event-bus';
import type { JobRepository } from '../../store/job-repository';
import type { JobRunner } from '../job-runner';

export interface JobQueueDeps {
  jobs: JobRepository;
  hosts: HostRegistry;
  runner: JobRunner;
  bus: EventBus;
}

export class JobQueue {
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: JobQueueDeps) {
    this.unsubscribe = deps.bus.on((name, payload) => {
      if (name === 'host.updated') this.wake();
      else if (name === 'job.updated' && finishedStatuses.has((payload as { status: Job['status'] }).status)) this.wake();
    });
  }

  /** Looks for work to start, soon (several wakes in one turn make one dispatch). */
  wake(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Free slots per host that can take jobs now (up and enabled). */
  private freeSlots(): Map<number, { host: Host; free: number }> {
    const free = new Map<number, { host: Host; free: number }>();
    for (const host of this.deps.hosts.list()) {
      if (!host.enabled || host.status.state !== 'up') continue;
      // Jobs recorded as running (`host.running`) that this runner does not follow (yet) hold their
      // slot too: after a restart, those the reconciler has not taken over because their host was away.
      const busy = Math.max(this.deps.runner.activeOn(host.id), host.running);
      free.set(host.id, { host, free: Math.max(0, host.slots - busy) });
    }
    return free;
  }

  private dispatch(): void {
    if (this.closed) return;
    const now = Date.now();
    const slots = this.freeSlots();
    let free = [...slots.values()].reduce((n, s) => n + s.free, 0);
    let nextBackoff = Infinity;
    for (const job of this.deps.jobs.queue()) {
      // A job placed on a host is the runner's (or, after a restart, the reconciler's), not the queue's.
      if (job.hostId !== null || this.deps.runner.isActive(job.id)) continue;
      if (job.notBefore !== null && job.notBefore > now) {
        nextBackoff = Math.min(nextBackoff, job.notBefore);
        continue;
      }
      // Every slot taken: nothing more can start, only a backoff's end needs a timer.
      if (free === 0) continue;
      const target = job.wantHostId !== null ? slots.get(job.wantHostId) : leastBusy(slots);
      if (!target || target.free === 0) continue;
      const stored = this.deps.jobs.get(job.id);
      if (stored?.status !== 'pending' || stored.hostId !== null) continue;
      target.free -= 1;
      free -= 1;
      this.deps.runner.start(stored, target.host.id);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (nextBackoff !== Infinity) {
      this.timer = setTimeout(() => this.wake(), Math.max(0, nextBackoff - Date.now()) + 5);
      this.timer.unref();
    }
  }
}

/** The up host with the most free slots (ties: the fewest running, then the lowest id). */
function leastBusy(slots: Map<number, { host: Host; free: number }>): { host: Host; free: number } | undefined {
  let best: { host: Host; free: number } | undefined;
  for (const entry of slots.values()) {
    if (entry.free === 0) continue;
    if (!best || entry.free > best.free) best = entry;
  }
  return best;
}
