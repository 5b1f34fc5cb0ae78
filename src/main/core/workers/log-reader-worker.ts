/**
 * A log reader worker: answers queries, counts and export chunks over a read-only connection to
 * the store, one request at a time, so that a slow read never holds up the main thread. The log
 * writer owns migrations and writes. Main terminates this worker when a request passes its
 * deadline (the only way to stop a regex that backtracks forever); the budgets given with each
 * request make it give up politely, between statements and rows, before that.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { BerthError } from '../../../shared/errors';
import { formatEntries } from '../logs/read/export-format';
import { Clock } from '../logs/read/log-scan';
import { countLogs } from '../logs/read/log-count';
import { LogExportReader, queryPage } from '../logs/read/log-query';
import type { ExportChunk, ReaderMessage, ReaderReply, ReaderRequest, ReaderWorkerData } from '../logs/read/reader-protocol';
import { openDatabase } from '../store/database';
import type { LogExport } from '../../../shared/contract';

const port = parentPort;
if (!port) throw new Error('log-reader-worker must run as a worker thread');

const { file, nativeBinding } = workerData as ReaderWorkerData;
const db = openDatabase({ file, nativeBinding, readonly: true });
const encoder = new TextEncoder();
/** Answers shorter than this many characters go to main as text, longer ones as bytes. */
const smallAnswer = 1_000_000;
/** Lines read from the store per step while filling an export chunk. */
const exportStep = 500;

let current: { reader: LogExportReader; format: LogExport['format']; gzip: boolean } | null = null;

function handle(request: ReaderRequest): { value: unknown; transfer?: ArrayBuffer[] } {
  switch (request.op) {
    case 'query':
      return { value: queryPage(db, request.query, { ...request.budgets, nativeBinding }) };
    case 'query-json': {
      // Serialized here, so the main thread never holds (or stringifies) the entries.
      const { logs, truncated } = queryPage(db, request.query, { ...request.budgets, nativeBinding });
      const text = JSON.stringify(truncated ? { count: logs.length, logs, truncated } : { count: logs.length, logs });
      // A small answer goes as text (copied at once; the socket encodes it natively); a big one
      // is encoded here and its bytes moved, so that main never encodes megabytes.
      if (text.length < smallAnswer) return { value: text };
      const bytes = encoder.encode(text);
      return { value: bytes, transfer: [bytes.buffer as ArrayBuffer] };
    }
    case 'count':
      return { value: countLogs(db, request.filter, { ...request.budgets, nativeBinding }) };
    case 'export-open':
      current?.reader.close();
      current = null;
      current = { reader: new LogExportReader(db, request.export, { nativeBinding }), format: request.export.format, gzip: request.export.gzip };
      return { value: null };
    case 'export-read': {
      if (!current) throw new Error('export-read without export-open');
      const clock = Clock.after(request.sliceMs);
      let text = '';
      let lines = 0;
      let done = false;
      while (lines < request.maxLines && text.length < request.maxBytes && !clock.expired) {
        const chunk = current.reader.read(Math.min(exportStep, request.maxLines - lines), clock);
        text += formatEntries(chunk.entries, current.format);
        lines += chunk.entries.length;
        if (chunk.done) {
          done = true;
          break;
        }
      }
      // Each chunk its own gzip member: a gzip file may be a series of them (RFC 1952).
      const value: ExportChunk = { text: current.gzip && text.length > 0 ? gzipSync(text).toString('latin1') : text, lines, done };
      return { value };
    }
    case 'export-close':
      current?.reader.close();
      current = null;
      return { value: null };
  }
}

port.on('message', ({ id, request }: ReaderMessage) => {
  let reply: ReaderReply;
  let transfer: ArrayBuffer[] | undefined;
  try {
    const result = handle(request);
    reply = { id, ok: true, value: result.value };
    transfer = result.transfer;
  } catch (err) {
    reply =
      err instanceof BerthError
        ? { id, ok: false, error: { code: err.code, message: err.message } }
        : { id, ok: false, error: { code: null, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined } };
  }
  port.postMessage(reply, transfer);
});

port.postMessage({ ready: true } satisfies ReaderReply);
