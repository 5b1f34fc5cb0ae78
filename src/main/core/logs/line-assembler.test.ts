import { describe, expect, it } from 'vitest';
import { seededPrng } from '../../../../test/support/prng';
import { LineAssembler, type AssembledLine, type LineAssemblerOptions } from './line-assembler';
import { Stream } from './log-codes';

const STDOUT = 1;
const STDERR = 2;

/** A frame as the logs API sends it with `timestamps=1`: RFC 3339 time, a space, the bytes. */
function stamped(iso: string, body: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${iso} `), typeof body === 'string' ? Buffer.from(body) : body]);
}

function assembler(options: Partial<LineAssemblerOptions> = {}): { lines: AssembledLine[]; asm: LineAssembler } {
  const lines: AssembledLine[] = [];
  const asm = new LineAssembler((l) => lines.push(l), { timestamps: true, ...options });
  return { lines, asm };
}

const t0 = '2026-03-04T05:06:07.123456789Z';
const t0ms = Date.UTC(2026, 2, 4, 5, 6, 7, 123);
const t1 = '2026-03-04T05:06:08.5Z';
const t2 = '2026-03-04T05:06:09Z';

describe('LineAssembler', () => {
  it('parses and strips the timestamp of each frame', () => {
    const { lines, asm } = assembler();
    asm.push(STDOUT, stamped(t0, 'hello world\n'));
    asm.push(STDERR, stamped(t1, 'second\n'));
    expect(lines).toEqual([
      { ts: t0ms, stream: Stream.Stdout, message: 'hello world' },
      { ts: Date.parse(t1), stream: Stream.Stderr, message: 'second' },
    ]);
  });

  it('splits a frame holding several lines, all with that frame’s time', () => {
    const { lines, asm } = assembler();
    asm.push(STDOUT, stamped(t0, 'a\n\nb\n'));
    expect(lines.map((l) => [l.message, l.ts])).toEqual([
      ['a', t0ms],
      ['', t0ms],
      ['b', t0ms],
    ]);
  });

  it('treats stream type 0 as stdout', () => {
    const { lines, asm } = assembler();
    asm.push(0, stamped(t0, 'x\n'));
    expect(lines[0]?.stream).toBe(Stream.Stdout);
  });

  it('uses the clock, and keeps the text, when a frame has no valid timestamp', () => {
    const { lines, asm } = assembler({ now: () => 42 });
    asm.push(STDOUT, Buffer.from('not-a-time and more\n'));
    asm.push(STDOUT, Buffer.from('nospace\n'));
    expect(lines).toEqual([
      { ts: 42, stream: Stream.Stdout, message: 'not-a-time and more' },
      { ts: 42, stream: Stream.Stdout, message: 'nospace' },
    ]);
  });

  it('does not look for timestamps when told there are none', () => {
    const { lines, asm } = assembler({ timestamps: false, now: () => 7 });
    asm.push(STDOUT, Buffer.from(`${t0} kept\n`));
    expect(lines).toEqual([{ ts: 7, stream: Stream.Stdout, message: `${t0} kept` }]);
  });

  it('joins a long line Docker split into several frames, with the first piece’s timestamp', () => {
    // json-file cuts at 16 KiB: every piece is its own message with its own time; only the last ends in \n.
    const piece = 16 * 1024;
    const text = Array.from({ length: 40_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const times = [t0, t1, t2];
    const { lines, asm } = assembler();
    for (let off = 0, n = 0; off < text.length; off += piece, n++) {
      const last = off + piece >= text.length;
      asm.push(STDOUT, stamped(times[n]!, text.slice(off, off + piece) + (last ? '\n' : '')));
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]!.ts).toBe(t0ms);
    expect(lines[0]!.message).toBe(text);
  });

  it('keeps a multi-byte UTF-8 character that is cut between frames', () => {
    const text = 'x€ü😀y';
    const bytes = Buffer.from(text);
    // Every cut point, including those inside a character.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { lines, asm } = assembler();
      asm.push(STDOUT, stamped(t0, bytes.subarray(0, cut)));
      asm.push(STDOUT, stamped(t1, Buffer.concat([bytes.subarray(cut), Buffer.from('\n')])));
      expect(lines.map((l) => l.message), `cut at ${cut}`).toEqual([text]);
    }
  });

  it('turns invalid UTF-8 into U+FFFD without throwing, and goes on', () => {
    const { lines, asm } = assembler();
    asm.push(STDOUT, stamped(t0, Buffer.from([0xff, 0xfe, 0x20, 0x62, 0x61, 0x64, 0x0a])));
    asm.push(STDOUT, stamped(t0, Buffer.from([0x6f, 0x6b, 0xe2, 0x82, 0x0a]))); // truncated '€'
    asm.push(STDOUT, stamped(t0, Buffer.from([0x80, 0x0a]))); // lone continuation byte
    asm.push(STDOUT, stamped(t0, 'fine\n'));
    expect(lines.map((l) => l.message)).toEqual(['\uFFFD\uFFFD bad', 'ok\uFFFD', '\uFFFD', 'fine']);
  });

  it('strips one trailing carriage return and keeps others', () => {
    const { lines, asm } = assembler();
    asm.push(STDOUT, stamped(t0, 'dos\r\nmid\rdle\r\n'));
    asm.push(STDOUT, stamped(t0, 'two\r\r\n'));
    expect(lines.map((l) => l.message)).toEqual(['dos', 'mid\rdle', 'two\r']);
  });

  it('emits a last line without a newline on flush, once', () => {
    const { lines, asm } = assembler();
    asm.push(STDOUT, stamped(t0, 'whole\npart'));
    asm.push(STDERR, stamped(t1, 'err tail\r'));
    expect(lines.map((l) => l.message)).toEqual(['whole']);
    asm.flush();
    expect(lines).toEqual([
      { ts: t0ms, stream: Stream.Stdout, message: 'whole' },
      { ts: t0ms, stream: Stream.Stdout, message: 'part' },
      { ts: Date.parse(t1), stream: Stream.Stderr, message: 'err tail' },
    ]);
    asm.flush();
    expect(lines).toHaveLength(3);
  });

  it('keeps the open lines of stdout and stderr apart', () => {
    const { lines, asm } = assembler();
    asm.push(STDOUT, stamped(t0, 'out-1 '));
    asm.push(STDERR, stamped(t1, 'err-1 '));
    asm.push(STDERR, stamped(t2, 'err-2\nerr-whole\n'));
    asm.push(STDOUT, stamped(t2, 'out-2\n'));
    expect(lines).toEqual([
      { ts: Date.parse(t1), stream: Stream.Stderr, message: 'err-1 err-2' },
      { ts: Date.parse(t2), stream: Stream.Stderr, message: 'err-whole' },
      { ts: t0ms, stream: Stream.Stdout, message: 'out-1 out-2' },
    ]);
  });

  describe('maxLineBytes', () => {
    const alphabet = ['a', 'b', 'é', '€', '😀', ' '];

    /** An endless line fed in random frames; returns the pieces emitted. */
    function feedEndless(seed: number, maxLineBytes: number, totalChars: number, finish: 'newline' | 'flush') {
      const rng = seededPrng(seed);
      let text = '';
      while (text.length < totalChars) text += rng.pick(alphabet);
      const bytes = Buffer.from(text);
      const { lines, asm } = assembler({ maxLineBytes });
      for (let off = 0; off < bytes.length; ) {
        const size = rng.int(1, maxLineBytes * 2);
        asm.push(STDOUT, stamped(t0, bytes.subarray(off, off + size)));
        off += size;
      }
      if (finish === 'newline') asm.push(STDOUT, stamped(t1, '\n'));
      else asm.flush();
      return { text, lines };
    }

    it('cuts an endless line into pieces that lose no bytes and split no character', () => {
      for (let seed = 1; seed <= 50; seed++) {
        for (const finish of ['newline', 'flush'] as const) {
          const maxLineBytes = 16 + (seed % 7);
          const { text, lines } = feedEndless(seed, maxLineBytes, 500, finish);
          const why = `seed ${seed}, ${finish}`;
          expect(lines.length, why).toBeGreaterThan(1);
          expect(lines.map((l) => l.message).join(''), why).toBe(text);
          for (const l of lines) {
            expect(l.message, why).not.toContain('\uFFFD');
            expect(Buffer.byteLength(l.message), why).toBeLessThanOrEqual(maxLineBytes);
            expect(l.ts, why).toBe(t0ms);
          }
        }
      }
    });

    it('emits no empty piece when the line is an exact multiple of the limit', () => {
      const { lines, asm } = assembler({ maxLineBytes: 8 });
      asm.push(STDOUT, stamped(t0, 'abcdefgh'));
      asm.push(STDOUT, stamped(t0, 'ijklmnop'));
      asm.push(STDOUT, stamped(t1, '\nnext\n'));
      expect(lines.map((l) => l.message)).toEqual(['abcdefgh', 'ijklmnop', 'next']);
    });

    it('leaves lines that fit alone', () => {
      const { lines, asm } = assembler({ maxLineBytes: 8 });
      asm.push(STDOUT, stamped(t0, '1234567'));
      asm.push(STDOUT, stamped(t0, '\n'));
      expect(lines.map((l) => l.message)).toEqual(['1234567']);
    });
  });
});
