// The queue against the real engine: a host runs at most its concurrency of Berth's jobs at once
// (as Docker itself reports), in the order they were submitted; a disabled host holds its jobs
// until it is enabled again; and pending jobs outlive a `kill -9` of `berth serve`.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jobLabels } from '../../src/main/core/jobs/job-runner';
import type { RequestName } from '../../src/shared/contract';
import type { Host, Job } from '../../src/shared/model';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { serveBerth, until, type ServedBerth } from '../support/served-berth';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWithDocker('the queue', () => {
  let t: TestBerth;
  let local: Host;

  beforeAll(async () => {
    t = startTestBerth();
    local = (await t.berth.service.call('hosts.list', {})).find((h) => h.isDefault)!;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);

  it('runs ten `sleep 2` jobs on a host with concurrency 2 never more than 2 at once (as Docker sees it), all completed, in submission order', async () => {
    const host = await call('hosts.update', { id: local.id, concurrency: 2 });
    expect(host).toMatchObject({ concurrency: 2, slots: 2 });
    const tpl = await call('templates.create', { name: 'sleep-2', image: testImage(), command: ['sleep', '2'], hostId: local.id });
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await call('jobs.run', { templateId: tpl.id })).id);

    // Berth's containers running on the engine, sampled while the jobs run.
    const docker = testDocker();
    let most = 0;
    let samples = 0;
    let finished = false;
    const all = Promise.all(ids.map((id) => waitForJob(t.berth, id, 60_000))).finally(() => (finished = true));
    while (!finished) {
      const running = await docker.listContainers({ filters: { label: [`${jobLabels.instance}=${t.berth.instanceId}`], status: ['running'] } });
      most = Math.max(most, running.length);
      samples += 1;
      await sleep(50);
    }
    const jobs = await all;
    expect(jobs.map((j) => j.status)).toEqual(Array(10).fill('completed'));
    expect(samples).toBeGreaterThan(20);
    expect(most, 'most containers running at once').toBe(2);
    // Two at a time, in submission order: the k-th to start is job k, give or take its partner
    // started in the same moment.
    const byStart = [...jobs].sort((a, b) => a.startedAt! - b.startedAt!);
    byStart.forEach((job, rank) => expect(Math.abs(ids.indexOf(job.id) - rank), `job ${job.id} started ${rank + 1}th`).toBeLessThanOrEqual(1));
    // A pair starts only after the pair before it ended.
    for (let k = 2; k < 10; k++) expect(jobs[k]!.startedAt!).toBeGreaterThanOrEqual(Math.min(jobs[k - 2]!.finishedAt!, jobs[k - 1]!.finishedAt!));
    await call('hosts.update', { id: local.id, concurrency: null });
  });

  it('holds the jobs of a disabled host in the queue, with their positions, and runs them once it is enabled', async () => {
    const tpl = await call('templates.create', { name: 'held', image: testImage(), command: ['true'], hostId: local.id });
    await call('hosts.update', { id: local.id, enabled: false });
    let jobs: Job[];
    try {
      const ids = [(await call('jobs.run', { templateId: tpl.id })).id, (await call('jobs.run', { templateId: tpl.id })).id];
      await sleep(1500);
      jobs = await Promise.all(ids.map((id) => call('jobs.get', { id })));
      expect(jobs.map((j) => [j.status, j.hostId, j.queuePosition])).toEqual([
        ['pending', null, 1],
        ['pending', null, 2],
      ]);
    } finally {
      await call('hosts.update', { id: local.id, enabled: true });
    }
    for (const job of jobs) expect(await waitForJob(t.berth, job.id, 30_000)).toMatchObject({ status: 'completed', hostId: local.id });
  });

  it('cancels a queued job at once, saying it was cancelled while queued, and never starts it', async () => {
    const tpl = await call('templates.create', { name: 'never-started', image: testImage(), command: ['true'], hostId: local.id });
    await call('hosts.update', { id: local.id, enabled: false });
    try {
      const { id } = await call('jobs.run', { templateId: tpl.id });
      const cancelled = await call('jobs.cancel', { id });
      expect(cancelled).toMatchObject({ status: 'cancelled', startedAt: null, containerId: null, hostId: null });
      const lines = (await call('logs.query', { jobId: id, sourceType: 'manager' })).logs.map((l) => l.message);
      expect(lines).toContain('Cancelled while queued');
      expect(lines.join('\n')).not.toMatch(/earlier run/);
    } finally {
      await call('hosts.update', { id: local.id, enabled: true });
    }
  });
});

