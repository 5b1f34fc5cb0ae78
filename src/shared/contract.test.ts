import { describe, expect, it } from 'vitest';
import { plainTemplate } from '../../test/support/template-fields';
import type { z } from 'zod';
import { describeIssues, downloads, requests, streams } from './contract';

/** The parsed value, or the message a person would see. */
function parse(schema: z.ZodType, input: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, message: describeIssues(r.error) };
}

function rejected(schema: z.ZodType, input: unknown): string {
  const r = parse(schema, input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected, got ${JSON.stringify(r.value)}`);
  return r.message;
}

describe('templates.create input', () => {
  const schema = requests['templates.create'].input;

  it('splits a command string like a shell and takes an argv array as is', () => {
    expect(parse(schema, { name: 'a', image: 'busybox', command: `sh -c 'echo "hi there"'` })).toEqual({
      ok: true,
      value: { ...plainTemplate('a'), command: ['sh', '-c', 'echo "hi there"'] },
    });
    expect(parse(schema, { name: 'a', image: 'busybox', command: ['sh', '-c', 'echo   hi'] })).toMatchObject({
      ok: true,
      value: { command: ['sh', '-c', 'echo   hi'] },
    });
  });

  it('defaults to the image’s own command, no environment, no limits, no retry or schedule', () => {
    expect(parse(schema, { name: ' a ', image: 'busybox' })).toEqual({ ok: true, value: plainTemplate('a') });
  });

  it('takes every run field, and checks volumes, limits and the pull policy', () => {
    const full = {
      name: 'full',
      image: 'busybox',
      entrypoint: 'sh -c',
      workingDir: '/work',
      user: '1000:1000',
      secretEnv: { TOKEN: 's3cret' },
      cpus: 0.5,
      memoryBytes: '67108864',
      pidsLimit: 64,
      network: 'none',
      volumes: ['data:/data', '/tmp:/host-tmp:ro'],
      labels: { team: 'ops' },
      pullPolicy: 'never',
      hostId: '2',
      timeoutSeconds: 30,
      retry: { attempts: 3, on: ['failed', 137] },
      schedule: { cron: '*/2 * * * * *', enabled: 'true' },
    };
    expect(parse(schema, full)).toMatchObject({
      ok: true,
      value: { entrypoint: ['sh', '-c'], memoryBytes: 67108864, hostId: 2, schedule: { cron: '*/2 * * * * *', enabled: true } },
    });
    expect(rejected(schema, { ...full, volumes: ['relative:path'] })).toMatch(/^volumes\.0: a volume is/);
    expect(rejected(schema, { ...full, memoryBytes: 1024 })).toMatch(/^memoryBytes: .*6 MiB/);
    expect(rejected(schema, { ...full, pullPolicy: 'sometimes' })).toMatch(/^pullPolicy: /);
    expect(rejected(schema, { ...full, workingDir: 'work' })).toMatch(/^workingDir: .*absolute/);
    expect(rejected(schema, { ...full, retry: { attempts: 0 } })).toMatch(/^retry\.attempts: /);
  });

  it('takes env as an object or as Docker’s ["K=V"] list, keeping "=" in values', () => {
    expect(parse(schema, { name: 'a', image: 'i', env: { A: '1', B: 'x=y' } })).toMatchObject({
      ok: true,
      value: { env: { A: '1', B: 'x=y' } },
    });
    expect(parse(schema, { name: 'a', image: 'i', env: ['A=1', 'B=x=y', 'EMPTY='] })).toMatchObject({
      ok: true,
      value: { env: { A: '1', B: 'x=y', EMPTY: '' } },
    });
  });

  it('names the field and the problem when it rejects input', () => {
    expect(rejected(schema, { name: 'a', image: 'bad image' })).toBe('image: image cannot contain spaces');
    expect(rejected(schema, { name: 'a', image: 'i', command: "sh -c 'echo" })).toBe(
      'command: unterminated single quote in command',
    );
    expect(rejected(schema, { name: 'a', image: 'i', env: ['NOEQUALS'] })).toBe(
      "env.0: each entry must look like 'NAME=value'",
    );
    expect(rejected(schema, { name: 'a', image: 'i', extra: true })).toMatch(/^input: .*extra/);
    expect(rejected(schema, { name: '', image: 'i' })).toMatch(/^name: /);
    expect(rejected(schema, { image: 'i' })).toMatch(/^name: /);
  });

  it('explains a bad env or command, not just "invalid input"', () => {
    expect(rejected(schema, { name: 'a', image: 'i', env: { 'A=B': 'x' } })).toBe(
      "env.A=B: environment variable names cannot contain '=' or NUL",
    );
    expect(rejected(schema, { name: 'a', image: 'i', env: { A: 1 } })).toMatch(/^env\.A: .*expected string/);
    expect(rejected(schema, { name: 'a', image: 'i', env: 42 })).toMatch(/^env: .*expected (record|object) or array/);
    expect(rejected(schema, { name: 'a', image: 'i', command: 42 })).toMatch(/^command: .*expected string or array/);
  });

  it('joins several problems into one message', () => {
    const message = rejected(schema, { name: 'a', image: 'bad image', env: ['NOEQUALS'] });
    expect(message.split('; ').sort()).toEqual(["env.0: each entry must look like 'NAME=value'", 'image: image cannot contain spaces']);
  });
});

describe('jobs.get input', () => {
  const schema = requests['jobs.get'].input;

  it('coerces a string of digits, as path parameters arrive', () => {
    expect(parse(schema, { id: '12' })).toEqual({ ok: true, value: { id: 12 } });
    expect(parse(schema, { id: 12 })).toEqual({ ok: true, value: { id: 12 } });
  });

  it('rejects ids that are not positive integers', () => {
    for (const id of ['abc', '-1', -1, 0, '0', '1.5', 1.5, '', null]) {
      expect(rejected(schema, { id }), JSON.stringify(id)).toMatch(/^id: /);
    }
  });
});

describe('logs.query input', () => {
  const schema = requests['logs.query'].input;

  it('defaults the limit to 1000 and coerces query-string numbers', () => {
    expect(parse(schema, {})).toEqual({ ok: true, value: { limit: 1000 } });
    expect(parse(schema, { jobId: '3', since: '100', limit: '5', afterId: '0' })).toEqual({
      ok: true,
      value: { jobId: [3], since: 100, limit: 5, afterId: 0 },
    });
  });

  it('reads a repeated parameter as "any of" and takes ISO 8601 times', () => {
    expect(parse(schema, { level: ['warn', 'error'], sourceType: 'system', jobId: ['1', '2'] })).toMatchObject({
      ok: true,
      value: { level: ['warn', 'error'], sourceType: ['system'], jobId: [1, 2] },
    });
    expect(parse(schema, { since: '2026-11-23T10:00:00Z', until: '2026-11-23T10:00:00.500+01:00' })).toMatchObject({
      ok: true,
      value: { since: Date.UTC(2026, 10, 23, 10), until: Date.UTC(2026, 10, 23, 9, 0, 0, 500) },
    });
    expect(rejected(schema, { since: 'yesterday' })).toMatch(/^since: .*ISO 8601/);
  });

  it('checks a regex before it runs and asks for a filter that bounds it', () => {
    expect(parse(schema, { jobId: 1, regex: '(?i)^error' })).toMatchObject({ ok: true, value: { regex: '(?i)^error' } });
    expect(rejected(schema, { jobId: 1, regex: '(unclosed' })).toMatch(/^regex: not a valid regular expression/);
    expect(rejected(schema, { regex: 'error' })).toMatch(/^regex: a regex needs a narrowing filter/);
    expect(parse(schema, { since: 1, regex: 'error' })).toMatchObject({ ok: true });
  });

  it('rejects unknown keys and out-of-range values', () => {
    expect(rejected(schema, { jobid: 3 })).toMatch(/jobid/);
    expect(rejected(schema, { limit: 0 })).toMatch(/^limit: /);
    expect(rejected(schema, { limit: 100_001 })).toMatch(/^limit: /);
    expect(rejected(schema, { containerId: 'xyz' })).toBe('containerId: containerId must be hexadecimal');
    expect(rejected(schema, { level: 'loud' })).toMatch(/^level: /);
    expect(rejected(schema, { sourceType: 'kernel' })).toMatch(/^sourceType: /);
  });
});

describe('settings and retention input', () => {
  it('takes part of the settings and refuses a budget under 1 MiB', () => {
    const schema = requests['settings.update'].input;
    expect(parse(schema, { logs: { maxAgeDays: '7' } })).toEqual({ ok: true, value: { logs: { maxAgeDays: 7 } } });
    expect(rejected(schema, { logs: { maxBytes: 1000 } })).toMatch(/^logs\.maxBytes: maxBytes must be at least 1 MiB/);
    expect(rejected(schema, { logs: { maxAgeDays: 0 } })).toMatch(/^logs\.maxAgeDays: /);
    expect(rejected(schema, { logs: { keep: 1 } })).toMatch(/keep/);
  });

  it("takes a template's own retention, either field", () => {
    const schema = requests['templates.create'].input;
    expect(parse(schema, { name: 'a', image: 'i', logRetention: { maxBytes: 2 * 1024 * 1024 } })).toMatchObject({
      ok: true,
      value: { logRetention: { maxBytes: 2 * 1024 * 1024 } },
    });
    expect(rejected(schema, { name: 'a', image: 'i', logRetention: { maxAgeDays: -1 } })).toMatch(/^logRetention\.maxAgeDays: /);
  });
});

describe('logs.export input', () => {
  const schema = downloads['logs.export'].input;

  it('exports NDJSON without compression unless asked, and reads gzip=1 from a query string', () => {
    expect(parse(schema, { jobId: '4' })).toEqual({ ok: true, value: { jobId: [4], format: 'ndjson', gzip: false } });
    expect(parse(schema, { format: 'text', gzip: '1' })).toMatchObject({ ok: true, value: { format: 'text', gzip: true } });
    expect(rejected(schema, { format: 'csv' })).toMatch(/^format: /);
    expect(rejected(schema, { gzip: 'yes' })).toMatch(/^gzip: expected true or false/);
  });
});

describe('the logs stream', () => {
  it('follows either a job or a container, not both and not neither', () => {
    const params = streams.logs.params;
    expect(parse(params, { jobId: '3' })).toEqual({ ok: true, value: { jobId: 3 } });
    expect(parse(params, { containerId: 'abcdef123456' })).toEqual({ ok: true, value: { containerId: 'abcdef123456' } });
    expect(rejected(params, {})).toMatch(/either jobId or containerId/);
    expect(rejected(params, { jobId: 1, containerId: 'abcdef123456' })).toMatch(/either jobId or containerId/);
  });
});
