import { describe, expect, it } from 'vitest';
import { runSpec } from '../../../../test/support/run-spec';
import type { Job } from '../../../shared/model';
import {
  appendPage,
  applyJobUpdate,
  compareJobs,
  createdSince,
  defaultJobQuery,
  emptyWindow,
  isFiltered,
  listInput,
  matchesQuery,
  mergeJobs,
  newerJob,
  removeJobs,
  upsertJob,
  type JobQuery,
  type JobWindow,
} from './job-list';

const job = (id: number, patch: Partial<Job> = {}): Job => ({
  id,
  templateId: 1,
  templateName: 't',
  hostId: 1,
  status: 'pending',
  trigger: 'manual',
  attempt: 1,
  retryOf: null,
  retriedBy: null,
  queuePosition: null,
  notBefore: null,
  waitMs: null,
  runMs: null,
  spec: runSpec(),
  exitCode: null,
  error: null,
  containerId: null,
  createdAt: 1000 + id,
  startedAt: null,
  finishedAt: null,
  logLines: 0,
  logLevels: { debug: 0, info: 0, warn: 0, error: 0 },
  ...patch,
});

describe('upsertJob', () => {
  it('inserts newest first', () => {
    const list = upsertJob(upsertJob(upsertJob([], job(1)), job(3)), job(2));
    expect(list.map((j) => j.id)).toEqual([3, 2, 1]);
  });

  it('replaces a job in place', () => {
    const list = [job(2), job(1)];
    const next = upsertJob(list, job(1, { status: 'running', startedAt: 5 }));
    expect(next).not.toBe(list);
    expect(next.map((j) => j.status)).toEqual(['pending', 'running']);
  });

  it('ignores a stale copy and keeps the same array', () => {
    const list = [job(1, { status: 'completed', exitCode: 0 })];
    expect(upsertJob(list, job(1, { status: 'running' }))).toBe(list);
  });
});

describe('newerJob', () => {
  it('never moves a job backwards', () => {
    const done = job(1, { status: 'failed', exitCode: 2 });
    expect(newerJob(done, job(1, { status: 'pending' }))).toBe(done);
    const running = job(1, { status: 'running' });
    expect(newerJob(job(1), running)).toBe(running);
  });
});

describe('mergeJobs', () => {
  it('keeps jobs known only from events and prefers the furthest state', () => {
    const known = [job(5, { status: 'completed', exitCode: 0 }), job(4)];
    const fetched = [job(4, { status: 'running' }), job(5, { status: 'running' }), job(3)];
    const merged = mergeJobs(known, fetched);
    expect(merged.map((j) => [j.id, j.status])).toEqual([
      [5, 'completed'],
      [4, 'running'],
      [3, 'pending'],
    ]);
  });
});

const query = (patch: Partial<JobQuery> = {}): JobQuery => ({ ...defaultJobQuery, ...patch });
const window = (ids: number[], patch: Partial<JobWindow> = {}): JobWindow => ({
  ...emptyWindow,
  rows: ids.map((id) => job(id)),
  count: ids.length,
  ...patch,
});
const ids = (w: JobWindow) => w.rows.map((j) => j.id);

describe('listInput', () => {
  it('sends only the filters that are set, with the sort', () => {
    expect(listInput(defaultJobQuery, null)).toEqual({ sort: 'created', order: 'desc' });
    const q = query({ statuses: ['pending', 'failed'], templateId: 3, hostId: 2, trigger: 'retry', q: '  nightly ', sort: 'duration', order: 'asc' });
    expect(listInput(q, 5000)).toEqual({
      status: ['pending', 'failed'],
      templateId: 3,
      hostId: 2,
      trigger: 'retry',
      createdSince: 5000,
      q: 'nightly',
      sort: 'duration',
      order: 'asc',
    });
  });

  it('turns a created preset into a bound at load time', () => {
    expect(createdSince('any', 10_000_000)).toBeNull();
    expect(createdSince('1h', 10_000_000)).toBe(10_000_000 - 3_600_000);
  });

  it('tells a filtered list from the whole list, whatever the sort', () => {
    expect(isFiltered(query({ sort: 'started', order: 'asc' }))).toBe(false);
    expect(isFiltered(query({ q: ' ' }))).toBe(false);
    expect(isFiltered(query({ statuses: ['failed'] }))).toBe(true);
    expect(isFiltered(query({ created: '7d' }))).toBe(true);
  });
});

