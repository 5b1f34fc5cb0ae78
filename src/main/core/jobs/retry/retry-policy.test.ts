import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../../shared/errors';
import { backoffMs, defaultRetryPolicy, normalizeRetryPolicy, retryDecision, type AttemptOutcome } from './retry-policy';

const completed: AttemptOutcome = { status: 'completed', exitCode: 0, error: null };
const cancelled: AttemptOutcome = { status: 'cancelled', exitCode: 137, error: null };
const timedOut: AttemptOutcome = { status: 'timed_out', exitCode: 137, error: null };
const couldNotStart: AttemptOutcome = { status: 'failed', exitCode: null, error: 'no such image' };
const exited = (exitCode: number): AttemptOutcome => ({ status: 'failed', exitCode, error: null });

describe('normalizeRetryPolicy', () => {
  it('gives Kubernetes Jobs’ backoff and no retry when nothing is set', () => {
    expect(normalizeRetryPolicy()).toEqual({
      attempts: 1,
      on: ['failed', 'timed_out', 'error'],
      backoffSeconds: 10,
      factor: 2,
      maxBackoffSeconds: 360,
    });
    expect(normalizeRetryPolicy({})).toEqual(normalizeRetryPolicy());
  });

  it('keeps what is given and fills in the rest', () => {
    expect(normalizeRetryPolicy({ attempts: 3, on: [1, 'timed_out'] })).toEqual({
      attempts: 3,
      on: [1, 'timed_out'],
      backoffSeconds: 10,
      factor: 2,
      maxBackoffSeconds: 360,
    });
  });

  it('treats a field set to undefined as left out', () => {
    expect(normalizeRetryPolicy({ attempts: undefined, factor: undefined })).toEqual(normalizeRetryPolicy());
  });

  it('drops repeated triggers, keeping their order', () => {
    expect(normalizeRetryPolicy({ attempts: 2, on: [3, 'failed', 3, 'failed', 0] }).on).toEqual([3, 'failed', 0]);
  });

  it('returns a policy that shares nothing with the defaults or the input', () => {
    const on: Array<'failed'> = ['failed'];
    const policy = normalizeRetryPolicy({ on });
    policy.on.push(1);
    expect(on).toEqual(['failed']);
    expect(normalizeRetryPolicy().on).toEqual(['failed', 'timed_out', 'error']);
    expect(Object.isFrozen(defaultRetryPolicy)).toBe(true);
  });

  it('accepts the boundaries: 1 and 100 attempts, no backoff, a constant delay, exit codes 0 and 255', () => {
    expect(normalizeRetryPolicy({ attempts: 100 }).attempts).toBe(100);
    expect(normalizeRetryPolicy({ attempts: 1, on: [] }).on).toEqual([]);
    expect(normalizeRetryPolicy({ backoffSeconds: 0, maxBackoffSeconds: 0 })).toMatchObject({ backoffSeconds: 0, maxBackoffSeconds: 0 });
    expect(normalizeRetryPolicy({ factor: 1 }).factor).toBe(1);
    expect(normalizeRetryPolicy({ backoffSeconds: 30, maxBackoffSeconds: 30 }).maxBackoffSeconds).toBe(30);
    expect(normalizeRetryPolicy({ backoffSeconds: 0.5 }).backoffSeconds).toBe(0.5);
    expect(normalizeRetryPolicy({ attempts: 2, on: [0, 255] }).on).toEqual([0, 255]);
  });

  it.each([
    [{ attempts: 0 }, /attempts must be a whole number from 1 to 100.*got 0/],
    [{ attempts: 101 }, /attempts must be a whole number from 1 to 100.*got 101/],
    [{ attempts: 2.5 }, /attempts.*got 2\.5/],
    [{ attempts: Number.NaN }, /attempts.*got NaN/],
    [{ attempts: '3' }, /attempts.*got '3'/],
    [{ backoffSeconds: -1 }, /backoffSeconds must be a number of seconds, 0 or more; got -1/],
    [{ backoffSeconds: Number.POSITIVE_INFINITY }, /backoffSeconds.*got Infinity/],
    [{ factor: 0.5 }, /factor must be a number, 1 or more.*got 0\.5/],
    [{ factor: null }, /factor.*got null/],
    [{ backoffSeconds: 60, maxBackoffSeconds: 30 }, /maxBackoffSeconds must be at least backoffSeconds \(60\); got 30/],
    [{ backoffSeconds: 600 }, /maxBackoffSeconds \(the default\) must be at least backoffSeconds \(600\); got 360/],
    [{ on: 'failed' }, /on must be a list of 'failed', 'timed_out', 'error' or exit codes; got 'failed'/],
    [{ on: ['crashed'] }, /on: 'crashed' is neither 'failed', 'timed_out', 'error' nor an exit code/],
    [{ on: [256] }, /on: exit codes are whole numbers from 0 to 255; got 256/],
    [{ on: [-1] }, /exit codes.*got -1/],
    [{ on: [1.5] }, /exit codes.*got 1\.5/],
    [{ attempts: 3, on: [] }, /on is empty, so the 2 retries allowed by attempts would never happen; list what to retry, or set attempts to 1/],
    [{ attemps: 3 }, /unknown field 'attemps'; a retry policy has attempts, on, backoffSeconds, factor, maxBackoffSeconds/],
  ])('refuses %j, saying what would do', (input, message) => {
    expect(() => normalizeRetryPolicy(input as never)).toThrow(message);
  });

  it('throws request errors that start with what was invalid', () => {
    const err = catchError(() => normalizeRetryPolicy({ attempts: 0 }));
    expect(err).toBeInstanceOf(BerthError);
    expect(err).toMatchObject({ code: 'bad_request' });
    expect((err as Error).message).toMatch(/^retry policy: attempts/);
  });

  it('refuses something that is not an object', () => {
    expect(() => normalizeRetryPolicy(null as never)).toThrow(/retry policy: expected an object; got null/);
    expect(() => normalizeRetryPolicy([] as never)).toThrow(/expected an object/);
  });
});

