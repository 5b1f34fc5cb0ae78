import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../../shared/errors';
import { dueBetween, lastDueBefore, nextRuns, validateSchedule, type ScheduleInput } from './cron-schedule';

const at = (iso: string): Date => new Date(iso);
const isos = (dates: Date[]): string[] => dates.map((d) => d.toISOString());
const schedule = (cron: string, timezone = 'UTC') => validateSchedule({ cron, timezone });

describe('validateSchedule', () => {
  it('fills in UTC, enabled, forbid and skip', () => {
    expect(validateSchedule({ cron: '0 3 * * *' })).toEqual({
      cron: '0 3 * * *',
      timezone: 'UTC',
      enabled: true,
      concurrency: 'forbid',
      missed: 'skip',
    });
  });

  it('keeps what is given', () => {
    const input = { cron: '*/5 * * * * *', timezone: 'Europe/Berlin', enabled: false, concurrency: 'replace', missed: 'run-once' } as const;
    expect(validateSchedule(input)).toEqual(input);
  });

  it('treats a field set to undefined as left out', () => {
    expect(validateSchedule({ cron: '0 3 * * *', timezone: undefined, concurrency: undefined })).toMatchObject({
      timezone: 'UTC',
      concurrency: 'forbid',
    });
  });

  it('tidies the spaces of an expression and the case of a zone name', () => {
    expect(validateSchedule({ cron: '  0   3 * *  * ', timezone: ' europe/berlin ' })).toMatchObject({
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
    });
    expect(validateSchedule({ cron: '0 3 * * *', timezone: 'utc' }).timezone).toBe('UTC');
  });

  it('accepts 5 and 6 fields, names of days and months, and nicknames', () => {
    for (const cron of ['0 3 * * *', '*/2 * * * * *', '0 9 * JAN-MAR MON-FRI', '0 0 L * *', '@daily', '@hourly']) {
      expect(validateSchedule({ cron }).cron).toBe(cron);
    }
  });

  it.each([
    ['', /cron is required, such as '0 3 \* \* \*'/],
    ['   ', /cron is required/],
    ['* * * *', /cron '\* \* \* \*' has 4 fields; use 5 \(minute hour day-of-month month day-of-week\) or 6 with seconds first/],
    ['0 0 0 1 1 * 2030', /has 7 fields/],
    ['2030-01-01T00:00:00', /has 1 field;/],
    ['0 24 * * *', /cron '0 24 \* \* \*' is not valid: hour must be 0-23/],
    ['60 * * * *', /minute must be 0-59/],
    ['60 * * * * *', /second must be 0-59/],
    ['0 0 32 * *', /day of month must be 1-31/],
    ['0 0 0 * *', /day of month must be 1-31/],
    ['0 0 1 13 *', /month must be 1-12 or JAN-DEC/],
    ['0 0 * * 8', /day of week must be 0-7 or SUN-SAT/],
    ['MON * * * *', /minute 'MON' contains characters not allowed there/],
    ['0 0 * * FOO', /day of week 'FOO' contains characters not allowed there/],
    ['*/0 * * * *', /is not valid: Syntax error, illegal stepping: 0/],
    ['5-1 * * * *', /is not valid: From value is larger than to value: '5-1'/],
    ['@reboot', /is not valid: @reboot is not supported/],
    ['0 0 31 2 *', /cron '0 0 31 2 \*' never matches a date/],
  ])('refuses the expression %j, saying what is wrong', (cron, message) => {
    expect(() => validateSchedule({ cron })).toThrow(message);
  });

  it('refuses an unknown time zone and an offset, suggesting IANA names', () => {
    expect(() => validateSchedule({ cron: '0 3 * * *', timezone: 'Mars/Olympus_Mons' })).toThrow(
      /unknown timezone 'Mars\/Olympus_Mons'; use an IANA name such as 'Europe\/Berlin'/,
    );
    expect(() => validateSchedule({ cron: '0 3 * * *', timezone: '' })).toThrow(/unknown timezone ''/);
    expect(() => validateSchedule({ cron: '0 3 * * *', timezone: '+01:00' })).toThrow(
      /timezone '\+01:00' is an offset; use an IANA name such as 'Europe\/Berlin' \(or 'Etc\/GMT-1' for a fixed UTC\+1\)/,
    );
  });

  it.each([
    [{ cron: '0 3 * * *', enabled: 'yes' }, /enabled must be true or false; got 'yes'/],
    [{ cron: '0 3 * * *', concurrency: 'queue' }, /concurrency must be one of 'forbid', 'allow', 'replace'; got 'queue'/],
    [{ cron: '0 3 * * *', missed: 'all' }, /missed must be one of 'skip', 'run-once'; got 'all'/],
    [{ cron: '0 3 * * *', timezone: 1 }, /timezone must be a time zone name/],
    [{ cron: 3 }, /cron is required/],
    [{}, /cron is required/],
    [{ cron: '0 3 * * *', tz: 'UTC' }, /unknown field 'tz'; a schedule has cron, timezone, enabled, concurrency, missed/],
  ])('refuses %j', (input, message) => {
    expect(() => validateSchedule(input as unknown as ScheduleInput)).toThrow(message);
  });

  it('throws request errors that start with "schedule:"', () => {
    let caught: unknown;
    try {
      validateSchedule({ cron: 'nope' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BerthError);
    expect(caught).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^schedule: cron 'nope'/) });
  });
});

