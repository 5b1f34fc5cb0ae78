/**
 * Writing a command's output to stdout and stderr fast and in order:
 * - text is gathered into chunks and written once per page or batch, not once per line;
 * - a `write()` that returns false is waited on ('drain'), so a slow reader slows us down
 *   instead of filling memory;
 * - a line for the other stream waits until the first stream has taken what it was given, so
 *   on a terminal that shows both, lines stay in order;
 * - a reader that goes away (`berth logs 7 | head`: EPIPE) ends the command quietly.
 */
import type { Writable } from 'node:stream';

export type Target = 'stdout' | 'stderr';

/** Thrown by `flush()` once a stream has been closed by its reader: stop, quietly. */
export class OutputClosed extends Error {
  constructor() {
    super('the output was closed');
    this.name = 'OutputClosed';
  }
}

/** Gathered text is written in chunks of about this size. */
const chunkChars = 64 * 1024;

interface StreamState {
  stream: Writable;
  /** Settles when everything written so far has been handed to the system. */
  written: Promise<void>;
}

export class Output {
  private readonly streams: Record<Target, StreamState>;
  /** Chunks in order: text for one stream, then maybe the other. */
  private queue: { target: Target; text: string }[] = [];
  private current: { target: Target; text: string } | null = null;
  private closedError: unknown = null;
  private onClosed!: () => void;
  /** Settles when a stream is closed by its reader. */
  readonly closed: Promise<void>;
  /** The stream we last wrote to. */
  private last: Target | null = null;

  constructor(stdout: Writable, stderr: Writable) {
    this.streams = {
      stdout: { stream: stdout, written: Promise.resolve() },
      stderr: { stream: stderr, written: Promise.resolve() },
    };
    this.closed = new Promise((resolve) => {
      this.onClosed = resolve;
    });
    for (const { stream } of Object.values(this.streams)) {
      // Kept for good: a late EPIPE after the command ended must not crash the process either.
      stream.on('error', (err: NodeJS.ErrnoException) => this.onStreamError(err));
    }
  }

  get isClosed(): boolean {
    return this.closedError !== null;
  }

  /** Adds text for a stream; `flush()` writes it, in chunks of about 64 KiB. */
  add(target: Target, text: string): void {
    if (this.current && this.current.target === target) {
      this.current.text += text;
      if (this.current.text.length >= chunkChars) this.cut();
      return;
    }
    this.cut();
    this.current = { target, text };
  }

  /** Writes everything added so far, waiting while a stream is full. Throws OutputClosed. */
  async flush(): Promise<void> {
    this.cut();
    while (this.queue.length > 0) {
      if (this.closedError) throw new OutputClosed();
      const { target, text } = this.queue.shift()!;
      await this.write(target, text);
    }
    if (this.closedError) throw new OutputClosed();
  }

  /** Flushes, then waits until both streams have handed everything to the system. */
  async end(): Promise<void> {
    await this.flush();
    await this.racingClose(Promise.all([this.streams.stdout.written, this.streams.stderr.written]).then(() => undefined));
    if (this.closedError) throw new OutputClosed();
  }

  private cut(): void {
    if (this.current) this.queue.push(this.current);
    this.current = null;
  }

  private async write(target: Target, text: string): Promise<void> {
    const state = this.streams[target];
    // Switching streams: let the other one take what it has first, so a terminal shows them in order.
    if (this.last !== null && this.last !== target && this.streams[this.last].stream.writableLength > 0) {
      await this.racingClose(this.streams[this.last].written);
    }
    this.last = target;
    if (this.closedError) return;
    const { stream } = state;
    if (stream.destroyed || stream.writableEnded) {
      this.onStreamError(Object.assign(new Error('stream closed'), { code: 'ERR_STREAM_DESTROYED' }));
      return;
    }
    let ok = true;
    state.written = new Promise<void>((resolve) => {
      ok = stream.write(text, (err) => {
        if (err) this.onStreamError(err as NodeJS.ErrnoException);
        resolve();
      });
    });
    if (!ok) await this.racingClose(drained(stream));
  }

  private racingClose(p: Promise<void>): Promise<void> {
    return Promise.race([p, this.closed]);
  }

  private onStreamError(err: NodeJS.ErrnoException): void {
    if (this.closedError) return;
    // EPIPE (the reader left) is the usual one; any other write error is just as final, and a
    // stack trace would not help whoever closed the pipe either.
    this.closedError = err;
    this.queue = [];
    this.current = null;
    this.onClosed();
  }
}

/** Settles at the stream's next 'drain', or when it closes or fails. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
