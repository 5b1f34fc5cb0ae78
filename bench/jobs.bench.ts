// Jobs at scale, through the REST API of the built `berth serve`, in two parts:
//
//   the list    a store with `rows` finished jobs (default 100,000) over 20 templates and 2
//               hosts, written straight into SQLite in one transaction; every sort's first page,
//               a walk of 20 pages by cursor, each filter alone and combined, timed back to back
//               over one keep-alive connection. Baseline: the same first page as a plain
//               `SELECT … FROM jobs ORDER BY id DESC LIMIT 200` from this process (the floor).
//               Each query's plan is printed (EXPLAIN QUERY PLAN of the SQL JobRepository runs).
//   a burst     `submit` jobs of a `true` template POSTed at once on the local engine, until all
//               have finished: wall time, jobs/s, most containers running at once (docker ps by
//               Berth's instance label). Baseline: as many containers created, started, waited
//               for and removed at once straight through dockerode (Berth before its queue).
//
// Sizes: BERTH_BENCH_JOB_ROWS (100000) and BERTH_BENCH_JOBS (500), or --job-rows / --submit-jobs.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { jobLabels } from '../src/main/core/jobs/job-runner';
import { JobRepository } from '../src/main/core/store/job-repository';
import type { JobFilter } from '../src/shared/contract';
import type { Host, Job, Template } from '../src/shared/model';
import { seededPrng } from '../test/support/prng';
import type { BenchEnv } from './bench-env';
import { fmt, GoalBook, median, ms, percentile } from './support/figures';
import { apiCall, startServe, type ServedProcess } from './support/serve-process';

export interface JobsBenchOptions {
  /** Finished jobs in the list's store. */
  rows: number;
  /** Timed runs of each list query, after a few untimed ones. */
  runs: number;
  /** Jobs submitted at once in the burst. */
  submit: number;
}

const dayMs = 86_400_000;
const pageGoalMs = 50;
const templateNames = [
  'nightly-backup', 'db-vacuum', 'report-daily', 'report-weekly', 'invoice-export', 'image-resize',
  'cache-warm', 'log-rotate', 'sitemap-build', 'email-digest', 'search-reindex', 'cert-renew',
  'metrics-rollup', 'user-cleanup', 'video-transcode', 'etl-orders', 'etl-customers', 'sync-crm',
  'health-probe', 'ml-train-small',
];

const qs = (params: Record<string, string | number | (string | number)[]>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, String(x));
  return u.toString();
};

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface BuiltJobs {
  templateIds: number[];
  otherHostId: number;
  firstCreated: number;
  lastCreated: number;
  sampleJobId: number;
}

/**
 * Writes `rows` finished jobs, each with its log source and level counters, into a store that
 * `berth serve` created (so its local host, instance id and settings are Berth's own), in one
 * transaction. Jobs are spread over 90 days up to now, in id order as Berth creates them.
 */
