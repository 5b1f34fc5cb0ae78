// Live tail: how long a line takes from the moment a container writes it to the moment a
// WebSocket client of `berth serve` has it, with 20 jobs logging at once. Each line carries the
// time since boot read by the container's shell from /proc/uptime (a builtin `read`: no process
// per line, which would load the machine more than Berth does), compared with the host's
// monotonic clock, the same clock on a machine that was never suspended (checked at start). The
// figure covers everything: pipe, dockerd, attach, the writer, the store, the live hub and the
// socket; /proc/uptime counts hundredths of a second, so it reads up to 10 ms high. The built
// server runs in its own process, as a user runs it. Baseline in the same run, under the same
// load: `docker logs -f` of one more container running the same script, timed the same way.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { LogBatch } from '../src/shared/model';
import type { BenchEnv } from './bench-env';
import { percentile } from './support/figures';
import { apiCall, startServe } from './support/serve-process';

export interface LiveBenchOptions {
  jobs: number;
  linesPerJob: number;
  /** Pause between a job's lines. */
  intervalMs: number;
}

/** Seconds since boot, in milliseconds, at full resolution (CLOCK_MONOTONIC). */
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

/** A percentile (0..100, 100 the max) of the samples. */
const percentiles = (samples: number[]) => (p: number) => percentile(samples, p);

/** `docker logs -f` of a container running `script`: the latency of each line it prints. */
interface Sample {
  /** When the container wrote the line (ms since boot). */
  written: number;
  latency: number;
}

function dockerLogsFollow(env: BenchEnv, script: string): { latencies: Sample[]; done: Promise<void> } {
  const run = spawnSync('docker', ['-H', env.dockerHost, 'run', '-d', '--label', 'berth.bench=live', env.image, 'sh', '-c', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`docker run failed: ${run.stderr}`);
  const id = run.stdout.trim();
  const latencies: Sample[] = [];
  const cli = spawn('docker', ['-H', env.dockerHost, 'logs', '-f', id], { stdio: ['ignore', 'pipe', 'inherit'] });
  let rest = '';
  cli.stdout!.on('data', (chunk: Buffer) => {
    const arrived = monotonicMs();
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const m = /^\d+ (\d+\.\d+)$/.exec(line);
      if (m) latencies.push({ written: Number(m[1]) * 1000, latency: arrived - Number(m[1]) * 1000 });
    }
  });
  const done = new Promise<void>((resolvePromise) =>
    cli.once('exit', () => {
      spawnSync('docker', ['-H', env.dockerHost, 'rm', '-f', id]);
      resolvePromise();
    }),
  );
  return { latencies, done };
}

export async function liveBench(env: BenchEnv, opts: LiveBenchOptions): Promise<{ p50: number; p99: number }> {
  console.log(`\n## Live tail: ${opts.jobs} jobs logging at once, a line every ${opts.intervalMs} ms each, through berth serve and its WebSocket`);
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-live-'));
  const served = await startServe(dir, { DOCKER_HOST: env.dockerHost });
  const { port, token } = served;
  const api = (method: string, path: string, body?: unknown) => apiCall<{ id: number; status: string }>(served, method, path, body);
  try {
    const uptimeMs = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
    if (Math.abs(uptimeMs - monotonicMs()) > 50) throw new Error('the monotonic clock and /proc/uptime differ (a suspended machine?); cannot measure');
    // Each line: "<seq> <seconds since boot>" read by the container just before writing it.
    const script = `i=1; while [ $i -le ${opts.linesPerJob} ]; do read up rest < /proc/uptime; echo "$i $up"; i=$((i+1)); usleep ${opts.intervalMs * 1000}; done`;
    const template = await api('POST', '/api/v1/templates', { name: 'ticker', image: env.image, command: ['sh', '-c', script] });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    const latencies: Sample[] = [];
    ws.on('message', (data) => {
      const arrived = monotonicMs();
      const msg = JSON.parse(String(data)) as { type: string; payload: LogBatch };
      if (msg.type !== 'stream') return;
      for (const line of msg.payload.lines) {
        const m = /^\d+ (\d+\.\d+)$/.exec(line.message);
        if (m) latencies.push({ written: Number(m[1]) * 1000, latency: arrived - Number(m[1]) * 1000 });
      }
    });
    const reference = dockerLogsFollow(env, script);
    const jobs: number[] = [];
    for (let k = 0; k < opts.jobs; k++) {
      const job = await api('POST', '/api/v1/jobs', { templateId: template.id });
      jobs.push(job.id);
      ws.send(JSON.stringify({ type: 'subscribe', subId: k + 1, stream: 'logs', params: { jobId: job.id } }));
    }
    // Starting 20 containers keeps dockerd busy for seconds, delaying every log line on the
    // machine (docker logs -f too); the figures count lines written once all of them run.
    for (const id of jobs) {
      while ((await api('GET', `/api/v1/jobs/${id}`)).status === 'pending') await new Promise((r) => setTimeout(r, 50));
    }
    const steadyFrom = monotonicMs() + 500;
    for (const id of jobs) {
      for (;;) {
        const job = await api('GET', `/api/v1/jobs/${id}`);
        if (job.status !== 'pending' && job.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    ws.close();
    await reference.done;
    const steady = (samples: Sample[]) => samples.filter((x) => x.written >= steadyFrom).map((x) => x.latency);
    const at = percentiles(steady(latencies));
    const ref = percentiles(steady(reference.latencies));
    const expected = opts.jobs * opts.linesPerJob;
    const p99 = at(99);
    console.log(`lines received live: Berth ${latencies.length} of ${expected}; docker logs -f ${reference.latencies.length} of ${opts.linesPerJob}`);
    console.log(`from the container's write to the client, lines written once every job runs (${steady(latencies).length} and ${steady(reference.latencies).length}; both up to 10 ms high):`);
    console.log(`  docker logs -f   p50 ${ref(50).toFixed(1)} ms | p99 ${ref(99).toFixed(1)} ms | max ${ref(100).toFixed(1)} ms`);
    console.log(`  Berth WebSocket  p50 ${at(50).toFixed(1)} ms | p99 ${p99.toFixed(1)} ms | max ${at(100).toFixed(1)} ms (goal p99 ≤ 50 ms${p99 <= 50 ? '' : ' — MISSED'})`);
    console.log(`  Berth − docker logs -f: p50 ${(at(50) - ref(50)).toFixed(1)} ms | p99 ${(p99 - ref(99)).toFixed(1)} ms`);
    return { p50: at(50), p99 };
  } finally {
    await served.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
