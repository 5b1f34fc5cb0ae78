// Retention: what deleting a big excess costs the rest of Berth. A store about 1 GiB larger than
// its budget is served in-process (createBerth, as `berth serve` runs it, so that the histogram
// measures the main thread itself); the budget is lowered through the service
// (`settings.update`) and, until /health's logStore.usedBytes is under it, we measure:
//
//   the main thread's event-loop delay (p99 and max), against the same store at rest
//   how long the deletion took: lines/s (the writer's `pruned`) and MiB/s (pages in use freed)
//   `logs.query` for the big job's last 100 lines every 50 ms: its p99, against the same at rest
//
// then how long retention goes on to its low-water mark (90% of the budget) and until the file
// itself is back within the budget. The store is a copy of the cached one, never the cache.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { createBerth, type Berth } from '../src/main/core/berth';
import type { BenchEnv } from './bench-env';
import { atMost, fmt, GoalBook, median, mib, ms, percentile } from './support/figures';
import { cachedLogStore, copyStoreInto, type CachedStore } from './support/store-cache';

export interface RetentionBenchOptions {
  /** The store to start from (the store bench's, so its cache serves both). */
  lines: number;
  jobs: number;
  bigJobLines: number;
  /** How far over its budget the store is put. */
  excessBytes: number;
}

const gib = 1024 ** 3;
const mibBytes = 1024 * 1024;
/** Below this budget the bench would measure deleting nearly everything rather than an excess. */
const minBudget = (excess: number) => Math.max(8 * mibBytes, Math.round(excess / 4));

interface Sample {
  at: number;
  usedBytes: number;
  fileBytes: number;
  pruned: number;
}

/** Lines/s and MiB/s over a stretch. */
const rates = (lines: number, bytes: number, msSpent: number) =>
  `${fmt((lines / msSpent) * 1000)} lines/s, ${((bytes / mibBytes / msSpent) * 1000).toFixed(1)} MiB/s`;

/** The store to use: the cached one if it is big enough for the excess, else a bigger one (cached too). */
function storeFor(opts: RetentionBenchOptions): CachedStore {
  const log = (l: string) => console.log(l);
  const params = { lines: opts.lines, jobs: opts.jobs, bigJobLines: opts.bigJobLines, seed: 1 };
  const first = cachedLogStore(params, log);
  const needed = opts.excessBytes + minBudget(opts.excessBytes);
  if (first.usedBytes >= needed) return first;
  const lines = Math.ceil(((opts.lines * needed) / first.usedBytes) * 1.15);
  console.log(`the ${fmt(opts.lines)}-line store (${mib(first.usedBytes)}) is too small for a ${mib(opts.excessBytes)} excess: using one of ${fmt(lines)} lines`);
  return cachedLogStore({ ...params, lines, bigJobLines: Math.round(lines / 5) }, log);
}

