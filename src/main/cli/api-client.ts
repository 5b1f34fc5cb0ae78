/**
 * The REST side of a client command: requests and downloads named by the contract, with the token, over
 * kept-alive connections to 127.0.0.1. Errors become messages a person can act on: Berth not
 * running, the token refused, or the server's own `{error: {code, message}}`.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import type { DownloadInput, RequestInput, RequestOutput } from '../../shared/contract';
import { routes, type DownloadName, type RequestName } from '../../shared/operations';
import { fillPath } from '../../shared/ws-protocol';
import { badTokenMessage, CliError, notRunningMessage, type Endpoint } from './endpoint';

/** The server answered with an error; `message` is its own. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Errors that mean nothing listens at the address. */
const notListening = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EADDRNOTAVAIL']);

export function connectionFailure(err: unknown, address: string): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code && notListening.has(code)) return new CliError(notRunningMessage(address));
  return new CliError(`lost the connection to Berth on ${address}: ${(err as Error).message || code || String(err)}`);
}

/** Query string of the defined fields; an array repeats its key (`level=warn&level=error`). */
export function queryString(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) params.append(key, String(item));
    }
  }
  return params.toString();
}

export class ApiClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    private readonly endpoint: Endpoint,
    /** Aborts every request in flight (Ctrl-C, the output closed). */
    private readonly signal?: AbortSignal,
  ) {}

  /** A GET request of the contract. */
  get<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    if (routes[name].method !== 'GET') throw new Error(`${name} is not a GET request`);
    return this.call(name, input);
  }

  /** Any request of the contract: GET with a query string, the others with a JSON body. */
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    const route = routes[name];
    const { path, rest } = fillPath(route.path, { ...(input as Record<string, unknown>) });
    if (route.method === 'GET') {
      const query = queryString(rest);
      return this.send('GET', query ? `${path}?${query}` : path).then(parseJson) as Promise<RequestOutput<N>>;
    }
    return this.send(route.method, path, JSON.stringify(rest)).then(parseJson) as Promise<RequestOutput<N>>;
  }

  /** A download of the contract, as text (exports of templates and jobs are small enough to hold). */
  download<N extends DownloadName>(name: N, input: DownloadInput<N>): Promise<string> {
    const { path, rest } = fillPath(routes[name].path, { ...(input as Record<string, unknown>) });
    const query = queryString(rest);
    return this.send('GET', query ? `${path}?${query}` : path);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** The answer's text on a 2xx status; otherwise the error it carries. */
  private send(method: string, path: string, body?: string): Promise<string> {
    const { port, token, address } = this.endpoint;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', host: address };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, agent: this.agent, signal: this.signal, headers }, (res) => {
        readAll(res).then(
          (text) => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(text);
            let answer: unknown;
            try {
              answer = JSON.parse(text);
            } catch {
              answer = undefined;
            }
            reject(answerError(status, answer, address));
          },
          (err: unknown) => reject(this.signal?.aborted ? err : connectionFailure(err, address)),
        );
      });
      req.on('error', (err) => reject(this.signal?.aborted ? err : connectionFailure(err, address)));
      req.end(body);
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError('unexpected answer from Berth (not JSON); is that Berth?');
  }
}

function answerError(status: number, body: unknown, address: string): CliError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (status === 401) return new ApiError(status, 'unauthorized', badTokenMessage(address));
  if (error && typeof error.message === 'string') {
    return new ApiError(status, typeof error.code === 'string' ? error.code : 'error', error.message);
  }
  return new CliError(`unexpected answer from ${address} (HTTP ${status}); is that Berth?`);
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    res.on('data', (chunk: Buffer) => parts.push(chunk));
    res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the answer was cut short')));
  });
}
