/**
 * Gives an attempt that ended badly its next attempt, as its template's retry policy says:
 *
 *   job.updated, finished ─ already retried ──────────────────────────────▶ nothing
 *                         ─ retryDecision(policy, attempt, outcome) ─ no ─▶ a line saying why (if the template retries at all)
 *                                                                  ─ yes ─▶ attempt n + 1 queued, notBefore = now + backoff
 *
 * The next attempt is an ordinary pending job (trigger `retry`, `retryOf` the one before, the same
 * spec); the queue holds it until its backoff ends, so the wait survives a restart like any job.
 * Cancelling is the runner's: a cancelled attempt is never retried (retryDecision), and
 * cancelling a finished attempt cancels the retry still due (JobRunner.cancel).
 */
import type { Job } from '../../../../shared/model';
import { finishedStatuses } from '../../../../shared/model';
import type { EventBus } from '../../event-bus';
import type { LogIngest } from '../../logs/log-ingest';
import type { JobRepository, StoredJob } from '../../store/job-repository';
import type { LogSourceRepository } from '../../store/log-source-repository';
import type { TemplateRepository } from '../../store/template-repository';
import type { JobSubmitter } from '../job-submitter';
import { retryDecision, type AttemptOutcome } from './retry-policy';

export interface RetryServiceDeps {
  jobs: JobRepository;
  templates: TemplateRepository;
  sources: LogSourceRepository;
  ingest: LogIngest;
  bus: EventBus;
  submitter: Pick<JobSubmitter, 'submit'>;
  /** Berth's own trouble (a retry that could not be queued is also said on the job). */
  onError?: (message: string, err: unknown) => void;
}

export class RetryService {
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: RetryServiceDeps) {}

  /**
   * Listens for attempts that end, and first gives their next attempt to those that ended within
   * the last `recoverWithinMs` without one: Berth stopped between an attempt's end and queueing
   * its retry. Their backoff counts from when they ended.
   */
  start(recoverWithinMs = 24 * 3600_000): void {
    if (!this.unsubscribe) {
      for (const id of this.deps.jobs.endedWithoutRetry(Date.now() - recoverWithinMs)) this.consider(id, { quietWhenNot: true });
    }
    this.unsubscribe ??= this.deps.bus.on((name, payload) => {
      if (name !== 'job.updated') return;
      const job = payload as Job;
      if (!finishedStatuses.has(job.status) || job.status === 'completed' || job.status === 'cancelled') return;
      // After the emitter's own listeners: the attempt's final update is complete before the next one exists.
      queueMicrotask(() => this.consider(job.id));
    });
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** `quietWhenNot`: at start, a job already told why it is not retried is not told again. */
  private consider(jobId: number, { quietWhenNot = false } = {}): void {
    // Fresh from the store: an attempt already retried (an event seen twice) is left alone.
    const job = this.deps.jobs.get(jobId);
    if (!job || job.retriedBy !== null || !finishedStatuses.has(job.status)) return;
    const template = this.deps.templates.get(job.templateId);
    const policy = template?.retry;
    if (!template || !policy || policy.attempts <= 1) return;
    const say = (id: number, message: string, level: 'info' | 'warn' = 'info') =>
      this.deps.ingest.system(this.deps.sources.ofJob(id)?.id ?? null, message, level, 'manager');

    const outcome: AttemptOutcome = { status: job.status as AttemptOutcome['status'], exitCode: job.exitCode, error: job.error };
    const decision = retryDecision(policy, job.attempt, outcome);
    if (!decision.retry) return quietWhenNot ? undefined : say(job.id, `Not retrying: ${decision.reason}`);
    if (template.deletedAt !== null) return quietWhenNot ? undefined : say(job.id, 'Not retrying: the template was deleted', 'warn');

    let next: StoredJob;
    try {
      next = this.deps.submitter.submit({
        templateId: job.templateId,
        hostId: job.wantHostId ?? undefined,
        trigger: 'retry',
        attempt: decision.nextAttempt,
        retryOf: job.id,
        spec: job.spec,
        // From when it ended: after a restart the backoff may already be over.
        notBefore: (job.finishedAt ?? Date.now()) + decision.delayMs,
      });
    } catch (err) {
      say(job.id, `Not retrying: the next attempt could not be queued (${(err as Error).message})`, 'warn');
      this.deps.onError?.(`queueing attempt ${decision.nextAttempt} of job ${job.id}`, err);
      return;
    }
    // The backoff itself; it counts from the attempt's end (less may be left after a restart).
    const wait = seconds(decision.delayMs);
    const of = `attempt ${decision.nextAttempt} of ${policy.attempts}`;
    say(job.id, `Retrying in ${wait} as job #${next.id} (${of})`);
    say(next.id, `Retry of job #${job.id}, which ${describe(job)}: ${of}, starting after a backoff of ${wait}`);
  }
}

function describe(job: StoredJob): string {
  if (job.status === 'timed_out') return 'timed out';
  if (job.exitCode === null) return `Berth could not run${job.error ? ` (${job.error})` : ''}`;
  return `exited with code ${job.exitCode}`;
}

function seconds(ms: number): string {
  // Tenths of a second: a wait computed from the clock is 9,998 ms, not worth saying so.
  const s = Math.round(ms / 100) / 10;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
