// Jobs against the real engine: output stored whole and in order, exit codes, cancellation,
// container clean-up and labels, a broken image, and the reference shape of logs.query.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestName } from '../../src/shared/contract';
import { jobLabels } from '../../src/main/core/jobs/job-runner';
import { LogEntry, type Job, type LogBatch, type Template } from '../../src/shared/model';
import { hasStatus, inspectStatus, startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

describeWithDocker('jobs on the local engine', () => {
  let t: TestBerth;
  let templateCount = 0;

  beforeAll(() => {
    t = startTestBerth();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);

  async function template(command: string[] | string, image = testImage()): Promise<Template> {
    return call('templates.create', { name: `t${++templateCount}-${Date.now()}`, image, command });
  }

  async function run(tpl: Template): Promise<Job> {
    return call('jobs.run', { templateId: tpl.id });
  }

  const containerLogs = async (jobId: number) =>
    (await call('logs.query', { jobId, sourceType: 'container', limit: 100_000 })).logs;
  const systemLogs = async (jobId: number) => (await call('logs.query', { jobId, sourceType: 'system', limit: 1000 })).logs;

  it('stores 10,000 stdout and 10,000 interleaved stderr lines exactly once, in order, and fails with exit code 3', async () => {
    const n = 10_000;
    const tpl = await template([
      'sh',
      '-c',
      `i=1; while [ $i -le ${n} ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done; exit 3`,
    ]);
    const job = await waitForJob(t.berth, (await run(tpl)).id, 45_000);
    expect(job).toMatchObject({ status: 'failed', exitCode: 3, error: null });
    expect(job.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(job.startedAt).not.toBeNull();
    expect(job.finishedAt).not.toBeNull();
    expect(job.finishedAt!).toBeGreaterThanOrEqual(job.startedAt!);

    const logs = await containerLogs(job.id);
    expect(logs).toHaveLength(2 * n);
    const numbers = { out: [] as number[], err: [] as number[] };
    for (const line of logs) {
      const m = /^(out|err) (\d+)$/.exec(line.message);
      expect(m, `unexpected line ${JSON.stringify(line.message.slice(0, 80))}`).not.toBeNull();
      const stream = m![1] as 'out' | 'err';
      expect(line.isStdErr, line.message).toBe(stream === 'err');
      expect(line.level).toBe(stream === 'err' ? 'error' : 'info');
      numbers[stream].push(Number(m![2]));
    }
    const oneToN = Array.from({ length: n }, (_, i) => i + 1);
    expect(numbers.out).toEqual(oneToN);
    expect(numbers.err).toEqual(oneToN);
    expect(await inspectStatus(job.containerId!)).toBe(404);
  });

  it('completes a job that exits 0, stores its output and removes its container', async () => {
    const tpl = await template('sh -c "echo hello from the job"');
    const job = await waitForJob(t.berth, (await run(tpl)).id, 20_000);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0, error: null });
    expect((await containerLogs(job.id)).map((l) => l.message)).toEqual(['hello from the job']);
    expect(job.containerId).not.toBeNull();
    expect(await inspectStatus(job.containerId!)).toBe(404);
  });

  it('labels the container, and cancels a sleeping job within the grace period plus 2 s, removing it', async () => {
    const tpl = await template(['sleep', '600']);
    const started = await run(tpl);
    const running = await waitForJob(t.berth, started.id, 20_000, hasStatus('running', 'completed', 'failed', 'cancelled'));
    expect(running.status).toBe('running');
    const info = await testDocker().getContainer(running.containerId!).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.Config.Labels).toMatchObject({
      [jobLabels.job]: String(started.id),
      [jobLabels.template]: String(tpl.id),
      [jobLabels.instance]: t.berth.instanceId,
    });

    const graceSeconds = 2;
    const before = Date.now();
    const answered = await call('jobs.cancel', { id: started.id, graceSeconds });
    const job = await waitForJob(t.berth, started.id, (graceSeconds + 2) * 1000);
    const tookMs = Date.now() - before;
    expect(answered.status).toBe('cancelled');
    expect(job.status).toBe('cancelled');
    expect(tookMs).toBeLessThanOrEqual((graceSeconds + 2) * 1000);
    expect(job.finishedAt).not.toBeNull();
    expect(await inspectStatus(running.containerId!)).toBe(404);
    expect((await systemLogs(job.id)).some((l) => /cancel/i.test(l.message))).toBe(true);
    await expect(call('jobs.cancel', { id: started.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('fails a job whose image is missing and cannot be pulled, says why, and keeps working', async () => {
    const images = [
      // Docker Hub: unreachable offline, "repository does not exist" online.
      `berth-test/no-such-image-${process.pid}-${Date.now()}:latest`,
      // A registry on a closed loopback port: refused at once, offline or not.
      '127.0.0.1:1/berth-test/no-such-image:latest',
    ];
    for (const image of images) {
      const tpl = await template(['true'], image);
      const job = await waitForJob(t.berth, (await run(tpl)).id, 30_000);
      expect(job.status, image).toBe('failed');
      expect(job.error, image).toEqual(expect.any(String));
      expect(job.error, image).toContain(`could not pull ${image}`);
      expect(job.containerId, image).toBeNull();
      const system = await systemLogs(job.id);
      expect(system.some((l) => l.message.includes(image)), image).toBe(true);
      expect(system.some((l) => l.level === 'error' && l.message === job.error), image).toBe(true);
    }

    const next = await waitForJob(t.berth, (await run(await template(['sh', '-c', 'echo still here']))).id, 20_000);
    expect(next.status).toBe('completed');
    expect((await containerLogs(next.id)).map((l) => l.message)).toEqual(['still here']);
  });

  it('answers logs.query in the reference shape, filtered by job or by full container id', async () => {
    const tpl = await template(['sh', '-c', 'echo to-stdout; echo to-stderr >&2; echo \'{"level":"warn","msg":"json"}\'']);
    const job = await waitForJob(t.berth, (await run(tpl)).id, 20_000);
    expect(job.status).toBe('completed');

    const result = await call('logs.query', { jobId: job.id });
    expect(Object.keys(result).sort()).toEqual(['count', 'logs']);
    expect(result.count).toBe(result.logs.length);
    for (const entry of result.logs) {
      // Exactly the reference fields, with the right types.
      expect(Object.keys(entry).sort()).toEqual(Object.keys(LogEntry.shape).sort());
      expect(LogEntry.parse(entry)).toEqual(entry);
      expect(entry).toMatchObject({ jobId: job.id, serviceId: tpl.id, serviceName: tpl.name, containerId: job.containerId });
    }
    // stdout and stderr are separate pipes: their relative order is the container's business.
    const container = result.logs.filter((l) => !l.isSystem).sort((a, b) => a.message.localeCompare(b.message));
    expect(container.map((l) => [l.message, l.isStdErr, l.level, l.source])).toEqual([
      ['{"level":"warn","msg":"json"}', false, 'warn', { type: 'container', name: tpl.name }],
      ['to-stderr', true, 'error', { type: 'container', name: tpl.name }],
      ['to-stdout', false, 'info', { type: 'container', name: tpl.name }],
    ]);
    const system = result.logs.filter((l) => l.isSystem);
    expect(system.length).toBeGreaterThan(0);
    // Berth's lines: about the run (system) and its decisions, such as queueing it (manager).
    for (const l of system) expect(['system', 'manager']).toContain(l.source.type);
    expect(system.some((l) => l.source.type === 'manager' && l.message.startsWith('Queued for'))).toBe(true);
    expect(result.logs.map((l) => l.id)).toEqual([...result.logs.map((l) => l.id)].sort((a, b) => a - b));

    const byContainer = await call('logs.query', { containerId: job.containerId! });
    expect(byContainer).toEqual(result);
    const byPrefix = await call('logs.query', { containerId: job.containerId!.slice(0, 12) });
    expect(byPrefix).toEqual(result);
    expect((await call('logs.count', { containerId: job.containerId! })).count).toBe(result.count);
  });

  it('streams every job’s lines live, with unbroken prevId chains, while several jobs log at once', async () => {
    const lines = 3000;
    const tpl = await template(['sh', '-c', `i=1; while [ $i -le ${lines} ]; do echo "line $i"; i=$((i+1)); done`]);
    const followed = new Map<number, LogBatch[]>();
    const unsubscribe: (() => void)[] = [];
    for (let n = 0; n < 4; n++) {
      const job = await run(tpl);
      // Subscribed before its container can have written anything: that takes the queue and an engine round trip.
      const batches: LogBatch[] = [];
      followed.set(job.id, batches);
      unsubscribe.push(t.berth.service.subscribe('logs', { jobId: job.id }, (b) => batches.push(b)));
    }
    try {
      const done = await Promise.all([...followed.keys()].map((id) => waitForJob(t.berth, id, 30_000)));
      for (const job of done) expect(job.status).toBe('completed');
    } finally {
      for (const off of unsubscribe) off();
    }
    for (const [jobId, batches] of followed) {
      // The job's "Queued for …" line is written as it is submitted, and may be stored before the
      // subscription: the chain then starts after it. No output comes before the subscription.
      const before = batches[0]?.prevId ?? 0;
      let prev = before;
      for (const b of batches) {
        expect(b.jobId).toBe(jobId);
        expect(b.prevId, `job ${jobId}: a batch must start where the previous one ended`).toBe(prev);
        prev = b.lines.at(-1)!.id;
      }
      const streamed = batches.flatMap((b) => b.lines);
      const all = (await call('logs.query', { jobId, limit: 100_000 })).logs;
      expect(all.filter((l) => l.id <= before).every((l) => l.source.type === 'manager')).toBe(true);
      const stored = all.filter((l) => l.id > before);
      expect(streamed.map((l) => l.id)).toEqual(stored.map((l) => l.id));
      expect(streamed.map((l) => l.message)).toEqual(stored.map((l) => l.message));
      expect(streamed.filter((l) => l.source === 'container')).toHaveLength(lines);
    }
  });
});
