/**
 * Follows one container's output through the logs API (not attach): it reads the log file from
 * its first byte whenever we connect, gives Docker's own timestamps and can resume with `since`.
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
  const demuxer = new FrameDemuxer((stream, payload) => assembler.push(stream, payload));

  const done = (async (): Promise<FollowResult> => {
    const stream = (await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      since: options.sinceSeconds ?? 0,
      abortSignal: abort.signal,
    } as Docker.ContainerLogsOptions & { follow: true })) as NodeJS.ReadableStream;
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
