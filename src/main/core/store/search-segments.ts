/**
 * The full-text index is a series of FTS5 tables, each indexing one range of log ids, listed in
 * `log_search_segments`. Retention drops a whole segment once every line it indexes is deleted:
 * deleting entries one by one from FTS5 costs about 50 µs a line, dropping a 20 MB segment 13 ms.
 * Entries of lines deleted while their segment lives on (the oldest, partly deleted segment; a
 * deleted job) stay behind and are never returned, since a search joins its hits to `logs` and
 * ids are never reused.
 */
import type { Db } from './database';

export interface SearchSegment {
  id: number;
  /** Lowest and highest log id indexed in it (the highest grows while it is the newest). */
  firstId: number;
  lastId: number;
  lines: number;
}

export const segmentTable = (id: number): string => `logs_fts_${id}`;

/** Contentless (the text lives in `logs`), ANSI codes stripped before indexing; no per-document sizes (no ranking). */
export const createSegmentSql = (id: number): string =>
  `CREATE VIRTUAL TABLE ${segmentTable(id)} USING fts5 (message, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')`;

/** All segments, oldest first. */
export function listSegments(db: Db): SearchSegment[] {
  return db
    .prepare<[], { id: number; first_id: number; last_id: number; lines: number }>(
      'SELECT id, first_id, last_id, lines FROM log_search_segments ORDER BY id',
    )
    .all()
    .map((r) => ({ id: r.id, firstId: r.first_id, lastId: r.last_id, lines: r.lines }));
}

/** How many lines a segment takes before the next one starts: about a sixteenth of what the budget holds. */
export function segmentLines(maxBytes: number): number {
  const bytesPerLine = 150;
  return Math.min(2_000_000, Math.max(2_000, Math.round(maxBytes / bytesPerLine / 16)));
}
