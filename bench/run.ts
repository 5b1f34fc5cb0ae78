// `npm run bench`: prints figures and their ratio to a baseline measured in the same run.
// Options: --lines N (default 1,000,000), --rounds N (default 3).
import { benchEnv } from './bench-env';
import { ingestBench } from './ingest.bench';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

async function main(): Promise<void> {
  const env = benchEnv();
  console.log(`# Berth benchmarks (node ${process.version}, ${process.platform}/${process.arch})`);
  await ingestBench(env, { lines: option('lines', 1_000_000), rounds: option('rounds', 3) });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
