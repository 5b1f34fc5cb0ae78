// Timeouts and retries against the real engine: a job over its time limit is stopped and ends
// `timed_out` (also when the limit runs out across a restart of Berth); a job that fails is tried
// again as its template's retry policy says, each attempt its own linked row, the backoff growing;
// cancelling stops the retries still due.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestName } from '../../src/shared/contract';
import type { Job } from '../../src/shared/model';
import { hasStatus, inspectStatus, startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, testDocker, testImage } from '../support/test-env';

/** A short grace, so a stopped `sleep` (PID 1 ignores SIGTERM) is killed after 1 s. */
const graceSeconds = 1;

describeWithDocker('timeouts and retries', () => {
  let t: TestBerth;
  const volumes: string[] = [];

  beforeAll(() => {
    t = startTestBerth(undefined, { timeouts: { stopGraceSeconds: graceSeconds } });
  });
  afterAll(async () => {
    await t?.dispose();
    await Promise.all(volumes.map((v) => testDocker().getVolume(v).remove().catch(() => undefined)));
  });

  const call = <N extends RequestName>(name: N, input: unknown) => t.berth.service.call(name, input);
  const managerLines = async (jobId: number) => (await call('logs.query', { jobId, sourceType: 'manager' })).logs.map((l) => l.message);
  const systemLines = async (jobId: number) => (await call('logs.query', { jobId, sourceType: 'system' })).logs.map((l) => l.message);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** The attempts of a run, first to last, following `retriedBy`. */
  async function attempts(firstId: number): Promise<Job[]> {
    const chain = [await call('jobs.get', { id: firstId })];
    while (chain.at(-1)!.retriedBy !== null) chain.push(await call('jobs.get', { id: chain.at(-1)!.retriedBy! }));
    return chain;
  }

  it('stops a job still running after its 2 s timeout and ends it timed_out within the grace period plus 2 s, container gone', async () => {
    const tpl = await call('templates.create', { name: 'too-slow', image: testImage(), command: ['sleep', '60'], timeoutSeconds: 2 });
    const { id } = await call('jobs.run', { templateId: tpl.id });
    const running = await waitForJob(t.berth, id, 20_000, hasStatus('running', 'completed', 'failed', 'timed_out', 'cancelled'));
    expect(running.status).toBe('running');
    const job = await waitForJob(t.berth, id, (2 + graceSeconds + 2) * 1000 + 2000);
    expect(job.status).toBe('timed_out');
    expect(job.finishedAt! - job.startedAt!).toBeGreaterThanOrEqual(2000);
    expect(job.finishedAt! - job.startedAt!).toBeLessThanOrEqual((2 + graceSeconds + 2) * 1000);
    expect(await inspectStatus(running.containerId!)).toBe(404);
    expect(await systemLines(id)).toContain(`Timed out after 2 s: stopping the container, killing it after ${graceSeconds} s`);
  });

  it('keeps counting a timeout from the job’s start across a restart of Berth', async () => {
    const tpl = await call('templates.create', { name: 'slow-across-restart', image: testImage(), command: ['sleep', '60'], timeoutSeconds: 4 });
    const { id } = await call('jobs.run', { templateId: tpl.id });
    const running = await waitForJob(t.berth, id, 20_000, hasStatus('running', 'completed', 'failed', 'timed_out', 'cancelled'));
    expect(running.status).toBe('running');
    await t.berth.close();
    await sleep(1000);
    t = startTestBerth(t.dir, { timeouts: { stopGraceSeconds: graceSeconds } });
    const job = await waitForJob(t.berth, id, 15_000);
    expect(job.status).toBe('timed_out');
    // The deadline was not pushed back by the second start.
    expect(job.finishedAt! - job.startedAt!).toBeLessThanOrEqual((4 + graceSeconds + 2) * 1000);
    expect(await inspectStatus(running.containerId!)).toBe(404);
  });

  it('retries a job that fails twice and then succeeds: three linked rows, backoff 1 s then 2 s, the last completed', async () => {
    const volume = `berth-test-retry-${randomBytes(4).toString('hex')}`;
    volumes.push(volume);
    const tpl = await call('templates.create', {
      name: 'third-time-lucky',
      image: testImage(),
      // Counts its runs in the volume; succeeds on the third.
      command: ['sh', '-c', 'n=$(cat /state/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /state/n; echo "run $n"; [ $n -ge 3 ]'],
      volumes: [`${volume}:/state`],
      retry: { attempts: 3, on: ['failed'], backoffSeconds: 1, factor: 2 },
    });
    const first = await call('jobs.run', { templateId: tpl.id });
    let chain: Job[] = [];
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      chain = await attempts(first.id);
      if (chain.length === 3 && chain[2]!.status === 'completed') break;
      await sleep(250);
    }
    expect(chain.map((j) => [j.attempt, j.status, j.exitCode, j.trigger])).toEqual([
      [1, 'failed', 1, 'api'],
      [2, 'failed', 1, 'retry'],
      [3, 'completed', 0, 'retry'],
    ]);
    expect(chain.map((j) => j.retryOf)).toEqual([null, chain[0]!.id, chain[1]!.id]);
    expect(chain[2]!.retriedBy).toBeNull();
    // Each retry waits its backoff after the attempt before it ended: 1 s, then 2 s.
    const backoff = [1000, 2000];
    for (const k of [1, 2]) {
      const [before, retry] = [chain[k - 1]!, chain[k]!];
      expect(retry.notBefore! - before.finishedAt!, `backoff before attempt ${k + 1}`).toBeGreaterThanOrEqual(backoff[k - 1]!);
      expect(retry.notBefore! - before.finishedAt!, `backoff before attempt ${k + 1}`).toBeLessThan(backoff[k - 1]! + 1000);
      expect(retry.startedAt!).toBeGreaterThanOrEqual(retry.notBefore!);
    }
    const gaps = [1, 2].map((k) => chain[k]!.startedAt! - chain[k - 1]!.finishedAt!);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect((await call('logs.query', { jobId: chain[2]!.id, sourceType: 'container' })).logs.map((l) => l.message)).toEqual(['run 3']);
    expect(await managerLines(chain[0]!.id)).toContain(`Retrying in 1 s as job #${chain[1]!.id} (attempt 2 of 3)`);
    expect(await managerLines(chain[1]!.id)).toContain(`Retrying in 2 s as job #${chain[2]!.id} (attempt 3 of 3)`);
    expect((await managerLines(chain[2]!.id)).join('\n')).toContain(`Retry of job #${chain[1]!.id}, which exited with code 1: attempt 3 of 3`);
  });

  it('stops the retries when the failed job is cancelled during the backoff: no further attempt starts', async () => {
    const tpl = await call('templates.create', {
      name: 'always-fails',
      image: testImage(),
      command: ['sh', '-c', 'exit 1'],
      retry: { attempts: 3, on: ['failed'], backoffSeconds: 2 },
    });
    // Finished, and its retry queued (that follows the final update at once).
    const first = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 20_000, (j) => j.retriedBy !== null || j.status === 'completed');
    expect(first.status).toBe('failed');
    const retry = await call('jobs.get', { id: first.retriedBy! });
    expect(retry).toMatchObject({ status: 'pending', attempt: 2, retryOf: first.id, startedAt: null });
    // Cancelling the failed attempt cancels the one still due, and answers with it.
    const answered = await call('jobs.cancel', { id: first.id });
    expect(answered).toMatchObject({ id: retry.id, status: 'cancelled', startedAt: null, containerId: null });
    await sleep(3000);
    const chain = await attempts(first.id);
    expect(chain.map((j) => j.status)).toEqual(['failed', 'cancelled']);
    expect(chain[1]!.startedAt).toBeNull();
    expect(await managerLines(retry.id)).toContain('Cancelled while waiting for its backoff before attempt 2');
    await expect(call('jobs.cancel', { id: first.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('never retries an attempt that was cancelled while running', async () => {
    const tpl = await call('templates.create', {
      name: 'cancelled-sleeper',
      image: testImage(),
      command: ['sleep', '60'],
      retry: { attempts: 3, on: ['failed', 'timed_out', 'error'], backoffSeconds: 0 },
    });
    const { id } = await call('jobs.run', { templateId: tpl.id });
    await waitForJob(t.berth, id, 20_000, hasStatus('running'));
    expect((await call('jobs.cancel', { id, graceSeconds: 0 })).status).toBe('cancelled');
    await sleep(1000);
    expect((await call('jobs.get', { id })).retriedBy).toBeNull();
  });

  it('retries a timed-out job when the policy lists timed_out, and says why it stops after the last attempt', async () => {
    const tpl = await call('templates.create', {
      name: 'times-out-twice',
      image: testImage(),
      command: ['sleep', '60'],
      timeoutSeconds: 1,
      retry: { attempts: 2, on: ['timed_out'], backoffSeconds: 0 },
    });
    const { id } = await call('jobs.run', { templateId: tpl.id });
    await waitForJob(t.berth, id, 20_000);
    let chain: Job[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      chain = await attempts(id);
      if (chain.length === 2 && chain[1]!.status === 'timed_out') break;
      await sleep(250);
    }
    expect(chain.map((j) => [j.attempt, j.status])).toEqual([
      [1, 'timed_out'],
      [2, 'timed_out'],
    ]);
    await sleep(300);
    expect(await managerLines(chain[1]!.id)).toContain('Not retrying: no attempts left (2 of 2 used)');
  });
});
