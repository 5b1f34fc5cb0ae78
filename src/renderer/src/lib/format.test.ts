import { describe, expect, it } from 'vitest';
import { formatDuration, shortId } from './format';

describe('formatDuration', () => {
  it('shows tenths under ten seconds', () => {
    expect(formatDuration(0)).toBe('0.0s');
    expect(formatDuration(420)).toBe('0.4s');
    expect(formatDuration(9_999)).toBe('9.9s');
  });

  it('shows whole seconds, then minutes, hours and days', () => {
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(59_999)).toBe('59s');
    expect(formatDuration(60_000)).toBe('1m 00s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_600_000 + 3 * 60_000 + 59_000)).toBe('1h 03m');
    expect(formatDuration(26 * 3_600_000)).toBe('1d 2h');
  });

  it('shows whole seconds when not precise (ticking durations)', () => {
    expect(formatDuration(2_750, false)).toBe('2s');
    expect(formatDuration(61_000, false)).toBe('1m 01s');
  });

  it('treats negative or invalid input as zero', () => {
    expect(formatDuration(-5)).toBe('0.0s');
    expect(formatDuration(Number.NaN)).toBe('0.0s');
  });
});

describe('shortId', () => {
  it('keeps twelve characters', () => {
    expect(shortId('0123456789abcdef0123')).toBe('0123456789ab');
    expect(shortId(null)).toBe('—');
  });
});
