import { describe, expect, it } from 'vitest';
import { validateSchedule, type Schedule } from './cron-schedule';
import { formatDueTime, lateToleranceMs, maxTimerMs, planFire, timerDelay } from './schedule-timing';

const ms = (iso: string): number => Date.parse(iso);
const every2s = (fields: Partial<Schedule> = {}): Schedule => validateSchedule({ cron: '*/2 * * * * *', ...fields });
const daily3am = (fields: Partial<Schedule> = {}): Schedule => validateSchedule({ cron: '0 3 * * *', ...fields });

describe('planFire', () => {
  it('runs the due time a timer fired for, on time or a little after it', () => {
    const schedule = every2s();
    const after = ms('2026-01-01T00:00:00.500Z');
    expect(planFire({ schedule, after, now: ms('2026-01-01T00:00:02.000Z') })).toEqual({
      action: 'run',
      due: new Date('2026-01-01T00:00:02Z'),
      late: false,
    });
    expect(planFire({ schedule, after, now: ms('2026-01-01T00:00:02.900Z') })).toMatchObject({ due: new Date('2026-01-01T00:00:02Z') });
  });

  it('waits when the timer fired before the due time (early timer, chunked long wait)', () => {
    const schedule = every2s();
    expect(planFire({ schedule, after: ms('2026-01-01T00:00:00.000Z'), now: ms('2026-01-01T00:00:01.999Z') })).toEqual({ action: 'wait' });
  });

  it('never runs a due time twice: one at or before `after` was dealt with', () => {
    const schedule = every2s();
    const after = ms('2026-01-01T00:00:02.000Z');
    expect(planFire({ schedule, after, now: after })).toEqual({ action: 'wait' });
    expect(planFire({ schedule, after, now: ms('2026-01-01T00:00:03.999Z') })).toEqual({ action: 'wait' });
  });

  it('waits when the clock was set back behind what was dealt with', () => {
    expect(planFire({ schedule: every2s(), after: ms('2026-01-01T12:00:00Z'), now: ms('2026-01-01T11:00:00Z') })).toEqual({ action: 'wait' });
  });

  it('folds several due times found at once (a blocked event loop) into one run for the latest', () => {
    const plan = planFire({ schedule: every2s(), after: ms('2026-01-01T00:00:00.100Z'), now: ms('2026-01-01T00:00:09.000Z') });
    expect(plan).toEqual({ action: 'run', due: new Date('2026-01-01T00:00:08Z'), late: false });
  });

  it('treats a due time found past the tolerance (the machine slept) as missed: run-once runs it once, late', () => {
    const schedule = daily3am({ missed: 'run-once' });
    const now = ms('2026-01-01T07:00:00Z');
    expect(planFire({ schedule, after: ms('2025-12-31T03:00:00Z'), now })).toEqual({
      action: 'run',
      due: new Date('2026-01-01T03:00:00Z'),
      late: true,
    });
  });

  it('drops a due time found past the tolerance when the policy is missed: skip', () => {
    const schedule = daily3am({ missed: 'skip' });
    expect(planFire({ schedule, after: ms('2025-12-31T03:00:00Z'), now: ms('2026-01-01T07:00:00Z') })).toEqual({
      action: 'drop',
      due: new Date('2026-01-01T03:00:00Z'),
    });
  });

  it('counts lateness against the tolerance inclusively', () => {
    const schedule = daily3am({ missed: 'skip' });
    const due = ms('2026-01-01T03:00:00Z');
    const after = ms('2025-12-31T03:00:00Z');
    expect(planFire({ schedule, after, now: due + lateToleranceMs })).toMatchObject({ action: 'run', late: false });
    expect(planFire({ schedule, after, now: due + lateToleranceMs + 1 })).toMatchObject({ action: 'drop' });
    expect(planFire({ schedule, after, now: due + 5000, toleranceMs: 1000 })).toMatchObject({ action: 'drop' });
  });

  it('reads the cron in the schedule time zone', () => {
    const schedule = daily3am({ timezone: 'Europe/Berlin' });
    // 03:00 in Berlin in winter is 02:00 UTC.
    expect(planFire({ schedule, after: ms('2026-01-01T01:00:00Z'), now: ms('2026-01-01T02:00:30Z') })).toMatchObject({
      action: 'run',
      due: new Date('2026-01-01T02:00:00Z'),
    });
  });
});

describe('timerDelay', () => {
  it('waits until the due time, never less than nothing', () => {
    expect(timerDelay(10_000, 4_000)).toBe(6_000);
    expect(timerDelay(10_000, 10_000)).toBe(0);
    expect(timerDelay(10_000, 12_000)).toBe(0);
  });

  it('caps the wait, so a due time a month away (past setTimeout limit) is reached in steps', () => {
    const month = 31 * 24 * 3600 * 1000;
    expect(timerDelay(month, 0)).toBe(maxTimerMs);
    expect(maxTimerMs).toBeLessThan(2 ** 31 - 1);
  });
});

describe('formatDueTime', () => {
  it('shows the time of day on the schedule clock, with its zone', () => {
    expect(formatDueTime(new Date('2026-01-01T13:04:05Z'), 'UTC')).toBe('13:04:05 UTC');
    expect(formatDueTime(new Date('2026-01-01T13:04:05Z'), 'Europe/Berlin')).toBe('14:04:05 Europe/Berlin');
    expect(formatDueTime(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('00:00:00 UTC');
  });
});