function fillJobs(file: string, rows: number): BuiltJobs {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const rnd = seededPrng(6);
  const now = Date.now();
  const firstCreated = now - 90 * dayMs;
  const built = db.transaction((): BuiltJobs => {
    const otherHostId = Number(
      db.prepare("INSERT INTO hosts (name, kind, address, enabled, created_at) VALUES ('build-box', 'tcp', 'tcp://192.0.2.1:2375', 0, ?)").run(firstCreated).lastInsertRowid,
    );
    const localHostId = (db.prepare('SELECT id FROM hosts WHERE is_default = 1').get() as { id: number }).id;
    const insertTemplate = db.prepare("INSERT INTO templates (name, image, command, env, spec, created_at, updated_at) VALUES (?, 'busybox', ?, '{}', '{}', ?, ?)");
    const templateIds = templateNames.map((name) => Number(insertTemplate.run(name, JSON.stringify(['sh', '-c', `run-${name}`]), firstCreated, firstCreated).lastInsertRowid));
    const insertJob = db.prepare(
      `INSERT INTO jobs (template_id, host_id, want_host_id, status, trigger, attempt, retry_of, spec, container_id, exit_code, error, created_at, started_at, finished_at)
       VALUES (@templateId, @hostId, @wantHostId, @status, @trigger, @attempt, @retryOf, @spec, @containerId, @exitCode, @error, @createdAt, @startedAt, @finishedAt)`,
    );
    const insertSource = db.prepare(
      'INSERT INTO log_sources (job_id, host_id, container_id, container_name, service_id, service_name, lines, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertCount = db.prepare('INSERT INTO log_counts (source_id, kind, level, lines) VALUES (?, 0, ?, ?)');
    const lastOfTemplate = new Map<number, { id: number; status: string }>();
    const hex = () => Array.from({ length: 8 }, () => rnd.int(0, 0xffffffff).toString(16).padStart(8, '0')).join('');
    let createdAt = firstCreated;
    let sampleJobId = 0;
    for (let i = 0; i < rows; i++) {
      createdAt += rnd.int(0, Math.max(1, Math.floor((2 * (now - firstCreated)) / rows)));
      const t = rnd.int(0, templateNames.length - 1);
      // Some templates are much busier than others, as schedules make them.
      const templateIdx = rnd.next() < 0.5 ? t % 5 : t;
      const templateId = templateIds[templateIdx]!;
      const hostId = rnd.next() < 0.6 ? localHostId : otherHostId;
      const prev = lastOfTemplate.get(templateId);
      const r = rnd.next();
      const status = r < 0.72 ? 'completed' : r < 0.87 ? 'failed' : r < 0.92 ? 'timed_out' : 'cancelled';
      const isRetry = prev !== undefined && prev.status !== 'completed' && rnd.next() < 0.5;
      const trigger = isRetry ? 'retry' : rnd.pick(['schedule', 'schedule', 'schedule', 'api', 'api', 'manual']);
      // A cancelled job was often cancelled while still waiting: it never started.
      const neverStarted = status === 'cancelled' && rnd.next() < 0.5;
      const startedAt = neverStarted ? null : createdAt + rnd.int(5, 5_000);
      // Durations from a tenth of a second to an hour, most of them short.
      const duration = Math.round(100 * Math.exp(rnd.next() * Math.log(36_000)));
      const finishedAt = startedAt === null ? createdAt + rnd.int(100, 60_000) : startedAt + duration;
      const containerId = neverStarted ? null : hex();
      const jobId = Number(
        insertJob.run({
          templateId,
          hostId: neverStarted ? null : hostId,
          wantHostId: rnd.next() < 0.3 ? hostId : null,
          status,
          trigger,
          attempt: isRetry ? 2 : 1,
          retryOf: isRetry ? prev.id : null,
          spec: JSON.stringify({ image: 'busybox', command: ['sh', '-c', `run-${templateNames[templateIdx]}`], env: { STAGE: 'prod', BATCH: String(i % 97) } }),
          containerId,
          exitCode: status === 'completed' ? 0 : status === 'failed' ? rnd.pick([1, 2, 137]) : null,
          error: status === 'timed_out' ? 'timed out after 3600 s' : null,
          createdAt,
          startedAt,
          finishedAt,
        }).lastInsertRowid,
      );
      lastOfTemplate.set(templateId, { id: jobId, status });
      if (i === Math.floor(rows / 3)) sampleJobId = jobId;
      const info = neverStarted ? 0 : rnd.int(0, 2_000);
      const errors = status === 'completed' || neverStarted ? 0 : rnd.int(1, 20);
      const sourceId = Number(
        insertSource.run(jobId, neverStarted ? null : hostId, containerId, containerId ? `berth-job-${jobId}` : null, templateId, templateNames[templateIdx], info + errors, (info + errors) * 90, createdAt)
          .lastInsertRowid,
      );
      if (info > 0) insertCount.run(sourceId, 1, info);
      if (errors > 0) insertCount.run(sourceId, 3, errors);
    }
    return { templateIds, otherHostId, firstCreated, lastCreated: createdAt, sampleJobId };
  })();
  db.pragma('optimize');
  db.close();
  return built;
}

interface Query {
  name: string;
  filter: Partial<JobFilter> & Record<string, unknown>;
}

interface Timed {
  samples: number[];
  count: number;
  rows: number;
  failed: string | null;
}

async function timeQuery(b: ServedProcess, agent: http.Agent, path: string, runs: number): Promise<Timed> {
  const samples: number[] = [];
  let count = 0;
  let rows = 0;
  const warmup = Math.max(2, Math.ceil(runs / 10));
  for (let i = 0; i < warmup + runs; i++) {
    const a = await b.get(path, agent);
    if (a.status !== 200) return { samples, count, rows, failed: `${a.status}: ${a.body.toString().slice(0, 300)}` };
    if (i === 0) {
      const body = JSON.parse(a.body.toString()) as { count: number; jobs: unknown[] };
      count = body.count;
      rows = body.jobs.length;
    }
    if (i >= warmup) samples.push(a.ms);
  }
  return { samples, count, rows, failed: null };
}

/** The plan SQLite picks for the SQL the repository runs for `filter` (its page query and its count). */
function plansOf(file: string, filter: JobFilter & { cursor?: string; limit: number }): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const seen: { sql: string }[] = [];
    const prepare = db.prepare.bind(db);
    // The repository prepares each query once: recording what it prepares gives its SQL.
    (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      seen.push({ sql });
      return prepare(sql);
    };
    const repo = new JobRepository(db as never);
    const before = seen.length;
    repo.list(filter);
    return seen.slice(before).map(({ sql }) => {
      const params: Record<string, unknown> = {};
      for (const m of sql.matchAll(/@(\w+)/g)) params[m[1]!] = 0;
      const plan = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
      // The main query's steps only: the correlated subqueries for each row are the same everywhere.
      return plan
        .map((p) => p.detail)
        .filter((d) => !/CORRELATED|SEARCH c USING PRIMARY KEY|jobs_by_retry_of|USING INDEX sqlite_autoindex_log_sources|SEARCH t USING INTEGER PRIMARY KEY/.test(d))
        .join('; ');
    });
  } finally {
    db.close();
  }
}

