import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLogStore, StoreFiller, type BuiltLogStore, type FilledSource } from '../../../../../bench/support/build-log-store';
import { seededPrng, type Prng } from '../../../../../test/support/prng';
import type { LogExport, LogFilter, LogQuery } from '../../../../shared/contract';
import { parseLogRegex } from '../../../../shared/contract';
import { BerthError } from '../../../../shared/errors';
import { logLevels, logSources, type LogEntry } from '../../../../shared/model';
import { openDatabase, type Db } from '../../store/database';
import { segmentTable } from '../../store/search-segments';
import { stripAnsi } from '../ansi';
import { ftsMatchExpression } from './fts-query';
import { Clock } from './log-scan';
import { countLogs } from './log-count';
import { LogExportReader, maxAnswerText, queryLogs, queryPage } from './log-query';

interface Line {
  id: number;
  ts: number;
  sourceId: number;
  kind: number;
  stream: number;
  level: number;
  message: string;
}

interface Source {
  id: number;
  jobId: number | null;
  containerId: string | null;
  containerName: string | null;
  serviceId: number | null;
  serviceName: string | null;
}

let dir: string;
let db: Db;
let built: BuiltLogStore;
let lines: Line[];
let sources: Map<number, Source>;
/** Two jobs whose containers share their first 12 characters, and one job without a container. */
let twins: FilledSource[];
let bare: FilledSource;
/** A source whose line times go back and forth across its blocks. */
let jumpy: FilledSource;
/** Stored but not yet in the search index. */
let unindexed: number[];
/** A job whose lines were deleted (their search entries stay behind). */
let deletedJob: FilledSource;

const hexOf = (seed: string) => seed.repeat(64).slice(0, 64);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-read-'));
  const file = join(dir, 'berth.db');
  // Small search segments, so that searches cross several and retention drops some.
  built = buildLogStore({ file, lines: 6000, jobs: 10, bigJobLines: 2000, hours: 1, seed: 7, segmentLines: 700 });

  // What the generated store lacks: look-alike containers, a container-less job, times out of
  // order, lines the search index has not caught up with, and retention's deletions.
  const writer = openDatabase({ file });
  const filler = new StoreFiller(writer, 700);
  const beta = filler.addService('beta');
  twins = [filler.addJob(beta, `0123456789ab${hexOf('c').slice(12)}`), filler.addJob(beta, `0123456789ab${hexOf('d').slice(12)}`)];
  bare = filler.addJob(beta, null);
  jumpy = filler.addAttachment({ containerId: hexOf('e7'), containerName: 'jumpy' });
  const t0 = built.endTs;
  for (let i = 0; i < 300; i++) {
    const who = [twins[0]!, twins[1]!, bare, jumpy][i % 4]!;
    // Jumpy's clock steps back two minutes every 50 lines.
    const ts = who === jumpy ? t0 + i * 1000 - Math.floor(i / 50) * 120_000 : t0 + i * 1000;
    const text = i % 10 === 0 ? `Café ${i} naïve ÜBER 東京 status=500 api` : `extra line ${i} status=${i % 3 === 0 ? 500 : 200} \x1b[31mRED\x1b[0m`;
    filler.line(who.sourceId, ts, i % 7 === 0 ? 1 : 0, i % 7 === 0 ? 0 : 1 + (i % 2), i % 4, text);
  }
  filler.flush();
  filler.indexing = false;
  unindexed = [];
  for (let i = 0; i < 5; i++) unindexed.push(filler.line(twins[0]!.sourceId, t0 + 400_000 + i, 0, 1, 1, `fresh unsearched xylophone ${i}`));
  filler.flush();

  deletedJob = built.sources.find((s) => s.jobId !== null && s !== built.bigJob && s.lines > 50)!;
  retain(writer, 1500, deletedJob);
  expect(writer.prepare('SELECT min(id) FROM log_search_segments').pluck().get()).toBeGreaterThan(1);
  writer.close();

  db = openDatabase({ file, readonly: true });
  lines = (db.prepare('SELECT id, ts, coalesce(source_id, 0) AS sourceId, kind, stream, level, message FROM logs ORDER BY id').all() as Line[]);
  sources = new Map(
    (
      db
        .prepare(
          'SELECT id, job_id AS jobId, container_id AS containerId, container_name AS containerName, service_id AS serviceId, service_name AS serviceName FROM log_sources',
        )
        .all() as Source[]
    ).map((s) => [s.id, s]),
  );
});

