// Retention as a budget: with a small `logs.maxBytes`, a job printing ten times that much leaves
// the store within its budget (+10%), its newest lines intact and its counters true.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { until } from '../support/served-berth';
import { describeWithDocker, testImage } from '../support/test-env';

describeWithDocker('log retention', () => {
  let t: TestBerth;

  beforeAll(() => {
    t = startTestBerth();
  });

  afterAll(async () => {
    await t?.dispose();
  });

  it('keeps the store within a small byte budget while a job prints ten times as much, newest lines intact', async () => {
    const call = t.berth.service.call.bind(t.berth.service);
    const budget = 8 * 1024 * 1024;
    const settings = await call('settings.update', { logs: { maxBytes: budget } });
    expect(settings.logs).toEqual({ maxAgeDays: 30, maxBytes: budget });
    expect(await call('settings.get', {})).toEqual(settings);

    // 400,000 lines of 200 bytes: 80 MB of output.
    const lines = 400_000;
    const tpl = await call('templates.create', {
      name: 'flood',
      image: testImage(),
      command: ['awk', `BEGIN { pad = sprintf("%190s", ""); gsub(/ /, "y", pad); for (i = 1; i <= ${lines}; i++) printf "%08d %s\\n", i, pad }`],
    });
    // Sample the store's size while the job floods it: the budget holds throughout, not only after.
    let peak = 0;
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const store = (await t.berth.health()).logStore;
        if (store) {
          peak = Math.max(peak, store.usedBytes);
          samples++;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const job = await waitForJob(t.berth, (await call('jobs.run', { templateId: tpl.id })).id, 240_000);
    sampling = false;
    await sampler;
    expect(job.status).toBe('completed');
    expect(samples).toBeGreaterThan(2);
    expect(peak, `the store reached ${peak} bytes while the job ran`).toBeLessThanOrEqual(budget * 1.1);

    const health = await until(
      () => t.berth.health(),
      (h) => h.logStore !== null && h.logStore.usedBytes <= budget * 1.1,
      60_000,
      'the store back within its budget',
    );
    expect(health.logStore!.budgetBytes).toBe(budget);
    // The file itself shrinks back too (incremental vacuum), not only the pages in use.
    await until(async () => statSync(join(t.dir, 'berth.db')).size, (size) => size <= budget * 1.1, 60_000, 'the database file within its budget');

    const newest = await call('logs.query', { jobId: job.id, sourceType: 'container', limit: 1000 });
    expect(newest.logs.map((l) => Number(l.message.slice(0, 8)))).toEqual(Array.from({ length: 1000 }, (_, i) => lines - 999 + i));
    const oldest = await call('logs.query', { jobId: job.id, sourceType: 'container', afterId: 0, limit: 1 });
    expect(Number(oldest.logs[0]!.message.slice(0, 8))).toBeGreaterThan(1);
    // The job's counters say what is stored now.
    const after = await call('jobs.get', { id: job.id });
    expect(after.logLines).toBe((await call('logs.count', { jobId: job.id })).count);
    expect(after.logLines).toBeLessThan(lines);
  }, 300_000);
});
