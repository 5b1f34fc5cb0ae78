import { describe, expect, it } from 'vitest';
import { runMs, totalMs, waitMs } from './job-times';

const times = { createdAt: 1000, notBefore: null, startedAt: null, finishedAt: null };

describe('job times', () => {
  it('ticks while pending: waiting until now, not running yet', () => {
    expect(waitMs(times, 4000)).toBe(3000);
    expect(runMs(times, 4000)).toBeNull();
    expect(totalMs(times, 4000)).toBe(3000);
  });

  it('splits a finished job into waiting and running', () => {
    const job = { ...times, startedAt: 1500, finishedAt: 9500 };
    expect([waitMs(job, 99_999), runMs(job, 99_999), totalMs(job, 99_999)]).toEqual([500, 8000, 8500]);
  });

  it('counts a retry’s wait from the end of its backoff, never below zero', () => {
    expect(waitMs({ ...times, notBefore: 5000 }, 7000)).toBe(2000);
    expect(waitMs({ ...times, notBefore: 5000 }, 3000)).toBe(0);
  });

  it('never runs backwards when clocks disagree', () => {
    expect(runMs({ ...times, startedAt: 5000 }, 4000)).toBe(0);
  });

  it('ends the wait of a job cancelled before it started', () => {
    expect(waitMs({ ...times, finishedAt: 2500 }, 9000)).toBe(1500);
  });
});