/**
 * Retention as the writer does it: lines up to `upTo` go (and a whole job); counters and blocks
 * follow (blocks keep their times, wider than what is left); search segments whose lines are all
 * gone are dropped, the others keep the entries of deleted lines.
 */
function retain(writer: Db, upTo: number, job?: FilledSource): void {
  if (job) {
    writer.exec(`
      DELETE FROM logs WHERE source_id = ${job.sourceId};
      DELETE FROM log_blocks WHERE source_id = ${job.sourceId};
      DELETE FROM jobs WHERE id = ${job.jobId};
      DELETE FROM log_sources WHERE id = ${job.sourceId};
    `);
  }
  writer.exec(`
    DELETE FROM logs WHERE id <= ${upTo};
    UPDATE log_sources SET
      lines = (SELECT count(*) FROM logs WHERE source_id = log_sources.id),
      bytes = coalesce((SELECT sum(length(CAST(message AS BLOB))) FROM logs WHERE source_id = log_sources.id), 0),
      first_id = (SELECT min(id) FROM logs WHERE source_id = log_sources.id);
    DELETE FROM log_counts;
    INSERT INTO log_counts (source_id, kind, level, lines) SELECT coalesce(source_id, 0), kind, level, count(*) FROM logs GROUP BY 1, 2, 3;
  `);
  type BlockRow = { source_id: number; first_id: number; last_id: number; min_ts: number; max_ts: number };
  for (const b of writer.prepare('SELECT source_id, first_id, last_id, min_ts, max_ts FROM log_blocks WHERE first_id <= ?').all(upTo) as BlockRow[]) {
    const left = writer
      .prepare('SELECT min(id) AS first, count(*) AS n FROM logs WHERE coalesce(source_id, 0) = ? AND id BETWEEN ? AND ?')
      .get(b.source_id, b.first_id, b.last_id) as { first: number | null; n: number };
    writer.prepare('DELETE FROM log_blocks WHERE source_id = ? AND first_id = ?').run(b.source_id, b.first_id);
    if (left.n > 0) {
      writer
        .prepare('INSERT INTO log_blocks (source_id, first_id, last_id, min_ts, max_ts, lines) VALUES (?, ?, ?, ?, ?, ?)')
        .run(b.source_id, left.first, b.last_id, b.min_ts, b.max_ts, left.n);
    }
  }
  const dead = writer
    .prepare('SELECT id FROM log_search_segments WHERE last_id < (SELECT min(id) FROM logs) AND id < (SELECT max(id) FROM log_search_segments)')
    .pluck()
    .all() as number[];
  for (const id of dead) {
    writer.exec(`DROP TABLE ${segmentTable(id)}`);
    writer.prepare('DELETE FROM log_search_segments WHERE id = ?').run(id);
  }
}

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every id any search segment matches (deleted lines included: they are not in `lines`). */
function searchAll(match: string): Set<number> {
  const out = new Set<number>();
  for (const id of db.prepare('SELECT id FROM log_search_segments').pluck().all() as number[]) {
    const t = segmentTable(id);
    for (const rowid of db.prepare(`SELECT rowid FROM ${t} WHERE ${t} MATCH ?`).pluck().all(match) as number[]) out.add(rowid);
  }
  return out;
}

/** The lines a filter selects, found the slow and obvious way, oldest first. */
function reference(f: LogFilter): Line[] {
  const named = [f.jobId, f.containerId, f.serviceId, f.serviceName].some((v) => v !== undefined);
  const searched = f.q === undefined ? null : searchAll(ftsMatchExpression(f.q));
  const regex = f.regex === undefined ? null : new RegExp(parseLogRegex(f.regex).pattern, parseLogRegex(f.regex).flags);
  const containerMatches = (s: Source, ref: string) => {
    const id = ref.toLowerCase();
    return s.containerId !== null && (id.length === 64 ? s.containerId === id : id.length >= 12 && s.containerId.startsWith(id));
  };
  return lines.filter((l) => {
    const s = sources.get(l.sourceId);
    if (named && !s) return false;
    if (s) {
      if (f.jobId && !f.jobId.includes(s.jobId ?? -1)) return false;
      if (f.containerId && !f.containerId.some((ref) => containerMatches(s, ref))) return false;
      if (f.serviceId && !f.serviceId.includes(s.serviceId ?? -1)) return false;
      if (f.serviceName && !f.serviceName.includes(s.serviceName ?? '')) return false;
    }
    if (f.level && !f.level.includes(logLevels[l.level]!)) return false;
    if (f.sourceType && !f.sourceType.includes(logSources[l.kind]!)) return false;
    if (f.since !== undefined && l.ts < f.since) return false;
    if (f.until !== undefined && l.ts >= f.until) return false;
    if (searched && !searched.has(l.id)) return false;
    if (regex && !regex.test(stripAnsi(l.message))) return false;
    return true;
  });
}

