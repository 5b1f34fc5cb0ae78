// The writer's ids come from arithmetic on multi-row statements: check them against the rows.
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../../test/support/temp-store';
import { Stream, type PendingLine } from '../logs/log-codes';
import { LogWriter } from './log-writer';

let store: TempStore | undefined;
afterEach(() => store?.dispose());

const line = (i: number, jobId: number | null = 1): PendingLine => ({
  ts: 1000 + i,
  jobId,
  stream: i % 2 ? Stream.Stderr : Stream.Stdout,
  level: i % 4,
  source: 0,
  message: `message ${i} ${'é'.repeat(i % 3)}`,
});

describe('LogWriter', () => {
  it('gives every line the id of its row, across statement boundaries and batches', () => {
    store = tempStore();
    const writer = new LogWriter(store.db);
    // 1, 63, 64, 65 and 200 lines: below, at and across the 64-row statements.
    const batches = [1, 63, 64, 65, 200].map((n, b) => Array.from({ length: n }, (_, i) => line(b * 1000 + i, b)));
    const stored = batches.flatMap((batch) => writer.write(batch));
    const rows = store.db.prepare('SELECT id, ts, job_id AS jobId, stream, level, source, message FROM logs ORDER BY id').all();
    expect(rows).toEqual(stored.map((l) => ({ ...l })));
    expect(new Set(stored.map((l) => l.id)).size).toBe(stored.length);
  });

  it('continues after rows stored by earlier writers and leaves nothing behind when a statement fails', () => {
    store = tempStore();
    store.db.prepare("INSERT INTO logs (id, ts, job_id, stream, level, source, message) VALUES (500, 1, NULL, 0, 1, 1, 'older')").run();
    const writer = new LogWriter(store.db);
    expect(writer.write([line(1), line(2)]).map((l) => l.id)).toEqual([501, 502]);
    // A NULL message violates NOT NULL: the whole batch rolls back.
    const broken = [line(3), { ...line(4), message: null as unknown as string }];
    expect(() => writer.write(broken)).toThrow();
    expect(store.db.prepare('SELECT count(*) AS n FROM logs').get()).toEqual({ n: 3 });
    expect(writer.write([line(5)]).map((l) => l.id)).toEqual([503]);
  });
});
