// Finding and acting on jobs, and templates beyond running them, over the real REST server with
// jobs on the test Docker engine: filters, sorts and cursor paging of GET /api/v1/jobs, bulk
// cancel / retry / delete (logs gone too), CSV and NDJSON exports that match the list; template
// edit and delete (history kept), usage stats, YAML export → import with no secret in it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Template, TemplateStats } from '../../src/shared/model';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { JobRepository } from '../../src/main/core/store/job-repository';
import { Auth, readOrCreateToken } from '../../src/main/server/auth';
import { BerthHttpServer } from '../../src/main/server/http-server';
import { hasStatus, startTestBerth, waitForJob, type TestBerth } from '../support/berth-harness';
import { httpRequest, type RawResponse } from '../support/http';
import { describeWithDocker, testImage } from '../support/test-env';

const secretValue = 'sekret-9f3a-value-never-shown';

describeWithDocker('the jobs and templates API', () => {
  let tb: TestBerth;
  let server: BerthHttpServer;
  let port: number;
  let token: string;
  let db: Db;
  let alpha: Template;
  let beta: Template;
  /** A host that never answers: jobs sent there stay pending. */
  let downHostId: number;
  /** Every job made in beforeAll, as the API lists them. */
  let all: Job[];
  let realJobs: number[];

  const api = (method: string, path: string, body?: unknown) =>
    httpRequest(port, {
      method,
      path,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  async function ok<T>(res: Promise<RawResponse>): Promise<T> {
    const r = await res;
    expect(r.status, r.text).toBeLessThan(300);
    return r.json as T;
  }
  const get = <T>(path: string) => ok<T>(api('GET', path));
  const listAll = async (query: string): Promise<Job[]> => {
    const jobs: Job[] = [];
    let cursor: string | null = null;
    do {
      const page: { jobs: Job[]; nextCursor: string | null } = await get(`/api/v1/jobs?${query}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      jobs.push(...page.jobs);
      cursor = page.nextCursor;
    } while (cursor);
    return jobs;
  };

  beforeAll(async () => {
    tb = startTestBerth();
    token = readOrCreateToken(tb.dir);
    server = new BerthHttpServer({ berth: tb.berth, auth: new Auth(token), port: 0, rendererDir: null, onError: (err) => console.error(err) });
    port = await server.listen();
    db = openDatabase({ file: join(tb.dir, 'berth.db') });

    alpha = await ok(api('POST', '/api/v1/templates', { name: 'alpha-ok', image: testImage(), command: ['sh', '-c', 'echo alpha says hi'], secretEnv: { TOKEN: secretValue } }));
    beta = await ok(api('POST', '/api/v1/templates', { name: 'beta-fail', image: testImage(), command: ['sh', '-c', 'echo beta fails; exit 3'] }));
    const down = await ok<{ id: number }>(api('POST', '/api/v1/hosts', { name: 'nowhere', kind: 'tcp', address: '127.0.0.1:1' }));
    downHostId = down.id;

    // Real jobs, with output: two of each template.
    realJobs = [];
    for (const t of [alpha, beta, alpha, beta]) {
      realJobs.push((await ok<Job>(api('POST', '/api/v1/jobs', { templateId: t.id, trigger: t === alpha ? 'manual' : 'api' }))).id);
    }
    for (const id of realJobs) await waitForJob(tb.berth, id, 60_000);

    // And volume straight into the store: finished rows of every kind, spread over time.
    const repo = new JobRepository(db);
    const statuses = ['completed', 'failed', 'timed_out', 'cancelled', 'completed'] as const;
    const triggers = ['manual', 'schedule', 'retry', 'api'] as const;
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 26; i++) {
      const t = i % 2 === 0 ? alpha : beta;
      const createdAt = base + i * 60_000;
      const job = repo.insert({ templateId: t.id, templateName: t.name, wantHostId: 1, trigger: triggers[i % 4]!, spec: { ...t, secretEnv: {} }, createdAt });
      // Same tick as the insert: the queue never sees it pending.
      const started = i % 5 === 3 && i % 3 === 0 ? null : createdAt + 1000 + (i % 3) * 500;
      repo.update(job.id, {
        status: statuses[i % 5]!,
        hostId: 1,
        startedAt: started ?? undefined,
        finishedAt: createdAt + 1000 + ((i * 7919) % 13) * 1000,
        exitCode: statuses[i % 5] === 'failed' ? 1 : statuses[i % 5] === 'completed' ? 0 : undefined,
      });
    }
    all = await listAll('sort=created&order=desc');
  }, 120_000);

  afterAll(async () => {
    db?.close();
    await server?.close();
    await tb?.dispose();
  });

  describe('GET /api/v1/jobs', () => {
    it('filters by several statuses, a template, a trigger and a created time range', async () => {
      expect(all.length).toBe(30);
      const failedOrTimedOut = await listAll('status=failed&status=timed_out');
      expect(failedOrTimedOut.map((j) => j.id)).toEqual(all.filter((j) => j.status === 'failed' || j.status === 'timed_out').map((j) => j.id));
      expect(failedOrTimedOut.length).toBeGreaterThan(5);

      const ofBeta = await listAll(`templateId=${beta.id}`);
      expect(ofBeta.map((j) => j.id)).toEqual(all.filter((j) => j.templateId === beta.id).map((j) => j.id));
      const scheduled = await listAll('trigger=schedule&trigger=retry');
      expect(scheduled.map((j) => j.id)).toEqual(all.filter((j) => j.trigger === 'schedule' || j.trigger === 'retry').map((j) => j.id));

      const since = Date.parse('2026-01-01T00:05:00Z');
      const until = Date.parse('2026-01-01T00:10:00Z');
      const window = await listAll(`createdSince=2026-01-01T00:05:00Z&createdUntil=${until}`);
      expect(window.map((j) => j.id)).toEqual(all.filter((j) => j.createdAt >= since && j.createdAt <= until).map((j) => j.id));
      expect(window.length).toBe(6);

      const page = await get<{ count: number }>(`/api/v1/jobs?status=completed&templateId=${alpha.id}&limit=1`);
      expect(page.count).toBe(all.filter((j) => j.status === 'completed' && j.templateId === alpha.id).length);
    });

    it('searches by job id and by part of a template name', async () => {
      const target = all[11]!;
      expect((await listAll(`q=${target.id}`)).map((j) => j.id)).toContain(target.id);
      const byName = await listAll('q=ta-fa');
      expect(byName.length).toBe(all.filter((j) => j.templateName === 'beta-fail').length);
      expect(byName.every((j) => j.templateName === 'beta-fail')).toBe(true);
    });

    it('sorts by created, started and duration, both ways, and pages by cursor without duplicates or gaps', async () => {
      const value = {
        created: (j: Job) => j.id,
        started: (j: Job) => j.startedAt ?? 0,
        duration: (j: Job) => (j.finishedAt !== null && j.startedAt !== null ? j.finishedAt - j.startedAt : -1),
      };
      for (const sort of ['created', 'started', 'duration'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const paged = await listAll(`sort=${sort}&order=${order}`);
          const sign = order === 'asc' ? 1 : -1;
          const expected = [...all].sort((a, b) => sign * (value[sort](a) - value[sort](b) || a.id - b.id));
          expect(paged.map((j) => j.id), `${sort} ${order}`).toEqual(expected.map((j) => j.id));
          expect(new Set(paged.map((j) => j.id)).size).toBe(30);
        }
      }
    });

    it('answers 400 with a message for a bad cursor or an unknown sort', async () => {
      for (const path of ['/api/v1/jobs?cursor=not-a-cursor', '/api/v1/jobs?sort=colour', '/api/v1/jobs?status=sleeping']) {
        const res = await api('GET', path);
        expect(res.status, path).toBe(400);
        expect((res.json as { error: { message: string } }).error.message).toMatch(/cursor|sort|status/);
      }
    });
  });

  describe('exports', () => {
    it('exports the filtered list as CSV and as NDJSON, matching the list', async () => {
      const filter = `status=completed&status=failed&sort=duration&order=asc`;
      const listed = await listAll(filter);
      const csv = await api('GET', `/api/v1/jobs/export?${filter}&format=csv`);
      expect(csv.status).toBe(200);
      expect(String(csv.headers['content-type'])).toMatch(/text\/csv/);
      const records = csv.text.split('\r\n').filter(Boolean);
      expect(records[0]).toBe('id,template,status,trigger,attempt,retryOf,host,exitCode,error,createdAt,startedAt,finishedAt,waitMs,runMs');
      expect(records.slice(1).map((r) => Number(r.split(',')[0]))).toEqual(listed.map((j) => j.id));
      const first = records[1]!.split(',');
      expect(first[2]).toBe(listed[0]!.status);
      expect(first[9]).toBe(new Date(listed[0]!.createdAt).toISOString());

      const ndjson = await api('GET', `/api/v1/jobs/export?${filter}&format=ndjson`);
      const rows = ndjson.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Job);
      expect(rows.map((j) => j.id)).toEqual(listed.map((j) => j.id));
      expect(rows.map((j) => ({ ...j, queuePosition: null, waitMs: null, runMs: null }))).toEqual(
        listed.map((j) => ({ ...j, queuePosition: null, waitMs: null, runMs: null })),
      );
    });
  });

  describe('bulk actions', () => {
    it('cancels pending jobs, each answered on its own', async () => {
      const held = [];
      for (let i = 0; i < 3; i++) held.push(await ok<Job>(api('POST', '/api/v1/jobs', { templateId: alpha.id, hostId: downHostId })));
      expect(held.every((j) => j.status === 'pending')).toBe(true);
      const { results } = await ok<{ results: { id: number; ok: boolean; error: string | null; job: Job | null }[] }>(
        api('POST', '/api/v1/jobs/bulk', { action: 'cancel', ids: [...held.map((j) => j.id), 999_999] }),
      );
      expect(results.map((r) => [r.id, r.ok, r.job?.status ?? null])).toEqual([
        ...held.map((j) => [j.id, true, 'cancelled']),
        [999_999, false, null],
      ]);
      expect(results[3]!.error).toMatch(/does not exist/);
    });

    it('retries finished jobs as new manual jobs with the same spec, refusing unfinished ones', async () => {
      const pending = await ok<Job>(api('POST', '/api/v1/jobs', { templateId: alpha.id, hostId: downHostId }));
      const single = await api('POST', `/api/v1/jobs/${pending.id}/retry`);
      expect(single.status).toBe(409);
      const [a, b] = realJobs as [number, number];
      const { results } = await ok<{ results: { id: number; ok: boolean; error: string | null; job: Job | null }[] }>(
        api('POST', '/api/v1/jobs/bulk', { action: 'retry', ids: [a, b, pending.id] }),
      );
      expect(results.map((r) => r.ok)).toEqual([true, true, false]);
      expect(results[2]!.error).toMatch(/pending/);
      const original = all.find((j) => j.id === a)!;
      expect(results[0]!.job).toMatchObject({ templateId: original.templateId, trigger: 'manual', attempt: 1, spec: original.spec });
      const again = await waitForJob(tb.berth, results[1]!.job!.id, 60_000);
      expect(again).toMatchObject({ status: 'failed', exitCode: 3 });
      await waitForJob(tb.berth, results[0]!.job!.id, 60_000);
      await ok(api('POST', `/api/v1/jobs/${pending.id}/cancel`, {}));
    });

    it('deletes finished jobs and every stored line of theirs; refuses pending ones', async () => {
      const [, , c, d] = realJobs as [number, number, number, number];
      const count = (id: number) => get<{ count: number }>(`/api/v1/logs/count?jobId=${id}`).then((r) => r.count);
      expect(await count(c)).toBeGreaterThan(1);
      expect(await count(d)).toBeGreaterThan(1);
      const before = await get<{ count: number }>('/api/v1/logs/count');
      const pending = await ok<Job>(api('POST', '/api/v1/jobs', { templateId: beta.id, hostId: downHostId }));
      expect((await api('DELETE', `/api/v1/jobs/${pending.id}`)).status).toBe(409);

      const deleted = new Promise<number[]>((resolve) => {
        const off = tb.berth.service.onEvent((name, payload) => {
          if (name !== 'job.deleted') return;
          off();
          resolve((payload as { ids: number[] }).ids);
        });
      });
      const linesOfCd = (await count(c)) + (await count(d));
      const { results } = await ok<{ results: { id: number; ok: boolean; error: string | null }[] }>(
        api('POST', '/api/v1/jobs/bulk', { action: 'delete', ids: [c, d, pending.id] }),
      );
      expect(results.map((r) => r.ok)).toEqual([true, true, false]);
      expect(await deleted).toEqual([c, d]);
      for (const id of [c, d]) {
        expect(await count(id)).toBe(0);
        expect((await api('GET', `/api/v1/jobs/${id}`)).status).toBe(404);
        const lines = await get<{ count: number }>(`/api/v1/logs?jobId=${id}`);
        expect(lines.count).toBe(0);
      }
      // Every other line is still there, and counted.
      const after = await get<{ count: number }>('/api/v1/logs/count');
      expect(after.count).toBeGreaterThanOrEqual(before.count - linesOfCd);
      expect(after.count).toBeLessThan(before.count);
      const single = realJobs[0]!;
      expect((await ok<{ id: number }>(api('DELETE', `/api/v1/jobs/${single}`))).id).toBe(single);
      expect(await count(single)).toBe(0);
      await ok(api('POST', `/api/v1/jobs/${pending.id}/cancel`, {}));
    });
  });

  describe('templates', () => {
    it('counts jobs, successes, failures, last run and mean running time per template', async () => {
      const stats = await get<TemplateStats[]>('/api/v1/templates/stats');
      const jobs = await listAll('sort=created');
      for (const t of [alpha, beta]) {
        const mine = jobs.filter((j) => j.templateId === t.id);
        const completed = mine.filter((j) => j.status === 'completed').length;
        const failed = mine.filter((j) => j.status === 'failed' || j.status === 'timed_out').length;
        const ran = mine.filter((j) => j.startedAt !== null && j.finishedAt !== null);
        const s = stats.find((x) => x.templateId === t.id)!;
        expect(s).toMatchObject({ jobs: mine.length, completed, failed });
        expect(s.successRate).toBeCloseTo(completed / (completed + failed), 10);
        expect(s.lastRunAt).toBe(Math.max(...mine.map((j) => j.startedAt ?? 0)));
        expect(s.meanRunMs).toBe(Math.round(ran.reduce((sum, j) => sum + (j.finishedAt! - j.startedAt!), 0) / ran.length));
      }
      const fresh = await ok<Template>(api('POST', '/api/v1/templates', { name: 'never-run', image: testImage() }));
      const none = (await get<TemplateStats[]>('/api/v1/templates/stats')).find((x) => x.templateId === fresh.id);
      expect(none).toEqual({ templateId: fresh.id, jobs: 0, completed: 0, failed: 0, successRate: null, lastRunAt: null, meanRunMs: null });
      await ok(api('DELETE', `/api/v1/templates/${fresh.id}`));
    });

    it('edits with PUT; deletes with DELETE, keeping its jobs listed under its name; refuses while jobs wait', async () => {
      const gamma = await ok<Template>(api('POST', '/api/v1/templates', { name: 'gamma', image: testImage(), command: 'echo one' }));
      const edited = await ok<Template>(api('PUT', `/api/v1/templates/${gamma.id}`, { name: 'gamma', image: testImage(), command: 'echo two', timeoutSeconds: 30 }));
      expect(edited).toMatchObject({ command: ['echo', 'two'], timeoutSeconds: 30 });
      const ran = await ok<Job>(api('POST', '/api/v1/jobs', { templateId: gamma.id }));
      await waitForJob(tb.berth, ran.id, 60_000);
      const held = await ok<Job>(api('POST', '/api/v1/jobs', { templateId: gamma.id, hostId: downHostId }));
      const refused = await api('DELETE', `/api/v1/templates/${gamma.id}`);
      expect(refused.status).toBe(409);
      await ok(api('POST', `/api/v1/jobs/${held.id}/cancel`, {}));
      await waitForJob(tb.berth, held.id, 10_000, hasStatus('cancelled'));
      await ok(api('DELETE', `/api/v1/templates/${gamma.id}`));
      expect((await api('GET', `/api/v1/templates/${gamma.id}`)).status).toBe(404);
      const history = await listAll(`templateId=${gamma.id}`);
      expect(history.map((j) => [j.id, j.templateName])).toEqual([
        [held.id, 'gamma'],
        [ran.id, 'gamma'],
      ]);
    });

    it('exports YAML without any secret and imports it back, creating or replacing by name', async () => {
      const res = await api('GET', '/api/v1/templates/export');
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/application\/yaml/);
      expect(String(res.headers['content-disposition'])).toContain('berth-templates.yaml');
      expect(res.text).toContain('name: alpha-ok');
      expect(res.text).not.toContain(secretValue);
      expect(res.text).not.toContain('TOKEN');
      expect(res.text).not.toContain('secretEnv');

      // Replacing: every template updated, the secret already set kept.
      const again = await ok<{ created: string[]; updated: string[]; errors: unknown[] }>(api('POST', '/api/v1/templates/import', { yaml: res.text }));
      expect(again.errors).toEqual([]);
      expect(again.created).toEqual([]);
      expect(again.updated.sort()).toEqual(['alpha-ok', 'beta-fail']);
      const alphaNow = await get<Template>(`/api/v1/templates/${alpha.id}`);
      expect(alphaNow.secretEnv).toEqual({ TOKEN: '••••' });

      // Into a Berth without them: created with the same fields (the host by name).
      const pinned = await ok<Template>(api('POST', '/api/v1/templates', { name: 'pinned', image: testImage(), hostId: downHostId, cpus: 0.5, labels: { a: 'b' } }));
      const text = (await api('GET', `/api/v1/templates/export?id=${pinned.id}`)).text;
      expect(text).toContain('host: nowhere');
      await ok(api('DELETE', `/api/v1/templates/${pinned.id}`));
      const bad = `${text}  - name: broken\n    image: busybox\n    memoryBytes: 5\n`;
      const imported = await ok<{ created: string[]; updated: string[]; errors: { name: string; error: string }[] }>(
        api('POST', '/api/v1/templates/import', { yaml: bad, replace: false }),
      );
      expect(imported.created).toEqual(['pinned']);
      expect(imported.errors).toEqual([{ name: 'broken', error: expect.stringMatching(/^memoryBytes: /) }]);
      const back = (await get<Template[]>('/api/v1/templates')).find((t) => t.name === 'pinned')!;
      const strip = ({ id: _i, createdAt: _c, updatedAt: _u, ...rest }: Template) => rest;
      expect(strip(back)).toEqual(strip(pinned));
      // Without replace, an existing name is refused on its own.
      const refused = await ok<{ errors: { name: string }[] }>(api('POST', '/api/v1/templates/import', { yaml: text, replace: false }));
      expect(refused.errors.map((e) => e.name)).toEqual(['pinned']);
      expect((await api('POST', '/api/v1/templates/import', { yaml: 'templates: [' })).status).toBe(400);
    });
  });
});