/** What a query should answer: the newest `limit` (or the oldest above afterId), oldest first. */
function expectedQuery(q: LogQuery): number[] {
  let matching = reference(q).filter((l) => (q.afterId === undefined || l.id > q.afterId) && (q.beforeId === undefined || l.id < q.beforeId));
  matching = q.afterId !== undefined ? matching.slice(0, q.limit) : matching.slice(Math.max(0, matching.length - q.limit));
  return matching.map((l) => l.id);
}

const searches = [
  'api',
  'status=500',
  'xylophone',
  'zanzibar',
  'worker processed',
  '"slow query"',
  'retr*',
  'error OR warn',
  'extra RED',
  'NEAR(connection refused)',
  'cafe',
  'über api',
  '東京',
];
const regexes = ['status=5\\d\\d', '(?i)^error', 'RED$', 'worker-1[0-5]', '^\\{"level"', 'zanzibar'];

function someOf<T>(rng: Prng, items: readonly T[], max = items.length): T[] {
  const n = rng.int(1, Math.min(max, items.length));
  const out = new Set<T>();
  while (out.size < n) out.add(rng.pick(items));
  return [...out];
}

function randomFilter(rng: Prng): LogFilter {
  const f: LogFilter = {};
  const all = [...sources.values()];
  if (rng.next() < 0.35) f.jobId = someOf(rng, [...all.filter((s) => s.jobId !== null).map((s) => s.jobId!), 9999], 2);
  if (rng.next() < 0.15) {
    const s = rng.pick(all.filter((x) => x.containerId !== null && !twins.some((t) => t.sourceId === x.id)));
    const id = s.containerId!;
    f.containerId = [rng.pick([id, id.slice(0, 12).toUpperCase(), id.slice(0, 20), id.slice(0, 8)])];
  }
  if (rng.next() < 0.15) f.serviceId = someOf(rng, [...built.services.map((s) => s.id), 900, 4242], 2);
  if (rng.next() < 0.15) f.serviceName = someOf(rng, ['api', 'worker', 'beta', 'edge proxy', 'sidecar-2', 'jumpy', 'nobody'], 2);
  if (rng.next() < 0.4) f.level = someOf(rng, logLevels);
  if (rng.next() < 0.3) f.sourceType = someOf(rng, logSources);
  const from = built.startTs;
  const to = built.endTs + 500_000;
  if (rng.next() < 0.35) f.since = rng.int(from, to);
  if (rng.next() < 0.35) f.until = rng.int(from, to);
  if (rng.next() < 0.25) f.q = rng.pick(searches);
  const narrowed = [f.jobId, f.containerId, f.serviceId, f.serviceName, f.since].some((v) => v !== undefined);
  if (narrowed && rng.next() < 0.2) f.regex = rng.pick(regexes);
  return f;
}

