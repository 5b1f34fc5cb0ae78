/** Messages between the main thread (LogIngest) and the writer worker (WriterEngine). */
import type { LogLine } from '../../../../shared/model';
import type { ParseMode } from './source-parser';

export interface RetentionRules {
  maxAgeDays: number;
  maxBytes: number;
  /** Per template (service_id of job sources): overrides of either field. */
  templates: { templateId: number; maxAgeDays?: number; maxBytes?: number }[];
}

/** A line Berth writes itself (system or manager kind). */
export interface OwnLine {
  sourceId: number | null;
  ts: number;
  kind: number;
  level: number;
  message: string;
}

export type ToWriter =
  /** Start reading a source's output; answers `{ since }`, where a logs-API read should resume (null: from the start). */
  | { type: 'open'; reqId: number; sourceId: number; mode: ParseMode }
  | { type: 'chunk'; sourceId: number; data: Uint8Array }
  /** The output ended: store a last line without a newline; answers once stored. */
  | { type: 'end'; reqId: number; sourceId: number }
  /** The read broke: forget an unfinished line (it is read again on resume). */
  | { type: 'drop'; sourceId: number }
  | { type: 'lines'; lines: OwnLine[] }
  /** Answers once everything sent before is stored (and, with `indexed`, searchable). */
  | { type: 'settle'; reqId: number; sourceId: number | null; indexed: boolean }
  | { type: 'live'; sourceId: number; on: boolean }
  | { type: 'retention'; rules: RetentionRules }
  /** Delete every stored line of these sources (deleted jobs), with their counters, blocks and emptied search segments; answers how many lines went. */
  | { type: 'deleteSources'; reqId: number; sourceIds: number[] }
  /** Answers with the store's size and state, for /health. */
  | { type: 'stats'; reqId: number }
  | { type: 'close'; reqId: number };

export interface WriterStats {
  /** Pages in use (tables, indexes, search index) times the page size. */
  usedBytes: number;
  /** Size of the database file. */
  fileBytes: number;
  walBytes: number;
  budgetBytes: number;
  /** Stored lines not searchable yet. */
  indexLag: number;
  /** Lines deleted by retention since start. */
  pruned: number;
}

export type FromWriter =
  | { type: 'reply'; reqId: number; ok: true; value: unknown }
  | { type: 'reply'; reqId: number; ok: false; message: string }
  /** Bytes of chunks whose lines are now stored, per source. */
  | { type: 'ack'; bytes: [sourceId: number, bytes: number][] }
  | { type: 'live'; sourceId: number; prevId: number; lines: LogLine[] }
  /** Trouble the main thread should report (the store refusing writes, retention failing). */
  | { type: 'error'; message: string }
  /** Trouble is over: what was held back is stored. */
  | { type: 'recovered'; message: string };
