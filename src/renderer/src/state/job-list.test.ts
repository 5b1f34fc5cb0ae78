import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/model';
import { mergeJobs, newerJob, upsertJob } from './job-list';

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
  spec: {
    image: 'busybox',
    command: [],
    entrypoint: null,
    workingDir: null,
    user: null,
    env: {},
    secretEnv: {},
    cpus: null,
    memoryBytes: null,
    pidsLimit: null,
    network: null,
    volumes: [],
    labels: {},
    pullPolicy: 'if-missing',
    timeoutSeconds: null,
  },
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
