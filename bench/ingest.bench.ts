// Ingest throughput: how fast Berth turns a container's output into stored, queryable lines,
// against a bare dockerode reader of the same output in the same run (the ceiling: Berth reads
// through the same logs API).
//
// Both read one finished container's log (so neither waits on the container), alternating, and
// the medians are compared. A third figure runs the whole job path (create → follow → store →
// remove) on a container printing the same lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { createBerth } from '../src/main/core/berth';
import { LiveHub } from '../src/main/core/logs/live-hub';
import { followContainerLogs } from '../src/main/core/logs/log-follower';
import { LogIngest } from '../src/main/core/logs/log-ingest';
import { openDatabase } from '../src/main/core/store/database';
import { LogRepository } from '../src/main/core/store/log-repository';
import { LogWriter } from '../src/main/core/store/log-writer';
import type { BenchEnv } from './bench-env';

export interface IngestBenchOptions {
  lines: number;
  rounds: number;
}

/** 80-byte numbered lines, like the brief's measurements. */
const printCommand = (lines: number) => [
  'awk',
  `BEGIN { pad = sprintf("%70s", ""); gsub(/ /, "x", pad); for (i = 1; i <= ${lines}; i++) printf "%08d %s\\n", i, pad }`,
];

async function finishedContainer(docker: Docker, image: string, lines: number): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: printCommand(lines),
    HostConfig: { LogConfig: { Type: 'json-file', Config: {} } },
    Labels: { 'berth.bench': '1' },
  });
  await container.start();
  await container.wait();
  return container;
}

/** The baseline: what a plain dockerode user writes — the logs API through dockerode's own demuxer, counting lines. */
async function bareRead(docker: Docker, container: Docker.Container): Promise<{ lines: number; ms: number }> {
  const t0 = performance.now();
  const stream = (await container.logs({ follow: true, stdout: true, stderr: true, timestamps: true })) as NodeJS.ReadableStream;
  let lines = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      done();
    },
  });
  docker.modem.demuxStream(stream, counter, counter);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return { lines, ms: performance.now() - t0 };
}

/** Berth's path: demux → lines → batched inserts into a real SQLite file, until all are queryable. */
async function berthRead(container: Docker.Container, dir: string): Promise<{ lines: number; ms: number; loopP99Ms: number }> {
  const db = openDatabase({ file: join(dir, `bench-${Date.now()}.db`) });
  const logs = new LogRepository(db);
  const ingest = new LogIngest(new LogWriter(db), (jobId) => logs.lastIdOf(jobId), new LiveHub());
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t0 = performance.now();
  const follower = followContainerLogs(container, (line) => ingest.pushContainerLine(1, line));
  await follower.done;
  ingest.flush();
  const stored = logs.count({ jobId: 1 });
  const ms = performance.now() - t0;
  delay.disable();
  ingest.close();
  db.close();
  return { lines: stored, ms, loopP99Ms: delay.percentile(99) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (lines: number, ms: number) => (lines / ms) * 1000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function ingestBench(env: BenchEnv, opts: IngestBenchOptions): Promise<void> {
  const { docker, image } = env;
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  console.log(`\n## Ingest: ${fmt(opts.lines)} lines of 80 bytes, ${opts.rounds} rounds`);
  const container = await finishedContainer(docker, image, opts.lines);
  try {
    const bare: number[] = [];
    const berth: number[] = [];
    const loop: number[] = [];
    for (let round = 1; round <= opts.rounds; round++) {
      const b = await bareRead(docker, container);
      if (b.lines !== opts.lines) throw new Error(`the bare reader counted ${b.lines} lines, expected ${opts.lines}`);
      const s = await berthRead(container, dir);
      if (s.lines !== opts.lines) throw new Error(`Berth stored ${s.lines} lines, expected ${opts.lines}`);
      bare.push(rate(opts.lines, b.ms));
      berth.push(rate(s.lines, s.ms));
      loop.push(s.loopP99Ms);
      console.log(`round ${round}: bare reader ${fmt(rate(opts.lines, b.ms))} lines/s, Berth stored ${fmt(rate(s.lines, s.ms))} lines/s, event-loop p99 ${s.loopP99Ms.toFixed(1)} ms`);
    }
    const ratio = median(berth) / median(bare);
    console.log(`median: bare reader ${fmt(median(bare))} lines/s | Berth stored + queryable ${fmt(median(berth))} lines/s | ratio ${ratio.toFixed(2)} (target ≥ 0.90)`);
    console.log(`main-thread event-loop delay p99 during ingest: ${median(loop).toFixed(1)} ms (target ≤ 20 ms)`);
  } finally {
    await container.remove({ force: true });
  }

  // The whole job path, as a user gets it.
  const berthApp = createBerth({ dataDir: join(dir, 'app'), env: { DOCKER_HOST: env.dockerHost }, hostRefreshMs: 60_000 });
  try {
    const template = await berthApp.service.call('templates.create', { name: 'bench', image, command: printCommand(opts.lines) });
    const t0 = performance.now();
    const job = await berthApp.service.call('jobs.run', { templateId: template.id });
    let current = job;
    while (current.status === 'pending' || current.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      current = await berthApp.service.call('jobs.get', { id: job.id });
    }
    const ms = performance.now() - t0;
    const { count } = await berthApp.service.call('logs.count', { jobId: job.id, sourceType: 'container' });
    console.log(`job end to end: ${fmt(count)} lines stored in ${(ms / 1000).toFixed(2)} s (${fmt(rate(count, ms))} lines/s, container writing included), status ${current.status}`);
  } finally {
    await berthApp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
