/**
 * Turns one container's output, as Docker sends it, into units (lines, or pieces of over-long
 * lines) and keeps the cursor that lets a later read resume exactly after the last stored unit.
 *
 *   attach    multiplexed frames without timestamps (a job's live output, attached before start);
 *             a unit's time is when it arrived.
 *   logs      the logs API with timestamps=1: one frame per json-file entry, each starting with
 *             Docker's RFC 3339 nanosecond timestamp; lines longer than 16 KiB come as several
 *             entries, only the last ending in '\n'.
 *   tty-logs  the same for a TTY container: no frames, each entry's text starts with its timestamp.
 *
 * The cursor, per stream: `units` counted the same way whatever the mode (so a read of the logs
 * API from the start can skip exactly what attach delivered), and, once entries came through the
 * logs API, the timestamp of the last entry that went into a unit and how many entries carried
 * exactly that timestamp (`since` in Docker is inclusive, and two entries can share a timestamp).
 */
import { FrameDemuxer } from '../frame-demuxer';
import { DockerTimestampParser } from '../docker-timestamp';
import { LineAssembler, type AssembledLine } from '../line-assembler';
import { Stream } from '../log-codes';

export type ParseMode = 'attach' | 'logs' | 'tty-logs';

export interface StreamCursor {
  /** Units stored from this stream. */
  units: number;
  /** Docker's timestamp of the last entry consumed into a unit, with 9 fraction digits; null if none came through the logs API. */
  ts: string | null;
  /** Entries with exactly `ts` consumed so far. */
  atTs: number;
}

export interface SourceCursor {
  out: StreamCursor;
  err: StreamCursor;
}

export const emptyCursor = (): SourceCursor => ({
  out: { units: 0, ts: null, atTs: 0 },
  err: { units: 0, ts: null, atTs: 0 },
});

export interface ParsedUnit {
  ts: number;
  stream: Stream.Stdout | Stream.Stderr;
  message: string;
}

export interface SourceParserOptions {
  maxLineBytes?: number;
  now?: () => number;
}

/**
 * How far apart in time Docker can write entries of stdout and stderr out of order (two copier
 * goroutines stamp them, one writer appends them). A stream that has given nothing yet is
 * assumed complete up to this much before the other stream's cursor.
 */
export const crossStreamSlackMs = 2000;

/**
 * The `since` to ask the logs API for when resuming from `cursor`: null to read from the start
 * (a stream stored units whose place in Docker's log is only known by counting), else Docker's
 * `seconds.nanoseconds` form of the earliest stream cursor.
 */
export function resumeSince(cursor: SourceCursor): string | null {
  const streams = [cursor.out, cursor.err];
  if (streams.some((s) => s.ts === null && s.units > 0)) return null;
  const known = streams.map((s) => s.ts).filter((ts): ts is string => ts !== null);
  if (known.length === 0) return null;
  const newest = known.reduce((a, b) => (a > b ? a : b));
  const floors = streams.map((s) => s.ts ?? shiftTs(newest, -crossStreamSlackMs));
  return toDockerSince(floors.reduce((a, b) => (a < b ? a : b)));
}

interface StreamState {
  cursor: StreamCursor;
  /** Count mode: units delivered before (by attach) to drop again. */
  skipUnits: number;
  /** Timestamp mode: entries up to this timestamp (and the first `skipAtTs` at it) were consumed before. */
  skipUntil: string | null;
  skipAtTs: number;
  /** The last entry seen on this stream: its timestamp and how many entries in a row carried it. */
  frameTs: string | null;
  frameRun: number;
}

const SPACE = 32;
const NEWLINE = 10;
/** Longest timestamp Docker writes, and then some. */
const maxTimestampLength = 40;

export class SourceParser {
  private readonly demuxer: FrameDemuxer | null;
  private readonly assembler: LineAssembler;
  private readonly timestamps = new DockerTimestampParser();
  private readonly streams: [StreamState, StreamState];
  /** Time of the entry being assembled, for the assembler's clock in the timestamped modes. */
  private frameMs = 0;
  /** tty-logs: bytes of an entry whose newline has not arrived. */
  private ttyRest: Buffer | null = null;

