import { describe, expect, it } from 'vitest';
import { DockerTimestampParser } from './docker-timestamp';

describe('DockerTimestampParser', () => {
  it('turns nanosecond RFC 3339 times into milliseconds, dropping the rest of the fraction', () => {
    const p = new DockerTimestampParser();
    expect(p.parse('2026-11-21T11:26:11.385343371Z')).toBe(Date.UTC(2026, 10, 21, 11, 26, 11, 385));
    expect(p.parse('2026-11-21T11:26:11.999999999Z')).toBe(Date.UTC(2026, 10, 21, 11, 26, 11, 999));
  });

  it('reads the short fractions Docker writes when trailing zeros are trimmed', () => {
    const p = new DockerTimestampParser();
    const second = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(p.parse('2026-01-02T03:04:05Z')).toBe(second);
    expect(p.parse('2026-01-02T03:04:05.5Z')).toBe(second + 500);
    expect(p.parse('2026-01-02T03:04:05.05Z')).toBe(second + 50);
    expect(p.parse('2026-01-02T03:04:05.007Z')).toBe(second + 7);
  });

  it('gives the right time when the second changes, in both directions (the cache is per second)', () => {
    const p = new DockerTimestampParser();
    const times = [
      '2026-12-31T23:59:59.900Z',
      '2026-12-31T23:59:59.950Z',
      '2027-01-01T00:00:00.001Z',
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:01.000000001Z',
    ];
    for (const t of times) expect(p.parse(t), t).toBe(Date.parse(t.replace(/(\.\d{3})\d*/, '$1')));
  });

  it('falls back to a full parse for times with an offset instead of Z', () => {
    const p = new DockerTimestampParser();
    expect(p.parse('2026-11-21T12:26:11.385+01:00')).toBe(Date.UTC(2026, 10, 21, 11, 26, 11, 385));
    // The cache must not leak into the fallback, nor the fallback into the cache.
    expect(p.parse('2026-11-21T11:26:11.100Z')).toBe(Date.UTC(2026, 10, 21, 11, 26, 11, 100));
  });

  it('answers NaN for things that are not timestamps', () => {
    const p = new DockerTimestampParser();
    for (const text of ['', 'hello', 'not-a-time', '2026-13-45T99:99:99Z', 'xxxxxxxxxxTxxxxxxxxxZ']) {
      expect(p.parse(text), JSON.stringify(text)).toBeNaN();
    }
    // And still works after garbage.
    expect(p.parse('2026-11-21T11:26:11Z')).toBe(Date.UTC(2026, 10, 21, 11, 26, 11));
  });
});
