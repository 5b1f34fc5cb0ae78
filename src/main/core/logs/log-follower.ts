/**
 * Follows one container's output through the logs API (not attach): it reads the log file from
 * its first byte whenever we connect, gives Docker's own timestamps and can resume with `since`.
 *
 * dockerd 20.10 can end a follow just before the last entries the container wrote as it exited
 * (typically a final line without '\n'), although they are in the file. So when the follow ends
 * we read the file's tail once more and hand on whatever comes after the last frame we saw.
 */
import type Docker from 'dockerode';
import { FrameDemuxer } from './frame-demuxer';
import { LineAssembler, type AssembledLine } from './line-assembler';

export interface FollowResult {
  /** Lines handed to `onLine`. */
  lines: number;
  /** True when we stopped following on purpose before the container's output ended. */
  aborted: boolean;
}

export interface LogFollower {
  /** Settles when the container's output has ended (it stopped) and every line was handed on. */
  readonly done: Promise<FollowResult>;
  stop(): void;
}

/** Entries re-read from the end of the log when the follow ends; the follow misses only a few. */
const catchUpTail = 1000;

export function followContainerLogs(
  container: Docker.Container,
  onLine: (line: AssembledLine) => void,
  options: { sinceSeconds?: number; maxLineBytes?: number } = {},
): LogFollower {
  const abort = new AbortController();
  let lines = 0;
  const assembler = new LineAssembler(
    (line) => {
      lines++;
      onLine(line);
    },
    { timestamps: true, maxLineBytes: options.maxLineBytes },
  );
  let framesSeen = 0;
  // The last frame whole, timestamp included; holding it pins at most one network chunk.
  // Two variables rather than an object: this runs for every line.
  let lastStream = 0;
  let lastPayload: Buffer | null = null;
  const demuxer = new FrameDemuxer((stream, payload) => {
    framesSeen++;
    lastStream = stream;
    lastPayload = payload;
    assembler.push(stream, payload);
  });

  // Both streams, Docker's timestamps, from `since`; abortable (dockerode's types lack the signal).
  const logsRequest = { stdout: true, stderr: true, timestamps: true, since: options.sinceSeconds ?? 0, abortSignal: abort.signal };

  /** Frames of a one-off (non-follow) read of the log, `tail` entries from its end. */
  const readFrames = async (tail: number | 'all') => {
    const raw = (await container.logs({ ...logsRequest, follow: false, tail } as Docker.ContainerLogsOptions & {
      follow: false;
    })) as unknown as Buffer;
    const frames: { stream: number; payload: Buffer }[] = [];
    const reader = new FrameDemuxer((stream, payload) => frames.push({ stream, payload }));
    reader.push(Buffer.isBuffer(raw) ? raw : Buffer.from(raw as string));
    return frames;
  };

  /** Hands on the frames the follow missed: those after the last one it delivered. */
  const catchUp = async () => {
    const last = lastPayload;
    let missed: { stream: number; payload: Buffer }[];
    if (!last) {
      missed = await readFrames('all');
    } else {
      const tail = await readFrames(catchUpTail);
      let at = -1;
      for (let i = tail.length - 1; i >= 0 && at < 0; i--) {
        if (tail[i]!.stream === lastStream && tail[i]!.payload.equals(last)) at = i;
      }
      // Not in the tail: far more was missed than expected; skip what we have by count instead.
      missed = at >= 0 ? tail.slice(at + 1) : (await readFrames('all')).slice(framesSeen);
    }
    for (const frame of missed) {
      framesSeen++;
      assembler.push(frame.stream, frame.payload);
    }
  };

  const done = (async (): Promise<FollowResult> => {
    const stream = (await container.logs({ ...logsRequest, follow: true } as Docker.ContainerLogsOptions & {
      follow: true;
    })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      let ended = false;
      stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
      stream.on('end', () => {
        ended = true;
        resolve();
      });
      // A close without an end is a dropped connection, not the end of the output.
      stream.on('close', () =>
        ended || abort.signal.aborted ? resolve() : reject(new Error('the log stream was cut off before the container stopped')),
      );
      stream.on('error', (err) => (abort.signal.aborted ? resolve() : reject(err)));
    });
    if (!abort.signal.aborted) await catchUp();
    assembler.flush();
    return { lines, aborted: abort.signal.aborted };
  })().catch((err: unknown) => {
    if (abort.signal.aborted) {
      assembler.flush();
      return { lines, aborted: true };
    }
    throw err;
  });

  return { done, stop: () => abort.abort() };
}
