/**
 * Builds a realistic log store fast, for benchmarks and for tests of the read side: direct
 * multi-row INSERTs in big transactions, no workers, following the log writer's rules exactly
 * (migration 2): every line in `logs` and in the search index (its message with ANSI codes
 * stripped, in the segment of its id range: store/search-segments.ts), the per-source counters,
 * `log_counts`, `log_blocks` (closed at 8192 lines or 60 s of line time) and
 * `meta.fts_indexed_id`. `StoreFiller` holds those rules; `buildLogStore` drives it.
 *
 * The shape: services (templates) each running jobs; jobs start at random times over the span
 * and run for a while, so at any moment many write at once and their lines interleave in id
 * order; one job is much bigger than the rest and runs for most of the span. Each job has a few
 * system lines (pull, start, exit); a few attached containers have lines too; and Berth's own
 * lines about nothing in particular (manager, no source) come once a minute. Levels are mixed
 * (debug 10 %, info 75 %, warn 10 %, error 5 %), messages look like access logs, JSON logs,
 * coloured worker logs and errors. A few rare words are planted for searches: `xylophone`
 * anywhere (about 20 lines), `zanzibar` in the big job only (about 50 lines).
 *
 * Deterministic for a given seed.
 */
import { stripAnsi } from '../../src/main/core/logs/ansi';
import { sourceCode, Stream } from '../../src/main/core/logs/log-codes';
import { blockMaxLines, blockMaxSpanMs } from '../../src/main/core/logs/write/log-batch-writer';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { createSegmentSql, segmentLines, segmentTable } from '../../src/main/core/store/search-segments';
import { seededPrng, type Prng } from '../../test/support/prng';

const columns = 7;
const rowsPerStatement = 256;
const linesPerTransaction = 100_000;

export interface FilledSource {
  sourceId: number;
  /** null for an attached container. */
  jobId: number | null;
  containerId: string | null;
  containerName: string | null;
  serviceId: number | null;
  serviceName: string | null;
  lines: number;
  firstTs: number;
  lastTs: number;
}

interface Block {
  firstId: number;
  lastId: number;
  minTs: number;
  maxTs: number;
  lines: number;
}

interface SourceState {
  info: FilledSource;
  bytes: number;
  firstId: number | null;
  lastId: number | null;
  block: Block | null;
}

/**
 * Writes lines the way Berth's log writer does, without its batching machinery: counters,
 * counts and blocks are kept in memory and written by `flush()`.
 */
export class StoreFiller {
  private readonly sources = new Map<number, SourceState>();
  /** Lines without a source: block state only. */
  private readonly none: SourceState = {
    info: { sourceId: 0, jobId: null, containerId: null, containerName: null, serviceId: null, serviceName: null, lines: 0, firstTs: 0, lastTs: 0 },
    bytes: 0,
    firstId: null,
    lastId: null,
    block: null,
  };
  private readonly counts = new Map<string, number>();
  private readonly closedBlocks: { sourceId: number; b: Block }[] = [];
  private readonly rows: unknown[] = [];
  /** Search entries waiting to be written, per segment. */
  private readonly fts = new Map<number, unknown[]>();
  private readonly segments: { id: number; firstId: number; lastId: number; lines: number }[];
  private readonly insertLogs;
  private nextId: number;
  private ftsIndexedId: number;
  /** Whether new lines go into the full-text index (the writer indexes behind the insert). */
  indexing = true;

  /** `linesPerSegment`: as the writer sizes segments for a store budget (2 GiB by default). */
  constructor(
    readonly db: Db,
    private readonly linesPerSegment = segmentLines(2 * 1024 ** 3),
  ) {
    this.insertLogs = db.prepare(`INSERT INTO logs (id, ts, source_id, kind, stream, level, message) VALUES ${placeholders(rowsPerStatement, columns)}`);
    this.segments = (
      db.prepare('SELECT id, first_id, last_id, lines FROM log_search_segments ORDER BY id').all() as { id: number; first_id: number; last_id: number; lines: number }[]
    ).map((r) => ({ id: r.id, firstId: r.first_id, lastId: r.last_id, lines: r.lines }));
    const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'logs'").get() as { seq: number } | undefined;
    this.nextId = (seq?.seq ?? 0) + 1;
    this.ftsIndexedId = Number((db.prepare("SELECT value FROM meta WHERE key = 'fts_indexed_id'").get() as { value: string }).value);
    this.loadExisting();
  }

