/**
 * Deletes every stored line of some sources (a deleted job's), in the writer thread that owns
 * deletions, keeping the bookkeeping true in the same transaction as retention does: the
 * sources' counters and first ids, the counts by kind and level, the time blocks; and search
 * segments left indexing no line at all are dropped whole (store/search-segments.ts). Entries of
 * the deleted lines in segments that live on stay behind and are never returned (a search joins
 * its hits to `logs`, and ids are never reused).
 */
import type { Db } from '../../store/database';
import { segmentTable } from '../../store/search-segments';

export class SourceDeletion {
  private readonly span;
  private readonly deleteLines;
  private readonly deleteCounts;
  private readonly deleteBlocks;
  private readonly resetSource;
  private readonly emptySegments;
  private readonly forgetSegment;
  private readonly run;

  constructor(private readonly db: Db) {
    this.span = db.prepare<[number], { lo: number | null; hi: number | null; n: number }>(
      'SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM logs WHERE source_id = ?',
    );
    this.deleteLines = db.prepare('DELETE FROM logs WHERE source_id = ?');
    this.deleteCounts = db.prepare('DELETE FROM log_counts WHERE source_id = ?');
    this.deleteBlocks = db.prepare('DELETE FROM log_blocks WHERE source_id = ?');
    this.resetSource = db.prepare('UPDATE log_sources SET lines = 0, bytes = 0, first_id = NULL WHERE id = ?');
    // Closed segments (never the newest: the indexer writes into it) overlapping what went, with no line left in their range.
    this.emptySegments = db.prepare<[number, number], { id: number }>(
      `SELECT s.id FROM log_search_segments s
       WHERE s.last_id >= ? AND s.first_id <= ? AND s.id < (SELECT max(id) FROM log_search_segments)
         AND NOT EXISTS (SELECT 1 FROM logs l WHERE l.id BETWEEN s.first_id AND s.last_id)`,
    );
    this.forgetSegment = db.prepare('DELETE FROM log_search_segments WHERE id = ?');
    this.run = db.transaction((sourceIds: readonly number[]) => {
      let deleted = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (const sourceId of sourceIds) {
        const span = this.span.get(sourceId);
        if (span && span.n > 0) {
          deleted += span.n;
          lo = Math.min(lo, span.lo!);
          hi = Math.max(hi, span.hi!);
          this.deleteLines.run(sourceId);
        }
        this.deleteCounts.run(sourceId);
        this.deleteBlocks.run(sourceId);
        this.resetSource.run(sourceId);
      }
      if (deleted > 0) {
        for (const { id } of this.emptySegments.all(lo, hi)) {
          this.db.exec(`DROP TABLE ${segmentTable(id)}`);
          this.forgetSegment.run(id);
        }
      }
      return deleted;
    }).immediate as unknown as (sourceIds: readonly number[]) => number;
  }

  /** Deletes the sources' lines; returns how many went. */
  delete(sourceIds: readonly number[]): number {
    return sourceIds.length === 0 ? 0 : this.run(sourceIds);
  }
}
