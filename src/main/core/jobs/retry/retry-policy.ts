/**
 * When a job that ended gets another attempt, and after how long: the retry half of a job's spec,
 * shaped after Kubernetes Jobs (backoffLimit and its exponential, capped delay).
 *
 *   attempt n ends ─ completed or cancelled ──────────────────────────▶ done
 *                  ─ outcome not in `on` ─────────────────────────────▶ done
 *                  ─ n = attempts ────────────────────────────────────▶ done
 *                  ─ otherwise ─ wait backoffMs(n) ─▶ attempt n + 1
 *
 * Pure and deterministic (no jitter): the runner owns the timers, this only decides.
 */
import { BerthError } from '../../../../shared/errors';

/** What can trigger a retry: a non-zero exit, a timeout, Berth failing to run the job, or one exit code. */
export type RetryTrigger = 'failed' | 'timed_out' | 'error' | number;

export type RetryPolicy = {
  /** Total attempts, the first one included: 1 means no retry. */
  attempts: number;
  /** A listed exit code retries a failed job on that code alone; 'failed' retries it on any code. */
  on: RetryTrigger[];
  /** Delay before the second attempt; each later one is `factor` times longer, up to the cap. */
  backoffSeconds: number;
  factor: number;
  maxBackoffSeconds: number;
};

/** How an attempt ended, as the runner records it. */
export type AttemptOutcome = {
  status: 'completed' | 'failed' | 'timed_out' | 'cancelled';
  exitCode: number | null;
  error: string | null;
};

export type RetryDecision = { retry: false; reason: string } | { retry: true; delayMs: number; nextAttempt: number };

/** Kubernetes Jobs' backoff (10 s, doubling, capped at 6 min), with retries off until asked for. */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  attempts: 1,
  on: Object.freeze(['failed', 'timed_out', 'error']) as RetryTrigger[],
  backoffSeconds: 10,
  factor: 2,
  maxBackoffSeconds: 360,
});

const maxAttempts = 100;
const namedTriggers: ReadonlySet<string> = new Set(['failed', 'timed_out', 'error']);
const fields: ReadonlySet<string> = new Set(Object.keys(defaultRetryPolicy));

/** `attempt` is the 1-based attempt that just ended. */
export function retryDecision(policy: RetryPolicy, attempt: number, outcome: AttemptOutcome): RetryDecision {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number from 1; got ${attempt}`);
  if (outcome.status === 'completed') return { retry: false, reason: 'the job completed' };
  if (outcome.status === 'cancelled') return { retry: false, reason: 'the job was cancelled' };
  const unlisted = unlistedReason(policy.on, outcome);
  if (unlisted) return { retry: false, reason: unlisted };
  if (attempt >= policy.attempts) {
    return { retry: false, reason: `no attempts left (${attempt} of ${policy.attempts} used)` };
  }
  return { retry: true, delayMs: backoffMs(policy, attempt), nextAttempt: attempt + 1 };
}

/** Why the policy does not retry this (failed or timed out) outcome, or null when it does. */
function unlistedReason(on: readonly RetryTrigger[], outcome: AttemptOutcome): string | null {
  if (outcome.status === 'timed_out') return on.includes('timed_out') ? null : 'timeouts are not retried';
  // Berth could not run the job at all: there is no exit code to match.
  if (outcome.exitCode === null) return on.includes('error') ? null : 'errors running the job (no exit code) are not retried';
  if (on.includes('failed') || on.includes(outcome.exitCode)) return null;
  return `exit code ${outcome.exitCode} is not retried`;
}

/** The delay after attempt `attempt` ends, before the next one starts. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  // Checked first: 0 × Infinity (a large factor to a large power) would be NaN.
  if (policy.backoffSeconds === 0) return 0;
  const seconds = Math.min(policy.backoffSeconds * policy.factor ** (attempt - 1), policy.maxBackoffSeconds);
  return Math.round(seconds * 1000);
}

/** Fills in the defaults and checks every field; the error names the field and what it accepts. */
export function normalizeRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) invalid(`expected an object; got ${show(partial)}`);
  for (const key of Object.keys(partial)) {
    if (!fields.has(key)) invalid(`unknown field '${key}'; a retry policy has ${[...fields].join(', ')}`);
  }
  const given = definedFields(partial);
  const { attempts, backoffSeconds, factor, maxBackoffSeconds, on } = { ...defaultRetryPolicy, ...given };
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > maxAttempts) {
    const range = `from 1 to ${maxAttempts}, the first run included (1 means no retry)`;
    invalid(`attempts must be a whole number ${range}; got ${show(attempts)}`);
  }
  if (!isFiniteNumber(backoffSeconds) || backoffSeconds < 0) {
    invalid(`backoffSeconds must be a number of seconds, 0 or more; got ${show(backoffSeconds)}`);
  }
  if (!isFiniteNumber(factor) || factor < 1) {
    invalid(`factor must be a number, 1 or more (1 keeps the delay constant); got ${show(factor)}`);
  }
  if (!isFiniteNumber(maxBackoffSeconds) || maxBackoffSeconds < backoffSeconds) {
    const which = given.maxBackoffSeconds === undefined ? ' (the default)' : '';
    invalid(`maxBackoffSeconds${which} must be at least backoffSeconds (${show(backoffSeconds)}); got ${show(maxBackoffSeconds)}`);
  }
  return { attempts, on: normalizeTriggers(on, attempts), backoffSeconds, factor, maxBackoffSeconds };
}

function normalizeTriggers(on: unknown, attempts: number): RetryTrigger[] {
  if (!Array.isArray(on)) invalid(`on must be a list of 'failed', 'timed_out', 'error' or exit codes; got ${show(on)}`);
  const triggers: RetryTrigger[] = [];
  for (const trigger of on as unknown[]) {
    if (typeof trigger === 'number') {
      if (!Number.isInteger(trigger) || trigger < 0 || trigger > 255) {
        invalid(`on: exit codes are whole numbers from 0 to 255; got ${show(trigger)}`);
      }
    } else if (typeof trigger !== 'string' || !namedTriggers.has(trigger)) {
      invalid(`on: ${show(trigger)} is neither 'failed', 'timed_out', 'error' nor an exit code`);
    }
    if (!triggers.includes(trigger as RetryTrigger)) triggers.push(trigger as RetryTrigger);
  }
  // Several attempts that nothing can trigger is a mistake, not a choice: attempts: 1 says "no retry".
  if (triggers.length === 0 && attempts > 1) {
    const retries = attempts - 1;
    invalid(`on is empty, so the ${retries} retries allowed by attempts would never happen; list what to retry, or set attempts to 1`);
  }
  return triggers;
}

/** A field given as undefined takes its default, as if left out. */
function definedFields(partial: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function invalid(message: string): never {
  throw new BerthError('bad_request', `retry policy: ${message}`);
}
