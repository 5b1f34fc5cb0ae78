import { describe, expect, it } from 'vitest';
import { seededPrng } from '../../../../test/support/prng';
import type { LogBatch, LogEntry, LogLine } from '../../../shared/model';
import { LiveSequencer, type LiveSink } from './live';

/** One source's lines, ids 1..n with gaps (other sources' lines in between), and what got printed. */
function fixture(ids: number[], pageSize = 3) {
  const entry = (id: number): LogEntry => ({
    id,
    message: `line ${id}`,
    timestamp: id,
    level: 'info',
    source: { type: 'container', name: 'job-1' },
    serviceId: 1,
    serviceName: 's',
    containerId: 'c',
    jobId: 1,
    isStdErr: false,
    isSystem: false,
  });
  const printed: number[] = [];
  const ranges: [number, number | null][] = [];
  const sink: LiveSink = {
    async *range(afterId, upTo) {
      ranges.push([afterId, upTo]);
      const all = ids.filter((id) => id > afterId && (upTo === null || id <= upTo)).map(entry);
      for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
    },
    async entries(entries) {
      printed.push(...entries.map((e) => e.id));
    },
    async lines(lines) {
      printed.push(...lines.map((l) => l.id));
    },
  };
  const line = (id: number): LogLine => ({ id, timestamp: id, level: 'info', source: 'container', isStdErr: false, message: `line ${id}` });
  /** The batch of these ids, as the server would send it. */
  const batch = (batchIds: number[]): LogBatch => ({
    jobId: 1,
    containerId: null,
    prevId: ids.filter((id) => id < batchIds[0]!).at(-1) ?? 0,
    lines: batchIds.map(line),
  });
  return { printed, ranges, sink, batch };
}

describe('LiveSequencer', () => {
  it('prints batches that follow on straight from the stream', async () => {
    const f = fixture([1, 2, 3, 5, 8, 9]);
    const seq = new LiveSequencer(3, f.sink, false);
    await seq.batch(f.batch([5]));
    await seq.batch(f.batch([8, 9]));
    expect(f.printed).toEqual([5, 8, 9]);
    expect(f.ranges).toEqual([]);
    expect(seq.lastSeen).toBe(9);
  });

  it('skips what the stored lines already printed', async () => {
    const f = fixture([1, 2, 3, 4, 5, 6]);
    const seq = new LiveSequencer(4, f.sink, false);
    await seq.batch(f.batch([1, 2]));
    await seq.batch(f.batch([3, 4, 5, 6]));
    expect(f.printed).toEqual([5, 6]);
  });

  it('reads missed lines from the store before printing the batch', async () => {
    const f = fixture([1, 2, 4, 6, 7, 10, 11, 12]);
    const seq = new LiveSequencer(2, f.sink, false);
    await seq.batch(f.batch([11, 12])); // prevId 10: 4, 6, 7, 10 were missed
    expect(f.ranges).toEqual([[2, 10]]);
    expect(f.printed).toEqual([4, 6, 7, 10, 11, 12]);
  });

  it('reads every line from the store when whole entries are wanted', async () => {
    const f = fixture([1, 2, 3, 4, 5]);
    const seq = new LiveSequencer(1, f.sink, true);
    await seq.batch(f.batch([2, 3]));
    await seq.batch(f.batch([4, 5]));
    expect(f.ranges).toEqual([
      [1, 3],
      [3, 5],
    ]);
    expect(f.printed).toEqual([2, 3, 4, 5]);
  });

  it('reads what is left after a finished job, page by page', async () => {
    const f = fixture([1, 2, 3, 4, 5, 6, 7, 8]);
    const seq = new LiveSequencer(2, f.sink, false);
    await seq.upTo(4);
    await seq.rest();
    expect(f.printed).toEqual([3, 4, 5, 6, 7, 8]);
    expect(seq.lastSeen).toBe(8);
  });

  it('prints every line exactly once, in order, however batches are lost, repeated or late', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = seededPrng(seed);
      const ids: number[] = [];
      for (let id = 1, n = rnd.int(1, 60); ids.length < n; id += rnd.int(1, 3)) ids.push(id);
      const f = fixture(ids, rnd.int(1, 5));
      const bound = rnd.pick([0, ...ids]);
      const seq = new LiveSequencer(bound, f.sink, rnd.next() < 0.2);
      // Batches of the lines from some point before the bound (the subscription came first).
      let i = Math.max(0, ids.indexOf(bound) - rnd.int(0, 5));
      while (i < ids.length) {
        const size = rnd.int(1, 6);
        const b = f.batch(ids.slice(i, i + size));
        i += size;
        const r = rnd.next();
        if (r < 0.2) continue; // skipped by the server
        await seq.batch(b);
        if (r > 0.9) await seq.batch(b); // delivered twice
      }
      await seq.rest();
      expect(f.printed, `seed ${seed}`).toEqual(ids.filter((id) => id > bound));
    }
  });
});