describe('matchesQuery', () => {
  it('reads each filter like the server', () => {
    const j = job(41, { status: 'failed', templateId: 3, templateName: 'Nightly-Backup', hostId: 2, trigger: 'schedule', createdAt: 5000 });
    expect(matchesQuery(j, query(), null)).toBe(true);
    expect(matchesQuery(j, query({ statuses: ['failed', 'timed_out'] }), null)).toBe(true);
    expect(matchesQuery(j, query({ statuses: ['pending'] }), null)).toBe(false);
    expect(matchesQuery(j, query({ templateId: 4 }), null)).toBe(false);
    expect(matchesQuery(j, query({ hostId: 2 }), null)).toBe(true);
    expect(matchesQuery(job(1, { hostId: null }), query({ hostId: 2 }), null)).toBe(false);
    expect(matchesQuery(j, query({ trigger: 'manual' }), null)).toBe(false);
    expect(matchesQuery(j, query(), 5001)).toBe(false);
    expect(matchesQuery(j, query(), 5000)).toBe(true);
  });

  it('finds a job by its id (with or without #) or by part of its template name, any case', () => {
    const j = job(41, { templateName: 'Nightly-Backup' });
    for (const q of ['41', '#41', 'backup', 'NIGHTLY']) expect(matchesQuery(j, query({ q }), null)).toBe(true);
    for (const q of ['42', 'restore']) expect(matchesQuery(j, query({ q }), null)).toBe(false);
    // Digits also match a template name containing them.
    expect(matchesQuery(job(7, { templateName: 'job-41-daily' }), query({ q: '41' }), null)).toBe(true);
  });
});

describe('compareJobs', () => {
  it('sorts unstarted jobs as the smallest and breaks ties by id', () => {
    const a = job(1, { startedAt: 100, finishedAt: 400 });
    const b = job(2, { startedAt: 200, finishedAt: 250 });
    const c = job(3);
    const sorted = (sort: 'created' | 'started' | 'duration', order: 'asc' | 'desc') =>
      [a, b, c].sort(compareJobs(sort, order)).map((j) => j.id);
    expect(sorted('created', 'desc')).toEqual([3, 2, 1]);
    expect(sorted('started', 'desc')).toEqual([2, 1, 3]);
    expect(sorted('started', 'asc')).toEqual([3, 1, 2]);
    expect(sorted('duration', 'desc')).toEqual([1, 2, 3]);
    expect([job(5), job(4)].sort(compareJobs('started', 'asc')).map((j) => j.id)).toEqual([4, 5]);
  });
});

describe('the table window', () => {
  it('appends pages and keeps a job placed live meanwhile in its place', () => {
    let w = appendPage(emptyWindow, { jobs: [job(10), job(9)], count: 4, nextCursor: 'c1' });
    w = applyJobUpdate(w, job(11), defaultJobQuery, null);
    w = appendPage(w, { jobs: [job(8), job(7)], count: 5, nextCursor: null });
    expect(ids(w)).toEqual([11, 10, 9, 8, 7]);
    expect(w.count).toBe(5);
    expect(w.nextCursor).toBeNull();
  });

  it('puts a new matching job at the top when newest first, and counts it', () => {
    const w = applyJobUpdate(window([10, 9], { count: 2 }), job(11), defaultJobQuery, null);
    expect(ids(w)).toEqual([11, 10, 9]);
    expect(w.count).toBe(3);
    expect(w.unseen).toEqual([]);
  });

  it('leaves out a new job the filters exclude', () => {
    const w0 = window([10, 9]);
    expect(applyJobUpdate(w0, job(11, { status: 'running' }), query({ statuses: ['pending'] }), null)).toBe(w0);
  });

  it('counts a new matching job for the hint when sorted otherwise, once', () => {
    const q = query({ sort: 'started' });
    let w = applyJobUpdate(window([10, 9]), job(11, { status: 'running', startedAt: 99_999 }), q, null);
    w = applyJobUpdate(w, job(11, { status: 'completed', startedAt: 99_999, finishedAt: 100_000 }), q, null);
    expect(ids(w)).toEqual([10, 9]);
    expect(w.unseen).toEqual([11]);
  });

  it('updates a loaded row in place, even once it no longer matches, and never backwards', () => {
    const q = query({ statuses: ['pending'] });
    let w = window([10, 9]);
    w = applyJobUpdate(w, job(9, { status: 'cancelled' }), q, null);
    expect(w.rows.map((j) => [j.id, j.status])).toEqual([
      [10, 'pending'],
      [9, 'cancelled'],
    ]);
    const same = applyJobUpdate(w, job(9, { status: 'pending' }), q, null);
    expect(same).toBe(w);
  });

  it('ignores a job beyond the last loaded row while pages remain: the next page brings it', () => {
    const w0 = window([10, 9], { nextCursor: 'c' });
    expect(applyJobUpdate(w0, job(3, { status: 'running' }), defaultJobQuery, null)).toBe(w0);
    // Once every page is loaded, it goes in its place.
    const w1 = applyJobUpdate(window([10, 9]), job(3), defaultJobQuery, null);
    expect(ids(w1)).toEqual([10, 9, 3]);
  });

  it('drops deleted jobs from the rows, the count and the hint', () => {
    const w = removeJobs(window([10, 9, 8], { count: 50, unseen: [12] }), [9, 12, 400]);
    expect(ids(w)).toEqual([10, 8]);
    expect(w.count).toBe(49);
    expect(w.unseen).toEqual([]);
    const same = window([1]);
    expect(removeJobs(same, [2])).toBe(same);
  });
});
