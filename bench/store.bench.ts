// Store at scale: how a script finds its way through a big store over the REST API of the built
// `berth serve`, against what Docker itself answers for the same questions, in the same run.
//
//   the store   built by bench/support/build-log-store.ts (cached under /tmp/berth-bench-cache/),
//               copied into a fresh data directory as its berth.db
//   startup     from spawning `node bin/berth.mjs serve` until `/ready` answers 200, against an
//               empty data directory (the baseline)
//   queries     every filter of docs/api.md, alone and combined, each run back to back after a
//               warm-up; median and p99 through a keep-alive connection with the token
//   /live       timed every ~10 ms from a worker thread with its own connection, at rest and
//               while the queries run
//   size        bytes per stored line (/health's logStore.usedBytes, and the file) against
//               Docker's json-file log of a stopped container holding 2,000,000 lines
//   Docker      `docker logs --tail 1000` and `docker logs --since --until … | grep word` on that
//               container against Berth's tail and window-and-word queries
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchEnv } from './bench-env';
import { atLeast, atMost, fmt, GoalBook, median, mib, ms, percentile } from './support/figures';
import { startProbe, startServe, type ServedProcess } from './support/serve-process';
import { cachedLogStore, copyStoreInto, type CachedStore } from './support/store-cache';

export interface StoreBenchOptions {
  /** Lines in the store, over `jobs` jobs, one of them with `bigJobLines`. */
  lines: number;
  jobs: number;
  bigJobLines: number;
  /** Lines of the stopped container Docker is compared on. */
  dockerLines: number;
  /** Timed runs of each query, after `warmup` untimed ones. */
  runs: number;
  warmup: number;
  /** Timed runs of each Docker command, after one untimed one. */
  dockerRuns: number;
}

const hourMs = 3_600_000;
const gib = 1024 ** 3;

interface Query {
  name: string;
  path: string;
  goalMs: number | null;
  /** Fewer runs for a query that is slow by nature. */
  runs?: number;
  note?: string;
}

interface QueryResult {
  query: Query;
  samples: number[];
  /** What the first answer held: lines, or a count. */
  answer: string;
  failed: string | null;
  /** How long the refused request took. */
  failedMs: number;
}

const qs = (params: Record<string, string | number | (string | number)[]>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, String(x));
  return u.toString();
};