describe('backoffMs', () => {
  const policy = normalizeRetryPolicy({ attempts: 10 });

  it('waits 10 s after the first attempt and doubles each time, up to 6 minutes', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffMs(policy, attempt));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]);
  });

  it('keeps the delay constant with factor 1', () => {
    const constant = normalizeRetryPolicy({ backoffSeconds: 5, factor: 1 });
    expect([1, 2, 50].map((attempt) => backoffMs(constant, attempt))).toEqual([5000, 5000, 5000]);
  });

  it('follows a fractional factor and rounds to whole milliseconds', () => {
    const gentle = normalizeRetryPolicy({ backoffSeconds: 1, factor: 1.5, maxBackoffSeconds: 100 });
    expect([1, 2, 3, 4].map((attempt) => backoffMs(gentle, attempt))).toEqual([1000, 1500, 2250, 3375]);
    expect(backoffMs(normalizeRetryPolicy({ backoffSeconds: 0.0004 }), 1)).toBe(0);
  });

  it('stays at the cap, not Infinity or NaN, when the factor overflows', () => {
    const steep = normalizeRetryPolicy({ attempts: 100, factor: 1e6 });
    expect(backoffMs(steep, 99)).toBe(360_000);
    const none = normalizeRetryPolicy({ attempts: 100, backoffSeconds: 0, factor: 1e6 });
    expect(backoffMs(none, 99)).toBe(0);
  });

  it('gives the same delay every time it is asked (no jitter)', () => {
    expect(new Set(Array.from({ length: 20 }, () => backoffMs(policy, 3)))).toEqual(new Set([40_000]));
  });
});

