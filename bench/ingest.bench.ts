// Ingest: how fast a job's output becomes stored and queryable lines, against what Docker itself
// does with the same kind of container, measured in the same run.
//
//   producer       the command alone, `docker run -d --log-driver none` until it exits (its own speed)
//   docker logs -f the CLI following a container from its start to its end, output to /dev/null
//   Berth          a real job (createBerth, as `berth serve` runs it): from `jobs.run` until every
//                  line is stored and counted by the API
//
// Also: seconds from the container's exit until its last line is found by `q`, the main thread's
// event-loop delay (p99) and the process's peak RSS during the job.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createBerth } from '../src/main/core/berth';
import type { BenchEnv } from './bench-env';

export interface IngestBenchOptions {
  lines: number;
  rounds: number;
}

export interface IngestFigures {
  producer: number;
  dockerLogs: number;
  berth: number;
  qLagSeconds: number;
  loopP99Ms: number;
  peakRssMb: number;
}

/** 80-byte numbered lines, like the brief's measurements. */
export const printCommand = (lines: number) => [
  'awk',
  `BEGIN { pad = sprintf("%70s", ""); gsub(/ /, "x", pad); for (i = 1; i <= ${lines}; i++) printf "%08d %s\\n", i, pad }`,
];

const rate = (lines: number, ms: number) => (lines / ms) * 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
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

/** A real job through Berth, measured from the request to the last line counted. */
async function berthRound(env: BenchEnv, lines: number, dir: string): Promise<Omit<IngestFigures, 'producer' | 'dockerLogs'>> {
  const berth = createBerth({ dataDir: dir, env: { DOCKER_HOST: env.dockerHost }, hostRefreshMs: 60_000 });
  try {
    const { service } = berth;
    const template = await service.call('templates.create', { name: 'bench', image: env.image, command: printCommand(lines) });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    delay.enable();
    const t0 = performance.now();
    const job = await service.call('jobs.run', { templateId: template.id });
    let stored = 0;
    while (stored < lines) {
      await new Promise((r) => setTimeout(r, 10));
      stored = await service.call('logs.count', { jobId: job.id, sourceType: 'container' }).then((c) => c.count);
      if (performance.now() - t0 > 600_000) throw new Error(`only ${stored} of ${lines} lines stored after 10 minutes`);
    }
    const storedMs = performance.now() - t0;
    delay.disable();
    clearInterval(sampler);
    // The last line by its unique number, through the full-text index.
    const last = String(lines).padStart(8, '0');
    let foundAt = 0;
    while (foundAt === 0) {
      const hit = await service.call('logs.query', { jobId: job.id, q: last, limit: 1 });
      if (hit.count > 0) foundAt = Date.now();
      else await new Promise((r) => setTimeout(r, 10));
    }
    let finished = await service.call('jobs.get', { id: job.id });
    while (finished.finishedAt === null) {
      await new Promise((r) => setTimeout(r, 20));
      finished = await service.call('jobs.get', { id: job.id });
    }
    if (finished.status !== 'completed') throw new Error(`the bench job ended ${finished.status}: ${finished.error}`);
    // finishedAt is Docker's own time of the container's exit.
    return {
      berth: rate(lines, storedMs),
      qLagSeconds: Math.max(0, (foundAt - finished.finishedAt!) / 1000),
      loopP99Ms: delay.percentile(99) / 1e6,
      peakRssMb: peak / 1024 / 1024,
    };
  } finally {
    await berth.close();
  }
}

export async function ingestBench(env: BenchEnv, opts: IngestBenchOptions): Promise<IngestFigures> {
  console.log(`\n## Ingest: a job printing ${fmt(opts.lines)} lines of 80 bytes, ${opts.rounds} rounds`);
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-ingest-'));
  const rounds: IngestFigures[] = [];
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      const producer = producerRate(env, opts.lines);
      const dockerLogs = await dockerLogsRate(env, opts.lines);
      const b = await berthRound(env, opts.lines, join(base, `round-${round}`));
      const figures = { producer, dockerLogs, ...b };
      rounds.push(figures);
      console.log(
        `round ${round}: producer ${fmt(producer)} lines/s | docker logs -f ${fmt(dockerLogs)} lines/s | Berth stored ${fmt(b.berth)} lines/s` +
          ` | q finds the last line ${b.qLagSeconds.toFixed(2)} s after exit | loop p99 ${b.loopP99Ms.toFixed(1)} ms | peak RSS ${b.peakRssMb.toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const m = (k: keyof IngestFigures) => median(rounds.map((r) => r[k]));
  const result: IngestFigures = {
    producer: m('producer'),
    dockerLogs: m('dockerLogs'),
    berth: m('berth'),
    qLagSeconds: m('qLagSeconds'),
    loopP99Ms: m('loopP99Ms'),
    peakRssMb: m('peakRssMb'),
  };
  console.log(`median: Berth ${fmt(result.berth)} lines/s = ${(result.berth / result.dockerLogs).toFixed(2)}× docker logs -f (goal ≥ 2.0, done ≥ 1.5)`);
  console.log(`        = ${(result.berth / result.producer).toFixed(2)}× the producer alone (goal ≥ 0.7)`);
  console.log(`        q finds the last line ${result.qLagSeconds.toFixed(2)} s after the container's exit (goal ≤ 2 s)`);
  console.log(`        main-thread event-loop delay p99 ${result.loopP99Ms.toFixed(1)} ms (goal ≤ 20) | peak RSS ${result.peakRssMb.toFixed(0)} MB (goal ≤ 160)`);
  return result;
}