describe('nextRuns', () => {
  it('lists the next due times strictly after the given time', () => {
    const hourly = schedule('0 * * * *');
    expect(isos(nextRuns(hourly, at('2026-01-01T10:00:00Z'), 3))).toEqual([
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
      '2026-01-01T13:00:00.000Z',
    ]);
    expect(isos(nextRuns(hourly, at('2026-01-01T09:59:59.999Z'), 1))).toEqual(['2026-01-01T10:00:00.000Z']);
  });

  it('runs every other second with a seconds field', () => {
    expect(isos(nextRuns(schedule('*/2 * * * * *'), at('2026-01-01T10:00:00.500Z'), 4))).toEqual([
      '2026-01-01T10:00:02.000Z',
      '2026-01-01T10:00:04.000Z',
      '2026-01-01T10:00:06.000Z',
      '2026-01-01T10:00:08.000Z',
    ]);
    expect(isos(nextRuns(schedule('*/2 * * * * *'), at('2026-01-01T10:00:59Z'), 1))).toEqual(['2026-01-01T10:01:00.000Z']);
  });

  it('reads the expression in the schedule’s time zone', () => {
    // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
    const ny = schedule('0 9 * * *', 'America/New_York');
    expect(isos(nextRuns(ny, at('2026-01-15T00:00:00Z'), 1))).toEqual(['2026-01-15T14:00:00.000Z']);
    expect(isos(nextRuns(ny, at('2026-07-15T00:00:00Z'), 1))).toEqual(['2026-07-15T13:00:00.000Z']);
  });

  it('runs a 02:30 daily job at 03:00 on the day Berlin skips from 02:00 to 03:00', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
    const berlin = schedule('30 2 * * *', 'Europe/Berlin');
    expect(isos(nextRuns(berlin, at('2026-03-27T12:00:00Z'), 3))).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST, the first time after the gap
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('runs a 02:30 daily job once on the day Berlin repeats 02:00 to 03:00', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice that day.
    const berlin = schedule('30 2 * * *', 'Europe/Berlin');
    expect(isos(nextRuns(berlin, at('2026-10-24T12:00:00Z'), 2))).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, the first pass
      '2026-10-26T01:30:00.000Z', // 02:30 CET the next day
    ]);
  });

  it('skips the gap and runs both passes of the repeated hour for an interval job', () => {
    const halfHourly = schedule('*/30 * * * *', 'Europe/Berlin');
    expect(isos(nextRuns(halfHourly, at('2026-03-29T00:00:00Z'), 3))).toEqual([
      '2026-03-29T00:30:00.000Z', // 01:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-29T01:30:00.000Z', // 03:30 CEST
    ]);
    expect(isos(nextRuns(halfHourly, at('2026-10-24T23:59:00Z'), 6))).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T01:30:00.000Z', // 02:30 CET
      '2026-10-25T02:00:00.000Z', // 03:00 CET
      '2026-10-25T02:30:00.000Z',
    ]);
  });

  it('gives nothing for a count of 0 and refuses a bad count or date', () => {
    const hourly = schedule('0 * * * *');
    expect(nextRuns(hourly, at('2026-01-01T00:00:00Z'), 0)).toEqual([]);
    expect(() => nextRuns(hourly, at('2026-01-01T00:00:00Z'), -1)).toThrow(RangeError);
    expect(() => nextRuns(hourly, at('2026-01-01T00:00:00Z'), 1.5)).toThrow(/count must be a whole number/);
    expect(() => nextRuns(hourly, new Date(Number.NaN), 1)).toThrow(/from must be a valid Date/);
  });

  it('is cron arithmetic only: a disabled schedule still has due times', () => {
    const off = validateSchedule({ cron: '0 * * * *', enabled: false });
    expect(nextRuns(off, at('2026-01-01T10:00:00Z'), 1)).toHaveLength(1);
  });
});