async function listPart(env: BenchEnv, opts: JobsBenchOptions, goals: GoalBook, base: string): Promise<void> {
  console.log(`\n### The jobs list: ${fmt(opts.rows)} finished jobs over ${templateNames.length} templates and 2 hosts, served by the built \`berth serve\``);
  const dataDir = join(base, 'list');
  const serveEnv = { DOCKER_HOST: env.dockerHost };
  // Berth makes its store (local host, instance id, settings); the jobs go in while it is stopped.
  await (await startServe(dataDir, serveEnv)).stop();
  const file = join(dataDir, 'berth.db');
  const t0 = performance.now();
  const built = fillJobs(file, opts.rows);
  console.log(`store: ${fmt(opts.rows)} jobs written in ${((performance.now() - t0) / 1000).toFixed(1)} s (one transaction, with their log sources and level counters)`);

  const b = await startServe(dataDir, serveEnv);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const busyTemplate = built.templateIds[0]!;
    const quietTemplate = built.templateIds[17]!;
    const quietName = templateNames[17]!;
    const mid = Math.floor((built.firstCreated + built.lastCreated) / 2);
    const day = { createdSince: mid, createdUntil: mid + dayMs };
    const week = { createdSince: mid, createdUntil: mid + 7 * dayMs };
    const queries: Query[] = [
      { name: 'sort=created desc (the default)', filter: {} },
      { name: 'sort=created asc', filter: { order: 'asc' } },
      { name: 'sort=started desc', filter: { sort: 'started' } },
      { name: 'sort=started asc', filter: { sort: 'started', order: 'asc' } },
      { name: 'sort=duration desc', filter: { sort: 'duration' } },
      { name: 'sort=duration asc', filter: { sort: 'duration', order: 'asc' } },
      { name: 'status=failed', filter: { status: ['failed'] } },
      { name: 'status=failed,timed_out', filter: { status: ['failed', 'timed_out'] } },
      { name: `templateId (${templateNames[0]}, a busy one)`, filter: { templateId: [busyTemplate] } },
      { name: `templateId (${quietName}, a quiet one)`, filter: { templateId: [quietTemplate] } },
      { name: 'hostId (the second host)', filter: { hostId: [built.otherHostId] } },
      { name: 'trigger=manual', filter: { trigger: ['manual'] } },
      { name: 'trigger=retry', filter: { trigger: ['retry'] } },
      { name: 'createdSince + createdUntil (one day)', filter: day },
      { name: 'q=a template-name fragment ("export")', filter: { q: 'export' } },
      { name: 'q=a fragment no name has ("zzz")', filter: { q: 'zzz' } },
      { name: `q=a job id (${built.sampleJobId})`, filter: { q: String(built.sampleJobId) } },
      { name: 'status=failed, sort=duration desc', filter: { status: ['failed'], sort: 'duration' } },
      { name: 'templateId, sort=started desc', filter: { templateId: [busyTemplate], sort: 'started' } },
      { name: 'failed + templateId + hostId + one week', filter: { status: ['failed'], templateId: [busyTemplate], hostId: [built.otherHostId], ...week } },
      { name: 'failed + trigger=schedule + q + one week', filter: { status: ['failed'], trigger: ['schedule'], q: 'report', ...week } },
    ];

    // The floor: the same first page as a plain SELECT from this process, on the same file.
    const floorDb = new Database(file, { readonly: true });
    const floorStmt = floorDb.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT 200');
    const floor: number[] = [];
    for (let i = 0; i < opts.runs + 10; i++) {
      const t = performance.now();
      floorStmt.all();
      if (i >= 10) floor.push(performance.now() - t);
    }
    floorDb.close();

    const results: { q: Query; t: Timed; plans: string[] }[] = [];
    for (const q of queries) {
      const t = await timeQuery(b, agent, `/api/v1/jobs?${qs({ limit: 200, ...(q.filter as Record<string, string | number | (string | number)[]>) })}`, opts.runs);
      const plans = plansOf(file, { sort: 'created', order: 'desc', limit: 200, ...q.filter } as JobFilter & { limit: number });
      results.push({ q, t, plans });
    }

    // Walking pages by cursor, newest first and by duration: each page is a sample.
    const walks: { name: string; samples: number[]; total: number[]; rows: number }[] = [];
    for (const [name, filter] of [
      ['sort=created desc', {}],
      ['sort=duration desc', { sort: 'duration' }],
      ['status=failed', { status: 'failed' }],
    ] as const) {
      const samples: number[] = [];
      const total: number[] = [];
      let rows = 0;
      for (let round = 0; round < Math.max(3, Math.ceil(opts.runs / 20)) + 1; round++) {
        let cursor: string | null = null;
        let sum = 0;
        rows = 0;
        for (let page = 0; page < 20; page++) {
          const a = await b.get(`/api/v1/jobs?${qs({ limit: 200, ...filter, ...(cursor ? { cursor } : {}) })}`, agent);
          if (a.status !== 200) throw new Error(`page ${page + 1} of ${name}: ${a.status} ${a.body.toString().slice(0, 300)}`);
          const body = JSON.parse(a.body.toString()) as { jobs: Job[]; nextCursor: string | null };
          rows += body.jobs.length;
          if (round > 0) samples.push(a.ms);
          sum += a.ms;
          cursor = body.nextCursor;
          if (!cursor) break;
        }
        if (round > 0) total.push(sum);
      }
      walks.push({ name, samples, total, rows });
    }

    const floorMs = median(floor);
    console.log(`\nbaseline, the floor: \`SELECT * FROM jobs ORDER BY id DESC LIMIT 200\` from this process: median ${ms(floorMs)} ms, p99 ${ms(percentile(floor, 99))} ms`);
    console.log(
      `\nfirst pages (limit 200, \`count\` included) through REST with the token, one keep-alive connection, back to back, ${opts.runs} timed runs each; the ratio is the median against the floor:`,
    );
    const width = Math.max(...results.map((r) => r.q.name.length));
    for (const { q, t, plans } of results) {
      const head = `  ${q.name.padEnd(width)}`;
      if (t.failed) {
        console.log(`${head}  FAILED ${t.failed} ${goals.note(q.name, { text: `goal ≤ ${pageGoalMs} ms at p99`, met: false })}`);
        continue;
      }
      const p50 = median(t.samples);
      const p99 = percentile(t.samples, 99);
      const goal = goals.note(q.name, { text: `goal ≤ ${pageGoalMs} ms at p99`, met: p99 <= pageGoalMs });
      console.log(`${head}  median ${ms(p50).padStart(6)} ms, p99 ${ms(p99).padStart(6)} ms, ${(p50 / floorMs).toFixed(0).padStart(4)}× the floor ${goal} → ${t.rows} rows of count ${fmt(t.count)}`);
      if (p99 > pageGoalMs) for (const [i, plan] of plans.entries()) console.log(`      plan (${i === 0 ? 'page' : 'count'}): ${plan}`);
    }
    console.log(`\nwalking 20 pages of 200 by cursor (each page a sample; ${walks[0]!.total.length} walks after one untimed):`);
    for (const w of walks) {
      const p99 = percentile(w.samples, 99);
      console.log(
        `  ${w.name.padEnd(20)} per page median ${ms(median(w.samples))} ms, p99 ${ms(p99)} ms ${goals.note(`cursor walk, ${w.name}`, { text: `goal ≤ ${pageGoalMs} ms at p99`, met: p99 <= pageGoalMs })}; the walk ${ms(median(w.total))} ms (${fmt(w.rows)} jobs)`,
      );
    }
    console.log(`\nplans of the queries that met the goal (EXPLAIN QUERY PLAN, page query | count query):`);
    for (const { q, t, plans } of results) if (!t.failed && percentile(t.samples, 99) <= pageGoalMs) console.log(`  ${q.name.padEnd(width)}  ${plans.join(' | ')}`);
  } catch (err) {
    console.error(`berth serve said:\n${b.output().slice(-4000)}`);
    throw err;
  } finally {
    agent.destroy();
    await b.stop();
  }
}

