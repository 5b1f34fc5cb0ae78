import { describe, expect, it } from 'vitest';
import type { LogBatch, LogEntry, LogLevel, LogLine } from '../../../shared/model';
import { LogSequencer, type LogQueryFn, type SequencerQuery } from './log-sequencer';

const jobId = 1;
const source = { kind: 'job', id: jobId } as const;

const entry = (id: number): LogEntry => ({
  id,
  message: `line ${id}`,
  timestamp: id,
  level: 'info',
  source: { type: 'container', name: 'c' },
  serviceId: 1,
  serviceName: 't',
  containerId: 'abc',
  jobId,
  isStdErr: false,
  isSystem: false,
});

const line = (id: number): LogLine => ({ id, message: `line ${id}`, timestamp: id, level: 'info', source: 'container', isStdErr: false });

const batch = (prevId: number, ...ids: number[]): LogBatch => ({ jobId, containerId: null, prevId, lines: ids.map(line) });

/** The store as logs.query answers it: the newest `limit` lines, or the first `limit` after `afterId`. */
function fakeStore(ids: number[]) {
  const stored = [...ids];
  const calls: Array<{ afterId?: number; limit: number }> = [];
  let gate: Promise<void> | null = null;
  const query: LogQueryFn = async ({ afterId, limit }) => {
    calls.push({ afterId, limit });
    if (gate) await gate;
    const rows = afterId === undefined ? stored.slice(-limit) : stored.filter((id) => id > afterId).slice(0, limit);
    return { logs: rows.map(entry) };
  };
  return {
    query,
    calls,
    add: (...more: number[]) => stored.push(...more),
    /** Holds queries until the returned function is called. */
    hold() {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = null;
        open();
      };
    },
  };
}

function collector() {
  const written: number[] = [];
  return { written, write: (lines: LogLine[]) => void written.push(...lines.map((l) => l.id)) };
}

