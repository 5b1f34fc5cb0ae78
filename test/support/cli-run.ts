// `berth <args>` through the CLI's `main()` in this process, its output captured.
import { PassThrough } from 'node:stream';
import { main } from '../../src/main/cli';
import type { CliIo } from '../../src/main/cli/command';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const io: CliIo = { stdout, stderr, env, now: () => Date.now(), onInterrupt: () => () => undefined };
  const code = await main(argv, io);
  // The streams' last chunks are delivered on the next turn.
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}