export async function retentionBench(env: BenchEnv, opts: RetentionBenchOptions): Promise<void> {
  const goals = new GoalBook();
  console.log(`\n## Retention: deleting a ${mib(opts.excessBytes)} excess while Berth serves (in-process createBerth)`);
  const store = storeFor(opts);
  console.log(
    `store: ${fmt(store.built.lines)} lines, ${mib(store.usedBytes)} in use, ${store.reused ? `reused from the cache (${store.file})` : `built in ${(store.buildMs / 1000).toFixed(0)} s and cached as ${store.file}`}`,
  );
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-retention-'));
  const dataDir = join(base, 'data');
  // A copy: retention deletes from it. Until the bench lowers it, the budget is far above the store.
  const file = copyStoreInto(store.file, dataDir, { maxAgeDays: 36_500, maxBytes: Math.max(2 * gib, Math.ceil((store.fileBytes * 4) / gib) * gib) });
  let berth: Berth | null = null;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  try {
    berth = createBerth({ dataDir, env: { DOCKER_HOST: env.dockerHost }, hostRefreshMs: 60_000 });
    const b = berth;
    const { service } = b;
    const bigJobId = store.built.bigJob.jobId!;
    const sample = async (): Promise<Sample & { ms: number }> => {
      const t = performance.now();
      const s = (await b.health()).logStore;
      if (!s) throw new Error('/health has no logStore: the log writer did not answer');
      return { at: performance.now(), ms: performance.now() - t, usedBytes: s.usedBytes, fileBytes: s.fileBytes, pruned: s.pruned };
    };
    // Warm up: the reader workers start on first use.
    for (let i = 0; i < 20; i++) await service.call('logs.query', { jobId: bigJobId, limit: 100 });
    const start = await sample();

    let badAnswers = 0;
    /** logs.query of the big job's last 100 lines every 50 ms, and /health every 100 ms, until stopped. */
    const loops = () => {
      let running = true;
      const queries: { at: number; ms: number }[] = [];
      const samples: (Sample & { ms: number })[] = [];
      const queryLoop = (async () => {
        while (running) {
          const t0 = performance.now();
          const r = await service.call('logs.query', { jobId: bigJobId, limit: 100 });
          const t1 = performance.now();
          if (r.logs.length !== 100) badAnswers++;
          queries.push({ at: t1, ms: t1 - t0 });
          await new Promise((res) => setTimeout(res, Math.max(0, 50 - (performance.now() - t0))));
        }
      })();
      const healthLoop = (async () => {
        while (running) {
          const t0 = performance.now();
          samples.push(await sample());
          await new Promise((res) => setTimeout(res, Math.max(0, 100 - (performance.now() - t0))));
        }
      })();
      return {
        queries,
        samples,
        async stop() {
          running = false;
          await Promise.all([queryLoop, healthLoop]);
        },
      };
    };
    const waitFor = async (samples: Sample[], done: (s: Sample) => boolean, timeoutMs: number): Promise<Sample | null> => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const s = samples[samples.length - 1];
        if (s && done(s)) return s;
        if (performance.now() > deadline) return null;
        await new Promise((res) => setTimeout(res, 10));
      }
    };
    const loopFigures = (h: IntervalHistogram) => ({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });

    // At rest: the same loops for 3 s, nothing to delete.
    delay.reset();
    delay.enable();
    const rest = loops();
    await new Promise((res) => setTimeout(res, 3000));
    await rest.stop();
    const restLoop = loopFigures(delay);
    const restQueries = rest.queries.map((q) => q.ms);

    // Lower the budget: the store is now `excess` over it.
    const budget = start.usedBytes - opts.excessBytes;
    delay.reset();
    const run = loops();
    const t0 = performance.now();
    await service.call('settings.update', { logs: { maxBytes: budget } });
    const under = await waitFor(run.samples, (s) => s.at > t0 && s.usedBytes < budget, 30 * 60_000);
    if (!under) throw new Error('the store did not get under its budget within 30 minutes');
    const underLoop = loopFigures(delay);
    const underQueries = run.queries.filter((q) => q.at <= under.at).map((q) => q.ms);
    const underHealth = run.samples.filter((s) => s.at > t0 && s.at <= under.at).map((s) => s.ms);
    // On to the low-water mark (no line deleted for a second), then the file within the budget.
    const rested = await waitFor(
      run.samples,
      (s) => {
        const before = run.samples.find((x) => x.at >= s.at - 1000);
        return s.usedBytes <= budget * 0.9 + 1 && before !== undefined && before.pruned === s.pruned && s.at - before.at >= 900;
      },
      10 * 60_000,
    );
    const shrunk = await waitFor(run.samples, (s) => s.fileBytes <= budget, 5 * 60_000);
    await run.stop();
    delay.disable();
    const allLoop = loopFigures(delay);
    const last = run.samples[run.samples.length - 1]!;
    const allQueries = run.queries.map((q) => q.ms);
    const fileAfter = statSync(file).size;

    const tUnder = under.at - t0;
    console.log(`budget set through settings.update to ${mib(budget)} = ${mib(start.usedBytes)} in use − ${mib(opts.excessBytes)}`);
    console.log(
      `at rest (baseline, 3 s): event-loop delay p99 ${ms(restLoop.p99)} ms, max ${ms(restLoop.max)} ms | logs.query last 100 lines p99 ${ms(percentile(restQueries, 99))} ms (${restQueries.length} queries)`,
    );
    console.log(
      `under the budget after ${(tUnder / 1000).toFixed(1)} s: ${fmt(under.pruned - start.pruned)} lines deleted, ${mib(start.usedBytes - under.usedBytes)} of pages freed = ${rates(under.pruned - start.pruned, start.usedBytes - under.usedBytes, tUnder)}`,
    );
    console.log(
      `  main-thread event-loop delay meanwhile: p99 ${ms(underLoop.p99)} ms ${goals.note('event-loop p99 while deleting', atMost(underLoop.p99, 20))}, max ${ms(underLoop.max)} ms` +
        ` (${(underLoop.p99 / restLoop.p99).toFixed(2)}× at rest; the 5 ms sampling interval included, as in the ingest bench)`,
    );
    console.log(
      `  logs.query, the big job's last 100 lines every 50 ms: median ${ms(median(underQueries))} ms, p99 ${ms(percentile(underQueries, 99))} ms, max ${ms(Math.max(...underQueries))} ms` +
        ` (${underQueries.length} queries; p99 ${(percentile(underQueries, 99) / percentile(restQueries, 99)).toFixed(1)}× at rest)${badAnswers > 0 ? `; ${badAnswers} answers without 100 lines` : ''}`,
    );
    console.log(`  /health (asks the writer) answered in p99 ${ms(percentile(underHealth, 99))} ms, max ${ms(Math.max(...underHealth))} ms`);
    if (rested) {
      const tRest = rested.at - t0;
      console.log(
        `down to the low-water mark (90% of the budget, ${mib(rested.usedBytes)}) after ${(tRest / 1000).toFixed(1)} s: ${fmt(rested.pruned - start.pruned)} lines deleted in all = ${rates(rested.pruned - start.pruned, start.usedBytes - rested.usedBytes, tRest)}`,
      );
    } else {
      console.log(`retention did not come to rest at 90% of the budget within 10 minutes (last: ${mib(last.usedBytes)} in use, ${fmt(last.pruned)} deleted)`);
    }
    console.log(
      shrunk
        ? `the file back within the budget after ${((shrunk.at - t0) / 1000).toFixed(1)} s (${mib(shrunk.fileBytes)}; ${mib(fileAfter)} on disk at the end, was ${mib(start.fileBytes)})`
        : `the file not back within the budget after 5 more minutes: ${mib(last.fileBytes)} (was ${mib(start.fileBytes)})`,
    );
    console.log(
      `  over the whole time until then: event-loop delay p99 ${ms(allLoop.p99)} ms, max ${ms(allLoop.max)} ms | logs.query p99 ${ms(percentile(allQueries, 99))} ms, max ${ms(Math.max(...allQueries))} ms`,
    );
    console.log(`\n${goals.summary()}`);
  } finally {
    delay.disable();
    await berth?.close();
    rmSync(base, { recursive: true, force: true });
  }
}
