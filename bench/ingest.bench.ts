// Ingest: how fast a job's output becomes stored and queryable lines, against what Docker itself
// does with the same kind of container, measured in the same run.
//
//   producer       the command alone, `docker run -d --log-driver none` until it exits (its own speed)
//   docker logs -f the CLI following a container from its start to its end, output to /dev/null
//   Berth          a real job through the built `berth serve` in its own process: from
//                  `POST /api/v1/jobs` until every line is stored and counted by the API
//
// Also: seconds from the container's exit until its last line is found by `q`; how long
// `GET /live` waited during ingest (p99: the main thread's delay, seen from outside); the server
// process's peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchEnv } from './bench-env';
import { median, percentile } from './support/figures';
import { apiCall, startProbe, startServe } from './support/serve-process';

export interface IngestBenchOptions {
  lines: number;
  rounds: number;
}

export interface IngestFigures {
  producer: number;
  attachedCli: number;
  dockerLogs: number;
  berth: number;
  qLagSeconds: number;
  /** p99 of `GET /live` during ingest: the longest the server's main thread keeps a request waiting. */
  liveP99Ms: number;
  /** The server process's peak RSS (VmHWM), worker threads included. */
  peakRssMb: number;
}

/** 80-byte numbered lines, like the brief's measurements. */
export const printCommand = (lines: number) => [
  'awk',
  `BEGIN { pad = sprintf("%70s", ""); gsub(/ /, "x", pad); for (i = 1; i <= ${lines}; i++) printf "%08d %s\\n", i, pad }`,
];

