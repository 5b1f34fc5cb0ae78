/**
 * Follows one container's output into the store until the container stops, surviving breaks.
 *
 *   attach (a job, before its start) ─ the container exits ─▶ done
 *        │ cut off (dockerd restarted, Berth's connection dropped)
 *        ▼
 *   logs API from the stored cursor (follow) ─ the container stops ─▶ catch up ─▶ done
 *        ▲ │ cut off / engine unreachable: wait (backoff), look at the container:
 *        └─┘   running or stopped ─▶ read again from the cursor · removed ─▶ done (gone)
 *
 * Attach gives a job's output at the speed the container writes it, but without Docker's
 * timestamps and only while attached; the logs API re-reads the json-file log from any point
 * (`since`, exact to the nanosecond), so every break resumes there: the writer's cursor skips what
 * is stored, so nothing is lost or stored twice.
 *
 * dockerd 20.10 can end a follow just before the last entries a container wrote; so after a logs
 * follow ends, the log's last 1000 entries are read once more, or, if the stored cursor is older
 * than all of them, everything from the cursor on.
 */
import type Docker from 'dockerode';
import type { LogIngest } from './log-ingest';
import { normalizeTs } from './write/source-parser';

export type FollowEnd =
  /** The container stopped and all its output is stored. */
  | { reason: 'exited' }
  /** The container was removed before (all of) its output could be read. */
  | { reason: 'gone' }
  /** stop() was called. */
  | { reason: 'stopped' };

export type FollowState = 'following' | 'waiting';

export interface ContainerFollowerOptions {
  /** A TTY container's output has no frames. */
  tty?: boolean;
  /** Waits between attempts after a break, in ms; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** Hears whether output is being read now or the follower waits to retry (and why). */
  onState?: (state: FollowState, error: string | null) => void;
  /** A note for the source's log, e.g. that reading resumed after a break. */
  onNote?: (message: string) => void;
}

const catchUpTail = 1000;
const defaultRetryDelays = [250, 500, 1000, 2000, 5000, 10_000];

class CutOff extends Error {}

export class ContainerFollower {
  /** Settles when the container has stopped and its output is stored, or it is gone, or stop() was called. */
  readonly done: Promise<FollowEnd>;
  private readonly abort = new AbortController();
  private attachStream: NodeJS.ReadableStream | null = null;
  private startMode: 'attach' | 'logs' = 'logs';
  private begin!: () => void;
  private readonly begun = new Promise<void>((resolve) => (this.begin = resolve));
  private readonly retryDelays: readonly number[];
  /** The stream being read now. */
  private current: NodeJS.ReadableStream | null = null;

  constructor(
    private readonly ingest: LogIngest,
    private readonly container: Docker.Container,
    private readonly sourceId: number,
    private readonly options: ContainerFollowerOptions = {},
  ) {
    this.retryDelays = options.retryDelaysMs ?? defaultRetryDelays;
    this.done = this.begun.then(() => this.run());
  }

  /** Attaches before the container starts, so every byte it writes is read live. */
  async attach(): Promise<void> {
    await this.ingest.open(this.sourceId, 'attach', () => this.broken());
    this.attachStream = (await this.container.attach({
      stream: true,
      stdout: true,
      stderr: true,
      hijack: true,
      abortSignal: this.abort.signal,
    } as Docker.ContainerAttachOptions)) as NodeJS.ReadableStream;
    this.startMode = 'attach';
    this.begin();
  }

  /** Reads through the logs API from the stored cursor (after a restart, for attached containers). */
  resume(): void {
    this.startMode = 'logs';
    this.begin();
  }