describe('dueBetween', () => {
  const everyTenMinutes = schedule('*/10 * * * *');

  it('lists the due times after the start and up to and including the end', () => {
    expect(isos(dueBetween(everyTenMinutes, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:30:00Z'), 10))).toEqual([
      '2026-01-01T10:10:00.000Z',
      '2026-01-01T10:20:00.000Z',
      '2026-01-01T10:30:00.000Z',
    ]);
  });

  it('counts a due time to the millisecond: just before the start is out, just before the end is in', () => {
    expect(isos(dueBetween(everyTenMinutes, at('2026-01-01T09:59:59.999Z'), at('2026-01-01T10:10:00.001Z'), 10))).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:10:00.000Z',
    ]);
    expect(dueBetween(everyTenMinutes, at('2026-01-01T10:00:00.001Z'), at('2026-01-01T10:09:59.999Z'), 10)).toEqual([]);
  });

  it('gives the oldest `limit` due times after a long downtime', () => {
    const due = dueBetween(schedule('*/2 * * * * *'), at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), 3);
    expect(isos(due)).toEqual(['2026-01-01T00:00:02.000Z', '2026-01-01T00:00:04.000Z', '2026-01-01T00:00:06.000Z']);
  });

  it('gives nothing for an empty or backward window, or a limit of 0', () => {
    expect(dueBetween(everyTenMinutes, at('2026-01-01T10:30:00Z'), at('2026-01-01T10:30:00Z'), 10)).toEqual([]);
    expect(dueBetween(everyTenMinutes, at('2026-01-01T11:00:00Z'), at('2026-01-01T10:00:00Z'), 10)).toEqual([]);
    expect(dueBetween(everyTenMinutes, at('2026-01-01T10:00:00Z'), at('2026-01-01T11:00:00Z'), 0)).toEqual([]);
    expect(() => dueBetween(everyTenMinutes, at('2026-01-01T10:00:00Z'), at('2026-01-01T11:00:00Z'), -1)).toThrow(RangeError);
  });

  it('lists the fall-back day’s repeated 02:30 once for a daily job', () => {
    const berlin = schedule('30 2 * * *', 'Europe/Berlin');
    expect(isos(dueBetween(berlin, at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z'), 10))).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });
});

describe('lastDueBefore', () => {
  const hourly = schedule('0 * * * *');

  it('gives the latest due time strictly before the given time', () => {
    expect(lastDueBefore(hourly, at('2026-01-01T10:30:00Z'))?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(lastDueBefore(hourly, at('2026-01-01T10:00:00Z'))?.toISOString()).toBe('2026-01-01T09:00:00.000Z');
    expect(lastDueBefore(hourly, at('2026-01-01T10:00:00.001Z'))?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('agrees with the forward search across the spring-forward gap', () => {
    const berlin = schedule('30 2 * * *', 'Europe/Berlin');
    expect(lastDueBefore(berlin, at('2026-03-29T12:00:00Z'))?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });
});