function dockerCli(env: BenchEnv, args: string[]): string {
  const r = spawnSync('docker', ['-H', env.dockerHost, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Runs a command, timed from the spawn to its exit; its output counted in lines. */
function timedCommand(cmd: string, args: string[]): Promise<{ ms: number; lines: number }> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (c: Buffer) => {
      for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise({ ms: performance.now() - t0, lines }) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/** GET on the Docker engine API itself (no CLI), timed to the last byte. */
function dockerApiGet(env: BenchEnv, path: string): Promise<{ ms: number; body: Buffer }> {
  const url = env.dockerHost;
  const target = url.startsWith('unix://') ? { socketPath: url.slice('unix://'.length) } : { host: new URL(url).hostname, port: Number(new URL(url).port) };
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const req = http.get({ ...target, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolvePromise({ ms: performance.now() - t0, body: Buffer.concat(chunks) }) : reject(new Error(`GET ${path} → ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

const countOf = (buf: Buffer, needle: string) => {
  let n = 0;
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + needle.length)) n++;
  return n;
};

/** Docker's RFC 3339 nanosecond time as nanoseconds since the epoch. */
function nanos(rfc3339: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(rfc3339);
  if (!m) throw new Error(`not a Docker timestamp: ${rfc3339}`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
}

/** What `--since`/`--until` take: seconds since the epoch with nanoseconds. */
const unixArg = (ns: bigint) => `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;

interface DockerLog {
  id: string;
  lines: number;
  logPath: string;
  fileBytes: number;
  word: string;
  /** A window in the middle of the container's output: unix seconds for the CLI, and as nanoseconds. */
  since: string;
  until: string;
  sinceNs: bigint;
  untilNs: bigint;
}

/**
 * A stopped container whose json-file log holds `lines` lines of 80 bytes, printed as fast as
 * the container can; 50 of them carry a rare word. The window is the middle fifth of the time
 * its output took, read back from the log itself.
 */
function dockerLog(env: BenchEnv, lines: number): DockerLog {
  const word = 'zanzibar';
  const every = Math.max(2, Math.floor(lines / 50));
  const program =
    `BEGIN { pad = sprintf("%70s", ""); gsub(/ /, "x", pad); w = substr(pad, 1, 61); ` +
    `for (i = 1; i <= ${lines}; i++) { if (i % ${every} == ${Math.floor(every / 2)}) printf "%08d ${word} %s\\n", i, w; else printf "%08d %s\\n", i, pad } }`;
  const id = dockerCli(env, ['create', '--log-driver', 'json-file', '--label', 'berth.bench=store', env.image, 'awk', program]);
  try {
    dockerCli(env, ['start', id]);
    const code = dockerCli(env, ['wait', id]);
    if (code !== '0') throw new Error(`the Docker comparison container exited with ${code}`);
    const logPath = dockerCli(env, ['inspect', '--format', '{{.LogPath}}', id]);
    const logConfig = dockerCli(env, ['inspect', '--format', '{{json .HostConfig.LogConfig}}', id]);
    if (logConfig.includes('max-size')) throw new Error(`the comparison container's log rotates (${logConfig}); it must keep every line`);
    // The first entry's time from the file itself, the last one's from `docker logs -t --tail 1`.
    const fd = openSync(logPath, 'r');
    const head = Buffer.alloc(4096);
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const first = nanos((JSON.parse(head.toString('utf8', 0, head.indexOf(10))) as { time: string }).time);
    const last = nanos(dockerCli(env, ['logs', '-t', '--tail', '1', id]).split(' ')[0]!);
    const span = last - first;
    const sinceNs = first + (span * 2n) / 5n;
    const untilNs = first + (span * 3n) / 5n;
    return { id, lines, logPath, fileBytes: statSync(logPath).size, word, since: unixArg(sinceNs), until: unixArg(untilNs), sinceNs, untilNs };
  } catch (err) {
    dockerCli(env, ['rm', '-f', id]);
    throw err;
  }
}

async function timeQueries(berth: ServedProcess, queries: Query[], opts: StoreBenchOptions): Promise<QueryResult[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const results: QueryResult[] = [];
  try {
    for (const query of queries) {
      const runs = query.runs ?? opts.runs;
      const warmup = Math.min(opts.warmup, Math.max(1, Math.ceil(runs / 10)));
      let answer = '';
      let failed: string | null = null;
      let failedMs = 0;
      const samples: number[] = [];
      for (let i = 0; i < warmup + runs && failed === null; i++) {
        const a = await berth.get(query.path, agent);
        if (a.status !== 200) {
          failed = `${a.status}: ${a.body.toString().slice(0, 300)}`;
          failedMs = a.ms;
          break;
        }
        if (i === 0) {
          const body = JSON.parse(a.body.toString()) as { logs?: unknown[]; count?: number; logLines?: number; logLevels?: Record<string, number> };
          answer = body.logs
            ? `${fmt(body.logs.length)} lines`
            : body.logLevels
              ? `logLines ${fmt(body.logLines ?? 0)}, logLevels ${JSON.stringify(body.logLevels)}`
              : `count ${fmt(body.count ?? Number.NaN)}`;
        }
        if (i >= warmup) samples.push(a.ms);
      }
      results.push({ query, samples, answer, failed, failedMs });
    }
  } finally {
    agent.destroy();
  }
  return results;
}

export async function storeBench(env: BenchEnv, opts: StoreBenchOptions): Promise<void> {
  const goals = new GoalBook();
  console.log(
    `\n## Store at scale: ${fmt(opts.lines)} lines over ${fmt(opts.jobs)} jobs, one of ${fmt(opts.bigJobLines)} lines, served by the built \`berth serve\``,
  );
  const store: CachedStore = cachedLogStore({ lines: opts.lines, jobs: opts.jobs, bigJobLines: opts.bigJobLines, seed: 1 }, (l) => console.log(l));
  const { built } = store;
  console.log(
    store.reused
      ? `store: reused from the cache, ${store.file} (built in ${(store.buildMs / 1000).toFixed(0)} s by an earlier run)`
      : `store: built in ${(store.buildMs / 1000).toFixed(0)} s and cached as ${store.file}; the next run reuses it`,
  );
  console.log(`       ${fmt(built.lines)} lines, ${mib(store.fileBytes)} file, ${built.sources.length} sources, ${built.services.length} services`);

  // The Docker side first: its container prints 2M lines as fast as it can, which must not
  // disturb Berth's figures; it stays stopped until the comparisons at the end.
  console.log(`creating a stopped container with ${fmt(opts.dockerLines)} lines of 80 bytes (json-file) for the Docker comparisons …`);
  const dlog = dockerLog(env, opts.dockerLines);
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-store-'));
  let berth: ServedProcess | null = null;
  const serveEnv = { DOCKER_HOST: env.dockerHost };
  try {
    // Startup: an empty data directory (the baseline), then the big store; three starts each.
    const readyEmpty: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await startServe(join(base, `empty-${i}`), serveEnv);
      readyEmpty.push(s.readyMs);
      await s.stop();
    }
    const dataDir = join(base, 'data');
    const file = copyStoreInto(store.file, dataDir, { maxAgeDays: 36_500, maxBytes: Math.max(2 * gib, Math.ceil((store.fileBytes * 4) / gib) * gib) });
    const readyBig: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await startServe(dataDir, serveEnv);
      readyBig.push(s.readyMs);
      if (i < 2) await s.stop();
      else berth = s;
    }
    const b = berth!;

    // What a script would look up first: the big job, its first and last ids.
    const bigJobId = built.bigJob.jobId!;
    const bigJob = await b.json<{ logLines: number; containerId: string; templateId: number }>(`/api/v1/jobs/${bigJobId}`);
    const firstOfBig = (await b.json<{ logs: { id: number }[] }>(`/api/v1/logs?${qs({ jobId: bigJobId, afterId: 0, limit: 1 })}`)).logs[0]!.id;
    const lastOfBig = (await b.json<{ logs: { id: number }[] }>(`/api/v1/logs?${qs({ jobId: bigJobId, limit: 1 })}`)).logs[0]!.id;
    const midOfBig = Math.floor((firstOfBig + lastOfBig) / 2);
    const jobs = built.sources.filter((s) => s.jobId !== null && s.jobId !== bigJobId).sort((x, y) => x.lines - y.lines);
    const typical = jobs[Math.floor(jobs.length / 2)]!;
    const others = [jobs[Math.floor(jobs.length * 0.25)]!, jobs[Math.floor(jobs.length * 0.75)]!];
    const service = built.services[1] ?? built.services[0]!;
    const servicesJobs = built.sources.filter((s) => s.serviceName === service.name && s.jobId !== null).length;
    const attachments = built.sources.filter((s) => s.jobId === null);
    const namedAttachment = attachments[0]!;
    const plainAttachment = attachments[attachments.length - 1]!;
    const hour = { since: built.bigJob.firstTs + hourMs, until: built.bigJob.firstTs + 2 * hourMs };
    const allHour = { since: built.startTs + 3 * hourMs, until: built.startTs + 4 * hourMs };
    const lastTen = { since: built.endTs - 10 * 60_000 };
    const globalMid = Math.floor(built.lines / 2);
    const B = { jobId: bigJobId };
    const L = '/api/v1/logs?';
    const C = '/api/v1/logs/count?';
    const quick: Query[] = [
      { name: "big job's last 1000 lines (tail)", path: L + qs({ ...B, limit: 1000 }), goalMs: 5 },
      { name: `a rare word with q, everything (q=${built.rareWord})`, path: L + qs({ q: built.rareWord }), goalMs: 10 },
      { name: 'big job with its counts by level (GET /api/v1/jobs/:id)', path: `/api/v1/jobs/${bigJobId}`, goalMs: 10 },
      ...(['debug', 'info', 'warn', 'error'] as const).map((level) => ({ name: `count, big job, level=${level}`, path: C + qs({ ...B, level }), goalMs: 10 })),
    ];
    const filters: Query[] = [
      // One job.
      { name: 'big job, one hour (since & until)', path: L + qs({ ...B, ...hour }), goalMs: 50 },
      { name: 'big job, system lines (sourceType=system)', path: L + qs({ ...B, sourceType: 'system' }), goalMs: 50 },
      { name: 'big job, errors (level=error)', path: L + qs({ ...B, level: 'error' }), goalMs: 50 },
      { name: 'big job, warnings and errors', path: L + qs({ ...B, level: ['warn', 'error'] }), goalMs: 50 },
      { name: 'big job, debug lines (level=debug)', path: L + qs({ ...B, level: 'debug' }), goalMs: 50 },
      { name: 'big job, errors in one hour', path: L + qs({ ...B, level: 'error', ...hour }), goalMs: 50 },
      { name: `a typical job (${fmt(typical.lines)} lines), regex`, path: L + qs({ jobId: typical.jobId!, regex: 'db-[0-3]:5432' }), goalMs: 50 },
      { name: 'big job, regex matching 1 line in 10', path: L + qs({ ...B, regex: '(?i)^get /api/v1/' }), goalMs: 50 },
      { name: 'big job, regex in one hour', path: L + qs({ ...B, ...hour, regex: 'status=50[023]' }), goalMs: 50 },
      {
        name: `big job, regex matching almost nothing (all ${fmt(bigJob.logLines)} lines)`,
        path: L + qs({ ...B, regex: `${built.bigJobRareWord}-never` }),
        goalMs: null,
        runs: 5,
        note: 'limit case: a regex reads every line of the job; the regex deadline is 3 s',
      },
      { name: 'big job, paging back from the middle (beforeId)', path: L + qs({ ...B, beforeId: midOfBig }), goalMs: 50 },
      { name: 'big job, its first 1000 lines (afterId=0)', path: L + qs({ ...B, afterId: 0 }), goalMs: 50 },
      { name: 'big job, a page of 10,000 lines', path: L + qs({ ...B, limit: 10_000 }), goalMs: 50 },
      // Several sources.
      { name: 'three jobs (jobId repeated)', path: L + qs({ jobId: [typical.jobId!, others[0]!.jobId!, others[1]!.jobId!] }), goalMs: 50 },
      { name: `serviceName=${service.name} (${servicesJobs} jobs)`, path: L + qs({ serviceName: service.name }), goalMs: 50 },
      { name: `serviceName=${service.name}, errors`, path: L + qs({ serviceName: service.name, level: 'error' }), goalMs: 50 },
      { name: `serviceName=${service.name}, one hour`, path: L + qs({ serviceName: service.name, ...allHour }), goalMs: 50 },
      { name: `serviceId=${bigJob.templateId} (the big job's service)`, path: L + qs({ serviceId: bigJob.templateId }), goalMs: 50 },
      { name: `serviceName="${namedAttachment.serviceName}" (an attached container)`, path: L + qs({ serviceName: namedAttachment.serviceName! }), goalMs: 50 },
      { name: "containerId, the big job's 12-character prefix", path: L + qs({ containerId: bigJob.containerId.slice(0, 12) }), goalMs: 50 },
      { name: 'containerId, an attached container (full id)', path: L + qs({ containerId: plainAttachment.containerId! }), goalMs: 50 },
      // Everything.
      { name: 'everything, newest 1000 lines', path: L + qs({ limit: 1000 }), goalMs: 50 },
      { name: 'everything, level=error', path: L + qs({ level: 'error' }), goalMs: 50 },
      { name: 'everything, level=warn & error', path: L + qs({ level: ['warn', 'error'] }), goalMs: 50 },
      { name: 'everything, level=debug', path: L + qs({ level: 'debug' }), goalMs: 50 },
      { name: 'everything, sourceType=system', path: L + qs({ sourceType: 'system' }), goalMs: 50 },
      { name: 'everything, sourceType=manager', path: L + qs({ sourceType: 'manager' }), goalMs: 50 },
      { name: 'everything, one hour', path: L + qs(allHour), goalMs: 50 },
      { name: 'everything, errors in one hour', path: L + qs({ ...allHour, level: 'error' }), goalMs: 50 },
      { name: 'everything, paging forward from the middle (afterId)', path: L + qs({ afterId: globalMid }), goalMs: 50 },
      { name: 'everything, regex over the last 10 minutes (since)', path: L + qs({ ...lastTen, regex: 'status=50[023]' }), goalMs: 50 },
      // Full-text search, alone and with the other filters.
      { name: `q, a word only the big job has (q=${built.bigJobRareWord})`, path: L + qs({ q: built.bigJobRareWord }), goalMs: 50 },
      { name: 'q + jobId, a rare word', path: L + qs({ ...B, q: built.bigJobRareWord }), goalMs: 50 },
      { name: 'q + jobId, a common word (refused)', path: L + qs({ ...B, q: 'refused' }), goalMs: 50 },
      { name: 'q, a common word everywhere (invoices)', path: L + qs({ q: 'invoices' }), goalMs: 50 },
      { name: 'q, a phrase ("connection refused")', path: L + qs({ q: '"connection refused"' }), goalMs: 50 },
      { name: 'q, a prefix (zanz*)', path: L + qs({ q: 'zanz*' }), goalMs: 50 },
      { name: 'q, OR of two rare words', path: L + qs({ q: `${built.rareWord} OR ${built.bigJobRareWord}` }), goalMs: 50 },
      { name: 'q, NOT (refused NOT db-3)', path: L + qs({ q: 'refused NOT "db-3"' }), goalMs: 50 },
      { name: 'q + level, a common word in errors', path: L + qs({ q: 'refused', level: 'error' }), goalMs: 50 },
      { name: 'q + level, a rare word at a level it is seldom at', path: L + qs({ q: built.bigJobRareWord, level: 'warn' }), goalMs: 50 },
      { name: 'q + one hour of everything', path: L + qs({ q: 'refused', ...allHour }), goalMs: 50 },
      { name: 'q + jobId + one hour (the Docker comparison)', path: L + qs({ ...B, ...hour, q: built.bigJobRareWord }), goalMs: 50 },
      { name: `q + serviceName=${service.name}`, path: L + qs({ serviceName: service.name, q: 'invoices' }), goalMs: 50 },
      { name: 'q + sourceType=system', path: L + qs({ sourceType: 'system', q: 'exited' }), goalMs: 50 },
      // Counts.
      { name: 'count, everything', path: C, goalMs: 50 },
      { name: 'count, everything, level=error', path: C + qs({ level: 'error' }), goalMs: 50 },
      { name: 'count, everything, sourceType=system', path: C + qs({ sourceType: 'system' }), goalMs: 50 },
      { name: `count, serviceName=${service.name}`, path: C + qs({ serviceName: service.name }), goalMs: 50 },
      { name: 'count, big job, one hour', path: C + qs({ ...B, ...hour }), goalMs: 50 },
      { name: 'count, big job, errors in one hour', path: C + qs({ ...B, ...hour, level: 'error' }), goalMs: 50 },
      { name: 'count, everything, one hour', path: C + qs(allHour), goalMs: 50 },
      { name: `count, q=${built.rareWord}`, path: C + qs({ q: built.rareWord }), goalMs: 50 },
      { name: 'count, q + jobId, a rare word', path: C + qs({ ...B, q: built.bigJobRareWord }), goalMs: 50 },
      { name: 'count, q + jobId, a common word (refused)', path: C + qs({ ...B, q: 'refused' }), goalMs: 50 },
      { name: 'count, q + one hour of everything', path: C + qs({ q: 'refused', ...allHour }), goalMs: 50 },
      { name: 'count, a typical job, regex', path: C + qs({ jobId: typical.jobId!, regex: 'db-[0-3]:5432' }), goalMs: 50 },
    ];

    // /live at rest, then while the queries run back to back.
    const restProbe = startProbe(b.port, '/live', 10);
    await new Promise((r) => setTimeout(r, 3000));
    const liveRest = await restProbe.stop();
    const loadProbe = startProbe(b.port, '/live', 10);
    const tQueries = performance.now();
    const results = await timeQueries(b, [...quick, ...filters], opts);
    const queriesMs = performance.now() - tQueries;
    const liveLoad = await loadProbe.stop();

    // Size: what the store holds against its lines.
    const health = await b.json<{ logStore: { usedBytes: number; fileBytes: number } | null }>('/health');
    const total = (await b.json<{ count: number }>(C)).count;
    const fileBytes = statSync(file).size;
    await b.stop();
    berth = null;

    // Docker, on its stopped container.
    const dockerArgs = ['-H', env.dockerHost];
    const tailCli: number[] = [];
    const tailApi: number[] = [];
    const grepCli: number[] = [];
    const windowApi: number[] = [];
    let windowLines = 0;
    let windowHits = 0;
    let grepHits = 0;
    let tailLines = 0;
    const grepCommand = `docker ${dockerArgs.join(' ')} logs --since ${dlog.since} --until ${dlog.until} ${dlog.id} | grep ${dlog.word}`;
    const windowPath = `/containers/${dlog.id}/logs?stdout=1&stderr=1&since=${dlog.since}&until=${dlog.until}`;
    for (let i = 0; i <= opts.dockerRuns; i++) {
      const t = await timedCommand('docker', [...dockerArgs, 'logs', '--tail', '1000', dlog.id]);
      const a = await dockerApiGet(env, `/containers/${dlog.id}/logs?stdout=1&stderr=1&tail=1000`);
      const g = await timedCommand('sh', ['-c', grepCommand]);
      const w = await dockerApiGet(env, windowPath);
      tailLines = t.lines;
      grepHits = g.lines;
      windowLines = countOf(w.body, '\n');
      windowHits = countOf(w.body, dlog.word);
      if (i === 0) continue;
      tailCli.push(t.ms);
      tailApi.push(a.ms);
      grepCli.push(g.ms);
      windowApi.push(w.ms);
    }

    // Print.
    const byName = new Map(results.map((r) => [r.query.name, r]));
    console.log(`\nstartup, spawn → /ready 200 (3 starts each):`);
    console.log(`  empty data directory (baseline): median ${ms(median(readyEmpty))} ms, max ${ms(Math.max(...readyEmpty))} ms`);
    console.log(
      `  this store: median ${ms(median(readyBig))} ms, max ${ms(Math.max(...readyBig))} ms = ${(median(readyBig) / median(readyEmpty)).toFixed(2)}× the empty start ${goals.note('startup with the store', atMost(Math.max(...readyBig), 1000))}`,
    );
    console.log(
      `\nqueries through REST with the token, one keep-alive connection, back to back: ${opts.runs} timed runs each after ${opts.warmup} warm-up runs (fewer where noted); ${(queriesMs / 1000).toFixed(0)} s in all`,
    );
    const width = Math.max(...results.map((r) => r.query.name.length));
    for (const r of results) {
      const head = `  ${r.query.name.padEnd(width)}`;
      if (r.failed) {
        // A query with no goal may be refused by design (the regex deadline); one with a goal fails it.
        const what = r.query.goalMs === null ? 'answered' : 'FAILED,';
        const goal = r.query.goalMs === null ? '(no goal)' : goals.note(r.query.name, { text: `goal ≤ ${r.query.goalMs} ms at p99`, met: false });
        console.log(`${head}  ${what} ${r.failed} after ${ms(r.failedMs)} ms ${goal}${r.query.note ? ` — ${r.query.note}` : ''}`);
        continue;
      }
      const p50 = median(r.samples);
      const p99 = percentile(r.samples, 99);
      const runs = r.samples.length !== opts.runs ? ` [${r.samples.length} runs]` : '';
      const goal = r.query.goalMs === null ? '(no goal)' : goals.note(r.query.name, { text: `goal ≤ ${r.query.goalMs} ms at p99`, met: p99 <= r.query.goalMs });
      console.log(`${head}  median ${ms(p50).padStart(6)} ms, p99 ${ms(p99).padStart(6)} ms ${goal} → ${r.answer}${runs}${r.query.note ? ` — ${r.query.note}` : ''}`);
    }
    const failedProbes = liveLoad.filter((x) => x < 0).length + liveRest.filter((x) => x < 0).length;
    const okRest = liveRest.filter((x) => x >= 0);
    const okLoad = liveLoad.filter((x) => x >= 0);
    console.log(`\nGET /live every ~10 ms from a second loop (a worker thread, its own connection):`);
    console.log(`  at rest (baseline, 3 s): median ${ms(median(okRest))} ms, p99 ${ms(percentile(okRest, 99))} ms (${okRest.length} probes)`);
    console.log(
      `  while the queries run: median ${ms(median(okLoad))} ms, p99 ${ms(percentile(okLoad, 99))} ms, max ${ms(Math.max(...okLoad))} ms (${okLoad.length} probes) ${goals.note('/live p99 under queries', atMost(percentile(okLoad, 99), 20))}` +
        (failedProbes > 0 ? `; ${failedProbes} probes answered other than 200` : ''),
    );

    const used = health.logStore?.usedBytes ?? Number.NaN;
    const avgMessage = store.messageBytes / built.lines;
    console.log(`\nbytes per stored line (${fmt(total)} lines; Berth's lines average ${avgMessage.toFixed(1)} bytes of text):`);
    console.log(`  Berth, pages in use (/health logStore.usedBytes ${mib(used)}): ${(used / total).toFixed(1)} bytes/line`);
    console.log(`  Berth, the file (${mib(fileBytes)}): ${(fileBytes / total).toFixed(1)} bytes/line — lines, their indexes, counters, blocks and the full-text index`);
    const dockerPerLine = dlog.fileBytes / dlog.lines;
    console.log(`  Docker json-file (${mib(dlog.fileBytes)} for ${fmt(dlog.lines)} lines of 80 bytes): ${dockerPerLine.toFixed(1)} bytes/line, no index`);
    console.log(
      `  ratio Berth/Docker per line: ${(used / total / dockerPerLine).toFixed(2)} (pages in use), ${(fileBytes / total / dockerPerLine).toFixed(2)} (file);` +
        ` per byte of text: Berth ${(used / store.messageBytes).toFixed(2)}, Docker ${(dlog.fileBytes / (dlog.lines * 80)).toFixed(2)}`,
    );

    const tail = byName.get(quick[0]!.name)!;
    const windowWord = byName.get('q + jobId + one hour (the Docker comparison)')!;
    const berthTail = median(tail.samples);
    const berthWindow = median(windowWord.samples);
    console.log(`\nagainst Docker, median of ${opts.dockerRuns} runs after one warm-up (the container stopped, its log ${fmt(dlog.lines)} lines):`);
    console.log(
      `  docker logs --tail 1000: CLI ${ms(median(tailCli))} ms (${fmt(tailLines)} lines), engine API alone ${ms(median(tailApi))} ms | Berth's tail of the ${fmt(bigJob.logLines)}-line job ${ms(berthTail)} ms`,
    );
    const tailRatio = median(tailCli) / berthTail;
    console.log(
      `    Berth ${tailRatio.toFixed(1)}× faster than the CLI, ${(median(tailApi) / berthTail).toFixed(1)}× than the engine API (for comparison; the goal is the window-and-word query below)`,
    );
    console.log(
      `  docker logs --since --until | grep ${dlog.word} (a window of ${fmt(windowLines)} lines, ${windowHits} with the word; grep printed ${grepHits}): CLI ${ms(median(grepCli))} ms, engine API alone ${ms(median(windowApi))} ms`,
    );
    console.log(`    Berth's window-and-word query (an hour of the big job with q, ${windowWord.answer}): ${ms(berthWindow)} ms`);
    const windowRatio = median(grepCli) / berthWindow;
    console.log(
      `    Berth ${windowRatio.toFixed(0)}× faster than the CLI ${goals.note('window and word vs docker logs | grep', atLeast(windowRatio, 50, '×'))}, ${(median(windowApi) / berthWindow).toFixed(0)}× than the engine API`,
    );
    console.log(`\n${goals.summary()}`);
  } catch (err) {
    if (berth) console.error(`berth serve said:\n${berth.output().slice(-4000)}`);
    throw err;
  } finally {
    await berth?.stop();
    dockerCli(env, ['rm', '-f', dlog.id]);
    rmSync(base, { recursive: true, force: true });
  }
}
