import { describe, expect, it } from 'vitest';
import { FrameWriter, type FrameScheduler } from './frame-writer';

/** Frames run when the test says so. */
function manualFrames() {
  let pending = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request: (cb) => {
      pending.set(next, cb);
      return next++;
    },
    cancel: (h) => void pending.delete(h),
  };
  const run = () => {
    const due = pending;
    pending = new Map();
    for (const cb of due.values()) cb();
  };
  return { scheduler, run, get scheduled() {
    return pending.size;
  } };
}

/** A terminal whose parse callbacks fire when the test says so. */
function fakeTerminal() {
  const writes: string[] = [];
  const callbacks: Array<() => void> = [];
  return {
    writes,
    write(data: string, cb?: () => void) {
      writes.push(data);
      if (cb) callbacks.push(cb);
    },
    parse(count = callbacks.length) {
      for (const cb of callbacks.splice(0, count)) cb();
    },
  };
}

const settled = async (p: Promise<void> | undefined) => {
  if (!p) return 'ready';
  let done = false;
  void p.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done ? 'resolved' : 'waiting';
};

describe('FrameWriter', () => {
  it('coalesces everything written in a frame into one terminal write', () => {
    const frames = manualFrames();
    const term = fakeTerminal();
    const writer = new FrameWriter(term, { scheduler: frames.scheduler });
    writer.write(['a\r\n', 'b\r\n']);
    writer.write(['c\r\n']);
    expect(term.writes).toEqual([]);
    frames.run();
    expect(term.writes).toEqual(['a\r\nb\r\nc\r\n']);
  });

  it('counts lines once xterm has parsed them', () => {
    const frames = manualFrames();
    const term = fakeTerminal();
    const counts: number[] = [];
    const writer = new FrameWriter(term, { scheduler: frames.scheduler, onWritten: (n) => counts.push(n) });
    writer.write(['a\r\n', 'b\r\n']);
    frames.run();
    expect(writer.linesWritten).toBe(0);
    term.parse();
    expect(writer.linesWritten).toBe(2);
    writer.write(['c\r\n']);
    frames.run();
    term.parse();
    expect(counts).toEqual([2, 3]);
  });

  it('limits how much one frame hands to xterm, never splitting a line', () => {
    const frames = manualFrames();
    const term = fakeTerminal();
    const writer = new FrameWriter(term, { scheduler: frames.scheduler, maxFrameChars: 10 });
    writer.write(['12345\r\n', '12345\r\n', 'x'.repeat(30)]);
    frames.run();
    expect(term.writes).toEqual(['12345\r\n']);
    frames.run();
    expect(term.writes[1]).toBe('12345\r\n');
    frames.run();
    // A single line longer than the limit still goes, alone.
    expect(term.writes[2]).toBe('x'.repeat(30));
  });

  it('asks the producer to wait above the high watermark and releases it below the low one', async () => {
    const frames = manualFrames();
    const term = fakeTerminal();
    const writer = new FrameWriter(term, { scheduler: frames.scheduler, highWater: 20, lowWater: 8, maxFrameChars: 10 });
    expect(await settled(writer.write(['0123456789']))).toBe('ready');
    const wait = writer.write(['0123456789', '0123456789']);
    expect(await settled(wait)).toBe('waiting');
    frames.run();
    frames.run();
    frames.run();
    // 20 in flight reaches the high watermark: the third line waits for xterm.
    expect(term.writes).toHaveLength(2);
    term.parse(1); // 10 in flight + 10 queued: still above low
    expect(await settled(wait)).toBe('waiting');
    frames.run();
    expect(term.writes).toHaveLength(3);
    term.parse(2); // nothing pending
    expect(await settled(wait)).toBe('resolved');
  });

  it('stops feeding xterm while it holds a full window', () => {
    const frames = manualFrames();
    const term = fakeTerminal();
    const writer = new FrameWriter(term, { scheduler: frames.scheduler, highWater: 10, lowWater: 5, maxFrameChars: 10 });
    void writer.write(['0123456789', 'abcdefghij']);
    frames.run();
    expect(term.writes).toEqual(['0123456789']);
    // In flight is at the high watermark: no frame is requested until xterm catches up.
    expect(frames.scheduled).toBe(0);
    term.parse();
    frames.run();
    expect(term.writes).toEqual(['0123456789', 'abcdefghij']);
  });

  it('releases waiters and writes nothing after dispose', async () => {
    const frames = manualFrames();
    const term = fakeTerminal();
    const writer = new FrameWriter(term, { scheduler: frames.scheduler, highWater: 1, lowWater: 0 });
    const wait = writer.write(['abc']);
    writer.dispose();
    expect(await settled(wait)).toBe('resolved');
    frames.run();
    expect(term.writes).toEqual([]);
    expect(writer.write(['more'])).toBeUndefined();
  });

  it('tells when xterm has parsed everything written so far', async () => {
    const frames = manualFrames();
    const term = fakeTerminal();
    const writer = new FrameWriter(term, { scheduler: frames.scheduler, maxFrameChars: 3 });
    expect(await settled(writer.whenDrained())).toBe('resolved');
    void writer.write(['abc', 'def']);
    const drained = writer.whenDrained();
    frames.run();
    term.parse();
    expect(await settled(drained)).toBe('waiting');
    frames.run();
    term.parse();
    expect(await settled(drained)).toBe('resolved');
    expect(writer.linesWritten).toBe(2);
  });
});
