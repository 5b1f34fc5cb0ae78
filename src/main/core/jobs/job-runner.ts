/**
 * Runs jobs: a container per job, created from the job's template on the job's host.
 *
 *   pending ─ image as its pull policy says ─ container created ─ attached ─ started ─▶ running
 *   pending (queued, not started) ─ cancelled by a person ─▶ cancelled
 *   running ─ exited 0 ─▶ completed │ exited ≠ 0 ─▶ failed │ cancelled by a person ─▶ cancelled
 *           ─ still running `timeoutSeconds` after its start ─ stopped (grace, then kill) ─▶ timed_out
 *   Berth could not run it (pull, create, start) ─▶ failed with `error` set and no exit code
 *
 * The final status is written only after every line of output is stored and searchable and the
 * container is removed, so whoever sees a finished job can read and search all of its logs.
 * Whether a finished attempt is retried is decided elsewhere (retry/retry-service.ts).
 *
 * Containers outlive Berth: closing Berth stops watching and leaves them running. The next start
 * hands each unfinished job to `adopt` (see job-reconciler.ts), which picks it up in the phase it
 * was left in: created but not started, running, or exited meanwhile (a job with nothing created
 * yet goes back to the queue). A timeout counts from the job's start, across restarts.
 */
import type Docker from 'dockerode';
import { BerthError } from '../../../shared/errors';
import { finishedStatuses, type Job, type JobStatus, type LogLevel, type LogSource, type RunSpec } from '../../../shared/model';
import { describeConnectionError, isConnectionError, type HostRegistry } from '../docker/host-registry';
import type { EventBus } from '../event-bus';
import { ContainerFollower } from '../logs/container-follower';
import type { LogIngest } from '../logs/log-ingest';
import type { JobPatch, JobRepository, StoredJob } from '../store/job-repository';
import type { LogSourceRepository } from '../store/log-source-repository';
import type { TemplateRepository } from '../store/template-repository';
import { dockerErrorMessage, ensureImage } from './image-puller';
import { containerCreateOptions } from './spec/run-spec';

export interface JobRunnerDeps {
  jobs: JobRepository;
  templates: TemplateRepository;
  sources: LogSourceRepository;
  hosts: HostRegistry;
  ingest: LogIngest;
  bus: EventBus;
  /** Marks this Berth's containers apart from another data directory's on the same engine. */
  instanceId: string;
}

export interface JobRunnerOptions {
  /** How long a cancelled or timed-out container gets between SIGTERM and SIGKILL (default 10 s). */
  defaultGraceSeconds?: number;
  /**
   * Longest wait for one Docker request (create, start, inspect, remove): a host that takes the
   * connection and then says nothing fails the job instead of leaving it pending forever.
   * Following the output and pulling are not bounded.
   */
  requestTimeoutMs?: number;
}

interface Execution {
  jobId: number;
  sourceId: number;
  hostId: number;
  container: Docker.Container | null;
  started: boolean;
  follower: ContainerFollower | null;
  cancel: { graceSeconds: number } | null;
  /** Stops the container when the job's timeout runs out. */
  deadline: NodeJS.Timeout | null;
  timedOut: boolean;
  /** Set when Berth shuts down: stop watching, leave the container alone. */
  detached: boolean;
  done: Promise<void>;
}

/** Where `adopt` picks a job up. */
export type AdoptPhase =
  /** Created, never started: attach and start it. */
  | { phase: 'start'; container: Docker.Container }
  /** Started (running, or exited while Berth was away): read its output from the last stored line. */
  | { phase: 'watch'; container: Docker.Container };

export const jobLabels = { job: 'berth.job', template: 'berth.template', instance: 'berth.instance' } as const;

export class JobRunner {
  private readonly active = new Map<number, Execution>();
  /** Queued jobs being cancelled: the queue must not start them meanwhile. */
  private readonly cancelling = new Set<number>();
  private readonly defaultGraceSeconds: number;
  private readonly requestTimeoutMs: number;
  private closing = false;

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

  /** Starts a pending job on `hostId` in the background (the queue chose the host and the moment). */
  start(job: StoredJob, hostId: number): void {
    if (this.closing || this.active.has(job.id) || this.cancelling.has(job.id) || job.status !== 'pending' || job.hostId !== null) return;
    const placed = this.update(job.id, { hostId });
    this.begin(placed, (exec) => this.execute(exec, placed));
  }

