/**
 * Turns Docker frames into whole lines, per stream.
 *
 * With `timestamps`, each frame starts with Docker's timestamp and a space. Docker's json-file
 * driver cuts lines longer than 16 KiB into several messages (several frames, each with its own
 * timestamp, only the last ending in '\n'), so a line is kept open across frames of its stream and
 * takes the timestamp of its first piece. Bytes are joined before decoding so a UTF-8 character cut
 * between frames survives; invalid UTF-8 becomes U+FFFD rather than breaking anything.
 */
import { DockerTimestampParser } from './docker-timestamp';
import { Stream } from './log-codes';

export interface AssembledLine {
  ts: number;
  stream: Stream.Stdout | Stream.Stderr;
  message: string;
}

export interface LineAssemblerOptions {
  /** Frames start with Docker's RFC 3339 timestamp and a space (logs API with `timestamps=1`). */
  timestamps: boolean;
  /** Longer lines are stored in pieces of this size so one endless line cannot exhaust memory. */
  maxLineBytes?: number;
  /** Clock for frames without a timestamp. */
  now?: () => number;
}

interface OpenLine {
  ts: number;
  parts: Buffer[];
  bytes: number;
}

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
/** Longest timestamp Docker writes ("2006-01-02T15:04:05.999999999Z07:00" and then some). */
const maxTimestampLength = 40;

export class LineAssembler {
  private readonly open: [OpenLine | null, OpenLine | null] = [null, null];
  private readonly parser = new DockerTimestampParser();
  private readonly maxLineBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly emit: (line: AssembledLine) => void,
    private readonly options: LineAssemblerOptions,
  ) {
    this.maxLineBytes = options.maxLineBytes ?? 4 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** `streamType` as in the frame header: 2 is stderr, anything else stdout. */
  push(streamType: number, payload: Buffer): void {
    const stream = streamType === 2 ? Stream.Stderr : Stream.Stdout;
    let body = payload;
    let ts = NaN;
    if (this.options.timestamps) {
      const space = payload.indexOf(SPACE);
      if (space > 0 && space <= maxTimestampLength) {
        ts = this.parser.parseBytes(payload, space);
        if (!Number.isNaN(ts)) body = payload.subarray(space + 1);
      }
    }
    if (Number.isNaN(ts)) ts = this.now();

    const slot = (stream - 1) as 0 | 1;
    let start = 0;
    let nl: number;
    while ((nl = body.indexOf(NEWLINE, start)) !== -1) {
      const piece = body.subarray(start, nl);
      const open = this.open[slot];
      if (open) {
        this.open[slot] = null;
        open.parts.push(piece);
        this.emitLine(stream, open.ts, Buffer.concat(open.parts, open.bytes + piece.length));
      } else {
        this.emitLine(stream, ts, piece);
      }
      start = nl + 1;
    }
    if (start < body.length) this.keepOpen(slot, stream, ts, body.subarray(start));
  }

  /** End of stream: a last line without a newline is still a line. */
  flush(): void {
    for (const slot of [0, 1] as const) {
      const open = this.open[slot];
      if (!open) continue;
      this.open[slot] = null;
      this.emitLine(slot === 0 ? Stream.Stdout : Stream.Stderr, open.ts, Buffer.concat(open.parts, open.bytes));
    }
  }

  private keepOpen(slot: 0 | 1, stream: Stream.Stdout | Stream.Stderr, ts: number, rest: Buffer): void {
    let open = this.open[slot];
    if (!open) {
      // Copy: `rest` points into a network chunk that we must not pin until the line ends.
      open = { ts, parts: [], bytes: 0 };
      this.open[slot] = open;
    }
    open.parts.push(Buffer.from(rest));
    open.bytes += rest.length;
    // Strictly more: at exactly the limit the cut would fall at the very end, where no UTF-8
    // boundary can be checked and an empty piece would follow.
    while (open.bytes > this.maxLineBytes) {
      const all = Buffer.concat(open.parts, open.bytes);
      const cut = utf8Boundary(all, this.maxLineBytes);
      this.emitLine(stream, open.ts, all.subarray(0, cut), false);
      open.parts = [all.subarray(cut)];
      open.bytes = all.length - cut;
    }
  }

  private emitLine(stream: Stream.Stdout | Stream.Stderr, ts: number, bytes: Buffer, complete = true): void {
    let end = bytes.length;
    if (complete && end > 0 && bytes[end - 1] === CR) end--;
    this.emit({ ts, stream, message: bytes.toString('utf8', 0, end) });
  }
}

/** The largest cut at or below `limit` that does not split a UTF-8 character. */
function utf8Boundary(buf: Buffer, limit: number): number {
  let cut = Math.min(limit, buf.length);
  // Step back over continuation bytes (10xxxxxx), at most 3.
  for (let i = 0; i < 3 && cut > 0 && cut < buf.length && (buf[cut]! & 0xc0) === 0x80; i++) cut--;
  return cut > 0 ? cut : limit;
}
