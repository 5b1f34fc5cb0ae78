/**
 * A template's schedule: a cron expression read in an IANA time zone, plus what to do when a run
 * is due while another still runs (`concurrency`, see schedule-decision.ts) or fell due while
 * Berth was down (`missed`).
 *
 * croner does the calendar work. Its DST rules, which the tests pin down: a fixed-time job
 * (`30 2 * * *`) whose time falls in the spring-forward gap runs at the first time after the gap,
 * and once on a fall-back day; an interval job (`*\/30 * * * *`) skips the gap and runs on both
 * passes of the repeated hour. Due times are whole seconds.
 *
 * The functions here are cron arithmetic only: they ignore `enabled`, which the decisions honour.
 */
import { Cron } from 'croner';
import { BerthError } from '../../../../shared/errors';

export const concurrencyPolicies = ['forbid', 'allow', 'replace'] as const;
export const missedPolicies = ['skip', 'run-once'] as const;

export type Schedule = {
  /** 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; or @daily and the like. */
  cron: string;
  /** IANA name, such as 'Europe/Berlin'. */
  timezone: string;
  enabled: boolean;
  concurrency: (typeof concurrencyPolicies)[number];
  missed: (typeof missedPolicies)[number];
};

export type ScheduleInput = Pick<Schedule, 'cron'> & Partial<Omit<Schedule, 'cron'>>;

const defaults: Omit<Schedule, 'cron'> = { timezone: 'UTC', enabled: true, concurrency: 'forbid', missed: 'skip' };
const fields: ReadonlySet<string> = new Set(['cron', ...Object.keys(defaults)]);

/** Fills in the defaults and checks every field; the error says what is wrong and what would do. */
export function validateSchedule(input: ScheduleInput): Schedule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) invalid('a schedule must be an object');
  for (const key of Object.keys(input)) {
    if (!fields.has(key)) invalid(`unknown field '${key}'; a schedule has ${[...fields].join(', ')}`);
  }
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const { cron, timezone, enabled, concurrency, missed } = { ...defaults, ...given } as Schedule;

  if (typeof timezone !== 'string') invalid(`timezone must be a time zone name such as 'Europe/Berlin'`);
  const zone = normalizeTimeZone(timezone.trim());
  const expression = normalizeCron(cron, zone);
  if (typeof enabled !== 'boolean') invalid(`enabled must be true or false; got ${show(enabled)}`);
  if (!concurrencyPolicies.includes(concurrency)) {
    invalid(`concurrency must be one of ${concurrencyPolicies.map(show).join(', ')}; got ${show(concurrency)}`);
  }
  if (!missedPolicies.includes(missed)) invalid(`missed must be one of ${missedPolicies.map(show).join(', ')}; got ${show(missed)}`);
  return { cron: expression, timezone: zone, enabled, concurrency, missed };
}

/** The next `count` due times strictly after `from`, oldest first (fewer if the calendar runs out). */
export function nextRuns(schedule: Schedule, from: Date, count: number): Date[] {
  checkDate('from', from);
  checkCount('count', count);
  return count === 0 ? [] : compile(schedule).nextRuns(count, from);
}

/**
 * The due times in (after, upTo], oldest first, at most `limit` of them: the runs missed while
 * Berth was down, or those that fell due since the last tick.
 */
export function dueBetween(schedule: Schedule, after: Date, upTo: Date, limit: number): Date[] {
  checkDate('after', after);
  checkDate('upTo', upTo);
  checkCount('limit', limit);
  const cron = compile(schedule);
  const due: Date[] = [];
  for (let next = cron.nextRun(after); next && next <= upTo && due.length < limit; next = cron.nextRun(next)) {
    due.push(next);
  }
  return due;
}

/** The latest due time strictly before `before`, found by searching back (cheap after a long downtime). */
export function lastDueBefore(schedule: Schedule, before: Date): Date | null {
  checkDate('before', before);
  return compile(schedule).previousRuns(1, before)[0] ?? null;
}

/** Without a callback croner only computes: no timer is started. */
function compile(schedule: Pick<Schedule, 'cron' | 'timezone'>): Cron {
  return new Cron(schedule.cron, { timezone: schedule.timezone, mode: '5-or-6-parts' });
}

const cronFieldNames = ['second', 'minute', 'hour', 'day of month', 'month', 'day of week'];
/** croner reports some values as its 0-based index (day 32 as "31"), so the range is stated instead. */
const cronRanges: Record<string, string> = {
  second: 'second must be 0-59',
  minute: 'minute must be 0-59',
  hour: 'hour must be 0-23',
  day: 'day of month must be 1-31',
  month: 'month must be 1-12 or JAN-DEC',
  dayOfWeek: 'day of week must be 0-7 or SUN-SAT (0 and 7 are Sunday)',
};

function normalizeCron(cron: unknown, timezone: string): string {
  if (typeof cron !== 'string' || cron.trim() === '') {
    invalid(`cron is required, such as '0 3 * * *' (every day at 03:00) or '*/10 * * * * *' (every 10 seconds)`);
  }
  const parts = cron.trim().split(/\s+/);
  const expression = parts.join(' ');
  // Checked here because croner also takes 7 fields (years) and reads a lone ISO date as a one-off run.
  if (!expression.startsWith('@') && parts.length !== 5 && parts.length !== 6) {
    invalid(
      `cron '${expression}' has ${parts.length} field${parts.length === 1 ? '' : 's'}; ` +
        'use 5 (minute hour day-of-month month day-of-week) or 6 with seconds first',
    );
  }
  let compiled: Cron;
  try {
    compiled = compile({ cron: expression, timezone });
  } catch (err) {
    invalid(`cron '${expression}' is not valid: ${explainCronError((err as Error).message)}`);
  }
  if (compiled.nextRun(new Date(0)) === null) invalid(`cron '${expression}' never matches a date`);
  return expression;
}

function explainCronError(message: string): string {
  const detail = message.replace(/^CronPattern: /, '');
  const range = /^Invalid value for (\w+)/.exec(detail);
  const rangeText = range?.[1] === undefined ? undefined : cronRanges[range[1]];
  if (rangeText) return rangeText;
  const illegal = /^configuration entry (\d+) \((.*)\) contains illegal characters/.exec(detail);
  if (illegal) return `${cronFieldNames[Number(illegal[1])] ?? 'a field'} '${illegal[2]}' contains characters not allowed there`;
  return detail;
}

/** Checked with Intl (what croner converts with); a name differing only in case gets its usual spelling. */
function normalizeTimeZone(zone: string): string {
  // Some runtimes take '+01:00' and some do not: refuse offsets everywhere alike.
  if (/^[+-]\d/.test(zone)) {
    invalid(`timezone '${zone}' is an offset; use an IANA name such as 'Europe/Berlin' (or 'Etc/GMT-1' for a fixed UTC+1)`);
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    invalid(`unknown timezone '${zone}'; use an IANA name such as 'Europe/Berlin', 'America/New_York' or 'UTC'`);
  }
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

function checkDate(name: string, date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError(`${name} must be a valid Date`);
}

function checkCount(name: string, count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`${name} must be a whole number, 0 or more; got ${count}`);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function invalid(message: string): never {
  throw new BerthError('bad_request', `schedule: ${message}`);
}
