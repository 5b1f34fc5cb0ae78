import { describe, expect, it } from 'vitest';
import { dockerTimestamp, parseDuration, parseTime } from './time';

const now = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('parseDuration', () => {
  it("reads Go durations as docker logs --since does", () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1m30s250ms')).toBe(90_250);
    expect(parseDuration('1500us')).toBeCloseTo(1.5);
    expect(parseDuration('-10m')).toBe(-600_000);
    expect(parseDuration('.5s')).toBe(500);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', '-', '10', '1d', 'm', '10 m', '1h-30m', '2026-11-23', 'h1']) expect(parseDuration(text), text).toBeNull();
  });
});

describe('parseTime', () => {
  it('takes a duration back from now', () => {
    expect(parseTime('10m', now)).toBe(now - 600_000);
    expect(parseTime('1h30m', now)).toBe(now - 5_400_000);
    expect(parseTime('-1m', now)).toBe(now + 60_000);
  });

  it('takes RFC 3339 times with a zone', () => {
    expect(parseTime('2026-11-23T10:00:00Z', now)).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseTime('2026-11-23t10:00:00z', now)).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseTime('2026-11-23T10:00:00.123Z', now)).toBe(Date.UTC(2026, 10, 23, 10, 0, 0, 123));
    expect(parseTime('2026-11-23T10:00:00.123456789Z', now)).toBeCloseTo(Date.UTC(2026, 10, 23, 10, 0, 0, 123) + 0.456789, 6);
    expect(parseTime('2026-11-23T11:30:00+01:30', now)).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseTime('2026-11-23T05:00:00-05:00', now)).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseTime('2026-11-23T10:15Z', now)).toBe(Date.UTC(2026, 10, 23, 10, 15));
    expect(parseTime('2026-11-23T10Z', now)).toBe(Date.UTC(2026, 10, 23, 10));
    expect(parseTime('2026-11-23Z', now)).toBe(Date.UTC(2026, 10, 23));
  });

  it('reads a time without a zone as local time', () => {
    expect(parseTime('2026-11-23T10:00:00', now)).toBe(new Date(2026, 10, 23, 10).getTime());
    expect(parseTime('2026-11-23T10:00', now)).toBe(new Date(2026, 10, 23, 10).getTime());
    expect(parseTime('2026-11-23T10', now)).toBe(new Date(2026, 10, 23, 10).getTime());
    expect(parseTime('2026-11-23', now)).toBe(new Date(2026, 10, 23).getTime());
    expect(parseTime('2026-11-23T10:00:00.5', now)).toBe(new Date(2026, 10, 23, 10, 0, 0, 500).getTime());
  });

  it('takes Unix timestamps in seconds, with up to nine fraction digits; 0 is the epoch', () => {
    expect(parseTime('1763892000', now)).toBe(1_763_892_000_000);
    expect(parseTime('1763892000.5', now)).toBe(1_763_892_000_500);
    expect(parseTime('1763892000.123456789', now)).toBeCloseTo(1_763_892_000_123.456789, 3);
    expect(parseTime('0', now)).toBe(0);
    expect(parseTime(' 1763892000 ', now)).toBe(1_763_892_000_000);
  });

  it('says what it accepts when it cannot read the time', () => {
    for (const text of ['yesterday', '10 minutes', '2026-13-01', '2026-02-30', '2026-11-23T25:00Z', '2026-11-23 10:00', '1763892000.1234567890', '']) {
      expect(() => parseTime(text, now), text).toThrow(RangeError);
    }
    expect(() => parseTime('yesterday', now)).toThrow(/RFC 3339 .*Unix timestamp .*duration/);
    expect(() => parseTime('2026-02-30', now)).toThrow(/not a valid date/);
  });
});

describe('dockerTimestamp', () => {
  it('prints RFC 3339 in UTC with nine fraction digits, as docker logs -t does', () => {
    expect(dockerTimestamp(Date.UTC(2026, 10, 23, 10, 0, 0, 123))).toBe('2026-11-23T10:00:00.123000000Z');
    expect(dockerTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe('2026-01-02T03:04:05.000000000Z');
  });
});
