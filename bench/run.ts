// `npm run bench`: prints figures and their ratio to a baseline measured in the same run.
// Options: --lines N (default 2,000,000), --rounds N (default 3).
//   --only ingest,live,store,retention,jobs   which benches (default: all, in that order)
//   live: --live-jobs N (20), --live-lines N (750 per job), --live-interval-ms N (20)
//   store and retention: --store-lines N (10,000,000), --store-jobs N (2,000), --big-job-lines N
//     (a fifth of the store), --docker-lines N (as the big job), --query-runs N (200),
//     --warmup N (20), --docker-runs N (10), --excess-mb N (1024)
//   jobs: --job-rows N (100,000; or BERTH_BENCH_JOB_ROWS), --submit-jobs N (500; or BERTH_BENCH_JOBS),
//     --list-runs N (30)
// For a quick try: --only store,retention --store-lines 200000 --store-jobs 50 --excess-mb 16
import { benchEnv } from './bench-env';
import { ingestBench } from './ingest.bench';
import { jobsBench } from './jobs.bench';
import { liveBench } from './live.bench';
import { retentionBench } from './retention.bench';
import { storeBench } from './store.bench';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

const benches = ['ingest', 'live', 'store', 'retention', 'jobs'] as const;

function only(): Set<string> {
  const i = process.argv.indexOf('--only');
  if (i < 0) return new Set(benches);
  const names = (process.argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(benches as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes some of ${benches.join(', ')} (comma-separated)`);
  return new Set(names);
}

async function main(): Promise<void> {
  const selected = only();
  const env = benchEnv();
  console.log(`# Berth benchmarks (node ${process.version}, ${process.platform}/${process.arch})`);
  if (selected.has('ingest')) await ingestBench(env, { lines: option('lines', 2_000_000), rounds: option('rounds', 3) });
  if (selected.has('live')) {
    await liveBench(env, { jobs: option('live-jobs', 20), linesPerJob: option('live-lines', 750), intervalMs: option('live-interval-ms', 20) });
  }
  const storeLines = option('store-lines', 10_000_000);
  const store = {
    lines: storeLines,
    jobs: option('store-jobs', 2_000),
    bigJobLines: option('big-job-lines', Math.round(storeLines / 5)),
  };
  if (selected.has('store')) {
    await storeBench(env, {
      ...store,
      dockerLines: option('docker-lines', store.bigJobLines),
      runs: option('query-runs', 200),
      warmup: option('warmup', 20),
      dockerRuns: option('docker-runs', 10),
    });
  }
  if (selected.has('retention')) await retentionBench(env, { ...store, excessBytes: option('excess-mb', 1024) * 1024 * 1024 });
  if (selected.has('jobs')) {
    await jobsBench(env, {
      rows: option('job-rows', Number(process.env.BERTH_BENCH_JOB_ROWS ?? 100_000)),
      submit: option('submit-jobs', Number(process.env.BERTH_BENCH_JOBS ?? 500)),
      runs: option('list-runs', 30),
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
