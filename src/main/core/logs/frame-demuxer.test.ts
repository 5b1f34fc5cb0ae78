import { describe, expect, it } from 'vitest';
import { seededPrng } from '../../../../test/support/prng';
import { FrameDemuxer } from './frame-demuxer';

interface Frame {
  stream: number;
  payload: Buffer;
}

/** Builds Docker's multiplexed encoding by hand: type, 3 zero bytes, big-endian size, payload. */
function encode(frames: readonly Frame[]): Buffer {
  return Buffer.concat(
    frames.flatMap(({ stream, payload }) => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return [header, payload];
    }),
  );
}

/** Feeds `chunks` and returns what came out, copying payloads (they may be views into a chunk). */
function demux(chunks: readonly Buffer[]): { frames: Frame[]; demuxer: FrameDemuxer } {
  const frames: Frame[] = [];
  const demuxer = new FrameDemuxer((stream, payload) => frames.push({ stream, payload: Buffer.from(payload) }));
  for (const chunk of chunks) demuxer.push(chunk);
  return { frames, demuxer };
}

/** The demuxer skips empty frames: there is nothing in them to deliver. */
const nonEmpty = (frames: readonly Frame[]) => frames.filter((f) => f.payload.length > 0);

/** Comparable text for a frame list: deep-equal on big Buffers is slow. */
const summary = (frames: readonly Frame[]) => frames.map((f) => `${f.stream}:${f.payload.toString('base64')}`);

const sample: Frame[] = [
  { stream: 1, payload: Buffer.from('hello\n') },
  { stream: 2, payload: Buffer.from('oops\n') },
  { stream: 0, payload: Buffer.from('stdin echo') },
  { stream: 1, payload: Buffer.alloc(0) },
  { stream: 2, payload: Buffer.from([0, 1, 2, 0xff, 0xfe, 10]) },
  { stream: 1, payload: Buffer.alloc(300, 'x') },
  { stream: 2, payload: Buffer.alloc(0) },
  { stream: 1, payload: Buffer.from('ü€😀\n') },
];

describe('FrameDemuxer', () => {
  it('reads frames of stream types 0, 1 and 2 from one chunk', () => {
    const { frames, demuxer } = demux([encode(sample)]);
    expect(frames).toEqual(nonEmpty(sample));
    expect(frames.map((f) => f.stream)).toEqual([1, 2, 0, 2, 1, 1]);
    expect(demuxer.pendingBytes).toBe(0);
  });

  it('skips zero-length frames without losing the frames around them', () => {
    const frames: Frame[] = [
      { stream: 1, payload: Buffer.alloc(0) },
      { stream: 2, payload: Buffer.alloc(0) },
      { stream: 1, payload: Buffer.from('a') },
      { stream: 1, payload: Buffer.alloc(0) },
      { stream: 2, payload: Buffer.from('b') },
    ];
    expect(demux([encode(frames)]).frames).toEqual(nonEmpty(frames));
  });

  it('gives the same frames for every split of the stream into two chunks', () => {
    const bytes = encode(sample);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { frames, demuxer } = demux([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(summary(frames), `cut at byte ${cut}`).toEqual(summary(nonEmpty(sample)));
      expect(demuxer.pendingBytes).toBe(0);
    }
  });

  it('gives the same frames when fed one byte at a time (every header split every way)', () => {
    const bytes = encode(sample);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(demux(chunks).frames).toEqual(nonEmpty(sample));
  });

  it('gives the same frames for random streams cut into random chunks', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = seededPrng(seed);
      const frames: Frame[] = Array.from({ length: rng.int(1, 40) }, () => {
        // Mostly small frames, some empty, some larger than a typical chunk.
        const size = rng.pick([0, rng.int(1, 16), rng.int(1, 200), rng.int(1000, 20_000)]);
        const payload = Buffer.alloc(size);
        for (let i = 0; i < size; i++) payload[i] = (i * 31 + seed) & 0xff;
        if (size > 0) payload[rng.int(0, size - 1)] = rng.int(0, 255);
        return { stream: rng.int(0, 2), payload };
      });
      const bytes = encode(frames);
      const chunks: Buffer[] = [];
      for (let off = 0; off < bytes.length; ) {
        const size = rng.pick([1, rng.int(1, 9), rng.int(1, 100), rng.int(1, 70_000)]);
        chunks.push(bytes.subarray(off, off + size));
        off += size;
      }
      const out = demux(chunks);
      expect(summary(out.frames), `seed ${seed}`).toEqual(summary(nonEmpty(frames)));
      expect(out.demuxer.pendingBytes, `seed ${seed}`).toBe(0);
    }
  });

  it('counts the bytes of an unfinished header and payload as pending', () => {
    const bytes = encode([{ stream: 1, payload: Buffer.from('0123456789') }]);
    const { frames, demuxer } = demux([bytes.subarray(0, 5)]);
    expect(demuxer.pendingBytes).toBe(5);
    demuxer.push(bytes.subarray(5, 12));
    expect(demuxer.pendingBytes).toBe(4);
    expect(frames).toEqual([]);
    demuxer.push(bytes.subarray(12));
    expect(demuxer.pendingBytes).toBe(0);
    expect(frames).toEqual([{ stream: 1, payload: Buffer.from('0123456789') }]);
  });
});
