/**
 * `berth serve`: the same core as the desktop app behind a REST + WebSocket server on 127.0.0.1,
 * with the web UI. The core is loaded only here, so client commands start fast.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandArgs } from './args';
import { writeOut, type Command } from './command';
import { connectionOptions, dataDirOption, defaultPort, portOption } from './endpoint';

export const serveUsage = `Usage: berth serve [options]

Run Berth headless: the REST API, live logs over WebSocket and the web UI on 127.0.0.1.
It prints a link that signs a browser in.

Options:
  --port <n>          Port to listen on (default: BERTH_PORT, else ${defaultPort}; 0 picks a free one)
  --data-dir <dir>    Where Berth keeps its data (default: BERTH_DATA_DIR, else the platform's app-data folder)
  -h, --help          Show this help`;

function rendererDir(): string | null {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const dir = resolve(here, '../renderer');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run Berth headless: the REST API, live logs over WebSocket and the web UI on 127.0.0.1',
  async run(argv, io) {
    const parsed = parseCommandArgs(argv, connectionOptions, serveUsage);
    if (parsed === 'help') {
      await writeOut(io.stdout, `${serveUsage}\n`);
      return 0;
    }
    const port = portOption(parsed, io.env, true);
    const dataDir = dataDirOption(parsed, io.env);
    // Loaded here: the core (SQLite, dockerode, workers) is what only `serve` needs.
    const { runServer } = await import('./server-main');
    await runServer({ port, dataDir, rendererDir: rendererDir() });
    return null;
  },
};