  /** Jobs this runner has under way on a host (starting, running, or finishing): the slots they take. */
  activeOn(hostId: number): number {
    let n = 0;
    for (const exec of this.active.values()) if (exec.hostId === hostId) n += 1;
    return n;
  }

  isActive(jobId: number): boolean {
    return this.active.has(jobId) || this.cancelling.has(jobId);
  }

  /** Takes over a job an earlier run of Berth left unfinished, at `from`. */
  adopt(job: StoredJob, from: AdoptPhase): void {
    if (this.active.has(job.id) || this.closing) return;
    this.begin(job, async (exec) => {
      exec.container = from.container;
      if (from.phase === 'start') return this.startAndWatch(exec, from.container, job.spec);
      exec.started = true;
      const follower = new ContainerFollower(this.deps.ingest, from.container, exec.sourceId, this.followerOptions(exec));
      exec.follower = follower;
      follower.resume();
      // The deadline counts from the start, not from this restart.
      this.armTimeout(exec, from.container, job.spec.timeoutSeconds, job.startedAt ?? Date.now());
      return this.watch(exec, from.container);
    });
  }

  /**
   * Cancels a job and answers with it once cancelled: a queued one at once; a running one by
   * stopping its container (SIGTERM, SIGKILL after the grace period). A finished job whose
   * retry is still due (waiting for its backoff, queued or running) has that retry cancelled
   * instead, and the answer is the retry.
   */
  async cancel(jobId: number, graceSeconds = this.defaultGraceSeconds): Promise<Job> {
    const job = this.deps.jobs.get(jobId);
    if (!job) throw new BerthError('not_found', `job ${jobId} does not exist`);
    if (finishedStatuses.has(job.status)) {
      const due = this.retryStillDue(job);
      if (due) return this.cancel(due.id, graceSeconds);
      throw new BerthError('conflict', `job ${jobId} is already ${job.status}`);
    }
    const exec = this.active.get(jobId);
    if (!exec && job.status === 'pending' && job.hostId === null) return this.cancelQueued(job);
    if (!exec) return this.cancelOrphan(job, graceSeconds);
    if (!exec.cancel) {
      exec.cancel = { graceSeconds };
      this.note(exec, `Cancelling: stopping the container, killing it after ${graceSeconds} s`, 'warn');
      if (exec.started && exec.container) await this.stop(exec.container, graceSeconds);
    }
    await exec.done;
    return this.deps.jobs.get(jobId)!;
  }

  /** Stops following logs; containers keep running (they outlive Berth). */
  async close(): Promise<void> {
    this.closing = true;
    for (const exec of this.active.values()) {
      exec.detached = true;
      // The next run of Berth arms the deadline again from the job's start.
      if (exec.deadline) clearTimeout(exec.deadline);
      exec.follower?.stop();
    }
    await Promise.allSettled([...this.active.values()].map((e) => e.done));
  }

  private begin(job: Job, work: (exec: Execution) => Promise<void>): void {
    const source = this.deps.sources.ofJob(job.id);
    if (!source) throw new Error(`job ${job.id} has no log source`);
    const exec: Execution = {
      jobId: job.id,
      sourceId: source.id,
      hostId: job.hostId!,
      container: null,
      started: false,
      follower: null,
      cancel: null,
      deadline: null,
      timedOut: false,
      detached: false,
      done: Promise.resolve(),
    };
    this.active.set(job.id, exec);
    exec.done = work(exec)
      .catch((err: unknown) => this.fail(exec, this.describeFailure(exec, err)))
      .finally(() => {
        if (exec.deadline) clearTimeout(exec.deadline);
        this.active.delete(job.id);
        this.deps.ingest.release(exec.sourceId);
      });
  }

  private async execute(exec: Execution, job: StoredJob): Promise<void> {
    const docker = this.deps.hosts.client(exec.hostId);
    await ensureImage(docker, job.spec.image, job.spec.pullPolicy, (message, level) => this.note(exec, message, level), this.bounded());
    if (exec.cancel) return this.finish(exec, 'cancelled');
    // Berth is closing: start nothing new; the job stays pending for the next run to pick up.
    if (exec.detached) return;

    const name = `berth-${this.deps.instanceId.slice(0, 8)}-job-${exec.jobId}`;
    const labels = {
      [jobLabels.job]: String(exec.jobId),
      [jobLabels.template]: String(job.templateId),
      [jobLabels.instance]: this.deps.instanceId,
    };
    const options = containerCreateOptions(job.spec, this.deps.templates.secretValues(job.templateId), { name, labels });
    const container = await docker.createContainer({ ...options, ...this.bounded() });
    exec.container = container;
    this.update(exec.jobId, { containerId: container.id });
    this.deps.sources.setContainer(exec.sourceId, container.id, name);
    if (exec.cancel) {
      await this.remove(container);
      return this.finish(exec, 'cancelled');
    }
    return this.startAndWatch(exec, container, job.spec);
  }