describe('queryLogs and countLogs', () => {
  it('answer every combination of filters exactly as a scan of all lines would', () => {
    const rng = seededPrng(20261123);
    const ids = lines.map((l) => l.id);
    for (let i = 0; i < 250; i++) {
      const f = randomFilter(rng);
      const label = JSON.stringify(f);
      const q: LogQuery = { ...f, limit: rng.pick([1, 7, 100, 1000]) };
      if (rng.next() < 0.3) q.afterId = rng.pick([0, ...ids]);
      if (rng.next() < 0.3) q.beforeId = rng.pick(ids);
      // A search is answered by the search index or decided line by line: both, whichever is cheaper.
      for (const searchBy of f.q === undefined ? (['cost'] as const) : (['cost', 'index', 'verifier'] as const)) {
        expect(countLogs(db, f, { searchBy }), `count ${label} by ${searchBy}`).toBe(reference(f).length);
        expect(
          queryLogs(db, q, { searchBy }).map((e) => e.id),
          `query ${JSON.stringify(q)} by ${searchBy}`,
        ).toEqual(expectedQuery(q));
      }
    }
  });

  it('return a job’s newest lines oldest first, and page forward from an id', () => {
    const big = built.bigJob;
    const all = reference({ jobId: [big.jobId!] }).map((l) => l.id);
    const tail = queryLogs(db, { jobId: [big.jobId!], limit: 50 });
    expect(tail.map((e) => e.id)).toEqual(all.slice(-50));
    const page = queryLogs(db, { jobId: [big.jobId!], afterId: all[10]!, limit: 5 });
    expect(page.map((e) => e.id)).toEqual(all.slice(11, 16));
    const before = queryLogs(db, { jobId: [big.jobId!], beforeId: all[20]!, limit: 5 });
    expect(before.map((e) => e.id)).toEqual(all.slice(15, 20));
  });

  it('include Berth’s lines about nothing in particular only when no source is named', () => {
    const manager = reference({ sourceType: ['manager'] });
    expect(manager.length).toBeGreaterThan(10);
    expect(manager.every((l) => l.sourceId === 0)).toBe(true);
    expect(queryLogs(db, { sourceType: ['manager'], limit: 1000 }).map((e) => e.id)).toEqual(manager.map((l) => l.id));
    expect(countLogs(db, { sourceType: ['manager'] })).toBe(manager.length);
    expect(countLogs(db, { sourceType: ['manager'], serviceName: ['api'] })).toBe(0);
  });

  it('describe each line’s source the way the log API does', () => {
    const [managerLine] = queryLogs(db, { sourceType: ['manager'], limit: 1 });
    expect(managerLine).toMatchObject({ source: { type: 'manager', name: 'berth' }, serviceId: null, serviceName: null, containerId: null, jobId: null, isSystem: true, isStdErr: false });
    const big = built.bigJob;
    const [output] = queryLogs(db, { jobId: [big.jobId!], sourceType: ['container'], level: ['error'], limit: 1 });
    expect(output).toMatchObject({ source: { type: 'container', name: 'api' }, serviceId: big.serviceId, serviceName: 'api', containerId: big.containerId, jobId: big.jobId, isSystem: false, isStdErr: true, level: 'error' });
    const [system] = queryLogs(db, { jobId: [big.jobId!], sourceType: ['system'], limit: 1 });
    expect(system).toMatchObject({ source: { type: 'system', name: 'berth' }, jobId: big.jobId, isSystem: true });
    const sidecar = built.sources.find((s) => s.containerName === 'sidecar-2')!;
    const [attached] = queryLogs(db, { containerId: [sidecar.containerId!], sourceType: ['container'], limit: 1 });
    expect(attached).toMatchObject({ source: { type: 'container', name: 'sidecar-2' }, serviceName: 'sidecar-2', serviceId: null, jobId: null });
    const [bareLine] = queryLogs(db, { jobId: [bare.jobId!], sourceType: ['container'], limit: 1 });
    expect(bareLine).toMatchObject({ source: { type: 'container', name: 'beta' }, containerId: null, jobId: bare.jobId });
    const entry: LogEntry = output!;
    expect(Object.keys(entry)).toEqual(['id', 'message', 'timestamp', 'level', 'source', 'serviceId', 'serviceName', 'containerId', 'jobId', 'isStdErr', 'isSystem']);
  });

  it('find a container by its full id or a unique prefix of 12 or more characters, like the Docker CLI', () => {
    const big = built.bigJob;
    const count = reference({ jobId: [big.jobId!] }).length;
    expect(countLogs(db, { containerId: [big.containerId!] })).toBe(count);
    expect(countLogs(db, { containerId: [big.containerId!.slice(0, 12).toUpperCase()] })).toBe(count);
    expect(countLogs(db, { containerId: [big.containerId!.slice(0, 11)] })).toBe(0);
    expect(queryLogs(db, { containerId: [twins[0]!.containerId!.slice(0, 13)], limit: 10 }).every((e) => e.jobId === twins[0]!.jobId)).toBe(true);
  });

  it('refuse a container prefix that names more than one container', () => {
    const ambiguous = () => countLogs(db, { containerId: ['0123456789ab'] });
    expect(ambiguous).toThrow(BerthError);
    expect(ambiguous).toThrow("containerId: '0123456789ab' matches more than one container; give more of it");
    expect(() => queryLogs(db, { containerId: ['0123456789AB'], limit: 5 })).toThrow(/matches more than one container/);
  });

  it('search words with punctuation in them, and explain a malformed search', () => {
    const found = queryLogs(db, { q: 'status=500 extra', limit: 1000 });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((e) => e.message.includes('status=500'))).toBe(true);
    expect(() => queryLogs(db, { q: 'error OR', limit: 5 })).toThrow(/^q: the search ends where more was expected/);
    expect(() => countLogs(db, { q: '*foo' })).toThrow(/^q: "\*foo" is not a search/);
    try {
      queryLogs(db, { q: 'a ) b', limit: 5 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BerthError);
      expect((err as BerthError).code).toBe('bad_request');
    }
  });

  it('do not find lines the search index has not caught up with yet, though they are stored', () => {
    const fresh = queryLogs(db, { jobId: [twins[0]!.jobId!], limit: 5 }).map((e) => e.id);
    expect(fresh).toEqual(unindexed);
    const searched = queryLogs(db, { q: 'xylophone', limit: 1000 }).map((e) => e.id);
    expect(searched.length).toBeGreaterThan(0);
    expect(searched.some((id) => unindexed.includes(id))).toBe(false);
  });

  it('never return a deleted line, though the search index still holds its entry', () => {
    const [word] = (db.prepare("SELECT message FROM logs WHERE id = (SELECT min(id) FROM logs)").pluck().get() as string).match(/[a-z]{4,}/) ?? ['api'];
    const stale = searchAll(`"${word}"`);
    const stored = new Set(lines.map((l) => l.id));
    expect([...stale].some((id) => !stored.has(id))).toBe(true);
    const found = queryLogs(db, { q: word!, limit: 100_000 }).map((e) => e.id);
    expect(found.every((id) => stored.has(id))).toBe(true);
    expect(countLogs(db, { q: word! })).toBe(found.length);
    expect(countLogs(db, { jobId: [deletedJob.jobId!] })).toBe(0);
    expect(queryLogs(db, { jobId: [deletedJob.jobId!], q: 'api', limit: 10 })).toEqual([]);
  });

  it('count a search exactly when only the oldest lines were deleted, from the search index alone', () => {
    const other = join(dir, 'prefix.db');
    buildLogStore({ file: other, lines: 1500, jobs: 4, hours: 0.5, seed: 11, segmentLines: 300 });
    const writer = openDatabase({ file: other });
    retain(writer, 700);
    writer.close();
    const small = openDatabase({ file: other, readonly: true });
    try {
      for (const q of ['api', 'status=500', 'worker processed', 'retr*']) {
        expect(countLogs(small, { q }), q).toBe(queryLogs(small, { q, limit: 100_000 }).length);
      }
    } finally {
      small.close();
    }
  });

  it('match a regex against the message without colour codes, case-insensitively with (?i)', () => {
    const jobId = [twins[1]!.jobId!];
    const red = queryLogs(db, { jobId, regex: 'RED$', limit: 1000 });
    expect(red.length).toBeGreaterThan(0);
    expect(red.every((e) => e.message.endsWith('RED\x1b[0m'))).toBe(true);
    expect(countLogs(db, { jobId, regex: 'red$' })).toBe(0);
    expect(countLogs(db, { jobId, regex: '(?i)red$' })).toBe(red.length);
  });

  it('give up with a bad request naming the regex when it runs past its budget', () => {
    const slow = { jobId: [built.bigJob.jobId!], regex: 'never (matches)+ here' };
    for (const run of [() => queryLogs(db, { ...slow, limit: 10 }, { regexTimeoutMs: 0 }), () => countLogs(db, slow, { regexTimeoutMs: 0 })]) {
      expect(run).toThrow(BerthError);
      expect(run).toThrow('regex: the regex ran longer than 0 s over the selected lines; narrow the filters');
    }
    const big = built.bigJob;
    const halfway = { jobId: [big.jobId!], since: Math.round((big.firstTs + big.lastTs) / 2) };
    expect(() => countLogs(db, halfway, { timeoutMs: 0 })).toThrow(/^the query took longer than 0 s; narrow it/);
  });

  it('keep time windows exact when a source’s clock goes back and forth', () => {
    for (const [since, until] of [
      [built.endTs + 40_000, built.endTs + 90_000],
      [built.endTs, built.endTs + 200_000],
      [built.endTs - 150_000, built.endTs + 30_000],
    ] as const) {
      const f: LogFilter = { containerId: [jumpy.containerId!], since, until };
      const expected = reference(f).map((l) => l.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(countLogs(db, f)).toBe(expected.length);
      expect(queryLogs(db, { ...f, limit: 1000 }).map((e) => e.id)).toEqual(expected);
    }
  });

  it('find nothing for names that match no source, without failing', () => {
    expect(queryLogs(db, { jobId: [123456], limit: 10 })).toEqual([]);
    expect(countLogs(db, { serviceName: ['nobody'], level: ['error'] })).toBe(0);
    expect(countLogs(db, { since: built.endTs + 10_000_000 })).toBe(0);
    expect(countLogs(db, { since: built.startTs + 1000, until: built.startTs + 1000 })).toBe(0);
  });
});

describe('LogExportReader', () => {
  const readAll = (e: LogExport, maxLines: number) => {
    const reader = new LogExportReader(db, e);
    const ids: number[] = [];
    for (let chunks = 0; ; chunks++) {
      expect(chunks).toBeLessThan(10_000);
      const { entries, done } = reader.read(maxLines, Clock.after(1000));
      ids.push(...entries.map((x) => x.id));
      if (done) return ids;
    }
  };

  it('reads every matching line oldest first, a chunk at a time', () => {
    const e = { serviceName: ['api', 'beta'], level: ['info', 'error'], format: 'ndjson', gzip: false } as LogExport;
    expect(readAll(e, 97)).toEqual(reference(e).map((l) => l.id));
  });

  it('starts after afterId and stops at limit', () => {
    const all = reference({ q: 'api' }).map((l) => l.id);
    const e = { q: 'api', afterId: all[5]!, limit: 40, format: 'text', gzip: false } as LogExport;
    expect(readAll(e, 7)).toEqual(all.slice(6, 46));
  });

  it('goes on where it stopped when a chunk runs out of time', () => {
    const e = { jobId: [built.bigJob.jobId!], regex: 'status=5', format: 'text', gzip: false } as LogExport;
    const reader = new LogExportReader(db, e);
    const ids: number[] = [];
    let slices = 0;
    for (;;) {
      slices++;
      // Slices with no time left read nothing; the others go on from where the last one stopped.
      const { entries, done } = reader.read(1000, Clock.after(slices % 3 === 0 ? 1000 : 0));
      ids.push(...entries.map((x) => x.id));
      if (done) break;
    }
    expect(slices).toBeGreaterThan(1);
    expect(ids).toEqual(reference(e).map((l) => l.id));
  });
});

describe('an answer of huge lines', () => {
  it('stops at the size cap, says so, and the rest comes with the next page', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'berth-read-huge-'));
    try {
      const file = join(dir2, 'berth.db');
      const writer = openDatabase({ file });
      const filler = new StoreFiller(writer, 700);
      const job = filler.addJob(filler.addService('huge'), null);
      // Six lines of 4 MiB (the longest piece Berth stores), 24 MiB in all.
      const piece = 'z'.repeat(4 * 1024 * 1024);
      for (let i = 0; i < 6; i++) filler.line(job.sourceId, 1000 + i, 0, 1, 1, `${i} ${piece}`);
      filler.flush();
      writer.close();
      const reader = openDatabase({ file, readonly: true });
      const first = queryPage(reader, { jobId: [job.jobId!], limit: 100 });
      expect(first.truncated).toBe(true);
      const text = first.logs.reduce((n, l) => n + l.message.length, 0);
      expect(text).toBeGreaterThanOrEqual(maxAnswerText);
      expect(text).toBeLessThan(maxAnswerText + 4.1 * 1024 * 1024);
      // The newest lines come first; paging back finds the others.
      const rest = queryPage(reader, { jobId: [job.jobId!], limit: 100, beforeId: first.logs[0]!.id });
      expect(rest.truncated).toBe(false);
      expect([...rest.logs, ...first.logs].map((l) => l.message.slice(0, 1))).toEqual(['0', '1', '2', '3', '4', '5']);
      reader.close();
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
