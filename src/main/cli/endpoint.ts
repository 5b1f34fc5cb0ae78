/**
 * Where the running Berth is and how to get in: the port (`--port`, else `BERTH_PORT`, else 7420),
 * the data directory (`--data-dir`, else `BERTH_DATA_DIR`, else the platform's folder) and the
 * API token kept there. Client commands never create a token: none means Berth never ran there.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultDataDir } from '../core/data-dir';
import { tokenFile } from '../server/auth';
import type { OptionSpec, ParsedArgs } from './args';
import { UsageError, valueOf } from './args';

export const defaultPort = 7420;

/** The options every command that talks to Berth or its data directory takes. */
export const connectionOptions: readonly OptionSpec[] = [
  { name: 'port', takesValue: true },
  { name: 'data-dir', takesValue: true },
];

export const connectionHelp = `  --port <n>          Berth's port on 127.0.0.1 (default: BERTH_PORT, else ${defaultPort})
  --data-dir <dir>    Berth's data directory, where the API token is (default: BERTH_DATA_DIR, else the platform's app-data folder)`;

/** A clean failure: the message is printed as `berth: <message>` and the command exits 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The port from `--port`, else `BERTH_PORT`, else the default. `allowZero` for `serve`, where 0
 * means "any free port"; a client needs a real one.
 */
export function portOption(parsed: ParsedArgs, env: NodeJS.ProcessEnv, allowZero = false): number {
  const fromFlag = valueOf(parsed, 'port');
  const text = fromFlag ?? (env.BERTH_PORT || undefined);
  if (text === undefined) return defaultPort;
  const port = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  const min = allowZero ? 0 : 1;
  if (!Number.isInteger(port) || port < min || port > 65535) {
    const from = fromFlag !== undefined ? '--port' : 'BERTH_PORT';
    throw new UsageError(`${from} must be a number from ${min} to 65535, not '${text}'`);
  }
  return port;
}

export function dataDirOption(parsed: ParsedArgs, env: NodeJS.ProcessEnv): string {
  return resolve(valueOf(parsed, 'data-dir') ?? (env.BERTH_DATA_DIR || defaultDataDir(env)));
}

export interface Endpoint {
  port: number;
  token: string;
  /** `127.0.0.1:<port>`, for messages. */
  address: string;
}

/** Reads the API token the running Berth wrote into its data directory. */
export function readToken(dataDir: string): string {
  const file = join(dataDir, tokenFile);
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new CliError(
        `no API token in ${dataDir}: Berth has never run with this data directory (start it with \`berth serve\`, or name Berth's directory with --data-dir or BERTH_DATA_DIR)`,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`cannot read the API token ${file}: permission denied (run as the user who runs Berth)`);
    throw new CliError(`cannot read the API token ${file}: ${(err as Error).message}`);
  }
  if (token.length < 32) throw new CliError(`the API token in ${file} is not valid; restart Berth to write a new one`);
  return token;
}

export function resolveEndpoint(parsed: ParsedArgs, env: NodeJS.ProcessEnv): Endpoint {
  const port = portOption(parsed, env);
  const token = readToken(dataDirOption(parsed, env));
  return { port, token, address: `127.0.0.1:${port}` };
}

export function notRunningMessage(address: string): string {
  return `Berth is not running on ${address} (start it with \`berth serve\`)`;
}

export function badTokenMessage(address: string): string {
  return `the Berth on ${address} did not accept the API token: it runs with another data directory (name it with --data-dir or BERTH_DATA_DIR), or its token was replaced`;
}
