import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { describeIssues, requests } from './contract';

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
      value: { name: 'a', image: 'busybox', command: ['sh', '-c', 'echo "hi there"'], env: {} },
    });
    expect(parse(schema, { name: 'a', image: 'busybox', command: ['sh', '-c', 'echo   hi'] })).toMatchObject({
      ok: true,
      value: { command: ['sh', '-c', 'echo   hi'] },
    });
  });

  it('defaults to the image’s own command and no environment', () => {
    expect(parse(schema, { name: ' a ', image: 'busybox' })).toEqual({
      ok: true,
      value: { name: 'a', image: 'busybox', command: [], env: {} },
    });
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
      value: { jobId: 3, since: 100, limit: 5, afterId: 0 },
    });
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
