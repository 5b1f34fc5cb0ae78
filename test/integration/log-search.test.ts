// Finding lines over the REST API, as a script would: full-text search (ANSI codes do not hide a
// word), levels read from the lines themselves, repeated parameters meaning "any of", and
// regular expressions that are bounded in time and never freeze the server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Auth, readOrCreateToken } from '../../src/main/server/auth';
import { BerthHttpServer } from '../../src/main/server/http-server';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { httpRequest } from '../support/http';
import { describeWithDocker, testImage } from '../support/test-env';

const printed = [
  'plain line about a kettle',
  '\u001b[1;31mERROR\u001b[0m disk full on /var',
  '   {"level":"warn","msg":"json with leading space"}',
  'time=2026-11-23T10:00:00Z level=warn msg="logfmt says warn"',
  'E1122 10:00:00.123456   12345 main.go:12] klog error',
  '[DEBUG] chatter',
  `${'a'.repeat(40)}!`,
];

describeWithDocker('searching logs over the API', () => {
  let t: TestBerth;
  let server: BerthHttpServer;
  let port: number;
  let token: string;
  let jobId: number;

  beforeAll(async () => {
    t = startTestBerth();
    token = readOrCreateToken(t.dir);
    server = new BerthHttpServer({ berth: t.berth, auth: new Auth(token), port: 0, rendererDir: null });
    port = await server.listen();
    const script = printed.map((l) => `printf '%s\\n' '${l.replace(/'/g, `'"'"'`)}'`).join('; ');
    const tpl = await t.berth.service.call('templates.create', { name: 'searchable', image: testImage(), command: ['sh', '-c', script] });
    jobId = (await waitForJob(t.berth, (await t.berth.service.call('jobs.run', { templateId: tpl.id })).id, 30_000)).id;
  });

  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  const get = (path: string) => httpRequest(port, { path, headers: { authorization: `Bearer ${token}` } });
  const messages = async (query: string) => {
    const res = await get(`/api/v1/logs?jobId=${jobId}&sourceType=container&${query}`);
    expect(res.status, res.text).toBe(200);
    return (res.json as { logs: { message: string }[] }).logs.map((l) => l.message);
  };

  it('finds words with q, also when colour codes surround them, and reads levels from the lines', async () => {
    expect(await messages('q=kettle')).toEqual([printed[0]]);
    expect(await messages('q=ERROR%20disk')).toEqual([printed[1]]);
    expect(await messages('q=%22disk%20full%22')).toEqual([printed[1]]);
    const levels = (await get(`/api/v1/logs?jobId=${jobId}&sourceType=container`)).json as { logs: { message: string; level: string }[] };
    expect(levels.logs.map((l) => l.level)).toEqual(['info', 'error', 'warn', 'warn', 'error', 'debug', 'info']);
    const job = (await get(`/api/v1/jobs/${jobId}`)).json as { logLines: number; logLevels: Record<string, number> };
    expect(job.logLevels).toMatchObject({ debug: 1, warn: 2 });
    expect(job.logLevels.error).toBeGreaterThanOrEqual(2);
  });

  it('reads repeated parameters as "any of"', async () => {
    expect(await messages('level=warn&level=debug')).toEqual([printed[2], printed[3], printed[5]]);
    const count = (await get(`/api/v1/logs/count?jobId=${jobId}&sourceType=system&sourceType=container`)).json as { count: number };
    expect(count.count).toBeGreaterThan(printed.length);
  });

  it('answers 400 with a message to a q that is not valid search syntax, and to a regex without a narrowing filter', async () => {
    const bad = await get(`/api/v1/logs?jobId=${jobId}&q=${encodeURIComponent('"unclosed')}`);
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/^q: /);
    const unbounded = await get(`/api/v1/logs?regex=${encodeURIComponent('kettle')}`);
    expect(unbounded.status).toBe(400);
    expect((unbounded.json as { error: { message: string } }).error.message).toMatch(/narrowing/);
    // Matched against the text without colour codes, like q.
    expect(await messages(`regex=${encodeURIComponent('^E\\d{4} |^\\[|^ERROR')}`)).toEqual([printed[1], printed[4], printed[5]]);
  });

  it('stops a regex that backtracks catastrophically with a 400, and the server answers meanwhile', async () => {
    const started = Date.now();
    const slow = get(`/api/v1/logs?jobId=${jobId}&regex=${encodeURIComponent('^(a+)+$')}`);
    // While the regex runs in a reader worker, the main thread answers at once.
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    expect((await httpRequest(port, { path: '/live' })).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(200);
    const res = await slow;
    expect(res.status).toBe(400);
    expect((res.json as { error: { message: string } }).error.message).toMatch(/regex|regular expression/i);
    expect(Date.now() - started).toBeLessThan(15_000);
    // And reading goes on afterwards.
    expect(await messages('q=kettle')).toEqual([printed[0]]);
  });
});
