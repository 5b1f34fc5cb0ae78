// Stores built by `buildLogStore` once and kept under /tmp/berth-bench-cache/, keyed by their
// parameters and by what decides their contents (the builder, the schema, the block and segment
// sizes), so a second run reuses them. Benches work on copies, never on the cached file.
import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { blockMaxLines, blockMaxSpanMs } from '../../src/main/core/logs/write/log-batch-writer';
import { segmentLines } from '../../src/main/core/store/search-segments';
import { buildLogStore, type BuiltLogStore } from './build-log-store';

export const cacheDir = '/tmp/berth-bench-cache';
const root = resolve(__dirname, '../..');

export interface StoreParams {
  lines: number;
  jobs: number;
  bigJobLines: number;
  seed: number;
}

export interface CachedStore {
  /** The cached file: copy it, never open it for writing. */
  file: string;
  built: BuiltLogStore;
  /** Taken from the cache (true) or built by this run. */
  reused: boolean;
  buildMs: number;
  /** Pages in use and the whole file, as the writer counts them (page_count − freelist_count). */
  usedBytes: number;
  fileBytes: number;
  /** Bytes of message text stored (UTF-8). */
  messageBytes: number;
}

type CacheMeta = Omit<CachedStore, 'file' | 'reused'>;

function cacheKey(p: StoreParams): string {
  const h = createHash('sha256');
  for (const f of ['bench/support/build-log-store.ts', 'src/main/core/store/migrations.ts']) h.update(readFileSync(join(root, f)));
  h.update(JSON.stringify({ blockMaxLines, blockMaxSpanMs, segment: segmentLines(2 * 1024 ** 3) }));
  return `store-${p.lines}l-${p.jobs}j-${p.bigJobLines}big-s${p.seed}-${h.digest('hex').slice(0, 12)}`;
}

/** The store for `p`: from the cache, else built (and cached) now. */
export function cachedLogStore(p: StoreParams, log: (line: string) => void): CachedStore {
  mkdirSync(cacheDir, { recursive: true });
  const key = cacheKey(p);
  const file = join(cacheDir, `${key}.db`);
  const metaFile = join(cacheDir, `${key}.json`);
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta;
    if (statSync(file).size === meta.fileBytes) return { file, reused: true, ...meta };
  }
  const tmp = join(cacheDir, `${key}.building-${process.pid}.db`);
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  log(`building the store (${p.lines.toLocaleString('en-US')} lines, ${p.jobs.toLocaleString('en-US')} jobs) into ${cacheDir} …`);
  const t0 = performance.now();
  let nextReport = 1_000_000;
  const built = buildLogStore({
    file: tmp,
    lines: p.lines,
    jobs: p.jobs,
    bigJobLines: p.bigJobLines,
    seed: p.seed,
    onProgress: (written, total) => {
      if (written < nextReport || written >= total) return;
      nextReport = written + 1_000_000;
      log(`  … ${written.toLocaleString('en-US')} of ~${total.toLocaleString('en-US')} lines, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    },
  });
  const buildMs = performance.now() - t0;
  const db = new Database(tmp);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const sourced = (db.prepare('SELECT coalesce(sum(bytes), 0) AS b FROM log_sources').get() as { b: number }).b;
  const orphans = (db.prepare('SELECT coalesce(sum(length(CAST(message AS BLOB))), 0) AS b FROM logs WHERE source_id IS NULL').get() as { b: number }).b;
  db.close();
  const meta: CacheMeta = {
    built: { ...built, file },
    buildMs,
    usedBytes: (pages - free) * pageSize,
    fileBytes: statSync(tmp).size,
    messageBytes: sourced + orphans,
  };
  renameSync(tmp, file);
  writeFileSync(metaFile, JSON.stringify(meta));
  return { file, reused: false, ...meta };
}

/**
 * Copies a cached store into `dataDir` as its `berth.db`, with the given retention settings
 * written as Berth's settings service writes them (so that nothing is deleted before the bench
 * says so: the built lines' times are fixed, and the default 2 GiB budget may be below the store).
 */
export function copyStoreInto(file: string, dataDir: string, logs: { maxAgeDays: number; maxBytes: number }): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = join(dataDir, 'berth.db');
  copyFileSync(file, target, constants.COPYFILE_FICLONE);
  const db = new Database(target);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('logs', JSON.stringify(logs));
  db.close();
  return target;
}
