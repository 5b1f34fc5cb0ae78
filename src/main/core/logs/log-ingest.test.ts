import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogBatch } from '../../../shared/model';
import { seededPrng } from '../../../../test/support/prng';
import { tempStore, type TempStore } from '../../../../test/support/temp-store';
import { JobRepository } from '../store/job-repository';
import { LogRepository } from '../store/log-repository';
import { LogWriter } from '../store/log-writer';
import { TemplateRepository } from '../store/template-repository';
import { LiveHub } from './live-hub';
import { Stream } from './log-codes';
import { LogIngest, type LogIngestOptions } from './log-ingest';

let store: TempStore;
let repo: LogRepository;
let writer: LogWriter;
let hub: LiveHub;
let jobIds: number[];
const ingests: LogIngest[] = [];

beforeEach(() => {
  store = tempStore();
  const template = new TemplateRepository(store.db).insert({ name: 't', image: 'i', command: [], env: {}, createdAt: 1 });
  const jobRepo = new JobRepository(store.db);
  jobIds = [1, 2, 3].map(() => jobRepo.insert(template.id, 1, 1).id);
  repo = new LogRepository(store.db);
  writer = new LogWriter(store.db);
  hub = new LiveHub();
});

afterEach(() => {
  for (const ingest of ingests.splice(0)) ingest.close();
  store.dispose();
});

function makeIngest(options: LogIngestOptions = {}): LogIngest {
  // A long timer by default so that only the test decides when a batch is written.
  const ingest = new LogIngest(writer, (jobId) => repo.lastIdOf(jobId), hub, { flushIntervalMs: 60_000, ...options });
  ingests.push(ingest);
  return ingest;
}

const out = (message: string, ts = 1) => ({ ts, stream: Stream.Stdout as const, message });
const err = (message: string, ts = 1) => ({ ts, stream: Stream.Stderr as const, message });
const messages = (jobId: number) => repo.query({ jobId, limit: 100_000 }).map((e) => e.message);

/** Records every batch the hub hands out for a job. */
function follow(jobId: number): LogBatch[] {
  const batches: LogBatch[] = [];
  hub.subscribe(jobId, (b) => batches.push(b));
  return batches;
}

/** Batch n+1 starts where batch n ended, and the first starts at `firstPrev`. */
function expectChain(batches: readonly LogBatch[], firstPrev: number, why: string): void {
  let prev = firstPrev;
  for (const [n, b] of batches.entries()) {
    expect(b.prevId, `${why}: batch ${n}`).toBe(prev);
    expect(b.lines.length, `${why}: batch ${n}`).toBeGreaterThan(0);
    for (const line of b.lines) {
      expect(line.id, `${why}: ids rise within and across batches`).toBeGreaterThan(prev);
      prev = line.id;
    }
  }
}

