import type { DownloadInput, RequestInput } from '../../../shared/contract';
import { routes, type DownloadName, type HttpMethod, type RequestName } from '../../../shared/operations';
import { fillPath } from '../../../shared/ws-protocol';
import { ClientError } from './client-error';

export interface HttpRequest {
  method: HttpMethod;
  /** Same-origin path with its query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Turns a contract request into the REST call that carries it. */
export function buildHttpRequest<N extends RequestName>(name: N, input: RequestInput<N>): HttpRequest {
  const { method, path } = routes[name];
  const fields = { ...((input ?? {}) as Record<string, unknown>) };
  // fillPath would print "undefined" into the route; fail here with a clear message instead.
  for (const [, key] of path.matchAll(/:(\w+)/g)) {
    if (fields[key!] === undefined || fields[key!] === null || fields[key!] === '') {
      throw new ClientError('bad_request', `${name}: ${key} is required`);
    }
  }
  const { path: filled, rest } = fillPath(path, fields);
  if (method === 'GET') {
    const query = toQueryString(rest);
    return { method, url: query ? `${filled}?${query}` : filled, headers: { accept: 'application/json' } };
  }
  return {
    method,
    url: filled,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(rest),
  };
}

/** The same-origin URL of a download (a GET whose answer is a file). */
export function buildDownloadUrl<N extends DownloadName>(name: N, input: DownloadInput<N>): string {
  const { path } = routes[name];
  const { path: filled, rest } = fillPath(path, { ...((input ?? {}) as Record<string, unknown>) });
  const query = toQueryString(rest);
  return query ? `${filled}?${query}` : filled;
}

/** Query string of the defined fields; arrays repeat their key. */
export function toQueryString(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      params.append(key, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  return params.toString();
}