/** Polls the engine for running containers with `label` every ~100 ms until stopped; the most seen. */
function peakRunning(env: BenchEnv, label: string): { stop(): Promise<{ peak: number; polls: number }> } {
  let running = true;
  let peak = 0;
  let polls = 0;
  const loop = (async () => {
    while (running) {
      const list = await env.docker.listContainers({ filters: { label: [label], status: ['running'] } }).catch(() => null);
      if (list) {
        peak = Math.max(peak, list.length);
        polls++;
      }
      await sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peak, polls };
    },
  };
}

async function removeLabelled(env: BenchEnv, label: string): Promise<number> {
  const left = await env.docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(left.map((c) => env.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return left.length;
}

async function burstPart(env: BenchEnv, opts: JobsBenchOptions, base: string): Promise<void> {
  const n = opts.submit;
  console.log(`\n### ${fmt(n)} jobs submitted at once: a \`true\` template on the local engine`);
  const dataDir = join(base, 'burst');
  const b = await startServe(dataDir, { DOCKER_HOST: env.dockerHost });
  const db = new Database(join(dataDir, 'berth.db'), { readonly: true });
  const instanceId = (db.prepare("SELECT value FROM meta WHERE key = 'instance_id'").get() as { value: string }).value;
  db.close();
  const berthLabel = `${jobLabels.instance}=${instanceId}`;
  try {
    const local = (await apiCall<Host[]>(b, 'GET', '/api/v1/hosts')).find((h) => h.isDefault)!;
    const tpl = await apiCall<Template>(b, 'POST', '/api/v1/templates', { name: 'true', image: env.image, command: ['true'], hostId: local.id });
    const poll = peakRunning(env, berthLabel);
    const t0 = performance.now();
    const submitted = await Promise.allSettled(Array.from({ length: n }, () => apiCall<Job>(b, 'POST', '/api/v1/jobs', { templateId: tpl.id })));
    const submitMs = performance.now() - t0;
    const refused = submitted.filter((s) => s.status === 'rejected');
    let left = n - refused.length;
    while (left > 0) {
      if (performance.now() - t0 > 30 * 60_000) throw new Error(`${left} jobs still unfinished after 30 minutes`);
      await sleep(200);
      left = (await apiCall<{ count: number }>(b, 'GET', `/api/v1/jobs?${qs({ templateId: tpl.id, status: ['pending', 'running'], limit: 1 })}`)).count;
    }
    const wallMs = performance.now() - t0;
    const { peak, polls } = await poll.stop();
    const by: Record<string, number> = {};
    for (const status of ['completed', 'failed', 'timed_out', 'cancelled']) {
      by[status] = (await apiCall<{ count: number }>(b, 'GET', `/api/v1/jobs?${qs({ templateId: tpl.id, status, limit: 1 })}`)).count;
    }
    const firstFailure = by.failed ? (await apiCall<{ jobs: Job[] }>(b, 'GET', `/api/v1/jobs?${qs({ templateId: tpl.id, status: 'failed', limit: 1 })}`)).jobs[0] : undefined;
    await b.stop();
    const leftover = await removeLabelled(env, berthLabel);

    // The baseline: every container at once through dockerode, as Berth did before the queue.
    const baseLabel = 'berth.bench=jobs-burst';
    const basePoll = peakRunning(env, baseLabel);
    const errors = new Map<string, number>();
    const tb = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: n }, async () => {
        const c = await env.docker.createContainer({ Image: env.image, Cmd: ['true'], Labels: { 'berth.bench': 'jobs-burst' } });
        try {
          await c.start();
          const r = (await c.wait()) as { StatusCode: number };
          if (r.StatusCode !== 0) throw new Error(`exit ${r.StatusCode}`);
        } finally {
          await c.remove({ force: true }).catch(() => undefined);
        }
      }),
    );
    const baseMs = performance.now() - tb;
    const basePeak = await basePoll.stop();
    for (const o of outcomes) if (o.status === 'rejected') errors.set(String((o.reason as Error).message).slice(0, 120), (errors.get(String((o.reason as Error).message).slice(0, 120)) ?? 0) + 1);
    const baseFailed = outcomes.filter((o) => o.status === 'rejected').length;
    const baseLeft = await removeLabelled(env, baseLabel);

    console.log(`\nBerth: ${fmt(n)} POST /api/v1/jobs at once (the local host's slots: ${local.slots}), then polling the list's count until none is pending or running:`);
    console.log(`  submitted in ${ms(submitMs)} ms (${fmt(n - refused.length)} answered 201${refused.length ? `, ${refused.length} refused: ${String((refused[0] as PromiseRejectedResult).reason).slice(0, 200)}` : ''})`);
    console.log(
      `  finished in ${ms(wallMs)} ms = ${((n * 1000) / wallMs).toFixed(1)} jobs/s: ${Object.entries(by).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; most containers running at once ${peak} (${polls} polls of docker ps)`,
    );
    if (firstFailure) console.log(`  a failed job's error: ${firstFailure.error}`);
    if (leftover) console.log(`  ${leftover} of Berth's containers were left on the engine (removed by the bench)`);
    console.log(`baseline: ${fmt(n)} containers created, started, waited for and removed at once through dockerode (no queue):`);
    console.log(
      `  ${fmt(n - baseFailed)} ran, ${fmt(baseFailed)} failed, in ${ms(baseMs)} ms = ${(((n - baseFailed) * 1000) / baseMs).toFixed(1)} containers/s; most running at once ${basePeak.peak}`,
    );
    for (const [message, count] of errors) console.log(`    ${count}× ${message}`);
    if (baseLeft) console.log(`  ${baseLeft} containers were left on the engine (removed by the bench)`);
    console.log(`  Berth's wall time ${(wallMs / baseMs).toFixed(2)}× the baseline's`);
  } finally {
    await b.stop();
    await removeLabelled(env, berthLabel);
    await removeLabelled(env, 'berth.bench=jobs-burst');
  }
}

export async function jobsBench(env: BenchEnv, opts: JobsBenchOptions): Promise<void> {
  const goals = new GoalBook();
  console.log(`\n## Jobs: a list of ${fmt(opts.rows)} and ${fmt(opts.submit)} submitted at once, through the built \`berth serve\``);
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-jobs-'));
  try {
    await listPart(env, opts, goals, base);
    await burstPart(env, opts, base);
    console.log(`\n${goals.summary()}`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
