import { describe, expect, it } from 'vitest';
import { validateSchedule, type Schedule } from './cron-schedule';
import { catchUp, decideDue } from './schedule-decision';

const at = (iso: string): Date => new Date(iso);
const hourly = (fields: Partial<Schedule> = {}): Schedule => validateSchedule({ cron: '0 * * * *', ...fields });

describe('decideDue', () => {
  it('starts a due run when nothing of the schedule is pending or running, whatever the policy', () => {
    for (const concurrency of ['forbid', 'allow', 'replace'] as const) {
      expect(decideDue({ schedule: hourly({ concurrency }), running: 0 })).toBe('start');
    }
  });

  it('forbid: skips the due run while one still runs', () => {
    expect(decideDue({ schedule: hourly({ concurrency: 'forbid' }), running: 1 })).toBe('skip');
    expect(decideDue({ schedule: hourly({ concurrency: 'forbid' }), running: 3 })).toBe('skip');
  });

  it('allow: starts the due run beside those still running', () => {
    expect(decideDue({ schedule: hourly({ concurrency: 'allow' }), running: 1 })).toBe('start');
    expect(decideDue({ schedule: hourly({ concurrency: 'allow' }), running: 5 })).toBe('start');
  });

  it('replace: asks to cancel those still running, then start', () => {
    expect(decideDue({ schedule: hourly({ concurrency: 'replace' }), running: 1 })).toBe('replace');
    expect(decideDue({ schedule: hourly({ concurrency: 'replace' }), running: 2 })).toBe('replace');
  });

  it('skips every run of a disabled schedule', () => {
    for (const concurrency of ['forbid', 'allow', 'replace'] as const) {
      expect(decideDue({ schedule: hourly({ concurrency, enabled: false }), running: 0 })).toBe('skip');
    }
  });

  it('refuses a count of running jobs that is not a whole number from 0', () => {
    expect(() => decideDue({ schedule: hourly(), running: -1 })).toThrow(RangeError);
    expect(() => decideDue({ schedule: hourly(), running: 0.5 })).toThrow(/running must be a whole number/);
  });
});

describe('catchUp', () => {
  const runOnce = hourly({ missed: 'run-once' });

  it('run-once: makes up for a downtime with one run, for the latest missed due time', () => {
    // Down from 10:05 to 14:20: 11:00, 12:00, 13:00 and 14:00 were missed.
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T10:05:00Z'), now: at('2026-01-01T14:20:00Z') })).toEqual(
      at('2026-01-01T14:00:00Z'),
    );
  });

  it('run-once: makes up for a single missed run', () => {
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T10:00:00Z'), now: at('2026-01-01T11:30:00Z') })).toEqual(
      at('2026-01-01T11:00:00Z'),
    );
  });

  it('run-once: nothing to make up when no due time passed since the last run', () => {
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T10:00:00Z'), now: at('2026-01-01T10:59:59Z') })).toBeNull();
  });

  it('leaves the run due exactly now to the regular tick', () => {
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T10:00:00Z'), now: at('2026-01-01T11:00:00Z') })).toBeNull();
    // With two due times passed, the one before now is the catch-up.
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T09:30:00Z'), now: at('2026-01-01T11:00:00Z') })).toEqual(
      at('2026-01-01T10:00:00Z'),
    );
    // A millisecond later, 11:00 has passed and is missed.
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T10:00:00Z'), now: at('2026-01-01T11:00:00.001Z') })).toEqual(
      at('2026-01-01T11:00:00Z'),
    );
  });

  it('does not count the due time of the last run itself as missed', () => {
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T11:00:00Z'), now: at('2026-01-01T11:30:00Z') })).toBeNull();
  });

  it('skip: makes up for nothing, however long Berth was down', () => {
    const skip = hourly({ missed: 'skip' });
    expect(catchUp({ schedule: skip, lastRunAt: at('2026-01-01T10:00:00Z'), now: at('2026-01-09T10:30:00Z') })).toBeNull();
  });

  it('makes up for nothing when the schedule never ran or is disabled', () => {
    expect(catchUp({ schedule: runOnce, lastRunAt: null, now: at('2026-01-01T14:20:00Z') })).toBeNull();
    const disabled = hourly({ missed: 'run-once', enabled: false });
    expect(catchUp({ schedule: disabled, lastRunAt: at('2026-01-01T10:00:00Z'), now: at('2026-01-01T14:20:00Z') })).toBeNull();
  });

  it('makes up for nothing when the last run looks later than now (the clock went back)', () => {
    expect(catchUp({ schedule: runOnce, lastRunAt: at('2026-01-01T15:00:00Z'), now: at('2026-01-01T14:20:00Z') })).toBeNull();
  });

  it('finds the latest missed second of a seconds schedule after a month away, at once', () => {
    const everyOtherSecond = validateSchedule({ cron: '*/2 * * * * *', missed: 'run-once' });
    expect(catchUp({ schedule: everyOtherSecond, lastRunAt: at('2026-01-01T00:00:00Z'), now: at('2026-02-01T00:00:03.5Z') })).toEqual(
      at('2026-02-01T00:00:02Z'),
    );
  });

  it('catches up the 03:00 run that stands in for 02:30 on Berlin’s spring-forward day', () => {
    const berlin = validateSchedule({ cron: '30 2 * * *', timezone: 'Europe/Berlin', missed: 'run-once' });
    // Last ran 28 March 02:30 CET; back on 29 March at 08:00 CEST.
    expect(catchUp({ schedule: berlin, lastRunAt: at('2026-03-28T01:30:00Z'), now: at('2026-03-29T06:00:00Z') })).toEqual(
      at('2026-03-29T01:00:00Z'),
    );
  });
});
