import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLogStore, StoreFiller, type BuiltLogStore } from '../../../../bench/support/build-log-store';
import { BerthError } from '../../../shared/errors';
import type { LogEntry } from '../../../shared/model';
import { openDatabase, type Db } from '../store/database';
import { LogReader } from './log-reader';
import { countLogs } from './read/log-count';
import { queryLogs } from './read/log-query';

const execFileAsync = promisify(execFile);

let dir: string;
let file: string;
let built: BuiltLogStore;
let db: Db;
const readers: LogReader[] = [];
/** Shared, so that each test does not pay for starting workers: two of them, and one alone. */
let two: LogReader;
let one: LogReader;
/** A regex that backtracks for ages on the planted line. */
const catastrophic = '^(a+)+$';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-reader-'));
  file = join(dir, 'berth.db');
  built = buildLogStore({ file, lines: 12_000, jobs: 6, bigJobLines: 9000, hours: 1, seed: 3 });
  const writer = openDatabase({ file });
  const filler = new StoreFiller(writer);
  filler.line(built.bigJob.sourceId, built.endTs, 0, 1, 1, `${'a'.repeat(40)}!`);
  filler.flush();
  writer.close();
  db = openDatabase({ file, readonly: true });
  two = reader({ workers: 2, regexTimeoutMs: 1000 });
  one = reader({ workers: 1, regexTimeoutMs: 200 });
});

afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function reader(options: Partial<ConstructorParameters<typeof LogReader>[0]> = {}): LogReader {
  const r = new LogReader({ file, ...options });
  readers.push(r);
  return r;
}

