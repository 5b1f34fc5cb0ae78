/**
 * After a start, settles the jobs an earlier run of Berth left pending or running, by asking
 * each one's engine what became of its container:
 *
 *   no container, never created        ─▶ back in the queue (it waits for a free slot like any pending job)
 *   created, never started             ─▶ attach and start it
 *   running                            ─▶ follow it again from its last stored line
 *   exited while Berth was away        ─▶ read what it printed since, record its exit code and times
 *   removed                            ─▶ failed, saying so
 *   engine unreachable                 ─▶ try again later (the job keeps its status meanwhile)
 *
 * Each decision is written to the job's log with source `manager`.
 */
import type Docker from 'dockerode';
import type { StoredJob as Job } from '../store/job-repository';
import { describeConnectionError, isConnectionError, type HostRegistry } from '../docker/host-registry';
import type { EventBus } from '../event-bus';
import type { LogIngest } from '../logs/log-ingest';
import type { JobRepository } from '../store/job-repository';
import type { LogSourceRepository } from '../store/log-source-repository';
import { jobLabels, type JobRunner } from './job-runner';

export interface JobReconcilerDeps {
  jobs: JobRepository;
  sources: LogSourceRepository;
  hosts: HostRegistry;
  runner: JobRunner;
  ingest: LogIngest;
  bus: EventBus;
  instanceId: string;
  /** A job went back to the queue. */
  onRequeued?: () => void;
}

const retryMs = [2000, 5000, 15_000, 30_000];

export class JobReconciler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: JobReconcilerDeps) {}

  /** Looks at every unfinished job once now; jobs on unreachable hosts are tried again later. */
  async reconcile(): Promise<void> {
    // A pending job that never got a host has nothing on any engine: the queue starts it.
    const placed = this.deps.jobs.unfinished().filter((job) => job.hostId !== null);
    await Promise.all(placed.map((job) => this.settle(job, 0)));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async settle(job: Job, attempt: number): Promise<void> {
    if (this.closed) return;
    const sourceId = this.deps.sources.ofJob(job.id)?.id ?? null;
    const say = (message: string, level: 'info' | 'warn' | 'error' = 'info') => this.deps.ingest.system(sourceId, message, level, 'manager');
    let container: Docker.Container | null;
    let info: Docker.ContainerInspectInfo | null;
    try {
      ({ container, info } = await this.find(job));
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      const why = describeConnectionError(err, this.deps.hosts.get(job.hostId!).address);
      if (attempt === 0) say(`Berth restarted and cannot reach this job's host yet (${why}); it will look again`, 'warn');
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.settle(this.deps.jobs.get(job.id) ?? job, attempt + 1);
      }, retryMs[Math.min(attempt, retryMs.length - 1)]);
      timer.unref();
      this.timers.add(timer);
      return;
    }

    if (!container || !info) {
      if (job.status === 'pending' && !job.containerId) {
        // Nothing ran: the queue places it again (the host it asked for, or the least busy one),
        // so a restart neither loses it nor starts it past a host's limit.
        say('Berth restarted before this job had a container: it waits in the queue again');
        const queued = this.deps.jobs.update(job.id, { hostId: null });
        this.deps.bus.emit('job.updated', queued);
        this.deps.onRequeued?.();
        return;
      }
      const id = job.containerId ? ` ${job.containerId.slice(0, 12)}` : '';
      const reason = `its container${id} was removed while Berth was not running`;
      say(`Berth restarted and found that ${reason}`, 'error');
      await this.deps.ingest.settle(sourceId, true);
      const failed = this.deps.jobs.update(job.id, { status: 'failed', error: reason, finishedAt: Date.now() });
      this.deps.bus.emit('job.updated', failed);
      return;
    }

    if (!job.containerId) {
      this.deps.jobs.update(job.id, { containerId: info.Id });
      if (sourceId !== null) this.deps.sources.setContainer(sourceId, info.Id, info.Name.replace(/^\//, ''));
    }
    const state = info.State?.Status;
    if (state === 'created') {
      say('Berth restarted before this job\'s container started: starting it now');
      this.deps.runner.adopt(job, { phase: 'start', container });
    } else if (info.State?.Running || state === 'restarting' || state === 'paused') {
      say('Berth restarted: following the container again from the last stored line');
      this.deps.runner.adopt(job, { phase: 'watch', container });
    } else {
      say(`Berth restarted: the container exited while Berth was not running (code ${info.State?.ExitCode}); reading the rest of its output`);
      this.deps.runner.adopt(job, { phase: 'watch', container });
    }
  }

  /** The job's container by its recorded id, else by its labels (Berth may have stopped before recording the id). */
  private async find(job: Job): Promise<{ container: Docker.Container | null; info: Docker.ContainerInspectInfo | null }> {
    const docker = this.deps.hosts.client(job.hostId!);
    const signal = { abortSignal: AbortSignal.timeout(10_000) } as object;
    let id = job.containerId;
    if (!id) {
      const found = await docker.listContainers({
        all: true,
        filters: { label: [`${jobLabels.job}=${job.id}`, `${jobLabels.instance}=${this.deps.instanceId}`] },
        ...signal,
      });
      id = found[0]?.Id ?? null;
    }
    if (!id) return { container: null, info: null };
    const container = docker.getContainer(id);
    try {
      return { container, info: await container.inspect(signal) };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { container: null, info: null };
      throw err;
    }
  }
}
