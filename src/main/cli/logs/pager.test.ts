import { describe, expect, it } from 'vitest';
import type { RequestInput } from '../../../shared/contract';
import type { LogEntry } from '../../../shared/model';
import type { ApiClient } from '../api-client';
import { LogPager } from './pager';

/** A stand-in for GET /api/v1/logs over one job's lines, answering as docs/api.md says. */
function fakeApi(ids: number[]) {
  const entries: LogEntry[] = ids.map((id) => ({
    id,
    message: `line ${id}`,
    timestamp: 1000 + id,
    level: id % 5 === 0 ? 'error' : 'info',
    source: { type: 'container', name: 'job-1' },
    serviceId: 1,
    serviceName: 's',
    containerId: 'c',
    jobId: 1,
    isStdErr: false,
    isSystem: false,
  }));
  const requests: RequestInput<'logs.query'>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const api = {
    async get(name: string, input: RequestInput<'logs.query'>) {
      expect(name).toBe('logs.query');
      requests.push(input);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      const limit = Number(input.limit ?? 1000);
      expect(limit).toBeGreaterThanOrEqual(1);
      expect(limit).toBeLessThanOrEqual(100_000);
      const levels = input.level === undefined ? null : ([] as string[]).concat(input.level as string[]);
      const matching = entries.filter(
        (e) =>
          (input.afterId === undefined || e.id > Number(input.afterId)) &&
          (input.beforeId === undefined || e.id < Number(input.beforeId)) &&
          (levels === null || levels.includes(e.level)),
      );
      const logs = input.afterId !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
      return { count: logs.length, logs };
    },
  };
  return { api: api as unknown as ApiClient, requests, maxInFlight: () => maxInFlight };
}

async function collect(pages: AsyncIterable<LogEntry[]>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const page of pages) out.push(page.map((e) => e.id));
  return out;
}

const ids = Array.from({ length: 25 }, (_, i) => i * 2 + 1); // 1, 3, …, 49

describe('LogPager', () => {
  it('finds the newest id, or 0', async () => {
    expect(await new LogPager(fakeApi(ids).api, { jobId: 1 }).newestId()).toBe(49);
    expect(await new LogPager(fakeApi([]).api, { jobId: 1 }).newestId()).toBe(0);
  });

  it('pages forward up to a bound, asking for the next page while one is printed', async () => {
    const f = fakeApi(ids);
    const pages = await collect(new LogPager(f.api, { jobId: 1 }, 4).forward({}, 0, 21));
    expect(pages.flat()).toEqual(ids.filter((id) => id <= 21));
    expect(pages.map((p) => p.length)).toEqual([4, 4, 3]);
    expect(f.requests.every((r) => r.jobId === 1 && r.beforeId === 22 && r.limit === 4)).toBe(true);
    expect(f.maxInFlight()).toBe(1);
  });

  it('pages forward without a bound until a short page', async () => {
    const f = fakeApi(ids);
    const pages = await collect(new LogPager(f.api, { jobId: 1 }, 5).forward({}, 40, null));
    expect(pages.flat()).toEqual([41, 43, 45, 47, 49]);
    // A full page may be the last one: one more request finds nothing.
    expect(f.requests.length).toBe(2);
    expect(f.requests[0]!.beforeId).toBeUndefined();
  });

  it('passes the filters on', async () => {
    const f = fakeApi(ids);
    const pages = await collect(new LogPager(f.api, { jobId: 1 }, 2).forward({ level: ['error'] }, 0, 49));
    expect(pages.flat()).toEqual([5, 15, 25, 35, 45]);
    expect(f.requests[0]!.level).toEqual(['error']);
  });

  it('reads a short tail in one request', async () => {
    const f = fakeApi(ids);
    expect((await collect(new LogPager(f.api, { jobId: 1 }, 10).tail({}, 3, 45))).flat()).toEqual([41, 43, 45]);
    expect(f.requests).toEqual([{ jobId: 1, beforeId: 46, limit: 3 }]);
  });

  it('walks back for a long tail, then prints it forward', async () => {
    for (const n of [7, 8, 9, 20, 25, 100]) {
      const f = fakeApi(ids);
      const got = (await collect(new LogPager(f.api, { jobId: 1 }, 4).tail({}, n, 47))).flat();
      const upTo = ids.filter((id) => id <= 47);
      expect(got, `tail ${n}`).toEqual(upTo.slice(-n));
    }
  });

  it('prints nothing for a tail of 0 or an empty source', async () => {
    expect(await collect(new LogPager(fakeApi(ids).api, { jobId: 1 }).tail({}, 0, 49))).toEqual([]);
    expect(await collect(new LogPager(fakeApi([]).api, { jobId: 1 }).forward({}, 0, 0))).toEqual([]);
  });
});