  stop(): void {
    this.abort.abort();
    // A hijacked attach socket does not always follow the abort signal once upgraded.
    this.destroyCurrent(new CutOff('stopped'));
    this.begin();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** The writer restarted and lost our parser: cut the current read; the loop resumes from the cursor. */
  private broken(): void {
    this.destroyCurrent(new CutOff('the log writer restarted'));
  }

  private destroyCurrent(err: Error): void {
    const stream = this.current ?? this.attachStream;
    if (stream && 'destroy' in stream) (stream as NodeJS.ReadableStream & { destroy(err?: Error): void }).destroy(err);
  }

  private async run(): Promise<FollowEnd> {
    let mode = this.startMode;
    let failures = 0;
    for (;;) {
      if (this.stopped) return this.stopping();
      try {
        if (mode === 'attach') {
          await this.pump(this.attachStream!);
          // Attach ends when the container's streams close. If it still runs, we were cut off.
          if (await this.isRunning()) throw new CutOff('the attach stream ended while the container still runs');
          await this.ingest.end(this.sourceId);
          return { reason: 'exited' };
        }
        const { since } = await this.ingest.open(this.sourceId, this.logsMode, () => this.broken());
        this.options.onState?.('following', null);
        const stream = (await this.container.logs({
          follow: true,
          stdout: true,
          stderr: true,
          timestamps: true,
          since: since ?? 0,
          abortSignal: this.abort.signal,
        } as Docker.ContainerLogsOptions & { follow: true })) as NodeJS.ReadableStream;
        await this.pump(stream);
        failures = 0;
        await this.catchUp();
        // A restart policy may have started it again already: keep following.
        if (await this.isRunning()) continue;
        return { reason: 'exited' };
      } catch (err) {
        if (this.stopped) return this.stopping();
        this.ingest.drop(this.sourceId);
        mode = 'logs';
        const why = describe(err);
        this.options.onState?.('waiting', why);
        await this.sleep(this.retryDelays[Math.min(failures, this.retryDelays.length - 1)]!);
        failures++;
        if (this.stopped) return this.stopping();
        try {
          await this.container.inspect({ abortSignal: AbortSignal.timeout(10_000) } as object);
        } catch (inspectErr) {
          if ((inspectErr as { statusCode?: number }).statusCode === 404) {
            await this.ingest.end(this.sourceId).catch(() => undefined);
            return { reason: 'gone' };
          }
          // The engine does not answer (restarting, host down): try again later.
          continue;
        }
        this.options.onNote?.(`Reading the container's output again after a break (${why})`);
      }
    }
  }

  private get logsMode(): 'logs' | 'tty-logs' {
    return this.options.tty ? 'tty-logs' : 'logs';
  }

  private async stopping(): Promise<FollowEnd> {
    this.attachStream?.removeAllListeners('data');
    // What was read is stored; an unfinished line is read again next time.
    this.ingest.drop(this.sourceId);
    return { reason: 'stopped' };
  }

  /** Feeds a stream to the writer, pausing it while the writer is behind; resolves at its end. */
  private pump(stream: NodeJS.ReadableStream): Promise<void> {
    this.current = stream;
    return new Promise<void>((resolve, reject) => {
      let ended = false;
      stream.on('data', (chunk: Buffer) => {
        if (this.ingest.write(this.sourceId, chunk)) return;
        stream.pause();
        this.ingest.onDrain(this.sourceId, () => stream.resume());
      });
      stream.on('end', () => {
        ended = true;
        resolve();
      });
      // A close without an end is a dropped connection, not the end of the output.
      stream.on('close', () => (ended ? resolve() : reject(new CutOff('the log stream was cut off'))));
      stream.on('error', (err: Error) => reject(err));
    }).finally(() => {
      this.current = null;
    });
  }

  /** After a logs follow ended: whatever the follow missed at the end of the log. */
  private async catchUp(): Promise<void> {
    // A fresh parser from the stored cursor: an unfinished line is read again whole.
    const { since } = await this.ingest.open(this.sourceId, this.logsMode, () => this.broken());
    const request = { follow: false, stdout: true, stderr: true, timestamps: true, abortSignal: this.abort.signal };
    const tail = (await this.container.logs({ ...request, tail: catchUpTail } as Docker.ContainerLogsOptions & { follow: false })) as unknown as Buffer;
    const first = firstTimestamp(Buffer.isBuffer(tail) ? tail : Buffer.from(tail as string), this.options.tty ?? false);
    const covered = since !== null && (first === null || first <= sinceToTs(since));
    if (covered) {
      if (tail.length > 0) this.ingest.write(this.sourceId, tail);
    } else {
      const all = (await this.container.logs({ ...request, since: since ?? 0 } as Docker.ContainerLogsOptions & { follow: false })) as unknown as Buffer;
      if (all.length > 0) this.ingest.write(this.sourceId, Buffer.isBuffer(all) ? all : Buffer.from(all as string));
    }
    await this.ingest.end(this.sourceId);
  }

  private async isRunning(): Promise<boolean> {
    const info = await this.container.inspect({ abortSignal: AbortSignal.timeout(10_000) } as object);
    return Boolean(info.State?.Running || info.State?.Restarting);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Docker's timestamp of the first entry in a logs-API answer, normalized; null if it is empty. */
export function firstTimestamp(data: Buffer, tty: boolean): string | null {
  let start = 0;
  if (!tty) {
    if (data.length < 8) return null;
    start = 8;
  }
  const space = data.indexOf(32, start);
  if (space < 0 || space - start > 40) return null;
  return normalizeTs(data.toString('latin1', start, space));
}

/** `1795428000.123456789` → `2026-11-23T10:00:00.123456789Z` (the inverse of toDockerSince). */
export function sinceToTs(since: string): string {
  const [seconds, nanos = '0'] = since.split('.');
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${iso}.${nanos.padEnd(9, '0')}Z`;
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; statusCode?: number };
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOENT') return 'the Docker engine does not answer';
  return e?.message ?? String(err);
}
