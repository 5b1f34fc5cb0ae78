// The writer engine on a real SQLite file, driven message by message as the worker drives it:
// lines stored once with their bookkeeping, live batches chained, settle and index promises kept,
// retention within budget with counters intact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertJobs, tempStore, type TempStore } from '../../../../../test/support/temp-store';
import { JobRepository } from '../../store/job-repository';
import { LogSourceRepository } from '../../store/log-source-repository';
import { TemplateRepository } from '../../store/template-repository';
import { WriterEngine, type WriterEngineOptions } from './writer-engine';
import type { FromWriter, ToWriter } from './writer-protocol';

let store: TempStore;
let engine: WriterEngine;
let posted: FromWriter[];
let turns: (() => void)[];
let sourceIds: number[];
let jobIds: number[];

function frame(stream: number, text: string): Uint8Array {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return new Uint8Array(Buffer.concat([header, payload]));
}

function makeEngine(options: WriterEngineOptions = {}): void {
  posted = [];
  turns = [];
  // Background turns run only when the test says so.
  engine = new WriterEngine(store.db, (m) => posted.push(m), { defer: (fn) => turns.push(fn), ...options });
}

/** Runs background turns until none is scheduled. */
function idle(max = 1000): void {
  for (let i = 0; i < max && turns.length > 0; i++) turns.shift()!();
}

let reqs = 0;
function send(msg: ToWriter): void {
  engine.handle(msg);
}
/** A request without its id (Omit over each member of the union). */
type Request = Extract<ToWriter, { reqId: number }> extends infer R ? (R extends unknown ? Omit<R, 'reqId'> : never) : never;

function ask(msg: Request): { reqId: number; answer: () => unknown } {
  const reqId = ++reqs;
  engine.handle({ ...msg, reqId } as ToWriter);
  return {
    reqId,
    answer: () => {
      const reply = posted.find((m) => m.type === 'reply' && m.reqId === reqId);
      if (!reply) return undefined;
      if (reply.type === 'reply' && !reply.ok) throw new Error(reply.message);
      return (reply as { value: unknown }).value;
    },
  };
}

const rows = (sql: string, ...params: unknown[]) => store.db.prepare(sql).all(...params) as Record<string, unknown>[];
const one = (sql: string, ...params: unknown[]) => store.db.prepare(sql).get(...params) as Record<string, unknown>;

beforeEach(() => {
  store = tempStore();
  const sources = new LogSourceRepository(store.db);
  jobIds = insertJobs(store.db, 2);
  sourceIds = jobIds.map((id) => sources.ofJob(id)!.id);
  makeEngine();
});

afterEach(() => store.dispose());

