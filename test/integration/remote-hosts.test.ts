// Hosts other than the local one: the same engine over plain TCP, and a TCP address where nothing
// listens, which must give a clear "down" and failed jobs, never a crash.
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestName } from '../../src/shared/contract';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, dockerTcpOrFail, testImage } from '../support/test-env';

/** A loopback port that was free a moment ago and now has no listener. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithDocker('remote hosts', () => {
  let t: TestBerth;

  beforeAll(() => {
    t = startTestBerth();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);

  it('adds the engine over TCP as up and runs a job there', async (ctx) => {
    const tcp = dockerTcpOrFail();
    if (!tcp) {
      ctx.skip('the engine does not listen on plain TCP here');
      return;
    }
    const withoutScheme = tcp.replace(/^tcp:\/\//, '');
    const host = await call('hosts.add', { name: 'tcp-engine', kind: 'tcp', address: withoutScheme });
    expect(host).toMatchObject({ kind: 'tcp', address: `tcp://${withoutScheme}`, isDefault: false, tls: false });
    expect(host.status).toMatchObject({ state: 'up', error: null });
    expect(host.status.version).toEqual(expect.any(String));
    // The same address with its scheme is the same host: the name must differ, the form is accepted.
    const again = await call('hosts.add', { name: 'tcp-engine-2', kind: 'tcp', address: tcp });
    expect(again.status.state).toBe('up');
    expect((await call('hosts.list', {})).map((h) => h.name)).toEqual(expect.arrayContaining(['local', 'tcp-engine', 'tcp-engine-2']));

    const tpl = await call('templates.create', { name: 'over-tcp', image: testImage(), command: ['sh', '-c', 'echo via tcp; echo oops >&2'] });
    const started = await call('jobs.run', { templateId: tpl.id, hostId: host.id });
    expect(started.hostId).toBe(host.id);
    const job = await waitForJob(t.berth, started.id, 20_000);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0, hostId: host.id });
    const { logs } = await call('logs.query', { jobId: job.id, sourceType: 'container' });
    expect(logs.map((l) => [l.message, l.isStdErr]).sort()).toEqual([
      ['oops', true],
      ['via tcp', false],
    ]);
  });

  it('reports a TCP host with nothing listening as down, fails its jobs, and carries on', async () => {
    const port = await closedPort();
    const host = await call('hosts.add', { name: 'nowhere', kind: 'tcp', address: `127.0.0.1:${port}` });
    expect(host.status.state).toBe('down');
    expect(host.status.error).toEqual(expect.stringContaining(`127.0.0.1:${port}`));
    const refreshed = await call('hosts.refresh', { id: host.id });
    expect(refreshed.status.state).toBe('down');
    expect(refreshed.status.error).toEqual(expect.any(String));
    expect(refreshed.status.checkedAt).toBeGreaterThanOrEqual(host.status.checkedAt!);

    const tpl = await call('templates.create', { name: 'on-nowhere', image: testImage(), command: ['true'] });
    const job = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id, hostId: host.id })).id, 20_000);
    expect(job.status).toBe('failed');
    expect(job.error).toEqual(expect.any(String));
    expect(job.error!.length).toBeGreaterThan(0);
    const system = await call('logs.query', { jobId: job.id, sourceType: 'system' });
    expect(system.logs.some((l) => l.level === 'error' && l.message === job.error)).toBe(true);

    // The local engine is unaffected.
    const ok = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 20_000);
    expect(ok).toMatchObject({ status: 'completed', exitCode: 0 });
    expect((await t.berth.health()).checks['docker:nowhere']?.status).toBe('degraded');
  });

  it('gives up on a host that takes the connection and never answers: down, and its jobs fail instead of hanging', async () => {
    // Accepts TCP connections and says nothing, like a firewall that swallows packets after the handshake.
    const sockets = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const quick = startTestBerth(undefined, { timeouts: { hostCheckMs: 500, dockerRequestMs: 1000 } });
    try {
      const host = await quick.berth.service.call('hosts.add', { name: 'silent', kind: 'tcp', address: `127.0.0.1:${port}` });
      expect(host.status.state).toBe('down');
      expect(host.status.error).toMatch(/no answer .* in time/);

      const tpl = await quick.berth.service.call('templates.create', { name: 'on-silent', image: testImage(), command: ['true'] });
      const started = Date.now();
      const job = await waitForJob(quick.berth, (await quick.berth.service.call('jobs.run', { templateId: tpl.id, hostId: host.id })).id, 10_000);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/no answer from tcp:\/\/127\.0\.0\.1:\d+ in time/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await quick.dispose();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