  constructor(
    readonly mode: ParseMode,
    cursor: SourceCursor,
    private readonly onUnit: (unit: ParsedUnit) => void,
    options: SourceParserOptions = {},
  ) {
    const now = options.now ?? Date.now;
    const state = (c: StreamCursor): StreamState => ({
      cursor: { ...c },
      // Attach starts a container's output from its first byte; nothing to skip.
      skipUnits: mode !== 'attach' && c.ts === null ? c.units : 0,
      skipUntil: mode !== 'attach' ? c.ts : null,
      skipAtTs: c.atTs,
      frameTs: null,
      frameRun: 0,
    });
    this.streams = [state(cursor.out), state(cursor.err)];
    // A stream that gave nothing yet: what the other stream's cursor proves about it.
    if (mode !== 'attach') {
      const known = this.streams.map((s) => s.cursor.ts).filter((ts): ts is string => ts !== null);
      if (known.length > 0) {
        const floor = shiftTs(known.reduce((a, b) => (a > b ? a : b)), -crossStreamSlackMs);
        for (const s of this.streams) {
          if (s.cursor.ts === null && s.cursor.units === 0) s.skipUntil = floor;
        }
        // ...but only entries strictly before the floor are known to be absent.
        for (const s of this.streams) if (s.cursor.ts === null && s.cursor.units === 0) s.skipAtTs = 0;
      }
    }
    this.assembler = new LineAssembler((line) => this.emit(line), {
      timestamps: false,
      maxLineBytes: options.maxLineBytes,
      now: mode === 'attach' ? now : () => this.frameMs,
    });
    this.demuxer = mode === 'tty-logs' ? null : new FrameDemuxer((stream, payload) => this.frame(stream, payload));
  }

  /** The cursor after the units emitted so far. */
  get cursor(): SourceCursor {
    return { out: { ...this.streams[0].cursor }, err: { ...this.streams[1].cursor } };
  }

  push(chunk: Buffer): void {
    if (this.demuxer) {
      this.demuxer.push(chunk);
      return;
    }
    // tty-logs: one entry per line of text, each starting with its timestamp.
    let data = chunk;
    if (this.ttyRest) {
      data = Buffer.concat([this.ttyRest, chunk]);
      this.ttyRest = null;
    }
    let start = 0;
    let nl: number;
    while ((nl = data.indexOf(NEWLINE, start)) !== -1) {
      this.frame(1, data.subarray(start, nl + 1));
      start = nl + 1;
    }
    // Copied: `data` may be a network chunk we must not pin.
    if (start < data.length) this.ttyRest = Buffer.from(data.subarray(start));
  }

  /** The output ended: a last line without a newline is still a unit. */
  end(): void {
    if (this.ttyRest) {
      const rest = this.ttyRest;
      this.ttyRest = null;
      this.frame(1, rest);
    }
    this.assembler.flush();
  }

  private frame(streamType: number, payload: Buffer): void {
    const slot = streamType === 2 ? 1 : 0;
    const state = this.streams[slot];
    let body = payload;
    if (this.mode !== 'attach') {
      const space = payload.indexOf(SPACE);
      if (space <= 0 || space > maxTimestampLength) {
        // Not timestamped after all (should not happen): keep the text, stamp it now.
        this.frameMs = Date.now();
      } else {
        const ts = normalizeTs(payload.toString('latin1', 0, space));
        this.frameMs = this.timestamps.parseBytes(payload, space);
        if (Number.isNaN(this.frameMs)) this.frameMs = Date.now();
        body = payload.subarray(space + 1);
        if (ts === state.frameTs) state.frameRun++;
        else {
          state.frameTs = ts;
          state.frameRun = 1;
        }
        if (state.skipUntil !== null) {
          if (ts < state.skipUntil || (ts === state.skipUntil && state.frameRun <= state.skipAtTs)) return;
          state.skipUntil = null;
        }
      }
    }
    this.assembler.push(streamType, body);
  }

  private emit(line: AssembledLine): void {
    const state = this.streams[line.stream === Stream.Stderr ? 1 : 0];
    const cursor = state.cursor;
    if (state.frameTs !== null) {
      cursor.ts = state.frameTs;
      cursor.atTs = state.frameRun;
    }
    if (state.skipUnits > 0) {
      // Delivered before through attach: already stored and counted.
      state.skipUnits--;
      return;
    }
    cursor.units++;
    this.onUnit(line);
  }
}

/** Docker's RFC 3339 time with the fraction padded to 9 digits, so that text order is time order. */
export function normalizeTs(ts: string): string {
  if (ts.length === 30 && ts.charCodeAt(19) === 46 && ts.charCodeAt(29) === 90) return ts;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) {
    // Not UTC with a Z (Docker always writes one): fall back to the millisecond value.
    const ms = Date.parse(ts);
    return Number.isNaN(ms) ? ts : new Date(ms).toISOString().replace('Z', '000000Z');
  }
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}

/** `2026-11-23T10:00:00.123456789Z` → `1795428000.123456789`, the form Docker's `since` takes. */
export function toDockerSince(ts: string): string {
  const seconds = Math.floor(Date.parse(`${ts.slice(0, 19)}Z`) / 1000);
  return `${seconds}.${ts.slice(20, 29)}`;
}

/** A normalized timestamp moved by whole milliseconds (nanosecond digits kept). */
export function shiftTs(ts: string, ms: number): string {
  const base = Date.parse(`${ts.slice(0, 23)}Z`) + ms;
  const iso = new Date(base).toISOString(); // 2026-11-23T10:00:00.123Z
  return `${iso.slice(0, 23)}${ts.slice(23, 29)}Z`;
}