/** The bytes of a download, its string chunks written in its encoding. */
async function collect({ body, encoding }: { body: AsyncIterable<string | Uint8Array>; encoding: BufferEncoding }): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('LogReader', () => {
  it('answers queries and counts from its worker threads as the store would', async () => {
    const r = two;
    const jobId = [built.bigJob.jobId!];
    const [tail, errors, count] = await Promise.all([
      r.query({ jobId, limit: 100 }),
      r.query({ level: ['error'], q: 'connection', limit: 50 }),
      r.count({ jobId, level: ['warn', 'error'] }),
    ]);
    expect(tail).toEqual({ logs: queryLogs(db, { jobId, limit: 100 }), truncated: false });
    expect(errors.logs).toEqual(queryLogs(db, { level: ['error'], q: 'connection', limit: 50 }));
    expect(count).toBe(countLogs(db, { jobId, level: ['warn', 'error'] }));
  });

  it('answers a query as the REST body, serialized in the worker, with the same lines', async () => {
    const query = { jobId: [built.bigJob.jobId!], level: ['info' as const, 'error' as const], limit: 500 };
    const body = await two.queryJson(query);
    const logs = queryLogs(db, query);
    expect(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')).toBe(JSON.stringify({ count: logs.length, logs }));
  });

  it('passes on a bad request from the worker as the same BerthError', async () => {
    const r = two;
    const err = await r.query({ q: 'error OR', limit: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).code).toBe('bad_request');
    expect((err as BerthError).message).toMatch(/^q: /);
  });

  it('stops a regex that backtracks for ages, says so, and goes on serving', async () => {
    const r = one;
    const started = performance.now();
    const stuck = r.query({ jobId: [built.bigJob.jobId!], regex: catastrophic, limit: 10 });
    // Queued behind the stuck one on the only worker: it runs once that worker is replaced.
    const next = r.count({ jobId: [built.bigJob.jobId!] });
    const err = await stuck.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).code).toBe('bad_request');
    expect((err as BerthError).message).toMatch(/^regex: the regex ran longer than 0\.2 s over the selected lines; narrow the filters .* or simplify the regex$/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await next).toBe(countLogs(db, { jobId: [built.bigJob.jobId!] }));
  });

  it('answers other requests while one worker is stuck', async () => {
    const r = two;
    await Promise.all([r.count({ level: ['info'] }), r.count({ level: ['debug'] })]);
    let stuckSettled = false;
    const stuck = r.query({ jobId: [built.bigJob.jobId!], regex: catastrophic, limit: 10 }).finally(() => (stuckSettled = true));
    stuck.catch(() => undefined);
    const quick = await r.query({ jobId: [built.bigJob.jobId!], limit: 5 });
    expect(quick.logs).toHaveLength(5);
    expect(stuckSettled).toBe(false);
    await expect(stuck).rejects.toThrow(/regex ran longer than 1 s/);
  });

  it('streams an export oldest first as NDJSON, text or gzip', async () => {
    const r = two;
    const jobId = [built.bigJob.jobId!];
    const expected = queryLogs(db, { jobId, afterId: 0, limit: 100_000 });
    expect(expected.length).toBeGreaterThan(9000);

    const ndjson = r.export({ jobId, format: 'ndjson', gzip: false });
    expect(ndjson.contentType).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.filename).toMatch(new RegExp(`^berth-logs-job-${jobId[0]}-\\d{8}-\\d{6}\\.ndjson$`));
    const entries = (await collect(ndjson)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as LogEntry);
    expect(entries).toEqual(expected);

    const text = r.export({ jobId, format: 'text', gzip: true, limit: 10 });
    expect(text.contentType).toBe('application/gzip');
    expect(text.filename).toMatch(/\.log\.gz$/);
    const lines = gunzipSync(await collect(text)).toString('utf8').split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(`${new Date(expected[0]!.timestamp).toISOString().slice(0, -1)}000000Z ${expected[0]!.message}`);
  });

  it('frees the worker when the consumer stops reading an export', async () => {
    const r = one;
    const body = r.export({ format: 'text', gzip: false }).body;
    for await (const chunk of body) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    const after = await r.query({ limit: 3 });
    expect(after.logs).toHaveLength(3);
  });

  it('keeps a worker for queries while exports are being read', async () => {
    const r = two;
    const first = r.export({ format: 'text', gzip: false }).body[Symbol.asyncIterator]();
    expect((await first.next()).done).toBe(false);
    const second = r.export({ format: 'text', gzip: false }).body[Symbol.asyncIterator]();
    // Exports may hold one of the two workers: the second waits for the first.
    let secondStarted = false;
    const secondChunk = second.next().then((chunk) => ((secondStarted = true), chunk));
    expect(await r.count({ level: ['warn'] })).toBe(countLogs(db, { level: ['warn'] }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(secondStarted).toBe(false);
    await first.return?.();
    expect((await secondChunk).done).toBe(false);
    await second.return?.();
  });

  it('holds no worker for an export nobody reads', async () => {
    const r = one;
    r.export({ format: 'ndjson', gzip: true });
    expect(await r.count({ level: ['error'] })).toBe(countLogs(db, { level: ['error'] }));
  });

  it('fails an export’s first read when the filter is refused', async () => {
    const r = two;
    await expect(collect(r.export({ q: '*oops', format: 'text', gzip: true }))).rejects.toThrow(/^q: /);
    expect(await r.count({})).toBeGreaterThan(0);
  });

  it('does not keep the process alive once it has answered', async () => {
    // A script that asks one question and never closes the reader must still end by itself.
    const script = join(dir, 'one-query.ts');
    writeFileSync(
      script,
      `import { LogReader } from ${JSON.stringify(join(__dirname, 'log-reader'))};
       new LogReader({ file: ${JSON.stringify(file)} }).count({}).then((n) => console.log(n));`,
    );
    const started = performance.now();
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', script], { cwd: join(__dirname, '../../../..'), timeout: 30_000 });
    expect(Number(stdout.trim())).toBe(countLogs(db, {}));
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 40_000);

  it('refuses work once closed', async () => {
    const r = reader();
    await r.close();
    await expect(r.query({ limit: 1 })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