describe('WriterEngine', () => {
  it('stores attached output once, in order, with counters, level counts, a block and the cursor', () => {
    const [s] = sourceIds as [number];
    ask({ type: 'open', sourceId: s, mode: 'attach' });
    send({ type: 'chunk', sourceId: s, data: frame(1, 'one\ntwo\n') });
    send({ type: 'chunk', sourceId: s, data: frame(2, 'oops\n{"level":"warn","msg":"w"}\n') });
    const end = ask({ type: 'end', sourceId: s });
    expect(end.answer()).toBeNull();
    expect(rows('SELECT message, level, stream, kind FROM logs WHERE source_id = ? ORDER BY id', s)).toEqual([
      { message: 'one', level: 1, stream: 1, kind: 0 },
      { message: 'two', level: 1, stream: 1, kind: 0 },
      { message: 'oops', level: 3, stream: 2, kind: 0 },
      { message: '{"level":"warn","msg":"w"}', level: 2, stream: 2, kind: 0 },
    ]);
    expect(one('SELECT lines, bytes, out_units, err_units, first_id IS NOT NULL AS has_first FROM log_sources WHERE id = ?', s)).toEqual({
      lines: 4,
      bytes: 3 + 3 + 4 + 26,
      out_units: 2,
      err_units: 2,
      has_first: 1,
    });
    expect(rows('SELECT level, lines FROM log_counts WHERE source_id = ? ORDER BY level', s)).toEqual([
      { level: 1, lines: 2 },
      { level: 2, lines: 1 },
      { level: 3, lines: 1 },
    ]);
    expect(one('SELECT count(*) AS blocks, sum(lines) AS lines FROM log_blocks WHERE source_id = ?', s)).toEqual({ blocks: 1, lines: 4 });
    // Acknowledged: the bytes are stored, the reader may send more.
    expect(posted.some((m) => m.type === 'ack')).toBe(true);
  });

  it('resumes a source from its stored cursor without storing a line twice', () => {
    const [s] = sourceIds as [number];
    ask({ type: 'open', sourceId: s, mode: 'attach' });
    send({ type: 'chunk', sourceId: s, data: frame(1, 'a\nb\n') });
    idle();
    // A fresh engine, as after a restart of Berth, reads the log again from the start.
    makeEngine();
    const open = ask({ type: 'open', sourceId: s, mode: 'logs' });
    expect(open.answer()).toEqual({ since: null });
    const t = (n: number) => `2026-11-23T10:00:0${n}.000000001Z`;
    for (const [n, text] of [[1, 'a\n'], [2, 'b\n'], [3, 'c\n']] as const) send({ type: 'chunk', sourceId: s, data: frame(1, `${t(n)} ${text}`) });
    ask({ type: 'end', sourceId: s });
    expect(rows('SELECT message FROM logs WHERE source_id = ? ORDER BY id', s).map((r) => r.message)).toEqual(['a', 'b', 'c']);
    expect(one('SELECT out_units, out_ts FROM log_sources WHERE id = ?', s)).toEqual({ out_units: 3, out_ts: t(3) });
  });

  it('sends stored lines of followed sources back, each batch chained to the one before', () => {
    const [a, b] = sourceIds as [number, number];
    send({ type: 'live', sourceId: a, on: true });
    send({ type: 'lines', lines: [{ sourceId: a, ts: 1, kind: 1, level: 1, message: 'a1' }, { sourceId: b, ts: 1, kind: 1, level: 1, message: 'b1' }] });
    idle();
    send({ type: 'lines', lines: [{ sourceId: a, ts: 2, kind: 2, level: 2, message: 'a2' }] });
    idle();
    const live = posted.filter((m): m is Extract<FromWriter, { type: 'live' }> => m.type === 'live');
    expect(live.map((m) => m.sourceId)).toEqual([a, a]);
    expect(live[0]!.prevId).toBe(0);
    expect(live[1]!.prevId).toBe(live[0]!.lines[0]!.id);
    expect(live[1]!.lines[0]).toMatchObject({ message: 'a2', source: 'manager', level: 'warn', isStdErr: false });
  });

  it('answers settle with indexed once the lines are searchable', () => {
    const [s] = sourceIds as [number];
    send({ type: 'lines', lines: [{ sourceId: s, ts: 1, kind: 1, level: 1, message: 'findme \u001b[31mred\u001b[0m' }] });
    const settled = ask({ type: 'settle', sourceId: s, indexed: true });
    expect(settled.answer()).toBeUndefined();
    idle();
    expect(settled.answer()).toBeNull();
    // Indexed without its colour codes.
    expect(one("SELECT count(*) AS n FROM logs_fts_1 WHERE logs_fts_1 MATCH 'red'")).toEqual({ n: 1 });
    expect(one("SELECT value FROM meta WHERE key = 'fts_indexed_id'")).toEqual({ value: String(one('SELECT max(id) AS id FROM logs').id) });
  });

  it('keeps a store over its byte budget within it, deleting the oldest lines and keeping counters true', () => {
    const [a, b] = sourceIds as [number, number];
    makeEngine({ batchSize: 500 });
    const budget = 2 * 1024 * 1024;
    send({ type: 'retention', rules: { maxAgeDays: 30, maxBytes: budget, templates: [] } });
    for (let i = 0; i < 40_000; i++) {
      const source = i % 3 === 0 ? b : a;
      send({ type: 'lines', lines: [{ sourceId: source, ts: i, kind: 0, level: i % 7 === 0 ? 3 : 1, message: `line ${String(i).padStart(6, '0')} ${'x'.repeat(80)}` }] });
      if (i % 1000 === 999) idle();
    }
    idle();
    const used = () => {
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      const free = store.db.pragma('freelist_count', { simple: true }) as number;
      return (pages - free) * 4096;
    };
    expect(used()).toBeLessThanOrEqual(budget * 1.1);
    // The newest line is there; the oldest are gone.
    expect(one('SELECT message FROM logs ORDER BY id DESC LIMIT 1').message).toMatch(/^line 039999 /);
    expect(one('SELECT count(*) AS n FROM logs WHERE message LIKE ?', 'line 000000 %').n).toBe(0);
    // Counters still match what is stored.
    for (const s of [a, b]) {
      const stored = one('SELECT count(*) AS n, min(id) AS first FROM logs WHERE source_id = ?', s);
      expect(one('SELECT lines, first_id FROM log_sources WHERE id = ?', s)).toEqual({ lines: stored.n, first_id: stored.first });
      const byLevel = rows('SELECT level, count(*) AS lines FROM logs WHERE source_id = ? GROUP BY level ORDER BY level', s);
      expect(rows('SELECT level, lines FROM log_counts WHERE source_id = ? ORDER BY level', s)).toEqual(byLevel);
      const blocks = rows('SELECT first_id, last_id FROM log_blocks WHERE source_id = ?', s);
      const orphans = one(
        `SELECT count(*) AS n FROM logs l WHERE source_id = ? AND NOT EXISTS
           (SELECT 1 FROM log_blocks b WHERE b.source_id = l.source_id AND l.id BETWEEN b.first_id AND b.last_id)`,
        s,
      );
      expect(orphans.n, `every line of source ${s} lies in one of its ${blocks.length} blocks`).toBe(0);
    }
    // The search index went with the lines: only segments with lines still stored are left.
    idle();
    const oldest = one('SELECT min(id) AS id FROM logs').id as number;
    const segments = rows('SELECT id, first_id, last_id FROM log_search_segments ORDER BY id');
    expect(segments[0]!.id, 'the first segments were dropped').toBeGreaterThan(1);
    expect(segments.slice(0, -1).every((s) => (s.last_id as number) >= oldest)).toBe(true);
    expect(one("SELECT count(*) AS n FROM sqlite_master WHERE name = 'logs_fts_1'").n).toBe(0);
  });

  it('deletes whole blocks older than the age limit, and a template\'s own limit wins for its jobs', () => {
    const [a, b] = sourceIds as [number, number];
    const now = Date.UTC(2026, 10, 23);
    const day = 86_400_000;
    makeEngine({ now: () => now });
    store.db.prepare('UPDATE log_sources SET service_id = 99 WHERE id = ?').run(b);
    send({ type: 'lines', lines: [{ sourceId: a, ts: now - 40 * day, kind: 0, level: 1, message: 'old-a' }] });
    send({ type: 'lines', lines: [{ sourceId: b, ts: now - 40 * day, kind: 0, level: 1, message: 'old-b' }] });
    idle();
    send({ type: 'lines', lines: [{ sourceId: a, ts: now - day, kind: 0, level: 1, message: 'new-a' }] });
    idle();
    send({ type: 'retention', rules: { maxAgeDays: 30, maxBytes: 1024 ** 3, templates: [{ templateId: 99, maxAgeDays: 60 }] } });
    idle();
    expect(rows('SELECT message FROM logs ORDER BY id').map((r) => r.message)).toEqual(['old-b', 'new-a']);
    expect(one('SELECT lines FROM log_sources WHERE id = ?', a).lines).toBe(1);
  });

  it('never gives an id twice, even after retention deleted the newest lines', () => {
    const [s] = sourceIds as [number];
    send({ type: 'lines', lines: [{ sourceId: s, ts: 1, kind: 0, level: 1, message: 'x' }] });
    idle();
    const first = one('SELECT max(id) AS id FROM logs').id as number;
    store.db.prepare('DELETE FROM logs').run();
    send({ type: 'lines', lines: [{ sourceId: s, ts: 2, kind: 0, level: 1, message: 'y' }] });
    idle();
    expect(one('SELECT id FROM logs').id).toBeGreaterThan(first);
  });
});
