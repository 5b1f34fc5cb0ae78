/** Reading requests and writing responses: JSON bodies with limits, errors in one shape. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DownloadBody } from '../../shared/contract';
import { BerthError, errorStatus, type ErrorBody } from '../../shared/errors';
import type { HttpErrorBody } from '../../shared/ws-protocol';
import { contentSecurityPolicy } from './static-files';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** A body already serialized (text, or UTF-8 bytes). */
export function sendJsonText(res: ServerResponse, status: number, text: string | Uint8Array, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ErrorBody, headers: Record<string, string> = {}): void {
  const body: HttpErrorBody = { error };
  sendJson(res, errorStatus[error.code], body, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy,
    ...headers,
  });
  res.end(html);
}

/** Reads the whole body, refusing more than `limit` bytes without buffering them. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BerthError('payload_too_large', `the request body is larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BerthError('payload_too_large', `the request body is larger than ${limit} bytes`));
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => failed || resolve(Buffer.concat(parts)));
    req.on('error', (err) => failed || reject(err));
  });
}

/** A JSON object body; an empty body is `{}`. */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const raw = await readBody(req, limit);
  if (raw.length === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new BerthError('unsupported_media_type', "send the request body as JSON with 'Content-Type: application/json'");
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new BerthError('bad_request', `the request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BerthError('bad_request', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Query string as an object; a repeated key becomes an array (which strict schemas reject clearly). */
export function queryObject(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * Streams a file to the client with constant memory: the next chunk is pulled only once the
 * socket has taken the last one. The first chunk is pulled before the headers go out, so a
 * request that fails there (a search syntax error, an ambiguous container) is still a clean
 * 4xx; after that, a failure can only cut the response short. A client that goes away stops the
 * producer (its iterator is returned), so an abandoned export of millions of lines stops reading.
 */
export async function sendDownload(req: IncomingMessage, res: ServerResponse, download: DownloadBody): Promise<void> {
  const iterator = download.body[Symbol.asyncIterator]();
  const first = await iterator.next();
  res.writeHead(200, {
    'content-type': download.contentType,
    'content-disposition': `attachment; filename="${download.filename.replace(/["\\\r\n]/g, '_')}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD' || first.done) {
    res.end();
    if (!first.done) await iterator.return?.();
    return;
  }
  let gone = false;
  const onClose = () => {
    gone = true;
  };
  res.once('close', onClose);
  try {
    let chunk: IteratorResult<string | Uint8Array> = first;
    while (!chunk.done && !gone) {
      const ok = typeof chunk.value === 'string' ? res.write(chunk.value, download.encoding) : res.write(chunk.value);
      if (!ok) await drained(res);
      if (gone) break;
      chunk = await iterator.next();
    }
  } catch (err) {
    res.destroy(err as Error);
    await iterator.return?.();
    return;
  } finally {
    res.off('close', onClose);
  }
  if (gone) await iterator.return?.();
  else res.end();
}

/** Resolves when the socket wants more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      res.off('drain', go);
      res.off('close', go);
      resolve();
    };
    res.once('drain', go);
    res.once('close', go);
  });
}
