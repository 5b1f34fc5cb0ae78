/**
 * Runs jobs: a container per job, created from the job's template on the job's host.
 *
 *   pending ─ image present (pulled if not) ─ container created ─ started ─▶ running
 *   running ─ exited 0 ─▶ completed │ exited ≠ 0 ─▶ failed │ cancelled by a person ─▶ cancelled
 *
 * The final status is written only after every line of output is stored and the container is
 * removed, so whoever sees a finished job can read all of its logs.
 */
import type Docker from 'dockerode';
import { BerthError } from '../../../shared/errors';
import { finishedStatuses, type Job, type JobStatus, type LogLevel, type Template } from '../../../shared/model';
import { describeConnectionError, isConnectionError, type HostRegistry } from '../docker/host-registry';
import type { EventBus } from '../event-bus';
import { followContainerLogs, type LogFollower } from '../logs/log-follower';
import type { LogIngest } from '../logs/log-ingest';
import type { JobPatch, JobRepository } from '../store/job-repository';
import type { TemplateRepository } from '../store/template-repository';
import { dockerErrorMessage, ensureImage } from './image-puller';

export interface JobRunnerDeps {
  jobs: JobRepository;
  templates: TemplateRepository;
  hosts: HostRegistry;
  ingest: LogIngest;
  bus: EventBus;
  /** Marks this Berth's containers apart from another data directory's on the same engine. */
  instanceId: string;
}

export interface JobRunnerOptions {
  /** How long a cancelled container gets between SIGTERM and SIGKILL. */
  defaultGraceSeconds?: number;
  /**
   * Longest wait for one Docker request (create, start, inspect, remove): a host that takes the
   * connection and then says nothing fails the job instead of leaving it pending forever.
   * Waiting for the container, following its output and pulling are not bounded.
   */
  requestTimeoutMs?: number;
}

interface Execution {
  jobId: number;
  container: Docker.Container | null;
  started: boolean;
  follower: LogFollower | null;
  cancel: { graceSeconds: number } | null;
  /** Set when Berth shuts down: stop watching, leave the container alone. */
  detached: boolean;
  done: Promise<void>;
}

export const jobLabels = { job: 'berth.job', template: 'berth.template', instance: 'berth.instance' } as const;

