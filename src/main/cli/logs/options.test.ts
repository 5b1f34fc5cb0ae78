import { describe, expect, it } from 'vitest';
import { UsageError } from '../args';
import { logsUsage, parseLogsArgs, type LogsOptions } from './options';

const now = Date.UTC(2026, 10, 23, 12, 0, 0);
const parse = (...argv: string[]) => parseLogsArgs(argv, now) as LogsOptions;

function usageError(argv: string[]): UsageError {
  try {
    parseLogsArgs(argv, now);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).usage).toBe(logsUsage);
    return err as UsageError;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('berth logs arguments', () => {
  it('reads a number as a job and anything else as a container', () => {
    expect(parse('7').target).toEqual({ kind: 'job', jobId: 7 });
    expect(parse('3f2a9c81b7d4e5f6').target).toEqual({ kind: 'container', ref: '3f2a9c81b7d4e5f6' });
    expect(parse('web-1').target).toEqual({ kind: 'container', ref: 'web-1' });
    expect(parse('/web_1.a').target).toEqual({ kind: 'container', ref: 'web_1.a' });
  });

  it('has docker-like defaults', () => {
    const o = parse('7');
    expect(o).toMatchObject({ follow: false, tail: null, timestamps: false, json: false, system: true });
    expect(o.since).toBeUndefined();
    expect(o.until).toBeUndefined();
    expect(o.levels).toBeUndefined();
    expect(o.grep).toBeUndefined();
  });

  it('reads every option, in docker spellings', () => {
    const o = parse('-ft', '-n', '20', '--since', '10m', '--until=2026-11-23T11:59:00Z', '--level', 'warn', '--grep', 'disk full', '--json', '--no-system', '7');
    expect(o).toMatchObject({ follow: true, timestamps: true, tail: 20, json: true, system: false, grep: 'disk full', levels: ['warn'] });
    expect(o.since).toBe(now - 600_000);
    expect(o.until).toBe(Date.UTC(2026, 10, 23, 11, 59));
    expect(parse('--tail', 'all', '7').tail).toBeNull();
    expect(parse('--tail=0', '7').tail).toBe(0);
  });

  it('takes levels repeated or comma-separated, in any case, and keeps them in order', () => {
    expect(parse('--level', 'error,WARN', '7').levels).toEqual(['warn', 'error']);
    expect(parse('--level', 'error', '--level', 'debug', '7').levels).toEqual(['debug', 'error']);
    expect(parse('--level', 'info,', '7').levels).toEqual(['info']);
    expect(usageError(['--level', 'loud', '7']).message).toMatch(/'loud' is not a level; use debug, info, warn, error/);
    expect(usageError(['--level', ',', '7']).message).toMatch(/--level needs a level/);
  });

  it('rounds times outwards to whole milliseconds, since inclusive and until exclusive', () => {
    const o = parse('--since', '1763892000.0005', '--until', '1763892001.0005', '7');
    expect(o.since).toBe(1_763_892_000_000);
    expect(o.until).toBe(1_763_892_001_001);
    expect(usageError(['--since', '1h', '--until', '2h', '7']).message).toMatch(/--until must be later than --since/);
    expect(usageError(['--since', 'yesterday', '7']).message).toMatch(/^--since: 'yesterday' is not a time/);
  });

  it('takes plain words for --grep with -f, and search syntax without', () => {
    expect(parse('--grep', '"disk full" OR oom', '7').grep).toBe('"disk full" OR oom');
    expect(parse('-f', '--grep', 'status=500 GET', '7').grep).toBe('status=500 GET');
    expect(usageError(['-f', '--grep', '"disk full"', '7']).message).toMatch(/--grep with -f takes plain words/);
    expect(usageError(['-f', '--grep', 'a OR b', '7']).message).toMatch(/plain words/);
    expect(usageError(['--grep', '  ', '7']).message).toMatch(/needs text/);
    expect(usageError(['--grep', '-- ::', '7']).message).toMatch(/no letters or digits/);
  });

  it('answers help', () => {
    expect(parseLogsArgs(['--help'], now)).toBe('help');
    expect(parseLogsArgs(['7', '-h'], now)).toBe('help');
  });

  it('refuses wrong use with the usage text', () => {
    expect(usageError([]).message).toMatch(/name the job/);
    expect(usageError(['7', '8']).message).toMatch(/one job or container at a time/);
    expect(usageError(['0']).message).toMatch(/not a job id/);
    expect(usageError(['we b']).message).toMatch(/neither a job id/);
    expect(usageError(['--tail', '-3', '7']).message).toMatch(/--tail takes a number of lines or 'all'/);
    expect(usageError(['--tail', 'ten', '7']).message).toMatch(/--tail/);
    expect(usageError(['--bogus', '7']).message).toMatch(/unknown option --bogus/);
  });

  it('documents every option in its usage text', () => {
    for (const option of ['-f, --follow', '-n, --tail', '--since', '--until', '-t, --timestamps', '--level', '--grep', '--json', '--no-system', '--port', '--data-dir', '-h, --help']) {
      expect(logsUsage).toContain(option);
    }
  });
});