  /** Picks up a store written before: its sources, counts and each source's newest block (still open). */
  private loadExisting(): void {
    const rows = this.db
      .prepare(
        `SELECT id, job_id, container_id, container_name, service_id, service_name, lines, bytes, first_id, last_id, last_ts FROM log_sources`,
      )
      .all() as {
      id: number;
      job_id: number | null;
      container_id: string | null;
      container_name: string | null;
      service_id: number | null;
      service_name: string | null;
      lines: number;
      bytes: number;
      first_id: number | null;
      last_id: number | null;
      last_ts: number | null;
    }[];
    for (const r of rows) {
      const info: FilledSource = {
        sourceId: r.id,
        jobId: r.job_id,
        containerId: r.container_id,
        containerName: r.container_name,
        serviceId: r.service_id,
        serviceName: r.service_name,
        lines: r.lines,
        firstTs: Number.MAX_SAFE_INTEGER,
        lastTs: r.last_ts ?? 0,
      };
      this.sources.set(r.id, { info, bytes: r.bytes, firstId: r.first_id, lastId: r.last_id, block: null });
    }
    for (const c of this.db.prepare('SELECT source_id, kind, level, lines FROM log_counts').all() as { source_id: number; kind: number; level: number; lines: number }[]) {
      this.counts.set(`${c.source_id}:${c.kind}:${c.level}`, c.lines);
    }
    const blocks = this.db
      .prepare('SELECT source_id, first_id, last_id, min_ts, max_ts, lines FROM log_blocks b WHERE first_id = (SELECT max(first_id) FROM log_blocks WHERE source_id = b.source_id)')
      .all() as { source_id: number; first_id: number; last_id: number; min_ts: number; max_ts: number; lines: number }[];
    for (const b of blocks) {
      const state = b.source_id === 0 ? this.none : this.sources.get(b.source_id);
      if (state) state.block = { firstId: b.first_id, lastId: b.last_id, minTs: b.min_ts, maxTs: b.max_ts, lines: b.lines };
    }
  }

  get lines(): number {
    return this.nextId - 1;
  }

  addService(name: string, at = 0): number {
    return Number(
      this.db.prepare("INSERT INTO templates (name, image, command, env, created_at, updated_at) VALUES (?, 'busybox', '[]', '{}', ?, ?)").run(name, at, at).lastInsertRowid,
    );
  }

  /** A job of the service (template) and its source. */
  addJob(serviceId: number, containerId: string | null, at = 0): FilledSource {
    const jobId = Number(
      this.db
        .prepare("INSERT INTO jobs (template_id, host_id, status, container_id, created_at) VALUES (?, 1, 'completed', ?, ?)")
        .run(serviceId, containerId, at).lastInsertRowid,
    );
    const name = (this.db.prepare('SELECT name FROM templates WHERE id = ?').get(serviceId) as { name: string }).name;
    return this.addSource({ jobId, containerId, containerName: containerId ? `berth-job-${jobId}` : null, serviceId, serviceName: name }, at);
  }

  /** An attached container: its service name is the one given, else the container's name. */
  addAttachment(a: { containerId: string; containerName: string; serviceId?: number; serviceName?: string }, at = 0): FilledSource {
    return this.addSource(
      { jobId: null, containerId: a.containerId, containerName: a.containerName, serviceId: a.serviceId ?? null, serviceName: a.serviceName ?? a.containerName },
      at,
      'api',
    );
  }