describe('LogIngest', () => {
  it('stores lines when flushed, not before', () => {
    const ingest = makeIngest();
    const [job] = jobIds as [number];
    ingest.pushContainerLine(job, out('one', 10));
    ingest.pushContainerLine(job, err('two', 11));
    expect(messages(job)).toEqual([]);
    ingest.flush();
    expect(repo.query({ jobId: job, limit: 10 })).toMatchObject([
      { message: 'one', timestamp: 10, level: 'info', isStdErr: false, source: { type: 'container' } },
      { message: 'two', timestamp: 11, level: 'error', isStdErr: true, source: { type: 'container' } },
    ]);
  });

  it('stores lines on its own after the flush interval', async () => {
    const ingest = makeIngest({ flushIntervalMs: 5 });
    const [job] = jobIds as [number];
    ingest.pushContainerLine(job, out('soon'));
    await vi.waitFor(() => expect(messages(job)).toEqual(['soon']), { timeout: 2000, interval: 5 });
  });

  it('writes a full batch at once, bounding what waits in memory', () => {
    const ingest = makeIngest({ batchSize: 4 });
    const [job] = jobIds as [number];
    for (let i = 0; i < 9; i++) ingest.pushContainerLine(job, out(`l${i}`));
    expect(messages(job)).toEqual(['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7']);
    ingest.flush();
    expect(messages(job)).toHaveLength(9);
  });

  it('takes the level from a JSON line and stores Berth’s own lines as system', () => {
    const ingest = makeIngest();
    const [job] = jobIds as [number];
    ingest.pushContainerLine(job, err('{"level":"debug","msg":"x"}'));
    ingest.pushSystem(job, 'pulled', 'warn');
    ingest.pushSystem(null, 'about Berth itself');
    ingest.flush();
    expect(repo.query({ jobId: job, limit: 10 })).toMatchObject([
      { level: 'debug', isStdErr: true, isSystem: false },
      { message: 'pulled', level: 'warn', isSystem: true, isStdErr: false, source: { type: 'system', name: 'berth' } },
    ]);
    expect(repo.query({ sourceType: 'system', limit: 10 }).map((e) => [e.jobId, e.message])).toEqual([
      [job, 'pulled'],
      [null, 'about Berth itself'],
    ]);
  });

  it('chains prevId per job across interleaved batches of several jobs', () => {
    const [a, b, c] = jobIds as [number, number, number];
    // Job c already has lines from before this ingest existed (e.g. an earlier run of Berth).
    const earlier = writer.write([{ ts: 1, jobId: c, stream: Stream.Stdout, level: 1, source: 0, message: 'old' }]);
    const ingest = makeIngest({ batchSize: 7 });
    const followed = new Map(jobIds.map((id) => [id, follow(id)]));
    const rng = seededPrng(42);
    const pushed = new Map<number, string[]>(jobIds.map((id) => [id, []]));
    for (let i = 0; i < 500; i++) {
      const job = rng.pick([a, a, b, c]);
      const message = `${job}-${i}`;
      pushed.get(job)!.push(message);
      if (rng.int(0, 9) === 0) ingest.pushSystem(job, message);
      else ingest.pushContainerLine(job, rng.int(0, 1) ? out(message) : err(message));
      // Sometimes a timer-sized flush in the middle of a batch.
      if (rng.int(0, 40) === 0) ingest.flush();
      if (rng.int(0, 60) === 0) ingest.pushSystem(null, 'not about a job');
    }
    ingest.flush();

    for (const job of jobIds) {
      const batches = followed.get(job)!;
      const firstPrev = job === c ? earlier[0]!.id : 0;
      expectChain(batches, firstPrev, `job ${job}`);
      expect(batches.every((batch) => batch.jobId === job)).toBe(true);
      // What was streamed is exactly what was stored after the earlier lines, in order.
      const streamed = batches.flatMap((batch) => batch.lines);
      const storedIds = repo.query({ jobId: job, afterId: firstPrev, limit: 100_000 }).map((e) => e.id);
      expect(streamed.map((l) => l.id)).toEqual(storedIds);
      expect(streamed.map((l) => l.message)).toEqual(pushed.get(job));
    }
  });

  it('gives a subscriber who joins late a prevId equal to the last line already stored', () => {
    const ingest = makeIngest();
    const [job] = jobIds as [number];
    ingest.pushContainerLine(job, out('before'));
    ingest.flush();
    const lastSeen = repo.lastIdOf(job);
    const batches = follow(job);
    ingest.pushContainerLine(job, out('after'));
    ingest.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.prevId).toBe(lastSeen);
  });

  it('keeps the chain after forgetting a finished job that then logs again', () => {
    const ingest = makeIngest();
    const [job] = jobIds as [number];
    const batches = follow(job);
    ingest.pushContainerLine(job, out('1'));
    ingest.flush();
    ingest.forget(job);
    ingest.pushSystem(job, 'late line');
    ingest.flush();
    expectChain(batches, 0, 'forgotten job');
    expect(batches).toHaveLength(2);
  });

  it('keeps lines while the store refuses writes, then stores them and streams them once', () => {
    const errors: unknown[] = [];
    const ingest = makeIngest({ maxPendingOnError: 5, onError: (e) => errors.push(e) });
    const [job] = jobIds as [number];
    const batches = follow(job);
    ingest.pushContainerLine(job, out('stored'));
    ingest.flush();
    // A real SQLite failure: every insert into logs aborts while this trigger exists.
    store.db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    for (const m of ['k1', 'k2', 'k3']) ingest.pushContainerLine(job, out(m));
    ingest.flush();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/disk says no/);
    for (const m of ['k4', 'k5', 'dropped1', 'dropped2']) ingest.pushContainerLine(job, out(m));
    expect(ingest.dropped).toBe(2);
    store.db.exec('DROP TRIGGER refuse');
    ingest.flush();
    // The loss is reported once the store works again, not kept quiet.
    expect(errors).toHaveLength(2);
    expect(String(errors[1])).toMatch(/2 log lines were dropped/);
    expect(messages(job)).toEqual(['stored', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(batches.flatMap((b) => b.lines.map((l) => l.message))).toEqual(['stored', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expectChain(batches, 0, 'after a failure');
  });
});