describeWithDocker('the queue across a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-queue-crash-'));
  let berth: ServedBerth | undefined;
  /** The served Berth's instance id, read from its first container's labels. */
  let instanceId = '';

  afterAll(async () => {
    await berth?.stop();
    const docker = testDocker();
    if (instanceId) {
      const left = await docker.listContainers({ all: true, filters: { label: [`${jobLabels.instance}=${instanceId}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps pending jobs through a kill -9 of `berth serve` and runs them all after the restart', async () => {
    berth = await serveBerth(dir);
    const first = berth;
    const local = (await first.call('hosts.list', {})).find((h) => h.isDefault)!;
    await first.call('hosts.update', { id: local.id, concurrency: 1 });
    const tpl = await first.call('templates.create', { name: 'sleep-3', image: testImage(), command: ['sleep', '3'], hostId: local.id });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await first.call('jobs.run', { templateId: tpl.id })).id);
    const running = await until(() => first.call('jobs.get', { id: ids[0]! }), (j) => j.status === 'running', 20_000, 'the first job running');
    instanceId = (await testDocker().getContainer(running.containerId!).inspect()).Config.Labels[jobLabels.instance]!;
    const waiting = await Promise.all(ids.slice(1).map((id) => first.call('jobs.get', { id })));
    expect(waiting.map((j) => [j.status, j.queuePosition])).toEqual([
      ['pending', 1],
      ['pending', 2],
    ]);
    await first.kill9();

    berth = await serveBerth(dir);
    const second = berth;
    const jobs = await Promise.all(
      ids.map((id) => until(() => second.call('jobs.get', { id }), (j) => j.status !== 'pending' && j.status !== 'running', 60_000, `job ${id}`)),
    );
    expect(jobs.map((j) => [j.status, j.exitCode])).toEqual([
      ['completed', 0],
      ['completed', 0],
      ['completed', 0],
    ]);
    // Still one at a time after the restart, in order.
    expect(jobs[1]!.startedAt!).toBeGreaterThanOrEqual(jobs[0]!.finishedAt! - 1000);
    expect(jobs[2]!.startedAt!).toBeGreaterThanOrEqual(jobs[1]!.finishedAt!);
  }, 120_000);
});

describeWithDocker('a job placed on a host when Berth was killed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-queue-placed-'));
  const sockets = new Set<Socket>();
  // A registry that takes connections and never answers: the job's pull hangs, so Berth is killed
  // after the queue placed the job and before any container existed.
  const registry = createServer((socket) => sockets.add(socket));
  let berth: ServedBerth | undefined;

  afterAll(async () => {
    await berth?.kill9();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => registry.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes back to the queue after the restart and is placed again, never failed', async () => {
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const { port } = registry.address() as { port: number };
    berth = await serveBerth(dir);
    const first = berth;
    const tpl = await first.call('templates.create', { name: 'stuck-pull', image: `127.0.0.1:${port}/berth/stuck:1`, command: ['true'] });
    const { id } = await first.call('jobs.run', { templateId: tpl.id });
    await until(() => first.call('jobs.get', { id }), (j) => j.hostId !== null, 20_000, 'the job placed on a host');
    await until(() => first.call('logs.query', { jobId: id, sourceType: 'system' }), (r) => r.logs.some((l) => /pulling/i.test(l.message)), 20_000, 'the pull begun');
    await first.kill9();

    berth = await serveBerth(dir);
    const second = berth;
    const lines = await until(
      async () => (await second.call('logs.query', { jobId: id, sourceType: 'manager' })).logs.map((l) => l.message),
      (messages) => messages.includes('Berth restarted before this job had a container: it waits in the queue again'),
      20_000,
      'the reconciler putting the job back in the queue',
    );
    expect(lines).toContain('Berth restarted before this job had a container: it waits in the queue again');
    // The queue places it again at once (the host is up with free slots): pulling anew, not failed.
    const again = await until(
      async () => (await second.call('logs.query', { jobId: id, sourceType: 'system' })).logs.filter((l) => /pulling/i.test(l.message)).length,
      (n) => n >= 2,
      20_000,
      'a second pull',
    );
    expect(again).toBe(2);
    expect(await second.call('jobs.get', { id })).toMatchObject({ status: 'pending', containerId: null, error: null });
  }, 120_000);
});
