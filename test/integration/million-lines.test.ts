// A million lines from one job, through the built `berth serve`: stored exactly once and in
// order, counted by level at ingest, findable with `q` once the job has ended; then exported as
// gzip NDJSON, streamed with the server's memory flat, and read back line for line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LogEntry } from '../../src/shared/model';
import { serveBerth, until, type ServedBerth } from '../support/served-berth';
import { describeWithDocker, testImage } from '../support/test-env';

const lines = 1_000_000;
// Every 1000th line is a logfmt warning, every 997th goes to stderr, one line carries a rare word.
const awk = `BEGIN { for (i = 1; i <= ${lines}; i++) {
  if (i == 777777) printf "%07d needle-in-the-haystack\\n", i;
  else if (i % 997 == 0) printf "%07d on stderr\\n", i > "/dev/stderr";
  else if (i % 1000 == 0) printf "%07d level=warn every thousandth\\n", i;
  else printf "%07d line of ordinary output\\n", i } }`;

describeWithDocker('a million lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-million-'));
  let berth: ServedBerth;
  let jobId: number;

  beforeAll(async () => {
    berth = await serveBerth(dir);
  });

  afterAll(async () => {
    await berth?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores 1,000,000 lines of one job exactly once, in order, with level counts right, and q finds a rare word once it ended', async () => {
    const tpl = await berth.call('templates.create', { name: 'million', image: testImage(), command: ['awk', awk] });
    jobId = (await berth.call('jobs.run', { templateId: tpl.id })).id;
    const job = await until(() => berth.call('jobs.get', { id: jobId }), (j) => j.status !== 'pending' && j.status !== 'running', 240_000, 'the job');
    expect(job.status).toBe('completed');

    const stderr = Math.floor(lines / 997);
    const expectedWarn = Array.from({ length: lines / 1000 }, (_, k) => (k + 1) * 1000).filter((i) => i % 997 !== 0).length;
    expect(job.logLevels.error).toBe(stderr);
    expect(job.logLevels.warn).toBe(expectedWarn);
    expect(job.logLines).toBeGreaterThanOrEqual(lines);

    // Read everything back, page by page as clients do, and check each number once, in order per stream.
    let afterId = 0;
    let outNext = 1;
    let errLast = 0;
    let count = 0;
    const seen = new Uint8Array(lines + 1);
    for (;;) {
      const page = await berth.call('logs.query', { jobId, sourceType: 'container', afterId, limit: 10_000 });
      for (const l of page.logs) {
        const n = Number(l.message.slice(0, 7));
        expect(seen[n], `line ${n} once`).toBe(0);
        seen[n] = 1;
        if (l.isStdErr) {
          expect(n % 997).toBe(0);
          expect(n).toBeGreaterThan(errLast);
          errLast = n;
        } else {
          while (outNext % 997 === 0) outNext++;
          expect(n, 'stdout in order').toBe(outNext);
          outNext++;
        }
        count++;
      }
      if (page.logs.length < 10_000 && !page.truncated) break;
      afterId = page.logs[page.logs.length - 1]!.id;
    }
    expect(count).toBe(lines);

    const hit = await berth.call('logs.query', { jobId, q: 'needle-in-the-haystack' });
    expect(hit.logs.map((l) => l.message)).toEqual(['0777777 needle-in-the-haystack']);
    expect((await berth.call('logs.query', { q: 'haystack' })).count).toBe(1);
  }, 300_000);

  it('exports them as gzip NDJSON, streamed with the server growing less than 50 MB, and every line comes back with its fields', async () => {
    const before = berth.rssBytes();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, berth.rssBytes())), 50);
    const res = await berth.get(`/api/v1/logs/export?jobId=${jobId}&sourceType=container&format=ndjson&gzip=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="berth-logs-job-\d+-\d{8}-\d{6}\.ndjson\.gz"$/);

    const rl = createInterface({ input: Readable.fromWeb(res.body as never).pipe(createGunzip()), crlfDelay: Infinity });
    let n = 0;
    let outNext = 1;
    for await (const text of rl) {
      const entry = JSON.parse(text) as LogEntry;
      n++;
      expect(entry.jobId).toBe(jobId);
      expect(entry.source).toEqual({ type: 'container', name: 'million' });
      const num = Number(entry.message.slice(0, 7));
      expect(entry.isStdErr).toBe(num % 997 === 0);
      expect(entry.level).toBe(num % 997 === 0 ? 'error' : num % 1000 === 0 && num !== 777777 ? 'warn' : 'info');
      if (!entry.isStdErr) {
        while (outNext % 997 === 0) outNext++;
        expect(num).toBe(outNext++);
      }
      // Slow consumer: the server must wait for us rather than buffer the rest.
      if (n % 100_000 === 0) await new Promise((r) => setTimeout(r, 100));
    }
    clearInterval(sampler);
    expect(n).toBe(lines);
    expect(peak - before, `server RSS grew from ${before} to ${peak}`).toBeLessThan(50 * 1024 * 1024);

    // The text form is what `docker logs --timestamps` prints.
    const text = await (await berth.get(`/api/v1/logs/export?jobId=${jobId}&format=text&limit=3`)).text();
    expect(text.split('\n').filter(Boolean)[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
  }, 300_000);
});