export class JobRunner {
  private readonly active = new Map<number, Execution>();
  private readonly defaultGraceSeconds: number;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly deps: JobRunnerDeps,
    options: JobRunnerOptions = {},
  ) {
    this.defaultGraceSeconds = options.defaultGraceSeconds ?? 10;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  /** Options for one bounded Docker request; `extraMs` for requests that wait on purpose (stop). */
  private bounded(extraMs = 0): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.requestTimeoutMs + extraMs) };
  }

  /** Records a pending job and starts it in the background; answers at once. */
  run(templateId: number, hostId?: number): Job {
    const template = this.deps.templates.get(templateId);
    if (!template) throw new BerthError('not_found', `template ${templateId} does not exist`);
    const host = hostId === undefined ? this.deps.hosts.defaultHost() : this.deps.hosts.record(hostId);
    const job = this.deps.jobs.insert(template.id, host.id, Date.now());
    this.deps.bus.emit('job.updated', job);
    const exec: Execution = {
      jobId: job.id,
      container: null,
      started: false,
      follower: null,
      cancel: null,
      detached: false,
      done: Promise.resolve(),
    };
    this.active.set(job.id, exec);
    exec.done = this.execute(exec, template, host.id).finally(() => {
      this.active.delete(job.id);
      this.deps.ingest.forget(job.id);
    });
    return job;
  }

  /** Stops the job's container (SIGTERM, SIGKILL after the grace period) and answers once it is cancelled. */
  async cancel(jobId: number, graceSeconds = this.defaultGraceSeconds): Promise<Job> {
    const job = this.deps.jobs.get(jobId);
    if (!job) throw new BerthError('not_found', `job ${jobId} does not exist`);
    if (finishedStatuses.has(job.status)) throw new BerthError('conflict', `job ${jobId} is already ${job.status}`);
    const exec = this.active.get(jobId);
    if (!exec) return this.cancelOrphan(job, graceSeconds);
    if (!exec.cancel) {
      exec.cancel = { graceSeconds };
      this.system(jobId, `Cancelling: stopping the container, killing it after ${graceSeconds} s`, 'warn');
      if (exec.started && exec.container) await this.stop(exec.container, graceSeconds);
    }
    await exec.done;
    return this.deps.jobs.get(jobId)!;
  }

  /** Stops following logs; containers keep running (they outlive Berth). */
  async close(): Promise<void> {
    for (const exec of this.active.values()) {
      exec.detached = true;
      exec.follower?.stop();
    }
    await Promise.allSettled([...this.active.values()].map((e) => e.done));
  }

  private async execute(exec: Execution, template: Template, hostId: number): Promise<void> {
    const { jobId } = exec;
    let exitCode: number | null = null;
    let error: string | null = null;
    let dockerTimes: { startedAt: number | null; finishedAt: number | null } = { startedAt: null, finishedAt: null };
    let docker: Docker | null = null;
    try {
      docker = this.deps.hosts.client(hostId);
      await ensureImage(docker, template.image, (message, level) => this.system(jobId, message, level), this.bounded());
      if (exec.cancel) return this.finish(exec, 'cancelled');
      // Berth is closing: start nothing new; the job stays pending for the next run to settle.
      if (exec.detached) return;

      const container = await docker.createContainer({ ...this.containerSpec(jobId, template), ...this.bounded() });
      exec.container = container;
      this.update(jobId, { containerId: container.id });
      if (exec.cancel) {
        await this.remove(container);
        return this.finish(exec, 'cancelled');
      }

      await container.start(this.bounded());
      exec.started = true;
      this.update(jobId, { status: 'running', startedAt: Date.now() });
      this.system(jobId, `Started container ${container.id.slice(0, 12)} from ${template.image}`);
      // A cancel that arrived while the start request was in flight.
      const pendingCancel = exec.cancel as Execution['cancel'];
      if (pendingCancel) void this.stop(container, pendingCancel.graceSeconds).catch(() => undefined);

      // Berth closed while the start was in flight: the container runs on without us.
      if (exec.detached) return;

      // The logs API reads the container's log file from its first byte, so following once it
      // has started loses nothing, even if it has already exited.
      exec.follower = followContainerLogs(container, (line) => this.deps.ingest.pushContainerLine(jobId, line));
      // The output ends when the container stops, so wait for it first: when Berth closes, stop()
      // ends the follower at once, while the engine's wait would hang until the container exits
      // (and its open request would keep the process alive), so that one is aborted.
      const stopWaiting = new AbortController();
      const waiting = container.wait({ abortSignal: stopWaiting.signal });
      waiting.catch(() => undefined); // awaited below, unless we return first
      const followed = await exec.follower.done;
      if (exec.detached || followed.aborted) {
        stopWaiting.abort();
        return;
      }
      const waited = (await waiting) as { StatusCode?: unknown } | null;
      exitCode = typeof waited?.StatusCode === 'number' ? waited.StatusCode : null;

      const info = await container.inspect(this.bounded()).catch(() => null);
      dockerTimes = { startedAt: dockerTime(info?.State?.StartedAt), finishedAt: dockerTime(info?.State?.FinishedAt) };
      if (info?.State?.OOMKilled) error = 'the container was killed: out of memory';
      this.system(jobId, `Container exited with code ${exitCode ?? 'unknown'}`, exitCode === 0 ? 'info' : 'warn');
    } catch (err) {
      if (exec.detached) return;
      error = isConnectionError(err) ? describeConnectionError(err, this.deps.hosts.get(hostId).address) : dockerErrorMessage(err);
      this.system(jobId, error, 'error');
    }

    // Store every line before the container goes and before anyone sees the job as finished.
    this.deps.ingest.flush();
    if (exec.container && docker) {
      try {
        await this.remove(exec.container);
      } catch (err) {
        this.system(jobId, `Could not remove container ${exec.container.id.slice(0, 12)}: ${dockerErrorMessage(err)}`, 'warn');
        this.deps.ingest.flush();
      }
    }
    const status: JobStatus = exec.cancel ? 'cancelled' : error === null && exitCode === 0 ? 'completed' : 'failed';
    this.finish(exec, status, {
      exitCode,
      error,
      startedAt: dockerTimes.startedAt ?? undefined,
      finishedAt: dockerTimes.finishedAt ?? Date.now(),
    });
  }

  private finish(exec: Execution, status: JobStatus, patch: JobPatch = {}): void {
    this.deps.ingest.flush();
    this.update(exec.jobId, { finishedAt: Date.now(), ...patch, status });
  }

  private containerSpec(jobId: number, template: Template): Docker.ContainerCreateOptions {
    return {
      name: `berth-${this.deps.instanceId.slice(0, 8)}-job-${jobId}`,
      Image: template.image,
      Cmd: template.command.length > 0 ? template.command : undefined,
      Env: Object.entries(template.env).map(([k, v]) => `${k}=${v}`),
      Labels: {
        [jobLabels.job]: String(jobId),
        [jobLabels.template]: String(template.id),
        [jobLabels.instance]: this.deps.instanceId,
      },
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      HostConfig: {
        // The logs API needs a driver it can read back; json-file without rotation never drops
        // lines for a slow reader, and the file goes away with the container.
        LogConfig: { Type: 'json-file', Config: {} },
      },
    };
  }

  private async cancelOrphan(job: Job, graceSeconds: number): Promise<Job> {
    // A job left pending or running by an earlier Berth process: stop what is left of it.
    if (job.containerId) {
      try {
        const container = this.deps.hosts.client(job.hostId).getContainer(job.containerId);
        await this.stop(container, graceSeconds);
        await this.remove(container);
      } catch (err) {
        this.system(job.id, `Could not stop container ${job.containerId.slice(0, 12)}: ${dockerErrorMessage(err)}`, 'warn');
      }
    }
    this.system(job.id, 'Cancelled a job left over from an earlier run of Berth', 'warn');
    this.deps.ingest.flush();
    return this.update(job.id, { status: 'cancelled', finishedAt: Date.now() });
  }

  /** Stops a container (SIGTERM, SIGKILL after the grace period); already stopped or gone is fine. */
  private async stop(container: Docker.Container, graceSeconds: number): Promise<void> {
    try {
      await container.stop({ t: graceSeconds, ...this.bounded(graceSeconds * 1000) });
    } catch (err) {
      // 304: already stopped; 404: already gone. Either way it is not running.
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 304 && status !== 404) throw err;
    }
  }

  private async remove(container: Docker.Container): Promise<void> {
    try {
      await container.remove({ force: true, v: true, ...this.bounded() });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  private update(jobId: number, patch: JobPatch): Job {
    const job = this.deps.jobs.update(jobId, patch);
    this.deps.bus.emit('job.updated', job);
    return job;
  }

  private system(jobId: number, message: string, level: LogLevel = 'info'): void {
    this.deps.ingest.pushSystem(jobId, message, level);
  }
}

function dockerTime(text: string | undefined): number | null {
  if (!text || text.startsWith('0001-')) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
