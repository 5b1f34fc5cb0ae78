/** What `berth serve` runs once its options are checked: the core and the HTTP server, until a signal. */
import { createBerth } from '../core/berth';
import { version } from '../core/version';
import { Auth, readOrCreateToken } from '../server/auth';
import { BerthHttpServer } from '../server/http-server';
import { UsageError } from './args';
import { serveUsage } from './serve';

export async function runServer(opts: { port: number; dataDir: string; rendererDir: string | null }): Promise<void> {
  const berth = createBerth({ dataDir: opts.dataDir });
  const auth = new Auth(readOrCreateToken(opts.dataDir));
  const server = new BerthHttpServer({
    berth,
    auth,
    port: opts.port,
    rendererDir: opts.rendererDir,
    onError: (err) => console.error('berth: unexpected error while answering a request:', err),
  });
  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    await berth.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${opts.port} is already in use (is Berth already running?); choose another with --port`, serveUsage);
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
