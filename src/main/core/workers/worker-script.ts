/**
 * Starts one of the core's worker threads from wherever the code runs: the built bundle
 * (`out/main/<name>.js`, an entry of electron.vite.config.ts) or the TypeScript sources (tests,
 * benchmarks), which are compiled on the fly by tsx.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The worker entries: each is `src/main/core/workers/<name>.ts`, built to `out/main/<name>.js`. */
export type WorkerName = 'log-writer-worker' | 'log-reader-worker';

export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  // Bundled code may sit in out/main or in out/main/chunks.
  for (const dir of [__dirname, resolve(__dirname, '..')]) {
    const built = join(dir, `${name}.js`);
    if (existsSync(built)) return new Worker(built, options);
  }
  const source = join(sourceDir(), `${name}.ts`);
  if (!existsSync(source)) throw new Error(`cannot find the ${name} script (looked next to ${__dirname} and in ${sourceDir()})`);
  // Running from source: register tsx in the worker before loading the TypeScript entry.
  const tsx = require.resolve('tsx/cjs/api');
  const bootstrap = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function sourceDir(): string {
  // This file is src/main/core/workers/worker-script.ts when running from source.
  return __dirname;
}
