// The REST/WebSocket adapter as a client meets it: auth, Host and Origin checks, validation,
// and no input that can make it answer 500. The store is a real SQLite file; the Docker host
// here is deliberately unreachable, so no engine is needed for these checks.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { routes, type RouteName } from '../../src/shared/operations';
import type { ServerMessage } from '../../src/shared/ws-protocol';
import { createBerth, type Berth } from '../../src/main/core/berth';
import { Auth, readOrCreateToken } from '../../src/main/server/auth';
import { BerthHttpServer } from '../../src/main/server/http-server';
import { httpRequest, type RawResponse } from '../support/http';

let dir: string;
let berth: Berth;
let server: BerthHttpServer;
let port: number;
let token: string;
let auth: Auth;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-http-'));
  berth = createBerth({ dataDir: dir, env: { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` }, hostRefreshMs: 60_000 });
  token = readOrCreateToken(dir);
  auth = new Auth(token);
  server = new BerthHttpServer({ berth, auth, port: 0, rendererDir: null, onError: (err) => console.error(err) });
  port = await server.listen();
});

afterAll(async () => {
  await server?.close();
  await berth?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = () => ({ authorization: `Bearer ${token}` });
const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  httpRequest(port, {
    method,
    path,
    headers: { ...bearer(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

function expectClientError(res: RawResponse, status: number): void {
  expect(res.status, res.text).toBe(status);
  const body = res.json as { error?: { code?: string; message?: string } };
  expect(typeof body?.error?.message).toBe('string');
  expect(body.error!.message!.length).toBeGreaterThan(5);
}

describe('health endpoints', () => {
  it('answers /live, /ready and /health without a token', async () => {
    expect((await httpRequest(port, { path: '/live' })).status).toBe(200);
    expect((await httpRequest(port, { path: '/ready' })).status).toBe(200);
    const health = await httpRequest(port, { path: '/health' });
    expect(health.status).toBe(200);
    const report = health.json as { status: string; checks: Record<string, { status: string }> };
    expect(report.checks.database?.status).toBe('healthy');
    // The only host is unreachable: Berth is degraded, not down.
    expect(report.status).toBe('degraded');
  });
});

describe('security', () => {
  it('keeps the token file private', () => {
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('answers 401 to /api requests without the token or with a wrong one', async () => {
    expectClientError(await httpRequest(port, { path: '/api/v1/jobs' }), 401);
    expectClientError(await httpRequest(port, { path: '/api/v1/jobs', headers: { authorization: 'Bearer nope' } }), 401);
    expectClientError(await httpRequest(port, { path: '/api/v1/jobs', headers: { authorization: `Basic ${token}` } }), 401);
    expect((await api('GET', '/api/v1/jobs')).status).toBe(200);
  });

  it('refuses a Host header that does not name the loopback address', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, '10.0.0.1']) {
      expectClientError(await api('GET', '/api/v1/jobs', undefined, { host }), 403);
      expectClientError(await httpRequest(port, { path: '/live', headers: { host } }), 403);
    }
    expect((await api('GET', '/api/v1/jobs', undefined, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('signs a browser in once per login code with an HttpOnly SameSite=Strict cookie', async () => {
    const code = auth.createLoginCode();
    const first = await httpRequest(port, { path: `/login?code=${code}` });
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await httpRequest(port, { path: `/login?code=${code}` })).status).toBe(401);
    expect((await httpRequest(port, { path: `/login?code=${code.slice(0, -2)}xx` })).status).toBe(401);

    const session = cookie.split(';')[0]!;
    expect((await httpRequest(port, { path: '/api/v1/templates', headers: { cookie: session } })).status).toBe(200);
    // A write with the cookie must come from our own page.
    const write = (origin?: string) =>
      httpRequest(port, {
        method: 'POST',
        path: '/api/v1/templates',
        headers: { cookie: session, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: JSON.stringify({ name: `cookie-${origin ?? 'none'}`, image: 'busybox' }),
      });
    expectClientError(await write('http://evil.example'), 403);
    expectClientError(await write(), 403);
    expect((await write(`http://127.0.0.1:${port}`)).status).toBe(201);
  });

  it('signs in with a pasted token and refuses a wrong one', async () => {
    const post = (body: string) =>
      httpRequest(port, { method: 'POST', path: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await post(`token=${encodeURIComponent(token)}`)).status).toBe(303);
    expect((await post('token=wrong')).status).toBe(401);
  });

  it('checks the WebSocket Origin and credentials', async () => {
    const open = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, { headers });
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
    expect(await open({})).toBe(401);
    expect(await open({ ...bearer(), origin: 'http://evil.example' })).toBe(403);
    expect(await open(bearer())).toBe(101);
    expect(await open({ ...bearer(), origin: `http://localhost:${port}` })).toBe(101);
  });
});

