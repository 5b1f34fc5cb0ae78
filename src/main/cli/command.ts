/** What every `berth` command is given, and what it is. */
import type { Writable } from 'node:stream';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Calls `listener` on Ctrl-C (SIGINT) or SIGTERM while it is registered; returns the function that unregisters it. */
  onInterrupt(listener: (signal: InterruptSignal) => void): () => void;
  now(): number;
}

export interface Command {
  name: string;
  /** One line for `berth --help`. */
  summary: string;
  /** The exit code, or null while the command keeps the process alive (`serve`). */
  run(argv: readonly string[], io: CliIo): Promise<number | null>;
}

/** The exit code of a process ended by a signal, as shells report it. */
export const signalExitCode: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** The real process: its streams, its environment, its signals. */
export function processIo(): CliIo {
  // A reader that goes away (`berth token | true`) is not worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) stream.on('error', () => undefined);
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => Date.now(),
    onInterrupt(listener) {
      let seen = false;
      const handler = (signal: InterruptSignal) => {
        // A second Ctrl-C while the first is being handled (a stuck terminal): leave now.
        if (seen) process.exit(signalExitCode[signal]);
        seen = true;
        listener(signal);
      };
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/** Writes text to a stream and waits until it has been handed on (so that an exit right after loses nothing). */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}
