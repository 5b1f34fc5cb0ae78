/** The messages between the log reader (main) and its workers. */
import type { LogExport, LogFilter, LogQuery } from '../../../../shared/contract';
import type { ErrorCode } from '../../../../shared/errors';

export interface ReaderWorkerData {
  file: string;
  nativeBinding?: string;
}

export interface Budgets {
  timeoutMs: number;
  regexTimeoutMs: number;
}

export type ReaderRequest =
  | { op: 'query'; query: LogQuery; budgets: Budgets }
  /** The same, answered as the UTF-8 bytes of the REST body `{"count":…,"logs":[…]}` (transferred). */
  | { op: 'query-json'; query: LogQuery; budgets: Budgets }
  | { op: 'count'; filter: LogFilter; budgets: Budgets }
  /** Plans an export; the worker keeps it until `export-close` (one at a time). */
  | { op: 'export-open'; export: LogExport }
  /** The next chunk: at most `maxLines` lines or `maxBytes` of text, read for at most `sliceMs`. */
  | { op: 'export-read'; maxLines: number; maxBytes: number; sliceMs: number }
  | { op: 'export-close' };

export interface ReaderMessage {
  id: number;
  request: ReaderRequest;
}

/**
 * The next piece of an export: the text, or with gzip one gzip member (a gzip file may be a
 * series of members) as a latin1 string. Strings, not transferred buffers: a string lands in
 * the main thread's young generation and goes at the next scavenge, while a transferred buffer
 * waits for a full GC, which a mostly idle main thread seldom runs (measured: 110 MB piled up
 * over a 1 GB export).
 */
export interface ExportChunk {
  text: string;
  lines: number;
  done: boolean;
}

export interface ReplyError {
  /** Set for a BerthError, whose message is meant for the person asking. */
  code: ErrorCode | null;
  message: string;
  stack?: string;
}

export type ReaderReply =
  | { ready: true }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ReplyError };