  private addSource(s: Omit<FilledSource, 'sourceId' | 'lines' | 'firstTs' | 'lastTs'>, at: number, attachReason: string | null = null): FilledSource {
    const sourceId = Number(
      this.db
        .prepare(
          `INSERT INTO log_sources (job_id, host_id, container_id, container_name, service_id, service_name, attach_reason, attached_at, state, created_at)
           VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.jobId, s.containerId, s.containerName, s.serviceId, s.serviceName, attachReason, attachReason ? at : null, attachReason ? 'following' : null, at)
        .lastInsertRowid,
    );
    const info: FilledSource = { ...s, sourceId, lines: 0, firstTs: Number.MAX_SAFE_INTEGER, lastTs: 0 };
    this.sources.set(sourceId, { info, bytes: 0, firstId: null, lastId: null, block: null });
    return info;
  }

  /** Stores one line (source 0 or null: none) and returns its id. */
  line(sourceId: number | null, ts: number, kind: number, stream: number, level: number, message: string): number {
    const id = this.nextId++;
    const sid = sourceId || 0;
    this.rows.push(id, ts, sid === 0 ? null : sid, kind, stream, level, message);
    if (this.indexing) {
      let segment = this.segments[this.segments.length - 1];
      if (!segment || segment.lines >= this.linesPerSegment) {
        segment = { id: (segment?.id ?? 0) + 1, firstId: id, lastId: id, lines: 0 };
        this.db.exec(createSegmentSql(segment.id));
        this.db.prepare('INSERT INTO log_search_segments (id, first_id, last_id, lines) VALUES (?, ?, ?, 0)').run(segment.id, id, id);
        this.segments.push(segment);
      }
      segment.lastId = id;
      segment.lines++;
      let entries = this.fts.get(segment.id);
      if (!entries) this.fts.set(segment.id, (entries = []));
      entries.push(id, stripAnsi(message));
      if (this.ftsIndexedId === id - 1) this.ftsIndexedId = id;
    }
    const key = `${sid}:${kind}:${level}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const state = sid === 0 ? this.none : this.sources.get(sid);
    if (!state) throw new Error(`no source ${sid}`);
    if (sid !== 0) {
      const info = state.info;
      info.lines++;
      info.firstTs = Math.min(info.firstTs, ts);
      info.lastTs = Math.max(info.lastTs, ts);
      state.bytes += Buffer.byteLength(message);
      state.firstId ??= id;
      state.lastId = id;
    }
    let b = state.block;
    // As the writer does: a line joins the open block while it stays within both limits.
    if (b && (b.lines + 1 > blockMaxLines || Math.max(ts, b.maxTs) - Math.min(ts, b.minTs) > blockMaxSpanMs)) {
      this.closedBlocks.push({ sourceId: sid, b });
      b = state.block = null;
    }
    if (!b) {
      state.block = { firstId: id, lastId: id, minTs: ts, maxTs: ts, lines: 1 };
    } else {
      b.lastId = id;
      b.minTs = Math.min(b.minTs, ts);
      b.maxTs = Math.max(b.maxTs, ts);
      b.lines++;
    }
    if (this.rows.length >= linesPerTransaction * columns) this.flushLines();
    return id;
  }

  /** Writes the buffered lines. */
  flushLines(): void {
    if (this.rows.length === 0) return;
    this.db.transaction(() => {
      this.insertMany(this.rows, columns, this.insertLogs, 'INSERT INTO logs (id, ts, source_id, kind, stream, level, message) VALUES');
      for (const [segmentId, entries] of this.fts) {
        const table = segmentTable(segmentId);
        const full = this.db.prepare(`INSERT INTO ${table} (rowid, message) VALUES ${placeholders(rowsPerStatement, 2)}`);
        this.insertMany(entries, 2, full, `INSERT INTO ${table} (rowid, message) VALUES`);
      }
      const grow = this.db.prepare('UPDATE log_search_segments SET last_id = ?, lines = ? WHERE id = ?');
      for (const segment of this.segments) if (this.fts.has(segment.id)) grow.run(segment.lastId, segment.lines, segment.id);
    })();
    this.rows.length = 0;
    this.fts.clear();
  }

  /** Writes the lines and everything kept about them: counters, counts, blocks, the search mark. */
  flush(): void {
    this.flushLines();
    const db = this.db;
    db.transaction(() => {
      const update = db.prepare('UPDATE log_sources SET lines = ?, bytes = ?, first_id = ?, last_id = ?, last_ts = ? WHERE id = ?');
      for (const s of this.sources.values()) {
        update.run(s.info.lines, s.bytes, s.firstId, s.lastId, s.info.lines ? s.info.lastTs : null, s.info.sourceId);
      }
      const count = db.prepare('INSERT OR REPLACE INTO log_counts (source_id, kind, level, lines) VALUES (?, ?, ?, ?)');
      for (const [key, n] of this.counts) {
        const [source, kind, level] = key.split(':').map(Number);
        count.run(source, kind, level, n);
      }
      const block = db.prepare('INSERT OR REPLACE INTO log_blocks (source_id, first_id, last_id, min_ts, max_ts, lines) VALUES (?, ?, ?, ?, ?, ?)');
      const write = (sourceId: number, b: Block) => block.run(sourceId, b.firstId, b.lastId, b.minTs, b.maxTs, b.lines);
      for (const { sourceId, b } of this.closedBlocks) write(sourceId, b);
      this.closedBlocks.length = 0;
      for (const s of this.sources.values()) if (s.block) write(s.info.sourceId, s.block);
      if (this.none.block) write(0, this.none.block);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'fts_indexed_id'").run(String(this.ftsIndexedId));
    })();
  }

  private insertMany(values: unknown[], width: number, full: ReturnType<Db['prepare']>, sql: string): void {
    const step = rowsPerStatement * width;
    let off = 0;
    for (; off + step <= values.length; off += step) full.run(values.slice(off, off + step));
    if (off < values.length) this.db.prepare(`${sql} ${placeholders((values.length - off) / width, width)}`).run(values.slice(off));
  }
}

export interface BuildLogStoreOptions {
  /** The SQLite file to create (it must not exist yet). */
  file: string;
  /** Lines in all (approximately: system and manager lines come on top of the containers' output). */
  lines: number;
  /** Jobs, each one log source. */
  jobs: number;
  /** Lines of the one big job; a fifth of all lines by default. */
  bigJobLines?: number;
  /** Services (templates) the jobs are spread over. */
  services?: number;
  /** Attached containers (sources without a job), each writing like a small job. */
  attachments?: number;
  /** Span of the lines' times, from `startTs`. */
  hours?: number;
  startTs?: number;
  seed?: number;
  nativeBinding?: string;
  /** Lines per search segment; as the writer sizes them for a 2 GiB store by default. */
  segmentLines?: number;
  /** Called now and then with the lines written so far. */
  onProgress?: (written: number, total: number) => void;
}

export interface BuiltLogStore {
  file: string;
  lines: number;
  startTs: number;
  endTs: number;
  sources: FilledSource[];
  /** The big job's source. */
  bigJob: FilledSource;
  services: { id: number; name: string }[];
  /** Words that occur in few lines: anywhere, and only in the big job. */
  rareWord: string;
  bigJobRareWord: string;
}

interface Schedule {
  source: FilledSource;
  planned: number;
  start: number;
  end: number;
  rate: number;
  carry: number;
}

const kindContainer = sourceCode('container');
const kindSystem = sourceCode('system');
const kindManager = sourceCode('manager');
const streamNone = Stream.None;
const streamStdout = Stream.Stdout;
const streamStderr = Stream.Stderr;

export function buildLogStore(options: BuildLogStoreOptions): BuiltLogStore {
  const {
    file,
    lines: total,
    jobs: jobCount,
    services: serviceCount = Math.min(20, Math.max(1, Math.ceil(options.jobs / 10))),
    attachments: attachmentCount = 2,
    hours = 6,
    startTs = Date.UTC(2026, 10, 23, 6, 0, 0),
    seed = 1,
    nativeBinding,
    onProgress,
  } = options;
  if (jobCount < 1) throw new Error('a store needs at least one job');
  const rng = seededPrng(seed);
  const spanMs = Math.round(hours * 3_600_000);
  const endTs = startTs + spanMs;
  const bigJobLines = Math.min(options.bigJobLines ?? Math.round(total / 5), total);

  const db = openDatabase({ file, nativeBinding });
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const filler = new StoreFiller(db, options.segmentLines);

  const services: { id: number; name: string }[] = [];
  const sources: FilledSource[] = [];
  db.transaction(() => {
    for (let i = 0; i < serviceCount; i++) {
      const name = i < serviceNames.length ? serviceNames[i]! : `${serviceNames[i % serviceNames.length]}-${Math.floor(i / serviceNames.length)}`;
      services.push({ id: filler.addService(name, startTs), name });
    }
    for (let i = 0; i < jobCount; i++) {
      const service = services[i === 0 ? 0 : Math.floor(rng.next() * services.length)]!;
      sources.push(filler.addJob(service.id, hex(rng, 64), startTs));
    }
    for (let i = 0; i < attachmentCount; i++) {
      const containerName = `sidecar-${i + 1}`;
      // The first is attached under a service name of its own, the others under their container's name.
      sources.push(
        filler.addAttachment(
          { containerId: hex(rng, 64), containerName, ...(i === 0 ? { serviceId: 900, serviceName: 'edge proxy' } : {}) },
          startTs,
        ),
      );
    }
  })();

  // Spread the containers' output: the big job gets its share, the others a skewed share each.
  const schedules: Schedule[] = sources.map((source) => ({ source, planned: 0, start: 0, end: 0, rate: 0, carry: 0 }));
  const big = schedules[0]!;
  const small = schedules.slice(1);
  const weights = small.map(() => Math.exp(rng.next() * 4));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const rest = Math.max(0, total - bigJobLines - sources.length * 4 - Math.floor(spanMs / 60_000));
  let assigned = 0;
  small.forEach((s, i) => {
    s.planned = i === small.length - 1 ? rest - assigned : Math.floor((rest * weights[i]!) / weightSum);
    assigned += s.planned;
  });
  big.planned = bigJobLines;
  // The big job runs for 80 % of the span, attachments for half, other jobs 1 to 60 minutes.
  for (const s of schedules) {
    const duration = s === big ? spanMs * 0.8 : s.source.jobId === null ? spanMs * 0.5 : 60_000 + rng.next() * 59 * 60_000;
    const d = Math.min(duration, spanMs - 2000);
    s.start = s === big ? startTs + Math.floor(spanMs * 0.1) : startTs + 1000 + Math.floor(rng.next() * (spanMs - d - 2000));
    s.end = s.start + d;
    s.rate = s.planned / Math.max(1, Math.floor(d / 1000));
  }

  const expected = bigJobLines + rest + sources.length * 4 + Math.floor(spanMs / 60_000);
  const rare = { word: 'xylophone', left: 20, bigWord: 'zanzibar', bigLeft: 50 };
  let reported = 0;
  const emit = (s: Schedule | null, ts: number, kind: number, stream: number, level: number, message: string) => {
    filler.line(s ? s.source.sourceId : null, ts, kind, stream, level, message);
    if (onProgress && filler.lines - reported >= linesPerTransaction) {
      reported = filler.lines;
      onProgress(filler.lines, expected);
    }
  };

  // One tick per second of line time: each running source writes its share as one run of lines,
  // as ingest stores a batch per source.
  const byStart = [...schedules].sort((a, b) => a.start - b.start);
  let nextStart = 0;
  const running: Schedule[] = [];
  for (let t = startTs; t < endTs; t += 1000) {
    while (nextStart < byStart.length && byStart[nextStart]!.start <= t) {
      const s = byStart[nextStart++]!;
      running.push(s);
      for (const [i, text] of startLines(s.source).entries()) emit(s, t + i, kindSystem, streamNone, 1, text);
    }
    if ((t - startTs) % 60_000 === 0) {
      emit(null, t, kindManager, streamNone, 1, `retention: store at ${Math.round((filler.lines * 110) / 1048576)} MiB, nothing to delete`);
    }
    for (let i = 0; i < running.length; i++) {
      const s = running[i]!;
      s.carry += s.rate;
      let n = Math.min(Math.floor(s.carry), s.planned);
      s.carry -= n;
      const ending = t + 1000 > s.end || t + 1000 >= endTs;
      if (ending) n = s.planned;
      s.planned -= n;
      // Times within the second, rising (a container writes in order).
      const step = n > 0 ? 1000 / n : 0;
      for (let k = 0; k < n; k++) {
        const line = outputLine(rng, s.source, filler.lines);
        let message = line.message;
        if (s === big && rare.bigLeft > 0 && rng.next() < 60 / bigJobLines) {
          message += ` ${rare.bigWord}`;
          rare.bigLeft--;
        } else if (rare.left > 0 && rng.next() < 25 / total) {
          message += ` ${rare.word}`;
          rare.left--;
        }
        emit(s, t + Math.floor(k * step), kindContainer, line.stream, line.level, message);
      }
      if (ending) {
        const failed = rng.next() < 0.1;
        const exit = failed ? `container exited with code ${1 + Math.floor(rng.next() * 130)}` : 'container exited with code 0';
        emit(s, t + 999, kindSystem, streamNone, failed ? 3 : 1, exit);
        emit(s, t + 999, kindSystem, streamNone, 1, `removed container ${s.source.containerId?.slice(0, 12)}`);
        running.splice(i--, 1);
      }
    }
  }
  filler.flush();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  onProgress?.(filler.lines, filler.lines);

  return {
    file,
    lines: filler.lines,
    startTs,
    endTs,
    sources,
    bigJob: sources[0]!,
    services,
    rareWord: rare.word,
    bigJobRareWord: rare.bigWord,
  };
}

const serviceNames = ['api', 'worker', 'ingest', 'billing', 'search', 'mailer', 'reports', 'auth', 'cron', 'media'];

function startLines(s: FilledSource): string[] {
  if (s.jobId === null) return [`attached to container ${s.containerName}`];
  return [`pulling image busybox`, `created container ${s.containerId?.slice(0, 12)}`, `started container ${s.containerName}`];
}

const methods = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const resources = ['users', 'orders', 'items', 'sessions', 'invoices', 'reports', 'search', 'health'];
const verbs = ['processed', 'received', 'sent', 'loaded', 'saved', 'skipped', 'retried', 'indexed'];
const nouns = ['batch', 'message', 'order', 'record', 'event', 'chunk', 'file', 'request'];
const statuses = [200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 404, 500, 502, 503];

function outputLine(rng: Prng, s: FilledSource, n: number): { message: string; level: number; stream: number } {
  const r = rng.next();
  const level = r < 0.1 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 3;
  const stream = level === 3 || (level === 2 && rng.next() < 0.5) ? streamStderr : streamStdout;
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng.next() * items.length)]!;
  const num = Math.floor(rng.next() * 100_000);
  const ms = Math.floor(rng.next() * 900) + 1;
  let message: string;
  if (level === 3) {
    message =
      rng.next() < 0.5
        ? `Error: connection refused to db-${num % 7}:5432 (attempt ${(num % 5) + 1})`
        : `ERROR request ${hex(rng, 8)} failed: status=500 path=/api/v1/${pick(resources)}/${num} after ${ms}ms`;
  } else if (level === 2) {
    message = rng.next() < 0.5 ? `WARN slow query on ${pick(resources)} took ${ms * 10}ms` : `\x1b[33mwarn\x1b[0m retrying ${pick(nouns)} ${num} (queue depth ${ms})`;
  } else {
    switch (Math.floor(rng.next() * 4)) {
      case 0:
        message = `${pick(methods)} /api/v1/${pick(resources)}/${num} ${pick(statuses)} ${ms}ms "Mozilla/5.0 (X11; Linux x86_64)" user=u${num % 5000}`;
        break;
      case 1:
        message = `{"level":"${level === 0 ? 'debug' : 'info'}","time":"${n}","msg":"${pick(verbs)} ${pick(nouns)}","id":${num},"duration_ms":${ms},"service":"${s.serviceName}"}`;
        break;
      case 2:
        message = `\x1b[32m${level === 0 ? 'DEBUG' : 'INFO'}\x1b[0m worker-${num % 16} ${pick(verbs)} ${pick(nouns)} ${num} in ${ms}ms`;
        break;
      default:
        message = `status=${pick(statuses)} method=${pick(methods)} path=/api/v1/${pick(resources)} bytes=${num} job-${s.jobId ?? 0} ${level === 0 ? 'trace detail' : 'ok'}`;
    }
  }
  return { message, level, stream };
}

const placeholders = (rows: number, width: number) => new Array(rows).fill(`(${new Array(width).fill('?').join(', ')})`).join(', ');

function hex(rng: Prng, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(rng.next() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}