describe('validation', () => {
  it('answers 400 with a message for malformed bodies', async () => {
    expectClientError(await api('POST', '/api/v1/templates', '{not json'), 400);
    expectClientError(await api('POST', '/api/v1/templates', '[1,2]'), 400);
    expectClientError(await api('POST', '/api/v1/templates', { name: 'x' }), 400);
    expectClientError(await api('POST', '/api/v1/templates', { name: 'x', image: 'a b' }), 400);
    expectClientError(await api('POST', '/api/v1/templates', { name: 'x', image: 'busybox', command: 'echo "open' }), 400);
    expectClientError(await api('POST', '/api/v1/templates', { name: 'x', image: 'busybox', surprise: true }), 400);
    expectClientError(await api('POST', '/api/v1/jobs', { templateId: 'seven' }), 400);
    expectClientError(await api('GET', '/api/v1/logs?limit=0'), 400);
    expectClientError(await api('GET', '/api/v1/logs?level=loud'), 400);
    const res = await api('POST', '/api/v1/jobs', { templateId: 'seven' });
    expect((res.json as { error: { message: string } }).error.message).toMatch(/templateId/);
  });

  it('answers 415 to a body that is not JSON, 413 to one too large, 404 and 405 for wrong routes', async () => {
    expectClientError(await api('POST', '/api/v1/templates', 'name=x', { 'content-type': 'text/plain' }), 415);
    expectClientError(await api('POST', '/api/v1/templates', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })), 413);
    expectClientError(await api('GET', '/api/v1/nothing-here'), 404);
    expectClientError(await api('GET', '/api/v1/jobs/424242'), 404);
    expectClientError(await api('DELETE', '/api/v1/jobs'), 405);
  });

  /**
   * Below 500, except 503 `unavailable`: a well-formed request for something on a Docker host that
   * does not answer (attach a container, list a host's containers) says the host is unreachable.
   */
  function expectNoServerError(res: RawResponse, what: string): void {
    const code = (res.json as { error?: { code?: string } } | undefined)?.error?.code;
    if (res.status === 503) expect(code, `${what}: ${res.text.slice(0, 200)}`).toBe('unavailable');
    else expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
  }

  it('never answers 500, whatever is sent to any route', async () => {
    const pathValues = ['abc', '-1', '0', '1.5', '99999999999999999999999', '%00', "x'y", '%E0%A4%A', 'a'.repeat(5000)];
    const queries = ['', '?limit=abc', '?unknown=1', '?level=nope', '?since=1e999', '?jobId=1&jobId=2', '?limit=-5', '?containerId=zz', '?%zz=1'];
    const bodies = [
      'null', '[]', '"text"', '123', '{}', '{"name":{}}', '{"templateId":"x"}', '{"command":[1,2]}',
      '{"env":{"A=B":"x"}}', '{"__proto__":{"polluted":true}}', '{"templateId":1e308}', '{"id":-1,"graceSeconds":99999}',
      '{"kind":"tcp","name":"h","address":"not a host"}', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, '\u0000',
    ];
    const seen: string[] = [];
    for (const name of Object.keys(routes) as RouteName[]) {
      const { method, path } = routes[name];
      const paths = path.includes(':') ? pathValues.map((v) => path.replace(/:\w+/g, v)) : [path];
      for (const p of paths) {
        for (const q of queries) {
          if (method === 'GET') {
            const res = await api('GET', p + q);
            seen.push(`${res.status} GET ${p}${q}`.slice(0, 120));
            expectNoServerError(res, `${method} ${p}${q}`);
          } else {
            for (const body of bodies) {
              const res = await api(method, p + q, body);
              expectNoServerError(res, `${method} ${p}${q} ${body.slice(0, 40)}`);
              if (res.status >= 400) {
                expect(typeof (res.json as { error?: { message?: string } } | undefined)?.error?.message, `${method} ${p}${q} ${body.slice(0, 40)}: ${res.status} ${res.text.slice(0, 200)}`).toBe('string');
              }
            }
          }
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(seen.length).toBeGreaterThan(50);
  });
});

describe('a broken host', () => {
  it('takes a job and holds it in the queue while the host is down, saying why the host is down', async () => {
    const template = await api('POST', '/api/v1/templates', { name: 'on-a-broken-host', image: 'busybox', command: ['true'] });
    expect(template.status).toBe(201);
    const run = await api('POST', '/api/v1/jobs', { templateId: (template.json as { id: number }).id });
    expect(run.status).toBe(201);
    const { id } = run.json as { id: number };
    // The host's check has run (and failed) once it reports down with a reason.
    let host: { status: { state: string; error: string | null } } = { status: { state: 'unknown', error: null } };
    for (let i = 0; i < 100 && host.status.state !== 'down'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      host = ((await api('GET', '/api/v1/hosts')).json as (typeof host)[])[0]!;
    }
    expect(host.status.error).toMatch(/not running|not listening/i);
    const job = (await api('GET', `/api/v1/jobs/${id}`)).json as { status: string; queuePosition: number | null; hostId: number | null };
    expect(job).toMatchObject({ status: 'pending', queuePosition: 1, hostId: null });
    const queue = (await api('GET', '/api/v1/queue')).json as { hosts: { hostId: number | null; depth: number; oldestWaitMs: number | null }[] };
    expect(queue.hosts.find((h) => h.hostId === null)).toMatchObject({ depth: 1, oldestWaitMs: expect.any(Number) });
    const cancelled = await api('POST', `/api/v1/jobs/${id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect((cancelled.json as { status: string }).status).toBe('cancelled');
    const logs = (await api('GET', `/api/v1/logs?jobId=${id}`)).json as { logs: { message: string }[] };
    expect(logs.logs.map((l) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^Queued for/), expect.stringMatching(/^Cancelled while queued/)]));
  });

  it('streams job events over the WebSocket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, { headers: bearer() });
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    ws.send(JSON.stringify({ type: 'subscribe', subId: 1, stream: 'logs', params: { jobId: 'nope' } }));
    const template = await api('POST', '/api/v1/templates', { name: 'events', image: 'busybox' });
    const run = await api('POST', '/api/v1/jobs', { templateId: (template.json as { id: number }).id });
    const { id } = run.json as { id: number };
    const statusesOf = (jobId: number) =>
      messages.flatMap((m) =>
        m.type === 'event' && m.name === 'job.updated' && (m.payload as { id: number }).id === jobId ? [(m.payload as { status: string }).status] : [],
      );
    // Its host is down: it waits in the queue until cancelled.
    await api('POST', `/api/v1/jobs/${id}/cancel`, {});
    for (let i = 0; i < 100 && !statusesOf(id).includes('cancelled'); i++) await new Promise((r) => setTimeout(r, 50));
    ws.close();
    expect(messages.some((m) => m.type === 'event' && m.name === 'template.created')).toBe(true);
    expect(statusesOf(id)[0]).toBe('pending');
    expect(statusesOf(id)).toContain('cancelled');
    const refused = messages.find((m) => m.type === 'error');
    expect(refused && refused.type === 'error' && refused.subId === 1 && refused.error.code).toBe('bad_request');
  });
});
