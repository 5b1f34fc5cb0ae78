// Hosts managed from the API: renamed, limited, disabled and enabled again, removed (never the
// local one, never while jobs run or wait there), tested many at once, each with a history of its
// state changes. Through the service and, for PATCH, DELETE and the bulk test, over real HTTP.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Auth, readOrCreateToken } from '../../src/main/server/auth';
import { BerthHttpServer } from '../../src/main/server/http-server';
import type { RequestName, RequestOutput } from '../../src/shared/contract';
import type { Host } from '../../src/shared/model';
import { hasStatus, startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { httpRequest } from '../support/http';
import { describeWithDocker, testEnv, testImage } from '../support/test-env';

/** A loopback TCP port that, while open, leads to the engine's socket; closing it cuts every connection. */
class EngineGate {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(private readonly socketPath: string) {}

  async freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  async open(port: number): Promise<void> {
    this.server = createServer((client) => {
      const engine = connect(this.socketPath);
      for (const s of [client, engine]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    // Let the clients see their kept-alive connections close, as they would after a real outage.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeWithDocker('hosts managed from the API', () => {
  let t: TestBerth;
  let server: BerthHttpServer;
  let port: number;
  let token: string;
  const removed: number[] = [];

  beforeAll(async () => {
    t = startTestBerth();
    token = readOrCreateToken(t.dir);
    server = new BerthHttpServer({ berth: t.berth, auth: new Auth(token), port: 0, rendererDir: null, onError: (err) => console.error(err) });
    port = await server.listen();
    t.berth.service.onEvent((name, payload) => {
      if (name === 'host.removed') removed.push((payload as { id: number }).id);
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);
  const api = (method: string, path: string, body?: unknown) =>
    httpRequest(port, {
      method,
      path,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** The main engine again, as an explicit socket host. */
  const engineSocket = () => testEnv().docker!.host.replace(/^unix:\/\//, '');
  const local = async () => (await call('hosts.list', {})).find((h) => h.isDefault)!;

  it('renames a host, sets its concurrency and disables it over PATCH; a taken name is refused', async () => {
    const host = await call('hosts.add', { name: 'second', kind: 'socket', address: engineSocket() });
    expect(host.status.state).toBe('up');

    const res = await api('PATCH', `/api/v1/hosts/${host.id}`, { name: 'renamed', concurrency: 3, enabled: false });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: host.id, name: 'renamed', concurrency: 3, slots: 3, enabled: false });
    expect((await call('hosts.list', {})).find((h) => h.id === host.id)).toMatchObject({ name: 'renamed', concurrency: 3, enabled: false });

    const taken = await api('PATCH', `/api/v1/hosts/${host.id}`, { name: 'local' });
    expect(taken.status, taken.text).toBe(409);
    expect(taken.text).toContain("a host named 'local' already exists");
    // Back to the engine's CPU count.
    const reset = await call('hosts.update', { id: host.id, concurrency: null });
    expect(reset).toMatchObject({ concurrency: null, slots: reset.status.cpus ?? 1 });
  });

  it('gives a disabled host no jobs (they wait, counted as queued there) and runs them once it is enabled', async () => {
    const host = (await call('hosts.list', {})).find((h) => h.name === 'renamed')!;
    expect(host.enabled).toBe(false);
    const tpl = await call('templates.create', { name: 'quick', image: testImage(), command: ['sh', '-c', 'echo done'] });
    const job = await call('jobs.run', { templateId: tpl.id, hostId: host.id });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call('jobs.get', { id: job.id })).status).toBe('pending');
    expect((await call('hosts.list', {})).find((h) => h.id === host.id)).toMatchObject({ queued: 1, running: 0 });

    await call('hosts.update', { id: host.id, enabled: true });
    const done = await waitForJob(t.berth, job.id, 30_000);
    expect(done).toMatchObject({ status: 'completed', hostId: host.id });
    expect((await call('hosts.list', {})).find((h) => h.id === host.id)).toMatchObject({ queued: 0, running: 0 });
  });

  it('refuses to remove the local host, or a host with a running or a pending job, saying why', async () => {
    const res = await api('DELETE', `/api/v1/hosts/${(await local()).id}`);
    expect(res.status, res.text).toBe(409);
    expect(res.text).toMatch(/default \(local\) host and cannot be removed/);

    const host = (await call('hosts.list', {})).find((h) => h.name === 'renamed')!;
    const tpl = await call('templates.create', { name: 'long', image: testImage(), command: ['sleep', '30'] });
    const running = await call('jobs.run', { templateId: tpl.id, hostId: host.id });
    await waitForJob(t.berth, running.id, 30_000, hasStatus('running'));
    const whileRunning = await api('DELETE', `/api/v1/hosts/${host.id}`);
    expect(whileRunning.status, whileRunning.text).toBe(409);
    expect(whileRunning.text).toContain("host 'renamed' has 1 running and 0 pending job(s)");
    await call('jobs.cancel', { id: running.id, graceSeconds: 0 });
    await waitForJob(t.berth, running.id, 30_000);

    await call('hosts.update', { id: host.id, enabled: false });
    const pending = await call('jobs.run', { templateId: tpl.id, hostId: host.id });
    const whilePending = await api('DELETE', `/api/v1/hosts/${host.id}`);
    expect(whilePending.status, whilePending.text).toBe(409);
    expect(whilePending.text).toContain("host 'renamed' has 0 running and 1 pending job(s)");
    await call('jobs.cancel', { id: pending.id });
    expect((await call('hosts.list', {})).map((h) => h.id)).toContain(host.id);
  });

  it('removes a host with no work over DELETE: gone from the list, 404 after, its jobs keep their history', async () => {
    const host = (await call('hosts.list', {})).find((h) => h.name === 'renamed')!;
    const jobsBefore = await call('jobs.list', { hostId: host.id });
    expect(jobsBefore.count).toBeGreaterThan(0);

    const res = await api('DELETE', `/api/v1/hosts/${host.id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ message: "host 'renamed' removed", id: host.id });
    expect(removed).toContain(host.id);
    expect((await call('hosts.list', {})).map((h) => h.id)).not.toContain(host.id);

    for (const [method, path, body] of [
      ['DELETE', `/api/v1/hosts/${host.id}`, undefined],
      ['PATCH', `/api/v1/hosts/${host.id}`, { enabled: true }],
      ['GET', `/api/v1/hosts/${host.id}/history`, undefined],
      ['POST', `/api/v1/hosts/${host.id}/refresh`, undefined],
    ] as const) {
      const gone = await api(method, path, body);
      expect(gone.status, `${method} ${path}: ${gone.text}`).toBe(404);
    }
    await expect(call('jobs.run', { templateId: jobsBefore.jobs[0]!.templateId, hostId: host.id })).rejects.toThrow(/does not exist/);
    expect((await call('jobs.list', { hostId: host.id })).count).toBe(jobsBefore.count);
    // The name is free again.
    expect((await call('hosts.add', { name: 'renamed', kind: 'socket', address: engineSocket() })).status.state).toBe('up');
  });

  it('tests several hosts at once over POST /hosts/test, each answered on its own, and records each state change', async () => {
    // A TCP host whose port we open onto the engine and close again: down, up, down.
    const gate = new EngineGate(engineSocket());
    const port = await gate.freePort();
    const address = `127.0.0.1:${port}`;
    const flaky = await call('hosts.add', { name: 'flaky', kind: 'tcp', address });
    expect(flaky.status.state).toBe('down');
    expect(flaky.status.error).toContain(address);

    await gate.open(port);
    try {
      const res = await api('POST', '/api/v1/hosts/test', { ids: [(await local()).id, flaky.id, 99_999] });
      expect(res.status, res.text).toBe(200);
      const { results } = res.json as RequestOutput<'hosts.test'>;
      expect(results.map((r) => [r.id, r.host?.status.state ?? null, r.error])).toEqual([
        [(await local()).id, 'up', null],
        [flaky.id, 'up', null],
        [99_999, null, 'host 99999 does not exist'],
      ]);
    } finally {
      await gate.close();
    }
    const [down] = (await call('hosts.test', { ids: [flaky.id] })).results;
    expect(down!.host!.status).toMatchObject({ state: 'down', error: expect.stringContaining('is not running or not listening') });
    // Checked again with the same outcome: no new entry.
    await call('hosts.refresh', { id: flaky.id });

    const history = await api('GET', `/api/v1/hosts/${flaky.id}/history`);
    expect(history.status, history.text).toBe(200);
    const { changes, count } = history.json as RequestOutput<'hosts.history'>;
    expect(count).toBe(3);
    expect(changes.map((c) => c.state)).toEqual(['down', 'up', 'down']);
    expect(changes[1]!.version).toBe(testEnv().docker!.serverVersion);
    expect(changes[0]!.error).toContain(address);
    expect(changes[0]!.checkedAt).toBeGreaterThanOrEqual(changes[1]!.checkedAt);
    expect((await call('hosts.history', { id: flaky.id, limit: 1 })).changes.map((c) => c.state)).toEqual(['down']);
  });

  it('answers each host with its engine, CPUs and memory, and its running and queued jobs', async () => {
    const hosts: Host[] = await call('hosts.list', {});
    const up = hosts.find((h) => h.isDefault)!;
    expect(up.status).toMatchObject({ state: 'up', version: testEnv().docker!.serverVersion });
    expect(up.status.cpus).toBeGreaterThan(0);
    expect(up.status.memoryBytes).toBeGreaterThan(0);
    expect(up).toMatchObject({ running: 0, queued: 0 });
  });
});
