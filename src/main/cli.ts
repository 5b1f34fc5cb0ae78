/**
 * The headless entry: `berth serve` runs the same core as the desktop app behind a REST +
 * WebSocket server on 127.0.0.1; `berth token` and `berth login-url` give scripts and browsers a way in.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBerth } from './core/berth';
import { defaultDataDir, ensureDataDir } from './core/data-dir';
import { version } from './core/version';
import { Auth, readOrCreateToken } from './server/auth';
import { BerthHttpServer } from './server/http-server';

export const defaultPort = 7420;

const usage = `Usage: berth <command> [options]

Commands:
  serve        Run Berth headless: the REST API, live logs over WebSocket and the web UI on 127.0.0.1
  token        Print the API token (send it as "Authorization: Bearer <token>")
  login-url    Print a one-time link that signs a browser in (valid 15 minutes)

Options:
  --port <n>        Port to listen on (default ${defaultPort}, or BERTH_PORT; 0 picks a free one)
  --data-dir <dir>  Where Berth keeps its data (default: BERTH_DATA_DIR, else the platform's app-data folder)
  -h, --help        Show this help
  -v, --version     Show the version`;

interface Options {
  command: string | undefined;
  port: number;
  dataDir: string;
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Options {
  let command: string | undefined;
  let port: string | undefined = env.BERTH_PORT;
  let dataDir: string | undefined = env.BERTH_DATA_DIR;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--port') port = value();
    else if (flag === '--data-dir') dataDir = value();
    else if (flag === '-h' || flag === '--help') command = 'help';
    else if (flag === '-v' || flag === '--version') command = 'version';
    else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else if (command === undefined) command = flag;
    else throw new UsageError(`unexpected argument ${flag}`);
  }
  const portNumber = port === undefined ? defaultPort : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) throw new UsageError(`port must be a number from 0 to 65535, not '${port}'`);
  return { command, port: portNumber, dataDir: resolve(dataDir ?? defaultDataDir(env)) };
}

function rendererDir(): string | null {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const dir = resolve(here, '../renderer');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

async function serve(opts: Options): Promise<void> {
  const berth = createBerth({ dataDir: opts.dataDir });
  const auth = new Auth(readOrCreateToken(opts.dataDir));
  const server = new BerthHttpServer({
    berth,
    auth,
    port: opts.port,
    rendererDir: rendererDir(),
    onError: (err) => console.error('berth: unexpected error while answering a request:', err),
  });
  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    await berth.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${opts.port} is already in use (is Berth already running?); choose another with --port`);
    }
    throw err;
  }
  const base = `http://127.0.0.1:${port}`;
  console.log(`Berth ${version} is serving on ${base}`);
  console.log(`Data directory: ${opts.dataDir}`);
  console.log(`Sign in from a browser (link works once, for 15 minutes): ${base}/login?code=${auth.createLoginCode()}`);
  console.log(`Scripts: curl -H "Authorization: Bearer $(berth token --data-dir '${opts.dataDir}')" ${base}/api/v1/jobs`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Berth: ${signal} received, shutting down (running containers keep running)`);
    await server.close();
    await berth.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Runs a command; the exit code, or null while `serve` keeps the process alive. */
export async function main(argv: readonly string[]): Promise<number | null> {
  try {
    const opts = parseArgs(argv);
    switch (opts.command) {
      case 'serve':
        await serve(opts);
        return null;
      case 'token':
        console.log(readOrCreateToken(ensureDataDir(opts.dataDir)));
        return 0;
      case 'login-url': {
        const auth = new Auth(readOrCreateToken(ensureDataDir(opts.dataDir)));
        console.log(`http://127.0.0.1:${opts.port}/login?code=${auth.createLoginCode()}`);
        return 0;
      }
      case 'version':
        console.log(version);
        return 0;
      case 'help':
      case undefined:
        console.log(usage);
        return opts.command ? 0 : 1;
      default:
        throw new UsageError(`unknown command '${opts.command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`berth: ${err.message}\n\n${usage}`);
      return 2;
    }
    console.error(`berth: ${(err as Error).message ?? err}`);
    return 1;
  }
}