  private async startAndWatch(exec: Execution, container: Docker.Container, spec: RunSpec): Promise<void> {
    const image = spec.image;
    if (exec.detached) return;
    // Attached before the start, every byte the container writes is read live; its json-file
    // log (kept for resuming after a break) is the same bytes.
    const follower = new ContainerFollower(this.deps.ingest, container, exec.sourceId, this.followerOptions(exec));
    exec.follower = follower;
    await follower.attach();
    // Said before the start: the container's first lines may arrive before start() returns.
    this.note(exec, `Starting container ${container.id.slice(0, 12)}${image ? ` from ${image}` : ''}`);
    try {
      await container.start(this.bounded());
    } catch (err) {
      follower.stop();
      await follower.done;
      throw err;
    }
    exec.started = true;
    const startedAt = Date.now();
    this.update(exec.jobId, { status: 'running', startedAt });
    this.armTimeout(exec, container, spec.timeoutSeconds, startedAt);
    // A cancel that arrived while the start request was in flight.
    const pendingCancel = exec.cancel as Execution['cancel'];
    if (pendingCancel) void this.stop(container, pendingCancel.graceSeconds).catch(() => undefined);
    return this.watch(exec, container);
  }

  /** Waits for the output to end (the container stopped), then records how it ended. */
  private async watch(exec: Execution, container: Docker.Container): Promise<void> {
    const end = await exec.follower!.done;
    // Berth closed: the container runs on without us.
    if (end.reason === 'stopped') return;
    let exitCode: number | null = null;
    let error: string | null = null;
    let times: { startedAt?: number; finishedAt?: number } = {};
    if (end.reason === 'gone') {
      error = 'the container was removed before it finished';
      this.note(exec, `Container ${container.id.slice(0, 12)} is gone: ${error}`, 'error', 'manager');
    } else {
      const info = await container.inspect(this.bounded()).catch(() => null);
      exitCode = typeof info?.State?.ExitCode === 'number' ? info.State.ExitCode : null;
      const startedAt = dockerTime(info?.State?.StartedAt) ?? undefined;
      const finishedAt = dockerTime(info?.State?.FinishedAt) ?? undefined;
      // Docker's two clocks can put a very short run's end a few ms before its start.
      times = { startedAt, finishedAt: startedAt !== undefined && finishedAt !== undefined ? Math.max(startedAt, finishedAt) : finishedAt };
      if (info?.State?.OOMKilled) error = 'the container was killed: out of memory';
      this.note(exec, `Container exited with code ${exitCode ?? 'unknown'}`, exitCode === 0 ? 'info' : 'warn');
    }
    // Everything stored and searchable before the container goes and anyone sees the job finished.
    await this.deps.ingest.settle(exec.sourceId, true);
    if (end.reason !== 'gone') {
      try {
        await this.remove(container);
      } catch (err) {
        this.note(exec, `Could not remove container ${container.id.slice(0, 12)}: ${dockerErrorMessage(err)}`, 'warn');
      }
    }
    const status: JobStatus = exec.cancel
      ? 'cancelled'
      : exec.timedOut
        ? 'timed_out'
        : error === null && exitCode === 0
          ? 'completed'
          : 'failed';
    await this.finish(exec, status, { exitCode, error, startedAt: times.startedAt, finishedAt: times.finishedAt ?? Date.now() });
  }

  private describeFailure(exec: Execution, err: unknown): string {
    return isConnectionError(err) ? describeConnectionError(err, this.deps.hosts.get(exec.hostId).address) : dockerErrorMessage(err);
  }

  /** Berth could not run the job (pull, create, start, a vanished template). */
  private async fail(exec: Execution, reason: string): Promise<void> {
    if (exec.detached) return;
    this.note(exec, reason, 'error');
    if (exec.container) await this.remove(exec.container).catch(() => undefined);
    await this.finish(exec, exec.cancel ? 'cancelled' : 'failed', { error: reason });
  }

