// Hosts other than the local one: the same engine over plain TCP, and a TCP address where nothing
// listens, which must give a clear "down" whose jobs wait in the queue, never a crash; and a host
// that stops answering mid-way, whose job fails in bounded time instead of hanging.
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestName } from '../../src/shared/contract';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, dockerOptions, dockerTcpOrFail, testEnv, testImage } from '../support/test-env';

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
    // Queued for that host; placed there when it starts.
    expect(started).toMatchObject({ status: 'pending', hostId: null });
    const job = await waitForJob(t.berth, started.id, 20_000);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0, hostId: host.id });
    const { logs } = await call('logs.query', { jobId: job.id, sourceType: 'container' });
    expect(logs.map((l) => [l.message, l.isStdErr]).sort()).toEqual([
      ['oops', true],
      ['via tcp', false],
    ]);
  });

  it('reports a TCP host with nothing listening as down, holds its jobs in the queue, and carries on', async () => {
    const port = await closedPort();
    const host = await call('hosts.add', { name: 'nowhere', kind: 'tcp', address: `127.0.0.1:${port}` });
    expect(host.status.state).toBe('down');
    expect(host.status.error).toEqual(expect.stringContaining(`127.0.0.1:${port}`));
    const refreshed = await call('hosts.refresh', { id: host.id });
    expect(refreshed.status.state).toBe('down');
    expect(refreshed.status.error).toEqual(expect.any(String));
    expect(refreshed.status.checkedAt).toBeGreaterThanOrEqual(host.status.checkedAt!);

    const tpl = await call('templates.create', { name: 'on-nowhere', image: testImage(), command: ['true'] });
    const { id } = await call('jobs.run', { templateId: tpl.id, hostId: host.id });
    // A down host's jobs wait for it: not started, not failed.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await call('jobs.get', { id })).toMatchObject({ status: 'pending', hostId: null, queuePosition: 1, error: null });
    expect(await call('jobs.cancel', { id })).toMatchObject({ status: 'cancelled', startedAt: null });

    // The local engine is unaffected.
    const ok = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 20_000);
    expect(ok).toMatchObject({ status: 'completed', exitCode: 0 });
    expect((await t.berth.health()).checks['docker:nowhere']?.status).toBe('degraded');
  });

  it('gives up on a host that takes the connection and never answers: down when checked, and a job already sent there fails instead of hanging', async () => {
    // The engine behind a relay that can go silent, like a firewall that starts swallowing
    // packets after the handshake.
    const sockets = new Set<Socket>();
    let silent = false;
    const engine = dockerOptions(testEnv().docker!.host);
    const relay = createServer((client) => {
      const upstream = engine.socketPath ? connect(engine.socketPath) : connect(Number(engine.port), String(engine.host));
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        sockets.add(from);
        from.on('data', (chunk: Buffer) => silent || to.write(chunk));
        from.on('error', () => to.destroy());
        from.on('close', () => to.destroy());
      }
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.address() as { port: number };
    const quick = startTestBerth(undefined, { timeouts: { hostCheckMs: 500, dockerRequestMs: 1000 } });
    try {
      const host = await quick.berth.service.call('hosts.add', { name: 'silent', kind: 'tcp', address: `127.0.0.1:${port}` });
      expect(host.status.state).toBe('up');
      silent = true;

      // Berth still holds it up (the next check is a minute away): the queue sends the job there.
      const tpl = await quick.berth.service.call('templates.create', { name: 'on-silent', image: testImage(), command: ['true'] });
      const started = Date.now();
      const job = await waitForJob(quick.berth, (await quick.berth.service.call('jobs.run', { templateId: tpl.id, hostId: host.id })).id, 10_000);
      expect(job).toMatchObject({ status: 'failed', exitCode: null, hostId: host.id });
      expect(job.error).toMatch(/no answer from tcp:\/\/127\.0\.0\.1:\d+ in time/);
      expect(Date.now() - started).toBeLessThan(5_000);

      const checked = await quick.berth.service.call('hosts.refresh', { id: host.id });
      expect(checked.status.state).toBe('down');
      expect(checked.status.error).toMatch(/no answer .* in time/);
    } finally {
      await quick.dispose();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });
});
