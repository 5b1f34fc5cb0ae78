// Deleting a job's lines through the writer engine, on a real SQLite file: the lines go, the
// other sources' lines and every counter stay true, emptied search segments are dropped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertJobs, tempStore, type TempStore } from '../../../../../test/support/temp-store';
import { LogSourceRepository } from '../../store/log-source-repository';
import { WriterEngine } from './writer-engine';
import type { FromWriter, OwnLine } from './writer-protocol';

let store: TempStore;
let engine: WriterEngine;
let posted: FromWriter[];
let turns: (() => void)[];
let sourceIds: number[];

const rows = (sql: string, ...params: unknown[]) => store.db.prepare(sql).all(...params) as Record<string, unknown>[];
const one = (sql: string, ...params: unknown[]) => store.db.prepare(sql).get(...params) as Record<string, unknown>;

function idle(): void {
  for (let i = 0; i < 1000 && turns.length > 0; i++) turns.shift()!();
}

function lines(sourceId: number, n: number, level = 1): OwnLine[] {
  return Array.from({ length: n }, (_, i) => ({ sourceId, ts: Date.now() + i, kind: 1, level, message: `line ${sourceId} ${i}` }));
}

let reqs = 0;
function deleteSources(ids: number[]): unknown {
  const reqId = ++reqs;
  engine.handle({ type: 'deleteSources', reqId, sourceIds: ids });
  const reply = posted.find((m) => m.type === 'reply' && m.reqId === reqId);
  if (reply?.type === 'reply' && !reply.ok) throw new Error(reply.message);
  return (reply as { value: unknown } | undefined)?.value;
}

beforeEach(() => {
  store = tempStore();
  const sources = new LogSourceRepository(store.db);
  sourceIds = insertJobs(store.db, 2).map((id) => sources.ofJob(id)!.id);
  posted = [];
  turns = [];
  engine = new WriterEngine(store.db, (m) => posted.push(m), { defer: (fn) => turns.push(fn) });
});

afterEach(() => store.dispose());

describe('deleting the lines of sources', () => {
  it("deletes one job's lines, counters, counts and blocks, leaving the other job's intact", () => {
    const [a, b] = sourceIds as [number, number];
    engine.handle({ type: 'lines', lines: [...lines(a, 30), ...lines(b, 20), ...lines(a, 5, 3)] });
    idle();
    const before = rows('SELECT * FROM log_sources WHERE id = ?', b);
    const countsBefore = rows('SELECT * FROM log_counts WHERE source_id = ? ORDER BY kind, level', b);
    expect(deleteSources([a])).toEqual({ deleted: 35 });
    expect(one('SELECT count(*) AS n FROM logs WHERE source_id = ?', a)).toEqual({ n: 0 });
    expect(one('SELECT lines, bytes, first_id FROM log_sources WHERE id = ?', a)).toEqual({ lines: 0, bytes: 0, first_id: null });
    expect(rows('SELECT * FROM log_counts WHERE source_id = ?', a)).toEqual([]);
    expect(rows('SELECT * FROM log_blocks WHERE source_id = ?', a)).toEqual([]);
    // The other source is untouched.
    expect(one('SELECT count(*) AS n FROM logs WHERE source_id = ?', b)).toEqual({ n: 20 });
    expect(rows('SELECT * FROM log_sources WHERE id = ?', b)).toEqual(before);
    expect(rows('SELECT * FROM log_counts WHERE source_id = ? ORDER BY kind, level', b)).toEqual(countsBefore);
  });

  it('stores what was still pending for the source before deleting, so nothing of it is left', () => {
    const [a] = sourceIds as [number];
    engine.handle({ type: 'lines', lines: lines(a, 3) });
    // No background turn ran: the lines are pending.
    expect(deleteSources([a])).toEqual({ deleted: 3 });
    idle();
    expect(one('SELECT count(*) AS n FROM logs')).toEqual({ n: 0 });
  });

  it('drops search segments left without a line, never the newest one', () => {
    const [a, b] = sourceIds as [number, number];
    // Small segments (2000 lines each), with a budget retention does not touch here.
    engine.handle({ type: 'retention', rules: { maxAgeDays: 30, maxBytes: 4 * 1024 * 1024, templates: [] } });
    engine.handle({ type: 'lines', lines: lines(a, 5000) });
    idle();
    engine.handle({ type: 'lines', lines: lines(b, 5000) });
    idle();
    const segments = rows('SELECT id, first_id, last_id FROM log_search_segments ORDER BY id');
    expect(segments.length).toBeGreaterThan(1);
    const aRange = one('SELECT min(id) AS lo, max(id) AS hi FROM logs WHERE source_id = ?', a) as { lo: number; hi: number };
    const onlyA = segments.filter((s) => (s.first_id as number) >= aRange.lo && (s.last_id as number) <= aRange.hi);
    expect(onlyA.length).toBeGreaterThan(0);
    deleteSources([a]);
    const left = rows('SELECT id FROM log_search_segments ORDER BY id').map((r) => r.id);
    for (const s of onlyA) expect(left).not.toContain(s.id);
    expect(left).toContain(segments[segments.length - 1]!.id);
    // The other job's lines are still found by a search.
    const tables = left.map((id) => `logs_fts_${id as number}`);
    const hits = tables.reduce(
      (n, t) => n + (one(`SELECT count(*) AS n FROM ${t} f JOIN logs l ON l.id = f.rowid WHERE ${t} MATCH ?`, `"line ${b}"`) as { n: number }).n,
      0,
    );
    expect(hits).toBe(5000);
  });
});
