import { describe, expect, it } from 'vitest';
import { Stream } from '../log-codes';
import {
  SourceParser,
  emptyCursor,
  normalizeTs,
  resumeSince,
  shiftTs,
  toDockerSince,
  type ParseMode,
  type ParsedUnit,
  type SourceCursor,
} from './source-parser';

/** One multiplexed frame: stream 1 stdout, 2 stderr. */
function frame(stream: number, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A json-file entry as the logs API sends it with timestamps=1. */
const entry = (stream: number, ts: string, text: string) => frame(stream, `${ts} ${text}`);

const t = (n: number) => `2026-11-23T10:00:${String(n).padStart(2, '0')}.000000001Z`;

function parse(mode: ParseMode, chunks: Buffer[], cursor: SourceCursor = emptyCursor(), end = true) {
  const units: ParsedUnit[] = [];
  const parser = new SourceParser(mode, cursor, (u) => units.push(u), { now: () => 42 });
  for (const chunk of chunks) parser.push(chunk);
  if (end) parser.end();
  return { units, texts: units.map((u) => `${u.stream === Stream.Stderr ? 'err' : 'out'}:${u.message}`), cursor: parser.cursor };
}

/** Splits a buffer into chunks of `size` bytes, as a network might. */
function chop(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

describe('SourceParser in attach mode', () => {
  it('turns frames into lines per stream, stamped on arrival, and counts units per stream', () => {
    const data = Buffer.concat([frame(1, 'a1\na2\n'), frame(2, 'e1\n'), frame(1, 'a3\n')]);
    const { texts, units, cursor } = parse('attach', chop(data, 5));
    expect(texts).toEqual(['out:a1', 'out:a2', 'err:e1', 'out:a3']);
    expect(units.every((u) => u.ts === 42)).toBe(true);
    expect(cursor).toEqual({ out: { units: 3, ts: null, atTs: 0 }, err: { units: 1, ts: null, atTs: 0 } });
  });

  it('does not count an unfinished line until the output ends', () => {
    const parser = new SourceParser('attach', emptyCursor(), () => undefined);
    parser.push(frame(1, 'done\nhalf'));
    expect(parser.cursor.out.units).toBe(1);
    parser.end();
    expect(parser.cursor.out.units).toBe(2);
  });
});

describe('SourceParser in logs mode', () => {
  it("uses Docker's timestamps and remembers the last one per stream", () => {
    const { units, cursor } = parse('logs', [entry(1, t(1), 'a\n'), entry(2, t(2), 'b\n'), entry(1, t(3), 'c\n')]);
    expect(units.map((u) => u.ts)).toEqual([Date.parse('2026-11-23T10:00:01.000Z'), Date.parse('2026-11-23T10:00:02.000Z'), Date.parse('2026-11-23T10:00:03.000Z')]);
    expect(cursor.out).toEqual({ units: 2, ts: t(3), atTs: 1 });
    expect(cursor.err).toEqual({ units: 1, ts: t(2), atTs: 1 });
  });

  it('joins a long line split into entries, giving it the first entry\'s time and the last entry\'s cursor', () => {
    const { texts, units, cursor } = parse('logs', [entry(1, t(1), 'part-one '), entry(1, t(2), 'part-two\n')]);
    expect(texts).toEqual(['out:part-one part-two']);
    expect(units[0]!.ts).toBe(Date.parse('2026-11-23T10:00:01.000Z'));
    expect(cursor.out).toEqual({ units: 1, ts: t(2), atTs: 1 });
  });

  it('resumes after the cursor without repeating a line, across both streams', () => {
    const all = [entry(1, t(1), 'a\n'), entry(2, t(2), 'b\n'), entry(1, t(3), 'c\n'), entry(2, t(4), 'd\n'), entry(1, t(5), 'e\n')];
    const first = parse('logs', all.slice(0, 3), emptyCursor(), false);
    expect(first.texts).toEqual(['out:a', 'err:b', 'out:c']);
    // Docker answers `since` with everything from the earliest stream cursor on.
    const again = parse('logs', all.slice(1), first.cursor);
    expect(again.texts).toEqual(['err:d', 'out:e']);
    expect(again.cursor.out.units).toBe(3);
    expect(again.cursor.err.units).toBe(2);
  });

  it('resumes exactly among entries that share one nanosecond timestamp', () => {
    const same = t(7);
    const all = [entry(1, same, 'x1\n'), entry(1, same, 'x2\n'), entry(1, same, 'x3\n')];
    const first = parse('logs', all.slice(0, 2), emptyCursor(), false);
    expect(first.cursor.out).toEqual({ units: 2, ts: same, atTs: 2 });
    const again = parse('logs', all, first.cursor);
    expect(again.texts).toEqual(['out:x3']);
  });

  it('re-reads an unfinished line whole after a break, since its entries were not stored', () => {
    const all = [entry(1, t(1), 'whole\n'), entry(1, t(2), 'begin-'), entry(1, t(3), 'end\n')];
    const first = parse('logs', all.slice(0, 2), emptyCursor(), false);
    expect(first.texts).toEqual(['out:whole']);
    expect(first.cursor.out.ts).toBe(t(1));
    const again = parse('logs', all, first.cursor);
    expect(again.texts).toEqual(['out:begin-end']);
  });

  it('skips by count what attach delivered when the logs API is read from the start', () => {
    const attached = parse('attach', [frame(1, 'a\nb\n'), frame(2, 'e\n')], emptyCursor(), false);
    expect(resumeSince(attached.cursor)).toBeNull();
    const log = [entry(1, t(1), 'a\n'), entry(1, t(2), 'b\n'), entry(2, t(3), 'e\n'), entry(1, t(4), 'c\n'), entry(2, t(5), 'f\n')];
    const resumed = parse('logs', log, attached.cursor);
    expect(resumed.texts).toEqual(['out:c', 'err:f']);
    expect(resumed.cursor.out).toEqual({ units: 3, ts: t(4), atTs: 1 });
    expect(resumed.cursor.err).toEqual({ units: 2, ts: t(5), atTs: 1 });
  });

  it('counts a final line without a newline once, also when it is skipped on a later read', () => {
    const attached = parse('attach', [frame(1, 'a\nlast-no-newline')]);
    expect(attached.cursor.out.units).toBe(2);
    const again = parse('logs', [entry(1, t(1), 'a\n'), entry(1, t(2), 'last-no-newline')], attached.cursor);
    expect(again.texts).toEqual([]);
  });

  it('treats a stream that gave nothing as complete up to shortly before the other stream\'s cursor', () => {
    const cursor: SourceCursor = { out: { units: 10, ts: t(30), atTs: 1 }, err: { units: 0, ts: null, atTs: 0 } };
    const since = resumeSince(cursor)!;
    expect(since).toBe(toDockerSince(shiftTs(t(30), -2000)));
    // stderr written 1 s before stdout's cursor (out of order in the file) is still read.
    const again = parse('logs', [entry(2, t(29), 'late-err\n'), entry(1, t(30), 'seen\n'), entry(1, t(31), 'new\n')], cursor);
    expect(again.texts).toEqual(['err:late-err', 'out:new']);
  });
});

describe('SourceParser in tty-logs mode', () => {
  it('reads timestamped lines without frames, drops the carriage return, and resumes by timestamp', () => {
    const raw = Buffer.from(`${t(1)} one\r\n${t(2)} two\r\n${t(3)} thr`);
    const first = parse('tty-logs', chop(raw, 7), emptyCursor(), false);
    expect(first.texts).toEqual(['out:one', 'out:two']);
    const again = parse('tty-logs', [Buffer.from(`${t(2)} two\r\n${t(3)} three\r\n`)], first.cursor);
    expect(again.texts).toEqual(['out:three']);
  });
});

describe('timestamps', () => {
  it('pads the fraction to nine digits so that text order is time order', () => {
    expect(normalizeTs('2026-11-23T10:00:00.5Z')).toBe('2026-11-23T10:00:00.500000000Z');
    expect(normalizeTs('2026-11-23T10:00:00Z')).toBe('2026-11-23T10:00:00.000000000Z');
    expect(normalizeTs('2026-11-23T10:00:00.123456789Z')).toBe('2026-11-23T10:00:00.123456789Z');
    expect(normalizeTs('2026-11-23T10:00:00.5Z') < normalizeTs('2026-11-23T10:00:00.123456789Z')).toBe(false);
  });

  it("writes Docker's seconds.nanoseconds form and shifts by milliseconds keeping the nanoseconds", () => {
    expect(toDockerSince('2026-11-23T10:00:00.123456789Z')).toBe(`${Date.parse('2026-11-23T10:00:00Z') / 1000}.123456789`);
    expect(shiftTs('2026-11-23T10:00:01.123456789Z', -2000)).toBe('2026-11-23T09:59:59.123456789Z');
  });
});