describe('retryDecision', () => {
  const everything = normalizeRetryPolicy({ attempts: 3 });

  it('never retries a completed or a cancelled job, however many attempts are left', () => {
    expect(retryDecision(everything, 1, completed)).toEqual({ retry: false, reason: 'the job completed' });
    expect(retryDecision(everything, 1, cancelled)).toEqual({ retry: false, reason: 'the job was cancelled' });
  });

  it('retries a failure, a timeout and an error while attempts are left, with the backoff of the attempt that ended', () => {
    expect(retryDecision(everything, 1, exited(1))).toEqual({ retry: true, delayMs: 10_000, nextAttempt: 2 });
    expect(retryDecision(everything, 2, timedOut)).toEqual({ retry: true, delayMs: 20_000, nextAttempt: 3 });
    expect(retryDecision(everything, 1, couldNotStart)).toEqual({ retry: true, delayMs: 10_000, nextAttempt: 2 });
  });

  it('stops after the last attempt, saying how many were used', () => {
    expect(retryDecision(everything, 3, exited(1))).toEqual({ retry: false, reason: 'no attempts left (3 of 3 used)' });
    // The policy may have been lowered since this attempt started.
    expect(retryDecision(everything, 5, exited(1))).toEqual({ retry: false, reason: 'no attempts left (5 of 3 used)' });
  });

  it('does not retry by default', () => {
    expect(retryDecision(normalizeRetryPolicy(), 1, exited(1))).toEqual({ retry: false, reason: 'no attempts left (1 of 1 used)' });
  });

  it('with exit codes only, retries a failed job on those codes and no other', () => {
    const policy = normalizeRetryPolicy({ attempts: 3, on: [75, 137] });
    expect(retryDecision(policy, 1, exited(75))).toMatchObject({ retry: true, nextAttempt: 2 });
    expect(retryDecision(policy, 1, exited(137))).toMatchObject({ retry: true });
    expect(retryDecision(policy, 1, exited(1))).toEqual({ retry: false, reason: 'exit code 1 is not retried' });
  });

  it('with exit codes and "failed", retries a failed job on any code', () => {
    const policy = normalizeRetryPolicy({ attempts: 3, on: [75, 'failed'] });
    expect(retryDecision(policy, 1, exited(1))).toMatchObject({ retry: true });
    expect(retryDecision(policy, 1, exited(75))).toMatchObject({ retry: true });
  });

  it('keeps timeouts and errors apart from failures: each retries only when listed', () => {
    const failures = normalizeRetryPolicy({ attempts: 3, on: ['failed'] });
    expect(retryDecision(failures, 1, timedOut)).toEqual({ retry: false, reason: 'timeouts are not retried' });
    expect(retryDecision(failures, 1, couldNotStart)).toEqual({ retry: false, reason: 'errors running the job (no exit code) are not retried' });

    const timeouts = normalizeRetryPolicy({ attempts: 3, on: ['timed_out'] });
    expect(retryDecision(timeouts, 1, timedOut)).toMatchObject({ retry: true });
    expect(retryDecision(timeouts, 1, exited(1))).toEqual({ retry: false, reason: 'exit code 1 is not retried' });
    expect(retryDecision(timeouts, 1, couldNotStart)).toMatchObject({ retry: false });

    const errors = normalizeRetryPolicy({ attempts: 3, on: ['error'] });
    expect(retryDecision(errors, 1, couldNotStart)).toMatchObject({ retry: true });
    expect(retryDecision(errors, 1, exited(1))).toMatchObject({ retry: false });
  });

  it('judges a timeout by its status, not the exit code the stopped container left', () => {
    const policy = normalizeRetryPolicy({ attempts: 3, on: [137] });
    expect(retryDecision(policy, 1, timedOut)).toEqual({ retry: false, reason: 'timeouts are not retried' });
  });

  it('reads "error" as a failure without an exit code, whatever the error text', () => {
    const policy = normalizeRetryPolicy({ attempts: 2, on: ['error'] });
    expect(retryDecision(policy, 1, { status: 'failed', exitCode: null, error: null })).toMatchObject({ retry: true });
    expect(retryDecision(policy, 1, { status: 'failed', exitCode: 1, error: 'container removed' })).toMatchObject({ retry: false });
  });

  it('gives the capped delay on late attempts', () => {
    const many = normalizeRetryPolicy({ attempts: 20 });
    expect(retryDecision(many, 19, exited(1))).toEqual({ retry: true, delayMs: 360_000, nextAttempt: 20 });
  });

  it('refuses an attempt number that is not a whole number from 1', () => {
    expect(() => retryDecision(everything, 0, exited(1))).toThrow(RangeError);
    expect(() => retryDecision(everything, 1.5, exited(1))).toThrow(/attempt must be a whole number/);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