describe('LogSequencer', () => {
  it('writes the stored tail, then batches that arrived meanwhile, without duplicates', async () => {
    const store = fakeStore([1, 2, 3, 4, 5]);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write });
    // Subscribed first: this batch is also in the store by the time the tail is read.
    seq.push(batch(3, 4, 5));
    const release = store.hold();
    seq.start();
    store.add(6, 7);
    seq.push(batch(5, 6, 7));
    release();
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(store.calls).toEqual([{ afterId: undefined, limit: 5000 }]);
    expect(seq.lastId).toBe(7);
  });

  it('shows only the newest lines first', async () => {
    const store = fakeStore([1, 2, 3, 4, 5, 6]);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write, tailLimit: 2 });
    seq.start();
    await seq.whenIdle();
    expect(out.written).toEqual([5, 6]);
  });

  it('re-reads a missed batch from the store', async () => {
    const store = fakeStore([1, 2]);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write });
    seq.start();
    await seq.whenIdle();
    store.add(3, 4, 5, 6); // the batch carrying 3–4 never arrived
    seq.push(batch(4, 5, 6));
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4, 5, 6]);
    expect(store.calls[1]).toEqual({ afterId: 2, limit: 10_000 });
    // Contiguous batches need no query.
    store.add(7);
    seq.push(batch(6, 7));
    await seq.whenIdle();
    expect(store.calls).toHaveLength(2);
    expect(out.written.at(-1)).toBe(7);
  });

  it('pages through a long gap until caught up', async () => {
    const store = fakeStore([1]);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write, pageLimit: 3 });
    seq.start();
    await seq.whenIdle();
    store.add(2, 3, 4, 5, 6, 7, 8);
    seq.push(batch(7, 8));
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(store.calls.slice(1).map((c) => c.afterId)).toEqual([1, 4, 7]);
  });

  it('handles batches one at a time, in order, even while a gap is being read', async () => {
    const store = fakeStore([1]);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write });
    seq.start();
    await seq.whenIdle();
    store.add(2, 3, 4);
    const release = store.hold();
    seq.push(batch(3, 4)); // gap: 2–3
    store.add(5);
    seq.push(batch(4, 5));
    release();
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4, 5]);
  });

  it('waits for the writer before handing it more (backpressure)', async () => {
    const store = fakeStore([1, 2]);
    const chunks: number[][] = [];
    let release: () => void = () => {};
    const seq = new LogSequencer({
      source,
      query: store.query,
      write: (lines) => {
        chunks.push(lines.map((l) => l.id));
        return new Promise<void>((r) => (release = r));
      },
    });
    seq.start();
    store.add(3);
    seq.push(batch(2, 3));
    await new Promise((r) => setTimeout(r, 0));
    expect(chunks).toEqual([[1, 2]]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(chunks).toEqual([[1, 2], [3]]);
    release();
    await seq.whenIdle();
  });

  it('drops live batches past its queue budget and reads them from the store instead', async () => {
    const store = fakeStore([1]);
    const out = collector();
    let release: () => void = () => {};
    let blocked = true;
    const seq = new LogSequencer({
      source,
      query: store.query,
      maxQueuedLines: 2,
      write: (lines) => {
        out.write(lines);
        return blocked ? new Promise<void>((r) => (release = r)) : undefined;
      },
    });
    seq.start();
    await new Promise((r) => setTimeout(r, 0)); // tail written, writer blocked
    store.add(2, 3, 4, 5, 6, 7);
    seq.push(batch(1, 2, 3));
    seq.push(batch(3, 4, 5)); // over budget: dropped, catch-up queued
    seq.push(batch(5, 6, 7)); // covered by the catch-up
    blocked = false;
    release();
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('catches up on request (after a reconnect or when the job ends)', async () => {
    const store = fakeStore([1]);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write });
    seq.start();
    await seq.whenIdle();
    store.add(2, 3);
    seq.catchUp();
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3]);
  });

  it('retries the tail after it failed, instead of reading the whole log forward', async () => {
    const store = fakeStore([1, 2, 3]);
    const errors: unknown[] = [];
    let fail = true;
    const out = collector();
    const seq = new LogSequencer({
      source,
      query: async (input) => {
        if (fail) throw new Error('offline');
        return store.query(input);
      },
      write: out.write,
      onError: (err) => errors.push(err),
    });
    seq.start();
    await seq.whenIdle();
    expect(errors).toHaveLength(1);
    expect(out.written).toEqual([]);
    fail = false;
    store.add(4);
    seq.push(batch(3, 4));
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4]);
    expect(store.calls.map((c) => c.afterId)).toEqual([undefined]);
  });

  it('does not skip a gap whose read failed', async () => {
    const store = fakeStore([1]);
    let fail = false;
    const out = collector();
    const seq = new LogSequencer({
      source,
      query: async (input) => {
        if (fail) throw new Error('offline');
        return store.query(input);
      },
      write: out.write,
      onError: () => {},
    });
    seq.start();
    await seq.whenIdle();
    store.add(2, 3);
    fail = true;
    seq.push(batch(2, 3));
    await seq.whenIdle();
    expect(out.written).toEqual([1]);
    fail = false;
    store.add(4);
    seq.push(batch(3, 4));
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4]);
  });

  it('ignores other jobs and stops after dispose', async () => {
    const store = fakeStore([1]);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write });
    seq.start();
    await seq.whenIdle();
    seq.push({ jobId: 2, containerId: null, prevId: 1, lines: [line(50)] });
    await seq.whenIdle();
    expect(out.written).toEqual([1]);
    seq.dispose();
    store.add(2);
    seq.push(batch(1, 2));
    seq.catchUp();
    await seq.whenIdle();
    expect(out.written).toEqual([1]);
  });
});

