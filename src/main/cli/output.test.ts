import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output, OutputClosed } from './output';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A stream that takes `delayMs` per write and records what it got, into `into` if given. */
function slowStream(delayMs: number, highWaterMark: number, into: string[] = [], label = '') {
  const maxBuffered: number[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb) {
      maxBuffered.push(stream.writableLength);
      setTimeout(() => {
        into.push(label + chunk.toString());
        cb();
      }, delayMs);
    },
  });
  return { stream, got: into, maxBuffered };
}

describe('Output', () => {
  it('waits for a full stream to drain before flush() resolves', async () => {
    const out = slowStream(20, 16);
    const err = slowStream(0, 16);
    const output = new Output(out.stream, err.stream);
    output.add('stdout', 'a line longer than the high-water mark\n');
    let done = false;
    const flushed = output.flush().then(() => (done = true));
    await tick(5);
    expect(done).toBe(false);
    await flushed;
    expect(out.got.join('')).toBe('a line longer than the high-water mark\n');
  });

  it('writes large output in bounded chunks, waiting on each', async () => {
    const out = slowStream(1, 1024);
    const output = new Output(out.stream, slowStream(0, 16).stream);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 5000; i++) output.add('stdout', line); // 500 kB
    await output.end();
    expect(out.got.join('').length).toBe(500_000);
    expect(out.got.length).toBeGreaterThan(5);
    // Never more than about one chunk waiting in the stream.
    expect(Math.max(...out.maxBuffered)).toBeLessThanOrEqual(70 * 1024);
  });

  it('keeps stdout and stderr lines in order on a terminal that shows both', async () => {
    const terminal: string[] = [];
    const out = slowStream(10, 1 << 20, terminal, 'out:');
    const err = slowStream(0, 1 << 20, terminal, 'err:');
    const output = new Output(out.stream, err.stream);
    output.add('stdout', '1\n');
    output.add('stderr', '2\n');
    output.add('stdout', '3\n');
    output.add('stdout', '4\n');
    output.add('stderr', '5\n');
    await output.end();
    expect(terminal).toEqual(['out:1\n', 'err:2\n', 'out:3\n4\n', 'err:5\n']);
  });

  it('stops quietly once the reader has gone (EPIPE)', async () => {
    let writes = 0;
    const out = new Writable({
      write(_chunk, _enc, cb) {
        writes++;
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const output = new Output(out, slowStream(0, 16).stream);
    output.add('stdout', 'one\n');
    await output.flush().catch(() => undefined);
    await tick();
    expect(output.isClosed).toBe(true);
    await expect(output.closed).resolves.toBeUndefined();
    output.add('stdout', 'two\n');
    await expect(output.flush()).rejects.toBeInstanceOf(OutputClosed);
    expect(writes).toBe(1);
  });
});