  private async finish(exec: Execution, status: JobStatus, patch: JobPatch = {}): Promise<void> {
    await this.deps.ingest.settle(exec.sourceId, true).catch(() => undefined);
    this.update(exec.jobId, { finishedAt: Date.now(), ...patch, status });
  }

  private followerOptions(exec: Execution) {
    return { onNote: (message: string) => this.note(exec, message, 'warn', 'manager') };
  }

  /** Stops the container `timeoutSeconds` after `startedAt`, so the job ends `timed_out`. */
  private armTimeout(exec: Execution, container: Docker.Container, timeoutSeconds: number | null, startedAt: number): void {
    if (timeoutSeconds === null || timeoutSeconds <= 0 || exec.detached) return;
    const delay = Math.max(0, startedAt + timeoutSeconds * 1000 - Date.now());
    exec.deadline = setTimeout(() => {
      exec.deadline = null;
      void this.timeOut(exec, container, timeoutSeconds).catch((err: unknown) =>
        this.note(exec, `Could not stop the timed-out container: ${dockerErrorMessage(err)}`, 'error'),
      );
    }, delay);
    exec.deadline.unref();
  }

  private async timeOut(exec: Execution, container: Docker.Container, timeoutSeconds: number): Promise<void> {
    if (exec.cancel || exec.detached || exec.timedOut) return;
    // A container that ended on its own (e.g. while Berth was away) ran within its time as far as Berth saw.
    const info = await container.inspect(this.bounded()).catch(() => null);
    if (!info?.State?.Running || exec.cancel || exec.detached) return;
    exec.timedOut = true;
    const grace = this.defaultGraceSeconds;
    this.note(exec, `Timed out after ${timeoutSeconds} s: stopping the container, killing it after ${grace} s`, 'error');
    await this.stop(container, grace);
  }

  /** The latest attempt retrying `job`, when it has not finished yet. */
  private retryStillDue(job: Job): Job | null {
    let next = job.retriedBy === null ? undefined : this.deps.jobs.get(job.retriedBy);
    while (next && finishedStatuses.has(next.status) && next.retriedBy !== null) next = this.deps.jobs.get(next.retriedBy);
    return next && !finishedStatuses.has(next.status) ? next : null;
  }

  /** A job still in the queue (no host chose it yet): nothing runs, so it ends as soon as its line is stored. */
  private async cancelQueued(job: Job): Promise<Job> {
    // Claimed before anything awaits, so the queue cannot start it meanwhile.
    this.cancelling.add(job.id);
    try {
      const sourceId = this.deps.sources.ofJob(job.id)?.id ?? null;
      const backoff = job.notBefore !== null && job.notBefore > Date.now();
      const message = backoff ? `Cancelled while waiting for its backoff before attempt ${job.attempt}` : 'Cancelled while queued';
      this.deps.ingest.system(sourceId, message, 'warn', 'manager');
      await this.deps.ingest.settle(sourceId);
      return this.update(job.id, { status: 'cancelled', finishedAt: Date.now() });
    } finally {
      this.cancelling.delete(job.id);
    }
  }

  private async cancelOrphan(job: Job, graceSeconds: number): Promise<Job> {
    // A job no one watches (its host was unreachable when Berth started): stop what is left of it.
    const source = this.deps.sources.ofJob(job.id);
    if (job.containerId) {
      try {
        const container = this.deps.hosts.client(job.hostId!).getContainer(job.containerId);
        await this.stop(container, graceSeconds);
        await this.remove(container);
      } catch (err) {
        this.deps.ingest.system(source?.id ?? null, `Could not stop container ${job.containerId.slice(0, 12)}: ${dockerErrorMessage(err)}`, 'warn');
      }
    }
    this.deps.ingest.system(source?.id ?? null, 'Cancelled a job left over from an earlier run of Berth', 'warn', 'manager');
    await this.deps.ingest.settle(source?.id ?? null);
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

  private update(jobId: number, patch: JobPatch): StoredJob {
    const job = this.deps.jobs.update(jobId, patch);
    this.deps.bus.emit('job.updated', job);
    return job;
  }

  private note(exec: Execution, message: string, level: LogLevel = 'info', kind: Exclude<LogSource, 'container'> = 'system'): void {
    this.deps.ingest.system(exec.sourceId, message, level, kind);
  }
}

function dockerTime(text: string | undefined): number | null {
  if (!text || text.startsWith('0001-')) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
