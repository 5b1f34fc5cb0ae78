// The BUILT `berth serve` (bin/berth.mjs → out/main/cli.js) in a child process, as a user starts
// it, and a plain HTTP client for it: node:http with a keep-alive agent per caller, timing each
// request from its start to the last byte of the answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

const root = resolve(__dirname, '../..');

export interface TimedAnswer {
  status: number;
  body: Buffer;
  ms: number;
}

/** One GET, timed from before the request to the answer's last byte. */
export function timedGet(agent: http.Agent | false, port: number, path: string, headers: http.OutgoingHttpHeaders = {}): Promise<TimedAnswer> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}

export interface ServedProcess {
  child: ChildProcess;
  port: number;
  token: string;
  /** From spawning the process to the first `200` of `/ready`. */
  readyMs: number;
  /** GET with the token, through `agent`. */
  get(path: string, agent: http.Agent | false): Promise<TimedAnswer>;
  /** GET with the token; throws unless 200; the parsed JSON. */
  json<T>(path: string, agent?: http.Agent | false): Promise<T>;
  /** PUT a JSON body with the token; throws unless 200. */
  put<T>(path: string, body: unknown): Promise<T>;
  /** What the server wrote to stdout and stderr (the last 20 kB). */
  output(): string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

/** A JSON request with the server's token; throws unless 2xx; the parsed answer. */
export async function apiCall<T>(served: Pick<ServedProcess, 'port' | 'token'>, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${served.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/**
 * Spawns `node bin/berth.mjs serve` on a free port with `dataDir` and polls `/ready` every few
 * milliseconds from the moment of the spawn; resolves at its first `200`.
 */
export async function startServe(dataDir: string, env: NodeJS.ProcessEnv): Promise<ServedProcess> {
  if (!existsSync(join(root, 'out/main/cli.js'))) throw new Error('Berth is not built: run `npm run build` (`npm run bench` does it first)');
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/berth.mjs'), 'serve', '--port', String(port), '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));

  let readyMs = 0;
  for (;;) {
    if (exitedEarly) throw new Error(`berth serve exited before it was ready:\n${out}`);
    if (performance.now() - t0 > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`berth serve was not ready within 60 s:\n${out}`);
    }
    const answer = await timedGet(false, port, '/ready').catch(() => null);
    if (answer?.status === 200) {
      readyMs = performance.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 3));
  }
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  const auth = { authorization: `Bearer ${token}` };
  const get = (path: string, agent: http.Agent | false) => timedGet(agent, port, path, auth);
  return {
    child,
    port,
    token,
    readyMs,
    get,
    async json<T>(path: string, agent: http.Agent | false = false) {
      const a = await get(path, agent);
      if (a.status !== 200) throw new Error(`GET ${path} → ${a.status}: ${a.body.toString().slice(0, 500)}`);
      return JSON.parse(a.body.toString()) as T;
    },
    put<T>(path: string, body: unknown) {
      return new Promise<T>((resolvePromise, reject) => {
        const data = Buffer.from(JSON.stringify(body));
        const req = http.request(
          { host: '127.0.0.1', port, path, method: 'PUT', headers: { ...auth, 'content-type': 'application/json', 'content-length': data.length } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              if (res.statusCode !== 200) reject(new Error(`PUT ${path} → ${res.statusCode}: ${text.slice(0, 500)}`));
              else resolvePromise(JSON.parse(text) as T);
            });
          },
        );
        req.on('error', reject);
        req.end(data);
      });
    },
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Times GET `path` every `everyMs` from a worker thread with its own event loop and its own
 * keep-alive agent, so that what the caller's thread does (sending queries, reading their
 * answers) does not delay the probe. `stop()` resolves with every latency in ms (-1 for an
 * answer other than 200).
 */
export function startProbe(port: number, path: string, everyMs: number): { stop(): Promise<number[]> } {
  // Plain JavaScript evaluated in the worker: no TypeScript loader needed there.
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const samples = [];
    let running = true;
    parentPort.on('message', () => { running = false; });
    const once = () => new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get({ host: '127.0.0.1', port: workerData.port, path: workerData.path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t0 : -1));
      });
      req.on('error', reject);
    });
    (async () => {
      while (running) {
        const t0 = performance.now();
        samples.push(await once());
        const wait = workerData.everyMs - (performance.now() - t0);
        await new Promise((r) => setTimeout(r, Math.max(0, wait)));
      }
      agent.destroy();
      parentPort.postMessage(samples);
    })().catch((err) => parentPort.postMessage({ error: String(err) }));
  `;
  const worker = new Worker(source, { eval: true, workerData: { port, path, everyMs } });
  const result = new Promise<number[]>((resolvePromise, reject) => {
    worker.once('message', (m: number[] | { error: string }) => {
      void worker.terminate();
      if (Array.isArray(m)) resolvePromise(m);
      else reject(new Error(`the ${path} probe failed: ${m.error}`));
    });
    worker.once('error', reject);
  });
  return {
    stop() {
      worker.postMessage('stop');
      return result;
    },
  };
}
