// Schedules against the real engine: concurrency policies (forbid never overlaps, replace cancels
// the run still going), catch-up after Berth was stopped over due times (run-once: exactly one;
// skip: none), and a disabled schedule that never runs.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { RequestName } from '../../src/shared/contract';
import type { Job, Template } from '../../src/shared/model';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, testImage } from '../support/test-env';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithDocker('schedules', () => {
  let t: TestBerth;
  let count = 0;
  /** Templates whose schedule a test left on: switched off after it, so nothing runs on into the next test. */
  const scheduled: { id: number; input: Record<string, unknown> }[] = [];

  beforeAll(() => {
    t = startTestBerth();
  });
  afterEach(async () => {
    for (const s of scheduled.splice(0)) await disable(t, s);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const call = <N extends RequestName>(b: TestBerth, name: N, input: unknown) => b.berth.service.call(name, input);

  async function scheduledTemplate(
    b: TestBerth,
    command: string[],
    schedule: Record<string, unknown>,
  ): Promise<{ template: Template; input: Record<string, unknown> }> {
    const input = { name: `sched${++count}-${Date.now()}`, image: testImage(), command, schedule };
    const template = await call(b, 'templates.create', input);
    scheduled.push({ id: template.id, input });
    return { template, input };
  }

  async function disable(b: TestBerth, { id, input }: { id: number; input: Record<string, unknown> }): Promise<void> {
    await call(b, 'templates.update', { id, ...input, schedule: { ...(input.schedule as object), enabled: false } });
  }

  async function jobsOf(b: TestBerth, templateId: number): Promise<Job[]> {
    return (await call(b, 'jobs.list', { templateId: [templateId], sort: 'created', order: 'asc', limit: 1000 })).jobs;
  }

  async function allFinished(b: TestBerth, templateId: number, timeoutMs: number): Promise<Job[]> {
    const jobs = await jobsOf(b, templateId);
    await Promise.all(jobs.map((job) => waitForJob(b.berth, job.id, timeoutMs)));
    return jobsOf(b, templateId);
  }

  const managerLines = async (b: TestBerth, jobId: number) =>
    (await call(b, 'logs.query', { jobId, sourceType: 'manager', limit: 1000 })).logs.map((l) => l.message);

  /** Runs started after the one before them had finished: none overlapped (Docker's own start and end times). */
  function expectNoOverlap(jobs: Job[]): void {
    const ran = jobs.filter((j) => j.startedAt !== null).sort((a, b) => a.startedAt! - b.startedAt!);
    for (let i = 1; i < ran.length; i++) {
      expect(ran[i]!.startedAt!, `job ${ran[i]!.id} started before job ${ran[i - 1]!.id} finished`).toBeGreaterThanOrEqual(
        ran[i - 1]!.finishedAt!,
      );
    }
  }

  it('forbid: a 5 s job due every 2 s never overlaps itself; the due times in between are skipped, saying so', async () => {
    const { template, input } = await scheduledTemplate(t, ['sleep', '5'], { cron: '*/2 * * * * *', concurrency: 'forbid' });
    // The second run comes only once the first is over (after ~7 s, where four due times have passed).
    await waitForJobs(t, template.id, 2, 15_000);
    await disable(t, { id: template.id, input });
    const jobs = await allFinished(t, template.id, 15_000);

    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(job).toMatchObject({ trigger: 'schedule', status: 'completed', templateId: template.id });
    expectNoOverlap(jobs);
    const first = await managerLines(t, jobs[0]!.id);
    expect(first.some((m) => m.startsWith('Scheduled run due at '))).toBe(true);
    const skipped = /^Skipped the run due at \d\d:\d\d:\d\d UTC: the previous run is still (going|waiting in the queue) \(concurrency: forbid\)$/;
    // A 5 s run sees at least two due times of a 2 s schedule go by.
    expect(first.filter((m) => skipped.test(m)).length, first.join('\n')).toBeGreaterThanOrEqual(2);
  }, 40_000);

  it('replace: when the next run is due, the one still going is cancelled and the new one runs', async () => {
    // A job that stops on SIGTERM, as a well-behaved one does (sleep as PID 1 would wait for the kill).
    const job5s = ['sh', '-c', 'trap "exit 143" TERM; sleep 5 & wait'];
    const { template, input } = await scheduledTemplate(t, job5s, { cron: '*/2 * * * * *', concurrency: 'replace' });
    // Two due times at least: the first run is replaced by the second.
    await waitForJobs(t, template.id, 2, 10_000);
    await disable(t, { id: template.id, input });
    const jobs = await allFinished(t, template.id, 20_000);

    for (const job of jobs) expect(job.trigger).toBe('schedule');
    const [last, ...earlier] = [...jobs].reverse();
    // The last one had no successor: it ran its 5 s to the end.
    expect(last).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(last!.finishedAt! - last!.startedAt!).toBeGreaterThanOrEqual(4_500);
    for (const job of earlier) {
      expect(job.status, `job ${job.id}`).toBe('cancelled');
      expect(await managerLines(t, job.id)).toContainEqual(expect.stringMatching(/^Replaced by the run due at \d\d:\d\d:\d\d UTC \(concurrency: replace\)/));
    }
    // At least one was really running (not merely queued) when it was replaced.
    expect(earlier.some((j) => j.startedAt !== null)).toBe(true);
    // The old run is gone before the new one starts.
    expectNoOverlap(jobs);
  }, 40_000);

  it('a disabled schedule never runs and shows no next runs; an enabled one shows its next five due times', async () => {
    const { template: off } = await scheduledTemplate(t, ['true'], { cron: '* * * * * *', enabled: false });
    const { template: on, input } = await scheduledTemplate(t, ['true'], { cron: '*/2 * * * * *', timezone: 'Europe/Berlin' });
    expect(off.nextRuns).toEqual([]);
    expect(off.schedule).toMatchObject({ enabled: false, concurrency: 'forbid', missed: 'skip' });

    expect(on.nextRuns).toHaveLength(5);
    expect(on.nextRuns[0]!).toBeGreaterThan(Date.now() - 1000);
    expect(on.nextRuns[0]! - Date.now()).toBeLessThanOrEqual(2_000);
    for (const [i, at] of on.nextRuns.entries()) {
      expect(at % 2000, 'on an even second').toBe(0);
      if (i > 0) expect(at - on.nextRuns[i - 1]!).toBe(2000);
    }
    // Disabling the running one stops it as well.
    await sleep(3_000);
    await disable(t, { id: on.id, input });
    const ranBefore = (await jobsOf(t, on.id)).length;
    expect(ranBefore).toBeGreaterThanOrEqual(1);
    await sleep(2_500);
    expect(await jobsOf(t, off.id)).toEqual([]);
    expect(await jobsOf(t, on.id)).toHaveLength(ranBefore);
    expect((await call(t, 'templates.get', { id: on.id })).nextRuns).toEqual([]);
    await allFinished(t, on.id, 10_000);
  }, 30_000);

  it('after Berth was stopped over two due times: run-once makes exactly one catch-up run at start, skip none', async () => {
    const a = startTestBerth();
    let b: TestBerth | null = null;
    try {
      // Due at three seconds of the minute, 2-3 s apart: the first while Berth runs, the other two
      // while it is stopped; the next regular due time is then a minute away, so any run right after
      // the restart is the catch-up.
      const s0 = Math.ceil(Date.now() / 1000) + 2;
      const [d0, d1, d2] = [s0, s0 + 3, s0 + 5];
      const cron = `${[d0, d1, d2].map((s) => s % 60).join(',')} * * * * *`;
      const once = await scheduledTemplate(a, ['true'], { cron, missed: 'run-once', concurrency: 'allow' });
      const skip = await scheduledTemplate(a, ['true'], { cron, missed: 'skip', concurrency: 'allow' });
      scheduled.splice(0); // These live in Berths of their own.

      // Berth runs the first due time itself.
      const [ranOnce] = await waitForJobs(a, once.template.id, 1, 6_000);
      const [ranSkip] = await waitForJobs(a, skip.template.id, 1, 6_000);
      await waitForJob(a.berth, ranOnce!.id, 10_000);
      await waitForJob(a.berth, ranSkip!.id, 10_000);
      await a.berth.close();
      expect(Date.now(), 'Berth must be stopped before the second due time').toBeLessThan(d1 * 1000);

      await sleep(d2 * 1000 + 500 - Date.now());
      b = startTestBerth(a.dir);
      const after = await waitForJobs(b, once.template.id, 2, 5_000);
      const catchUpJob = after[1]!;
      expect(catchUpJob).toMatchObject({ trigger: 'schedule', templateId: once.template.id });
      expect(catchUpJob.createdAt).toBeGreaterThan(d2 * 1000);
      expect(await managerLines(b, catchUpJob.id)).toContainEqual(
        `Catch-up run for ${new Date(d2 * 1000).toISOString().slice(11, 19)} UTC, the latest due time missed while Berth was stopped (missed: run-once)`,
      );
      // Time for a second one, or for the skip schedule's, to show up if either were made.
      await sleep(1_500);
      expect(Date.now(), 'the regular due times are a minute away').toBeLessThan((d0 + 60) * 1000);
      expect(await jobsOf(b, once.template.id)).toHaveLength(2);
      expect(await jobsOf(b, skip.template.id)).toHaveLength(1);
      await allFinished(b, once.template.id, 10_000);
      await disable(b, { id: once.template.id, input: once.input });
      await disable(b, { id: skip.template.id, input: skip.input });
    } finally {
      // `a` is closed already; disposing it again only removes what it left. `b` owns the data directory.
      if (b) {
        await b.dispose();
        await a.berth.close();
      } else {
        await a.dispose();
      }
    }
  }, 40_000);
});

/** Polls until the template has at least `n` jobs, and answers them oldest first. */
async function waitForJobs(b: TestBerth, templateId: number, n: number, timeoutMs: number): Promise<Job[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { jobs } = await b.berth.service.call('jobs.list', { templateId: [templateId], sort: 'created', order: 'asc', limit: 1000 });
    if (jobs.length >= n) return jobs;
    if (Date.now() > deadline) throw new Error(`template ${templateId} has ${jobs.length} job(s), not ${n}, after ${timeoutMs} ms`);
    await sleep(100);
  }
}
