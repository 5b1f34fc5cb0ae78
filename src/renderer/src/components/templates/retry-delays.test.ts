import { describe, expect, it } from 'vitest';
import { describeRetryDelays, formatSeconds, retryDelaysSeconds } from './retry-delays';

describe('retry delays preview', () => {
  it('doubles from the initial delay up to the cap, one wait per retry', () => {
    expect(retryDelaysSeconds({ attempts: 4, backoffSeconds: 10, factor: 2, maxBackoffSeconds: 360 })).toEqual([10, 20, 40]);
    expect(retryDelaysSeconds({ attempts: 10, backoffSeconds: 100, factor: 3, maxBackoffSeconds: 360 }, 4)).toEqual([100, 300, 360, 360]);
  });

  it('reads as "10 s, 20 s, 40 s…" when there are more retries than shown', () => {
    expect(describeRetryDelays({ attempts: 8, backoffSeconds: 10, factor: 2, maxBackoffSeconds: 360 })).toBe('10 s, 20 s, 40 s, 1 min 20 s, 2 min 40 s…');
    expect(describeRetryDelays({ attempts: 3, backoffSeconds: 10, factor: 2, maxBackoffSeconds: 360 })).toBe('10 s, 20 s');
    expect(describeRetryDelays({ attempts: 1, backoffSeconds: 10, factor: 2, maxBackoffSeconds: 360 })).toBe('no retries');
  });

  it('formats hours and whole minutes', () => {
    expect(formatSeconds(3900)).toBe('1 h 5 min');
    expect(formatSeconds(120)).toBe('2 min');
    expect(formatSeconds(0.5)).toBe('0.5 s');
  });
});
