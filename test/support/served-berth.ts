// The built `berth serve` as a user runs it, in its own process: for tests that kill it (-9),
// restart it on the same data directory, or measure its memory. Requests go through its REST API
// with the token, like a script's.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RequestInput, RequestName, RequestOutput } from '../../src/shared/contract';
import { buildHttpRequest } from '../../src/renderer/src/client/http-request';
import { testEnv } from './test-env';

const root = resolve(__dirname, '../..');

export interface ServedBerth {
  process: ChildProcess;
  port: number;
  baseUrl: string;
  token: string;
  /** A contract request over REST; throws with the server's message on an error status. */
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  /** GET with the token, for routes that are not JSON (exports). */
  get(path: string): Promise<Response>;
  /** Resident memory of the server process, from /proc. */
  rssBytes(): number;
  /** What the server wrote to stderr (its last 20 kB). */
  stderr(): string;
  /** SIGKILL: no shutdown at all, as after a crash. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts the built CLI's `serve` on a free port with `dataDir`; resolves once it listens. */
export function serveBerth(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServedBerth> {
  const cli = join(root, 'bin/berth.mjs');
  if (!existsSync(join(root, 'out/main/cli.js'))) throw new Error('Berth is not built: run `npm run build` (npm test does it first)');
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, DOCKER_HOST: testEnv().docker!.host, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`berth serve did not start:\n${out}\n${err}`)), 30_000);
    child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-20_000)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[1]);
      const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
      resolvePromise(served(child, port, token, () => err));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`berth serve exited with ${code}:\n${out}\n${err}`));
    });
  });
}

function served(child: ChildProcess, port: number, token: string, stderr: () => string): ServedBerth {
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    process: child,
    port,
    baseUrl,
    token,
    async call(name, input) {
      const req = buildHttpRequest(name, input);
      const res = await fetch(baseUrl + req.url, { method: req.method, headers: { ...req.headers, authorization: `Bearer ${token}` }, body: req.body }).catch(
        (err: Error) => {
          throw new Error(`${name} failed: ${err.message} (${String((err as { cause?: unknown }).cause)}); server stderr: ${stderr().slice(-2000)}`);
        },
      );
      const text = await res.text();
      if (!res.ok) throw new Error(`${name} → ${res.status}: ${text.slice(0, 500)}`);
      return JSON.parse(text);
    },
    get: (path) => fetch(baseUrl + path, { headers: { authorization: `Bearer ${token}` } }),
    stderr,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `read` until `done` holds (or throws after `timeoutMs`, saying what it saw last). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not there within ${timeoutMs} ms; last seen ${JSON.stringify(last).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
