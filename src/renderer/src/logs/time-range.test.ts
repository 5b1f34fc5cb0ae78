import { describe, expect, it } from 'vitest';
import { parseTimeInput, resolveTimeRange } from './time-range';

const now = new Date(2026, 10, 23, 12, 0, 0).getTime();

describe('parseTimeInput', () => {
  it('reads nothing as an open end and now as now', () => {
    expect(parseTimeInput('  ', now)).toBeNull();
    expect(parseTimeInput('now', now)).toBe(now);
  });

  it('reads durations back from now', () => {
    expect(parseTimeInput('15m', now)).toBe(now - 15 * 60_000);
    expect(parseTimeInput('2h ago', now)).toBe(now - 2 * 3_600_000);
    expect(parseTimeInput('-3d', now)).toBe(now - 3 * 86_400_000);
    expect(parseTimeInput('1.5h', now)).toBe(now - 5_400_000);
    expect(parseTimeInput('1w', now)).toBe(now - 7 * 86_400_000);
  });

  it('reads local dates and times', () => {
    expect(parseTimeInput('2026-11-20', now)).toBe(new Date(2026, 10, 20).getTime());
    expect(parseTimeInput('2026-11-20 10:30', now)).toBe(new Date(2026, 10, 20, 10, 30).getTime());
    expect(parseTimeInput('2026-11-20T10:30:15.5', now)).toBe(new Date(2026, 10, 20, 10, 30, 15, 500).getTime());
  });

  it('reads ISO times with a zone and epoch milliseconds', () => {
    expect(parseTimeInput('2026-11-20T10:30:00Z', now)).toBe(Date.UTC(2026, 10, 20, 10, 30));
    expect(parseTimeInput('2026-11-20T10:30:00+02:00', now)).toBe(Date.UTC(2026, 10, 20, 8, 30));
    expect(parseTimeInput('1790000000000', now)).toBe(1790000000000);
  });

  it('says what it cannot read', () => {
    expect(parseTimeInput('yesterday-ish', now)).toEqual({ error: expect.stringContaining('cannot read "yesterday-ish"') });
    expect(parseTimeInput('2026-02-31', now)).toEqual({ error: 'no such date: 2026-02-31' });
  });
});

describe('resolveTimeRange', () => {
  it('turns a preset into a since', () => {
    expect(resolveTimeRange({ preset: '1h', from: '', to: '' }, now)).toEqual({ since: now - 3_600_000 });
    expect(resolveTimeRange({ preset: 'all', from: 'ignored', to: '' }, now)).toEqual({});
  });

  it('reads custom ends, either of which may be open', () => {
    expect(resolveTimeRange({ preset: 'custom', from: '2h', to: '1h' }, now)).toEqual({ since: now - 7_200_000, until: now - 3_600_000 });
    expect(resolveTimeRange({ preset: 'custom', from: '', to: '1h' }, now)).toEqual({ until: now - 3_600_000 });
  });

  it('names the bad end, and refuses a range that ends before it starts', () => {
    expect(resolveTimeRange({ preset: 'custom', from: 'soon', to: '' }, now)).toEqual({ error: expect.stringMatching(/^From: /) });
    expect(resolveTimeRange({ preset: 'custom', from: '1h', to: '2h' }, now)).toEqual({ error: 'From must be before To' });
  });
});
