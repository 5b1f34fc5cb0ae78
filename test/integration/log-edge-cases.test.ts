// Output that breaks naive log readers, from a real container through Docker's json-file driver:
// lines Docker cuts into 16 KiB pieces, a 1 MiB line, invalid UTF-8 and a last line without '\n'.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { describeWithDocker, testImage } from '../support/test-env';

describeWithDocker('awkward container output', () => {
  let t: TestBerth;

  beforeAll(() => {
    t = startTestBerth();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const repeat = (n: number, ch: string) => `head -c ${n} /dev/zero | tr '\\0' ${ch}`;

  it('stores long, huge, invalid and unterminated lines whole, and goes on storing', async () => {
    const longLength = 40_000; // more than two of Docker's 16 KiB pieces
    const hugeLength = 1_048_576;
    const script = [
      'echo first',
      `${repeat(longLength, 'b')}; echo`,
      `${repeat(hugeLength, 'a')}; echo`,
      "printf '\\377\\376 bad\\n'",
      `${repeat(longLength, 'c')} >&2; echo >&2`,
      'echo after the bad bytes',
      "printf 'last line without newline'",
    ].join('; ');
    const tpl = await t.berth.service.call('templates.create', { name: 'awkward', image: testImage(), command: ['sh', '-c', script] });
    const job = await waitForJob(t.berth, (await t.berth.service.call('jobs.run', { templateId: tpl.id })).id, 45_000);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });

    const { logs } = await t.berth.service.call('logs.query', { jobId: job.id, sourceType: 'container', limit: 100_000 });
    const stdout = logs.filter((l) => !l.isStdErr);
    const stderr = logs.filter((l) => l.isStdErr);
    // Lengths first: a failure then says which line broke without printing a megabyte.
    expect(stdout.map((l) => l.message.length)).toEqual([5, longLength, hugeLength, 6, 'after the bad bytes'.length, 'last line without newline'.length]);
    expect(stdout[0]!.message).toBe('first');
    expect(stdout[1]!.message).toBe('b'.repeat(longLength));
    expect(stdout[2]!.message === 'a'.repeat(hugeLength)).toBe(true);
    expect(stdout[3]!.message).toBe('\uFFFD\uFFFD bad');
    expect(stdout[4]!.message).toBe('after the bad bytes');
    expect(stdout[5]!.message).toBe('last line without newline');
    expect(stderr.map((l) => l.message.length)).toEqual([longLength]);
    expect(stderr[0]!.message).toBe('c'.repeat(longLength));
    // A line is one row stamped with its first piece's time, not one row per 16 KiB piece.
    expect(new Set(logs.map((l) => l.id)).size).toBe(logs.length);
    for (const l of logs) expect(l.timestamp).toBeGreaterThanOrEqual(job.startedAt! - 1000);

    // Berth keeps storing other jobs' output afterwards.
    const next = await t.berth.service.call('templates.create', { name: 'after', image: testImage(), command: ['echo', 'next job'] });
    const nextJob = await waitForJob(t.berth, (await t.berth.service.call('jobs.run', { templateId: next.id })).id, 20_000);
    expect(nextJob.status).toBe('completed');
    const nextLogs = await t.berth.service.call('logs.query', { jobId: nextJob.id, sourceType: 'container' });
    expect(nextLogs.logs.map((l) => l.message)).toEqual(['next job']);
  });

  it('keeps the unterminated last line of every one of many short jobs', async () => {
    // dockerd can end a follow just before an exiting container's last entry: with several jobs
    // the race shows up nearly every time unless Berth reads the end of the log again.
    const script = `echo start; ${repeat(40_000, 'x')}; echo; printf "tail of $JOB"`;
    const jobs = await Promise.all(
      Array.from({ length: 8 }, async (_, n) => {
        const tpl = await t.berth.service.call('templates.create', {
          name: `short-${n}`,
          image: testImage(),
          command: ['sh', '-c', script],
          env: { JOB: String(n) },
        });
        return t.berth.service.call('jobs.run', { templateId: tpl.id });
      }),
    );
    const finished = await Promise.all(jobs.map((j) => waitForJob(t.berth, j.id, 30_000)));
    for (const [n, job] of finished.entries()) {
      expect(job.status).toBe('completed');
      const { logs } = await t.berth.service.call('logs.query', { jobId: job.id, sourceType: 'container' });
      expect(logs.map((l) => l.message.length), `job ${n}`).toEqual([5, 40_000, `tail of ${n}`.length]);
      expect(logs.at(-1)!.message).toBe(`tail of ${n}`);
    }
  });
});
