import { describe, expect, it } from 'vitest';
import type { LogBatch, LogEntry, LogLine } from '../../../shared/model';
import { LogSequencer, type LogQueryFn } from './log-sequencer';

const jobId = 1;

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

const batch = (prevId: number, ...ids: number[]): LogBatch => ({ jobId, prevId, lines: ids.map(line) });

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
    const seq = new LogSequencer({ jobId, query: store.query, write: out.write });
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
    const seq = new LogSequencer({ jobId, query: store.query, write: out.write, tailLimit: 2 });
    seq.start();
    await seq.whenIdle();
    expect(out.written).toEqual([5, 6]);
  });

  it('re-reads a missed batch from the store', async () => {
    const store = fakeStore([1, 2]);
    const out = collector();
    const seq = new LogSequencer({ jobId, query: store.query, write: out.write });
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
    const seq = new LogSequencer({ jobId, query: store.query, write: out.write, pageLimit: 3 });
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
    const seq = new LogSequencer({ jobId, query: store.query, write: out.write });
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
      jobId,
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
      jobId,
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
    const seq = new LogSequencer({ jobId, query: store.query, write: out.write });
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
      jobId,
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
      jobId,
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
    const seq = new LogSequencer({ jobId, query: store.query, write: out.write });
    seq.start();
    await seq.whenIdle();
    seq.push({ jobId: 2, prevId: 1, lines: [line(50)] });
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