describe('LogSequencer with other sources and filters', () => {
  type Row = { id: number; level: LogLevel; containerId: string };
  const levelOf = (id: number): LogLevel => (id % 5 === 0 ? 'error' : 'info');
  const rowsUpTo = (n: number, containerId = 'abc123abc123ff'): Row[] =>
    Array.from({ length: n }, (_, i) => ({ id: i + 1, level: levelOf(i + 1), containerId }));
  const toEntry = (r: Row): LogEntry => ({ ...entry(r.id), level: r.level, jobId: null, containerId: r.containerId });
  const toLine = (r: Row): LogLine => ({ ...line(r.id), level: r.level });

  function filteredStore(rows: Row[]) {
    const calls: SequencerQuery[] = [];
    const query: LogQueryFn = async (input) => {
      calls.push(input);
      let found = rows.filter((r) => (input.containerId ? r.containerId.startsWith(input.containerId) : true));
      if (input.level) found = found.filter((r) => input.level!.includes(r.level));
      if (input.afterId !== undefined) found = found.filter((r) => r.id > input.afterId!).slice(0, input.limit);
      else found = found.slice(-input.limit);
      return { logs: found.map(toEntry) };
    };
    return { query, calls };
  }

  it('follows an attached container: queries by containerId and takes batches for that container only', async () => {
    const rows = rowsUpTo(3);
    const store = filteredStore(rows);
    const out = collector();
    const seq = new LogSequencer({ source: { kind: 'container', id: 'abc123abc123' }, query: store.query, write: out.write });
    seq.start();
    await seq.whenIdle();
    rows.push({ id: 4, level: 'info', containerId: 'abc123abc123ff' });
    seq.push({ jobId: null, containerId: 'abc123abc123ff', prevId: 3, lines: [line(4)] });
    seq.push({ jobId: null, containerId: 'ffff00000000aa', prevId: 3, lines: [line(99)] });
    seq.push({ jobId: 1, containerId: null, prevId: 3, lines: [line(98)] });
    await seq.whenIdle();
    expect(out.written).toEqual([1, 2, 3, 4]);
    expect(store.calls[0]).toEqual({ containerId: 'abc123abc123', limit: 5000 });
  });

  it('with a level filter asks the store for those levels and filters live lines, re-reading at most once', async () => {
    const rows = rowsUpTo(12);
    const store = filteredStore(rows);
    const out = collector();
    const seq = new LogSequencer({ source, query: store.query, write: out.write, levels: ['error'] });
    seq.start();
    await seq.whenIdle();
    expect(out.written).toEqual([5, 10]);
    expect(store.calls[0]).toMatchObject({ jobId, level: ['error'] });
    // The first batch starts after line 12, beyond the last error seen (10): one re-read.
    rows.push(...[13, 14, 15].map((id) => ({ id, level: levelOf(id), containerId: 'x' })));
    seq.push({ jobId, containerId: null, prevId: 12, lines: rows.slice(12).map(toLine) });
    await seq.whenIdle();
    expect(out.written).toEqual([5, 10, 15]);
    expect(store.calls).toHaveLength(2);
    // From then on batches follow one another: no more queries, info lines skipped.
    rows.push(...[16, 17].map((id) => ({ id, level: levelOf(id), containerId: 'x' })));
    seq.push({ jobId, containerId: null, prevId: 15, lines: rows.slice(15).map(toLine) });
    await seq.whenIdle();
    expect(store.calls).toHaveLength(2);
    expect(seq.lastId).toBe(17);
    expect(out.written).toEqual([5, 10, 15]);
  });

  it('starts after a given line instead of reading the tail, and reports when loaded', async () => {
    const store = filteredStore(rowsUpTo(8));
    const out = collector();
    const loaded: Array<{ lastId: number; lines: number }> = [];
    const seq = new LogSequencer({
      source,
      query: store.query,
      write: out.write,
      startAfterId: 6,
      onLoaded: (info) => loaded.push(info),
    });
    seq.start();
    await seq.whenIdle();
    expect(out.written).toEqual([7, 8]);
    expect(store.calls[0]).toMatchObject({ afterId: 6 });
    expect(loaded).toEqual([{ lastId: 8, lines: 2 }]);
  });

  it('reports loaded for an empty log too', async () => {
    const store = filteredStore([]);
    const loaded: number[] = [];
    const seq = new LogSequencer({ source, query: store.query, write: () => {}, onLoaded: (i) => loaded.push(i.lines) });
    seq.start();
    await seq.whenIdle();
    expect(loaded).toEqual([0]);
  });
});