const rate = (lines: number, ms: number) => (lines / ms) * 1000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function docker(env: BenchEnv, args: string[]): string {
  const r = spawnSync('docker', ['-H', env.dockerHost, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The container's own speed: detached, its output thrown away by Docker, nobody reading. */
function producerRate(env: BenchEnv, lines: number): number {
  const t0 = performance.now();
  const id = docker(env, ['run', '-d', '--log-driver', 'none', env.image, ...printCommand(lines)]);
  docker(env, ['wait', id]);
  const ms = performance.now() - t0;
  docker(env, ['rm', '-f', id]);
  return rate(lines, ms);
}

/** `docker logs -f` from the container's start until its end, into /dev/null. */
async function dockerLogsRate(env: BenchEnv, lines: number): Promise<number> {
  const id = docker(env, ['create', '--log-driver', 'json-file', env.image, ...printCommand(lines)]);
  try {
    const t0 = performance.now();
    docker(env, ['start', id]);
    await new Promise<void>((resolve, reject) => {
      const child = spawn('docker', ['-H', env.dockerHost, 'logs', '-f', id], { stdio: ['ignore', 'ignore', 'ignore'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker logs -f exited with ${code}`))));
    });
    return rate(lines, performance.now() - t0);
  } finally {
    docker(env, ['rm', '-f', id]);
  }
}

/**
 * `docker run` in the foreground, output to /dev/null: the CLI attached before the start, dockerd
 * also writing the json-file. The most any reader can get while Docker keeps the log file.
 */
function attachedCliRate(env: BenchEnv, lines: number): number {
  const t0 = performance.now();
  const r = spawnSync('docker', ['-H', env.dockerHost, 'run', '--rm', '--log-driver', 'json-file', env.image, ...printCommand(lines)], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`docker run exited with ${r.status}`);
  return rate(lines, performance.now() - t0);
}

/** Peak resident set of a process so far (Linux: VmHWM). */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

const api = apiCall;

/**
 * A real job through the built `berth serve` in its own process, as a user runs it, measured from
 * the request to the last line counted by the API. Meanwhile a probe thread asks `GET /live`
 * every 20 ms: how long it waits is how long the server's main thread was busy.
 */
async function berthRound(env: BenchEnv, lines: number, dir: string): Promise<Omit<IngestFigures, 'producer' | 'attachedCli' | 'dockerLogs'>> {
  const served = await startServe(dir, { DOCKER_HOST: env.dockerHost });
  try {
    const template = await api<{ id: number }>(served, 'POST', '/api/v1/templates', { name: 'bench', image: env.image, command: printCommand(lines) });
    const probe = startProbe(served.port, '/live', 20);
    const t0 = performance.now();
    const job = await api<{ id: number }>(served, 'POST', '/api/v1/jobs', { templateId: template.id });
    let stored = 0;
    while (stored < lines) {
      await new Promise((r) => setTimeout(r, 10));
      stored = (await api<{ count: number }>(served, 'GET', `/api/v1/logs/count?jobId=${job.id}&sourceType=container`)).count;
      if (performance.now() - t0 > 600_000) throw new Error(`only ${stored} of ${lines} lines stored after 10 minutes`);
    }
    const storedMs = performance.now() - t0;
    const live = await probe.stop();
    // The last line by its unique number, through the full-text index.
    const last = String(lines).padStart(8, '0');
    let foundAt = 0;
    while (foundAt === 0) {
      const hit = await api<{ count: number }>(served, 'GET', `/api/v1/logs?jobId=${job.id}&q=${last}&limit=1`);
      if (hit.count > 0) foundAt = Date.now();
      else await new Promise((r) => setTimeout(r, 10));
    }
    let finished = await api<{ status: string; error: string | null; finishedAt: number | null }>(served, 'GET', `/api/v1/jobs/${job.id}`);
    while (finished.finishedAt === null) {
      await new Promise((r) => setTimeout(r, 20));
      finished = await api(served, 'GET', `/api/v1/jobs/${job.id}`);
    }
    if (finished.status !== 'completed') throw new Error(`the bench job ended ${finished.status}: ${finished.error}`);
    if (live.includes(-1)) throw new Error('GET /live failed during ingest');
    // finishedAt is Docker's own time of the container's exit.
    return {
      berth: rate(lines, storedMs),
      qLagSeconds: Math.max(0, (foundAt - finished.finishedAt!) / 1000),
      liveP99Ms: percentile(live, 99),
      peakRssMb: peakRssMb(served.child.pid!),
    };
  } finally {
    await served.stop();
  }
}

export async function ingestBench(env: BenchEnv, opts: IngestBenchOptions): Promise<IngestFigures> {
  console.log(`\n## Ingest: a job printing ${fmt(opts.lines)} lines of 80 bytes, ${opts.rounds} rounds`);
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-ingest-'));
  const rounds: IngestFigures[] = [];
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      const producer = producerRate(env, opts.lines);
      const attachedCli = attachedCliRate(env, opts.lines);
      const dockerLogs = await dockerLogsRate(env, opts.lines);
      const b = await berthRound(env, opts.lines, join(base, `round-${round}`));
      const figures = { producer, attachedCli, dockerLogs, ...b };
      rounds.push(figures);
      console.log(
        `round ${round}: producer ${fmt(producer)} | docker run attached ${fmt(attachedCli)} | docker logs -f ${fmt(dockerLogs)} | Berth stored ${fmt(b.berth)} lines/s` +
          ` (${(b.berth / dockerLogs).toFixed(2)}× docker logs -f)` +
          ` | q finds the last line ${b.qLagSeconds.toFixed(2)} s after exit | GET /live p99 ${b.liveP99Ms.toFixed(1)} ms | peak RSS ${b.peakRssMb.toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const m = (k: keyof IngestFigures) => median(rounds.map((r) => r[k]));
  const result: IngestFigures = {
    producer: m('producer'),
    attachedCli: m('attachedCli'),
    dockerLogs: m('dockerLogs'),
    berth: m('berth'),
    qLagSeconds: m('qLagSeconds'),
    liveP99Ms: m('liveP99Ms'),
    peakRssMb: m('peakRssMb'),
  };
  // Ratios per round (Docker and Berth measured back to back), then their median.
  const ratio = median(rounds.map((r) => r.berth / r.dockerLogs));
  console.log(`median: Berth ${fmt(result.berth)} lines/s; ${ratio.toFixed(2)}× docker logs -f (goal ≥ 2.0, done ≥ 1.5)`);
  console.log(`        ${median(rounds.map((r) => r.berth / r.producer)).toFixed(2)}× the producer alone (goal ≥ 0.7)` +
    ` | ${median(rounds.map((r) => r.berth / r.attachedCli)).toFixed(2)}× docker run attached (json-file kept: the ceiling for any reader)`);
  console.log(`        q finds the last line ${result.qLagSeconds.toFixed(2)} s after the container's exit (goal ≤ 2 s)`);
  console.log(`        GET /live during ingest p99 ${result.liveP99Ms.toFixed(1)} ms (the main thread's delay, goal ≤ 20) | peak RSS ${result.peakRssMb.toFixed(0)} MB (goal ≤ 160)`);
  return result;
}
